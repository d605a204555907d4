//! What a relay is told, and the pace it keeps.

use sp_core::Pair;
use std::{sync::Arc, time::Duration};

/// Below how many anchors' worth of funds the relay warns that its relayer runs dry.
pub const LOW_FUNDS_ANCHORS: u64 = 1_000;

/// How often the relay repeats that warning.
pub const FUNDS_WARN_EVERY: Duration = Duration::from_secs(600);

/// Log target of the relay.
pub const LOG: &str = "dbm-relay";
/// How long the relay waits for what it submitted before it asks again.
pub const INCLUSION_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the relay asks the parent whether what it submitted is in: half a parent slot, so
/// the next anchors go out within a quarter of a second of the parent's block on average.
pub const INCLUSION_POLL: Duration =
	Duration::from_millis(dbm_primitives::time::MILLI_SECS_PER_BLOCK / 2);
/// How long the relay waits for new finality or a changed registry before it looks again.
pub const IDLE: Duration = Duration::from_secs(1);
/// The relay reports its progress at least every this many anchored blocks.
pub const REPORT_EVERY: dbm_primitives::BlockNumber = 100;
/// How long the parent's last anchor may be a header this node does not have before the relay
/// raises the alarm: longer than a node that fell a little behind takes to catch up.
pub const FOREIGN_RECORD_AFTER: Duration = Duration::from_secs(30);
/// The longest pause between two attempts after an error.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Puts a transaction (SCALE-encoded) in the sub-chain node's own pool.
pub type Submit =
	Arc<dyn Fn(Vec<u8>) -> futures::future::BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// A GRANDPA justification the sub-chain node can give for block `number` or a descendant of
/// it: the newest its GRANDPA made (from the node's justification stream), else for a block of
/// an earlier voter set that of the set's last block (the node's `FinalityProofProvider`);
/// SCALE-encoded, `None` if it has none.
pub type ProveFinality =
	Arc<dyn Fn(dbm_primitives::BlockNumber) -> Result<Option<Vec<u8>>, String> + Send + Sync>;

/// What a relay needs to know.
#[derive(Clone)]
pub struct RelayConfig {
	/// The parent's JSON-RPC WebSocket URL.
	pub parent_rpc: String,
	/// The relayer account that signs and pays for the parent's transactions.
	pub signer: sp_core::sr25519::Pair,
}

impl std::fmt::Debug for RelayConfig {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("RelayConfig")
			.field("parent_rpc", &self.parent_rpc)
			.field("relayer", &dbm_client::ss58(&self.signer.public().into()))
			.finish()
	}
}

/// A relaying node reads the trades of finalized blocks from their state, so unless the user
/// `chose` a state pruning it keeps the state of every finalized block (`archive-canonical`).
/// An existing database keeps the pruning it was created with (it refuses another); the relay
/// then catches up only as far back as that state reaches.
pub fn keep_finalized_state(config: &mut sc_service::Configuration, chose: bool) {
	if chose {
		return;
	}
	if config.database.path().is_none_or(|path| !path.exists()) {
		config.state_pruning = Some(sc_service::PruningMode::ArchiveCanonical);
	} else {
		log::info!(
			target: LOG,
			"relaying from an existing database with its own state pruning: blocks whose state \
			 it pruned cannot be anchored (start a new database, or use --state-pruning \
			 archive-canonical from the start)"
		);
	}
}
