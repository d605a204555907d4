//! The relay inside `dbm-node`: a sub-chain node started with `--parent-rpc` anchors every
//! finalized block of its sub-chain on a parent node (another process, over WebSocket), in
//! order, and nothing that is not finalized; killed with SIGKILL and restarted, it resumes
//! where the parent's registry stands, with nothing skipped and nothing anchored twice.

use crate::common;

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

/// Checks that sub-chain blocks 0 (the genesis) to `up_to` are anchored on `parent`, each with
/// the hash the sub-chain node has at that height.
async fn assert_anchored(parent: &Rpc, sub: &Rpc, up_to: BlockNumber, node: &TestNode) {
	for number in 0..=up_to {
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
	let _timer = crate::common::timer();
	// The development parent registers sub-chain 1 (with its genesis hash) in its genesis.
	let parent =
		TestNode::start("relay-parent", &["--dev", "--chain", "parent-dev", "--subchains", "1"]);
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	let p = parent.rpc();
	p.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| parent.fail(e));

	// Only finalized blocks: a sub-chain node without GRANDPA produces blocks that are never
	// finalized, and its relay anchors none of them (the genesis at most).
	let unfinal = TestNode::start(
		"relay-sub-1-unfinalized",
		&["--dev", "--chain", "sub-1", "--no-grandpa", "--parent-rpc", &url],
	);
	let u = unfinal.rpc();
	u.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| unfinal.fail(e));
	wait_for("four unfinalized blocks", Duration::from_secs(60), || async {
		(u.best_number().await.ok()? >= 4).then_some(())
	})
	.await;
	assert_eq!(u.finalized_number().await.unwrap_or_else(|e| unfinal.fail(e)), 0);
	assert!(unfinal.log().contains("relaying to the parent"), "the relay did not start");
	// The genesis is final by definition and may be anchored; nothing after it.
	let anchored = last_anchor(&p).await.map(|head| head.number);
	assert!(anchored.is_none_or(|number| number == 0), "an unfinalized block was anchored");
	drop(unfinal);

	let mut sub =
		TestNode::start("relay-sub-1", &["--dev", "--chain", "sub-1", "--parent-rpc", &url]);
	let s = sub.rpc();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));

	// Anchors arrive, in order, each the sub-chain's own block.
	let head = wait_for("five anchors", Duration::from_secs(120), || async {
		last_anchor(&p).await.filter(|head| head.number >= 5)
	})
	.await;
	assert_anchored(&p, &s, head.number, &sub).await;

	// Killed mid-relay and restarted on the same database: the relay asks the parent where it
	// stands and goes on from there.
	sub.kill9();
	// Anchors already in the parent's pool may still land: wait until the count holds while the
	// parent finalizes four blocks; then it must not move over eight more.
	let anchored = || async { last_anchor(&p).await.map(|head| head.number).unwrap_or(0) };
	let parent_blocks = |n: u64| {
		let (p, parent) = (&p, &parent);
		async move {
			p.finalize_more(n, Duration::from_secs(60)).await.unwrap_or_else(|e| parent.fail(e))
		}
	};
	let at_crash = wait_for("the anchors to settle", Duration::from_secs(60), || async {
		let before = anchored().await;
		parent_blocks(4).await;
		(anchored().await == before).then_some(before)
	})
	.await;
	parent_blocks(8).await;
	assert_eq!(anchored().await, at_crash, "nothing anchors while the relay is down");
	sub.restart();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));
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
