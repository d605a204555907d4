//! The DBSCA election on a live sub-chain of four validator processes: the biller's node is
//! killed; the standbys keep authoring and finalizing; the silent biller triggers a round
//! without it; the members confirm the new biller with signed extrinsics; the election is
//! enacted and the new committee authors and finalizes.

mod common;

use common::{wait_for, Rpc, TestNetwork};
use dbm_primitives::{dbsca::RoundStatus, AccountId, BlockNumber};
use dbm_sub_runtime::RuntimeCall;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::crypto::Ss58Codec;
use sp_keyring::Sr25519Keyring::{self, *};
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

type Round = Option<RoundStatus<AccountId, BlockNumber>>;

async fn committee(rpc: &Rpc) -> Vec<AccountId> {
	rpc.runtime_call("DbscaApi_committee", ()).await.expect("DbscaApi_committee answers")
}

fn accounts(keyrings: &[Sr25519Keyring]) -> Vec<AccountId> {
	keyrings.iter().map(|k| k.to_account_id()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_biller_is_replaced_by_election_while_the_standbys_keep_the_chain_going() {
	let mut net = TestNetwork::start("sub-1-local", &["alice", "bob", "charlie", "dave"]);
	for node in &net.nodes {
		node.rpc().wait_until_up(MINUTE).await.unwrap_or_else(|e| node.fail(e));
	}
	let bob = net.nodes[1].rpc();
	bob.wait_for_blocks(3, 1, 3 * MINUTE).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	assert_eq!(committee(&bob).await, accounts(&[Alice, Bob, Charlie, Dave]));

	// The biller dies.
	net.nodes[0].kill9();
	let best = bob.best_number().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let finalized = bob.finalized_number().await.unwrap_or_else(|e| net.nodes[1].fail(e));

	// The standbys keep authoring and finalizing, and find the biller silent: a round opens
	// without it.
	let round = wait_for("a round after the biller's silence", 3 * MINUTE, || async {
		bob.runtime_call::<Round>("DbscaApi_round", ()).await.ok().flatten()
	})
	.await;
	let new_committee = accounts(&[Bob, Charlie, Dave]);
	assert_eq!(
		round.committee.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>(),
		new_committee,
		"Alice is excluded and only Bob, Charlie and Dave have keys"
	);
	bob.wait_for_blocks(best + 3, finalized + 3, 2 * MINUTE)
		.await
		.unwrap_or_else(|e| net.nodes[1].fail(e));

	// Six of the ten members (51%, rounded up) confirm Bob, each signing the round's
	// statement; Alice is not among them.
	let payload: Option<Vec<u8>> = bob
		.runtime_call("DbscaApi_confirmation_payload", round.index)
		.await
		.unwrap_or_else(|e| net.nodes[1].fail(e));
	let payload = payload.expect("the round is open");
	let confirmers = [Bob, Charlie, Dave, Eve, Ferdie, AliceStash];
	assert_eq!(round.needed as usize, confirmers.len());
	for member in confirmers {
		let signature = sp_runtime::MultiSignature::Sr25519(member.sign(&payload));
		let call = RuntimeCall::Dbsca(pallet_dbsca::Call::confirm {
			round: round.index,
			candidate: Bob.to_account_id(),
			signature,
		});
		bob.submit(member, call).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	}
	let pending = wait_for("the round to reach its quorum", 2 * MINUTE, || async {
		bob.runtime_call::<Option<(u32, Vec<AccountId>)>>("DbscaApi_pending_committee", ())
			.await
			.ok()
			.flatten()
	})
	.await;
	assert_eq!(pending, (round.index, new_committee.clone()));

	// The parent's confirmation (sudo, until the relay carries it) enacts the election; the
	// sudo key is Alice's account, which needs no node.
	let enact = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::Dbsca(pallet_dbsca::Call::enact { round: round.index })),
	});
	bob.submit(Alice, enact).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	wait_for("the new committee in force", 2 * MINUTE, || async {
		(committee(&bob).await == new_committee).then_some(())
	})
	.await;
	let aura: Vec<AuraId> =
		bob.runtime_call("AuraApi_authorities", ()).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let key = |k: Sr25519Keyring| AuraId::from(k.public());
	assert_eq!(aura, vec![key(Bob), key(Charlie), key(Bob), key(Dave)], "Bob holds two slots");

	// The node's `dbsca_*` RPC tells the same in JSON.
	let view = bob.call("dbsca_committee", vec![]).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let ss58 = |k: Sr25519Keyring| serde_json::json!(k.to_account_id().to_ss58check());
	assert_eq!(view["biller"], ss58(Bob));
	assert_eq!(view["committee"], serde_json::json!([ss58(Bob), ss58(Charlie), ss58(Dave)]));
	assert!(view["pending"].is_null());
	let ranking = bob.call("dbsca_ranking", vec![]).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let ranking = ranking.as_array().expect("a list");
	assert_eq!(ranking.len(), 10);
	assert_eq!(ranking[0]["account"], ss58(Alice), "Alice still has the best score");
	assert_eq!(ranking[0]["electable"], serde_json::json!(true), "she is a member with keys");

	// The new committee authors, and finalizes past the enactment with its own voter set.
	let best = bob.best_number().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	bob.wait_for_blocks(best + 5, best + 2, 3 * MINUTE)
		.await
		.unwrap_or_else(|e| net.nodes[1].fail(e));
	let dave = net.nodes[3].rpc();
	dave.wait_for_blocks(best + 5, best + 2, MINUTE).await.unwrap_or_else(|e| net.nodes[3].fail(e));
}
