//! The DBSCA election on a live sub-chain of four validator processes: the biller's node is
//! killed; the standbys keep authoring and finalizing; the silent biller triggers a round
//! without it; the members confirm the new biller with signed extrinsics, and the closed
//! round's proof awaits the parent's confirmation while the standbys go on.

use crate::common;

use common::{wait_for, Rpc, TestNetwork};
use dbm_primitives::{dbsca::RoundStatus, AccountId, BlockNumber};
use dbm_sub_runtime::RuntimeCall;
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
	let _timer = crate::common::timer();
	let mut net = TestNetwork::start("sub-1-local", &["alice", "bob", "charlie", "dave"]);
	for node in &net.nodes {
		node.rpc().wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
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

	// The election now waits for the parent's confirmation, which the relay carries there with
	// the members' signatures, and back with a proof (the two-layer tests cover that path:
	// `dbsca.test.js` and `parent_light_client`); this testnet has no parent and no sudo key,
	// so nothing else can put it in force. Meanwhile the three standbys keep the chain going.
	let proof: Option<pallet_dbsca::ElectionOf<dbm_sub_runtime::Runtime>> = bob
		.storage(&pallet_dbsca::PendingElection::<dbm_sub_runtime::Runtime>::hashed_key(), None)
		.await
		.unwrap_or_else(|e| net.nodes[1].fail(e));
	let proof = proof.expect("the closed round's proof is kept for the parent");
	assert_eq!(proof.round, round.index);
	assert_eq!(proof.confirmations.len(), confirmers.len(), "every signed confirmation is kept");
	assert_eq!(committee(&bob).await, accounts(&[Alice, Bob, Charlie, Dave]), "not yet enacted");

	// The node's `dbsca_*` RPC tells the same in JSON.
	let view = bob.call("dbsca_committee", vec![]).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let ss58 = |k: Sr25519Keyring| serde_json::json!(k.to_account_id().to_ss58check());
	assert_eq!(view["biller"], ss58(Alice));
	assert!(!view["pending"].is_null(), "the pending election is shown");
	let ranking = bob.call("dbsca_ranking", vec![]).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let ranking = ranking.as_array().expect("a list");
	assert_eq!(ranking.len(), 10);
	assert_eq!(ranking[0]["account"], ss58(Alice), "Alice still has the best score");

	let best = bob.best_number().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let finalized = bob.finalized_number().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	bob.wait_for_blocks(best + 5, finalized + 3, 2 * MINUTE)
		.await
		.unwrap_or_else(|e| net.nodes[1].fail(e));
	let dave = net.nodes[3].rpc();
	dave.wait_for_blocks(best + 5, finalized + 3, MINUTE)
		.await
		.unwrap_or_else(|e| net.nodes[3].fail(e));
}
