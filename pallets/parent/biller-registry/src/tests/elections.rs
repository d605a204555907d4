//! Election proofs from any submitter, and re-election requests.

use crate::{mock::*, *};
use dbm_primitives::{dbsca::ElectionStatement, AccountId};
use frame_support::dispatch::DispatchResult;
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{DispatchError, MultiSignature};

/// Eight active members: a quorum of 51% is five.
const FIVE: [Sr25519Keyring; 5] = [Alice, Bob, Charlie, Dave, Eve];

/// Submits an election of sub-chain 1 counting its active members now.
fn submit(
	round: u32,
	committee: &[AccountId],
	confirmations: Vec<(AccountId, MultiSignature)>,
) -> DispatchResult {
	submit_counting(round, Registry::active_set_of(ONE), committee, confirmations)
}

fn submit_counting(
	round: u32,
	members: MemberSet,
	committee: &[AccountId],
	confirmations: Vec<(AccountId, MultiSignature)>,
) -> DispatchResult {
	// Submitted by an outsider: the proof is checked, not the submitter.
	Registry::submit_election(
		RuntimeOrigin::signed(acc(FerdieStash)),
		ONE,
		round,
		members,
		committee.to_vec(),
		voters_for(committee),
		confirmations,
	)
}

/// The statement of `round` on sub-chain 1 counting `members`.
fn statement(
	round: u32,
	members: MemberSet,
	committee: &[AccountId],
) -> ElectionStatement<AccountId> {
	ElectionStatement::new(
		genesis_hash(),
		ONE,
		round,
		members,
		committee.to_vec(),
		voters_for(committee),
	)
}

/// Makes `who` an active member of sub-chain 1.
fn join(who: Sr25519Keyring) {
	assert_ok!(Registry::add_member(RuntimeOrigin::root(), ONE, acc(who), member(false)));
}

#[test]
fn an_election_is_confirmed_from_its_proof_without_the_outgoing_biller() {
	build_and_execute(|| {
		assert_eq!(Registry::quorum(&Registry::active_set_of(ONE)), 5);
		assert_eq!(Registry::active_set_of(ONE).count, 8);
		// Alice, the outgoing biller, is not among the signers.
		let committee = vec![acc(Bob), acc(Charlie)];
		let signers = [Bob, Charlie, Dave, Eve, Ferdie];
		assert_ok!(submit(1, &committee, confirmations(ONE, 1, &committee, &signers)));
		System::assert_last_event(
			Event::<Test>::ElectionConfirmed {
				subchain: ONE,
				round: 1,
				committee: committee.clone(),
			}
			.into(),
		);
		let election = Elections::<Test>::get(ONE).unwrap();
		assert_eq!(
			(election.round, election.committee.to_vec(), election.confirmed_at),
			(1, committee, 1)
		);
	});
}

#[test]
fn an_election_names_one_grandpa_key_per_committee_member() {
	build_and_execute(|| {
		let committee = vec![acc(Bob), acc(Charlie)];
		let keys = voters_for(&committee);
		let proof = confirmations(ONE, 1, &committee, &FIVE);
		let with = |voters: Vec<_>| {
			Registry::submit_election(
				RuntimeOrigin::signed(acc(FerdieStash)),
				ONE,
				1,
				Registry::active_set_of(ONE),
				committee.clone(),
				voters,
				proof.clone(),
			)
		};
		for voters in [
			vec![],
			keys[..1].to_vec(),
			vec![keys[0].clone(), keys[0].clone()],
			vec![keys[0].clone(), keys[1].clone(), keys[1].clone()],
		] {
			assert_noop!(with(voters), Error::<Test>::InvalidVoters);
		}
		// Keys the members did not sign: the statement differs.
		assert_noop!(with(vec![keys[1].clone(), keys[0].clone()]), Error::<Test>::BadSignature);
		assert_ok!(with(keys.clone()));
		assert_eq!(Elections::<Test>::get(ONE).map(|e| e.voters.to_vec()), Some(keys.clone()));
		let waiting = Unenacted::<Test>::get(ONE);
		assert_eq!(waiting.len(), 1);
		assert_eq!((waiting[0].round, waiting[0].voters.to_vec()), (1, keys));
	});
}

#[test]
fn the_parent_keeps_the_voters_of_the_last_unenacted_elections() {
	build_and_execute(|| {
		let max = dbm_primitives::registry::MAX_UNENACTED;
		for round in 1..=max + 2 {
			let committee = vec![acc([Bob, Charlie, Dave][round as usize % 3])];
			assert_ok!(submit(round, &committee, confirmations(ONE, round, &committee, &FIVE)));
		}
		// The oldest gave way: no sub-chain enacts them once it holds a later round.
		let rounds: Vec<u32> = Unenacted::<Test>::get(ONE).iter().map(|e| e.round).collect();
		assert_eq!(rounds, (3..=max + 2).collect::<Vec<_>>());
	});
}

#[test]
fn a_confirmed_election_clears_the_pending_reelection() {
	build_and_execute(|| {
		assert_ok!(Registry::request_reelection(RuntimeOrigin::root(), ONE, Some(acc(Alice))));
		System::assert_last_event(
			Event::<Test>::ReelectionRequested {
				subchain: ONE,
				reason: ReelectionReason::Requested,
				excluded: Some(acc(Alice)),
			}
			.into(),
		);
		assert!(Reelections::<Test>::contains_key(ONE));
		let committee = vec![acc(Bob)];
		assert_ok!(submit(4, &committee, confirmations(ONE, 4, &committee, &FIVE)));
		assert!(!Reelections::<Test>::contains_key(ONE));
	});
}

#[test]
fn too_few_confirmations_are_refused() {
	build_and_execute(|| {
		let committee = vec![acc(Bob)];
		assert_noop!(
			submit(1, &committee, confirmations(ONE, 1, &committee, &FIVE[..4])),
			Error::<Test>::TooFewConfirmations
		);
		// A suspended member's signature does not count; it is refused outright.
		assert_noop!(
			submit(
				1,
				&committee,
				confirmations(ONE, 1, &committee, &[Alice, Bob, Charlie, Dave, EveStash])
			),
			Error::<Test>::ConfirmationByNonMember
		);
	});
}

#[test]
fn confirmations_by_non_members_duplicates_or_bad_signatures_are_refused() {
	build_and_execute(|| {
		let committee = vec![acc(Bob)];
		let mut outsider = confirmations(ONE, 1, &committee, &FIVE);
		outsider.extend(confirmations(ONE, 1, &committee, &[FerdieStash]));
		assert_noop!(submit(1, &committee, outsider), Error::<Test>::ConfirmationByNonMember);

		let mut twice = confirmations(ONE, 1, &committee, &FIVE);
		twice.push(twice[0].clone());
		assert_noop!(submit(1, &committee, twice), Error::<Test>::DuplicateConfirmation);

		// Signed for another round, another committee, or another sub-chain.
		for wrong in [
			confirmations(ONE, 2, &committee, &FIVE),
			confirmations(ONE, 1, &[acc(Charlie)], &FIVE),
			confirmations(TWO, 1, &committee, &FIVE),
		] {
			assert_noop!(submit(1, &committee, wrong), Error::<Test>::BadSignature);
		}
	});
}

#[test]
fn an_election_counts_the_active_member_set_its_statement_names() {
	build_and_execute(|| {
		let counted = Registry::active_set_of(ONE);
		assert_eq!(counted, MemberSet::of(members()[..8].iter().map(|k| acc(*k))));
		let committee = vec![acc(Bob)];
		// Three nodes join: eleven active members, a quorum of six.
		for who in [AliceStash, BobStash, CharlieStash] {
			join(who);
		}
		let now = Registry::active_set_of(ONE);
		assert_eq!((now.count, Registry::quorum(&now)), (11, 6));
		assert_eq!(
			now,
			counted.with(&acc(AliceStash)).with(&acc(BobStash)).with(&acc(CharlieStash))
		);
		// A round that counted the eight is refused: the set is no longer the sub-chain's (its
		// round expires there, and the next one counts the eleven).
		let signed = sign_statement(&statement(1, counted, &committee), &FIVE);
		assert_noop!(
			submit_counting(1, counted, &committee, signed),
			Error::<Test>::UnknownMemberSet
		);
		// Counting the eleven, five signatures are too few and six are a quorum.
		assert_noop!(
			submit(1, &committee, confirmations(ONE, 1, &committee, &FIVE)),
			Error::<Test>::TooFewConfirmations
		);
		let six = [Alice, Bob, Charlie, Dave, Eve, AliceStash];
		assert_ok!(submit(1, &committee, confirmations(ONE, 1, &committee, &six)));
		System::assert_last_event(
			Event::<Test>::ElectionConfirmed { subchain: ONE, round: 1, committee }.into(),
		);
	});
}

#[test]
fn a_member_set_the_sub_chain_does_not_have_is_refused() {
	build_and_execute(|| {
		let committee = vec![acc(Bob)];
		let genesis = Registry::active_set_of(ONE);
		// A set of one, named by its only signer: never sub-chain 1's.
		let alone = MemberSet::of([acc(Bob)]);
		let signed = sign_statement(&statement(1, alone, &committee), &[Bob]);
		assert_noop!(
			submit_counting(1, alone, &committee, signed),
			Error::<Test>::UnknownMemberSet
		);
		// The same count with other members, signed honestly: not the registry's set.
		let mut forged = genesis;
		forged.digest.0[0] ^= 1;
		let signed = sign_statement(&statement(1, forged, &committee), &FIVE);
		assert_noop!(
			submit_counting(1, forged, &committee, signed),
			Error::<Test>::UnknownMemberSet
		);
		// A larger count than the sub-chain has, to make the quorum look met by other means.
		let larger = MemberSet { count: genesis.count + 1, ..genesis };
		let signed = sign_statement(&statement(1, larger, &committee), &FIVE);
		assert_noop!(
			submit_counting(1, larger, &committee, signed),
			Error::<Test>::UnknownMemberSet
		);
	});
}

#[test]
fn a_statement_of_another_deployment_is_refused() {
	build_and_execute(|| {
		// Same members, same keys, same round: another genesis hash.
		let committee = vec![acc(Bob)];
		let members = Registry::active_set_of(ONE);
		let other = ElectionStatement::new(
			H256::repeat_byte(7),
			ONE,
			1,
			members,
			committee.clone(),
			voters_for(&committee),
		);
		assert_noop!(
			submit(1, &committee, sign_statement(&other, &FIVE)),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn the_active_set_follows_suspensions_and_removals() {
	build_and_execute(|| {
		let genesis = Registry::active_set_of(ONE);
		// Sub-chain 2 has no members: the empty set.
		assert_eq!(Registry::active_set_of(TWO), MemberSet::default());
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Bob), member(true)));
		assert_eq!(Registry::active_set_of(ONE), genesis.without(&acc(Bob)));
		// An update that keeps the member suspended changes nothing.
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Bob), member(true)));
		assert_eq!(Registry::active_set_of(ONE), genesis.without(&acc(Bob)));
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Bob), member(false)));
		assert_eq!(Registry::active_set_of(ONE), genesis);
		// Removing a suspended member changes no set; an active one leaves it.
		assert_ok!(Registry::remove_member(RuntimeOrigin::root(), acc(EveStash)));
		assert_eq!(Registry::active_set_of(ONE), genesis);
		assert_ok!(Registry::remove_member(RuntimeOrigin::root(), acc(Bob)));
		assert_eq!(Registry::active_set_of(ONE), genesis.without(&acc(Bob)));
	});
}

#[test]
fn too_many_confirmations_are_refused() {
	build_and_execute(|| {
		let committee = vec![acc(Bob)];
		let mut many = confirmations(ONE, 1, &committee, &FIVE);
		while many.len() <= 12 {
			many.push(many[0].clone());
		}
		assert_noop!(submit(1, &committee, many), Error::<Test>::TooManyConfirmations);
	});
}

#[test]
fn a_stale_round_is_refused() {
	build_and_execute(|| {
		let committee = vec![acc(Bob)];
		assert_ok!(submit(3, &committee, confirmations(ONE, 3, &committee, &FIVE)));
		for round in [2, 3] {
			assert_noop!(
				submit(round, &committee, confirmations(ONE, round, &committee, &FIVE)),
				Error::<Test>::StaleRound
			);
		}
	});
}

#[test]
fn a_bad_committee_is_refused() {
	build_and_execute(|| {
		assert_noop!(submit(1, &[], vec![]), Error::<Test>::EmptyCommittee);
		let huge = vec![acc(Bob); 33];
		assert_noop!(submit(1, &huge, vec![]), Error::<Test>::CommitteeTooLarge);
		for bad in [vec![acc(Bob), acc(Bob)], vec![acc(EveStash)], vec![acc(FerdieStash)]] {
			assert_noop!(
				submit(1, &bad, confirmations(ONE, 1, &bad, &FIVE)),
				Error::<Test>::InvalidCommittee
			);
		}
	});
}

#[test]
fn elections_of_unknown_or_paused_sub_chains_are_refused() {
	build_and_execute(|| {
		let committee = vec![acc(Bob)];
		assert_noop!(
			Registry::submit_election(
				RuntimeOrigin::signed(acc(Alice)),
				SubchainId(9),
				1,
				MemberSet::default(),
				committee.clone(),
				voters_for(&committee),
				vec![]
			),
			Error::<Test>::UnknownSubchain
		);
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Paused));
		assert_noop!(
			submit(1, &committee, confirmations(ONE, 1, &committee, &FIVE)),
			Error::<Test>::SubchainNotActive
		);
		assert_noop!(
			Registry::request_reelection(RuntimeOrigin::root(), ONE, None),
			Error::<Test>::SubchainNotActive
		);
		assert_noop!(
			Registry::request_reelection(RuntimeOrigin::root(), SubchainId(9), None),
			Error::<Test>::UnknownSubchain
		);
		assert_noop!(
			Registry::submit_election(
				RuntimeOrigin::none(),
				ONE,
				1,
				Registry::active_set_of(ONE),
				committee.clone(),
				voters_for(&committee),
				vec![]
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::request_reelection(RuntimeOrigin::signed(acc(Alice)), TWO, None),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_term_end_asks_for_a_reelection() {
	build_and_execute(|| {
		// The genesis committee was confirmed at block 0; the term is 100 blocks.
		run_to_block(99);
		assert!(!Reelections::<Test>::contains_key(ONE));
		run_to_block(100);
		assert_eq!(
			Reelections::<Test>::get(ONE).map(|r| (r.reason, r.excluded, r.requested_at)),
			Some((ReelectionReason::TermEnd, None, 100))
		);
		// Sub-chain 2 has no committee: no term.
		assert!(!Reelections::<Test>::contains_key(TWO));
	});
}

/// The `AnchorsOverdue` events so far.
fn overdue_events() -> Vec<(SubchainId, u64)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Registry(Event::AnchorsOverdue { subchain, since }) => {
				Some((subchain, since))
			}
			_ => None,
		})
		.collect()
}

#[test]
fn missing_anchors_are_said_once_and_ask_for_no_reelection() {
	build_and_execute(|| {
		let last = anchor_chain(1);
		// Anchored at block 1; overdue after 20 blocks.
		run_to_block(20);
		assert!(overdue_events().is_empty());
		run_to_block(21);
		assert_eq!(overdue_events(), vec![(ONE, 1)]);
		// Said once; and the relay may be what stopped, so nobody is asked to step down.
		run_to_block(60);
		assert_eq!(overdue_events(), vec![(ONE, 1)]);
		assert!(!Reelections::<Test>::contains_key(ONE));
		// An anchor starts the count again.
		let trades = vec![record(2)];
		anchor(&header(2, last.hash(), &trades), trades).expect("the next header anchors");
		run_to_block(79);
		assert_eq!(overdue_events(), vec![(ONE, 1)]);
		run_to_block(80);
		assert_eq!(overdue_events(), vec![(ONE, 1), (ONE, 60)]);
		// The term still ends as it would have.
		run_to_block(100);
		assert_eq!(
			Reelections::<Test>::get(ONE).map(|r| (r.reason, r.excluded)),
			Some((ReelectionReason::TermEnd, None))
		);
	});
}

#[test]
fn a_new_committee_gets_the_whole_time_before_its_anchors_are_overdue() {
	build_and_execute(|| {
		anchor_chain(1);
		run_to_block(15);
		// Block 15: a new committee is confirmed; still no anchors.
		let committee = vec![acc(Bob)];
		assert_ok!(submit(1, &committee, confirmations(ONE, 1, &committee, &FIVE)));
		run_to_block(34);
		assert!(overdue_events().is_empty(), "counted from the confirmation");
		run_to_block(35);
		assert_eq!(overdue_events(), vec![(ONE, 15)]);
		assert!(!Reelections::<Test>::contains_key(ONE));
	});
}

/// Sends one more message for sub-chain 1 with `send`: refused while the outbox is full and
/// then while the sub-chain is paused, nothing sent either time.
fn refused_when_the_outbox_is_full_or_the_sub_chain_paused(send: impl Fn() -> DispatchResult) {
	let sent = SENT.with(|s| s.borrow().len());
	OUTBOX_FULL.with(|f| f.set(true));
	assert_noop!(send(), DispatchError::Other("OutboxFull"));
	OUTBOX_FULL.with(|f| f.set(false));
	assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Paused));
	assert_noop!(send(), Error::<Test>::SubchainNotActive);
	assert_eq!(SENT.with(|s| s.borrow().len()), sent);
}

#[test]
fn score_weights_go_to_the_sub_chain_through_the_outbox() {
	use dbm_primitives::dbsca::ScoreWeights;
	use sp_runtime::Permill;
	let weights = |r, e, c, s| ScoreWeights {
		renewable: Permill::from_percent(r),
		environmental: Permill::from_percent(e),
		cost: Permill::from_percent(c),
		stability: Permill::from_percent(s),
	};
	build_and_execute(|| {
		let even = weights(25, 25, 25, 25);
		assert_ok!(Registry::set_score_weights(RuntimeOrigin::root(), ONE, even));
		System::assert_last_event(
			Event::<Test>::ScoreWeightsSent { subchain: ONE, weights: even, nonce: 0 }.into(),
		);
		let sent = SENT.with(|s| s.borrow().clone());
		assert_eq!(sent, vec![(Destination::Subchain(ONE), Message::SetWeights { weights: even })]);

		let bad = weights(25, 25, 25, 24);
		assert_noop!(
			Registry::set_score_weights(RuntimeOrigin::root(), ONE, bad),
			Error::<Test>::WeightsDoNotSumTo100Percent
		);
		assert_noop!(
			Registry::set_score_weights(RuntimeOrigin::signed(acc(Alice)), ONE, even),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_score_weights(RuntimeOrigin::root(), SubchainId(9), even),
			Error::<Test>::UnknownSubchain
		);
		refused_when_the_outbox_is_full_or_the_sub_chain_paused(|| {
			Registry::set_score_weights(RuntimeOrigin::root(), ONE, even)
		});
		assert_eq!(SENT.with(|s| s.borrow().len()), 1, "only the first was sent");
	});
}

#[test]
fn committee_sizes_go_to_the_sub_chain_through_the_outbox() {
	use dbm_primitives::dbsca::MAX_COMMITTEE_SIZE;
	build_and_execute(|| {
		assert_ok!(Registry::set_committee_size(RuntimeOrigin::root(), ONE, MAX_COMMITTEE_SIZE));
		System::assert_last_event(
			Event::<Test>::CommitteeSizeSent { subchain: ONE, size: MAX_COMMITTEE_SIZE, nonce: 0 }
				.into(),
		);
		let sent = SENT.with(|s| s.borrow().clone());
		assert_eq!(
			sent,
			vec![(
				Destination::Subchain(ONE),
				Message::SetCommitteeSize { size: MAX_COMMITTEE_SIZE }
			)]
		);

		for size in [0, MAX_COMMITTEE_SIZE + 1] {
			assert_noop!(
				Registry::set_committee_size(RuntimeOrigin::root(), ONE, size),
				Error::<Test>::InvalidCommitteeSize
			);
		}
		assert_noop!(
			Registry::set_committee_size(RuntimeOrigin::signed(acc(Alice)), ONE, 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_committee_size(RuntimeOrigin::root(), SubchainId(9), 1),
			Error::<Test>::UnknownSubchain
		);
		refused_when_the_outbox_is_full_or_the_sub_chain_paused(|| {
			Registry::set_committee_size(RuntimeOrigin::root(), ONE, 1)
		});
		assert_eq!(SENT.with(|s| s.borrow().len()), 1, "only the first was sent");
	});
}

#[test]
fn prices_go_to_the_sub_chain_through_the_outbox() {
	build_and_execute(|| {
		// Equal bounds are consistent: the market then has one price.
		assert_ok!(Registry::set_prices(RuntimeOrigin::root(), ONE, 300, 300));
		System::assert_last_event(
			Event::<Test>::PricesSent {
				subchain: ONE,
				feed_in_tariff: 300,
				grid_price: 300,
				nonce: 0,
			}
			.into(),
		);
		let sent = SENT.with(|s| s.borrow().clone());
		assert_eq!(
			sent,
			vec![(
				Destination::Subchain(ONE),
				Message::SetPrices { feed_in_tariff: 300, grid_price: 300 }
			)]
		);

		assert_noop!(
			Registry::set_prices(RuntimeOrigin::root(), ONE, 301, 300),
			Error::<Test>::InvalidPriceBounds
		);
		assert_noop!(
			Registry::set_prices(RuntimeOrigin::signed(acc(Alice)), ONE, 80, 300),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_prices(RuntimeOrigin::root(), SubchainId(9), 80, 300),
			Error::<Test>::UnknownSubchain
		);
		refused_when_the_outbox_is_full_or_the_sub_chain_paused(|| {
			Registry::set_prices(RuntimeOrigin::root(), ONE, 80, 300)
		});
		assert_eq!(SENT.with(|s| s.borrow().len()), 1, "only the first was sent");
	});
}

#[test]
fn a_network_charge_goes_to_the_sub_chain_through_the_outbox() {
	build_and_execute(|| {
		assert_ok!(Registry::set_network_charge(RuntimeOrigin::root(), ONE, 15));
		System::assert_last_event(
			Event::<Test>::NetworkChargeSent { subchain: ONE, per_kwh: 15, nonce: 0 }.into(),
		);
		assert_eq!(
			SENT.with(|s| s.borrow().clone()),
			vec![(Destination::Subchain(ONE), Message::SetNetworkCharge { per_kwh: 15 })]
		);

		assert_noop!(
			Registry::set_network_charge(RuntimeOrigin::signed(acc(Alice)), ONE, 15),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_network_charge(RuntimeOrigin::root(), SubchainId(9), 15),
			Error::<Test>::UnknownSubchain
		);
		refused_when_the_outbox_is_full_or_the_sub_chain_paused(|| {
			Registry::set_network_charge(RuntimeOrigin::root(), ONE, 15)
		});
		assert_eq!(SENT.with(|s| s.borrow().len()), 1, "only the first was sent");
	});
}

#[test]
fn upgrades_are_authorized_for_the_parent_here_and_for_a_sub_chain_through_the_outbox() {
	use dbm_primitives::registry::UpgradeTarget;
	build_and_execute(|| {
		let (ours, theirs) = (H256::repeat_byte(1), H256::repeat_byte(2));
		assert_ok!(Registry::authorize_upgrade(RuntimeOrigin::root(), UpgradeTarget::Parent, ours));
		System::assert_last_event(
			Event::<Test>::UpgradeAuthorized {
				target: UpgradeTarget::Parent,
				code_hash: ours,
				nonce: None,
			}
			.into(),
		);
		let authorized = frame_system::Pallet::<Test>::authorized_upgrade().expect("authorized");
		assert_eq!(*authorized.code_hash(), ours);
		assert!(SENT.with(|s| s.borrow().is_empty()), "nothing sent for the parent's own");

		let sub = UpgradeTarget::Subchain(ONE);
		assert_ok!(Registry::authorize_upgrade(RuntimeOrigin::root(), sub, theirs));
		System::assert_last_event(
			Event::<Test>::UpgradeAuthorized { target: sub, code_hash: theirs, nonce: Some(0) }
				.into(),
		);
		assert_eq!(
			SENT.with(|s| s.borrow().clone()),
			vec![(Destination::Subchain(ONE), Message::AuthorizeUpgrade { code_hash: theirs })]
		);
		assert_eq!(
			frame_system::Pallet::<Test>::authorized_upgrade().map(|a| *a.code_hash()),
			Some(ours),
			"the parent's own authorization is untouched"
		);

		for target in [UpgradeTarget::Parent, sub] {
			assert_noop!(
				Registry::authorize_upgrade(RuntimeOrigin::signed(acc(Alice)), target, theirs),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			Registry::authorize_upgrade(
				RuntimeOrigin::root(),
				UpgradeTarget::Subchain(SubchainId(9)),
				theirs
			),
			Error::<Test>::UnknownSubchain
		);
		refused_when_the_outbox_is_full_or_the_sub_chain_paused(|| {
			Registry::authorize_upgrade(RuntimeOrigin::root(), sub, theirs)
		});
		assert_eq!(SENT.with(|s| s.borrow().len()), 1, "only the first was sent");
	});
}
