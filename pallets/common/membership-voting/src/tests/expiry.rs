//! Proposals that expire undecided.

use super::*;

#[test]
fn undecided_proposals_expire_and_return_the_deposit() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		vote(1, index, true);
		run_to(PERIOD);
		assert!(Proposals::<Test>::get(index).is_some());
		run_to(PERIOD + 1);
		assert!(Proposals::<Test>::get(index).is_none());
		assert_eq!(ProposalAbout::<Test>::get(CANDIDATE), None);
		assert_eq!(Expiries::<Test>::get(PERIOD + 1).len(), 0);
		assert_eq!(held(OUTSIDER), 0);
		assert_eq!(Balances::balance(&OUTSIDER), FUNDS);
		System::assert_last_event(RuntimeEvent::Voting(Event::Expired { index }));
		assert_noop!(Voting::vote(RuntimeOrigin::signed(2), index, true), Error::ProposalClosed);
	});
}

#[test]
fn expiry_skips_proposals_closed_earlier_and_reports_its_work() {
	build_and_execute(|| {
		let a = propose(OUTSIDER, join(CANDIDATE));
		let b = propose(OUTSIDER, kick(1));
		for m in [2, 3, 4] {
			vote(m, a, true);
		}
		System::set_block_number(PERIOD + 1);
		assert_eq!(Voting::expire(PERIOD + 1), 1);
		assert!(Proposals::<Test>::get(b).is_none());
		assert_eq!(
			Voting::on_initialize(PERIOD + 1),
			<() as WeightInfo>::on_initialize(0),
			"the queue was emptied by the first pass"
		);
	});
}
