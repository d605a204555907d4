//! Finality recovers from dead voters without anyone acting, on six real parent validators
//! (`parent-local-6`): two of them are killed, so GRANDPA (five of six) stalls while the four
//! others keep authoring; their nodes report the stall, the runtime forces a change to the four,
//! they finalize again, nothing finalized before is reverted, and the council leaves the two
//! out. One of the two comes back, reports its return and is a voter again.
//!
//! Prints what it measured: how long from the kill to the stall reports' forced change and to
//! the first block finalized again.

mod common;

use common::{
	recovery::{grandpa, key, resumed, set_id, sidelined, stalled, voters},
	wait_for, Rpc, TestNetwork,
};
use dbm_primitives::AccountId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use std::time::{Duration, Instant};

async fn council(rpc: &Rpc) -> Vec<AccountId> {
	rpc.storage(&key(b"Council", b"Members"), None).await.ok().flatten().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parent_of_six_that_loses_two_voters_finalizes_again() {
	use Ed25519Keyring::*;
	let mut net =
		TestNetwork::start("parent-local-6", &["alice", "bob", "charlie", "dave", "eve", "ferdie"]);
	let alice = net.nodes[0].rpc();
	let fail = |e: String| -> ! { panic!("{e}") };
	for node in &net.nodes {
		node.rpc().wait_until_up(Duration::from_secs(90)).await.unwrap_or_else(|e| node.fail(e));
	}
	alice.wait_for_blocks(4, 4, Duration::from_secs(120)).await.unwrap_or_else(|e| fail(e));
	assert_eq!(voters(&alice).await, grandpa(&[Alice, Bob, Charlie, Dave, Eve, Ferdie]));

	// What is final now must stay final.
	let final_before = alice.finalized_number().await.unwrap_or_else(|e| fail(e));
	let final_hash = alice.block_hash(final_before).await.unwrap_or_else(|e| fail(e));

	// Eve and Ferdie die: four of six cannot finalize.
	net.nodes[4].kill9();
	net.nodes[5].kill9();
	let killed = Instant::now();
	let stalled_at = stalled(&alice).await;
	let stall_seen = killed.elapsed();

	// The four report, the runtime forces a change to them, and they finalize again.
	let resumed_at = resumed(&alice, stalled_at).await;
	let recovered = killed.elapsed();
	assert_eq!(voters(&alice).await, grandpa(&[Alice, Bob, Charlie, Dave]));
	assert_eq!(set_id(&alice).await, 1);
	assert_eq!(sidelined(&alice).await, grandpa(&[Eve, Ferdie]));
	// The council is the four live authorities: three of them are more than two thirds.
	let mut live: Vec<AccountId> = [Sr25519Keyring::Alice, Sr25519Keyring::Bob]
		.into_iter()
		.chain([Sr25519Keyring::Charlie, Sr25519Keyring::Dave])
		.map(|k| k.to_account_id())
		.collect();
	live.sort();
	assert_eq!(council(&alice).await, live);
	// Nothing final before was reverted, on any live node.
	for node in &net.nodes[..4] {
		let rpc = node.rpc();
		rpc.wait_for_blocks(resumed_at, resumed_at, Duration::from_secs(60))
			.await
			.unwrap_or_else(|e| node.fail(e));
		assert_eq!(rpc.block_hash(final_before).await.unwrap_or_else(|e| node.fail(e)), final_hash);
	}
	alice.finalize_more(10, Duration::from_secs(60)).await.unwrap_or_else(|e| fail(e));

	// Eve comes back: her node syncs, follows the forced set and reports her return.
	net.nodes[4].restart();
	let came_back = Instant::now();
	wait_for("Eve to be a voter again", Duration::from_secs(120), || async {
		(voters(&alice).await.contains(&Eve.public().into())).then_some(())
	})
	.await;
	let returned = came_back.elapsed();
	let still_out = sidelined(&alice).await;
	assert!(still_out.contains(&Ferdie.public().into()), "Ferdie, still dead, stays out");
	assert!(!still_out.contains(&Eve.public().into()), "Eve is back");
	assert!(
		council(&alice).await.contains(&Sr25519Keyring::Eve.to_account_id()),
		"Eve is in the council again"
	);
	// Five voters, five live: finality goes on.
	alice.finalize_more(10, Duration::from_secs(60)).await.unwrap_or_else(|e| fail(e));

	println!(
		"finality recovery, parent of six losing two: stall seen {:.1} s after the kill \
		 (finalized #{stalled_at}), finality resumed {:.1} s after the kill (#{resumed_at}); \
		 a returning voter was taken back {:.1} s after its restart",
		stall_seen.as_secs_f64(),
		recovered.as_secs_f64(),
		returned.as_secs_f64(),
	);
}
