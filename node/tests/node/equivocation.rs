//! A GRANDPA voter that equivocates is reported by the other voters' own nodes. Two processes
//! run Alice's keys on a four-validator sub-chain (as an operator's careless backup would), so
//! her key seals two blocks in her slots and votes for both; the other voters' nodes see two
//! votes of one round by one key and report it on the sub-chain (unsigned, with the runtime's
//! proof that the key is a voter), which keeps the proof for the relay. Finality goes on with
//! the three honest voters.

use crate::common;

use common::{wait_for, TestNetwork};
use dbm_primitives::finality::{check_equivocation, AuthorityId, EquivocationProof};
use dbm_sub_runtime::{Runtime, RuntimeEvent};
use sp_keyring::Ed25519Keyring;
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn a_voter_running_twice_is_reported_by_the_other_voters_nodes() {
	let _timer = crate::common::timer();
	let net = TestNetwork::start("sub-1-local", &["alice", "bob", "charlie", "dave", "alice"]);
	for node in &net.nodes {
		node.rpc().wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	}
	let bob = net.nodes[1].rpc();
	bob.wait_for_blocks(3, 1, 2 * MINUTE).await.unwrap_or_else(|e| net.nodes[1].fail(e));

	// A proof in the sub-chain's finalized state, by Alice's GRANDPA key.
	let key = pallet_dbsca::Equivocations::<Runtime>::hashed_key();
	let kept: Vec<EquivocationProof> = wait_for("an equivocation kept", 3 * MINUTE, || async {
		let head = bob.call("chain_getFinalizedHead", vec![]).await.ok()?;
		let head = serde_json::from_value(head).ok()?;
		let kept: Vec<EquivocationProof> = bob.storage(&key, Some(head)).await.ok()??;
		(!kept.is_empty()).then_some(kept)
	})
	.await;
	let alice: AuthorityId = Ed25519Keyring::Alice.public().into();
	assert!(kept.iter().all(|proof| *proof.offender() == alice), "only Alice equivocated");
	assert_eq!(kept.len(), 1, "one proof per voter and set");
	assert!(check_equivocation(kept[0].clone()), "a valid proof");

	// Reported by a voter's node, unsigned: the event names no reporter.
	let events = bob.all_events::<Runtime>().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let noted: Vec<_> = events
		.iter()
		.filter_map(|(_, event)| match event {
			RuntimeEvent::Dbsca(pallet_dbsca::Event::EquivocationNoted {
				offender,
				reporter,
				..
			}) => Some((offender.clone(), reporter.clone())),
			_ => None,
		})
		.collect();
	assert_eq!(noted, vec![(alice, None)], "noted once, from a voter's node");

	// Three honest voters of four keep finalizing.
	let finalized = bob.finalized_number().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	bob.finalize_more(4, 2 * MINUTE).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	assert!(bob.finalized_number().await.unwrap_or(0) >= finalized + 4);
}
