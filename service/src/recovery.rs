//! A voter's part in finality recovery (`pallet_finality_recovery`): its node reports a stall
//! of its finality, and its return after a forced change left it out.
//!
//! Every second the node looks at its chain. When it is not syncing, its best block is
//! [`STALL_BLOCKS`] or more ahead of its finalized block, and neither that block nor the node's
//! voter set has changed for [`STALL_TIME`] (a set a forced change just put in force starts
//! from an old block and needs a moment to finalize), each GRANDPA key of the node's voter set in its keystore signs a stall report
//! (the node's set id and last finalized block), which goes to the pool as an unsigned
//! transaction; again every [`RESUBMIT`] while the stall lasts (the chain keeps one per voter
//! and set, and forgets it after a minute). A key the runtime lists as sidelined, on a node
//! that follows the set the runtime has in force, signs a return report the same way.

use dbm_primitives::{
	recovery::{return_payload, stall_payload, FinalityRecoveryApi, ReturnReport, StallReport},
	Block, BlockNumber, Hash,
};
use sc_consensus_grandpa::SharedAuthoritySet;
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_consensus::SyncOracle;
use sp_consensus_grandpa::{AuthorityId, AuthoritySignature, GrandpaApi, KEY_TYPE};
use sp_core::crypto::ByteArray;
use sp_keystore::KeystorePtr;
use std::{
	sync::Arc,
	time::{Duration, Instant},
};

/// How far the best block must be ahead of the finalized one to count as a stall.
pub const STALL_BLOCKS: BlockNumber = 12;
/// How long the finalized block must not have moved to count as a stall.
pub const STALL_TIME: Duration = Duration::from_secs(8);
/// How often a report is made again while the stall lasts (or the voter is still sidelined).
pub const RESUBMIT: Duration = Duration::from_secs(15);

const LOG_TARGET: &str = "dbm-recovery";

/// Watches the node's finality and reports for its voter keys (runs until the node stops).
pub async fn watch<C>(
	client: Arc<C>,
	keystore: KeystorePtr,
	authority_set: SharedAuthoritySet<Hash, BlockNumber>,
	pool: OffchainTransactionPoolFactory<Block>,
	sync: Arc<dyn SyncOracle + Send + Sync>,
) where
	C: HeaderBackend<Block> + ProvideRuntimeApi<Block> + Send + Sync + 'static,
	C::Api: FinalityRecoveryApi<Block> + GrandpaApi<Block>,
{
	let genesis = client.info().genesis_hash;
	let mut finalized = (client.info().finalized_number, Instant::now());
	let mut in_set = (authority_set.set_id(), Instant::now());
	let mut stall_reported: Option<(u64, Instant)> = None;
	let mut return_reported: Option<Instant> = None;
	loop {
		tokio::time::sleep(Duration::from_secs(1)).await;
		let info = client.info();
		if info.finalized_number != finalized.0 {
			finalized = (info.finalized_number, Instant::now());
			stall_reported = None;
		}
		if sync.is_major_syncing() {
			continue;
		}
		let set_id = authority_set.set_id();
		if set_id != in_set.0 {
			in_set = (set_id, Instant::now());
		}
		let sign = |key: &AuthorityId, payload: &[u8]| -> Option<AuthoritySignature> {
			let public = sp_core::ed25519::Public::from_slice(key.as_slice()).ok()?;
			keystore.ed25519_sign(KEY_TYPE, &public, payload).ok().flatten().map(Into::into)
		};
		let held = |key: &AuthorityId| keystore.has_keys(&[(key.to_raw_vec(), KEY_TYPE)]);
		let best = info.best_hash;

		let stalled = info.best_number.saturating_sub(info.finalized_number) >= STALL_BLOCKS
			&& finalized.1.elapsed() >= STALL_TIME
			&& in_set.1.elapsed() >= STALL_TIME;
		let due = stall_reported.is_none_or(|(id, at)| id != set_id || at.elapsed() >= RESUBMIT);
		if stalled && due {
			let voters = authority_set.current_authorities();
			for key in voters.iter().map(|(key, _)| key).filter(|key| held(key)) {
				let report =
					StallReport { set_id, finalized: info.finalized_number, voter: key.clone() };
				let Some(signature) = sign(key, &stall_payload(&genesis, &report)) else {
					continue;
				};
				let mut api = client.runtime_api();
				api.register_extension(pool.offchain_transaction_pool(best));
				let submitted = api.submit_stall_report(best, report, signature).unwrap_or(false);
				log::warn!(
					target: LOG_TARGET,
					"finality stalled at #{} ({} blocks behind #{} for {}s): voter {key} of set {set_id} reported it{}",
					info.finalized_number,
					info.best_number - info.finalized_number,
					info.best_number,
					finalized.1.elapsed().as_secs(),
					if submitted { "" } else { " (the pool refused the report)" },
				);
			}
			stall_reported = Some((set_id, Instant::now()));
		}

		if return_reported.is_some_and(|at| at.elapsed() < RESUBMIT) {
			continue;
		}
		let api = client.runtime_api();
		let (Ok(sidelined), Ok(in_force)) = (api.sidelined(best), api.current_set_id(best)) else {
			continue;
		};
		// Only once this node follows the set that left the key out.
		if in_force != set_id {
			continue;
		}
		for key in sidelined.iter().filter(|key| held(key)) {
			let report = ReturnReport { set_id, voter: key.clone() };
			let Some(signature) = sign(key, &return_payload(&genesis, &report)) else { continue };
			let mut api = client.runtime_api();
			api.register_extension(pool.offchain_transaction_pool(best));
			let submitted = api.submit_return_report(best, report, signature).unwrap_or(false);
			log::info!(
				target: LOG_TARGET,
				"voter {key} was left out of set {set_id} and is back: reported its return{}",
				if submitted { "" } else { " (the pool refused the report)" },
			);
			return_reported = Some(Instant::now());
		}
	}
}
