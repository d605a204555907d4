//! The parent's membership decisions: assignment of new nodes to sub-chains, kicks,
//! suspensions and meter replacements, each with a message for the sub-chain concerned.
//!
//! # Assignment
//!
//! A node admitted by the parent's vote goes to an active sub-chain with room for it, chosen
//! by, in order:
//!
//! 1. **nearest location area**: location areas are hierarchical codes of `-`-separated
//!    levels (e.g. `DE-BE-10115` inside `DE-BE`, inside `DE`), so the nearest sub-chain is the
//!    one whose area shares the most leading levels with the node's (`DE-BW-1` shares two
//!    levels with `DE-BW-7` and one, `DE`, with `DE-BE`);
//! 2. **fewest members**, to spread the load;
//! 3. the lowest sub-chain id, so the choice is deterministic.

use crate::{pallet::*, *};
use dbm_primitives::membership::{DecisionHandler, Destination, Message, Proposal};
use frame_support::{ensure, pallet_prelude::*};

/// The number of leading `-`-separated levels areas `a` and `b` share.
fn common_levels(a: &[u8], b: &[u8]) -> usize {
	a.split(|c| *c == b'-').zip(b.split(|c| *c == b'-')).take_while(|(x, y)| x == y).count()
}

impl<T: Config> Pallet<T> {
	/// The sub-chain a node of location `area` is assigned to now (see the module docs), or
	/// `None` if no active sub-chain has room.
	pub fn assignment(area: &[u8]) -> Option<SubchainId> {
		Subchains::<T>::iter()
			.filter(|(_, info)| info.status == SubchainStatus::Active)
			.map(|(id, info)| (id, common_levels(&info.location, area), MemberCount::<T>::get(id).0))
			.filter(|(_, _, members)| *members < T::MaxMembers::get())
			// Most common levels, then fewest members, then lowest id.
			.min_by_key(|(id, prefix, members)| (core::cmp::Reverse(*prefix), *members, *id))
			.map(|(id, _, _)| id)
	}
}

impl<T: Config> DecisionHandler<T::AccountId, Balance> for Pallet<T> {
	fn check(proposal: &Proposal<T::AccountId>) -> DispatchResult {
		match proposal {
			Proposal::Join { candidate, .. } => {
				ensure!(!MemberOf::<T>::contains_key(candidate), Error::<T>::AlreadyMember)
			}
			Proposal::JoinWithMeter { candidate, .. } => {
				ensure!(!MemberOf::<T>::contains_key(candidate), Error::<T>::AlreadyMember);
				ensure!(proposal.meter_proven(), Error::<T>::BadMeterProof)
			}
			Proposal::Kick { member, .. } => {
				ensure!(MemberOf::<T>::contains_key(member), Error::<T>::NotMember)
			}
			Proposal::Suspend { member, .. } => {
				let info =
					<Self as MemberRegistry<_>>::member(member).ok_or(Error::<T>::NotMember)?;
				ensure!(info.is_active(), Error::<T>::AlreadySuspended)
			}
			// The parent does not keep meter keys: whether the key is free is the sub-chain's
			// check, when it is proposed there and again when the decision arrives. Whether the
			// meter agreed is checked on both layers.
			Proposal::ReplaceMeter { member, .. } => {
				ensure!(MemberOf::<T>::contains_key(member), Error::<T>::NotMember);
				ensure!(proposal.meter_proven(), Error::<T>::BadMeterProof)
			}
		}
		Ok(())
	}

	fn execute(
		proposal: &Proposal<T::AccountId>,
	) -> Result<Option<(Destination, Message<T::AccountId, Balance>)>, DispatchError> {
		Self::check(proposal)?;
		let (subchain, message) = match proposal {
			Proposal::Join { .. } | Proposal::JoinWithMeter { .. } => {
				let (candidate, application, meter) =
					proposal.join().ok_or(Error::<T>::NotMember)?;
				let subchain =
					Self::assignment(&application.area).ok_or(Error::<T>::NoSubchainAvailable)?;
				let info = MemberInfo {
					role: application.role,
					attested: application.attested,
					suspended: false,
				};
				Self::do_add_member(subchain, candidate, info)?;
				Self::deposit_event(Event::MemberAdded { subchain, who: candidate.clone() });
				let (who, endowment) = (candidate.clone(), T::Endowment::get());
				let message = match meter {
					Some(meter) => Message::AdmitWithMeter { who, info, endowment, meter },
					None => Message::Admit { who, info, endowment },
				};
				(subchain, message)
			}
			Proposal::Kick { member, reason } => {
				let subchain = Self::do_remove_member(member)?;
				Self::deposit_event(Event::MemberRemoved { subchain, who: member.clone() });
				(subchain, Message::Remove { who: member.clone(), reason: *reason })
			}
			Proposal::Suspend { member, reason } => {
				let info =
					<Self as MemberRegistry<_>>::member(member).ok_or(Error::<T>::NotMember)?;
				let subchain =
					Self::do_update_member(member, MemberInfo { suspended: true, ..info })?;
				Self::deposit_event(Event::MemberUpdated { subchain, who: member.clone() });
				(subchain, Message::Suspend { who: member.clone(), reason: *reason })
			}
			Proposal::ReplaceMeter { member, meter } => {
				let subchain = MemberOf::<T>::get(member).ok_or(Error::<T>::NotMember)?;
				let meter = meter.map(|claim| claim.key);
				(subchain, Message::SetMeter { who: member.clone(), meter })
			}
		};
		Ok(Some((Destination::Subchain(subchain), message)))
	}
}
