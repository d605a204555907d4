//! Reading the finality-recovery state of a chain over RPC.

use super::Rpc;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_keyring::Ed25519Keyring;

/// The storage key of `pallet`'s value `item`.
pub fn key(pallet: &[u8], item: &[u8]) -> Vec<u8> {
	[sp_io::hashing::twox_128(pallet), sp_io::hashing::twox_128(item)].concat()
}

/// The GRANDPA set id the runtime reports at the best block.
pub async fn set_id(rpc: &Rpc) -> u64 {
	rpc.storage(&key(b"Grandpa", b"CurrentSetId"), None).await.ok().flatten().unwrap_or(0)
}

/// The GRANDPA voters at the best block.
pub async fn voters(rpc: &Rpc) -> Vec<GrandpaId> {
	let voters: Vec<(GrandpaId, u64)> =
		rpc.runtime_call("GrandpaApi_grandpa_authorities", ()).await.unwrap_or_default();
	voters.into_iter().map(|(id, _)| id).collect()
}

/// The voters a forced change left out (`FinalityRecovery::Sidelined`).
pub async fn sidelined(rpc: &Rpc) -> Vec<GrandpaId> {
	let held: Vec<(GrandpaId, u64)> = rpc
		.storage(&key(b"FinalityRecovery", b"Sidelined"), None)
		.await
		.ok()
		.flatten()
		.unwrap_or_default();
	held.into_iter().map(|(id, _)| id).collect()
}

/// A sub-chain's light client of the parent (`ParentGrandpa::CurrentAuthoritySet`): the
/// parent's set id and voters it follows.
pub async fn parent_light_client(rpc: &Rpc) -> Option<(u64, Vec<GrandpaId>)> {
	let (voters, set_id): (Vec<(GrandpaId, u64)>, u64) =
		rpc.storage(&key(b"ParentGrandpa", b"CurrentAuthoritySet"), None).await.ok().flatten()?;
	Some((set_id, voters.into_iter().map(|(id, _)| id).collect()))
}

/// The GRANDPA keys of development keyrings.
pub fn grandpa(keyrings: &[Ed25519Keyring]) -> Vec<GrandpaId> {
	keyrings.iter().map(|k| k.public().into()).collect()
}

/// Waits until `rpc`'s best block is 12 or more ahead of its finalized block (the finality
/// watcher's threshold) and returns the finalized number.
pub async fn stalled(rpc: &Rpc) -> u64 {
	super::wait_for("finality to stall", std::time::Duration::from_secs(60), || async {
		let best = rpc.best_number().await.ok()?;
		let finalized = rpc.finalized_number().await.ok()?;
		(best >= finalized + 12).then_some(finalized)
	})
	.await
}

/// Waits until `rpc` finalized more than two blocks past `stalled_at` and returns its finalized
/// number.
pub async fn resumed(rpc: &Rpc, stalled_at: u64) -> u64 {
	super::wait_for("finality to resume", std::time::Duration::from_secs(120), || async {
		let finalized = rpc.finalized_number().await.ok()?;
		(finalized > stalled_at + 2).then_some(finalized)
	})
	.await
}
