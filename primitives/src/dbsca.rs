//! The DBSCA score: how a sub-chain ranks the generators that stand for biller.
//!
//! Each candidate has four attributes: whether it generates renewable power, and scores in
//! `0..=1` for its environmental impact, its cost and its stability. The score is their
//! weighted sum, the weights summing to 100% (the paper's defaults: renewable 20%,
//! environmental 30%, cost 40%, stable 10%). Everything is fixed point (parts per million):
//! every node computes exactly the same score, with no floats.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::Permill;

/// The largest committee a sub-chain elects: its biller and standbys, who author its blocks
/// and vote in its GRANDPA (eight keeps a round's statement and the parent's check of it
/// small, and lets two of them fail).
pub const MAX_COMMITTEE_SIZE: u32 = 8;

/// Whether `size` is a committee size a sub-chain accepts: from 1 to [`MAX_COMMITTEE_SIZE`].
pub fn valid_committee_size(size: u32) -> bool {
	(1..=MAX_COMMITTEE_SIZE).contains(&size)
}

/// The attributes the DBSCA score weighs.
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
pub struct NodeAttributes {
	/// Whether the node generates renewable power (wind, solar, ...).
	pub renewable: bool,
	/// Environmental score, 0 (worst) to 1 (best).
	pub environmental: Permill,
	/// Cost score, 0 (most expensive) to 1 (cheapest).
	pub cost: Permill,
	/// Stability score, 0 (unreliable) to 1 (always delivers).
	pub stability: Permill,
}

/// The weight of each attribute in the score. Valid weights sum to exactly 100%.
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
pub struct ScoreWeights {
	/// Weight of being renewable.
	pub renewable: Permill,
	/// Weight of the environmental score.
	pub environmental: Permill,
	/// Weight of the cost score.
	pub cost: Permill,
	/// Weight of the stability score.
	pub stability: Permill,
}

impl Default for ScoreWeights {
	/// The paper's weights: renewable 20%, environmental 30%, cost 40%, stable 10%.
	fn default() -> Self {
		ScoreWeights {
			renewable: Permill::from_percent(20),
			environmental: Permill::from_percent(30),
			cost: Permill::from_percent(40),
			stability: Permill::from_percent(10),
		}
	}
}

/// Why a set of weights is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightsError {
	/// The weights do not sum to 100%; the sum in parts per million.
	SumIsNot100Percent(u32),
}

impl NodeAttributes {
	/// These attributes, each capped by `limit`: what a candidate may claim when `limit` is
	/// what was attested for it. Renewable only if both say so.
	pub fn capped_by(&self, limit: &NodeAttributes) -> NodeAttributes {
		NodeAttributes {
			renewable: self.renewable && limit.renewable,
			environmental: self.environmental.min(limit.environmental),
			cost: self.cost.min(limit.cost),
			stability: self.stability.min(limit.stability),
		}
	}

	/// Whether no attribute exceeds `limit`'s.
	pub fn within(&self, limit: &NodeAttributes) -> bool {
		self.capped_by(limit) == *self
	}
}

impl ScoreWeights {
	/// Weights from whole percentages, in the order renewable, environmental, cost, stable.
	pub fn from_percent(renewable: u32, environmental: u32, cost: u32, stability: u32) -> Self {
		ScoreWeights {
			renewable: Permill::from_percent(renewable),
			environmental: Permill::from_percent(environmental),
			cost: Permill::from_percent(cost),
			stability: Permill::from_percent(stability),
		}
	}

	/// The sum of the four weights, in parts per million (may exceed one million).
	pub fn sum_parts(&self) -> u32 {
		[self.renewable, self.environmental, self.cost, self.stability]
			.iter()
			.map(|w| w.deconstruct())
			.sum()
	}

	/// Checks that the weights sum to exactly 100%.
	pub fn validate(&self) -> Result<(), WeightsError> {
		match self.sum_parts() {
			1_000_000 => Ok(()),
			other => Err(WeightsError::SumIsNot100Percent(other)),
		}
	}

	/// The score of `attributes`: the weighted sum, rounded to the nearest part per million.
	///
	/// With valid weights the score is in `0..=1`; with invalid ones it saturates at 1.
	pub fn score(&self, attributes: &NodeAttributes) -> Permill {
		let term = |weight: Permill, value: Permill| {
			u64::from(weight.deconstruct()) * u64::from(value.deconstruct())
		};
		let renewable = if attributes.renewable { Permill::one() } else { Permill::zero() };
		let total = term(self.renewable, renewable)
			+ term(self.environmental, attributes.environmental)
			+ term(self.cost, attributes.cost)
			+ term(self.stability, attributes.stability);
		// `total` is in parts per 10^12; round half up to parts per million.
		let parts = (total + 500_000) / 1_000_000;
		Permill::from_parts(u32::try_from(parts.min(1_000_000)).unwrap_or(1_000_000))
	}
}

/// Orders candidates by score, best first; equal scores by the lower key (e.g. the earlier
/// serial number or the smaller account id), so every node ranks the same way.
pub fn rank<K: Ord + Clone>(candidates: &[(K, Permill)]) -> alloc::vec::Vec<(K, Permill)> {
	let mut ranked = candidates.to_vec();
	ranked.sort_by(|(ka, sa), (kb, sb)| sb.cmp(sa).then_with(|| ka.cmp(kb)));
	ranked
}

/// What a member signs when it confirms a round's result: the sub-chain (its id and genesis
/// hash), the round, the member set whose quorum it counts, the committee it elects (the
/// biller first) and the committee's GRANDPA keys. The parent checks these signatures against
/// its own member registry, so a biller change never needs the outgoing biller; the genesis
/// hash keeps a confirmation from being replayed on another deployment whose members share
/// keys, and the member set binds the signers to the set whose quorum they form, which the
/// parent compares with its own. The keys are the voter set the committee's enactment
/// schedules: the parent follows a sub-chain's change of voters only to a set the members
/// elected this way.
#[derive(Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, PartialEq, TypeInfo)]
pub struct ElectionStatement<AccountId> {
	/// Domain separator, always [`ElectionStatement::CONTEXT`], so the signature can be
	/// mistaken for no other message.
	pub context: [u8; 16],
	/// The genesis hash of the sub-chain that holds the election.
	pub genesis: sp_core::H256,
	/// The sub-chain that holds the election.
	pub subchain: crate::SubchainId,
	/// The round's index.
	pub round: u32,
	/// The active members when the round opened, whose quorum elects.
	pub members: crate::membership::MemberSet,
	/// The elected committee in order; the biller is the first.
	pub committee: alloc::vec::Vec<AccountId>,
	/// The committee's GRANDPA keys, in the committee's order: its finality voters once it is
	/// enacted, each with weight 1.
	pub voters: alloc::vec::Vec<crate::finality::AuthorityId>,
}

impl<AccountId: Encode> ElectionStatement<AccountId> {
	/// The domain separator of election statements.
	pub const CONTEXT: [u8; 16] = *b"dbm/dbsca/elect3";

	/// The statement of `round` on sub-chain `subchain` (genesis hash `genesis`), counting
	/// `members`, electing `committee` whose GRANDPA keys are `voters`.
	pub fn new(
		genesis: sp_core::H256,
		subchain: crate::SubchainId,
		round: u32,
		members: crate::membership::MemberSet,
		committee: alloc::vec::Vec<AccountId>,
		voters: alloc::vec::Vec<crate::finality::AuthorityId>,
	) -> Self {
		ElectionStatement {
			context: Self::CONTEXT,
			genesis,
			subchain,
			round,
			members,
			committee,
			voters,
		}
	}

	/// The bytes a member signs: the statement's SCALE encoding.
	pub fn signing_payload(&self) -> alloc::vec::Vec<u8> {
		self.encode()
	}
}

/// A candidate as the sub-chain ranks it.
#[derive(Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, PartialEq, TypeInfo)]
pub struct RankedCandidate<AccountId> {
	/// The candidate's account.
	pub account: AccountId,
	/// The attributes the score uses: the declared ones, capped by the attested ones.
	pub attributes: NodeAttributes,
	/// The weighted score.
	pub score: Permill,
	/// Whether the candidate can be elected now (an active member with consensus keys).
	pub electable: bool,
}

/// An open election round as clients see it.
#[derive(Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, PartialEq, TypeInfo)]
pub struct RoundStatus<AccountId, BlockNumber> {
	/// The round's index.
	pub index: u32,
	/// The block in which it opened.
	pub opened_at: BlockNumber,
	/// The committee it will elect, with scores, the biller first.
	pub committee: alloc::vec::Vec<(AccountId, Permill)>,
	/// Confirmations so far.
	pub confirmations: u32,
	/// Confirmations that close the round.
	pub needed: u32,
}

sp_api::decl_runtime_apis! {
	/// The DBSCA election of a sub-chain: scores, the round, the committee.
	pub trait DbscaApi<AccountId: codec::Codec, BlockNumber: codec::Codec> {
		/// The score weights in force.
		fn weights() -> ScoreWeights;
		/// Every candidate, best first (electable or not).
		fn ranking() -> alloc::vec::Vec<RankedCandidate<AccountId>>;
		/// The open round, if any.
		fn round() -> Option<RoundStatus<AccountId, BlockNumber>>;
		/// The committee in force, the biller first.
		fn committee() -> alloc::vec::Vec<AccountId>;
		/// The committee elected and awaiting the parent's confirmation, if any, with its round.
		fn pending_committee() -> Option<(u32, alloc::vec::Vec<AccountId>)>;
		/// The bytes a member signs to confirm the open round `round` (`None` if it is not open).
		fn confirmation_payload(round: u32) -> Option<alloc::vec::Vec<u8>>;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn attrs(renewable: bool, env: u32, cost: u32, stable: u32) -> NodeAttributes {
		NodeAttributes {
			renewable,
			environmental: Permill::from_parts(env),
			cost: Permill::from_parts(cost),
			stability: Permill::from_parts(stable),
		}
	}

	#[test]
	fn default_weights_are_the_papers_and_valid() {
		let w = ScoreWeights::default();
		assert_eq!(w, ScoreWeights::from_percent(20, 30, 40, 10));
		assert_eq!(w.validate(), Ok(()));
	}

	#[test]
	fn weights_not_summing_to_100_percent_are_refused() {
		assert_eq!(
			ScoreWeights::from_percent(20, 30, 40, 11).validate(),
			Err(WeightsError::SumIsNot100Percent(1_010_000))
		);
		assert_eq!(
			ScoreWeights::from_percent(0, 0, 0, 0).validate(),
			Err(WeightsError::SumIsNot100Percent(0))
		);
	}

	#[test]
	fn score_is_the_weighted_sum_in_parts_per_million() {
		let w = ScoreWeights::default();
		// Node 1 of the paper's table: 1*0.2 + 0.99*0.3 + 0.166*0.4 + 0.6*0.1 = 0.6234.
		assert_eq!(w.score(&attrs(true, 990_000, 166_000, 600_000)), Permill::from_parts(623_400));
		assert_eq!(w.score(&attrs(false, 0, 0, 0)), Permill::zero());
		assert_eq!(w.score(&attrs(true, 1_000_000, 1_000_000, 1_000_000)), Permill::one());
	}

	#[test]
	fn score_rounds_half_up_and_saturates_with_invalid_weights() {
		let w = ScoreWeights {
			renewable: Permill::zero(),
			environmental: Permill::from_parts(500_000),
			cost: Permill::from_parts(500_000),
			stability: Permill::zero(),
		};
		// 0.5 * 0.000001 + 0.5 * 0 = 0.0000005 -> rounds up to 1 part per million.
		assert_eq!(w.score(&attrs(false, 1, 0, 0)), Permill::from_parts(1));
		let heavy = ScoreWeights::from_percent(100, 100, 100, 100);
		assert_eq!(heavy.score(&attrs(true, 1_000_000, 1_000_000, 1_000_000)), Permill::one());
	}

	#[test]
	fn rank_orders_by_score_then_by_key() {
		let p = Permill::from_parts;
		let ranked = rank(&[(3u32, p(5)), (1, p(7)), (2, p(5))]);
		assert_eq!(ranked, vec![(1, p(7)), (2, p(5)), (3, p(5))]);
	}
}
