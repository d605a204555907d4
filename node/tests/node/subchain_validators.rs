//! A sub-chain run by four validators, each its own process: it survives one dead validator,
//! and the validator catches up after a restart.

use crate::common;

use common::TestNetwork;
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn four_validator_sub_chain_survives_a_killed_validator_which_then_catches_up() {
	let _timer = crate::common::timer();
	let mut net = TestNetwork::start("sub-1-local", &["alice", "bob", "charlie", "dave"]);
	for node in &net.nodes {
		node.rpc().wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	}
	let alice = net.nodes[0].rpc();
	alice.wait_for_blocks(4, 3, 3 * MINUTE).await.unwrap_or_else(|e| net.nodes[0].fail(e));

	// Kill Bob as a crash would.
	net.nodes[1].kill9();
	let best = alice.best_number().await.unwrap_or_else(|e| net.nodes[0].fail(e));
	let finalized = alice.finalized_number().await.unwrap_or_else(|e| net.nodes[0].fail(e));

	// Three of four GRANDPA voters are enough: blocks and finality go on without Bob.
	alice
		.wait_for_blocks(best + 4, finalized + 4, 3 * MINUTE)
		.await
		.unwrap_or_else(|e| net.nodes[0].fail(e));
	let charlie = net.nodes[2].rpc();
	charlie
		.wait_for_blocks(best + 4, finalized + 4, 2 * MINUTE)
		.await
		.unwrap_or_else(|e| net.nodes[2].fail(e));

	// Bob comes back with the same database and catches up with the others.
	net.nodes[1].restart();
	let bob = net.nodes[1].rpc();
	bob.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let target = alice.finalized_number().await.unwrap_or_else(|e| net.nodes[0].fail(e));
	bob.wait_for_blocks(target, target, 3 * MINUTE).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let hash_alice = alice.block_hash(target).await.unwrap_or_else(|e| net.nodes[0].fail(e));
	let hash_bob = bob.block_hash(target).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	assert_eq!(hash_alice, hash_bob, "Bob finalized a different block #{target}");
}
