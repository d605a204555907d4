//! # Energy trade: the sub-chain's electricity market
//!
//! The members of a sub-chain buy and sell electricity among themselves (the paper's sections
//! 3.2 and 3.3 (2)). Energy is in watt-hours (Wh), prices per kilowatt-hour (kWh) in the
//! smallest token unit, and a trade is worth `price * energy / 1000`, rounded down
//! ([`payment`]).
//!
//! * **Offers** (`offers.rs`): active members post demands, whose most costly payment is held
//!   in escrow ([`HoldReason::Escrow`]), and suppliers post supplies; an owner may cancel its
//!   untaken offer.
//! * **Taking an offer** (`accept.rs`): `accept_offer` takes an open offer in full or, if it
//!   allows it, in part, at its price; the earliest acceptance wins.
//! * **Prices** (`prices.rs`): offers' prices lie between the feed-in tariff and the grid price
//!   set by `PriceOrigin`; the reference price ([`reference_price`]) follows the open supply
//!   and demand.
//! * **Settlement** (`settlement.rs`): a meter reading, or the buyer's confirmation, settles a
//!   trade from its escrow; a party may dispute it, and the parent's ruling settles it.
//! * **Metering** (`metering.rs`): members' meters sign interval readings, which anyone may
//!   submit; once both parties' readings cover a trade's delivery window, anyone may settle it
//!   from them, imbalance included, or it is disputed if they disagree.
//! * **The trade root** (`trade_batch.rs`, `extension.rs`): every trade matched or closed in a
//!   block goes into its bounded batch, whose Merkle root is put in the header as a
//!   [`TradeRoot`] digest item.
//! * **Expiry** (`expiry.rs`): offers and trades due at a block are closed at its start; a
//!   demand with `grid_fallback` buys its remainder from the external grid.
//!
//! Trading only moves balance between accounts and holds: total issuance never changes. The
//! invariants `try_state` checks are in `invariants.rs`; the pallet's `README.md` summarises
//! its calls, storage, events, errors and constants.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod accept;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod expiry;
mod extension;
mod invariants;
mod metering;
#[cfg(test)]
mod mock;
mod offers;
mod prices;
mod settlement;
#[cfg(test)]
mod tests;
mod trade_batch;
pub mod weights;

pub use accept::Accepted;
pub use extension::CheckTradeBatch;
use settlement::Closed;

pub use dbm_primitives::{
	membership::{MemberInfo, MemberRegistry},
	metering::{IntervalEnergy, IntervalIndex, MeterKey, MeterReading, MeterSignature},
	trade::{
		payment, reference_price, DeliveryRecord, EnergyKind, MarketPrices, Offer, OfferId,
		OfferTerms, Side, Trade, TradeId, TradeOutcome, TradeProof, TradeRecord, TradeRoot,
	},
	Balance,
};
pub use pallet::*;
pub use weights::WeightInfo;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::energy-trade";

/// What the benchmarks need from the runtime: members and their meters.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` an active member with `info`.
	fn make_member(who: &AccountId, info: MemberInfo);
	/// Gives member `who` the meter `meter`, which has read nothing yet.
	fn make_meter(who: &AccountId, meter: MeterKey);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::One, Permill};

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// An offer as stored.
	pub type OfferOf<T> = Offer<<T as frame_system::Config>::AccountId, Balance, BlockNumberFor<T>>;
	/// The terms of an offer.
	pub type OfferTermsOf<T> = OfferTerms<Balance, BlockNumberFor<T>>;
	/// A trade as stored.
	pub type TradeOf<T> = Trade<<T as frame_system::Config>::AccountId, Balance, BlockNumberFor<T>>;
	/// A record of the block's trade batch.
	pub type TradeRecordOf<T> = TradeRecord<<T as frame_system::Config>::AccountId, Balance>;
	/// A booking as stored.
	pub type BookingOf<T> = Booking<BlockNumberFor<T>>;
	/// A meter reading of a member of this chain.
	pub type MeterReadingOf<T> = MeterReading<<T as frame_system::Config>::AccountId>;

	/// Energy of a member's settled trades still to be taken from its meter's readings of a
	/// delivery window, as they are recorded.
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
	pub struct Booking<BlockNumber> {
		/// The first block of the delivery window.
		pub delivery_start: BlockNumber,
		/// The last block of the delivery window.
		pub delivery_end: BlockNumber,
		/// The energy scheduled over the window, in Wh: each interval's share of it is taken.
		pub energy_wh: u64,
		/// Taken from the export (the member sold it) or from the import (it bought it).
		pub export: bool,
	}

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The native currency: escrow is held on it.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason: From<HoldReason>>;
		/// The sub-chain's members: who may trade, and in which role.
		type Members: MemberRegistry<Self::AccountId>;
		/// The members' meters: whose readings a meter key signs.
		type Meters: dbm_primitives::metering::MeterRegistry<Self::AccountId>;
		/// Who sets the feed-in tariff and the grid price.
		type PriceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who rules on disputed trades (the parent chain, through its ruling messages).
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Where disputes wait for the parent chain (the membership pallet's outbox).
		type Outbox: dbm_primitives::membership::Outbox<Self::AccountId, Balance>;
		/// The account that buys from the external grid for demands left unmatched.
		#[pallet::constant]
		type GridAccount: Get<Self::AccountId>;
		/// The most open offers.
		#[pallet::constant]
		type MaxOpenOffers: Get<u32>;
		/// The most open offers of one account.
		#[pallet::constant]
		type MaxOffersPerAccount: Get<u32>;
		/// The most open (matched, not yet closed) trades.
		#[pallet::constant]
		type MaxOpenTrades: Get<u32>;
		/// The most trade records in one block's batch.
		#[pallet::constant]
		type MaxTradesPerBlock: Get<u32>;
		/// The most expiry entries (and blocks of the queue) handled at the start of a block.
		/// Less than `MaxTradesPerBlock`, so the records they add always fit.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;
		/// How far ahead an offer's delivery window may end, in blocks.
		#[pallet::constant]
		type MaxHorizon: Get<BlockNumberFor<Self>>;
		/// Blocks after a delivery window's end within which the trade can be settled.
		#[pallet::constant]
		type SettlementPeriod: Get<BlockNumberFor<Self>>;
		/// Blocks per metering interval: what one meter reading covers.
		#[pallet::constant]
		type MeteringInterval: Get<BlockNumberFor<Self>>;
		/// The most metering intervals an offer's delivery window may cover (what settling a
		/// trade from readings walks).
		#[pallet::constant]
		type MaxDeliveryIntervals: Get<u32>;
		/// How many intervals before the current one a reading may still be for.
		#[pallet::constant]
		type MaxReadingAge: Get<u32>;
		/// Readings of a trade's two sides may differ by this share of its energy and still
		/// settle it (the difference is imbalance); beyond it the trade is disputed.
		#[pallet::constant]
		type MeterTolerance: Get<Permill>;
		/// The most bookings one member may have: energy of trades settled by a confirmation
		/// or a ruling, still to be taken from readings not yet recorded (one per delivery
		/// window and direction).
		#[pallet::constant]
		type MaxBookings: Get<u32>;
		/// Weights of the calls and hooks, generated by `dbm-node benchmark pallet`.
		type WeightInfo: WeightInfo;
		/// Members for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A buyer's payment for an open demand or a matched trade.
		Escrow,
	}

	/// What the expiry queue holds.
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
	pub enum Expiry {
		/// An offer reaches its `expires` block.
		Offer(OfferId),
		/// A trade reaches its `settle_by` block.
		Trade(TradeId),
	}

	/// The feed-in tariff per kWh: the lowest internal price.
	#[pallet::storage]
	pub type FeedInTariff<T> = StorageValue<_, Balance, ValueQuery>;

	/// The grid price per kWh: the highest internal price.
	#[pallet::storage]
	pub type GridPrice<T> = StorageValue<_, Balance, ValueQuery>;

	/// The network charge per kWh, at most the feed-in tariff: the grid account's part of the
	/// seller's proceeds for every kWh a trade delivers.
	#[pallet::storage]
	pub type NetworkCharge<T> = StorageValue<_, Balance, ValueQuery>;

	/// The open offers.
	#[pallet::storage]
	pub type Offers<T: Config> = CountedStorageMap<_, Twox64Concat, OfferId, OfferOf<T>>;

	/// The open offers of each account, oldest first.
	#[pallet::storage]
	pub type OffersOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<OfferId, T::MaxOffersPerAccount>,
		ValueQuery,
	>;

	/// The id of the next offer.
	#[pallet::storage]
	pub type NextOfferId<T> = StorageValue<_, OfferId, ValueQuery>;

	/// The open trades: matched, waiting for settlement or a ruling.
	#[pallet::storage]
	pub type Trades<T: Config> = CountedStorageMap<_, Twox64Concat, TradeId, TradeOf<T>>;

	/// The id of the next trade (grid purchases take ids too).
	#[pallet::storage]
	pub type NextTradeId<T> = StorageValue<_, TradeId, ValueQuery>;

	/// The expiry queue: what is due at each block.
	#[pallet::storage]
	pub type Expiries<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, Expiry, ()>;

	/// The first block of the expiry queue not yet fully handled.
	#[pallet::storage]
	pub type ExpiryCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The open supply: energy of the open supply offers, in Wh.
	#[pallet::storage]
	pub type OpenSupply<T> = StorageValue<_, u128, ValueQuery>;

	/// The open demand: energy of the open demands, in Wh.
	#[pallet::storage]
	pub type OpenDemand<T> = StorageValue<_, u128, ValueQuery>;

	/// This block's trade batch, in order: the leaves of the trade root in its header.
	#[pallet::storage]
	pub type BlockTrades<T: Config> =
		StorageValue<_, BoundedVec<TradeRecordOf<T>, T::MaxTradesPerBlock>, ValueQuery>;

	/// Each seller's delivery record.
	#[pallet::storage]
	pub type DeliveryRecords<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DeliveryRecord, ValueQuery>;

	/// The members' readings, by interval: what each meter measured, and what settled trades
	/// have taken of it. At most one record per member and interval, kept while an open trade
	/// may still cover the interval.
	#[pallet::storage]
	pub type Metered<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		IntervalIndex,
		Blake2_128Concat,
		T::AccountId,
		IntervalEnergy,
	>;

	/// Each member's bookings: trades settled (by the buyer's confirmation or a ruling)
	/// before its meter read all of their window, whose scheduled energy is taken from each
	/// later reading of the window as it is recorded. Merged per window and direction.
	#[pallet::storage]
	pub type Bookings<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<BookingOf<T>, T::MaxBookings>,
		ValueQuery,
	>;

	/// The oldest interval whose readings may still be stored (unset before the first block
	/// that prunes).
	#[pallet::storage]
	pub type PruneCursor<T> = StorageValue<_, IntervalIndex, OptionQuery>;

	/// The price bounds at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The feed-in tariff per kWh.
		pub feed_in_tariff: Balance,
		/// The grid price per kWh.
		pub grid_price: Balance,
		/// The network charge per kWh (none if left out).
		#[serde(default)]
		pub network_charge: Balance,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				Pallet::<T>::valid_bounds(self.feed_in_tariff, self.grid_price),
				"energy-trade genesis: the feed-in tariff ({}) is above the grid price ({})",
				self.feed_in_tariff,
				self.grid_price,
			);
			assert!(
				self.network_charge <= self.feed_in_tariff,
				"energy-trade genesis: the network charge ({}) is above the feed-in tariff ({})",
				self.network_charge,
				self.feed_in_tariff,
			);
			FeedInTariff::<T>::put(self.feed_in_tariff);
			GridPrice::<T>::put(self.grid_price);
			NetworkCharge::<T>::put(self.network_charge);
			// Nothing is due at genesis: the queue starts at block 1.
			ExpiryCursor::<T>::put(BlockNumberFor::<T>::one());
		}
	}

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The price bounds changed.
		PricesSet {
			/// The feed-in tariff per kWh.
			feed_in_tariff: Balance,
			/// The grid price per kWh.
			grid_price: Balance,
		},
		/// The network charge changed.
		NetworkChargeSet {
			/// Per kWh.
			per_kwh: Balance,
		},
		/// An offer was posted.
		OfferPosted {
			/// The offer.
			offer: OfferId,
			/// Who posted it.
			owner: T::AccountId,
			/// Bid or ask.
			side: Side,
			/// The kind of energy.
			kind: EnergyKind,
			/// Energy, in Wh.
			energy_wh: u64,
			/// Price per kWh.
			price: Balance,
			/// Held in escrow (demands).
			escrow: Balance,
		},
		/// An offer was taken: a trade is matched.
		OfferAccepted {
			/// The offer.
			offer: OfferId,
			/// The trade.
			trade: TradeId,
			/// Who pays.
			buyer: T::AccountId,
			/// Who delivers.
			seller: T::AccountId,
			/// Energy, in Wh.
			energy_wh: u64,
			/// Price per kWh.
			price: Balance,
			/// The payment now in escrow.
			value: Balance,
		},
		/// The owner cancelled an offer.
		OfferCancelled {
			/// The offer.
			offer: OfferId,
			/// Escrow returned to the owner.
			refunded: Balance,
		},
		/// An offer expired with energy untaken.
		OfferExpired {
			/// The offer.
			offer: OfferId,
			/// Energy untaken, in Wh.
			untaken_wh: u64,
			/// Escrow returned to the owner.
			refunded: Balance,
		},
		/// A demand's remainder was bought from the external grid at its expiry.
		GridPurchase {
			/// The demand.
			offer: OfferId,
			/// The trade id of the purchase.
			trade: TradeId,
			/// Who bought.
			buyer: T::AccountId,
			/// Energy, in Wh.
			energy_wh: u64,
			/// The grid price per kWh recorded at posting.
			price: Balance,
			/// Paid to the grid account.
			value: Balance,
		},
		/// A grid purchase could not be paid (the grid account cannot receive it): the escrow
		/// was released instead (see `OfferExpired`).
		GridPurchaseFailed {
			/// The demand.
			offer: OfferId,
		},
		/// A meter reading settled a trade.
		TradeSettled {
			/// The trade.
			trade: TradeId,
			/// Energy delivered, in Wh.
			delivered_wh: u64,
			/// Paid to the seller.
			paid: Balance,
			/// The network charge for the energy delivered, paid to the grid account out of
			/// what the buyer paid for it.
			network_charge: Balance,
			/// Returned to the buyer.
			refunded: Balance,
		},
		/// A party disputed a trade: it is frozen until a ruling.
		TradeDisputed {
			/// The trade.
			trade: TradeId,
			/// Who disputed it.
			by: T::AccountId,
			/// The nonce of the message that takes the dispute to the parent.
			nonce: u64,
		},
		/// The dispute origin ruled on a trade.
		DisputeResolved {
			/// The trade.
			trade: TradeId,
			/// Energy delivered, by the ruling, in Wh.
			delivered_wh: u64,
			/// Paid to the seller.
			paid: Balance,
			/// The network charge for the energy delivered, paid to the grid account.
			network_charge: Balance,
			/// Returned to the buyer.
			refunded: Balance,
		},
		/// A trade was not settled in time: the buyer was refunded and the seller's record
		/// counts it as undelivered.
		TradeUndelivered {
			/// The trade.
			trade: TradeId,
			/// The seller.
			seller: T::AccountId,
			/// Returned to the buyer.
			refunded: Balance,
		},
		/// A meter's signed reading was recorded.
		ReadingRecorded {
			/// The member whose meter read.
			who: T::AccountId,
			/// The interval.
			interval: IntervalIndex,
			/// Exported, in Wh.
			exported_wh: u64,
			/// Imported, in Wh.
			imported_wh: u64,
		},
		/// The parties' readings settled a trade.
		TradeMetered {
			/// The trade.
			trade: TradeId,
			/// The seller's export taken for it, in Wh.
			seller_wh: u64,
			/// The buyer's import taken for it, in Wh.
			buyer_wh: u64,
			/// What both show, in Wh: what the seller is paid the trade price for.
			delivered_wh: u64,
			/// Paid to the seller from the escrow.
			paid: Balance,
			/// The network charge for the energy delivered, paid to the grid account out of
			/// the seller's proceeds.
			network_charge: Balance,
			/// Paid to the grid account from the escrow, for energy the grid supplied in the
			/// seller's place.
			to_grid: Balance,
			/// What the seller owed the grid account for falling short.
			imbalance_owed: Balance,
			/// What of it the seller's free balance paid.
			imbalance_paid: Balance,
			/// Returned to the buyer.
			refunded: Balance,
		},
		/// The parties' readings differ beyond the tolerance: the trade is disputed at the
		/// parent, on behalf of the side whose meter shows more.
		ReadingsDisagree {
			/// The trade.
			trade: TradeId,
			/// The seller's export for it, in Wh.
			seller_wh: u64,
			/// The buyer's import for it, in Wh.
			buyer_wh: u64,
			/// The nonce of the message that takes the dispute to the parent.
			nonce: u64,
		},
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is not an active member of the sub-chain (unknown or suspended).
		NotMember,
		/// Only a member whose role supplies power (generator or storage) may sell.
		NotSupplier,
		/// A renewable-only demand can be taken only by a member attested renewable.
		NotRenewable,
		/// The energy is zero.
		ZeroEnergy,
		/// The price is outside the bounds: below the feed-in tariff or above the grid price.
		PriceOutOfBounds,
		/// The feed-in tariff is above the grid price.
		InvalidPriceBounds,
		/// The network charge would be above the feed-in tariff.
		NetworkChargeAboveFeedInTariff,
		/// The delivery window ends before it starts, or the offer expires after it ends.
		InvalidWindow,
		/// The expiry block is not in the future.
		ExpiryInPast,
		/// The delivery window ends further ahead than `MaxHorizon` blocks.
		TooFarAhead,
		/// Price times energy does not fit a balance.
		PaymentOverflow,
		/// The buyer cannot put the payment in escrow and keep its account alive.
		InsufficientBalance,
		/// The account has `MaxOffersPerAccount` open offers.
		TooManyOffers,
		/// The order book has `MaxOpenOffers` open offers.
		OrderBookFull,
		/// No offer was ever posted with this id.
		UnknownOffer,
		/// The offer was taken in full, cancelled or expired.
		OfferClosed,
		/// The offer's expiry block has come.
		OfferExpired,
		/// An owner cannot take its own offer.
		OwnOffer,
		/// The offer's owner is no longer an active member.
		OwnerNotMember,
		/// The energy asked for is more than the offer has left.
		ExceedsRemaining,
		/// The offer must be taken whole: the energy asked for must be all that is left.
		PartialNotAllowed,
		/// There are `MaxOpenTrades` open trades.
		TooManyTrades,
		/// This block's trade batch is full (`MaxTradesPerBlock`); try in the next block.
		TradeBatchFull,
		/// Only the offer's owner may cancel it.
		NotOwner,
		/// No open trade has this id (never matched, or already closed).
		UnknownTrade,
		/// Only the buyer may confirm a trade's delivery.
		NotBuyer,
		/// The buyer may only confirm full delivery; less settles from the meters' readings or
		/// by a ruling.
		PartialConfirmation,
		/// More energy delivered than agreed.
		ExceedsAgreed,
		/// The trade's delivery window has not started.
		DeliveryNotStarted,
		/// The trade's settlement period is over; it is being refunded.
		SettlementClosed,
		/// The trade is disputed: it waits for the dispute origin's ruling.
		TradeDisputed,
		/// Only the buyer or the seller may dispute a trade.
		NotAParty,
		/// The trade is not disputed.
		NotDisputed,
		/// The delivery window covers more than `MaxDeliveryIntervals` metering intervals.
		WindowTooLong,
		/// The reading names another sub-chain.
		WrongSubchain,
		/// No member's meter has this key.
		UnknownMeter,
		/// The reading names a member other than the one the meter measures for.
		WrongMember,
		/// The signature is not the meter's over the reading.
		BadMeterSignature,
		/// The reading's interval is not over yet.
		FutureInterval,
		/// The reading's interval is older than `MaxReadingAge` intervals, or than any open
		/// trade may cover.
		StaleReading,
		/// The reading's interval is not after the member's last read interval.
		ReadingOutOfOrder,
		/// The reading's counter is not above the meter's last.
		CounterNotIncreasing,
		/// The member's interval has a reading already.
		AlreadyRead,
		/// A party's meter has not read up to the trade's last interval yet.
		ReadingsMissing,
		/// The member has `MaxBookings` bookings of other delivery windows its meter has not
		/// read yet: the trade settles from the readings (`settle_trade`) instead.
		BookingsFull,
		/// The seller's readings already show less than the trade's share of the intervals
		/// read (beyond the tolerance): the buyer's word cannot pay for it; the trade settles
		/// from the readings (`settle_trade`) or by a ruling.
		SellerMeterShort,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			BlockTrades::<T>::kill();
			let (handled, scanned) = Self::expire_due(now);
			let pruned = Self::prune_metered(now, T::MaxExpiriesPerBlock::get());
			T::WeightInfo::on_initialize_expiries(handled)
				.saturating_add(T::WeightInfo::on_initialize_scan(scanned))
				.saturating_add(T::WeightInfo::on_initialize_prune(pruned))
				.saturating_add(T::WeightInfo::on_finalize(T::MaxTradesPerBlock::get()))
		}

		fn on_finalize(_now: BlockNumberFor<T>) {
			let root = TradeRoot::of(&BlockTrades::<T>::get());
			frame_system::Pallet::<T>::deposit_log(root.to_digest_item());
		}

		fn integrity_test() {
			assert!(T::MaxOffersPerAccount::get() > 0, "MaxOffersPerAccount must be positive");
			assert!(
				T::MaxOffersPerAccount::get() <= T::MaxOpenOffers::get(),
				"MaxOffersPerAccount must not exceed MaxOpenOffers"
			);
			assert!(T::MaxOpenTrades::get() > 0, "MaxOpenTrades must be positive");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "MaxExpiriesPerBlock must be positive");
			assert!(
				T::MaxExpiriesPerBlock::get() < T::MaxTradesPerBlock::get(),
				"MaxExpiriesPerBlock must be less than MaxTradesPerBlock, so the records expiry \
				 adds fit the batch and leave room for trades"
			);
			assert!(!T::MaxHorizon::get().is_zero(), "MaxHorizon must be positive");
			assert!(!T::MeteringInterval::get().is_zero(), "MeteringInterval must be positive");
			assert!(T::MaxDeliveryIntervals::get() > 0, "MaxDeliveryIntervals must be positive");
			assert!(T::MaxBookings::get() > 0, "MaxBookings must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Post a demand: a bid for `terms.energy_wh` Wh of `kind` at up to `terms.price` per
		/// kWh. The most it can cost (at the grid price with `grid_fallback`) is held in escrow.
		///
		/// Origin: an active member. Errors: `NotMember`, `ZeroEnergy`, `PriceOutOfBounds`,
		/// `InvalidWindow`, `ExpiryInPast`, `TooFarAhead`, `PaymentOverflow`,
		/// `InsufficientBalance`, `TooManyOffers`, `OrderBookFull`. Event: `OfferPosted`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::post_demand())]
		pub fn post_demand(
			origin: OriginFor<T>,
			terms: OfferTermsOf<T>,
			kind: EnergyKind,
			grid_fallback: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_post_demand(who, terms, kind, grid_fallback).map(|_| ())
		}

		/// Post a supply: an ask of `terms.price` per kWh for `terms.energy_wh` Wh. Its kind is
		/// renewable when the member is attested renewable.
		///
		/// Origin: an active generator or storage member. Errors: `NotMember`, `NotSupplier`,
		/// `ZeroEnergy`, `PriceOutOfBounds`, `InvalidWindow`, `ExpiryInPast`, `TooFarAhead`,
		/// `PaymentOverflow`, `TooManyOffers`, `OrderBookFull`. Event: `OfferPosted`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::post_supply())]
		pub fn post_supply(origin: OriginFor<T>, terms: OfferTermsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_post_supply(who, terms).map(|_| ())
		}

		/// Take `energy_wh` Wh of an open offer at its price: the earliest acceptance wins.
		///
		/// Origin: an active member other than the owner; a supplier for a demand (attested
		/// renewable for a renewable-only one). Errors: `NotMember`, `ZeroEnergy`,
		/// `UnknownOffer`, `OfferClosed`, `OfferExpired`, `OwnOffer`, `OwnerNotMember`,
		/// `NotSupplier`, `NotRenewable`, `ExceedsRemaining`, `PartialNotAllowed`,
		/// `PriceOutOfBounds`, `PaymentOverflow`, `InsufficientBalance`, `TooManyTrades`,
		/// `TradeBatchFull`. Event: `OfferAccepted`.
		///
		/// Weight: the worst case (an offer taken whole) up front; an offer taken in part, or
		/// the other side's cheaper case, is refunded to its own measured weight.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept_demand().max(T::WeightInfo::accept_supply()))]
		pub fn accept_offer(
			origin: OriginFor<T>,
			offer: OfferId,
			energy_wh: u64,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let accepted = Self::do_accept(who, offer, energy_wh)?;
			Ok(Some(accepted.weight::<T::WeightInfo>()).into())
		}

		/// Cancel an open offer; a demand's escrow is returned.
		///
		/// Origin: the offer's owner. Errors: `UnknownOffer`, `OfferClosed`, `NotOwner`.
		/// Event: `OfferCancelled`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_offer())]
		pub fn cancel_offer(origin: OriginFor<T>, offer: OfferId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel(who, offer)
		}

		/// The buyer confirms that the whole trade was delivered: the seller is paid for it
		/// (less the network charge) from the escrow. A delivery of less than agreed settles
		/// from the meters' readings (`settle_trade`) or by the parent's ruling on a dispute;
		/// no key can say on its own that less was delivered.
		///
		/// The trade's energy is taken from its parties' meter readings as a settlement from
		/// them would take it: its share of each interval its parties' meters have read, at
		/// once, and of each later interval as its reading is recorded (a booking), so no other
		/// trade is paid for the same energy. A seller whose readings already show less than
		/// that cannot be paid on the buyer's word.
		///
		/// Origin: the buyer, with `delivered_wh` the energy agreed. Errors: `UnknownTrade`,
		/// `NotBuyer`, `PartialConfirmation`, `ExceedsAgreed`, `DeliveryNotStarted`,
		/// `SettlementClosed`, `TradeDisputed`, `TradeBatchFull`, `SellerMeterShort`,
		/// `BookingsFull`. Event: `TradeSettled`.
		///
		/// Weight: the longest window up front, refunded to the intervals read.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::confirm_delivery(T::MaxDeliveryIntervals::get()))]
		pub fn confirm_delivery(
			origin: OriginFor<T>,
			trade: TradeId,
			delivered_wh: u64,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let read = Self::do_confirm_delivery(who, trade, delivered_wh)?;
			Ok(Some(T::WeightInfo::confirm_delivery(read)).into())
		}

		/// Dispute an open trade: it is frozen, and the dispute is sent to the parent chain,
		/// until a ruling.
		///
		/// Origin: the buyer or the seller. Errors: `UnknownTrade`, `NotAParty`,
		/// `TradeDisputed`, `SettlementClosed`, and the outbox's `OutboxFull`. Event:
		/// `TradeDisputed`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(origin: OriginFor<T>, trade: TradeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispute(who, trade)
		}

		/// Rule on a disputed trade: `delivered_wh` were delivered; the seller is paid for them
		/// and the rest of the escrow returns to the buyer.
		///
		/// The energy ruled delivered is taken from the parties' readings as a confirmation
		/// takes it (as far as they show it; the ruling stands either way).
		///
		/// Origin: `DisputeOrigin`. Errors: `UnknownTrade`, `NotDisputed`, `ExceedsAgreed`,
		/// `TradeBatchFull`. Event: `DisputeResolved`.
		///
		/// Weight: the longest window up front, refunded to the intervals read.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::resolve_dispute(T::MaxDeliveryIntervals::get()))]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			trade: TradeId,
			delivered_wh: u64,
		) -> DispatchResultWithPostInfo {
			T::DisputeOrigin::ensure_origin(origin)?;
			let read = Self::do_resolve(trade, delivered_wh)?;
			Ok(Some(T::WeightInfo::resolve_dispute(read)).into())
		}

		/// Set the price bounds. Open offers keep their prices; one outside the new bounds
		/// cannot be taken until it is cancelled or expires.
		///
		/// Origin: `PriceOrigin`. Errors: `InvalidPriceBounds`,
		/// `NetworkChargeAboveFeedInTariff` (a tariff below the network charge). Event:
		/// `PricesSet`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_prices())]
		pub fn set_prices(
			origin: OriginFor<T>,
			feed_in_tariff: Balance,
			grid_price: Balance,
		) -> DispatchResult {
			T::PriceOrigin::ensure_origin(origin)?;
			Self::do_set_prices(feed_in_tariff, grid_price)?;
			Self::deposit_event(Event::PricesSet { feed_in_tariff, grid_price });
			Ok(())
		}

		/// Record a meter's signed reading of one interval for its member. Free when recorded.
		///
		/// Origin: any signed account (the member's node, a gateway, anyone). Errors:
		/// `WrongSubchain`, `UnknownMeter`, `WrongMember`, `BadMeterSignature`, `FutureInterval`,
		/// `StaleReading`, `ReadingOutOfOrder`, `CounterNotIncreasing`, `AlreadyRead`. Event:
		/// `ReadingRecorded`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::submit_reading())]
		pub fn submit_reading(
			origin: OriginFor<T>,
			reading: MeterReadingOf<T>,
			signature: MeterSignature,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_submit_reading(reading, &signature)?;
			Ok(Pays::No.into())
		}

		/// Settle a trade from its parties' readings, once both cover its delivery window; or,
		/// if they disagree beyond `MeterTolerance`, dispute it at the parent. Free when it
		/// does either.
		///
		/// Origin: any signed account. Errors: `UnknownTrade`, `TradeDisputed`,
		/// `SettlementClosed`, `ReadingsMissing`, `TradeBatchFull`, and the outbox's
		/// `OutboxFull`. Events: `TradeMetered` or `ReadingsDisagree`.
		///
		/// Weight: a window of `MaxDeliveryIntervals` up front, refunded to the trade's own. A
		/// trade disputed instead weighs what reading its window does (part of
		/// `settle_trade`'s) and what a dispute does (`dispute`): both are charged.
		#[pallet::call_index(9)]
		#[pallet::weight(
			T::WeightInfo::settle_trade(T::MaxDeliveryIntervals::get())
				.saturating_add(T::WeightInfo::dispute())
		)]
		pub fn settle_trade(origin: OriginFor<T>, trade: TradeId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (intervals, disputed) = Self::do_settle_metered(trade)?;
			let mut weight = T::WeightInfo::settle_trade(intervals);
			if disputed {
				weight.saturating_accrue(T::WeightInfo::dispute());
			}
			Ok(frame_support::dispatch::PostDispatchInfo {
				actual_weight: Some(weight),
				pays_fee: Pays::No,
			})
		}

		/// Set the network charge per kWh: from now on every settlement pays the grid account
		/// this much of the seller's proceeds per kWh delivered. At most the feed-in tariff, so
		/// a seller keeps at least the trade price less the tariff.
		///
		/// Origin: `PriceOrigin`. Errors: `NetworkChargeAboveFeedInTariff`. Event:
		/// `NetworkChargeSet`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_network_charge())]
		pub fn set_network_charge(origin: OriginFor<T>, per_kwh: Balance) -> DispatchResult {
			T::PriceOrigin::ensure_origin(origin)?;
			Self::do_set_network_charge(per_kwh)?;
			Self::deposit_event(Event::NetworkChargeSet { per_kwh });
			Ok(())
		}
	}
}
