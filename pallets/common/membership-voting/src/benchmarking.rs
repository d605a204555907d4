//! Benchmarks of the calls and the expiry hook, each in its costliest case.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		EnsureOrigin, Get, Hooks,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};

/// An account that can pay a few deposits.
fn funded<T: Config<I>, I: 'static>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let amount = T::Currency::minimum_balance()
		.saturating_add(T::ProposalDeposit::get().saturating_mul(T::MaxProposals::get().into()));
	T::Currency::set_balance(&who, amount);
	who
}

/// Opens `count` kick proposals about made-up nodes (the handler is not asked), each with a
/// deposit held, ending at `end`.
fn fill_open<T: Config<I>, I: 'static>(count: u32, end: BlockNumberFor<T>) {
	let proposer = funded::<T, I>("proposer", 0);
	for i in 0..count {
		let deposit = T::ProposalDeposit::get();
		T::Currency::hold(&HoldReason::<I>::Deposit.into(), &proposer, deposit)
			.expect("funded for MaxProposals deposits");
		let member: T::AccountId = account("subject", i, 0);
		let index = NextProposal::<T, I>::get();
		NextProposal::<T, I>::put(index + 1);
		ProposalAbout::<T, I>::insert(&member, index);
		Expiries::<T, I>::mutate(end, |ids| ids.try_push(index).expect("within MaxProposals"));
		Proposals::<T, I>::insert(
			index,
			OpenProposal {
				proposal: Proposal::Kick { member, reason: Reason::Misconduct },
				proposer: Some(proposer.clone()),
				deposit,
				ayes: BoundedVec::new(),
				nays: BoundedVec::new(),
				end,
			},
		);
	}
}

/// `MaxVoters` voters and the ayes their votes need.
fn voters<T: Config<I>, I: 'static>() -> (Vec<T::AccountId>, u32, u32) {
	let voters = T::BenchmarkHelper::voters(T::MaxVoters::get());
	let count = T::Voters::voter_count();
	(voters, count, Pallet::<T, I>::required_ayes(count))
}

/// The helper's proposal opened (index returned), with votes: `ayes` of `voters` from the
/// second on in favour, then `nays` against.
fn prepared<T: Config<I>, I: 'static>(
	voters: &[T::AccountId],
	ayes: u32,
	nays: u32,
) -> ProposalIndex {
	let index = NextProposal::<T, I>::get();
	Pallet::<T, I>::do_open(T::BenchmarkHelper::proposal(), Some(funded::<T, I>("proposer", 0)))
		.expect("the helper's proposal is accepted");
	Proposals::<T, I>::mutate(index, |open| {
		let open = open.as_mut().expect("just opened");
		let mut rest = voters.iter().skip(1).cloned();
		open.ayes = rest.by_ref().take(ayes as usize).collect::<Vec<_>>().try_into().expect("few");
		open.nays = rest.take(nays as usize).collect::<Vec<_>>().try_into().expect("few");
	});
	index
}

#[instance_benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn propose() {
		fill_open::<T, I>(
			T::MaxProposals::get() - 1,
			frame_system::Pallet::<T>::block_number() + T::VotingPeriod::get(),
		);
		T::BenchmarkHelper::voters(T::MaxVoters::get());
		let proposal = T::BenchmarkHelper::proposal();
		let who = funded::<T, I>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), proposal.clone());
		assert!(ProposalAbout::<T, I>::contains_key(proposal.subject()));
	}

	/// A vote that changes a nay into an aye with the most votes recorded, and closes nothing.
	#[benchmark]
	fn vote() -> Result<(), BenchmarkError> {
		let (voters, count, required) = voters::<T, I>();
		if required < 2 || required >= count || count > T::MaxVoters::get() {
			return Err(BenchmarkError::Weightless);
		}
		let index = prepared::<T, I>(&voters, required - 2, count - required - 1);
		let caller = voters[0].clone();
		Proposals::<T, I>::mutate(index, |open| {
			let open = open.as_mut().expect("open");
			open.nays.try_insert(0, caller.clone()).expect("room for one more");
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), index, true);
		let open = Proposals::<T, I>::get(index).expect("still open");
		assert!(open.ayes.contains(&caller));
		Ok(())
	}

	/// The vote that approves a proposal: the handler carries it out and a message is queued.
	#[benchmark]
	fn vote_approve() {
		let (voters, _, required) = voters::<T, I>();
		let index = prepared::<T, I>(&voters, required - 1, 0);
		#[extrinsic_call]
		vote(RawOrigin::Signed(voters[0].clone()), index, true);
		assert!(Proposals::<T, I>::get(index).is_none());
	}

	#[benchmark]
	fn import() -> Result<(), BenchmarkError> {
		let origin =
			T::InboundOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill_open::<T, I>(
			T::MaxProposals::get() - 1,
			frame_system::Pallet::<T>::block_number() + T::VotingPeriod::get(),
		);
		T::BenchmarkHelper::voters(T::MaxVoters::get());
		let proposal = T::BenchmarkHelper::proposal();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, proposal.clone());
		assert!(ProposalAbout::<T, I>::contains_key(proposal.subject()));
		Ok(())
	}

	#[benchmark]
	fn acknowledge(n: Linear<1, { T::MaxOutbox::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::AckOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let destination = Destination::Parent;
		for i in 0..n {
			let who: T::AccountId = account("kicked", i, 0);
			Pallet::<T, I>::enqueue(
				destination,
				Message::Remove { who, reason: Reason::ContinuousSilence },
			);
		}
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, destination, u64::from(n) - 1);
		assert_eq!(OutboxLen::<T, I>::get(), 0);
		Ok(())
	}

	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxProposals::get() }>) {
		let end = frame_system::Pallet::<T>::block_number() + T::VotingPeriod::get();
		fill_open::<T, I>(n, end);
		frame_system::Pallet::<T>::set_block_number(end);
		#[block]
		{
			Pallet::<T, I>::on_initialize(end);
		}
		assert_eq!(Proposals::<T, I>::count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
