//! Who belongs to a sub-chain, as the other pallets see it.
//!
//! A sub-chain's members are the prosumers the join vote admitted to it. Each has a role and
//! the DBSCA attributes the vote attested. Pallets that need to know whether an account may
//! trade or stand for biller ask a [`MemberRegistry`]; the sub-chain runtime answers from the
//! member list that the join / kick / suspend flow maintains.

use crate::dbsca::NodeAttributes;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// What a member does on the grid.
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
pub enum Role {
	/// Only consumes electricity.
	Consumer,
	/// Generates electricity (and may consume).
	Generator,
	/// A battery: takes electricity in and gives it back.
	Storage,
}

impl Role {
	/// Whether the member can deliver electricity, and so sell it and stand for biller.
	pub fn supplies(&self) -> bool {
		matches!(self, Role::Generator | Role::Storage)
	}
}

/// A member of a sub-chain.
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
pub struct MemberInfo {
	/// The member's role.
	pub role: Role,
	/// The DBSCA attributes the join vote attested: the most the member may claim.
	pub attested: NodeAttributes,
	/// A suspended member keeps its place but may not trade, vote or stand until restored.
	pub suspended: bool,
}

impl MemberInfo {
	/// Whether the member may act (it is not suspended).
	pub fn is_active(&self) -> bool {
		!self.suspended
	}
}

/// The member list of a sub-chain.
pub trait MemberRegistry<AccountId> {
	/// The member `who`, or `None` if it is not a member.
	fn member(who: &AccountId) -> Option<MemberInfo>;

	/// The number of active (not suspended) members.
	fn active_members() -> u32;

	/// `who` as an active member, or `None`.
	fn active_member(who: &AccountId) -> Option<MemberInfo> {
		Self::member(who).filter(MemberInfo::is_active)
	}
}
