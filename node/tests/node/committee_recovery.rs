//! A sub-chain committee recovers its finality without anyone acting, on the four real
//! validators of `sub-1-local`: two members other than the biller are killed, so GRANDPA (three
//! of four) stalls while the biller and the other member keep authoring; half of the committee
//! with its biller reports the stall, the runtime forces a change to the two, they finalize
//! again and nothing finalized before is reverted. One of the two comes back and votes again.
//!
//! The biller's node relays to a development parent, which follows it all: it anchors the
//! forced change on the two's justification (with the two as the voters it follows, the two
//! left out noted), then the standard change that takes the returning member back and
//! whatever the recovery does after it, until it follows the sub-chain's set again; and it
//! keeps every block it anchored before.
//!
//! Prints what it measured, as `finality_recovery` does for the parent.

use crate::common;

use common::{
	recovery::{grandpa, resumed, set_id, sidelined, stalled, voters},
	registry::{anchored_hash, last_anchor, register},
	wait_for, TestNetwork, TestNode,
};
use dbm_parent_runtime::Runtime;
use dbm_primitives::SubchainId;
use sp_keyring::Ed25519Keyring;
use std::time::{Duration, Instant};

const SUB: SubchainId = SubchainId(1);
const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn a_committee_of_four_that_loses_two_members_finalizes_again() {
	let _timer = crate::common::timer();
	use Ed25519Keyring::*;
	// A development parent that registers no sub-chain; the test registers sub-chain 1 with
	// its real genesis hash, and the biller's node relays to it.
	let parent =
		TestNode::start("recovery-parent", &["--dev", "--chain", "parent-dev", "--subchains", "0"]);
	let p = parent.rpc();
	p.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| parent.fail(e));
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	let mut net =
		TestNetwork::start_with("sub-1-local", &["alice", "bob", "charlie", "dave"], |i| {
			if i == 0 {
				vec!["--parent-rpc".into(), url.clone()]
			} else {
				Vec::new()
			}
		});
	let alice = net.nodes[0].rpc();
	let fail = |e: String| -> ! { panic!("{e}") };
	for node in &net.nodes {
		node.rpc().wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	}
	let genesis = alice.genesis_hash().await.unwrap_or_else(|e| net.nodes[0].fail(e));
	register(&p, SUB, genesis).await.unwrap_or_else(|e| parent.fail(e));
	alice.wait_for_blocks(4, 4, Duration::from_secs(120)).await.unwrap_or_else(|e| fail(e));
	assert_eq!(voters(&alice).await, grandpa(&[Alice, Bob, Charlie, Dave]));
	let anchored = wait_for("three anchors", 3 * MINUTE, || async {
		last_anchor(&p, SUB).await.filter(|head| head.number >= 3)
	})
	.await;
	let final_before = alice.finalized_number().await.unwrap_or_else(|e| fail(e));
	let final_hash = alice.block_hash(final_before).await.unwrap_or_else(|e| fail(e));
	let kept = anchored_hash(&p, SUB, anchored.number).await.expect("the last anchor is recent");

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

	// The parent follows the forced change: the two are the voters it follows, in the set id
	// the sub-chain's nodes use, and blocks they finalized are anchored on their votes.
	let followed = wait_for("the parent to follow the forced change", 2 * MINUTE, || async {
		let set = common::registry::voters(&p, SUB).await?;
		let last = last_anchor(&p, SUB).await?;
		(set.set_id == first_set && u64::from(last.number) >= resumed_at).then_some(set)
	})
	.await;
	let parent_followed = killed.elapsed();
	let keys: Vec<_> = followed.voters.iter().map(|(key, _)| key.clone()).collect();
	assert_eq!(keys, grandpa(&[Alice, Bob]));
	let left: pallet_biller_registry::SidelinedOf<Runtime> = p
		.storage(&pallet_biller_registry::Sidelined::<Runtime>::hashed_key_for(SUB), None)
		.await
		.ok()
		.flatten()
		.unwrap_or_default();
	let left: Vec<_> = left.iter().map(|(key, ..)| key.clone()).collect();
	assert_eq!(left, grandpa(&[Charlie, Dave]), "the parent notes who was left out");
	assert_eq!(anchored_hash(&p, SUB, anchored.number).await, Some(kept), "no anchor rewritten");

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
	// The parent follows what the recovery did next: the standard change that took Charlie
	// back (which it cannot skip: every change a header makes is followed or the anchors
	// stop), and any forced change after it (a returning voter whose node still catches up
	// may stall the set again). It catches up with the set the sub-chain's nodes vote in:
	// their set id (`grandpa_roundState`; the runtime's own count can lag it after a forced
	// change that followed a finalized return) and the runtime's voters.
	let caught_up = Instant::now();
	loop {
		let round = alice.call("grandpa_roundState", vec![]).await.unwrap_or_default();
		let ours = round["setId"].as_u64().unwrap_or(0);
		let keys = voters(&alice).await;
		let set = common::registry::voters(&p, SUB).await;
		if set.as_ref().is_some_and(|set| {
			let followed: Vec<_> = set.voters.iter().map(|(key, _)| key.clone()).collect();
			set.set_id > first_set && set.set_id == ours && followed == keys
		}) {
			break;
		}
		if caught_up.elapsed() > 2 * MINUTE {
			let head = last_anchor(&p, SUB).await;
			net.nodes[0].fail(format!(
				"the parent did not catch up with set {ours} ({keys:?}): it follows {set:?}, \
				 anchored up to {head:?}"
			));
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
	println!(
		"finality recovery, committee of four losing two: stall seen {:.1} s after the kill \
		 (finalized #{stalled_at}), finality resumed {:.1} s after the kill (#{resumed_at}), \
		 the parent followed {:.1} s after the kill; a returning member was taken back {:.1} s \
		 after its restart",
		stall_seen.as_secs_f64(),
		recovered.as_secs_f64(),
		parent_followed.as_secs_f64(),
		returned.as_secs_f64(),
	);
}
