//! `dbm-relay`: the relay of a sub-chain node, which carries its sub-chain to the parent chain
//! and the parent's decisions back.
//!
//! Started by `--parent-rpc <ws-url>` on a sub-chain node, it talks to the parent over
//! JSON-RPC ([`dbm_client`]: the parent may run in the same process or on another machine) and
//! pays the parent's fees from the relayer account (`--relayer <suri>`). It is not trusted: the
//! parent checks everything it submits, down to the sub-chain voters' signatures that finalized
//! each anchored header, and the
//! sub-chain checks every decision it delivers against its light client of the parent; the
//! parent takes the sub-chain's blocks only with the sub-chain's own GRANDPA justifications. Nothing
//! is kept locally: a restarted relay (or one that lost the parent for a while) reads both
//! chains and resumes exactly where they stand, and several relays of one sub-chain only cost
//! each other fees.
//!
//! Two tasks, so that neither direction ever waits for the other ([`spawn`]), and a watcher:
//!
//! - up, to the parent: [`anchors`] of every finalized block (in segments, with their
//!   justifications), the sub-chain's [`elections`], its voters' proven [`equivocations`],
//!   its authors' [`seals`] of two blocks for one slot (a third task watches the imported
//!   blocks for them) and its [`messages`] (approved proposals, trade disputes);
//! - down, to the sub-chain: the parent's [`decisions`] with proofs, and the parent's voter set
//!   changes its light client must follow, forced ones included ([`parent_sets`]).
//!
//! The sub-chain side is read from the node's own database ([`local`]), the parent through
//! [`parent::Parent`]. The protocol in full is in the repository's `docs/relay.md`.

#![warn(missing_docs)]

pub mod anchors;
pub mod config;
pub mod decisions;
pub mod elections;
pub mod equivocations;
pub mod error;
pub mod local;
pub mod messages;
pub mod metrics;
pub mod parent;
pub mod parent_sets;
pub mod seals;
pub mod task;

pub use config::{keep_finalized_state, ProveFinality, RelayConfig, Submit};
pub use error::{Error, Result};
pub use local::{LocalApi, LocalState, SubchainClient};
pub use metrics::Metrics;
pub use task::spawn;
