//! The records the pallet stores.

// The `*NoBound` derives restate the generics' bounds in where clauses.
#![allow(clippy::multiple_bound_locations)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use dbm_primitives::{dbsca::NodeAttributes, membership::MemberSet};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::Permill;

/// A generator standing for biller.
#[derive(
	CloneNoBound,
	DebugNoBound,
	Decode,
	DecodeWithMemTracking,
	Encode,
	EqNoBound,
	MaxEncodedLen,
	PartialEqNoBound,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxLocationLen))]
pub struct Candidate<
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxLocationLen: Get<u32>,
> {
	/// The attributes the candidate declares; the score caps them by the attested ones.
	pub attributes: NodeAttributes,
	/// Generation capacity in watts.
	pub capacity_w: u32,
	/// Where the generator is (free text: a feeder, a street, coordinates).
	pub location: BoundedVec<u8, MaxLocationLen>,
	/// The block of the nomination or of the last update.
	pub since: BlockNumber,
}

/// Why a round was opened.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub enum Trigger<AccountId> {
	/// The committee's term ran out.
	TermEnd,
	/// `ElectionOrigin` asked for it (the parent chain), optionally excluding one node.
	Requested {
		/// A node that may not be elected in this round.
		excluded: Option<AccountId>,
	},
	/// The biller authored none of the slots it should have for too long; it is excluded
	/// from this round.
	BillerSilent {
		/// The silent biller.
		biller: AccountId,
	},
	/// A round stayed open, or its election awaited the parent's confirmation, for
	/// `ElectionTimeout` blocks; the node it excluded stays excluded.
	Expired {
		/// The round that expired.
		round: u32,
		/// The node the expired round excluded, if it was open.
		excluded: Option<AccountId>,
	},
	/// A member of the committee in force, of the open round's committee or of the election
	/// awaiting enactment was removed or suspended: the round opens at once, replacing any
	/// open round or election awaiting enactment. The member, no longer active, cannot be
	/// elected.
	CommitteeMemberLeft {
		/// The member that left.
		who: AccountId,
		/// The node the replaced round excluded, if one was open.
		excluded: Option<AccountId>,
	},
	/// The active member set changed while a round was open or an election awaited
	/// enactment: its statement names a set that is no longer the sub-chain's, which the
	/// parent refuses, so a round counting the new set replaces it.
	MembersChanged {
		/// The node the replaced round excluded, if it was open.
		excluded: Option<AccountId>,
	},
}

impl<AccountId> Trigger<AccountId> {
	/// The node this round may not elect, if any.
	pub fn excluded(&self) -> Option<&AccountId> {
		match self {
			Trigger::TermEnd => None,
			Trigger::Requested { excluded } => excluded.as_ref(),
			Trigger::BillerSilent { biller } => Some(biller),
			Trigger::Expired { excluded, .. } => excluded.as_ref(),
			Trigger::CommitteeMemberLeft { excluded, .. } => excluded.as_ref(),
			Trigger::MembersChanged { excluded } => excluded.as_ref(),
		}
	}
}

/// An open election round.
#[derive(
	CloneNoBound,
	DebugNoBound,
	Decode,
	DecodeWithMemTracking,
	Encode,
	EqNoBound,
	MaxEncodedLen,
	PartialEqNoBound,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxCommittee))]
pub struct Round<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxCommittee: Get<u32>,
> {
	/// The round's index (rounds count from 1).
	pub index: u32,
	/// The block in which it opened.
	pub opened_at: BlockNumber,
	/// Why it opened.
	pub trigger: Trigger<AccountId>,
	/// The committee it elects, ranked when it opened: the electable candidates with the
	/// highest scores, best first. Members confirm its first entry, the biller.
	pub committee: BoundedVec<(AccountId, Permill), MaxCommittee>,
	/// The committee's GRANDPA keys when it opened, in its order, as the statement names
	/// them.
	pub voters: BoundedVec<sp_consensus_grandpa::AuthorityId, MaxCommittee>,
	/// The active members when it opened: the set its statement names.
	pub members: MemberSet,
	/// Confirmations that close the round: the quorum of `members`.
	pub needed: u32,
}

/// A closed round: the committee and the signed confirmations that elected it.
#[derive(
	CloneNoBound,
	DebugNoBound,
	Decode,
	DecodeWithMemTracking,
	Encode,
	EqNoBound,
	MaxEncodedLen,
	PartialEqNoBound,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxCommittee, MaxMembers))]
pub struct Election<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Signature: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxCommittee: Get<u32>,
	MaxMembers: Get<u32>,
> {
	/// The round's index.
	pub round: u32,
	/// The block in which the quorum was reached.
	pub elected_at: BlockNumber,
	/// The committee, the biller first.
	pub committee: BoundedVec<AccountId, MaxCommittee>,
	/// The committee's GRANDPA keys, in its order, as the statement names them: the voter set
	/// its enactment schedules.
	pub voters: BoundedVec<sp_consensus_grandpa::AuthorityId, MaxCommittee>,
	/// The confirmations: each member's signature over the round's
	/// [`ElectionStatement`](dbm_primitives::dbsca::ElectionStatement). This is the proof the
	/// parent checks against its member registry.
	pub confirmations: BoundedVec<(AccountId, Signature), MaxMembers>,
	/// The active members the round counted, as its statement names them.
	pub members: MemberSet,
	/// The quorum the round needed.
	pub needed: u32,
}
