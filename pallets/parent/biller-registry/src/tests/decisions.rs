//! The parent's membership decisions: the assignment rule, admissions, kicks, suspensions.

use crate::{mock::*, *};
use dbm_primitives::AccountId;
use dbm_primitives::{
	dbsca::NodeAttributes,
	membership::{Application, DecisionHandler, Destination, Message, Proposal, Reason, Role},
	metering::MeterClaim,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::*;

fn register(id: u32, location: &str) {
	assert_ok!(Registry::register_subchain(
		RuntimeOrigin::root(),
		SubchainId(id),
		format!("feeder {id}").into_bytes(),
		location.as_bytes().to_vec(),
		H256::repeat_byte(id as u8),
		H256::zero(),
		vec![],
	));
}

/// Adds `n` made-up members to sub-chain `id`.
fn fill(id: u32, n: u32) {
	for i in 0..n {
		let who = AccountId::from([(id * 16 + i) as u8; 32]);
		assert_ok!(Registry::add_member(RuntimeOrigin::root(), SubchainId(id), who, member(false)));
	}
}

fn application(area: &str) -> Application {
	Application {
		role: Role::Storage,
		attested: NodeAttributes { renewable: true, ..Default::default() },
		capacity_w: 10_000,
		area: area.as_bytes().to_vec().try_into().expect("short"),
	}
}

/// What the registry records for a node admitted with [`application`].
fn admitted() -> MemberInfo {
	MemberInfo {
		role: Role::Storage,
		attested: NodeAttributes { renewable: true, ..Default::default() },
		suspended: false,
	}
}

fn join(who: AccountId, area: &str) -> Proposal<AccountId> {
	Proposal::Join { candidate: who, application: application(area) }
}

/// Sub-chains 1 `north` (9 members) and 2 `south` (none) from genesis, plus 3 `DE-BE`, 4
/// `DE-BE-10115` and 5 `DE-HH`.
fn table() {
	register(3, "DE-BE");
	register(4, "DE-BE-10115");
	register(5, "DE-HH");
}

#[test]
fn the_nearest_location_area_wins() {
	build_and_execute(|| {
		table();
		let cases = [
			("DE-BE-10115", 4),
			// Two levels in common with both 3 and 4: the same load, the lower id.
			("DE-BE-10117", 3),
			("DE-BE", 3),
			("DE-HH-20095", 5),
			("north-7", 1),
			("south", 2),
		];
		for (area, expected) in cases {
			assert_eq!(Registry::assignment(area.as_bytes()), Some(SubchainId(expected)), "{area}");
		}
	});
}

#[test]
fn among_equally_near_sub_chains_the_fewest_members_then_the_lowest_id_win() {
	build_and_execute(|| {
		table();
		// "DE-" is as near to 3, 4 and 5 (prefix "DE-"): all empty, so the lowest id.
		assert_eq!(Registry::assignment(b"DE-NW"), Some(SubchainId(3)));
		fill(3, 2);
		fill(4, 1);
		assert_eq!(Registry::assignment(b"DE-NW"), Some(SubchainId(5)));
		fill(5, 3);
		assert_eq!(Registry::assignment(b"DE-NW"), Some(SubchainId(4)));
		// Nothing in common with any: the emptiest, sub-chain 2.
		assert_eq!(Registry::assignment(b"FR"), Some(SubchainId(2)));
	});
}

#[test]
fn nearness_counts_levels_not_bytes() {
	build_and_execute(|| {
		table();
		fill(3, 2);
		fill(5, 1);
		// `DE-HX` shares more bytes with `DE-HH` but only the level `DE` with every `DE-*`:
		// the emptiest of them wins.
		assert_eq!(Registry::assignment(b"DE-HX"), Some(SubchainId(4)));
		assert_eq!(Registry::assignment(b"DE-HH-1"), Some(SubchainId(5)));
	});
}

#[test]
fn full_paused_and_retired_sub_chains_take_no_one() {
	build_and_execute(|| {
		table();
		fill(4, 12);
		assert_eq!(Registry::assignment(b"DE-BE-10115"), Some(SubchainId(3)));
		assert_ok!(Registry::set_status(
			RuntimeOrigin::root(),
			SubchainId(3),
			SubchainStatus::Paused
		));
		assert_ok!(Registry::set_status(
			RuntimeOrigin::root(),
			SubchainId(5),
			SubchainStatus::Retired
		));
		// Left: 1 `north` (9 members) and 2 `south` (empty), neither near.
		assert_eq!(Registry::assignment(b"DE-BE-10115"), Some(SubchainId(2)));
		for id in [1, 2] {
			assert_ok!(Registry::set_status(
				RuntimeOrigin::root(),
				SubchainId(id),
				SubchainStatus::Paused
			));
		}
		assert_eq!(Registry::assignment(b"DE-BE-10115"), None);
		assert_noop!(
			<Registry as DecisionHandler<_, _>>::execute(&join(acc(AliceStash), "DE")),
			Error::<Test>::NoSubchainAvailable
		);
	});
}

#[test]
fn an_admitted_node_is_assigned_recorded_and_announced_to_its_sub_chain() {
	build_and_execute(|| {
		table();
		let who = acc(AliceStash);
		let sent = <Registry as DecisionHandler<_, _>>::execute(&join(who.clone(), "DE-HH-1"))
			.expect("assigned");
		let info = admitted();
		assert_eq!(
			sent,
			Some((
				Destination::Subchain(SubchainId(5)),
				Message::Admit { who: who.clone(), info, endowment: ENDOWMENT }
			))
		);
		assert_eq!(MemberOf::<Test>::get(&who), Some(SubchainId(5)));
		assert_eq!(Members::<Test>::get(SubchainId(5), &who), Some(info));
		System::assert_last_event(
			Event::<Test>::MemberAdded { subchain: SubchainId(5), who }.into(),
		);
	});
}

#[test]
fn a_join_that_names_a_meter_sends_the_meter_with_the_admission() {
	build_and_execute(|| {
		table();
		let who = acc(AliceStash);
		let pair = <sp_core::ed25519::Pair as sp_core::Pair>::from_seed(&[9; 32]);
		let claim = MeterClaim::sign(&pair, &who);
		let with = |claim| Proposal::JoinWithMeter {
			candidate: who.clone(),
			application: application("DE-HH-1"),
			meter: claim,
		};
		// A meter that signed for someone else is no meter of the candidate's.
		let stolen = MeterClaim::sign(&pair, &acc(Dave));
		assert_noop!(
			<Registry as DecisionHandler<_, _>>::check(&with(stolen)),
			Error::<Test>::BadMeterProof
		);
		let proposal = with(claim);
		let meter = claim.key;
		assert_ok!(<Registry as DecisionHandler<_, _>>::check(&proposal));
		let sent = <Registry as DecisionHandler<_, _>>::execute(&proposal).expect("assigned");
		let info = admitted();
		assert_eq!(
			sent,
			Some((
				Destination::Subchain(SubchainId(5)),
				Message::AdmitWithMeter { who: who.clone(), info, endowment: ENDOWMENT, meter }
			))
		);
		assert_eq!(MemberOf::<Test>::get(&who), Some(SubchainId(5)));
		assert_noop!(
			<Registry as DecisionHandler<_, _>>::check(&proposal),
			Error::<Test>::AlreadyMember
		);
	});
}

#[test]
fn a_kick_removes_the_member_and_tells_its_sub_chain() {
	build_and_execute(|| {
		let kick = Proposal::Kick { member: acc(Dave), reason: Reason::ContinuousSilence };
		assert_ok!(<Registry as DecisionHandler<_, _>>::check(&kick));
		let sent = <Registry as DecisionHandler<_, _>>::execute(&kick).expect("kicked");
		assert_eq!(
			sent,
			Some((
				Destination::Subchain(ONE),
				Message::Remove { who: acc(Dave), reason: Reason::ContinuousSilence }
			))
		);
		assert_eq!(MemberOf::<Test>::get(acc(Dave)), None);
		assert_eq!(MemberCount::<Test>::get(ONE), (8, 7));
	});
}

#[test]
fn a_suspension_pauses_the_member_and_tells_its_sub_chain() {
	build_and_execute(|| {
		let suspend = Proposal::Suspend { member: acc(Dave), reason: Reason::FalseInformation };
		let sent = <Registry as DecisionHandler<_, _>>::execute(&suspend).expect("suspended");
		assert_eq!(
			sent,
			Some((
				Destination::Subchain(ONE),
				Message::Suspend { who: acc(Dave), reason: Reason::FalseInformation }
			))
		);
		assert_eq!(Members::<Test>::get(ONE, acc(Dave)).map(|m| m.suspended), Some(true));
		assert_eq!(MemberCount::<Test>::get(ONE), (9, 7));
		assert_noop!(
			<Registry as DecisionHandler<_, _>>::check(&suspend),
			Error::<Test>::AlreadySuspended
		);
	});
}

#[test]
fn a_meter_replacement_is_sent_to_the_members_sub_chain() {
	build_and_execute(|| {
		let pair = <sp_core::ed25519::Pair as sp_core::Pair>::from_seed(&[7; 32]);
		let forged = MeterClaim::sign(&pair, &acc(Alice));
		assert_noop!(
			<Registry as DecisionHandler<_, _>>::check(&Proposal::ReplaceMeter {
				member: acc(Dave),
				meter: Some(forged)
			}),
			Error::<Test>::BadMeterProof
		);
		for meter in [Some(MeterClaim::sign(&pair, &acc(Dave))), None] {
			let replace = Proposal::ReplaceMeter { member: acc(Dave), meter };
			assert_ok!(<Registry as DecisionHandler<_, _>>::check(&replace));
			let sent = <Registry as DecisionHandler<_, _>>::execute(&replace).expect("sent");
			let meter = meter.map(|claim| claim.key);
			assert_eq!(
				sent,
				Some((Destination::Subchain(ONE), Message::SetMeter { who: acc(Dave), meter }))
			);
		}
		// The member itself is unchanged on the parent.
		assert_eq!(MemberOf::<Test>::get(acc(Dave)), Some(ONE));
		assert_eq!(MemberCount::<Test>::get(ONE), (9, 8));
	});
}

#[test]
fn decisions_that_cannot_be_carried_out_are_refused() {
	build_and_execute(|| {
		let handler_check = <Registry as DecisionHandler<_, _>>::check;
		assert_noop!(handler_check(&join(acc(Alice), "north")), Error::<Test>::AlreadyMember);
		let stranger = acc(AliceStash);
		for proposal in [
			Proposal::Kick { member: stranger.clone(), reason: Reason::Misconduct },
			Proposal::Suspend { member: stranger.clone(), reason: Reason::Misconduct },
			Proposal::ReplaceMeter { member: stranger.clone(), meter: None },
		] {
			assert_noop!(handler_check(&proposal), Error::<Test>::NotMember);
			assert_noop!(
				<Registry as DecisionHandler<_, _>>::execute(&proposal),
				Error::<Test>::NotMember
			);
		}
		// Eve's stash is suspended already.
		assert_noop!(
			handler_check(&Proposal::Suspend { member: acc(EveStash), reason: Reason::Misconduct }),
			Error::<Test>::AlreadySuspended
		);
	});
}
