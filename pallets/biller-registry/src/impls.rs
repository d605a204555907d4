//! The registry's logic: the calls, the hook, genesis and the runtime API reuse these helpers.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use codec::DecodeAll;
use dbm_primitives::{dbsca::ElectionStatement, Header};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{Header as _, Saturating, Verify, Zero};

impl<T: Config> Pallet<T> {
	/// Checks and bounds a list of operators.
	pub(crate) fn check_operators(
		operators: &[T::AccountId],
	) -> Result<BoundedVec<T::AccountId, T::MaxOperators>, Error<T>> {
		for (i, who) in operators.iter().enumerate() {
			ensure!(!operators[..i].contains(who), Error::<T>::DuplicateOperator);
		}
		BoundedVec::try_from(operators.to_vec()).map_err(|_| Error::<T>::TooManyOperators)
	}

	/// The public keys in `keys`, as [`KeyOwner`] indexes them.
	pub(crate) fn key_ids(keys: &T::AuthorityKeys) -> Vec<KeyId> {
		use sp_runtime::traits::OpaqueKeys;
		T::AuthorityKeys::key_ids()
			.iter()
			.map(|id| {
				(
					id.0,
					<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(
						keys.get_raw(*id),
					)
					.0,
				)
			})
			.collect()
	}

	/// Records `who`'s parent keys, replacing earlier ones.
	pub(crate) fn do_set_parent_keys(
		who: &T::AccountId,
		keys: T::AuthorityKeys,
	) -> Result<(), Error<T>> {
		let new = Self::key_ids(&keys);
		for id in &new {
			if let Some(owner) = KeyOwner::<T>::get(id) {
				ensure!(&owner == who, Error::<T>::KeysInUse);
			}
		}
		if let Some(old) = ParentKeys::<T>::get(who) {
			for id in Self::key_ids(&old) {
				KeyOwner::<T>::remove(id);
			}
		}
		for id in new {
			KeyOwner::<T>::insert(id, who);
		}
		ParentKeys::<T>::insert(who, keys);
		Ok(())
	}

	/// Bounds a list of boot nodes.
	pub(crate) fn boot_nodes(boot_nodes: Vec<Vec<u8>>) -> Result<BootNodes, Error<T>> {
		let bounded = boot_nodes
			.into_iter()
			.map(|node| BootNode::try_from(node).map_err(|_| Error::<T>::BootNodeTooLong))
			.collect::<Result<Vec<_>, _>>()?;
		BootNodes::try_from(bounded).map_err(|_| Error::<T>::TooManyBootNodes)
	}

	/// Registers a sub-chain, active.
	pub fn do_register(
		id: SubchainId,
		name: Vec<u8>,
		location: Vec<u8>,
		genesis_hash: H256,
		chain_spec_hash: H256,
		boot_nodes: Vec<Vec<u8>>,
	) -> DispatchResult {
		ensure!(id.0 != 0, Error::<T>::InvalidSubchainId);
		ensure!(!Subchains::<T>::contains_key(id), Error::<T>::AlreadyRegistered);
		ensure!(Subchains::<T>::count() < T::MaxSubchains::get(), Error::<T>::TooManySubchains);
		let name = Name::try_from(name).map_err(|_| Error::<T>::NameTooLong)?;
		let location = Location::try_from(location).map_err(|_| Error::<T>::LocationTooLong)?;
		let boot_nodes = Self::boot_nodes(boot_nodes)?;
		Subchains::<T>::insert(
			id,
			SubchainInfo {
				name,
				location,
				genesis_hash,
				chain_spec_hash,
				boot_nodes,
				status: SubchainStatus::Active,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::SubchainRegistered { subchain: id, genesis_hash });
		Ok(())
	}

	/// Adds `who` to sub-chain `id`.
	pub fn do_add_member(id: SubchainId, who: &T::AccountId, info: MemberInfo) -> DispatchResult {
		ensure!(Subchains::<T>::contains_key(id), Error::<T>::UnknownSubchain);
		ensure!(!MemberOf::<T>::contains_key(who), Error::<T>::AlreadyMember);
		let (all, active) = MemberCount::<T>::get(id);
		ensure!(all < T::MaxMembers::get(), Error::<T>::TooManyMembers);
		Members::<T>::insert(id, who, info);
		MemberOf::<T>::insert(who, id);
		Self::authorities_may_have_changed();
		MemberCount::<T>::insert(id, (all + 1, active + u32::from(info.is_active())));
		Ok(())
	}

	/// Replaces member `who`'s record; returns its sub-chain.
	pub fn do_update_member(who: &T::AccountId, info: MemberInfo) -> Result<SubchainId, Error<T>> {
		let id = MemberOf::<T>::get(who).ok_or(Error::<T>::NotMember)?;
		let old = Members::<T>::get(id, who).ok_or(Error::<T>::NotMember)?;
		Members::<T>::insert(id, who, info);
		Self::authorities_may_have_changed();
		MemberCount::<T>::mutate(id, |(_, active)| {
			*active = active
				.saturating_sub(u32::from(old.is_active()))
				.saturating_add(u32::from(info.is_active()));
		});
		Ok(id)
	}

	/// Removes member `who`; returns its sub-chain.
	pub fn do_remove_member(who: &T::AccountId) -> Result<SubchainId, Error<T>> {
		let id = MemberOf::<T>::take(who).ok_or(Error::<T>::NotMember)?;
		let old = Members::<T>::take(id, who).ok_or(Error::<T>::NotMember)?;
		Self::authorities_may_have_changed();
		// A former member has no use for parent keys, unless it is an operator.
		if !Operators::<T>::get().contains(who) {
			if let Some(keys) = ParentKeys::<T>::take(who) {
				for key in Self::key_ids(&keys) {
					KeyOwner::<T>::remove(key);
				}
			}
		}
		MemberCount::<T>::mutate(id, |(all, active)| {
			*all = all.saturating_sub(1);
			*active = active.saturating_sub(u32::from(old.is_active()));
		});
		Ok(id)
	}

	/// `who` as an active member of sub-chain `id`.
	pub(crate) fn is_active_member(id: SubchainId, who: &T::AccountId) -> bool {
		Members::<T>::get(id, who).is_some_and(|m| m.is_active())
	}

	/// Checks a committee: not empty, at most `MAX_COMMITTEE`, distinct active members.
	pub(crate) fn check_committee(
		id: SubchainId,
		committee: Vec<T::AccountId>,
	) -> Result<Committee<T::AccountId>, Error<T>> {
		ensure!(!committee.is_empty(), Error::<T>::EmptyCommittee);
		let committee = Committee::<T::AccountId>::try_from(committee)
			.map_err(|_| Error::<T>::CommitteeTooLarge)?;
		for (i, who) in committee.iter().enumerate() {
			ensure!(
				Self::is_active_member(id, who) && !committee[..i].contains(who),
				Error::<T>::InvalidCommittee
			);
		}
		Ok(committee)
	}

	/// The confirmations an election of sub-chain `id` needs: `Quorum` of its active members,
	/// rounded up, at least one.
	pub fn quorum(id: SubchainId) -> u32 {
		T::Quorum::get().mul_ceil(MemberCount::<T>::get(id).1).max(1)
	}

	/// Verifies an election proof of sub-chain `id` and confirms the election.
	pub fn do_confirm_election(
		id: SubchainId,
		round: u32,
		committee: Vec<T::AccountId>,
		confirmations: Vec<(T::AccountId, T::Signature)>,
	) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		if let Some(confirmed) = Elections::<T>::get(id) {
			ensure!(round > confirmed.round, Error::<T>::StaleRound);
		}
		let committee = Self::check_committee(id, committee)?;
		ensure!(
			confirmations.len() <= T::MaxMembers::get() as usize,
			Error::<T>::TooManyConfirmations
		);
		let payload = ElectionStatement::new(id, round, committee.to_vec()).signing_payload();
		for (i, (who, signature)) in confirmations.iter().enumerate() {
			ensure!(Self::is_active_member(id, who), Error::<T>::ConfirmationByNonMember);
			ensure!(
				!confirmations[..i].iter().any(|(other, _)| other == who),
				Error::<T>::DuplicateConfirmation
			);
			ensure!(signature.verify(&payload[..], who), Error::<T>::BadSignature);
		}
		ensure!(confirmations.len() as u32 >= Self::quorum(id), Error::<T>::TooFewConfirmations);

		Elections::<T>::insert(
			id,
			ConfirmedElection {
				round,
				committee: committee.clone(),
				confirmed_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Reelections::<T>::remove(id);
		Self::authorities_may_have_changed();
		Self::deposit_event(Event::ElectionConfirmed {
			subchain: id,
			round,
			committee: committee.into_inner(),
		});
		Ok(())
	}

	/// Records a re-election request for sub-chain `id`.
	pub(crate) fn ask_reelection(
		id: SubchainId,
		reason: ReelectionReason,
		excluded: Option<T::AccountId>,
	) {
		Reelections::<T>::insert(
			id,
			Reelection {
				reason,
				excluded: excluded.clone(),
				requested_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ReelectionRequested { subchain: id, reason, excluded });
	}

	/// Asks a re-election of every active sub-chain whose term ended or whose anchors stopped,
	/// unless one is pending. Returns how many sub-chains it looked at.
	pub(crate) fn watch_subchains(now: BlockNumberFor<T>) -> u32 {
		let (term, silence) = (T::TermLength::get(), T::MaxAnchorSilence::get());
		if term.is_zero() && silence.is_zero() {
			return 0;
		}
		let mut checked = 0;
		for (id, info) in Subchains::<T>::iter() {
			checked += 1;
			if info.status != SubchainStatus::Active || Reelections::<T>::contains_key(id) {
				continue;
			}
			let election = Elections::<T>::get(id);
			let biller = election.as_ref().and_then(|e| e.committee.first().cloned());
			// Silence counts from the last anchor, or from the committee's confirmation if that
			// is later: a new committee gets the whole grace to start anchoring.
			let last_anchor = LastAnchor::<T>::get(id).map(|last| last.anchored_in);
			let since = match (last_anchor, election.as_ref().map(|e| e.confirmed_at)) {
				(Some(anchored), Some(confirmed)) => Some(anchored.max(confirmed)),
				(anchored, _) => anchored,
			};
			let silent = !silence.is_zero()
				&& since.is_some_and(|since| now.saturating_sub(since) >= silence);
			let term_over = !term.is_zero()
				&& election.as_ref().is_some_and(|e| now.saturating_sub(e.confirmed_at) >= term);
			if silent {
				Self::ask_reelection(id, ReelectionReason::Silence, biller);
			} else if term_over {
				Self::ask_reelection(id, ReelectionReason::TermEnd, None);
			}
		}
		checked
	}

	/// Verifies and records the anchor of a sub-chain block.
	pub fn do_anchor(
		id: SubchainId,
		encoded: &[u8],
		authorities: dbm_primitives::proof::RawProof,
		trades: &[TradeRecordOf<T>],
	) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		ensure!(encoded.len() <= T::MaxHeaderLen::get() as usize, Error::<T>::HeaderTooLong);
		ensure!(trades.len() <= T::MaxTradesPerAnchor::get() as usize, Error::<T>::TooManyTrades);
		ensure!(
			authorities.len() <= T::MaxProofNodes::get() as usize
				&& dbm_primitives::proof::proof_size(&authorities) <= T::MaxProofSize::get(),
			Error::<T>::ProofTooLarge
		);
		let header = Header::decode_all(&mut &encoded[..]).map_err(|_| Error::<T>::BadHeader)?;
		let hash = header.hash();
		let number = *header.number();

		let root = match LastAnchor::<T>::get(id) {
			Some(last) if number <= last.number => {
				return Err(match Anchors::<T>::get(id, number) {
					Some(anchor) if anchor.hash != hash => Error::<T>::ConflictingHeader,
					_ => Error::<T>::AlreadyAnchored,
				}
				.into());
			}
			Some(last) => {
				ensure!(number == last.number.saturating_add(1), Error::<T>::Gap);
				ensure!(*header.parent_hash() == last.hash, Error::<T>::ParentMismatch);
				let parent_state = Anchors::<T>::get(id, last.number)
					.ok_or(Error::<T>::ParentMismatch)?
					.state_root;
				Self::check_seal(&header, parent_state, authorities)?;
				TradeRoot::find(header.digest()).ok_or(Error::<T>::NoTradeRoot)?
			}
			None => {
				ensure!(number == 0, Error::<T>::Gap);
				ensure!(hash == info.genesis_hash, Error::<T>::NotGenesis);
				ensure!(authorities.is_empty(), Error::<T>::NoProofForGenesis);
				// The genesis block holds no trades (and its header no trade root).
				TradeRoot::of::<TradeRecordOf<T>>(&[])
			}
		};
		ensure!(TradeRoot::of(trades) == root, Error::<T>::TradeRootMismatch);

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
		Ok(())
	}

	/// Checks that `header` is sealed by its slot's author among the sub-chain's Aura
	/// authorities, read from `proof` against the state root of its parent block.
	fn check_seal(
		header: &Header,
		parent_state: H256,
		proof: dbm_primitives::proof::RawProof,
	) -> DispatchResult {
		use dbm_primitives::{proof::ProofError, seal};
		let (nodes, size) = (T::MaxProofNodes::get(), T::MaxProofSize::get());
		let key = seal::aura_authorities_key();
		let authorities: Vec<sp_core::sr25519::Public> =
			dbm_primitives::proof::read(parent_state, proof, &key, nodes, size)
				.map_err(|e| match e {
					ProofError::TooLarge => Error::<T>::ProofTooLarge,
					ProofError::Invalid => Error::<T>::InvalidProof,
					ProofError::Undecodable => Error::<T>::NoAuthorities,
				})?
				.unwrap_or_default();
		seal::verify(header, &authorities).map_err(|e| match e {
			seal::SealError::NoSlot => Error::<T>::NoSlot,
			seal::SealError::NoSeal => Error::<T>::NoSeal,
			seal::SealError::NoAuthorities => Error::<T>::NoAuthorities,
			seal::SealError::BadSeal => Error::<T>::BadSeal,
		})?;
		Ok(())
	}

	/// The state root of sub-chain block `number`, if it is anchored and in the recent window:
	/// what the sub-chain's own decisions are proven against.
	pub fn anchored_state_root(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
	) -> Option<H256> {
		Anchors::<T>::get(id, number).map(|anchor| anchor.state_root)
	}

	/// Every registered sub-chain, by id.
	pub fn subchains() -> Vec<(SubchainId, SubchainInfo<BlockNumberFor<T>>)> {
		let mut all: Vec<_> = Subchains::<T>::iter().collect();
		all.sort_by_key(|(id, _)| *id);
		all
	}

	/// The members of sub-chain `id`.
	pub fn members(id: SubchainId) -> Vec<(T::AccountId, MemberInfo)> {
		Members::<T>::iter_prefix(id).collect()
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
		Anchors::<T>::get(id, number).is_some_and(|anchor| {
			proof.verify(&TradeRoot { root: anchor.trade_root, count: anchor.trade_count })
		})
	}

	/// The registry's invariants:
	///
	/// * at most `MaxSubchains` sub-chains, none with id 0;
	/// * every member belongs to a registered sub-chain and `MemberOf` says which;
	///   `MemberCount` counts them (all, active), at most `MaxMembers`;
	/// * every confirmed committee is non-empty and of a registered sub-chain; every
	///   re-election request is of one;
	/// * the last anchor is in the window, and the window holds no anchor above it or more than
	///   `AnchorWindow` below it;
	/// * the disputes' (see `disputes_try_state`).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(Subchains::<T>::count() <= T::MaxSubchains::get(), "too many sub-chains");
		for (id, _) in Subchains::<T>::iter() {
			ensure!(id.0 != 0, "a sub-chain has id 0");
			let (mut all, mut active) = (0u32, 0u32);
			for (who, info) in Members::<T>::iter_prefix(id) {
				ensure!(MemberOf::<T>::get(&who) == Some(id), "MemberOf disagrees with Members");
				all += 1;
				active += u32::from(info.is_active());
			}
			ensure!(MemberCount::<T>::get(id) == (all, active), "MemberCount is off");
			ensure!(all <= T::MaxMembers::get(), "too many members");
			if let Some(last) = LastAnchor::<T>::get(id) {
				ensure!(
					Anchors::<T>::get(id, last.number).is_some_and(|a| a.hash == last.hash),
					"the last anchor is not in the window"
				);
				for (number, _) in Anchors::<T>::iter_prefix(id) {
					ensure!(
						number <= last.number && last.number - number < T::AnchorWindow::get(),
						"an anchor outside the window"
					);
				}
			} else {
				ensure!(Anchors::<T>::iter_prefix(id).next().is_none(), "anchors without a head");
			}
		}
		for (who, id) in MemberOf::<T>::iter() {
			ensure!(Members::<T>::contains_key(id, &who), "MemberOf points at no member");
		}
		for (id, election) in Elections::<T>::iter() {
			ensure!(Subchains::<T>::contains_key(id), "an election of an unknown sub-chain");
			ensure!(!election.committee.is_empty(), "an empty committee");
		}
		for id in Reelections::<T>::iter_keys() {
			ensure!(Subchains::<T>::contains_key(id), "a re-election of an unknown sub-chain");
		}
		Self::disputes_try_state()?;
		let mut owned = 0usize;
		for (who, keys) in ParentKeys::<T>::iter() {
			let ids = Self::key_ids(&keys);
			owned += ids.len();
			for id in ids {
				ensure!(KeyOwner::<T>::get(id) == Some(who.clone()), "KeyOwner disagrees");
			}
		}
		ensure!(KeyOwner::<T>::iter().count() == owned, "KeyOwner has keys nobody holds");
		let operators = Operators::<T>::get();
		Self::check_operators(&operators).map_err(|_| "operators listed twice")?;
		let authorities = Authorities::<T>::get();
		for (i, who) in authorities.iter().enumerate() {
			ensure!(!authorities[..i].contains(who), "an authority listed twice");
		}
		Ok(())
	}
}

impl<T: Config> MemberRegistry<T::AccountId> for Pallet<T> {
	fn member(who: &T::AccountId) -> Option<MemberInfo> {
		MemberOf::<T>::get(who).and_then(|id| Members::<T>::get(id, who))
	}

	fn active_members() -> u32 {
		MemberCount::<T>::iter_values().map(|(_, active)| active).sum()
	}
}
