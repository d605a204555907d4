//! Why a relay session ended. The relay logs it and starts a new session after a pause.

use dbm_primitives::{BlockNumber, SubchainId};
use sp_core::H256;

/// An error that ends a relay session.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// Talking to the parent failed.
	#[error("parent {0}")]
	Parent(#[from] dbm_client::Error),
	/// The node's own database failed.
	#[error("{what}: {source}")]
	Local {
		/// What was read.
		what: String,
		/// The database's error.
		#[source]
		source: sp_blockchain::Error,
	},
	/// A runtime API of the sub-chain failed.
	#[error("{what}: {source}")]
	RuntimeApi {
		/// The API called.
		what: String,
		/// Its error.
		#[source]
		source: sp_api::ApiError,
	},
	/// A value of the sub-chain's state or a proof of the parent did not decode.
	#[error("{what}: {source}")]
	Decode {
		/// What was decoded.
		what: String,
		/// The decoder's complaint.
		#[source]
		source: codec::Error,
	},
	/// Something the relay needs is not there (a block, a header, the sub-chain's id).
	#[error("{0}")]
	Missing(String),
	/// The parent runs a runtime whose calls this relay cannot encode.
	#[error(
		"the parent's runtime (spec version {spec}) encodes its calls as transaction version \
		 {theirs}, this node was built for transaction version {ours}: run a node built for the \
		 parent's runtime"
	)]
	ParentRuntime {
		/// The parent's `transaction_version`.
		theirs: u32,
		/// The parent's `spec_version`.
		spec: u32,
		/// The `transaction_version` this relay encodes calls for.
		ours: u32,
	},
	/// The parent anchored a header this node never finalized: a safety failure of the
	/// sub-chain (its voters finalized two blocks at one height).
	#[error(
		"the parent anchored {theirs:?} at height {number} of sub-chain {subchain}, but this node's \
		 block there is {ours:?}: the sub-chain's voters finalized two blocks at one height (a \
		 safety failure); not anchoring over it"
	)]
	Equivocation {
		/// The sub-chain.
		subchain: SubchainId,
		/// The height.
		number: BlockNumber,
		/// The parent's anchor there.
		theirs: H256,
		/// This node's block there.
		ours: H256,
	},
	/// The parent's dry run refuses an anchor.
	#[error("the parent refuses the anchor of sub-chain {subchain} block #{number}: {refusal}")]
	AnchorRefused {
		/// The sub-chain.
		subchain: SubchainId,
		/// The block.
		number: BlockNumber,
		/// The parent's reason.
		refusal: String,
	},
	/// The parent pruned messages before the sub-chain took them.
	#[error(
		"the parent pruned its messages {applied}..{first} for sub-chain {subchain} before they \
		 were delivered; they cannot be proven any more"
	)]
	Pruned {
		/// The sub-chain.
		subchain: SubchainId,
		/// The next message the sub-chain takes.
		applied: u64,
		/// The parent's first message still kept.
		first: u64,
	},
	/// The sub-chain's pool refused a transaction of the relay.
	#[error("the sub-chain's pool refuses the relay's transaction: {0}")]
	Pool(String),
	/// What the relay submitted was not included in time.
	#[error("{what}: not included in {seconds} s")]
	NotIncluded {
		/// What was waited for.
		what: String,
		/// How long.
		seconds: u64,
	},
	/// The sub-chain's light client of the parent cannot be brought forward.
	#[error("{0}")]
	LightClient(String),
}

/// The result of a relay step.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
	/// A failed read of the node's database, as `what`.
	pub(crate) fn local(what: impl Into<String>) -> impl FnOnce(sp_blockchain::Error) -> Error {
		let what = what.into();
		move |source| Error::Local { what, source }
	}

	/// A failed runtime API call `what`.
	pub(crate) fn api(what: impl Into<String>) -> impl FnOnce(sp_api::ApiError) -> Error {
		let what = what.into();
		move |source| Error::RuntimeApi { what, source }
	}

	/// A failed decoding of `what`.
	pub(crate) fn decode(what: impl Into<String>) -> impl FnOnce(codec::Error) -> Error {
		let what = what.into();
		move |source| Error::Decode { what, source }
	}
}
