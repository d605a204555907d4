//! The sub-chains' anchored headers and trade roots, on the sub-chains' own finality.
//!
//! A sub-chain's first anchor is its genesis (`anchor_genesis`): the header whose hash is the
//! registered genesis hash, with a storage proof, against its state root, of the sub-chain's
//! GRANDPA voters (`Grandpa::Authorities`). They become the sub-chain's voter set 0.
//!
//! After it, `anchor` takes a **finalized segment**: one or more consecutive headers, the first
//! following the last anchor, each with its block's trade batch, and a GRANDPA justification
//! of the last header by more than two thirds of the sub-chain's current voter set (see
//! [`dbm_primitives::finality`]), from any submitter. Each header's trade batch must have the
//! root its [`TradeRoot`] digest item carries. A header that schedules a voter set change must
//! be the segment's last (GRANDPA's voters finalize the block that changes their set before
//! the next set votes), and the new set must be the GRANDPA keys of a committee whose election
//! the parent confirmed ([`Unenacted`]; `UnelectedVoterSet` otherwise); once it is anchored
//! the parent follows the new set, with the next set id, and forgets that election and the
//! ones confirmed before it. A replay fails with `AlreadyAnchored`, a different header at a
//! height in the recent window with `ConflictingHeader` (below it, `AlreadyAnchored`).
//!
//! # Forced changes
//!
//! A sub-chain whose finality stalled (a third or more of its voters dead) forces a change to
//! the voters that reported the stall (`pallet-finality-recovery`): its header `H` carries a
//! forced change to `next`, in force from block `H + delay`, and the old set finalizes nothing
//! more. The parent follows it from one segment that holds `H` and ends at or after `H + delay`,
//! justified by `next` with the next set id, if `next` is a part of the set it follows (the
//! same keys and weights, not all of them: `ForcedSetNotPartOfTheSet`) whose justifications
//! must hold a voter of that set that GRANDPA's assumption makes honest (the weight that
//! finalizes among `next` is more than the most the set may hold of faulty voters:
//! `ForcedSetTooWeak`). That voter's node applied the change only because its chain forced
//! it, so the headers the votes descend through are the sub-chain's. A standard change before
//! `H` in the segment is one the sub-chain's nodes dropped if it lies above the change's
//! median (the last block the old set finalized, as the reporters saw it); one at or below it
//! the old set finalized, and must be anchored first (`SetChangeNotLast`). One forced change
//! per segment (`TwoForcedChanges`); a segment holding one must reach `H + delay`
//! (`ForcedChangeNotEnacted`). The voters left out are kept ([`Sidelined`], with their
//! accounts where the parent knows them), and a later standard change may take them back: to
//! the set in force followed by some of them, which is what the sub-chain's recovery does when
//! a sidelined voter's node returns. An elected committee's set ends the sidelining.
//!
//! # Voters taken out
//!
//! A standard change may also hand finality to the set in force without one of its voters,
//! the others in their order with their weights: what a sub-chain's DBSCA schedules, one member
//! a block, when a member of the committee in force is suspended or kicked (the parent's own
//! decision, delivered through the outbox), so that its key stops counting at once instead of
//! at the next election. The set in force finalizes the change, and it hands finality to no
//! key that was not already voting: the outgoing voters gain nothing by it that they did not
//! hold (more than two thirds of them already decide what is final, and could withhold every
//! hand-over to an elected committee). The parent follows it, forgets whose the left-out key
//! was (`VoterTakenOut`) and ends any sidelining, as the sub-chain's recovery does once a
//! change it did not make is in force. A change that leaves out two or more voters at once is
//! not one the sub-chain makes (`UnelectedVoterSet`).
//!
//! The block body keeps the batches (they are the extrinsic's argument); storage keeps the last
//! `AnchorWindow` anchors of each sub-chain in full (hash, state root, against which the parent
//! takes the sub-chain's messages, and trade root), and for older ones, per epoch of
//! `EpochLength` sub-chain blocks (the last `MaxEpochs` epochs), the range of parent blocks that
//! anchored it. The `RegistryApi` runtime API answers where a sub-chain block is anchored and
//! verifies a trade's inclusion proof.
//!
//! # What an anchor proves
//!
//! A header is anchored only once the sub-chain's own voters finalized it: no relayer, and no
//! set of sub-chain authorities weighing a third of the votes or less, can get a header, a
//! state root or a trade root recorded that the sub-chain did not finalize. The parent follows
//! the voter set from the genesis through every change the finalized headers schedule, so the
//! set is always the sub-chain's own, and each change only to a committee the sub-chain's
//! members elected (a quorum of their account keys signed its GRANDPA keys): even a voter set
//! that finalizes whatever it likes cannot hand its power to keys nobody elected, and a forced
//! change hands it only to part of itself that must include an honest voter. What it assumes
//! is GRANDPA's: more than two thirds of each voter set are honest.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use codec::DecodeAll;
use dbm_primitives::{
	finality::{self, Change, ChangeError, ForcedSetError},
	registry::GrandpaVoters,
	Header,
};

/// Which set a standard change hands finality to.
enum NextSet {
	/// The voters of the confirmed election at this position of [`Unenacted`].
	Elected(usize),
	/// The deciding set and the left-out voters at these positions of [`Sidelined`].
	Returning(Vec<usize>),
	/// The deciding set without its voter at this position.
	Without(usize),
}
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::Header as _;

/// The shortest SCALE encoding of a signed precommit: hash, number, signature and key.
pub const SIGNED_PRECOMMIT_LEN: u32 = 32 + 4 + 64 + 32;
/// The shortest SCALE encoding of a header: parent hash, compact number, state and
/// extrinsics roots, an empty digest.
pub const MIN_HEADER_LEN: u32 = 32 + 1 + 32 + 32 + 1;

/// What a segment's justification holds, for its weight.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct JustificationSize {
	/// Signed precommits.
	pub precommits: u32,
	/// Ancestry headers.
	pub ancestries: u32,
}

impl JustificationSize {
	/// The most a justification of `len` bytes can hold, within the pallet's bounds.
	pub fn bound<T: Config>(len: usize) -> Self {
		let len = len.min(T::MaxJustificationLen::get() as usize) as u32;
		JustificationSize {
			precommits: (len / SIGNED_PRECOMMIT_LEN).min(2 * T::MaxVoters::get()),
			ancestries: (len / MIN_HEADER_LEN).min(T::MaxAncestry::get()),
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The weight of `anchor` before it runs: for `blocks` headers with `trades` records in
	/// all, and the most a justification of `justification_len` bytes can hold.
	pub fn anchor_weight(blocks: usize, trades: usize, justification_len: usize) -> Weight {
		let size = JustificationSize::bound::<T>(justification_len);
		T::WeightInfo::anchor(
			(blocks as u32).clamp(1, T::MaxSegment::get()),
			(trades as u32).min(T::MaxTradesPerAnchor::get()),
			size.precommits.max(1),
			size.ancestries,
		)
	}

	/// Verifies and records the genesis anchor of a sub-chain and its genesis voters.
	pub fn do_anchor_genesis(
		id: SubchainId,
		encoded: &[u8],
		voters: dbm_primitives::proof::RawProof,
	) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		ensure!(LastAnchor::<T>::get(id).is_none(), Error::<T>::AlreadyAnchored);
		ensure!(encoded.len() <= T::MaxHeaderLen::get() as usize, Error::<T>::HeaderTooLong);
		ensure!(
			voters.len() <= T::MaxProofNodes::get() as usize
				&& dbm_primitives::proof::proof_size(&voters) <= T::MaxProofSize::get(),
			Error::<T>::ProofTooLarge
		);
		let header = Header::decode_all(&mut &encoded[..]).map_err(|_| Error::<T>::BadHeader)?;
		ensure!(*header.number() == 0, Error::<T>::Gap);
		ensure!(header.hash() == info.genesis_hash, Error::<T>::NotGenesis);
		let key = finality::grandpa_authorities_key();
		let (nodes, size) = (T::MaxProofNodes::get(), T::MaxProofSize::get());
		let list: finality::AuthorityList =
			dbm_primitives::proof::read(*header.state_root(), voters, &key, nodes, size)
				.map_err(|e| match e {
					dbm_primitives::proof::ProofError::TooLarge => Error::<T>::ProofTooLarge,
					dbm_primitives::proof::ProofError::Invalid => Error::<T>::InvalidProof,
					dbm_primitives::proof::ProofError::Undecodable => Error::<T>::InvalidVoterSet,
				})?
				.ok_or(Error::<T>::InvalidVoterSet)?;
		let voters = Self::voter_set(0, list, 1)?;
		// The genesis block holds no trades (and its header no trade root).
		let root = TradeRoot::of::<TradeRecordOf<T>>(&[]);
		Self::record_anchor(id, &header, root);
		// The genesis committee (registered with the parent's genesis) votes in its order, one
		// key each, as the sub-chain's genesis puts it in force; otherwise whose keys these
		// are, the parent does not know.
		if VoterAccounts::<T>::decode_len(id).unwrap_or(0) != voters.voters.len() {
			VoterAccounts::<T>::remove(id);
		}
		Self::follow_voters(id, voters);
		Ok(())
	}

	/// Checks a voter list and makes it set `set_id`, deciding from sub-chain block `from` on:
	/// not empty, at most `MaxVoters`, each key once, no zero weight.
	pub(crate) fn voter_set(
		set_id: u64,
		list: finality::AuthorityList,
		from: dbm_primitives::BlockNumber,
	) -> Result<GrandpaVoters, Error<T>> {
		ensure!(
			!list.is_empty() && list.len() <= T::MaxVoters::get() as usize,
			Error::<T>::InvalidVoterSet
		);
		for (i, (id, weight)) in list.iter().enumerate() {
			ensure!(
				*weight > 0 && !list[..i].iter().any(|(other, _)| other == id),
				Error::<T>::InvalidVoterSet
			);
		}
		let voters = list.try_into().map_err(|_| Error::<T>::InvalidVoterSet)?;
		Ok(GrandpaVoters { set_id, voters, from })
	}

	/// Verifies and records a finalized segment of sub-chain blocks; returns the size of the
	/// justification it checked.
	pub fn do_anchor(
		id: SubchainId,
		blocks: &[AnchoredBlockOf<T>],
		justification: &[u8],
	) -> Result<JustificationSize, DispatchError> {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		ensure!(!blocks.is_empty(), Error::<T>::EmptySegment);
		ensure!(blocks.len() <= T::MaxSegment::get() as usize, Error::<T>::SegmentTooLong);
		let trades = blocks.iter().map(|block| block.trades.len()).sum::<usize>();
		ensure!(trades <= T::MaxTradesPerAnchor::get() as usize, Error::<T>::TooManyTrades);
		ensure!(
			justification.len() <= T::MaxJustificationLen::get() as usize,
			Error::<T>::JustificationTooLong
		);
		let last = LastAnchor::<T>::get(id).ok_or(Error::<T>::Gap)?;
		let voters = Voters::<T>::get(id).ok_or(Error::<T>::Gap)?;

		// The headers: decoded, chained to the last anchor and to each other, each with its
		// trade batch's root; the voter set changes they signal.
		let mut headers = Vec::with_capacity(blocks.len());
		let (mut parent_number, mut parent_hash) = (last.number, last.hash);
		// A standard change in the last header; standard changes before a forced one (the
		// sub-chain's nodes dropped them, if the old set never finalized them); a forced one.
		let (mut standard, mut dropped, mut forced) = (None, Vec::new(), None);
		for (i, block) in blocks.iter().enumerate() {
			ensure!(
				block.header.len() <= T::MaxHeaderLen::get() as usize,
				Error::<T>::HeaderTooLong
			);
			let header =
				Header::decode_all(&mut &block.header[..]).map_err(|_| Error::<T>::BadHeader)?;
			let hash = header.hash();
			let number = *header.number();
			if i == 0 && number <= last.number {
				return Err(match Anchors::<T>::get(id, number) {
					Some(anchor) if anchor.hash != hash => Error::<T>::ConflictingHeader,
					_ => Error::<T>::AlreadyAnchored,
				}
				.into());
			}
			ensure!(number == parent_number.saturating_add(1), Error::<T>::Gap);
			ensure!(*header.parent_hash() == parent_hash, Error::<T>::ParentMismatch);
			let root = TradeRoot::find(header.digest()).ok_or(Error::<T>::NoTradeRoot)?;
			ensure!(TradeRoot::of(&block.trades) == root, Error::<T>::TradeRootMismatch);
			match finality::change(&header).map_err(|e| match e {
				ChangeError::Undecodable => Error::<T>::UndecodableSetChange,
				ChangeError::Delayed => Error::<T>::DelayedSetChange,
				ChangeError::Unsupported => Error::<T>::UnsupportedSetChange,
			})? {
				None => {}
				Some(Change::Standard(next)) if i + 1 == blocks.len() => {
					standard = Some((number, next))
				}
				Some(Change::Standard(_)) => {
					// GRANDPA's voters finalize the block that changes their set before the
					// next set votes: a change not last is followed only if a forced change
					// after it in the segment dropped it.
					ensure!(forced.is_none(), Error::<T>::SetChangeNotLast);
					dropped.push(number);
				}
				Some(Change::Forced { median, delay, next }) => {
					ensure!(forced.is_none(), Error::<T>::TwoForcedChanges);
					forced = Some((number, median, delay, next));
				}
			}
			(parent_number, parent_hash) = (number, hash);
			headers.push((header, root));
		}
		let end = (parent_hash, parent_number);

		// A forced change: the old set finalized nothing past it (a standard change before it
		// that the old set finalized, at or below the change's median, must be anchored on
		// its own first), and the segment must reach the block where the new set is in force,
		// whose votes then justify it.
		let forced = match forced {
			None => {
				ensure!(dropped.is_empty(), Error::<T>::SetChangeNotLast);
				None
			}
			Some((signal, median, delay, next)) => {
				ensure!(dropped.iter().all(|n| *n > median), Error::<T>::SetChangeNotLast);
				ensure!(end.1 >= signal.saturating_add(delay), Error::<T>::ForcedChangeNotEnacted);
				finality::check_forced_set(&voters.voters, &next).map_err(|e| match e {
					ForcedSetError::NotPartOfTheSet => Error::<T>::ForcedSetNotPartOfTheSet,
					ForcedSetError::TooWeak => Error::<T>::ForcedSetTooWeak,
				})?;
				let from = signal.saturating_add(delay).saturating_add(1);
				Some((
					Self::voter_set(voters.set_id.saturating_add(1), next, from)?,
					signal,
					median,
				))
			}
		};
		let deciding = forced.as_ref().map_or(&voters, |(set, ..)| set);
		// Whose the deciding set's keys are, and who the forced change left out.
		let (accounts, sidelined) = match &forced {
			None => (VoterAccounts::<T>::get(id), Sidelined::<T>::get(id)),
			Some((set, ..)) => Self::sideline(id, &voters, set),
		};

		// A standard change in the last header: to the voters of a committee the members
		// elected and the parent confirmed (the outgoing voters alone cannot choose their
		// successors; the earliest such election: a later one with the same keys may follow
		// it), or back to voters a forced change left out, after the deciding set's own.
		let change = match standard {
			None => None,
			Some((number, next)) => {
				let set = Self::voter_set(deciding.set_id.saturating_add(1), next, number + 1)?;
				let kind = match Unenacted::<T>::get(id)
					.iter()
					.position(|elected| elected.is(&set.voters))
				{
					Some(elected) => NextSet::Elected(elected),
					None => Self::returning(deciding, &set, &sidelined)
						.map(NextSet::Returning)
						.or_else(|| Self::without(deciding, &set).map(NextSet::Without))
						.ok_or(Error::<T>::UnelectedVoterSet)?,
				};
				Some((set, kind))
			}
		};

		// The last header is final by the deciding voters' own votes.
		let (size, _, signers) = Self::check_justification(deciding, justification, end)?;

		for (header, root) in &headers {
			Self::record_anchor(id, header, *root);
		}
		if let Some((set, signal, median)) = forced {
			Self::store_accounts(id, accounts.clone());
			Sidelined::<T>::insert(id, sidelined.clone());
			Self::deposit_event(Event::VoterSetForced {
				subchain: id,
				set_id: set.set_id,
				signal,
				median,
				voters: set.voters.len() as u32,
				sidelined: sidelined.len() as u32,
			});
			Self::follow_voters(id, set);
		}
		// Before a standard change of voters: the signers are the deciding set's.
		let deciding = Voters::<T>::get(id).ok_or(Error::<T>::Gap)?;
		Self::note_biller_vote(id, &deciding, &signers);
		match change {
			None => {}
			Some((next, NextSet::Elected(elected))) => {
				// That election is enacted; the ones confirmed before it never will be, and
				// nobody is left out any more.
				let enacted = Unenacted::<T>::mutate(id, |waiting| {
					let enacted = waiting.remove(elected);
					for _ in 0..elected {
						waiting.remove(0);
					}
					enacted
				});
				VoterAccounts::<T>::insert(id, enacted.committee);
				Sidelined::<T>::remove(id);
				Self::follow_voters(id, next);
			}
			Some((next, NextSet::Returning(returning))) => {
				let left = sidelined.into_inner();
				let back: Vec<_> = returning.iter().map(|i| left[*i].clone()).collect();
				let left: Vec<_> = left
					.into_iter()
					.enumerate()
					.filter_map(|(i, voter)| (!returning.contains(&i)).then_some(voter))
					.collect();
				// Whose the keys are, if known of every one.
				let mut accounts = accounts.into_inner();
				let known = !accounts.is_empty() && back.iter().all(|(.., who)| who.is_some());
				accounts.extend(back.into_iter().filter_map(|(.., who)| who));
				let accounts = if known {
					accounts.try_into().unwrap_or_default()
				} else {
					Default::default()
				};
				Self::store_accounts(id, accounts);
				Sidelined::<T>::insert(id, BoundedVec::truncate_from(left));
				Self::follow_voters(id, next);
			}
			Some((next, NextSet::Without(left))) => {
				// Whose the remaining keys are, if the parent knew whose all of them were.
				let mut accounts = accounts.into_inner();
				let account = if accounts.len() == deciding.voters.len() {
					Some(accounts.remove(left))
				} else {
					accounts.clear();
					None
				};
				Self::store_accounts(id, BoundedVec::truncate_from(accounts));
				Sidelined::<T>::remove(id);
				if let Some((voter, _)) = deciding.voters.get(left) {
					Self::deposit_event(Event::VoterTakenOut {
						subchain: id,
						set_id: next.set_id,
						voter: voter.clone(),
						account,
					});
				}
				Self::follow_voters(id, next);
			}
		}
		Ok(size)
	}

	/// The position in `deciding` of the voter `next` leaves out, if that is what `next` is:
	/// `deciding` without one of its voters, the others in their order with their weights.
	fn without(deciding: &GrandpaVoters, next: &GrandpaVoters) -> Option<usize> {
		let (all, kept) = (&deciding.voters[..], &next.voters[..]);
		if kept.is_empty() || kept.len() + 1 != all.len() {
			return None;
		}
		let left = all.iter().zip(kept).position(|(a, b)| a != b).unwrap_or(kept.len());
		(all[..left] == kept[..left] && all[left + 1..] == kept[left..]).then_some(left)
	}

	/// Whose the keys of `forced` (a part of `voters`) are, in its order, and the voters of
	/// sub-chain `id` left out so far (those left out before, then those of `voters` that
	/// `forced` leaves out), with their weights and accounts where known.
	fn sideline(
		id: SubchainId,
		voters: &GrandpaVoters,
		forced: &GrandpaVoters,
	) -> (Committee<T::AccountId>, SidelinedOf<T>) {
		let accounts = VoterAccounts::<T>::get(id);
		let account = |key: &finality::AuthorityId| {
			voters.voters.iter().position(|(other, _)| other == key).and_then(|i| accounts.get(i))
		};
		let kept: Vec<_> =
			forced.voters.iter().filter_map(|(key, _)| account(key).cloned()).collect();
		let kept = if kept.len() == forced.voters.len() { kept } else { Vec::new() };
		let mut sidelined = Sidelined::<T>::get(id).into_inner();
		for (key, weight) in voters.voters.iter() {
			if !forced.voters.iter().any(|(other, _)| other == key) {
				sidelined.push((key.clone(), *weight, account(key).cloned()));
			}
		}
		(kept.try_into().unwrap_or_default(), BoundedVec::truncate_from(sidelined))
	}

	/// The positions in `sidelined` of the voters `next` takes back after all of `deciding`,
	/// in `next`'s order, if that is what `next` is: `deciding`'s voters in their order, then
	/// one or more left-out voters with their weights.
	fn returning(
		deciding: &GrandpaVoters,
		next: &GrandpaVoters,
		sidelined: &SidelinedOf<T>,
	) -> Option<Vec<usize>> {
		let n = deciding.voters.len();
		if next.voters.len() <= n || next.voters[..n] != deciding.voters[..] {
			return None;
		}
		let mut positions = Vec::new();
		for (key, weight) in &next.voters[n..] {
			let i = sidelined.iter().position(|(k, w, _)| k == key && w == weight)?;
			if positions.contains(&i) {
				return None;
			}
			positions.push(i);
		}
		Some(positions)
	}

	/// Keeps `accounts` as whose the voters of sub-chain `id` are (nothing if empty).
	fn store_accounts(id: SubchainId, accounts: Committee<T::AccountId>) {
		if accounts.is_empty() {
			VoterAccounts::<T>::remove(id);
		} else {
			VoterAccounts::<T>::insert(id, accounts);
		}
	}

	/// Makes `voters` the voter set the parent follows for sub-chain `id`.
	pub(crate) fn follow_voters(id: SubchainId, voters: GrandpaVoters) {
		Self::deposit_event(Event::VoterSetChanged {
			subchain: id,
			set_id: voters.set_id,
			from: voters.from,
			voters: voters.voters.len() as u32,
		});
		Voters::<T>::insert(id, voters);
	}

	/// Records the anchor of `header`, whose trade root is `root`, as the last of its sub-chain.
	fn record_anchor(id: SubchainId, header: &Header, root: TradeRoot) {
		let (hash, number) = (header.hash(), *header.number());
		let now = frame_system::Pallet::<T>::block_number();
		Anchors::<T>::insert(
			id,
			number,
			Anchor {
				hash,
				state_root: *header.state_root(),
				trade_root: root.root,
				trade_count: root.count,
				anchored_in: now,
			},
		);
		if let Some(old) = number.checked_sub(T::AnchorWindow::get()) {
			Anchors::<T>::remove(id, old);
		}
		LastAnchor::<T>::insert(id, AnchorHead { number, hash, anchored_in: now });
		let epoch = number / T::EpochLength::get();
		AnchorEpochs::<T>::mutate(id, epoch, |range| match range {
			Some((_, to)) => *to = now,
			None => *range = Some((now, now)),
		});
		if let Some(old) = epoch.checked_sub(T::MaxEpochs::get()) {
			AnchorEpochs::<T>::remove(id, old);
		}
		Self::deposit_event(Event::Anchored {
			subchain: id,
			number,
			hash,
			trade_root: root.root,
			trades: root.count,
		});
	}

	/// The state root of sub-chain block `number`, if it is anchored and in the recent window
	/// and the sub-chain is active: what the sub-chain's own decisions are proven against (a
	/// paused sub-chain's messages wait until it is resumed).
	pub fn anchored_state_root(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
	) -> Option<H256> {
		Subchains::<T>::get(id).filter(|info| info.status == SubchainStatus::Active)?;
		Self::recorded(id, number).map(|anchor| anchor.state_root)
	}

	/// The anchor of sub-chain `id`'s block `number`, if it is in the recent window and not
	/// above the last anchor (an anchor above it is left from a fork the record was rewound
	/// from, and waits to be replaced).
	pub fn recorded(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
	) -> Option<Anchor<BlockNumberFor<T>>> {
		LastAnchor::<T>::get(id).filter(|last| number <= last.number)?;
		Anchors::<T>::get(id, number)
	}

	/// Where sub-chain `id`'s block `number` is anchored.
	pub fn anchor_location(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
	) -> Option<AnchorLocation<BlockNumberFor<T>>> {
		if LastAnchor::<T>::get(id).is_none_or(|last| number > last.number) {
			return None;
		}
		if let Some(anchor) = Anchors::<T>::get(id, number) {
			// At or below the last anchor (checked above): not a rewound fork's.
			return Some(AnchorLocation::Recent(anchor));
		}
		AnchorEpochs::<T>::get(id, number / T::EpochLength::get())
			.map(|(from, to)| AnchorLocation::InParentBlocks { from, to })
	}

	/// Whether `proof` proves a trade of sub-chain `id`'s block `number` against its anchor.
	pub fn verify_trade(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
		proof: &TradeProof<T::AccountId, Balance>,
	) -> bool {
		Self::recorded(id, number).is_some_and(|anchor| {
			proof.verify(&TradeRoot { root: anchor.trade_root, count: anchor.trade_count })
		})
	}
}
