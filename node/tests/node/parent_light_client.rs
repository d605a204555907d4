//! A sub-chain's light client of the parent follows a change of the parent's GRANDPA
//! authorities. Four parent validators run `parent-dev`, whose genesis authority set (set 0)
//! is Alice alone; the registry makes Alice, Bob, Charlie and Dave the authorities (set 1),
//! and the parent decides score weights for sub-chain 1 under the new set. Only then does the
//! sub-chain's node start: its light client trusts set 0, from its genesis. The relay proves
//! the change with `grandpa_proveFinality` (the justification of the block that ended set 0),
//! the light client follows it to set 1, and the decision is delivered with a proof against a
//! parent header that set 1 finalized.

use crate::common;

use common::{
	tx::{by_council, council},
	wait_for, Rpc, TestNetwork, TestNode,
};
use dbm_parent_runtime::{opaque::SessionKeys, RuntimeCall};
use dbm_primitives::{dbsca::ScoreWeights, SubchainId};
use dbm_sub_runtime::Runtime as Sub;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::Permill;
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);
const SUB: SubchainId = SubchainId(1);

fn registry(call: pallet_biller_registry::Call<dbm_parent_runtime::Runtime>) -> RuntimeCall {
	RuntimeCall::BillerRegistry(call)
}

/// The parent's `Grandpa::CurrentSetId` at its best block.
async fn parent_set_id(rpc: &Rpc) -> Option<u64> {
	let key = dbm_relay::parent::grandpa_set_id_key();
	rpc.storage::<u64>(&key, None).await.ok().map(|id| id.unwrap_or(0))
}

/// The parent authority set the sub-chain's light client follows: its set id.
async fn light_client_set_id(rpc: &Rpc) -> Option<u64> {
	let key = pallet_bridge_grandpa::CurrentAuthoritySet::<Sub, ()>::hashed_key();
	let set: Option<pallet_bridge_grandpa::StoredAuthoritySet<Sub, ()>> =
		rpc.storage(&key, None).await.ok()?;
	set.map(|set| set.set_id)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_light_client_follows_a_change_of_the_parent_authorities() {
	let _timer = crate::common::timer();
	let net = TestNetwork::start("parent-dev", &["alice", "bob", "charlie", "dave"]);
	let parent = &net.nodes[0];
	let p = parent.rpc();
	let fail = |e: String| -> ! { parent.fail(e) };
	p.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| fail(e));
	p.wait_for_blocks(2, 1, 2 * MINUTE).await.unwrap_or_else(|e| fail(e));
	assert_eq!(parent_set_id(&p).await, Some(0));

	// Bob, Charlie and Dave become operators with the keys their nodes hold (`--bob`, ...).
	use pallet_biller_registry::Call as R;
	use Sr25519Keyring::{Alice, Bob, Charlie, Dave};
	let operators = [Alice, Bob, Charlie, Dave].map(|k| k.to_account_id()).to_vec();
	p.submit_parent(Alice, council(registry(R::set_operators { operators: operators.clone() })))
		.await
		.unwrap_or_else(|e| fail(e));
	// Only operators register parent keys: wait until they are.
	let key = pallet_biller_registry::Operators::<dbm_parent_runtime::Runtime>::hashed_key();
	wait_for("the four operators", MINUTE, || async {
		let now: Vec<dbm_primitives::AccountId> = p.storage(&key, None).await.ok()??;
		(now == operators).then_some(())
	})
	.await;
	for (account, ed) in [
		(Bob, Ed25519Keyring::Bob),
		(Charlie, Ed25519Keyring::Charlie),
		(Dave, Ed25519Keyring::Dave),
	] {
		let aura: AuraId = account.public().into();
		let grandpa: GrandpaId = ed.public().into();
		let keys = SessionKeys { aura, grandpa };
		let proof = common::tx::parent_keys_proof(&account.to_account_id(), account, ed);
		p.submit_parent(account, registry(R::set_parent_keys { keys, proof }))
			.await
			.unwrap_or_else(|e| fail(e));
	}
	// Set 0 (Alice) finalizes the change; set 1 (three of four needed) finalizes on.
	wait_for("the parent's authority set 1", 2 * MINUTE, || async {
		(parent_set_id(&p).await? >= 1).then_some(())
	})
	.await;
	let changed_at = p.finalized_number().await.unwrap_or_else(|e| fail(e));
	p.wait_for_blocks(changed_at + 3, 1, 2 * MINUTE)
		.await
		.unwrap_or_else(|e| fail(format!("set 1 does not finalize: {e}")));
	let finalized_now = p.finalized_number().await.unwrap_or_else(|e| fail(e));
	assert!(finalized_now > changed_at, "set 1 finalizes (#{finalized_now})");

	// A decision under set 1: score weights for sub-chain 1.
	let weights = ScoreWeights {
		renewable: Permill::from_percent(25),
		environmental: Permill::from_percent(25),
		cost: Permill::from_percent(25),
		stability: Permill::from_percent(25),
	};
	// The council is the four authorities now: three of them decide.
	by_council(&p, 0, 3, registry(R::set_score_weights { subchain: SUB, weights })).await;

	// The sub-chain's node starts now, its light client at the parent's set 0.
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	let sub =
		TestNode::start("light-client-sub-1", &["--dev", "--chain", "sub-1", "--parent-rpc", &url]);
	let s = sub.rpc();
	s.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| sub.fail(e));
	let delivered = wait_for("the weights delivered to sub-chain 1", 3 * MINUTE, || async {
		let now: ScoreWeights =
			s.storage(&pallet_dbsca::Weights::<Sub>::hashed_key(), None).await.ok()??;
		(now == weights).then_some(now)
	})
	.await;
	assert_eq!(delivered, weights);
	// The light client imported the header that ended set 0, with its justification, and
	// verified the later ones against set 1.
	let events = s.all_events::<Sub>().await.unwrap_or_else(|e| sub.fail(e));
	let changes: Vec<u64> = events
		.iter()
		.filter_map(|(_, event)| match event {
			dbm_sub_runtime::RuntimeEvent::ParentGrandpa(
				pallet_bridge_grandpa::Event::UpdatedBestFinalizedHeader { grandpa_info, .. },
			) => grandpa_info.new_verification_context.as_ref().map(|set| set.set_id),
			_ => None,
		})
		.collect();
	assert_eq!(changes, vec![1], "the light client took one set change, to set 1");
	let followed = light_client_set_id(&s).await;
	assert!(
		followed.is_some_and(|id| id >= 1),
		"the light client follows set {followed:?}, not the parent's set 1\n{}",
		sub.log()
	);
}
