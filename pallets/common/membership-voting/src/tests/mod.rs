//! Unit tests, by topic: every call, error, event and hook of the pallet, on both mock
//! instances. The helpers here are shared by the topics.

mod approval;
mod config;
mod expiry;
mod outbox;
mod propose;
mod rejection;
mod vote;

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use sp_runtime::DispatchError;

type Error = crate::Error<Test, ()>;
type Event = crate::Event<Test, ()>;

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Voting(HoldReason::Deposit), &who)
}

fn events() -> Vec<Event> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Voting(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn events2() -> Vec<crate::Event<Test, Instance2>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Voting2(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn propose(who: AccountId, proposal: Proposal<AccountId>) -> ProposalIndex {
	let index = NextProposal::<Test>::get();
	assert_ok!(Voting::propose(RuntimeOrigin::signed(who), proposal));
	index
}

fn vote(who: AccountId, index: ProposalIndex, aye: bool) {
	assert_ok!(Voting::vote(RuntimeOrigin::signed(who), index, aye));
}
