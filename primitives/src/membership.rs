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

/// A sub-chain's active members, as an election counts them: how many, and a digest of who.
///
/// The digest is the sum, modulo 2^256, of `blake2_256` of each member's SCALE-encoded
/// account, each read as a little-endian number. A sum does not depend on the order the members
/// joined in, and a member is added or taken out in constant time; so the parent and the
/// sub-chain, which apply the same decisions, hold the same digest for the same set. An
/// election statement names the set it counts
/// ([`ElectionStatement`](crate::dbsca::ElectionStatement)), and the parent compares it with
/// its own. (A sum is no commitment to a list a submitter supplies: lists of made-up accounts
/// with a given sum can be found; it is only ever compared with a set the chain computed.)
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
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
pub struct MemberSet {
	/// How many active members.
	pub count: u32,
	/// The digest of who they are.
	pub digest: sp_core::H256,
}

impl MemberSet {
	/// The set of `members` (accounts or references to them: both encode alike).
	pub fn of<AccountId: Encode>(members: impl IntoIterator<Item = AccountId>) -> MemberSet {
		members.into_iter().fold(MemberSet::default(), |set, who| set.with(&who))
	}

	/// This set with `who` added (it must not be in it).
	pub fn with<AccountId: Encode>(self, who: &AccountId) -> MemberSet {
		MemberSet {
			count: self.count.saturating_add(1),
			digest: wrapping_add(self.digest, member_digest(who), false),
		}
	}

	/// This set and `other`, which shares no member with it.
	pub fn union(self, other: MemberSet) -> MemberSet {
		MemberSet {
			count: self.count.saturating_add(other.count),
			digest: wrapping_add(self.digest, other.digest, false),
		}
	}

	/// This set with `who` taken out (it must be in it).
	pub fn without<AccountId: Encode>(self, who: &AccountId) -> MemberSet {
		MemberSet {
			count: self.count.saturating_sub(1),
			digest: wrapping_add(self.digest, member_digest(who), true),
		}
	}
}

/// One member's term of a [`MemberSet`] digest.
fn member_digest<AccountId: Encode>(who: &AccountId) -> sp_core::H256 {
	sp_core::H256(sp_crypto_hashing::blake2_256(&who.encode()))
}

/// `a + b` (or `a - b` if `subtract`) modulo 2^256, both little-endian.
fn wrapping_add(a: sp_core::H256, b: sp_core::H256, subtract: bool) -> sp_core::H256 {
	let mut out = [0u8; 32];
	let mut carry = 0i16;
	for ((o, x), y) in out.iter_mut().zip(a.0).zip(b.0) {
		let term = if subtract { -i16::from(y) } else { i16::from(y) };
		let sum = i16::from(x) + term + carry;
		*o = sum.rem_euclid(256) as u8;
		carry = sum.div_euclid(256);
	}
	sp_core::H256(out)
}

/// The member list of a sub-chain.
pub trait MemberRegistry<AccountId> {
	/// The member `who`, or `None` if it is not a member.
	fn member(who: &AccountId) -> Option<MemberInfo>;

	/// The number of active (not suspended) members.
	fn active_members() -> u32;

	/// The active members as a [`MemberSet`]: what an election counts.
	fn active_set() -> MemberSet;

	/// `who` as an active member, or `None`.
	fn active_member(who: &AccountId) -> Option<MemberInfo> {
		Self::member(who).filter(MemberInfo::is_active)
	}
}

/// Told when a member enters or leaves a sub-chain's active set (admitted, removed,
/// suspended or reinstated), by the call that changed it.
pub trait OnActiveSetChange<AccountId> {
	/// `who` entered (`joined`) or left the active set.
	fn changed(who: &AccountId, joined: bool);
	/// The most [`changed`](Self::changed) may weigh.
	fn weight() -> sp_runtime::Weight;
}

/// Nobody is told.
impl<AccountId> OnActiveSetChange<AccountId> for () {
	fn changed(_: &AccountId, _: bool) {}

	fn weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// The longest location area a join proposal names, in bytes (as a sub-chain's).
pub const MAX_AREA_LEN: u32 = crate::registry::MAX_LOCATION_LEN;

/// Why a member should lose (`Kick`) or pause (`Suspend`) its rights.
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
pub enum Reason {
	/// The node stayed silent: no blocks, votes or meter readings for a long time.
	ContinuousSilence,
	/// The node reported false information (attributes, meter readings).
	FalseInformation,
	/// Anything else the voters judge against the grid's rules.
	Misconduct,
}

/// A candidate's application to join: what the voters attest if they admit it.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct Application {
	/// What the node will do on the grid.
	pub role: Role,
	/// The attributes it claims; once admitted, the most it may claim as a candidate for biller.
	pub attested: NodeAttributes,
	/// Its generation or storage capacity, in watts (0 for a consumer).
	pub capacity_w: u64,
	/// Its location area, in the registry's hierarchical notation (e.g. `DE-BE-10115`).
	pub area: crate::registry::Location,
}

/// A membership proposal: what the voters decide on.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub enum Proposal<AccountId> {
	/// Admit `candidate` with its application.
	Join {
		/// The node that wants to join.
		candidate: AccountId,
		/// What it applies with.
		application: Application,
	},
	/// Cancel `member`'s membership.
	Kick {
		/// The member.
		member: AccountId,
		/// Why.
		reason: Reason,
	},
	/// Pause `member`'s rights (it may not trade, vote or stand for biller) until restored.
	Suspend {
		/// The member.
		member: AccountId,
		/// Why.
		reason: Reason,
	},
	/// Give `member`'s meter a new key (`Some`: a meter replaced, proposed by the member
	/// itself), or revoke it (`None`: a meter lost or compromised, proposed by anyone; its
	/// readings are refused until a new one is registered).
	ReplaceMeter {
		/// The member.
		member: AccountId,
		/// The new meter's key with its proof that it measures for the member, or none.
		meter: Option<crate::metering::MeterClaim>,
	},
	/// Admit `candidate` with its application and its meter's key, which both layers' votes
	/// register with the new member. (A `Join` admits a member without a meter, which gets
	/// one by a `ReplaceMeter` vote.)
	JoinWithMeter {
		/// The node that wants to join.
		candidate: AccountId,
		/// What it applies with.
		application: Application,
		/// Its meter's ed25519 key (not its account key), with the meter's proof that it
		/// measures for the candidate.
		meter: crate::metering::MeterClaim,
	},
}

impl<AccountId> Proposal<AccountId> {
	/// A join's candidate, application and meter key (`None` for a `Join`), or `None` for
	/// any other proposal.
	pub fn join(&self) -> Option<(&AccountId, &Application, Option<crate::metering::MeterKey>)> {
		match self {
			Proposal::Join { candidate, application } => Some((candidate, application, None)),
			Proposal::JoinWithMeter { candidate, application, meter } => {
				Some((candidate, application, Some(meter.key)))
			}
			_ => None,
		}
	}

	/// Whether the meter the proposal names, if any, proved that it measures for the node the
	/// proposal is about.
	pub fn meter_proven(&self) -> bool
	where
		AccountId: Encode,
	{
		match self {
			Proposal::JoinWithMeter { candidate, meter, .. } => meter.verify(candidate),
			Proposal::ReplaceMeter { member, meter: Some(meter) } => meter.verify(member),
			_ => true,
		}
	}

	/// The node the proposal is about: the candidate or the member.
	pub fn subject(&self) -> &AccountId {
		match self {
			Proposal::Join { candidate, .. } | Proposal::JoinWithMeter { candidate, .. } => {
				candidate
			}
			Proposal::Kick { member, .. }
			| Proposal::Suspend { member, .. }
			| Proposal::ReplaceMeter { member, .. } => member,
		}
	}
}

/// Where a decision goes.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	Ord,
	PartialEq,
	PartialOrd,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Destination {
	/// The parent chain.
	Parent,
	/// A sub-chain.
	Subchain(crate::SubchainId),
}

/// A decision sent from one layer to the other through an outbox.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub enum Message<AccountId, Balance> {
	/// Sub-chain to parent: the sub-chain's members approved `proposal`; the parent votes next.
	Approved {
		/// The proposal as the sub-chain approved it.
		proposal: Proposal<AccountId>,
	},
	/// Parent to sub-chain: `who` is assigned to the sub-chain as a member with `info`, and
	/// gets `endowment` from the sub-chain's endowment account to pay its first fees.
	Admit {
		/// The new member.
		who: AccountId,
		/// Its role and attested attributes.
		info: MemberInfo,
		/// What it is given on the sub-chain.
		endowment: Balance,
	},
	/// Parent to sub-chain: `who` is no longer a member.
	Remove {
		/// The former member.
		who: AccountId,
		/// Why.
		reason: Reason,
	},
	/// Parent to sub-chain: `who`'s rights are paused.
	Suspend {
		/// The member.
		who: AccountId,
		/// Why.
		reason: Reason,
	},
	/// Parent to sub-chain: the biller election scores candidates with `weights` from now on.
	SetWeights {
		/// The weights of the four attributes, summing to 100%.
		weights: crate::dbsca::ScoreWeights,
	},
	/// Sub-chain to parent: a party disputed trade `trade`; the trade is frozen on the
	/// sub-chain until the parent rules.
	Dispute {
		/// The trade's id on the sub-chain.
		trade: crate::trade::TradeId,
		/// The dispute as the sub-chain recorded it.
		dispute: Dispute<AccountId, Balance>,
	},
	/// Parent to sub-chain: the parent's ruling on disputed trade `trade`: `delivered_wh` were
	/// delivered (the seller is paid for them, the buyer refunded the rest).
	Ruling {
		/// The trade's id on the sub-chain.
		trade: crate::trade::TradeId,
		/// The energy the ruling says was delivered, in Wh.
		delivered_wh: u64,
	},
	/// Parent to sub-chain: the market's price bounds from now on (per kWh): the feed-in
	/// tariff, which the grid pays for surplus, and the grid price, which it charges.
	SetPrices {
		/// The feed-in tariff, at most the grid price.
		feed_in_tariff: Balance,
		/// The grid price.
		grid_price: Balance,
	},
	/// Parent to sub-chain: how many nodes its next biller elections elect.
	SetCommitteeSize {
		/// From 1 to the sub-chain's largest committee
		/// ([`MAX_COMMITTEE_SIZE`](crate::dbsca::MAX_COMMITTEE_SIZE)).
		size: u32,
	},
	/// Parent to sub-chain: the sub-chain may replace its runtime with the code whose hash is
	/// `code_hash` (of the same spec name and a higher spec version); anyone then supplies the
	/// code there (`system.applyAuthorizedUpgrade`).
	AuthorizeUpgrade {
		/// The BLAKE2-256 hash of the new runtime's code.
		code_hash: sp_core::H256,
	},
	/// Parent to sub-chain: the network charge per kWh from now on, which the grid account is
	/// paid out of the seller's proceeds for every kWh a trade delivers over the network.
	SetNetworkCharge {
		/// Per kWh; at most the sub-chain's feed-in tariff.
		per_kwh: Balance,
	},
	/// Parent to sub-chain: as `Admit`, for a join that named the new member's meter.
	AdmitWithMeter {
		/// The new member.
		who: AccountId,
		/// Its role and attested attributes.
		info: MemberInfo,
		/// What it is given on the sub-chain.
		endowment: Balance,
		/// Its meter's key.
		meter: crate::metering::MeterKey,
	},
	/// Parent to sub-chain: member `who`'s meter has key `meter` from now on (`None`: no
	/// meter), as both layers voted.
	SetMeter {
		/// The member.
		who: AccountId,
		/// The meter's key, or none.
		meter: Option<crate::metering::MeterKey>,
	},
}

/// A disputed trade, as the sub-chain tells the parent.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct Dispute<AccountId, Balance> {
	/// Who disputed it: the buyer or the seller.
	pub by: AccountId,
	/// The buyer.
	pub buyer: AccountId,
	/// The seller.
	pub seller: AccountId,
	/// The energy agreed, in Wh: a ruling cannot say more was delivered.
	pub energy_wh: u64,
	/// The buyer's escrow for the trade.
	pub escrow: Balance,
}

/// Where a decision for the other layer is queued: the membership pallet's outbox, whose
/// nonces the other layer's inbox takes exactly once, in order.
pub trait Outbox<AccountId, Balance> {
	/// Queues `message` for `destination` under its next nonce and returns the nonce; fails if
	/// the outbox is full.
	fn send(
		destination: Destination,
		message: Message<AccountId, Balance>,
	) -> Result<u64, sp_runtime::DispatchError>;
}

/// Who votes on membership proposals: on the parent its authorities, on a sub-chain its
/// active members.
pub trait VoterSet<AccountId> {
	/// Whether `who` may vote now.
	fn is_voter(who: &AccountId) -> bool;
	/// How many may vote now.
	fn voter_count() -> u32;
}

/// Any active member of a [`MemberRegistry`] votes.
pub struct ActiveMembersVote<R>(core::marker::PhantomData<R>);

impl<AccountId, R: MemberRegistry<AccountId>> VoterSet<AccountId> for ActiveMembersVote<R> {
	fn is_voter(who: &AccountId) -> bool {
		R::active_member(who).is_some()
	}

	fn voter_count() -> u32 {
		R::active_members()
	}
}

/// Carries out the membership decisions of a chain.
///
/// On a sub-chain an approved proposal is forwarded to the parent; on the parent a join assigns
/// the node to a sub-chain and a kick or suspension takes its rights away, each with a message
/// for the sub-chain concerned.
pub trait DecisionHandler<AccountId, Balance> {
	/// Refuses, when it is proposed, a proposal that could not be carried out (e.g. a join of
	/// a node that is a member already, a kick of one that is not).
	fn check(proposal: &Proposal<AccountId>) -> sp_runtime::DispatchResult;

	/// Carries out an approved proposal; returns the message to send, and where. Its cost is
	/// part of the voting pallet's `vote_approve` benchmark, run against the runtime's handler.
	fn execute(
		proposal: &Proposal<AccountId>,
	) -> Result<Option<(Destination, Message<AccountId, Balance>)>, sp_runtime::DispatchError>;
}

/// An open membership proposal as the runtime API shows it.
#[derive(Clone, Debug, Decode, Encode, Eq, PartialEq, TypeInfo)]
pub struct ProposalStatus<AccountId, BlockNumber> {
	/// Its number.
	pub index: u32,
	/// What is proposed.
	pub proposal: Proposal<AccountId>,
	/// Who proposed it (`None`: imported from the other layer).
	pub proposer: Option<AccountId>,
	/// The voters in favour.
	pub ayes: alloc::vec::Vec<AccountId>,
	/// The voters against.
	pub nays: alloc::vec::Vec<AccountId>,
	/// The ayes that approve it now.
	pub required: u32,
	/// The block at which it expires undecided.
	pub end: BlockNumber,
}

sp_api::decl_runtime_apis! {
	/// A chain's membership vote and its outbox.
	pub trait MembershipApi<AccountId, BlockNumber>
	where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The open proposals, by number.
		fn proposals() -> alloc::vec::Vec<ProposalStatus<AccountId, BlockNumber>>;
		/// The messages waiting for `destination`, by nonce: what the relay delivers next.
		fn pending_messages(destination: Destination) -> alloc::vec::Vec<(u64, Message<AccountId, crate::Balance>)>;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_member_set_does_not_depend_on_order_and_undoes_exactly() {
		let accounts: alloc::vec::Vec<[u8; 32]> = (0..20u8).map(|i| [i; 32]).collect();
		let forward = MemberSet::of(accounts.iter());
		let backward = MemberSet::of(accounts.iter().rev());
		assert_eq!(forward, backward);
		assert_eq!(forward.count, 20);
		let mut set = forward;
		for who in &accounts[5..] {
			set = set.without(who);
		}
		assert_eq!(set, MemberSet::of(accounts[..5].iter()));
		for who in &accounts[..5] {
			set = set.without(who);
		}
		assert_eq!(set, MemberSet::default(), "back to the empty set, digest zero");
		let (low, high) = accounts.split_at(7);
		assert_eq!(MemberSet::of(low.iter()).union(MemberSet::of(high.iter())), forward);
	}

	#[test]
	fn member_sets_that_differ_in_one_member_differ() {
		let a = MemberSet::of([[1u8; 32], [2u8; 32]].iter());
		let b = MemberSet::of([[1u8; 32], [3u8; 32]].iter());
		assert_eq!(a.count, b.count);
		assert_ne!(a.digest, b.digest);
	}

	#[test]
	fn the_digest_is_the_little_endian_sum_of_the_members_hashes() {
		// Two hashes whose low bytes carry: checks the addition limb by limb.
		let x = sp_core::H256([0xff; 32]);
		let one = {
			let mut b = [0u8; 32];
			b[0] = 1;
			sp_core::H256(b)
		};
		assert_eq!(wrapping_add(x, one, false), sp_core::H256::zero(), "2^256 - 1 + 1 wraps");
		assert_eq!(wrapping_add(sp_core::H256::zero(), one, true), x, "0 - 1 wraps");
		let who = [7u8; 32];
		assert_eq!(
			MemberSet::default().with(&who).digest,
			sp_core::H256(sp_crypto_hashing::blake2_256(&who.encode()))
		);
	}
}
