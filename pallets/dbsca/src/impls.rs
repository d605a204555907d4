//! The pallet's logic: calls, hooks and the runtime API share these helpers.

use crate::{pallet::*, types::*, *};
use alloc::vec::Vec;
use dbm_primitives::dbsca::rank;
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{OpaqueKeys, Saturating, Verify, Zero},
	Permill,
};

impl<T: Config> Pallet<T> {
	// ---- candidates -------------------------------------------------------------------

	/// Checks a declaration against the member's record; returns the location, bounded.
	fn check_declaration(
		info: &MemberInfo,
		attributes: &NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<BoundedVec<u8, T::MaxLocationLen>, DispatchError> {
		ensure!(info.role.supplies(), Error::<T>::NotASupplier);
		ensure!(attributes.within(&info.attested), Error::<T>::AttributesNotAttested);
		ensure!(capacity_w > 0, Error::<T>::ZeroCapacity);
		Ok(location.try_into().map_err(|_| Error::<T>::LocationTooLong)?)
	}

	/// Checks `who`'s declaration against its member record, stores it as its candidacy from
	/// this block on, and returns its score.
	fn store_declaration(
		who: &T::AccountId,
		info: &MemberInfo,
		attributes: NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<Permill, DispatchError> {
		let location = Self::check_declaration(info, &attributes, capacity_w, location)?;
		let since = frame_system::Pallet::<T>::block_number();
		Candidates::<T>::insert(who, Candidate { attributes, capacity_w, location, since });
		Ok(Weights::<T>::get().score(&attributes.capped_by(&info.attested)))
	}

	pub(crate) fn do_nominate(
		who: &T::AccountId,
		attributes: NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<Permill, DispatchError> {
		let info = T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		ensure!(!Candidates::<T>::contains_key(who), Error::<T>::AlreadyCandidate);
		ensure!(Candidates::<T>::count() < T::MaxCandidates::get(), Error::<T>::TooManyCandidates);
		Self::store_declaration(who, &info, attributes, capacity_w, location)
	}

	pub(crate) fn do_update_candidacy(
		who: &T::AccountId,
		attributes: NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<Permill, DispatchError> {
		ensure!(Candidates::<T>::contains_key(who), Error::<T>::NotCandidate);
		let info = T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		ensure!(!Self::in_election(who), Error::<T>::InElection);
		Self::store_declaration(who, &info, attributes, capacity_w, location)
	}

	pub(crate) fn do_withdraw(who: &T::AccountId) -> DispatchResult {
		ensure!(Candidates::<T>::contains_key(who), Error::<T>::NotCandidate);
		ensure!(!Self::in_election(who), Error::<T>::InElection);
		Candidates::<T>::remove(who);
		Ok(())
	}

	pub(crate) fn do_prune(who: &T::AccountId) -> DispatchResult {
		ensure!(T::Members::member(who).is_none(), Error::<T>::StillMember);
		let candidate = Candidates::<T>::contains_key(who);
		let keys = Keys::<T>::contains_key(who);
		ensure!(candidate || keys, Error::<T>::NotCandidate);
		ensure!(!Self::in_election(who), Error::<T>::InElection);
		ensure!(!Self::keys_in_use(who), Error::<T>::KeysInUse);
		Candidates::<T>::remove(who);
		Self::remove_keys(who);
		Ok(())
	}

	/// Whether `who` is in the open round's committee or the election awaiting enactment.
	pub(crate) fn in_election(who: &T::AccountId) -> bool {
		CurrentRound::<T>::get().is_some_and(|r| r.committee.iter().any(|(a, _)| a == who))
			|| PendingElection::<T>::get().is_some_and(|e| e.committee.contains(who))
	}

	/// Whether consensus uses, or is about to use, `who`'s keys.
	fn keys_in_use(who: &T::AccountId) -> bool {
		Committee::<T>::get().contains(who) || Self::in_election(who)
	}

	// ---- keys -------------------------------------------------------------------------

	fn raw_keys(keys: &T::Keys) -> Result<Vec<KeyOf>, DispatchError> {
		T::Keys::key_ids()
			.iter()
			.map(|id| {
				let raw: RawKey =
					keys.get_raw(*id).to_vec().try_into().map_err(|_| Error::<T>::KeyTooLong)?;
				Ok((id.0, raw))
			})
			.collect()
	}

	pub(crate) fn do_set_keys(who: &T::AccountId, keys: T::Keys, proof: &[u8]) -> DispatchResult {
		T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		ensure!(
			who.using_encoded(|owner| keys.ownership_proof_is_valid(owner, proof)),
			Error::<T>::InvalidProof
		);
		let raw = Self::raw_keys(&keys)?;
		for key in &raw {
			if let Some(owner) = KeyOwner::<T>::get(key) {
				ensure!(&owner == who, Error::<T>::DuplicatedKey);
			}
		}
		Self::remove_keys(who);
		for key in raw {
			KeyOwner::<T>::insert(key, who);
		}
		Keys::<T>::insert(who, keys);
		Ok(())
	}

	pub(crate) fn do_purge_keys(who: &T::AccountId) -> DispatchResult {
		ensure!(Keys::<T>::contains_key(who), Error::<T>::NoKeys);
		ensure!(!Self::keys_in_use(who), Error::<T>::KeysInUse);
		Self::remove_keys(who);
		Ok(())
	}

	fn remove_keys(who: &T::AccountId) {
		if let Some(old) = Keys::<T>::take(who) {
			for id in T::Keys::key_ids() {
				if let Ok(raw) = RawKey::try_from(old.get_raw(*id).to_vec()) {
					KeyOwner::<T>::remove((id.0, raw));
				}
			}
		}
	}

	// ---- ranking and rounds -------------------------------------------------------------

	pub(crate) fn ensure_committee_size(size: u32) -> DispatchResult {
		ensure!(size >= 1 && size <= T::MaxCommittee::get(), Error::<T>::InvalidCommitteeSize);
		Ok(())
	}

	/// Every candidate with its effective attributes, score and electability, best first.
	pub fn ranking() -> Vec<RankedCandidate<T::AccountId>> {
		Self::ranking_excluding(None)
	}

	fn ranking_excluding(excluded: Option<&T::AccountId>) -> Vec<RankedCandidate<T::AccountId>> {
		let weights = Weights::<T>::get();
		let mut all: Vec<RankedCandidate<T::AccountId>> = Candidates::<T>::iter()
			.map(|(account, candidate)| {
				let member = T::Members::member(&account);
				let attested = member.map(|m| m.attested).unwrap_or_default();
				let attributes = candidate.attributes.capped_by(&attested);
				let electable = member.is_some_and(|m| m.is_active() && m.role.supplies())
					&& Keys::<T>::contains_key(&account)
					&& excluded != Some(&account);
				RankedCandidate {
					score: weights.score(&attributes),
					account,
					attributes,
					electable,
				}
			})
			.collect();
		let order = rank(&all.iter().map(|c| (c.account.clone(), c.score)).collect::<Vec<_>>());
		all.sort_by_key(|c| order.iter().position(|(a, _)| a == &c.account));
		all
	}

	/// Opens a round for `trigger`: ranks the electable candidates and fixes the committee.
	pub(crate) fn open_round(trigger: Trigger<T::AccountId>) -> DispatchResult {
		let size = CommitteeSize::<T>::get().max(1) as usize;
		let committee: BoundedVec<(T::AccountId, Permill), T::MaxCommittee> =
			Self::ranking_excluding(trigger.excluded())
				.into_iter()
				.filter(|c| c.electable)
				.take(size.min(T::MaxCommittee::get() as usize))
				.map(|c| (c.account, c.score))
				.collect::<Vec<_>>()
				.try_into()
				.map_err(|_| Error::<T>::InvalidCommitteeSize)?;
		ensure!(!committee.is_empty(), Error::<T>::NoElectableCandidates);
		let index = RoundIndex::<T>::get().saturating_add(1);
		let needed = T::Quorum::get().mul_ceil(T::Members::active_members()).max(1);
		let accounts = committee.iter().map(|(a, _)| a.clone()).collect();
		RoundIndex::<T>::put(index);
		Confirmations::<T>::kill();
		CurrentRound::<T>::put(Round {
			index,
			opened_at: frame_system::Pallet::<T>::block_number(),
			trigger: trigger.clone(),
			committee,
			needed,
		});
		Self::deposit_event(Event::RoundOpened {
			round: index,
			trigger,
			committee: accounts,
			needed,
		});
		Ok(())
	}

	/// The statement members sign to confirm `round`.
	pub fn statement(round: &RoundOf<T>) -> ElectionStatement<T::AccountId> {
		ElectionStatement::new(
			T::SubchainId::get(),
			round.index,
			round.committee.iter().map(|(a, _)| a.clone()).collect(),
		)
	}

	/// Records a confirmation; closes the round at the quorum. Returns the confirmations the
	/// round had before this one (what the weight depends on).
	pub(crate) fn do_confirm(
		who: &T::AccountId,
		index: u32,
		candidate: &T::AccountId,
		signature: T::Signature,
	) -> Result<u32, DispatchError> {
		let round = CurrentRound::<T>::get().ok_or(Error::<T>::NoOpenRound)?;
		ensure!(round.index == index, Error::<T>::WrongRound);
		T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		let biller = &round.committee.first().ok_or(Error::<T>::NoOpenRound)?.0;
		ensure!(biller == candidate, Error::<T>::NotTheHighestScore);
		let mut confirmations = Confirmations::<T>::get();
		let before = confirmations.len() as u32;
		ensure!(confirmations.iter().all(|(a, _)| a != who), Error::<T>::AlreadyConfirmed);
		let payload = Self::statement(&round).signing_payload();
		ensure!(signature.verify(&payload[..], who), Error::<T>::BadSignature);
		confirmations
			.try_push((who.clone(), signature))
			.map_err(|_| Error::<T>::AlreadyConfirmed)?;
		let count = confirmations.len() as u32;
		Self::deposit_event(Event::Confirmed {
			round: index,
			who: who.clone(),
			confirmations: count,
		});
		if count >= round.needed {
			let committee: BoundedVec<T::AccountId, T::MaxCommittee> = round
				.committee
				.iter()
				.map(|(a, _)| a.clone())
				.collect::<Vec<_>>()
				.try_into()
				.map_err(|_| Error::<T>::InvalidCommitteeSize)?;
			CurrentRound::<T>::kill();
			Confirmations::<T>::kill();
			PendingElection::<T>::put(Election {
				round: index,
				elected_at: frame_system::Pallet::<T>::block_number(),
				committee: committee.clone(),
				confirmations,
				needed: round.needed,
			});
			Self::deposit_event(Event::Elected { round: index, committee: committee.into_inner() });
		} else {
			Confirmations::<T>::put(confirmations);
		}
		Ok(before)
	}

	/// The authoring order of a committee of `size`: each member once, the biller
	/// `BillerAuraSlots` times, spread through the rotation.
	pub fn authoring_order(size: u32) -> Vec<u32> {
		let mut extra = T::BillerAuraSlots::get().max(1) - 1;
		let mut order = alloc::vec![0];
		for i in 1..size {
			order.push(i);
			if extra > 0 {
				order.push(0);
				extra -= 1;
			}
		}
		// A biller alone holds all the slots anyway.
		order
	}

	/// Enacts the pending election of `round` if its committee is `committee`: the election
	/// the parent confirmed, as the parent recorded it. Errors: `NoPendingElection`,
	/// `WrongRound`, `CommitteeMismatch`, and `enact`'s. Returns the committee's size.
	pub fn enact_confirmed(round: u32, committee: &[T::AccountId]) -> Result<u32, DispatchError> {
		let election = PendingElection::<T>::get().ok_or(Error::<T>::NoPendingElection)?;
		ensure!(election.round == round, Error::<T>::WrongRound);
		ensure!(election.committee.as_slice() == committee, Error::<T>::CommitteeMismatch);
		Self::do_enact(round)
	}

	/// Puts the pending election of `index` in force; returns the committee's size.
	pub(crate) fn do_enact(index: u32) -> Result<u32, DispatchError> {
		let election = PendingElection::<T>::get().ok_or(Error::<T>::NoPendingElection)?;
		ensure!(election.round == index, Error::<T>::WrongRound);
		let members = election
			.committee
			.iter()
			.map(|a| Keys::<T>::get(a).map(|k| (a.clone(), k)).ok_or(Error::<T>::NoKeys))
			.collect::<Result<Vec<_>, _>>()?;
		let size = members.len() as u32;
		let order: BoundedVec<u32, ConstU32<64>> = Self::authoring_order(size)
			.try_into()
			.map_err(|_| Error::<T>::AuthoringOrderTooLong)?;
		T::CommitteeHandler::apply(&members, &order)?;
		Committee::<T>::put(election.committee.clone());
		AuthoringOrder::<T>::put(order);
		TermStart::<T>::put(frame_system::Pallet::<T>::block_number());
		BillerLastSlot::<T>::kill();
		PendingElection::<T>::kill();
		let committee = election.committee.clone().into_inner();
		LastElection::<T>::put(election);
		Self::deposit_event(Event::CommitteeEnacted { round: index, committee });
		Ok(size)
	}

	// ---- hooks ------------------------------------------------------------------------

	/// Per block: notes the biller's slots and opens a round at the term's end or when the
	/// biller is silent.
	pub(crate) fn on_block(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::WeightInfo::on_initialize_idle();
		let committee = Committee::<T>::get();
		let Some(biller) = committee.first() else { return weight };
		let last = BillerLastSlot::<T>::get();
		let mut silent = false;
		if let Some((slot, position)) = T::SlotAuthor::current() {
			let order = AuthoringOrder::<T>::get();
			let author = order.get(position as usize).copied();
			if author == Some(0) || last.is_none() {
				// Counting starts at the first block the committee is seen in.
				BillerLastSlot::<T>::put(slot);
			} else if let Some(last) = last {
				let max = T::MaxSilentSlots::get();
				silent = max > 0 && slot.saturating_sub(last) > max;
			}
		}
		if CurrentRound::<T>::exists() || PendingElection::<T>::exists() {
			return weight;
		}
		let term = T::TermLength::get();
		let trigger = if silent {
			Some(Trigger::BillerSilent { biller: biller.clone() })
		} else if !term.is_zero() && now.saturating_sub(TermStart::<T>::get()) >= term {
			Some(Trigger::TermEnd)
		} else {
			None
		};
		if let Some(trigger) = trigger {
			weight = T::WeightInfo::on_initialize_open_round(T::MaxCandidates::get());
			if Self::open_round(trigger.clone()).is_err() {
				// Nobody to elect: try again next term (or when the biller speaks again).
				TermStart::<T>::put(now);
				BillerLastSlot::<T>::kill();
				Self::deposit_event(Event::RoundNotOpened { trigger });
			}
		}
		weight
	}

	/// Checks the configuration (the runtime's `integrity_test`).
	pub(crate) fn check_config() {
		assert!(T::MaxCommittee::get() >= 1, "MaxCommittee must be at least 1");
		assert!(T::MaxCandidates::get() >= 1, "MaxCandidates must be at least 1");
		assert!(T::BillerAuraSlots::get() >= 1, "BillerAuraSlots must be at least 1");
		let longest = T::MaxCommittee::get() + T::BillerAuraSlots::get() - 1;
		assert!(
			longest <= 64 && longest <= T::CommitteeHandler::max_authorities(),
			"MaxCommittee + BillerAuraSlots - 1 exceeds the authorities the consensus allows"
		);
		assert!(!T::Quorum::get().is_zero(), "a zero Quorum would elect without confirmations");
		ScoreWeights::default().validate().expect("the default weights sum to 100%; qed");
	}

	// ---- genesis ------------------------------------------------------------------------

	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		assert!(config.weights.validate().is_ok(), "`dbsca.weights` must sum to 100%");
		Weights::<T>::put(config.weights);
		let size = config.committee_size.max(1);
		assert!(
			Self::ensure_committee_size(size).is_ok(),
			"`dbsca.committeeSize` exceeds MaxCommittee"
		);
		CommitteeSize::<T>::put(size);
		assert!(
			config.candidates.len() <= T::MaxCandidates::get() as usize,
			"`dbsca.candidates` has more than MaxCandidates entries"
		);
		for c in &config.candidates {
			assert!(
				!Candidates::<T>::contains_key(&c.account),
				"`dbsca.candidates` lists an account twice"
			);
			let info = T::Members::active_member(&c.account)
				.expect("`dbsca.candidates`: every candidate must be an active member");
			let location = Self::check_declaration(&info, &c.attributes, c.capacity_w, c.location.clone())
				.expect("`dbsca.candidates`: a candidate must supply power, declare attributes within the attested ones, a capacity above 0 and a location within MaxLocationLen");
			Candidates::<T>::insert(
				&c.account,
				Candidate {
					attributes: c.attributes,
					capacity_w: c.capacity_w,
					location,
					since: Zero::zero(),
				},
			);
		}
		for (who, keys) in &config.keys {
			assert!(!Keys::<T>::contains_key(who), "`dbsca.keys` lists an account twice");
			let raw = Self::raw_keys(keys).expect("`dbsca.keys`: a key is longer than 64 bytes");
			for key in raw {
				assert!(
					!KeyOwner::<T>::contains_key(&key),
					"`dbsca.keys`: two accounts share a key"
				);
				KeyOwner::<T>::insert(key, who);
			}
			Keys::<T>::insert(who, keys);
		}
		let committee: BoundedVec<T::AccountId, T::MaxCommittee> = config
			.committee
			.clone()
			.try_into()
			.expect("`dbsca.committee` has more than MaxCommittee members");
		for (i, who) in committee.iter().enumerate() {
			assert!(
				Candidates::<T>::contains_key(who) && Keys::<T>::contains_key(who),
				"`dbsca.committee`: every member must be a candidate with keys"
			);
			assert!(!committee[..i].contains(who), "`dbsca.committee` lists an account twice");
		}
		if !committee.is_empty() {
			let order: BoundedVec<u32, ConstU32<64>> =
				Self::authoring_order(committee.len() as u32)
					.try_into()
					.expect("`dbsca.committee` is too long for the authoring order");
			AuthoringOrder::<T>::put(order);
		}
		Committee::<T>::put(committee);
	}

	// ---- views --------------------------------------------------------------------------

	/// The open round as clients see it.
	pub fn round_status() -> Option<RoundStatus<T::AccountId, BlockNumberFor<T>>> {
		CurrentRound::<T>::get().map(|r| RoundStatus {
			index: r.index,
			opened_at: r.opened_at,
			committee: r.committee.into_inner(),
			confirmations: Confirmations::<T>::decode_len().unwrap_or(0) as u32,
			needed: r.needed,
		})
	}

	/// The bytes a member signs to confirm round `index`, if it is the open one.
	pub fn confirmation_payload(index: u32) -> Option<Vec<u8>> {
		CurrentRound::<T>::get()
			.filter(|r| r.index == index)
			.map(|r| Self::statement(&r).signing_payload())
	}

	/// The election awaiting enactment: its round and committee.
	pub fn pending_committee() -> Option<(u32, Vec<T::AccountId>)> {
		PendingElection::<T>::get().map(|e| (e.round, e.committee.into_inner()))
	}

	// ---- invariants -----------------------------------------------------------------------

	/// Invariants:
	///
	/// * the weights sum to 100% and the committee size is from 1 to `MaxCommittee`;
	/// * the candidate counter is right and within `MaxCandidates`;
	/// * keys and their owner index agree both ways;
	/// * the committee in force has no duplicate, each member has keys, and the authoring
	///   order names each position of it (and nothing else);
	/// * at most one of an open round and an election awaiting enactment exists; an open
	///   round has a committee without duplicates, fewer confirmations than it needs and no
	///   member twice among them; an election awaiting enactment or in force has at least
	///   the confirmations it needed, each member once;
	/// * no round index is above `RoundIndex`.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(Weights::<T>::get().validate().is_ok(), "the weights do not sum to 100%");
		ensure!(
			Self::ensure_committee_size(CommitteeSize::<T>::get()).is_ok(),
			"the committee size is out of range"
		);
		let count = Candidates::<T>::iter_keys().count() as u32;
		ensure!(count == Candidates::<T>::count(), "the candidate counter is off");
		ensure!(count <= T::MaxCandidates::get(), "more candidates than MaxCandidates");
		for (who, keys) in Keys::<T>::iter() {
			for key in Self::raw_keys(&keys).map_err(|_| "a stored key is too long")? {
				ensure!(
					KeyOwner::<T>::get(&key).as_ref() == Some(&who),
					"a key has no owner entry"
				);
			}
		}
		for ((id, raw), owner) in KeyOwner::<T>::iter() {
			let keys = Keys::<T>::get(&owner).ok_or("a key owner has no keys")?;
			ensure!(
				keys.get_raw(sp_runtime::KeyTypeId(id)) == &raw[..],
				"a key owner entry is stale"
			);
		}
		let committee = Committee::<T>::get();
		ensure!(Self::unique(committee.iter()), "the committee lists an account twice");
		ensure!(committee.iter().all(Keys::<T>::contains_key), "a committee member has no keys");
		let order = AuthoringOrder::<T>::get();
		ensure!(
			order.iter().all(|&i| (i as usize) < committee.len())
				&& (0..committee.len() as u32).all(|i| order.contains(&i)),
			"the authoring order does not match the committee"
		);
		let round = CurrentRound::<T>::get();
		let pending = PendingElection::<T>::get();
		ensure!(
			round.is_none() || pending.is_none(),
			"a round is open while an election is pending"
		);
		if let Some(r) = round {
			ensure!(r.index <= RoundIndex::<T>::get(), "the open round's index is ahead");
			ensure!(!r.committee.is_empty(), "the open round has no committee");
			ensure!(
				Self::unique(r.committee.iter().map(|(a, _)| a)),
				"the round's committee repeats"
			);
			let confirmations = Confirmations::<T>::get();
			ensure!((confirmations.len() as u32) < r.needed, "an open round has its quorum");
			ensure!(Self::unique(confirmations.iter().map(|(a, _)| a)), "a member confirmed twice");
		} else {
			ensure!(Confirmations::<T>::get().is_empty(), "confirmations without an open round");
		}
		for e in pending.iter().chain(LastElection::<T>::get().iter()) {
			ensure!(e.round <= RoundIndex::<T>::get(), "an election's round is ahead");
			ensure!(e.confirmations.len() as u32 >= e.needed, "an election lacks its quorum");
			ensure!(
				Self::unique(e.confirmations.iter().map(|(a, _)| a)),
				"an election counts a member twice"
			);
		}
		Ok(())
	}

	#[cfg(any(feature = "try-runtime", test))]
	fn unique<'a>(items: impl Iterator<Item = &'a T::AccountId>) -> bool {
		let items: Vec<_> = items.collect();
		items.iter().enumerate().all(|(i, a)| !items[..i].contains(a))
	}
}
