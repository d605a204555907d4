//! Safety failures of a sub-chain: evidence of two finalized blocks at one height, the pause
//! that follows, and the governance calls that resolve it.
//!
//! GRANDPA never finalizes two blocks at one height while more than two thirds of the voters
//! are honest. A header at a height the parent anchored, other than the anchored one, with a
//! justification by the voter set the parent follows is therefore proof that the assumption
//! failed for that sub-chain. `report_fork` takes such evidence from **any** signed account
//! (it proves itself): the parent records it ([`Forks`]), with the voters whose precommits
//! justified the conflicting block, and **pauses** the sub-chain, so no anchor, election,
//! member or message proven against its state is taken until governance decides. Only the
//! recent window of anchors is compared, and only the voter set the parent follows now: a
//! set that handed over votes for nothing the parent still takes.
//!
//! A fork that runs above the parent's record is reported the same way, once either side is
//! anchored (anchoring needs only the justification the forking voters made): the other side
//! then conflicts with the record.
//!
//! **Who signed both sides.** The evidence keeps the round the conflicting side was finalized
//! in and who signed it. Whoever holds a justification of the anchored side (of the anchored
//! block at the fork's height or of one above it, such as the one the relay's anchor carried,
//! in the parent's block) may prove, with `exclude_fork_signers`, that it was finalized in that
//! same round: the voters in both signed two different blocks
//! of one round, an equivocation, and their members are suspended (here and on the sub-chain,
//! which opens a round without them), as for a reported equivocation. When the two sides were
//! finalized in different rounds, no single voter's votes contradict each other (a precommit
//! in a later round may honestly follow an earlier one whose block was not finalized for it):
//! finding who lied then needs the votes that led to each round, which the parent does not
//! hold, and governance decides.
//!
//! `RegistryOrigin` resolves a reported fork with `resolve_fork`: it may choose the canonical
//! head among the anchored blocks (the record is rewound to it: the anchors above it no longer
//! count, and the right side is anchored from there, replacing them), and reset the voter set the parent
//! follows (a set id and its voters, deciding from the block after the head); then the
//! evidence is cleared and the sub-chain is active again. A sub-chain that cannot be saved is
//! retired with `set_status`; while evidence stands, `set_status` cannot make it active.

use crate::{anchors::JustificationSize, pallet::*, *};
use alloc::vec::Vec;
use codec::DecodeAll;
use dbm_primitives::{
	finality::{self, AuthorityList, JustificationError},
	registry::{ForkEvidence, GrandpaVoters},
	Header,
};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Header as _;

impl<T: Config> Pallet<T> {
	/// Checks that `justification` (SCALE-encoded) finalizes `target` for `voters`, within
	/// the pallet's bounds; its size, its round and the voters that signed it.
	pub(crate) fn check_justification(
		voters: &GrandpaVoters,
		justification: &[u8],
		target: (sp_core::H256, dbm_primitives::BlockNumber),
	) -> Result<(JustificationSize, u64, Vec<finality::AuthorityId>), DispatchError> {
		ensure!(
			justification.len() <= T::MaxJustificationLen::get() as usize,
			Error::<T>::JustificationTooLong
		);
		let justification = finality::Justification::decode_all(&mut &justification[..])
			.map_err(|_| Error::<T>::BadJustification)?;
		let size = JustificationSize {
			precommits: justification.commit.precommits.len() as u32,
			ancestries: justification.votes_ancestries.len() as u32,
		};
		ensure!(
			size.precommits <= 2 * voters.voters.len() as u32
				&& size.ancestries <= T::MaxAncestry::get(),
			Error::<T>::BadJustification
		);
		let signers = finality::verify(&justification, target, voters.set_id, &voters.voters)
			.map_err(|e| match e {
				JustificationError::WrongTarget => Error::<T>::WrongJustificationTarget,
				JustificationError::UnknownVoter => Error::<T>::UnknownVoter,
				JustificationError::BadSignature => Error::<T>::BadVote,
				JustificationError::NotDescendant => Error::<T>::VoteNotDescendant,
				JustificationError::RedundantAncestry => Error::<T>::RedundantAncestry,
				JustificationError::NotEnoughVotes => Error::<T>::NotEnoughVotes,
			})?;
		Ok((size, justification.round, signers))
	}

	/// The weight of `report_fork` before it runs: the most a justification of
	/// `justification_len` bytes can hold.
	pub fn report_fork_weight(justification_len: usize) -> Weight {
		let size = JustificationSize::bound::<T>(justification_len);
		T::WeightInfo::report_fork(size.precommits.max(1), size.ancestries)
	}

	/// Verifies and records evidence of a fork of sub-chain `id` and pauses it: what
	/// `report_fork` does. Returns the size of the justification it checked.
	pub fn do_report_fork(
		reporter: &T::AccountId,
		id: SubchainId,
		encoded: &[u8],
		justification: &[u8],
	) -> Result<JustificationSize, DispatchError> {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
		ensure!(!Forks::<T>::contains_key(id), Error::<T>::ForkAlreadyReported);
		ensure!(encoded.len() <= T::MaxHeaderLen::get() as usize, Error::<T>::HeaderTooLong);
		let header = Header::decode_all(&mut &encoded[..]).map_err(|_| Error::<T>::BadHeader)?;
		let (hash, number) = (header.hash(), *header.number());
		let anchored = Self::recorded(id, number).ok_or(Error::<T>::NotAnchoredHeight)?;
		ensure!(anchored.hash != hash, Error::<T>::NoConflict);
		let voters = Voters::<T>::get(id).ok_or(Error::<T>::NotAnchoredHeight)?;
		let (size, round, signers) =
			Self::check_justification(&voters, justification, (hash, number))?;
		let evidence = ForkEvidence {
			number,
			anchored: anchored.hash,
			conflicting: hash,
			set_id: voters.set_id,
			round,
			// The signers are distinct voters of the set: at most `MaxVoters`.
			signers: BoundedVec::truncate_from(signers),
			reporter: reporter.clone(),
			reported_at: frame_system::Pallet::<T>::block_number(),
		};
		Forks::<T>::insert(id, &evidence);
		if info.status == SubchainStatus::Active {
			Self::do_set_status(id, SubchainStatus::Paused)?;
			Self::deposit_event(Event::StatusChanged {
				subchain: id,
				status: SubchainStatus::Paused,
			});
		}
		Self::deposit_event(Event::ForkReported {
			subchain: id,
			number,
			anchored: anchored.hash,
			conflicting: hash,
			signers: evidence.signers.into_inner(),
		});
		Ok(size)
	}

	/// The weight of `exclude_fork_signers` before it runs: the most a justification of
	/// `justification_len` bytes can hold, each of its signers excluded.
	pub fn exclude_fork_signers_weight(justification_len: usize) -> Weight {
		let size = JustificationSize::bound::<T>(justification_len);
		T::WeightInfo::exclude_fork_signers(size.precommits.max(1), size.ancestries)
	}

	/// Verifies that `justification` finalizes the anchored side of sub-chain `id`'s reported
	/// fork (its anchored block `number`, at the fork's height or above) in the round the
	/// conflicting side was finalized in, and suspends the members of the voters that signed
	/// both: what `exclude_fork_signers` does. Returns the size of the justification, the round
	/// and the members suspended.
	pub fn do_exclude_fork_signers(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
		justification: &[u8],
	) -> Result<(JustificationSize, u64, Vec<T::AccountId>), DispatchError> {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
		let fork = Forks::<T>::get(id).ok_or(Error::<T>::NoForkReported)?;
		let voters = Voters::<T>::get(id).ok_or(Error::<T>::NotAnchoredHeight)?;
		ensure!(voters.set_id == fork.set_id, Error::<T>::NotCurrentVoterSet);
		// The record is one chain: an anchored block at the fork's height or above descends
		// from the anchored side (an anchor's justification is of its segment's last block).
		ensure!(number >= fork.number, Error::<T>::NotAnchoredHeight);
		let target = Self::recorded(id, number).ok_or(Error::<T>::NotAnchoredHeight)?;
		let (size, round, signers) =
			Self::check_justification(&voters, justification, (target.hash, number))?;
		ensure!(
			round == fork.round && fork.round != crate::migrations::v1::UNKNOWN_ROUND,
			Error::<T>::DifferentRounds
		);
		// Both sides were finalized by more than two thirds in one round: more than a third
		// precommitted both, two different blocks of one round (each precommit is for a block
		// descending from its side at the fork's height), which is an equivocation.
		let accounts = VoterAccounts::<T>::get(id);
		let mut excluded = Vec::new();
		for key in signers.iter().filter(|key| fork.signers.contains(key)) {
			let index = voters
				.voters
				.iter()
				.position(|(voter, _)| voter == key)
				.ok_or(Error::<T>::UnknownVoter)?;
			let who = accounts.get(index).cloned().ok_or(Error::<T>::UnknownVoterAccount)?;
			let Some(member) = Members::<T>::get(id, &who).filter(|m| m.is_active()) else {
				continue;
			};
			Self::suspend_for_misconduct(id, &who, member)?;
			excluded.push(who);
		}
		ensure!(!excluded.is_empty(), Error::<T>::AlreadySuspended);
		Ok((size, round, excluded))
	}

	/// Resolves the fork reported of sub-chain `id`: what `resolve_fork` does.
	pub fn do_resolve_fork(
		id: SubchainId,
		head: Option<dbm_primitives::BlockNumber>,
		voters: Option<(u64, AuthorityList)>,
	) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
		ensure!(Forks::<T>::contains_key(id), Error::<T>::NoForkReported);
		let last = LastAnchor::<T>::get(id).ok_or(Error::<T>::NotAnchoredHeight)?;
		let current = Voters::<T>::get(id).ok_or(Error::<T>::NotAnchoredHeight)?;
		let head = head.unwrap_or(last.number);
		let canonical = Self::recorded(id, head).ok_or(Error::<T>::NotAnchoredHeight)?;
		// A voter set scheduled above the new head goes with the blocks that scheduled it.
		let voters = match voters {
			Some((set_id, list)) => Some(Self::voter_set(set_id, list, head.saturating_add(1))?),
			None => {
				ensure!(current.from <= head.saturating_add(1), Error::<T>::VoterSetNeeded);
				None
			}
		};
		// The anchors above the head stay, inert (nothing reads an anchor above the last one),
		// until the blocks anchored from the head on replace them: a rewind costs the same at
		// any depth.
		LastAnchor::<T>::insert(
			id,
			AnchorHead { number: head, hash: canonical.hash, anchored_in: canonical.anchored_in },
		);
		if let Some(next) = voters {
			// Whose keys governance chose, the parent does not know; nobody is left out of it.
			VoterAccounts::<T>::remove(id);
			Sidelined::<T>::remove(id);
			Self::follow_voters(id, next);
		}
		Forks::<T>::remove(id);
		if info.status == SubchainStatus::Paused {
			Self::do_set_status(id, SubchainStatus::Active)?;
			Self::deposit_event(Event::StatusChanged {
				subchain: id,
				status: SubchainStatus::Active,
			});
		}
		Self::deposit_event(Event::ForkResolved { subchain: id, head, hash: canonical.hash });
		Ok(())
	}
}
