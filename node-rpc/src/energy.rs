//! `energy_*`: a sub-chain's electricity market in JSON. Every method takes an optional block
//! hash (default: the best block) and answers from the `EnergyTradeApi` runtime API.
//! Accounts are SS58 addresses; balances and prices (smallest unit, prices per kWh) are decimal
//! strings, since they exceed what JavaScript numbers hold exactly; energy is in Wh.

use crate::format::{runtime_api_error as api_error, ss58 as address};
use dbm_primitives::{
	trade::{
		EnergyKind, EnergyTradeApi, Offer, OfferId, Side, Trade, TradeId, TradeOutcome,
		TradeRecord, TradeRoot,
	},
	AccountId, Balance, Block, BlockNumber, Hash,
};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObject};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use std::sync::Arc;

/// The market's prices and open energy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PricesView {
	/// Feed-in tariff per kWh.
	pub feed_in_tariff: String,
	/// Grid price per kWh.
	pub grid_price: String,
	/// Reference price per kWh, from the supply / demand ratio.
	pub reference: String,
	/// Open supply, Wh.
	pub open_supply_wh: String,
	/// Open demand, Wh.
	pub open_demand_wh: String,
	/// Network charge per kWh delivered, paid to the grid account from the seller's proceeds.
	pub network_charge: String,
}

/// An open offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferView {
	/// The offer's id.
	pub id: OfferId,
	/// Who posted it.
	pub owner: String,
	/// `demand` or `supply`.
	pub side: &'static str,
	/// `renewable` or `any`.
	pub kind: &'static str,
	/// Energy posted, Wh.
	pub energy_wh: u64,
	/// Energy left, Wh.
	pub remaining_wh: u64,
	/// Price per kWh.
	pub price: String,
	/// Whether it may be taken in part.
	pub allow_partial: bool,
	/// Delivery window start.
	pub delivery_start: BlockNumber,
	/// Delivery window end.
	pub delivery_end: BlockNumber,
	/// Expiry block.
	pub expires: BlockNumber,
	/// Escrow held (demands).
	pub escrow: String,
	/// The grid price the remainder is bought at on expiry, if asked for.
	pub grid_fallback: Option<String>,
}

/// An open trade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeView {
	/// The trade's id.
	pub id: TradeId,
	/// The offer it came from.
	pub offer: OfferId,
	/// Who pays.
	pub buyer: String,
	/// Who delivers.
	pub seller: String,
	/// `renewable` or `any`.
	pub kind: &'static str,
	/// Energy agreed, Wh.
	pub energy_wh: u64,
	/// Price per kWh.
	pub price: String,
	/// Escrow held.
	pub escrow: String,
	/// Delivery window start.
	pub delivery_start: BlockNumber,
	/// Delivery window end.
	pub delivery_end: BlockNumber,
	/// Refunded if not settled by this block.
	pub settle_by: BlockNumber,
	/// Frozen by a dispute.
	pub disputed: bool,
}

/// A record of a block's trade batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
	/// The trade.
	pub trade: TradeId,
	/// `matched`, `delivered`, `ruled`, `undelivered` or `gridSupplied`.
	pub outcome: &'static str,
	/// Energy delivered (delivered and ruled outcomes).
	pub delivered_wh: Option<u64>,
	/// Who pays.
	pub buyer: String,
	/// Who delivers.
	pub seller: String,
	/// Energy agreed, Wh.
	pub energy_wh: u64,
	/// Price per kWh.
	pub price: String,
	/// Escrowed (matched) or paid (closed).
	pub value: String,
	/// The record's SCALE encoding, `0x`-hex: the Merkle leaf.
	pub encoded: String,
}

/// A block's trade batch and the root its header carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockTradesView {
	/// The block.
	pub block: Hash,
	/// The trade root in the block's header (`null` if it has none).
	pub header_root: Option<Hash>,
	/// The root computed over `records`.
	pub root: Hash,
	/// The records, in order.
	pub records: Vec<RecordView>,
}

/// A Merkle proof of one record against the block's header root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeProofView {
	/// The block.
	pub block: Hash,
	/// The trade root in the block's header.
	pub header_root: Option<Hash>,
	/// The record.
	pub record: RecordView,
	/// Its position in the batch.
	pub index: u32,
	/// The batch's size.
	pub count: u32,
	/// Sibling hashes, leaf to root.
	pub path: Vec<Hash>,
	/// Whether the proof verifies against the header's root.
	pub verified: bool,
	/// The proof's SCALE encoding (`TradeProof`), `0x`-hex, for a verifier elsewhere.
	pub encoded: String,
}

/// A seller's delivery record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
	/// Trades closed.
	pub trades: u32,
	/// Trades refunded undelivered.
	pub undelivered: u32,
	/// Energy agreed, Wh.
	pub contracted_wh: u64,
	/// Energy delivered, Wh.
	pub delivered_wh: u64,
	/// Share delivered, parts per million.
	pub stability_ppm: u32,
}

/// The `energy_*` methods.
#[rpc(server)]
pub trait EnergyRpc {
	/// Price bounds, reference price, open energy.
	#[method(name = "energy_prices")]
	fn prices(&self, at: Option<Hash>) -> RpcResult<PricesView>;

	/// The open offers, oldest first.
	#[method(name = "energy_openOffers")]
	fn open_offers(&self, at: Option<Hash>) -> RpcResult<Vec<OfferView>>;

	/// The open trades, oldest first.
	#[method(name = "energy_openTrades")]
	fn open_trades(&self, at: Option<Hash>) -> RpcResult<Vec<TradeView>>;

	/// A block's trade batch and trade root.
	#[method(name = "energy_blockTrades")]
	fn block_trades(&self, at: Option<Hash>) -> RpcResult<BlockTradesView>;

	/// The proof of record `index` of a block's trade batch.
	#[method(name = "energy_tradeProof")]
	fn trade_proof(&self, index: u32, at: Option<Hash>) -> RpcResult<Option<TradeProofView>>;

	/// A seller's delivery record (`account`: SS58).
	#[method(name = "energy_deliveryRecord")]
	fn delivery_record(&self, account: String, at: Option<Hash>) -> RpcResult<DeliveryView>;
}

/// Serves `energy_*` from a sub-chain client.
pub struct Energy<C> {
	client: Arc<C>,
}

impl<C> Energy<C> {
	/// The methods over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Energy { client }
	}
}

fn kind(kind: EnergyKind) -> &'static str {
	match kind {
		EnergyKind::Renewable => "renewable",
		EnergyKind::Any => "any",
	}
}

fn offer_view((id, o): (OfferId, Offer<AccountId, Balance, BlockNumber>)) -> OfferView {
	OfferView {
		id,
		owner: address(&o.owner),
		side: match o.side {
			Side::Demand => "demand",
			Side::Supply => "supply",
		},
		kind: kind(o.kind),
		energy_wh: o.terms.energy_wh,
		remaining_wh: o.remaining_wh,
		price: o.terms.price.to_string(),
		allow_partial: o.terms.allow_partial,
		delivery_start: o.terms.delivery_start,
		delivery_end: o.terms.delivery_end,
		expires: o.terms.expires,
		escrow: o.escrow.to_string(),
		grid_fallback: o.grid_fallback.map(|p| p.to_string()),
	}
}

fn trade_view((id, t): (TradeId, Trade<AccountId, Balance, BlockNumber>)) -> TradeView {
	TradeView {
		id,
		offer: t.offer,
		buyer: address(&t.buyer),
		seller: address(&t.seller),
		kind: kind(t.kind),
		energy_wh: t.energy_wh,
		price: t.price.to_string(),
		escrow: t.escrow.to_string(),
		delivery_start: t.delivery_start,
		delivery_end: t.delivery_end,
		settle_by: t.settle_by,
		disputed: t.disputed,
	}
}

fn record_view(r: &TradeRecord<AccountId, Balance>) -> RecordView {
	let (outcome, delivered_wh) = match r.outcome {
		TradeOutcome::Matched => ("matched", None),
		TradeOutcome::Delivered { delivered_wh } => ("delivered", Some(delivered_wh)),
		TradeOutcome::Ruled { delivered_wh } => ("ruled", Some(delivered_wh)),
		TradeOutcome::Undelivered => ("undelivered", None),
		TradeOutcome::GridSupplied => ("gridSupplied", None),
	};
	RecordView {
		trade: r.trade,
		outcome,
		delivered_wh,
		buyer: address(&r.buyer),
		seller: address(&r.seller),
		energy_wh: r.energy_wh,
		price: r.price.to_string(),
		value: r.value.to_string(),
		encoded: format!("0x{}", hex::encode(codec::Encode::encode(r))),
	}
}

impl<C> Energy<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}

	/// The trade root in block `at`'s header.
	fn header_root(&self, at: Hash) -> RpcResult<Option<TradeRoot>> {
		let header = self
			.client
			.header(at)
			.map_err(api_error)?
			.ok_or_else(|| ErrorObject::owned(2, format!("unknown block {at}"), None::<()>))?;
		Ok(TradeRoot::find(&header.digest))
	}
}

impl<C> EnergyRpcServer for Energy<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: EnergyTradeApi<Block, AccountId, Balance, BlockNumber>,
{
	fn prices(&self, at: Option<Hash>) -> RpcResult<PricesView> {
		let p = self.client.runtime_api().prices(self.at(at)).map_err(api_error)?;
		Ok(PricesView {
			feed_in_tariff: p.feed_in_tariff.to_string(),
			grid_price: p.grid_price.to_string(),
			reference: p.reference.to_string(),
			open_supply_wh: p.open_supply_wh.to_string(),
			open_demand_wh: p.open_demand_wh.to_string(),
			network_charge: p.network_charge.to_string(),
		})
	}

	fn open_offers(&self, at: Option<Hash>) -> RpcResult<Vec<OfferView>> {
		let offers = self.client.runtime_api().open_offers(self.at(at)).map_err(api_error)?;
		Ok(offers.into_iter().map(offer_view).collect())
	}

	fn open_trades(&self, at: Option<Hash>) -> RpcResult<Vec<TradeView>> {
		let trades = self.client.runtime_api().open_trades(self.at(at)).map_err(api_error)?;
		Ok(trades.into_iter().map(trade_view).collect())
	}

	fn block_trades(&self, at: Option<Hash>) -> RpcResult<BlockTradesView> {
		let at = self.at(at);
		let records = self.client.runtime_api().block_trades(at).map_err(api_error)?;
		Ok(BlockTradesView {
			block: at,
			header_root: self.header_root(at)?.map(|r| r.root),
			root: TradeRoot::of(&records).root,
			records: records.iter().map(record_view).collect(),
		})
	}

	fn trade_proof(&self, index: u32, at: Option<Hash>) -> RpcResult<Option<TradeProofView>> {
		let at = self.at(at);
		let Some(proof) = self.client.runtime_api().trade_proof(at, index).map_err(api_error)?
		else {
			return Ok(None);
		};
		let header_root = self.header_root(at)?;
		Ok(Some(TradeProofView {
			block: at,
			header_root: header_root.map(|r| r.root),
			record: record_view(&proof.record),
			index: proof.index,
			count: proof.count,
			path: proof.path.clone(),
			verified: header_root.is_some_and(|root| proof.verify(&root)),
			encoded: format!("0x{}", hex::encode(codec::Encode::encode(&proof))),
		}))
	}

	fn delivery_record(&self, account: String, at: Option<Hash>) -> RpcResult<DeliveryView> {
		let who =
			AccountId::from_ss58check_with_version(&account).map(|(who, _)| who).map_err(|e| {
				ErrorObject::owned(3, format!("not an SS58 address: {e:?}"), None::<()>)
			})?;
		let r = self.client.runtime_api().delivery_record(self.at(at), who).map_err(api_error)?;
		Ok(DeliveryView {
			trades: r.trades,
			undelivered: r.undelivered,
			contracted_wh: r.contracted_wh,
			delivered_wh: r.delivered_wh,
			stability_ppm: r.stability().deconstruct(),
		})
	}
}
