//! The sub-chain electricity market, as every layer sees it.
//!
//! Members post **offers**: a demand (a buyer's bid, its maximum payment held in escrow) or a
//! supply (a seller's ask). Another member takes an offer, in full or in part, and the two
//! become a **trade**, settled on a meter reading. Amounts are in watt-hours, prices in the
//! smallest token unit per kilowatt-hour, and a trade's value is
//! [`payment`]`(price, energy) = price * energy / 1000`, rounded down.
//!
//! Every trade matched or closed in a block is a [`TradeRecord`]; the block header carries the
//! binary Merkle root of the block's records ([`TradeRoot`], a consensus digest item under
//! [`TRADE_ROOT_ENGINE_ID`]), so an anchored header commits to its trades and any one of them
//! can be proven against it ([`TradeProof`]).

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{H256, U512};
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::BlakeTwo256,
	ConsensusEngineId,
};

/// Identifies an offer on one sub-chain.
pub type OfferId = u64;

/// Identifies a trade on one sub-chain.
pub type TradeId = u64;

/// The most trade records one sub-chain block holds: the sub-chain's market closes its batch
/// at this many, and the parent takes an anchor with this many. Enough that a block is full
/// by weight before it is full by count.
pub const MAX_TRADES_PER_BLOCK: u32 = 1_024;

/// The engine id of the trade-root digest item.
pub const TRADE_ROOT_ENGINE_ID: ConsensusEngineId = *b"dbmt";

/// Watt-hours in a kilowatt-hour: prices are per kWh, amounts in Wh.
pub const WH_PER_KWH: u128 = 1_000;

/// Whether a market's price bounds are consistent: the feed-in tariff the grid pays for
/// surplus is not above the price it charges.
pub fn valid_price_bounds(feed_in_tariff: u128, grid_price: u128) -> bool {
	feed_in_tariff <= grid_price
}

/// What a trade is worth: `price` per kWh times `energy_wh`, rounded down; `None` if it does not
/// fit a balance.
///
/// Rounding down makes the value of a whole at least the sum of the values of its parts, so a
/// demand's escrow always covers every partial trade taken from it.
pub fn payment(price: u128, energy_wh: u64) -> Option<u128> {
	price.checked_mul(u128::from(energy_wh)).map(|v| v / WH_PER_KWH)
}

/// The reference price of the market, from the supply / demand ratio (SDR) of its open offers.
///
/// With `S` the open supply and `D` the open demand (Wh), `f` the feed-in tariff and `g` the
/// grid price:
///
/// - no open demand, or `S >= D`: the feed-in tariff `f` (supply covers demand; a seller's
///   alternative is feeding into the grid);
/// - `S < D`: `f * g / ((g - f) * S/D + f)`, which is `g` with no supply and falls
///   continuously to `f` as supply reaches demand.
///
/// So the price always lies in `[f, g]` and moves inversely with the ratio. Rounded down; with
/// `f > g` (never stored) it returns `g`.
pub fn reference_price(feed_in: u128, grid: u128, supply_wh: u128, demand_wh: u128) -> u128 {
	if feed_in >= grid {
		return grid;
	}
	if demand_wh == 0 || supply_wh >= demand_wh {
		return feed_in;
	}
	// f * g * D / ((g - f) * S + f * D), in 512 bits: no intermediate overflows.
	let (f, g, s, d) =
		(U512::from(feed_in), U512::from(grid), U512::from(supply_wh), U512::from(demand_wh));
	let denominator = (g - f) * s + f * d;
	if denominator.is_zero() {
		// Only with f = 0 and S = 0: no supply at all, the grid price.
		return grid;
	}
	let price = f * g * d / denominator;
	// The value lies in [f, g], so it fits; the clamp keeps that obvious.
	price.min(g).max(f).low_u128()
}

/// Which side of the market an offer is on.
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
pub enum Side {
	/// A buyer's bid: the buyer's maximum payment is held in escrow.
	Demand,
	/// A seller's ask.
	Supply,
}

/// The kind of energy an offer asks for (demand) or delivers (supply).
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
pub enum EnergyKind {
	/// Renewable only: a demand of this kind can be taken only by a renewable generator; a
	/// supply of this kind comes from one.
	Renewable,
	/// Any source.
	Any,
}

/// The terms a member posts an offer with.
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
pub struct OfferTerms<Balance, BlockNumber> {
	/// Energy, in Wh.
	pub energy_wh: u64,
	/// Price per kWh: the most a buyer pays (demand) or what a seller asks (supply).
	pub price: Balance,
	/// Whether a taker may take part of the offer.
	pub allow_partial: bool,
	/// First block of the delivery window.
	pub delivery_start: BlockNumber,
	/// Last block of the delivery window.
	pub delivery_end: BlockNumber,
	/// The offer can be taken before this block, and not from it on.
	pub expires: BlockNumber,
}

/// An open offer.
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
pub struct Offer<AccountId, Balance, BlockNumber> {
	/// Who posted it.
	pub owner: AccountId,
	/// Bid or ask.
	pub side: Side,
	/// Required (demand) or delivered (supply) kind of energy.
	pub kind: EnergyKind,
	/// The posted terms; `terms.energy_wh` is the energy first offered.
	pub terms: OfferTerms<Balance, BlockNumber>,
	/// Energy not taken yet, in Wh.
	pub remaining_wh: u64,
	/// Demand only: what the owner has in escrow for the remaining energy.
	pub escrow: Balance,
	/// Demand only: the grid price per kWh at posting, if the owner asked for the remainder to
	/// be bought from the external grid at expiry (the escrow covers it at that price).
	pub grid_fallback: Option<Balance>,
}

/// A matched trade, waiting for its meter reading.
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
pub struct Trade<AccountId, Balance, BlockNumber> {
	/// The offer it was taken from.
	pub offer: OfferId,
	/// Who pays.
	pub buyer: AccountId,
	/// Who delivers.
	pub seller: AccountId,
	/// Whether the seller delivers renewable energy.
	pub kind: EnergyKind,
	/// Energy agreed, in Wh.
	pub energy_wh: u64,
	/// Price per kWh.
	pub price: Balance,
	/// The buyer's escrow for this trade: `payment(price, energy_wh)`.
	pub escrow: Balance,
	/// First block of the delivery window.
	pub delivery_start: BlockNumber,
	/// Last block of the delivery window.
	pub delivery_end: BlockNumber,
	/// Unsettled at this block, the trade is refunded and counts against the seller.
	pub settle_by: BlockNumber,
	/// A disputed trade is frozen until the dispute origin rules.
	pub disputed: bool,
}

/// How a trade record came about.
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
pub enum TradeOutcome {
	/// An offer was taken; `value` is now in escrow.
	Matched,
	/// The meter reading settled the trade: `delivered_wh` were delivered and `value` paid.
	Delivered {
		/// Energy delivered, in Wh.
		delivered_wh: u64,
	},
	/// The dispute origin ruled that `delivered_wh` were delivered; `value` was paid.
	Ruled {
		/// Energy delivered, in Wh.
		delivered_wh: u64,
	},
	/// Unsettled by the end of its settlement period: the buyer was refunded (`value` is 0).
	Undelivered,
	/// A demand's unmatched remainder was bought from the external grid: the seller is the grid
	/// account and `value` was paid to it.
	GridSupplied,
}

/// One entry of a block's trade batch: a leaf of the block's trade root.
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
pub struct TradeRecord<AccountId, Balance> {
	/// The trade.
	pub trade: TradeId,
	/// What happened to it in this block.
	pub outcome: TradeOutcome,
	/// Who pays.
	pub buyer: AccountId,
	/// Who delivers.
	pub seller: AccountId,
	/// Energy agreed, in Wh.
	pub energy_wh: u64,
	/// Price per kWh.
	pub price: Balance,
	/// Escrowed (matched) or paid to the seller (closed).
	pub value: Balance,
}

/// The trade-root digest item's payload.
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
)]
pub struct TradeRoot {
	/// Binary Merkle root (blake2-256) of the SCALE-encoded records; zero with no records.
	pub root: H256,
	/// How many records the block has.
	pub count: u32,
}

impl TradeRoot {
	/// The root of a block's trade batch, in block order.
	pub fn of<R: Encode>(records: &[R]) -> Self {
		let root =
			binary_merkle_tree::merkle_root::<BlakeTwo256, _>(records.iter().map(Encode::encode));
		TradeRoot { root, count: records.len() as u32 }
	}

	/// The digest item carrying this root.
	pub fn to_digest_item(&self) -> DigestItem {
		DigestItem::Consensus(TRADE_ROOT_ENGINE_ID, self.encode())
	}

	/// The trade root in a header's digest, if it has one (the first, if several).
	pub fn find(digest: &Digest) -> Option<Self> {
		digest.logs().iter().find_map(|item| match item {
			DigestItem::Consensus(id, data) if *id == TRADE_ROOT_ENGINE_ID => {
				Self::decode(&mut &data[..]).ok()
			}
			_ => None,
		})
	}
}

/// A proof that a record is in a block's trade batch.
#[derive(Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, PartialEq, TypeInfo)]
pub struct TradeProof<AccountId, Balance> {
	/// The record proven.
	pub record: TradeRecord<AccountId, Balance>,
	/// Its position in the batch.
	pub index: u32,
	/// The number of records in the batch.
	pub count: u32,
	/// The sibling hashes from the leaf up, the root excluded.
	pub path: Vec<H256>,
}

impl<AccountId: Encode, Balance: Encode> TradeProof<AccountId, Balance> {
	/// The proof of record `index` of `records`; `None` if there is no such record.
	pub fn build(records: &[TradeRecord<AccountId, Balance>], index: u32) -> Option<Self>
	where
		AccountId: Clone,
		Balance: Clone,
	{
		let record = records.get(index as usize)?.clone();
		let proof = binary_merkle_tree::merkle_proof::<BlakeTwo256, _, _>(
			records.iter().map(Encode::encode).collect::<Vec<_>>(),
			index,
		);
		Some(TradeProof { record, index, count: records.len() as u32, path: proof.proof })
	}

	/// Whether the proof shows its record under `root`.
	pub fn verify(&self, root: &TradeRoot) -> bool {
		self.count == root.count
			&& binary_merkle_tree::verify_proof::<BlakeTwo256, _, _>(
				&root.root,
				self.path.iter().copied(),
				self.count,
				self.index,
				&self.record.encode(),
			)
	}
}

/// The market's prices, as users see them.
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
pub struct MarketPrices<Balance> {
	/// The feed-in tariff per kWh: the lowest internal price.
	pub feed_in_tariff: Balance,
	/// The grid price per kWh: the highest internal price.
	pub grid_price: Balance,
	/// The reference price per kWh ([`reference_price`]).
	pub reference: Balance,
	/// Open supply, in Wh.
	pub open_supply_wh: u128,
	/// Open demand, in Wh.
	pub open_demand_wh: u128,
	/// The network charge per kWh delivered, paid to the grid account out of the seller's
	/// proceeds.
	pub network_charge: Balance,
}

/// A seller's delivery record: the stability the DBSCA score can use.
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
#[serde(rename_all = "camelCase")]
pub struct DeliveryRecord {
	/// Trades closed (settled, ruled or refunded).
	pub trades: u32,
	/// Trades refunded for want of a meter reading.
	pub undelivered: u32,
	/// Energy agreed in the closed trades, in Wh.
	pub contracted_wh: u64,
	/// Energy delivered in them, in Wh.
	pub delivered_wh: u64,
}

impl DeliveryRecord {
	/// The share of agreed energy delivered; 100% with no trades yet.
	pub fn stability(&self) -> sp_runtime::Permill {
		if self.contracted_wh == 0 {
			return sp_runtime::Permill::one();
		}
		sp_runtime::Permill::from_rational(
			self.delivered_wh.min(self.contracted_wh),
			self.contracted_wh,
		)
	}
}

sp_api::decl_runtime_apis! {
	/// The energy market of a sub-chain.
	pub trait EnergyTradeApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The price bounds, the reference price and the open energy on each side.
		fn prices() -> MarketPrices<Balance>;
		/// The open offers, oldest first.
		fn open_offers() -> Vec<(OfferId, Offer<AccountId, Balance, BlockNumber>)>;
		/// The open trades (matched, not yet closed), oldest first.
		fn open_trades() -> Vec<(TradeId, Trade<AccountId, Balance, BlockNumber>)>;
		/// This block's trade batch: the leaves of the trade root in its header.
		fn block_trades() -> Vec<TradeRecord<AccountId, Balance>>;
		/// The proof of record `index` of this block's trade batch.
		fn trade_proof(index: u32) -> Option<TradeProof<AccountId, Balance>>;
		/// A seller's delivery record.
		fn delivery_record(seller: AccountId) -> DeliveryRecord;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn payment_rounds_down_and_reports_overflow() {
		assert_eq!(payment(250, 1_000), Some(250));
		assert_eq!(payment(250, 1_999), Some(499));
		assert_eq!(payment(u128::MAX, 2), None);
		// The whole is worth at least its parts.
		assert!(payment(333, 10).unwrap() >= payment(333, 3).unwrap() + payment(333, 7).unwrap());
	}

	#[test]
	fn reference_price_moves_with_the_supply_demand_ratio() {
		let (f, g) = (80, 300);
		assert_eq!(reference_price(f, g, 0, 0), f);
		assert_eq!(reference_price(f, g, 500, 0), f);
		assert_eq!(reference_price(f, g, 0, 100), g);
		assert_eq!(reference_price(f, g, 100, 100), f);
		assert_eq!(reference_price(f, g, 200, 100), f);
		// S/D = 1/2: 80 * 300 / (220 / 2 + 80) = 24000 / 190.
		assert_eq!(reference_price(f, g, 50, 100), 24_000 / 190);
		let mut last = g;
		for s in 0..=100u128 {
			let p = reference_price(f, g, s, 100);
			assert!(p <= last && (f..=g).contains(&p));
			last = p;
		}
		assert_eq!(reference_price(0, g, 0, 100), g);
		assert_eq!(reference_price(0, g, 1, 100), 0);
		assert_eq!(reference_price(g, f, 1, 100), f);
		assert_eq!(reference_price(u128::MAX - 1, u128::MAX, 1, u128::MAX), u128::MAX - 1);
	}

	fn record(n: u64) -> TradeRecord<u64, u128> {
		TradeRecord {
			trade: n,
			outcome: TradeOutcome::Matched,
			buyer: 1,
			seller: 2,
			energy_wh: n * 10,
			price: 100,
			value: n.into(),
		}
	}

	#[test]
	fn every_record_is_proven_against_the_root_and_a_changed_one_is_not() {
		for count in 1..=9u64 {
			let records: Vec<_> = (0..count).map(record).collect();
			let root = TradeRoot::of(&records);
			assert_eq!(root.count, count as u32);
			for i in 0..count as u32 {
				let proof = TradeProof::build(&records, i).unwrap();
				assert!(proof.verify(&root), "{count} records, leaf {i}");
				let mut forged = proof.clone();
				forged.record.value += 1;
				assert!(!forged.verify(&root));
				let mut moved = proof.clone();
				moved.index = (i + 1) % count as u32;
				assert!(count == 1 || !moved.verify(&root));
			}
			assert!(TradeProof::build(&records, count as u32).is_none());
		}
		assert_eq!(TradeRoot::of::<TradeRecord<u64, u128>>(&[]).root, H256::zero());
	}

	#[test]
	fn the_root_is_found_in_a_digest() {
		let root = TradeRoot::of(&[record(1)]);
		let mut digest = Digest::default();
		assert_eq!(TradeRoot::find(&digest), None);
		digest.push(DigestItem::Other(vec![1, 2]));
		digest.push(root.to_digest_item());
		assert_eq!(TradeRoot::find(&digest), Some(root));
	}

	#[test]
	fn stability_is_the_share_delivered() {
		assert_eq!(DeliveryRecord::default().stability(), sp_runtime::Permill::one());
		let record =
			DeliveryRecord { trades: 2, undelivered: 1, contracted_wh: 400, delivered_wh: 100 };
		assert_eq!(record.stability(), sp_runtime::Permill::from_percent(25));
	}
}
