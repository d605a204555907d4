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
//! that finalizes whatever it likes cannot hand its power to keys nobody elected. What it
//! assumes is GRANDPA's: more than two thirds of each voter set are honest.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use codec::DecodeAll;
use dbm_primitives::{
	finality::{self, ChangeError},
	registry::GrandpaVoters,
	Header,
};
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
		// trade batch's root.
		let mut headers = Vec::with_capacity(blocks.len());
		let (mut parent_number, mut parent_hash) = (last.number, last.hash);
		let mut change = None;
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
			let scheduled = finality::set_change(&header).map_err(|e| match e {
				ChangeError::Undecodable => Error::<T>::UndecodableSetChange,
				ChangeError::Delayed => Error::<T>::DelayedSetChange,
				ChangeError::Unsupported => Error::<T>::UnsupportedSetChange,
			})?;
			if let Some(next) = scheduled {
				ensure!(i + 1 == blocks.len(), Error::<T>::SetChangeNotLast);
				let set = Self::voter_set(voters.set_id.saturating_add(1), next, number + 1)?;
				// Only to the voters of a committee the members elected and the parent
				// confirmed: the outgoing voters alone cannot choose their successors. The
				// earliest such election: a later one with the same keys may follow it.
				let elected = Unenacted::<T>::get(id)
					.iter()
					.position(|elected| elected.is(&set.voters))
					.ok_or(Error::<T>::UnelectedVoterSet)?;
				change = Some((set, elected));
			}
			(parent_number, parent_hash) = (number, hash);
			headers.push((header, root));
		}

		// The last header is final by the current voters' own votes.
		let (size, signers) =
			Self::check_justification(&voters, justification, (parent_hash, parent_number))?;

		for (header, root) in &headers {
			Self::record_anchor(id, header, *root);
		}
		// Before a change of voters: the signers are the current set's.
		Self::note_biller_vote(id, &voters, &signers);
		if let Some((next, elected)) = change {
			// That election is enacted; the ones confirmed before it never will be.
			let enacted = Unenacted::<T>::mutate(id, |waiting| {
				let enacted = waiting.remove(elected);
				for _ in 0..elected {
					waiting.remove(0);
				}
				enacted
			});
			VoterAccounts::<T>::insert(id, enacted.committee);
			Self::follow_voters(id, next);
		}
		Ok(size)
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
