//! The relay inside `dbm-node`: a sub-chain node started with `--parent-rpc` anchors every
//! finalized block of its sub-chain on a parent node (another process, over WebSocket), in
//! order; killed with SIGKILL and restarted, it resumes where the parent's registry stands,
//! with nothing skipped and nothing anchored twice.

mod common;

use common::{wait_for, Rpc, TestNode};
use dbm_primitives::{
	registry::{AnchorHead, AnchorLocation},
	BlockNumber, SubchainId,
};
use std::time::Duration;

const SUB: SubchainId = SubchainId(1);

async fn last_anchor(parent: &Rpc) -> Option<AnchorHead<BlockNumber>> {
	parent.runtime_call("RegistryApi_last_anchor", SUB).await.ok().flatten()
}

/// Checks that sub-chain blocks 1 to `up_to` are anchored on `parent`, each with the hash the
/// sub-chain node has at that height.
async fn assert_anchored(parent: &Rpc, sub: &Rpc, up_to: BlockNumber, node: &TestNode) {
	for number in 1..=up_to {
		let location: Option<AnchorLocation<BlockNumber>> = parent
			.runtime_call("RegistryApi_anchor_location", (SUB, number))
			.await
			.unwrap_or_else(|e| node.fail(e));
		let Some(AnchorLocation::Recent(anchor)) = location else {
			node.fail(format!("sub-chain block #{number} is not anchored: {location:?}"))
		};
		let ours = sub.block_hash(number as u64).await.unwrap_or_else(|e| node.fail(e));
		assert_eq!(format!("{:?}", anchor.hash), ours, "the anchor of #{number}");
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sub_chain_node_anchors_its_finalized_blocks_and_resumes_after_a_crash() {
	// The development parent registers sub-chain 1 (with its genesis hash) in its genesis.
	let parent =
		TestNode::start("relay-parent", &["--dev", "--chain", "parent-dev", "--subchains", "1"]);
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	let mut sub =
		TestNode::start("relay-sub-1", &["--dev", "--chain", "sub-1", "--parent-rpc", &url]);
	let (p, s) = (parent.rpc(), sub.rpc());
	p.wait_until_up(Duration::from_secs(90)).await.unwrap_or_else(|e| parent.fail(e));
	s.wait_until_up(Duration::from_secs(90)).await.unwrap_or_else(|e| sub.fail(e));

	// Anchors arrive, in order, each the sub-chain's own block; none ahead of its finality.
	let head = wait_for("five anchors", Duration::from_secs(120), || async {
		last_anchor(&p).await.filter(|head| head.number >= 5)
	})
	.await;
	let finalized = s.finalized_number().await.unwrap_or_else(|e| sub.fail(e));
	assert!(
		u64::from(head.number) <= finalized,
		"anchored #{} past finality #{finalized}",
		head.number
	);
	assert_anchored(&p, &s, head.number, &sub).await;
	assert!(sub.log().contains("relaying to the parent"), "the relay did not start");

	// Killed mid-relay and restarted on the same database: the relay asks the parent where it
	// stands and goes on from there.
	sub.kill9();
	let at_crash = last_anchor(&p).await.map(|head| head.number).unwrap_or(0);
	tokio::time::sleep(Duration::from_secs(6)).await;
	assert_eq!(
		last_anchor(&p).await.map(|head| head.number).unwrap_or(0),
		at_crash,
		"nothing anchors while the relay is down"
	);
	sub.restart();
	s.wait_until_up(Duration::from_secs(90)).await.unwrap_or_else(|e| sub.fail(e));
	let resumed = wait_for("anchors after the restart", Duration::from_secs(120), || async {
		last_anchor(&p).await.filter(|head| head.number >= at_crash + 5)
	})
	.await;
	assert_anchored(&p, &s, resumed.number, &sub).await;
	// The parent refuses replays and gaps, so a contiguous window of the sub-chain's own
	// hashes means every block was anchored exactly once, in order; and the relay never had an
	// anchor refused.
	assert!(!sub.log().contains("the parent refuses"), "a refused anchor in the relay's log");
}
