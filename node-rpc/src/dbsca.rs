//! `dbsca_*`: a sub-chain's DBSCA election in JSON, for dashboards and scripts that do not
//! decode SCALE. Every method takes an optional block hash (default: the best block) and
//! answers from the `DbscaApi` runtime API. Accounts are SS58 addresses; scores and attribute
//! values are parts per million, with the score also as a decimal string.

use crate::format::{runtime_api_error as api_error, ss58 as address};
use dbm_primitives::{
	dbsca::{DbscaApi, NodeAttributes, ScoreWeights},
	paper::decimal,
	AccountId, Block, BlockNumber, Hash,
};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use std::sync::Arc;

/// A candidate in the ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
	/// The candidate's address.
	pub account: String,
	/// The score as a decimal (`0.623400`).
	pub score: String,
	/// The score in parts per million.
	pub score_ppm: u32,
	/// The attributes the score uses (declared, capped by the attested ones).
	pub attributes: AttributesView,
	/// Whether a round would consider it.
	pub electable: bool,
}

/// DBSCA attributes, in parts per million.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributesView {
	/// Renewable generation.
	pub renewable: bool,
	/// Environmental score.
	pub environmental: u32,
	/// Cost score.
	pub cost: u32,
	/// Stability score.
	pub stability: u32,
}

/// The open round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundView {
	/// The round's index.
	pub index: u32,
	/// The block it opened in.
	pub opened_at: BlockNumber,
	/// The committee it elects, the biller first, with scores in parts per million.
	pub committee: Vec<(String, u32)>,
	/// Confirmations so far.
	pub confirmations: u32,
	/// Confirmations that close it.
	pub needed: u32,
}

/// The committee in force and the one awaiting enactment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitteeView {
	/// The biller: the committee's first member.
	pub biller: Option<String>,
	/// The committee in force.
	pub committee: Vec<String>,
	/// The round and committee elected and awaiting the parent's confirmation.
	pub pending: Option<(u32, Vec<String>)>,
}

/// The score weights, in parts per million.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightsView {
	/// Weight of renewable generation.
	pub renewable: u32,
	/// Weight of the environmental score.
	pub environmental: u32,
	/// Weight of the cost score.
	pub cost: u32,
	/// Weight of the stability score.
	pub stability: u32,
}

/// The `dbsca_*` methods.
#[rpc(server)]
pub trait DbscaRpc {
	/// Every candidate, best first.
	#[method(name = "dbsca_ranking")]
	fn ranking(&self, at: Option<Hash>) -> RpcResult<Vec<CandidateView>>;

	/// The open round, or `null`.
	#[method(name = "dbsca_round")]
	fn round(&self, at: Option<Hash>) -> RpcResult<Option<RoundView>>;

	/// The committee in force and any awaiting enactment.
	#[method(name = "dbsca_committee")]
	fn committee(&self, at: Option<Hash>) -> RpcResult<CommitteeView>;

	/// The score weights in force.
	#[method(name = "dbsca_weights")]
	fn weights(&self, at: Option<Hash>) -> RpcResult<WeightsView>;
}

/// Serves `dbsca_*` from a sub-chain client.
pub struct Dbsca<C> {
	client: Arc<C>,
}

impl<C> Dbsca<C> {
	/// The methods over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Dbsca { client }
	}
}

fn attributes(a: &NodeAttributes) -> AttributesView {
	AttributesView {
		renewable: a.renewable,
		environmental: a.environmental.deconstruct(),
		cost: a.cost.deconstruct(),
		stability: a.stability.deconstruct(),
	}
}

impl<C> Dbsca<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> DbscaRpcServer for Dbsca<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DbscaApi<Block, AccountId, BlockNumber>,
{
	fn ranking(&self, at: Option<Hash>) -> RpcResult<Vec<CandidateView>> {
		let ranking = self.client.runtime_api().ranking(self.at(at)).map_err(api_error)?;
		Ok(ranking
			.into_iter()
			.map(|c| CandidateView {
				account: address(&c.account),
				score: decimal(c.score),
				score_ppm: c.score.deconstruct(),
				attributes: attributes(&c.attributes),
				electable: c.electable,
			})
			.collect())
	}

	fn round(&self, at: Option<Hash>) -> RpcResult<Option<RoundView>> {
		let round = self.client.runtime_api().round(self.at(at)).map_err(api_error)?;
		Ok(round.map(|r| RoundView {
			index: r.index,
			opened_at: r.opened_at,
			committee: r.committee.iter().map(|(a, s)| (address(a), s.deconstruct())).collect(),
			confirmations: r.confirmations,
			needed: r.needed,
		}))
	}

	fn committee(&self, at: Option<Hash>) -> RpcResult<CommitteeView> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let committee: Vec<String> =
			api.committee(at).map_err(api_error)?.iter().map(address).collect();
		let pending = api
			.pending_committee(at)
			.map_err(api_error)?
			.map(|(round, members)| (round, members.iter().map(address).collect()));
		Ok(CommitteeView { biller: committee.first().cloned(), committee, pending })
	}

	fn weights(&self, at: Option<Hash>) -> RpcResult<WeightsView> {
		let w: ScoreWeights = self.client.runtime_api().weights(self.at(at)).map_err(api_error)?;
		Ok(WeightsView {
			renewable: w.renewable.deconstruct(),
			environmental: w.environmental.deconstruct(),
			cost: w.cost.deconstruct(),
			stability: w.stability.deconstruct(),
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::Permill;

	#[test]
	fn decimals_have_six_places() {
		assert_eq!(decimal(Permill::from_parts(623_400)), "0.623400");
		assert_eq!(decimal(Permill::one()), "1.000000");
		assert_eq!(decimal(Permill::zero()), "0.000000");
	}
}
