//! The parent chain's registry of sub-chains, as every layer sees it: each sub-chain's
//! discovery information, its confirmed biller and committee, and the headers anchored from it.

use crate::{membership::MemberInfo, SubchainId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};
use sp_runtime::BoundedVec;

/// The longest sub-chain name, in bytes.
pub const MAX_NAME_LEN: u32 = 64;
/// The longest location area, in bytes.
pub const MAX_LOCATION_LEN: u32 = 64;
/// The most boot nodes a sub-chain lists.
pub const MAX_BOOT_NODES: u32 = 8;
/// The longest boot node address (a multiaddress with its peer id), in bytes.
pub const MAX_BOOT_NODE_LEN: u32 = 256;

/// The largest committee the parent confirms.
pub const MAX_COMMITTEE: u32 = 32;

/// A committee in authoring order, the biller first.
pub type Committee<AccountId> = BoundedVec<AccountId, ConstU32<MAX_COMMITTEE>>;
/// A committee's GRANDPA keys, in the committee's order.
pub type CommitteeVoters = BoundedVec<crate::finality::AuthorityId, ConstU32<MAX_COMMITTEE>>;
/// The most elections of one sub-chain the parent confirmed and has not yet seen enacted (see
/// [`ElectedVoters`]): older ones give way to newer ones.
pub const MAX_UNENACTED: u32 = 4;
/// A sub-chain's name.
pub type Name = BoundedVec<u8, ConstU32<MAX_NAME_LEN>>;
/// A location area: the part of the grid a sub-chain serves.
pub type Location = BoundedVec<u8, ConstU32<MAX_LOCATION_LEN>>;
/// A boot node's multiaddress, e.g. `/ip4/10.0.0.1/tcp/30333/p2p/12D3Koo...`.
pub type BootNode = BoundedVec<u8, ConstU32<MAX_BOOT_NODE_LEN>>;
/// A sub-chain's boot nodes.
pub type BootNodes = BoundedVec<BootNode, ConstU32<MAX_BOOT_NODES>>;

/// Whether a sub-chain takes part.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum SubchainStatus {
	/// Anchors and biller changes are accepted; new members may be assigned to it.
	Active,
	/// Temporarily closed: no anchors, biller changes or new members until resumed.
	Paused,
	/// Closed for good.
	Retired,
}

/// What the parent knows about a sub-chain: enough for a new member to find and sync it.
#[derive(
	Clone,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct SubchainInfo<BlockNumber> {
	/// Its name.
	pub name: Name,
	/// The location area it serves (join assignment prefers the nearest).
	pub location: Location,
	/// Its genesis block hash: the parent of its first anchored header.
	pub genesis_hash: H256,
	/// The hash of its raw chain specification.
	pub chain_spec_hash: H256,
	/// Where to connect to it.
	pub boot_nodes: BootNodes,
	/// Whether it takes part.
	pub status: SubchainStatus,
	/// The parent block it was registered in.
	pub registered_at: BlockNumber,
}

/// A sub-chain's confirmed election.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct ConfirmedElection<AccountId, BlockNumber> {
	/// The sub-chain's round that elected it.
	pub round: u32,
	/// The committee in authoring order; the biller first.
	pub committee: Committee<AccountId>,
	/// The committee's GRANDPA keys, as the election statement names them; empty for a
	/// genesis committee, whose voters the sub-chain's genesis anchor proves.
	pub voters: CommitteeVoters,
	/// The parent block that confirmed it.
	pub confirmed_at: BlockNumber,
}

/// The voter set an election the parent confirmed puts in force once the sub-chain enacts it:
/// its round, the committee and the committee's GRANDPA keys. The parent follows a change of a
/// sub-chain's voters, scheduled by a finalized header, only to such a set, and then knows
/// whose each key is.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct ElectedVoters<AccountId> {
	/// The round that elected the committee.
	pub round: u32,
	/// The committee, in order.
	pub committee: Committee<AccountId>,
	/// Its GRANDPA keys, in the committee's order, each voting with weight 1.
	pub voters: CommitteeVoters,
}

impl<AccountId> ElectedVoters<AccountId> {
	/// Whether `list` (a scheduled change's voters) is this set: the same keys in the same
	/// order, each with weight 1.
	pub fn is(
		&self,
		list: &[(crate::finality::AuthorityId, crate::finality::AuthorityWeight)],
	) -> bool {
		list.len() == self.voters.len()
			&& list
				.iter()
				.zip(self.voters.iter())
				.all(|((id, weight), key)| id == key && *weight == 1)
	}
}

/// Whose runtime an upgrade the parent's governance authorizes replaces.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum UpgradeTarget {
	/// The parent's own.
	Parent,
	/// A sub-chain's, authorized there by a message the sub-chain applies with a proof.
	Subchain(SubchainId),
}

/// Why the parent asks a sub-chain for a new election.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum ReelectionReason {
	/// The confirmed committee's term is over.
	TermEnd,
	/// The parent's election origin (e.g. a vote) asked for it.
	Requested,
}

/// A re-election the parent asked a sub-chain for, pending until a new election is confirmed.
#[derive(
	Clone,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Reelection<AccountId, BlockNumber> {
	/// Why.
	pub reason: ReelectionReason,
	/// A node the round must leave out.
	pub excluded: Option<AccountId>,
	/// The parent block that asked.
	pub requested_at: BlockNumber,
}

/// An anchored sub-chain header.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Anchor<BlockNumber> {
	/// The sub-chain header's hash.
	pub hash: H256,
	/// The sub-chain's state root after the block: what the sub-chain's decisions are proven
	/// against on the parent.
	pub state_root: H256,
	/// The trade root its digest carries.
	pub trade_root: H256,
	/// How many trade records its block has.
	pub trade_count: u32,
	/// The parent block whose body holds the anchor and its trade batch.
	pub anchored_in: BlockNumber,
}

/// A sub-chain block as an anchor carries it: its SCALE-encoded header and its trade batch.
#[derive(Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, PartialEq, TypeInfo)]
pub struct AnchoredBlock<AccountId, Balance> {
	/// The header, SCALE-encoded with its whole digest (the parent recomputes its hash).
	pub header: alloc::vec::Vec<u8>,
	/// The block's trade records, whose root the header's digest carries.
	pub trades: alloc::vec::Vec<crate::trade::TradeRecord<AccountId, Balance>>,
}

/// The most GRANDPA voters the parent follows for one sub-chain.
pub const MAX_VOTERS: u32 = MAX_COMMITTEE;

/// A sub-chain's GRANDPA voters as the parent follows them: the set id and each voter with its
/// weight.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct GrandpaVoters {
	/// The set id: 0 for the genesis voters, one more for each change since.
	pub set_id: u64,
	/// The voters and their weights.
	pub voters: BoundedVec<
		(crate::finality::AuthorityId, crate::finality::AuthorityWeight),
		ConstU32<MAX_VOTERS>,
	>,
	/// The sub-chain block whose finality the set decides first (the block after the one that
	/// scheduled it; 1 for the genesis set).
	pub from: crate::BlockNumber,
}

/// Evidence of a safety failure of a sub-chain: a header at a height the parent anchored,
/// other than the anchored one, with a justification by the voter set the parent follows.
/// More than two thirds of that set finalized a block that conflicts with the record, so at
/// least a third of it voted for both sides or the record came from an earlier fork.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct ForkEvidence<AccountId, BlockNumber> {
	/// The height of the two blocks.
	pub number: crate::BlockNumber,
	/// The anchored block's hash.
	pub anchored: H256,
	/// The conflicting block's hash.
	pub conflicting: H256,
	/// The voter set that justified the conflicting block.
	pub set_id: u64,
	/// The GRANDPA round whose precommits justified it.
	pub round: u64,
	/// The voters whose precommits justified it.
	pub signers: BoundedVec<crate::finality::AuthorityId, ConstU32<MAX_VOTERS>>,
	/// Who reported it.
	pub reporter: AccountId,
	/// The parent block of the report.
	pub reported_at: BlockNumber,
}

/// The last anchored header of a sub-chain.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct AnchorHead<BlockNumber> {
	/// Its number on the sub-chain.
	pub number: crate::BlockNumber,
	/// Its hash.
	pub hash: H256,
	/// The parent block it was anchored in.
	pub anchored_in: BlockNumber,
}

/// Where a sub-chain block's anchor is.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum AnchorLocation<BlockNumber> {
	/// In the recent window: the anchor itself.
	Recent(Anchor<BlockNumber>),
	/// Older: the range of parent blocks that anchored its epoch of sub-chain blocks; the
	/// anchor and its trade batch are in one of those blocks' bodies (`anchor` extrinsics).
	InParentBlocks {
		/// First parent block of the range.
		from: BlockNumber,
		/// Last parent block of the range.
		to: BlockNumber,
	},
}

sp_api::decl_runtime_apis! {
	/// The parent chain's registry of sub-chains.
	pub trait RegistryApi<AccountId, BlockNumber>
	where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// Every registered sub-chain.
		fn subchains() -> Vec<(SubchainId, SubchainInfo<BlockNumber>)>;
		/// The members of a sub-chain.
		fn members(subchain: SubchainId) -> Vec<(AccountId, MemberInfo)>;
		/// A sub-chain's confirmed committee (biller first) and the round that elected it.
		fn committee(subchain: SubchainId) -> Option<(u32, Vec<AccountId>)>;
		/// A pending re-election request.
		fn reelection(subchain: SubchainId) -> Option<Reelection<AccountId, BlockNumber>>;
		/// The last anchored header of a sub-chain.
		fn last_anchor(subchain: SubchainId) -> Option<AnchorHead<BlockNumber>>;
		/// Where sub-chain block `number` is anchored, if it is.
		fn anchor_location(subchain: SubchainId, number: crate::BlockNumber) -> Option<AnchorLocation<BlockNumber>>;
		/// Whether `proof` proves a trade record of sub-chain block `number`, against the trade
		/// root anchored for it (only blocks in the recent window).
		fn verify_trade(
			subchain: SubchainId,
			number: crate::BlockNumber,
			proof: crate::trade::TradeProof<AccountId, crate::Balance>,
		) -> bool;
	}
}
