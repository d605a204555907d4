//! A sub-chain's approved membership proposals reach the parent exactly once and in order,
//! through crashes: sub-chain 1's members approve joins; the sub-chain node's relay proves
//! each outbox message to the parent against the sub-chain's anchored state; the node (and its
//! relay) is killed with SIGKILL once the relay has sent messages and before it saw them
//! taken; after each restart the relay goes on from what the parent took. Every message is
//! opened for the parent's vote once, in nonce order, and the sub-chain's outbox is pruned
//! with a proof of what the parent took.

use crate::common;

use common::{kill_mid, wait_for, Rpc, TestNode};
use dbm_primitives::{
	dbsca::NodeAttributes,
	membership::{Application, Destination, Proposal, ProposalStatus, Reason, Role},
	AccountId, BlockNumber, SubchainId,
};
use dbm_sub_runtime::Runtime as Sub;
use sp_core::Pair;
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::Permill;
use std::time::Duration;

type SubCall = dbm_sub_runtime::RuntimeCall;
type ParentEvent = dbm_parent_runtime::RuntimeEvent;

const MINUTE: Duration = Duration::from_secs(60);
const ONE: SubchainId = SubchainId(1);
/// Six of sub-chain 1's ten development members: 51% of them approve anything.
const VOTERS: [Sr25519Keyring; 6] = [Alice, Bob, Charlie, Dave, Eve, AliceStash];

fn joiner(i: u32) -> AccountId {
	sp_core::sr25519::Pair::from_string(&format!("//Forwarded{i}"), None)
		.expect("a valid secret URI")
		.public()
		.into()
}

fn join(i: u32) -> Proposal<AccountId> {
	Proposal::Join {
		candidate: joiner(i),
		application: Application {
			role: Role::Consumer,
			attested: NodeAttributes {
				renewable: false,
				environmental: Permill::from_percent(10 + i),
				cost: Permill::from_percent(50),
				stability: Permill::from_percent(50),
			},
			capacity_w: 0,
			area: b"DEV-1-7".to_vec().try_into().expect("a short area"),
		},
	}
}

async fn open_proposals(rpc: &Rpc) -> Option<Vec<ProposalStatus<AccountId, BlockNumber>>> {
	rpc.runtime_call("MembershipApi_proposals", ()).await.ok()
}

/// Proposes `proposals` on the sub-chain (Alice) and approves each with the votes of
/// [`VOTERS`].
async fn approve(sub: &Rpc, node: &TestNode, proposals: Vec<Proposal<AccountId>>) {
	let count = proposals.len();
	for proposal in proposals {
		let propose =
			SubCall::MembershipVoting(pallet_membership_voting::Call::propose { proposal });
		sub.submit(Alice, propose).await.unwrap_or_else(|e| node.fail(e));
	}
	let open = wait_for("the sub-chain's proposals", MINUTE, || async {
		let open = open_proposals(sub).await?;
		(open.len() == count).then_some(open)
	})
	.await;
	for status in open {
		for voter in VOTERS {
			let vote = SubCall::MembershipVoting(pallet_membership_voting::Call::vote {
				index: status.index,
				aye: true,
			});
			sub.submit(voter, vote).await.unwrap_or_else(|e| node.fail(e));
		}
	}
	wait_for("the sub-chain's votes", MINUTE, || async {
		open_proposals(sub).await?.is_empty().then_some(())
	})
	.await;
}

/// How many of sub-chain 1's messages the parent took.
async fn taken(parent: &Rpc) -> Option<u64> {
	let key = dbm_primitives::parent_state::inbound_nonce_key(ONE);
	parent.storage(&key, None).await.ok().map(|n| n.unwrap_or(0))
}

/// Whether the parent's pool holds a sub-chain message the relay sent, of nonce `from` or later.
async fn receive_pooled(parent: &Rpc, from: u64) -> bool {
	parent.pooled::<dbm_parent_runtime::UncheckedExtrinsic>().await.into_iter().any(|xt| {
		matches!(
			xt.function,
			dbm_parent_runtime::RuntimeCall::SubchainInbox(
				pallet_subchain_inbox::Call::receive { nonce, .. }
			) if nonce >= from
		)
	})
}

/// Waits until the relay of `sub` has sent the parent a message beyond the `before` it had
/// taken, then kills the sub-chain node with SIGKILL. Returns whether the kill came while the
/// message still waited in the parent's pool.
async fn kill_mid_forward(sub: &mut TestNode, parent: &Rpc, before: u64) -> bool {
	kill_mid(
		sub,
		"message forwarded",
		3 * MINUTE,
		|| receive_pooled(parent, before),
		|| async { taken(parent).await.is_some_and(|n| n > before) },
	)
	.await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sub_chains_decisions_reach_the_parent_once_and_in_order_across_crashes() {
	let _timer = crate::common::timer();
	let parent =
		TestNode::start("forward-parent", &["--dev", "--chain", "parent-dev", "--subchains", "1"]);
	let p = parent.rpc();
	p.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| parent.fail(e));
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	let mut sub =
		TestNode::start("forward-sub-1", &["--dev", "--chain", "sub-1", "--parent-rpc", &url]);
	let s = sub.rpc();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));

	// Three joins approved on the sub-chain (its messages 0, 1 and 2 for the parent).
	approve(&s, &sub, (0..3).map(join).collect()).await;
	let first_crash = kill_mid_forward(&mut sub, &p, 0).await;
	sub.restart();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));

	// Two more (messages 3 and 4): a join and a kick of one of its members; the relay is killed
	// again once it sends them.
	let before = taken(&p).await.unwrap_or_else(|| parent.fail("no inbox"));
	approve(
		&s,
		&sub,
		vec![
			join(3),
			Proposal::Kick { member: Ferdie.to_account_id(), reason: Reason::Misconduct },
		],
	)
	.await;
	let second_crash = kill_mid_forward(&mut sub, &p, before.max(3)).await;
	assert!(
		first_crash || second_crash,
		"neither crash caught the relay's messages in the parent's pool"
	);
	sub.restart();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));
	wait_for("all five messages taken by the parent", 3 * MINUTE, || async {
		(taken(&p).await? == 5).then_some(())
	})
	.await;

	// The sub-chain prunes what the parent took, with a proof against its light client.
	wait_for("the sub-chain's outbox pruned", 3 * MINUTE, || async {
		let key =
			pallet_membership_voting::OutboxNonces::<Sub>::hashed_key_for(Destination::Parent);
		let nonces: Option<(u64, u64)> = s.storage(&key, None).await.ok()?;
		(nonces == Some((5, 5))).then_some(())
	})
	.await;

	// Each message was taken once, in order, and opened for the parent's vote: the `Received`
	// events of all the parent's blocks carry the nonces 0 to 4, once each, all opened.
	let mut received = Vec::new();
	for (number, event) in
		p.all_events::<dbm_parent_runtime::Runtime>().await.unwrap_or_else(|e| parent.fail(e))
	{
		if let ParentEvent::SubchainInbox(pallet_subchain_inbox::Event::Received {
			subchain,
			nonce,
			result,
			..
		}) = event
		{
			assert_eq!(subchain, ONE);
			assert_eq!(result, Ok(()), "message {nonce} in parent block #{number}");
			received.push(nonce);
		}
	}
	assert_eq!(received, (0..5).collect::<Vec<u64>>(), "each message once, in order");

	let open = open_proposals(&p).await.unwrap_or_else(|| parent.fail("no proposals"));
	let mut subjects: Vec<_> =
		open.iter().map(|status| status.proposal.subject().clone()).collect();
	subjects.sort();
	let mut expected: Vec<_> = (0..4).map(joiner).collect();
	expected.push(Ferdie.to_account_id());
	expected.sort();
	assert_eq!(subjects, expected, "every approved proposal open on the parent, once");
	assert!(open.iter().all(|status| status.proposer.is_none()), "taken, not proposed");
}
