//! The sub-chain's decision handler: approved proposals go to the parent.

use crate::{Config, Error, MemberRegistry, Proposal};
use core::marker::PhantomData;
use dbm_primitives::{
	membership::{DecisionHandler, Destination, Message},
	metering::MeterRegistry,
	Balance,
};
use frame_support::ensure;
use sp_runtime::{DispatchError, DispatchResult};

/// Checks a proposal against the sub-chain's members and meters `R` and, once approved,
/// forwards it to the parent as [`Message::Approved`]. The member list (and a member's meter)
/// changes only when the parent's decision comes back.
pub struct ForwardToParent<T, I, R>(PhantomData<(T, I, R)>);

impl<T, I, R> DecisionHandler<T::AccountId, Balance> for ForwardToParent<T, I, R>
where
	T: Config<I>,
	I: 'static,
	R: MemberRegistry<T::AccountId> + MeterRegistry<T::AccountId>,
{
	fn check(proposal: &Proposal<T::AccountId>) -> DispatchResult {
		match proposal {
			Proposal::Join { candidate, .. } => {
				ensure!(R::member(candidate).is_none(), Error::<T, I>::AlreadyMember)
			}
			Proposal::JoinWithMeter { candidate, meter, .. } => {
				ensure!(R::member(candidate).is_none(), Error::<T, I>::AlreadyMember);
				ensure!(proposal.meter_proven(), Error::<T, I>::BadMeterProof);
				ensure!(R::meter_owner(&meter.key).is_none(), Error::<T, I>::MeterInUse)
			}
			Proposal::Kick { member, .. } => {
				ensure!(R::member(member).is_some(), Error::<T, I>::NotMember)
			}
			Proposal::Suspend { member, .. } => {
				let info = R::member(member).ok_or(Error::<T, I>::NotMember)?;
				ensure!(info.is_active(), Error::<T, I>::AlreadySuspended)
			}
			Proposal::ReplaceMeter { member, meter } => {
				ensure!(R::member(member).is_some(), Error::<T, I>::NotMember);
				let current = R::meter_of(member).map(|state| state.key);
				ensure!(current != meter.map(|claim| claim.key), Error::<T, I>::MeterUnchanged);
				ensure!(proposal.meter_proven(), Error::<T, I>::BadMeterProof);
				if let Some(claim) = meter {
					ensure!(R::meter_owner(&claim.key).is_none(), Error::<T, I>::MeterInUse)
				}
			}
		}
		Ok(())
	}

	fn execute(
		proposal: &Proposal<T::AccountId>,
	) -> Result<Option<(Destination, Message<T::AccountId, Balance>)>, DispatchError> {
		// Members may have changed while the proposal was open.
		Self::check(proposal)?;
		Ok(Some((Destination::Parent, Message::Approved { proposal: proposal.clone() })))
	}
}
