//! Primitive types shared by every DB-Microgrid crate: the parent chain, the sub-chains, the
//! pallets and the node.
//!
//! Both layers use the same block, header, account and balance types, so one node binary can
//! run either chain and the parent can decode a sub-chain header byte for byte.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod dbsca;
pub mod finality;
pub mod membership;
pub mod metering;
pub mod paper;
pub mod parent_state;
pub mod proof;
pub mod recovery;
pub mod registry;
pub mod seal;
pub mod subchain_state;
pub mod trade;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature, OpaqueExtrinsic,
};

/// Signature of a transaction on either layer (sr25519, ed25519 or ecdsa).
pub type Signature = MultiSignature;

/// An account: the public key behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// How accounts are addressed in extrinsics.
pub type Address = MultiAddress<AccountId, ()>;

/// Token amounts (12 decimals; see [`currency`]).
pub type Balance = u128;

/// Block numbers on both layers.
pub type BlockNumber = u32;

/// Transaction nonce of an account.
pub type Nonce = u32;

/// Block and storage hashes.
pub type Hash = sp_core::H256;

/// The hashing algorithm of blocks and storage.
pub type Hashing = BlakeTwo256;

/// The block header, shared by both layers so the parent can recompute a sub-chain header's
/// hash from its SCALE encoding.
pub type Header = generic::Header<BlockNumber, Hashing>;

/// A block as the node sees it: header plus opaque extrinsics.
pub type Block = generic::Block<Header, OpaqueExtrinsic>;

/// Identifies one sub-chain. Every sub-chain carries its own id in genesis, so no two
/// sub-chains share a genesis hash.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	Hash,
	MaxEncodedLen,
	Ord,
	PartialEq,
	PartialOrd,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct SubchainId(pub u32);

impl From<u32> for SubchainId {
	fn from(id: u32) -> Self {
		SubchainId(id)
	}
}

impl core::fmt::Display for SubchainId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{}", self.0)
	}
}

sp_api::decl_runtime_apis! {
	/// What a sub-chain tells the node and clients about itself.
	pub trait SubchainApi {
		/// This sub-chain's id, as the parent chain's registry knows it (`None` if its genesis
		/// did not set one).
		fn subchain_id() -> Option<SubchainId>;
	}
}

/// Token units. The native token has 12 decimals.
pub mod currency {
	use super::Balance;

	/// Number of decimals of the native token.
	pub const DECIMALS: u8 = 12;
	/// One whole token.
	pub const UNIT: Balance = 1_000_000_000_000;
	/// One thousandth of a token.
	pub const MILLI_UNIT: Balance = UNIT / 1_000;
	/// One millionth of a token.
	pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
	/// Token symbol shown by wallets.
	pub const SYMBOL: &str = "DBM";
}

/// Block time on both layers.
pub mod time {
	use super::BlockNumber;

	/// Milliseconds per slot (and so per block when every slot is filled).
	///
	/// Half a second: the paper's consensus round takes about that long, and electricity is
	/// worth trading only while it is about to flow. A transaction waits a quarter of a second
	/// on average for the next slot, and GRANDPA, voting on the best block, finalizes it a few
	/// tenths of a second later (`docs/finality.md` has the measurements and the costs: more
	/// blocks, more anchors, more CPU per second). The author has two thirds of the slot to
	/// build a block and every other node the rest to import it.
	pub const MILLI_SECS_PER_BLOCK: u64 = 500;

	/// Slot duration for Aura; equal to the block time.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn block_time_divides_a_minute() {
		assert_eq!(time::MINUTES as u64 * time::MILLI_SECS_PER_BLOCK, 60_000);
		assert_eq!(time::DAYS, 172_800);
	}

	#[test]
	fn subchain_id_round_trips_through_scale_and_json() {
		let id = SubchainId(7);
		assert_eq!(SubchainId::decode(&mut &id.encode()[..]).ok(), Some(id));
		assert_eq!(id.encode().len(), SubchainId::max_encoded_len());
		assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("7"));
		assert_eq!(id.to_string(), "7");
	}
}
