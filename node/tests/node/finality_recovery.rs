//! Finality recovers from dead voters without anyone acting, on six real parent validators
//! (`parent-local-6`): two of them are killed, so GRANDPA (five of six) stalls while the four
//! others keep authoring; their nodes report the stall, the runtime forces a change to the four,
//! they finalize again, nothing finalized before is reverted, and the council leaves the two
//! out. One of the two comes back, reports its return and is a voter again. A sub-chain node
//! whose light client of the parent starts from the six relays to the parent throughout: the
//! light client follows the forced set (`parentInbox.followParentForcedChange`) and then the
//! returning voter's standard change.
//!
//! Prints what it measured: how long from the kill to the stall reports' forced change and to
//! the first block finalized again.

use crate::common;

use common::{
	recovery::{grandpa, key, parent_light_client, resumed, set_id, sidelined, stalled, voters},
	wait_for, Rpc, TestNetwork, TestNode,
};
use dbm_primitives::AccountId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);

/// Waits up to a minute for `sub`'s light client of the parent to reach set `set_id`; its set
/// id and voters then.
async fn light_client_at(
	sub: &TestNode,
	set_id: u64,
) -> (u64, Vec<sp_consensus_grandpa::AuthorityId>) {
	let deadline = Instant::now() + MINUTE;
	loop {
		if let Some(client) = parent_light_client(&sub.rpc()).await.filter(|(id, _)| *id >= set_id)
		{
			return client;
		}
		if Instant::now() > deadline {
			sub.fail(format!(
				"the light client of the parent did not reach set {set_id} in a minute"
			));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

async fn council(rpc: &Rpc) -> Vec<AccountId> {
	rpc.storage(&key(b"Council", b"Members"), None).await.ok().flatten().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parent_of_six_that_loses_two_voters_finalizes_again() {
	let _timer = crate::common::timer();
	use Ed25519Keyring::*;
	let mut net =
		TestNetwork::start("parent-local-6", &["alice", "bob", "charlie", "dave", "eve", "ferdie"]);
	let alice = net.nodes[0].rpc();
	let fail = |e: String| -> ! { panic!("{e}") };
	for node in &net.nodes {
		node.rpc().wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	}
	alice.wait_for_blocks(4, 4, Duration::from_secs(120)).await.unwrap_or_else(|e| fail(e));
	assert_eq!(voters(&alice).await, grandpa(&[Alice, Bob, Charlie, Dave, Eve, Ferdie]));

	// A sub-chain node that relays to Alice's parent node.
	let spec = common::sub_chain_spec_following("sub-1", 6, "sub-of-six");
	let url = format!("ws://127.0.0.1:{}", net.nodes[0].rpc_port);
	let sub = TestNode::start(
		"sub-of-six",
		&["--dev", "--chain", spec.to_str().expect("a UTF-8 path"), "--parent-rpc", &url],
	);
	let s = sub.rpc();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));
	let six = grandpa(&[Alice, Bob, Charlie, Dave, Eve, Ferdie]);
	assert_eq!(parent_light_client(&s).await, Some((0, six)));

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

	// The sub-chain's light client follows the forced set: the relay brings the parent headers
	// through the forced change and the new set's justification.
	let four = grandpa(&[Alice, Bob, Charlie, Dave]);
	let followed = light_client_at(&sub, 1).await;
	assert_eq!(followed, (1, four), "the light client follows the forced set");
	let light_followed = killed.elapsed();

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
	// The light client follows Eve's return, a standard change, the usual way.
	let five = grandpa(&[Alice, Bob, Charlie, Dave, Eve]);
	let returned_set = set_id(&alice).await;
	let followed = light_client_at(&sub, returned_set).await;
	assert_eq!(followed, (returned_set, five), "the light client follows Eve's return");
	drop(sub);
	let _ = std::fs::remove_file(&spec);

	println!(
		"finality recovery, parent of six losing two: stall seen {:.1} s after the kill \
		 (finalized #{stalled_at}), finality resumed {:.1} s after the kill (#{resumed_at}); \
		 a returning voter was taken back {:.1} s after its restart; the sub-chain's light \
		 client followed the forced set {:.1} s after the kill",
		stall_seen.as_secs_f64(),
		recovered.as_secs_f64(),
		returned.as_secs_f64(),
		light_followed.as_secs_f64(),
	);
}
