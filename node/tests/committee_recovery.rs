//! A sub-chain committee recovers its finality without anyone acting, on the four real
//! validators of `sub-1-local`: two members other than the biller are killed, so GRANDPA (three
//! of four) stalls while the biller and the other member keep authoring; half of the committee
//! with its biller reports the stall, the runtime forces a change to the two, they finalize
//! again and nothing finalized before is reverted. One of the two comes back and votes again.
//!
//! Prints what it measured, as `finality_recovery` does for the parent.

mod common;

use common::{
	recovery::{grandpa, resumed, set_id, sidelined, stalled, voters},
	wait_for, TestNetwork,
};
use sp_keyring::Ed25519Keyring;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn a_committee_of_four_that_loses_two_members_finalizes_again() {
	use Ed25519Keyring::*;
	let mut net = TestNetwork::start("sub-1-local", &["alice", "bob", "charlie", "dave"]);
	let alice = net.nodes[0].rpc();
	let fail = |e: String| -> ! { panic!("{e}") };
	for node in &net.nodes {
		node.rpc().wait_until_up(Duration::from_secs(90)).await.unwrap_or_else(|e| node.fail(e));
	}
	alice.wait_for_blocks(4, 4, Duration::from_secs(120)).await.unwrap_or_else(|e| fail(e));
	assert_eq!(voters(&alice).await, grandpa(&[Alice, Bob, Charlie, Dave]));
	let final_before = alice.finalized_number().await.unwrap_or_else(|e| fail(e));
	let final_hash = alice.block_hash(final_before).await.unwrap_or_else(|e| fail(e));

	// Charlie and Dave die: two of four cannot finalize.
	net.nodes[2].kill9();
	net.nodes[3].kill9();
	let killed = Instant::now();
	let stalled_at = stalled(&alice).await;
	let stall_seen = killed.elapsed();
	let resumed_at = resumed(&alice, stalled_at).await;
	let recovered = killed.elapsed();
	assert_eq!(voters(&alice).await, grandpa(&[Alice, Bob]));
	assert_eq!(sidelined(&alice).await, grandpa(&[Charlie, Dave]));
	let bob = net.nodes[1].rpc();
	bob.wait_for_blocks(resumed_at, resumed_at, Duration::from_secs(60))
		.await
		.unwrap_or_else(|e| net.nodes[1].fail(e));
	for rpc in [&alice, &bob] {
		assert_eq!(rpc.block_hash(final_before).await.unwrap_or_else(|e| fail(e)), final_hash);
	}
	let first_set = set_id(&alice).await;
	assert!(first_set >= 1, "the forced set has an id above the genesis set's");

	// Charlie comes back and is a voter again; three of three finalize.
	net.nodes[2].restart();
	let came_back = Instant::now();
	wait_for("Charlie to be a voter again", Duration::from_secs(120), || async {
		(voters(&alice).await.contains(&Charlie.public().into())).then_some(())
	})
	.await;
	let returned = came_back.elapsed();
	let still_out = sidelined(&alice).await;
	assert!(still_out.contains(&Dave.public().into()), "Dave, still dead, stays out");
	assert!(!still_out.contains(&Charlie.public().into()), "Charlie is back");
	alice.finalize_more(10, Duration::from_secs(60)).await.unwrap_or_else(|e| fail(e));

	println!(
		"finality recovery, committee of four losing two: stall seen {:.1} s after the kill \
		 (finalized #{stalled_at}), finality resumed {:.1} s after the kill (#{resumed_at}); \
		 a returning member was taken back {:.1} s after its restart",
		stall_seen.as_secs_f64(),
		recovered.as_secs_f64(),
		returned.as_secs_f64(),
	);
}
