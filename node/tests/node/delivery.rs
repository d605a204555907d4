//! The parent's decisions reach a sub-chain exactly once and in order, through a crash: a
//! parent node queues admissions for sub-chain 1; the sub-chain node's relay proves them to
//! the sub-chain's light client and inbox; the node is killed with SIGKILL while its
//! deliveries wait in its pool; the parent decides more (admissions, a kick, a suspension)
//! while it is down; after each restart the relay catches up (and is killed mid-delivery once
//! more): every message applied once, in nonce order, every endowment paid once.

use crate::common;

use common::{kill_mid, wait_for, Rpc, TestNode};
use dbm_primitives::{
	dbsca::NodeAttributes,
	membership::{Application, MemberInfo, Proposal, ProposalStatus, Reason, Role},
	AccountId, Balance, BlockNumber,
};
use dbm_sub_runtime::{Runtime as Sub, RuntimeEvent as SubEvent};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring::Alice;
use sp_runtime::Permill;
use std::time::Duration;

type ParentCall = dbm_parent_runtime::RuntimeCall;

const MINUTE: Duration = Duration::from_secs(60);

/// The account of a node that asks to join (none of the development accounts).
fn joiner(i: u32) -> AccountId {
	sp_core::sr25519::Pair::from_string(&format!("//Joiner{i}"), None)
		.expect("a valid secret URI")
		.public()
		.into()
}

fn join(i: u32) -> Proposal<AccountId> {
	Proposal::Join {
		candidate: joiner(i),
		application: Application {
			role: Role::Generator,
			attested: NodeAttributes {
				renewable: true,
				environmental: Permill::from_percent(60 + i),
				cost: Permill::from_percent(50),
				stability: Permill::from_percent(70),
			},
			capacity_w: 5_000,
			area: b"DEV-1-10".to_vec().try_into().expect("a short area"),
		},
	}
}

/// Opens `proposals` on the parent as decisions of the other layer (imported by the council) and
/// approves each with the vote of Alice, the development parent's only authority.
async fn decide(parent: &Rpc, node: &TestNode, proposals: Vec<Proposal<AccountId>>) {
	let imported = proposals.len();
	for proposal in proposals {
		let import =
			ParentCall::MembershipVoting(pallet_membership_voting::Call::import { proposal });
		parent
			.submit_parent(Alice, common::tx::council(import))
			.await
			.unwrap_or_else(|e| node.fail(e));
	}
	let open = wait_for("the imported proposals", MINUTE, || async {
		let open: Vec<ProposalStatus<AccountId, BlockNumber>> =
			parent.runtime_call("MembershipApi_proposals", ()).await.ok()?;
		(open.len() == imported).then_some(open)
	})
	.await;
	for status in open {
		let vote = ParentCall::MembershipVoting(pallet_membership_voting::Call::vote {
			index: status.index,
			aye: true,
		});
		parent.submit_parent(Alice, vote).await.unwrap_or_else(|e| node.fail(e));
	}
	wait_for("the parent's votes", MINUTE, || async {
		let open: Vec<ProposalStatus<AccountId, BlockNumber>> =
			parent.runtime_call("MembershipApi_proposals", ()).await.ok()?;
		open.is_empty().then_some(())
	})
	.await;
}

/// The next nonce of the sub-chain's inbox of parent messages.
async fn next_nonce(sub: &Rpc) -> Option<u64> {
	sub.storage(&pallet_parent_inbox::NextNonce::<Sub>::hashed_key(), None)
		.await
		.ok()
		.map(|nonce| nonce.unwrap_or(0))
}

async fn member(sub: &Rpc, who: &AccountId) -> Option<MemberInfo> {
	sub.storage(&pallet_subchain::Members::<Sub>::hashed_key_for(who), None)
		.await
		.expect("the sub-chain answers")
}

/// Whether the node's pool holds a delivery of a parent message.
async fn delivery_pooled(sub: &Rpc) -> bool {
	sub.pooled::<dbm_sub_runtime::UncheckedExtrinsic>().await.into_iter().any(|xt| {
		matches!(
			xt.function,
			dbm_sub_runtime::RuntimeCall::ParentInbox(pallet_parent_inbox::Call::deliver { .. })
		)
	})
}

/// Waits until the relay of `sub` has submitted deliveries, then kills the node with SIGKILL.
/// Returns whether the kill came while they waited in the pool, before a block applied them
/// (the pool holds them for up to a slot and is polled far more often, but a block may take
/// them just before a poll); `applied` is the inbox's nonce before.
async fn kill_mid_delivery(sub: &mut TestNode, applied: u64) -> bool {
	let s = sub.rpc();
	kill_mid(
		sub,
		"delivery",
		3 * MINUTE,
		|| delivery_pooled(&s),
		|| async { next_nonce(&s).await.is_some_and(|nonce| nonce > applied) },
	)
	.await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_parents_messages_are_applied_once_and_in_order_across_a_crash() {
	let _timer = crate::common::timer();
	let parent =
		TestNode::start("delivery-parent", &["--dev", "--chain", "parent-dev", "--subchains", "1"]);
	let p = parent.rpc();
	p.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| parent.fail(e));
	p.wait_for_blocks(1, 1, MINUTE).await.unwrap_or_else(|e| parent.fail(e));
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);

	// Three admissions to sub-chain 1 (its nonces 0, 1 and 2) before the sub-chain runs.
	decide(&p, &parent, (0..3).map(join).collect()).await;

	let mut sub =
		TestNode::start("delivery-sub-1", &["--dev", "--chain", "sub-1", "--parent-rpc", &url]);
	let s = sub.rpc();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));
	let first_crash = kill_mid_delivery(&mut sub, 0).await;

	// While the relay is down the parent decides more: two admissions and a kick of the first
	// joiner (nonces 3 to 5). After the restart the relay delivers them, and is killed again.
	let mut more: Vec<_> = (3..5).map(join).collect();
	more.push(Proposal::Kick { member: joiner(0), reason: Reason::Misconduct });
	decide(&p, &parent, more).await;
	sub.restart();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));
	let applied = next_nonce(&s).await.unwrap_or_else(|| sub.fail("no inbox"));
	let second_crash = kill_mid_delivery(&mut sub, applied).await;
	assert!(
		first_crash || second_crash,
		"neither crash caught the relay's deliveries in the pool before a block applied them"
	);

	// Down again: a suspension of the second joiner and one more admission (nonces 6 and 7).
	decide(
		&p,
		&parent,
		vec![Proposal::Suspend { member: joiner(1), reason: Reason::ContinuousSilence }, join(5)],
	)
	.await;
	sub.restart();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));
	wait_for("all eight messages delivered", 3 * MINUTE, || async {
		(next_nonce(&s).await? == 8).then_some(())
	})
	.await;

	// The sub-chain's members are what the parent decided.
	assert_eq!(member(&s, &joiner(0)).await, None, "the kicked joiner is gone");
	let suspended = member(&s, &joiner(1)).await.unwrap_or_else(|| sub.fail("joiner 1"));
	assert!(suspended.suspended, "the second joiner is suspended");
	for i in 2..6 {
		let info = member(&s, &joiner(i)).await.unwrap_or_else(|| sub.fail("a joiner"));
		assert!(!info.suspended);
		assert_eq!(info.role, Role::Generator);
		assert_eq!(info.attested.environmental, Permill::from_percent(60 + i));
	}

	// Every message was applied exactly once, in order, and successfully: the `Delivered`
	// events of all the sub-chain's blocks carry the nonces 0 to 6, once each.
	let mut delivered = Vec::new();
	for (number, event) in s.all_events::<Sub>().await.unwrap_or_else(|e| sub.fail(e)) {
		if let SubEvent::ParentInbox(pallet_parent_inbox::Event::Delivered {
			nonce, result, ..
		}) = event
		{
			assert_eq!(result, Ok(()), "message {nonce} in block #{number}");
			delivered.push(nonce);
		}
	}
	assert_eq!(delivered, (0..8).collect::<Vec<u64>>(), "each message once, in order");

	// Each endowment was paid once (a second payment would double it).
	let endowment: Balance = dbm_primitives::currency::UNIT;
	for i in 0..6 {
		let account: Option<frame_system::AccountInfo<u32, pallet_balances::AccountData<Balance>>> =
			s.storage(&frame_system::Account::<Sub>::hashed_key_for(joiner(i)), None)
				.await
				.unwrap_or_else(|e| sub.fail(e));
		let free = account.map(|a| a.data.free).unwrap_or_default();
		assert_eq!(free, endowment, "joiner {i}'s endowment");
	}
	// The light client holds real parent headers: its newest is the parent's own block.
	let best_parent: bp_runtime::HeaderId<H256, BlockNumber> = s
		.storage(&pallet_bridge_grandpa::BestFinalized::<Sub>::hashed_key(), None)
		.await
		.unwrap_or_else(|e| sub.fail(e))
		.unwrap_or_else(|| sub.fail("the light client has no header"));
	let parent_hash: H256 = p
		.block_hash(best_parent.number().into())
		.await
		.unwrap_or_else(|e| parent.fail(e))
		.parse()
		.unwrap_or_else(|e| parent.fail(format!("a block hash: {e:?}")));
	assert_eq!(parent_hash, best_parent.hash());
}
