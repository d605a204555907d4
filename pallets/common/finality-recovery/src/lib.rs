//! # Finality recovery: a chain whose voters died finalizes again without anyone acting
//!
//! GRANDPA finalizes a block when voters of more than two thirds of the set's weight sign it.
//! When a third or more are gone (a regional outage takes two billers of a six-voter parent,
//! two members of a four-member committee), blocks are still authored but nothing is
//! finalized, and the standard change that would remove the dead voters is itself a block
//! that only the stalled set can finalize. This pallet gets the chain out of that by itself:
//!
//! 1. **Stall reports.** A voter's node that sees its finality stalled while blocks keep
//!    coming signs a [`StallReport`] with its GRANDPA key (its node's voter set id and last
//!    finalized block) and submits it as an unsigned transaction (`report_stall`); the
//!    signature, checked against the voter set the report names, is the authorization. One
//!    report per voter and set; a report counts for `ReportLifetime` blocks.
//! 2. **Forced change.** When voters of more than half of a set's weight reported (or exactly
//!    half, among them the set's first voter: the biller of a sub-chain's committee, the first
//!    operator of the parent; it breaks the tie, so two halves cannot both recover), and no
//!    new report came for `ReportGrace` blocks (voters see a stall a second or two apart), the
//!    next block schedules a GRANDPA **forced change**, as the SDK's `note_stalled` would, to the
//!    voters of the newest set the runtime scheduled who reported: signalled at once, enacted
//!    `ForcedChangeDelay` blocks later on the best chain, no finality needed. Its "median last
//!    finalized" is the lowest block the reporters finalized: every node starts the new set
//!    from the lower of it and its own finalized block, and no node can hold a pending
//!    standard change at or below it (which would make the forced change unimportable).
//!    The voters left out are **sidelined**; the runtime's [`RecoveryHandler`] is told (the
//!    parent's council leaves them out, so the live voters can still reach its majority).
//! 3. **Return.** A sidelined voter whose node is back signs a [`ReturnReport`]
//!    (`report_return`); the next block with no change pending schedules a standard change
//!    that takes it in again, finalized by the voters in force.
//!
//! When every voter of the stalled set reported, or every voter of the newest set, nobody is
//! missing: the stall has another cause and nothing is forced. (Without this, the reports a
//! forced set's voters made of it while it started from an old block would, once a sidelined
//! voter's return was scheduled, force the set again with the wrong set id.)
//!
//! A new set the chain's own governance schedules (a committee enacted, an authority change)
//! ends all of this: the sidelined voters are in it again, and if still dead they are reported
//! again. (A set that only takes a member out, as DBSCA does when one is suspended, ends it too:
//! the sidelined voters wait for the committee the suspension's round elects.)
//!
//! ## Why more than half, and why it is safe
//!
//! Forced changes are applied by every node that imports the signalling branch, final or not,
//! so the condition must be something a minority cannot produce on a branch of its own: the
//! signatures of more than half of the set's voters (or of half with the first voter), which
//! GRANDPA's own assumption (fewer than a third faulty) makes honest in majority, and honest
//! voters report only a stall they see. A branch's forced set is made of its reporters only,
//! so a faulty voter cannot put itself in alone. Two partitions cannot both recover: at most
//! one holds more than half, or half with the first voter.
//! Blocks finalized before are never reverted (a node does not import a branch that conflicts
//! with its finalized block). What it costs: with exactly half gone (3 of 6) the chain waits
//! for a voter to come back; a voter that stops voting but keeps authoring cannot be told
//! from a live one by its blocks, but it does not report, so it is left out.
//!
//! The set id the runtime reports follows the nodes': after a forced change the nodes' set id
//! is the reported set's plus one, whatever standard changes the runtime scheduled in between
//! (the nodes drop those), and so is the runtime's from the enacting block.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use dbm_primitives::recovery::{return_payload, stall_payload, ReturnReport, StallReport};
pub use pallet::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::*;
use sp_consensus_grandpa::{AuthorityId, AuthoritySignature, AuthorityWeight, SetId};
use sp_runtime::{traits::Zero, RuntimeAppPublic, Saturating};

/// How many voter sets a report may name: the newest the runtime scheduled and the ones
/// before it that nodes may still be voting in (their changes not yet finalized).
pub const MAX_SETS: u32 = 4;

/// Told which voters a forced change left out and which came back.
pub trait RecoveryHandler {
	/// `voters` were left out of the voter set by a forced change.
	fn sidelined(voters: &[AuthorityId]);
	/// `voters` are in the voter set again.
	fn returned(voters: &[AuthorityId]);
}

impl RecoveryHandler for () {
	fn sidelined(_: &[AuthorityId]) {}
	fn returned(_: &[AuthorityId]) {}
}

/// The most stall reports kept: one per voter of each remembered set.
pub struct MaxReportsOf<T>(core::marker::PhantomData<T>);

impl<T: pallet_grandpa::Config> Get<u32> for MaxReportsOf<T> {
	fn get() -> u32 {
		MAX_SETS.saturating_mul(<T as pallet_grandpa::Config>::MaxAuthorities::get())
	}
}

/// Voters with their weights, at most as many as GRANDPA takes.
pub type VotersOf<T> =
	BoundedVec<(AuthorityId, AuthorityWeight), <T as pallet_grandpa::Config>::MaxAuthorities>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};

	/// A voter set the runtime scheduled, as its voters' nodes know it.
	#[derive(
		Encode,
		Decode,
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		TypeInfo,
		MaxEncodedLen,
	)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct VoterSet<T: Config> {
		/// Its set id (the nodes' numbering).
		pub id: SetId,
		/// The lowest block one of its voters can have finalized: the block that scheduled it
		/// (genesis for the first), or for a forced set the block its voters started from.
		pub from: BlockNumberFor<T>,
		/// Its voters.
		pub voters: VotersOf<T>,
	}

	/// A stall report the chain holds.
	#[derive(
		Encode,
		Decode,
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		TypeInfo,
		MaxEncodedLen,
	)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct Report<T: Config> {
		/// The set the voter's node votes in.
		pub set_id: SetId,
		/// The voter.
		pub voter: AuthorityId,
		/// The last block its node finalized.
		pub finalized: BlockNumberFor<T>,
		/// The block that took the report.
		pub at: BlockNumberFor<T>,
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_grandpa::Config
		+ frame_system::offchain::CreateBare<Call<Self>>
	{
		/// Blocks from a forced change's signal to its enactment on the best chain: time for
		/// the signalling block to reach every node.
		#[pallet::constant]
		type ForcedChangeDelay: Get<BlockNumberFor<Self>>;
		/// Blocks with no new report a forced change waits for once the reports allow it, so
		/// that every live voter's report is in.
		#[pallet::constant]
		type ReportGrace: Get<BlockNumberFor<Self>>;
		/// How long a stall report counts, in blocks: a node still stalled reports again.
		#[pallet::constant]
		type ReportLifetime: Get<BlockNumberFor<Self>>;
		/// The pool priority of reports (above ordinary transactions: they unblock the chain).
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;
		/// Told which voters were left out and which came back.
		type Handler: RecoveryHandler;
		/// Weights of the calls and the block hook.
		type WeightInfo: WeightInfo;
	}

	/// The voter sets reports may name, oldest first; the last is the newest the runtime
	/// scheduled.
	#[pallet::storage]
	pub type Sets<T: Config> =
		StorageValue<_, BoundedVec<VoterSet<T>, ConstU32<MAX_SETS>>, ValueQuery>;

	/// Stall reports that count, at most one per voter and set.
	#[pallet::storage]
	pub type Reports<T: Config> =
		StorageValue<_, BoundedVec<Report<T>, MaxReportsOf<T>>, ValueQuery>;

	/// Voters a forced change left out, with their weights: they may report their return.
	#[pallet::storage]
	pub type Sidelined<T: Config> = StorageValue<_, VotersOf<T>, ValueQuery>;

	/// Sidelined voters that reported their return, taken in by the next standard change.
	#[pallet::storage]
	pub type Returning<T: Config> = StorageValue<
		_,
		BoundedVec<AuthorityId, <T as pallet_grandpa::Config>::MaxAuthorities>,
		ValueQuery,
	>;

	/// A forced change scheduled here and not yet enacted: its enacting block and the set id
	/// the nodes give the new set.
	#[pallet::storage]
	pub type Enacting<T: Config> = StorageValue<_, (BlockNumberFor<T>, SetId)>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A voter reported its node's finality stalled.
		StallReported {
			/// The set its node votes in.
			set_id: SetId,
			/// The voter.
			voter: AuthorityId,
			/// The last block its node finalized.
			finalized: BlockNumberFor<T>,
		},
		/// A forced change to the voters that reported was scheduled.
		FinalityForced {
			/// The set id of the new set.
			set_id: SetId,
			/// The new voters.
			voters: Vec<AuthorityId>,
			/// The voters left out.
			sidelined: Vec<AuthorityId>,
			/// The block the new set starts from (the lowest the reporters finalized).
			median: BlockNumberFor<T>,
			/// The block that enacts it.
			enacted_at: BlockNumberFor<T>,
		},
		/// A sidelined voter reported that it is back.
		ReturnReported {
			/// The voter.
			voter: AuthorityId,
		},
		/// Sidelined voters are in the voter set again (a standard change).
		VotersReturned {
			/// The set id of the new set.
			set_id: SetId,
			/// The voters taken in.
			voters: Vec<AuthorityId>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The report names a voter set the chain does not remember.
		UnknownSet,
		/// The key is not a voter of the set the report names.
		NotAVoter,
		/// The finalized block is below the set's first block or not below the current one.
		FinalizedOutOfRange,
		/// The voter already reported a stall of this set.
		AlreadyReported,
		/// The signature is not the voter's over this report on this chain.
		BadSignature,
		/// A return report must name the voter set in force.
		WrongSet,
		/// The voter is not sidelined.
		NotSidelined,
		/// The voter already reported its return.
		AlreadyReturning,
		/// No room for another report.
		TooManyReports,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let voters = Sets::<T>::get().last().map_or(0, |set| set.voters.len() as u32);
			if let Some((at, id)) = Enacting::<T>::get() {
				if now >= at {
					// GRANDPA puts the new voters in force at the end of this block; the nodes
					// apply the change when they import it.
					pallet_grandpa::CurrentSetId::<T>::put(id);
					Enacting::<T>::kill();
				}
				return <T as Config>::WeightInfo::on_initialize_idle(voters);
			}
			Self::follow_set_changes(now);
			Self::prune(now);
			if pallet_grandpa::PendingChange::<T>::exists() {
				return <T as Config>::WeightInfo::on_initialize_idle(voters);
			}
			if Self::try_force(now) {
				return <T as Config>::WeightInfo::on_initialize_force(voters);
			}
			if Self::try_return(now) {
				return <T as Config>::WeightInfo::on_initialize_return(voters);
			}
			<T as Config>::WeightInfo::on_initialize_idle(voters)
		}

		fn integrity_test() {
			assert!(!T::ForcedChangeDelay::get().is_zero(), "ForcedChangeDelay must be positive");
			assert!(!T::ReportLifetime::get().is_zero(), "ReportLifetime must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Report, as a voter, that this node's finality stalled: unsigned, authorized by the
		/// voter's GRANDPA signature over the report on this chain. Free.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::report_stall(<T as pallet_grandpa::Config>::MaxAuthorities::get()))]
		pub fn report_stall(
			origin: OriginFor<T>,
			report: StallReport<BlockNumberFor<T>>,
			signature: AuthoritySignature,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			Self::check_stall(&report, &signature)?;
			let now = frame_system::Pallet::<T>::block_number();
			Reports::<T>::try_mutate(|reports| {
				reports.try_push(Report {
					set_id: report.set_id,
					voter: report.voter.clone(),
					finalized: report.finalized,
					at: now,
				})
			})
			.map_err(|_| Error::<T>::TooManyReports)?;
			Self::deposit_event(Event::StallReported {
				set_id: report.set_id,
				voter: report.voter,
				finalized: report.finalized,
			});
			Ok(Pays::No.into())
		}

		/// Report, as a sidelined voter, that this node is back: unsigned, authorized by the
		/// voter's GRANDPA signature. Free.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::report_return(<T as pallet_grandpa::Config>::MaxAuthorities::get()))]
		pub fn report_return(
			origin: OriginFor<T>,
			report: ReturnReport,
			signature: AuthoritySignature,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			Self::check_return(&report, &signature)?;
			Returning::<T>::try_mutate(|returning| returning.try_push(report.voter.clone()))
				.map_err(|_| Error::<T>::TooManyReports)?;
			Self::deposit_event(Event::ReturnReported { voter: report.voter });
			Ok(Pays::No.into())
		}
	}

	// `ValidateUnsigned` is what GRANDPA's own unsigned reports use in this SDK release; the
	// transaction extension that replaces it would change every extrinsic's format.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			let (tag, checked) = match call {
				Call::report_stall { report, signature } => (
					(b"stall", report.set_id, report.voter.clone()),
					Self::check_stall(report, signature),
				),
				Call::report_return { report, signature } => (
					(b"back_", report.set_id, report.voter.clone()),
					Self::check_return(report, signature),
				),
				_ => return InvalidTransaction::Call.into(),
			};
			checked.map_err(invalidity::<T>)?;
			ValidTransaction::with_tag_prefix("FinalityRecovery")
				.priority(T::UnsignedPriority::get())
				.and_provides(tag)
				.longevity(64)
				.propagate(true)
				.build()
		}
	}
}

/// The pool's reason for refusing a report.
fn invalidity<T: Config>(error: Error<T>) -> TransactionValidityError {
	match error {
		Error::<T>::AlreadyReported | Error::<T>::AlreadyReturning => InvalidTransaction::Stale,
		Error::<T>::BadSignature => InvalidTransaction::BadProof,
		// A pallet error encodes as its index.
		other => InvalidTransaction::Custom(other.encode().first().copied().unwrap_or(u8::MAX)),
	}
	.into()
}

impl<T: Config> Pallet<T> {
	fn genesis() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// Checks a stall report against the remembered sets, the reports held and its signature.
	pub fn check_stall(
		report: &StallReport<BlockNumberFor<T>>,
		signature: &AuthoritySignature,
	) -> Result<(), Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let sets = Sets::<T>::get();
		let set = sets.iter().find(|set| set.id == report.set_id).ok_or(Error::<T>::UnknownSet)?;
		ensure!(set.voters.iter().any(|(key, _)| *key == report.voter), Error::<T>::NotAVoter);
		ensure!(
			report.finalized >= set.from && report.finalized < now,
			Error::<T>::FinalizedOutOfRange
		);
		ensure!(
			!Reports::<T>::get()
				.iter()
				.any(|held| held.set_id == report.set_id && held.voter == report.voter),
			Error::<T>::AlreadyReported
		);
		let payload = stall_payload(&Self::genesis(), report);
		ensure!(report.voter.verify(&payload, signature), Error::<T>::BadSignature);
		Ok(())
	}

	/// Checks a return report against the set in force, the sidelined voters and its
	/// signature.
	pub fn check_return(
		report: &ReturnReport,
		signature: &AuthoritySignature,
	) -> Result<(), Error<T>> {
		ensure!(report.set_id == pallet_grandpa::CurrentSetId::<T>::get(), Error::<T>::WrongSet);
		ensure!(
			Sidelined::<T>::get().iter().any(|(key, _)| *key == report.voter),
			Error::<T>::NotSidelined
		);
		ensure!(!Returning::<T>::get().contains(&report.voter), Error::<T>::AlreadyReturning);
		let payload = return_payload(&Self::genesis(), report);
		ensure!(report.voter.verify(&payload, signature), Error::<T>::BadSignature);
		Ok(())
	}

	/// Takes note of a voter set the runtime scheduled by other means (genesis, a committee or
	/// an authority change): it is the newest; sidelined voters are the governance's again.
	/// Waits while a change is pending (a delayed change is not in force yet).
	fn follow_set_changes(now: BlockNumberFor<T>) {
		let id = pallet_grandpa::CurrentSetId::<T>::get();
		let mut sets = Sets::<T>::get();
		if sets.last().is_some_and(|set| set.id == id)
			|| pallet_grandpa::PendingChange::<T>::exists()
		{
			return;
		}
		let voters: VotersOf<T> =
			BoundedVec::truncate_from(pallet_grandpa::Authorities::<T>::get().into_inner());
		let from = if sets.is_empty() { Zero::zero() } else { now.saturating_sub(1u32.into()) };
		Self::remember(&mut sets, VoterSet { id, from, voters });
		Sets::<T>::put(sets);
		Sidelined::<T>::kill();
		Returning::<T>::kill();
	}

	/// Adds `set` as the newest, forgetting the oldest beyond [`MAX_SETS`] and their reports.
	fn remember(sets: &mut BoundedVec<VoterSet<T>, ConstU32<MAX_SETS>>, set: VoterSet<T>) {
		let mut all = core::mem::take(sets).into_inner();
		all.push(set);
		let excess = all.len().saturating_sub(MAX_SETS as usize);
		all.drain(..excess);
		let oldest = all.first().map_or(0, |set| set.id);
		*sets = BoundedVec::truncate_from(all);
		Reports::<T>::mutate(|reports| reports.retain(|report| report.set_id >= oldest));
	}

	/// Drops reports older than `ReportLifetime`.
	fn prune(now: BlockNumberFor<T>) {
		let lifetime = T::ReportLifetime::get();
		let reports = Reports::<T>::get();
		if reports.iter().any(|report| report.at.saturating_add(lifetime) < now) {
			Reports::<T>::mutate(|reports| {
				reports.retain(|report| report.at.saturating_add(lifetime) >= now)
			});
		}
	}

	/// Schedules a forced change if the reporters of a remembered set hold more than half of
	/// its weight (see the crate docs). `true` if it did.
	fn try_force(now: BlockNumberFor<T>) -> bool {
		let reports = Reports::<T>::get();
		if reports.is_empty() {
			return false;
		}
		let sets = Sets::<T>::get();
		let Some(newest) = sets.last() else { return false };
		for set in sets.iter() {
			let reporters: Vec<&Report<T>> =
				reports.iter().filter(|report| report.set_id == set.id).collect();
			let reported = |key: &AuthorityId| reporters.iter().any(|report| report.voter == *key);
			let total: u64 = set.voters.iter().map(|(_, weight)| *weight).sum();
			let live: u64 =
				set.voters.iter().filter(|(key, _)| reported(key)).map(|(_, weight)| *weight).sum();
			// Exactly half counts only with the set's first voter among the reporters (the
			// biller of a sub-chain, the first operator of the parent): of two halves, one.
			let tie_broken = set.voters.first().is_some_and(|(key, _)| reported(key));
			if live.saturating_mul(2) < total || (live.saturating_mul(2) == total && !tie_broken) {
				continue;
			}
			// Every voter of the set reported: nobody it needs is missing, so its stall has
			// another cause (a set that just started from an old finalized block, reports that
			// outlived the set's recovery), which a change to fewer voters would not cure.
			if live >= total {
				continue;
			}
			let (next, left_out): (Vec<_>, Vec<_>) =
				newest.voters.iter().cloned().partition(|(key, _)| reported(key));
			let Some(median) = reporters.iter().map(|report| report.finalized).min() else {
				continue;
			};
			// Voters see a stall a second or two apart: wait until no report came for
			// `ReportGrace` blocks, so a live voter that saw it a little later is not left out.
			let last = reporters.iter().map(|report| report.at).max().unwrap_or(now);
			if now < last.saturating_add(T::ReportGrace::get()) {
				continue;
			}
			// Every voter of the newest set reported: a change to the same voters would not
			// cure the stall either.
			if next.is_empty() || left_out.is_empty() {
				continue;
			}
			let delay = T::ForcedChangeDelay::get();
			if let Err(error) =
				pallet_grandpa::Pallet::<T>::schedule_change(next.clone(), delay, Some(median))
			{
				log::warn!(target: "runtime::finality-recovery", "forced change refused: {error:?}");
				return false;
			}
			let id = set.id.saturating_add(1);
			let enacted_at = now.saturating_add(delay);
			Enacting::<T>::put((enacted_at, id));
			// The nodes drop the sets scheduled after the stalled one; so does the record.
			let mut kept = sets.clone();
			kept.retain(|older| older.id <= set.id);
			let voters: VotersOf<T> = BoundedVec::truncate_from(next.clone());
			Self::remember(&mut kept, VoterSet { id, from: median, voters });
			Sets::<T>::put(kept);
			Reports::<T>::kill();
			Returning::<T>::kill();
			let mut sidelined = Sidelined::<T>::get().into_inner();
			for voter in left_out.iter() {
				if sidelined.iter().all(|(key, _)| *key != voter.0) {
					sidelined.push(voter.clone());
				}
			}
			Sidelined::<T>::put(VotersOf::<T>::truncate_from(sidelined));
			let left_out: Vec<AuthorityId> = left_out.into_iter().map(|(key, _)| key).collect();
			T::Handler::sidelined(&left_out);
			Self::deposit_event(Event::FinalityForced {
				set_id: id,
				voters: next.into_iter().map(|(key, _)| key).collect(),
				sidelined: left_out,
				median,
				enacted_at,
			});
			return true;
		}
		false
	}

	/// Takes the voters that reported their return back into the set by a standard change.
	/// `true` if it did.
	fn try_return(now: BlockNumberFor<T>) -> bool {
		let returning = Returning::<T>::get();
		if returning.is_empty() {
			return false;
		}
		let sidelined = Sidelined::<T>::get();
		let mut voters = pallet_grandpa::Authorities::<T>::get().into_inner();
		voters.extend(sidelined.iter().filter(|(key, _)| returning.contains(key)).cloned());
		if let Err(error) =
			pallet_grandpa::Pallet::<T>::schedule_change(voters.clone(), Zero::zero(), None)
		{
			log::warn!(target: "runtime::finality-recovery", "return refused: {error:?}");
			return false;
		}
		let id = pallet_grandpa::CurrentSetId::<T>::mutate(|id| {
			*id = id.saturating_add(1);
			*id
		});
		let mut sets = Sets::<T>::get();
		Self::remember(
			&mut sets,
			VoterSet { id, from: now, voters: BoundedVec::truncate_from(voters) },
		);
		Sets::<T>::put(sets);
		Sidelined::<T>::mutate(|sidelined| sidelined.retain(|(key, _)| !returning.contains(key)));
		Returning::<T>::kill();
		T::Handler::returned(&returning);
		Self::deposit_event(Event::VotersReturned { set_id: id, voters: returning.into_inner() });
		true
	}

	/// The sidelined voters (for the runtime API).
	pub fn sidelined() -> Vec<AuthorityId> {
		Sidelined::<T>::get().into_iter().map(|(key, _)| key).collect()
	}

	/// Puts a stall report into the transaction pool (needs the offchain pool extension).
	pub fn submit_stall_report(
		report: StallReport<BlockNumberFor<T>>,
		signature: AuthoritySignature,
	) -> bool {
		Self::submit(Call::report_stall { report, signature })
	}

	/// Puts a return report into the transaction pool (needs the offchain pool extension).
	pub fn submit_return_report(report: ReturnReport, signature: AuthoritySignature) -> bool {
		Self::submit(Call::report_return { report, signature })
	}

	fn submit(call: Call<T>) -> bool {
		use frame_system::offchain::{CreateBare, SubmitTransaction};
		let xt = <T as CreateBare<Call<T>>>::create_bare(call.into());
		SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_ok()
	}

	/// The invariants: sets in increasing id order; reports only of remembered sets' voters,
	/// one per voter and set; returning voters sidelined; no voter sidelined twice.
	#[cfg(any(test, feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let sets = Sets::<T>::get();
		ensure!(sets.windows(2).all(|pair| pair[0].id < pair[1].id), "sets out of order");
		let reports = Reports::<T>::get();
		for (i, report) in reports.iter().enumerate() {
			let set = sets
				.iter()
				.find(|set| set.id == report.set_id)
				.ok_or("a report names a forgotten set")?;
			ensure!(
				set.voters.iter().any(|(key, _)| *key == report.voter),
				"a report by a non-voter"
			);
			ensure!(
				reports[..i]
					.iter()
					.all(|other| (other.set_id, &other.voter) != (report.set_id, &report.voter)),
				"two reports by one voter for one set"
			);
		}
		let sidelined = Sidelined::<T>::get();
		for (i, (key, _)) in sidelined.iter().enumerate() {
			ensure!(
				sidelined[..i].iter().all(|(other, _)| other != key),
				"a voter sidelined twice"
			);
		}
		ensure!(
			Returning::<T>::get().iter().all(|key| sidelined.iter().any(|(other, _)| other == key)),
			"a returning voter that is not sidelined"
		);
		Ok(())
	}
}
