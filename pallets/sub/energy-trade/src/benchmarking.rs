//! Benchmarks of every call and hook, each in its worst case.

use super::*;
use crate::pallet::*;
use alloc::vec::Vec;
use dbm_primitives::{dbsca::NodeAttributes, membership::Role, metering::MeterRegistry};
use frame_benchmarking::v2::*;
use frame_support::{
	dispatch::{DispatchInfo, GetDispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{fungible::Mutate, EnsureOrigin, Hooks, IsSubType},
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{DispatchTransaction, Dispatchable, One, Saturating};

type Helper<T> = <T as Config>::BenchmarkHelper;

const SEED: u32 = 0;
/// Prices per kWh of the benchmarks.
const FEED_IN: Balance = 1_000_000;
const PRICE: Balance = 2_000_000;
const GRID: Balance = 3_000_000;
/// Energy of each offer, Wh.
const ENERGY: u64 = 10_000;

/// Price bounds around `PRICE`, the chain at block 1, an empty batch.
fn setup<T: Config>() {
	FeedInTariff::<T>::put(FEED_IN);
	GridPrice::<T>::put(GRID);
	// A charge, so that every settlement measured pays it.
	NetworkCharge::<T>::put(FEED_IN / 4);
	frame_system::Pallet::<T>::set_block_number(One::one());
	ExpiryCursor::<T>::put(BlockNumberFor::<T>::one());
	BlockTrades::<T>::kill();
	T::Currency::set_balance(&T::GridAccount::get(), 1u128 << 60);
}

/// A funded, active member attested renewable.
fn member<T: Config>(name: &'static str, i: u32, role: Role) -> T::AccountId {
	let who: T::AccountId = account(name, i, SEED);
	Helper::<T>::make_member(
		&who,
		MemberInfo {
			role,
			attested: NodeAttributes { renewable: true, ..Default::default() },
			suspended: false,
		},
	);
	T::Currency::set_balance(&who, 1u128 << 100);
	who
}

/// Terms taken in part or whole, expiring at `expires`, deliverable until then.
fn terms<T: Config>(expires: BlockNumberFor<T>) -> OfferTermsOf<T> {
	OfferTerms {
		energy_wh: ENERGY,
		price: PRICE,
		allow_partial: true,
		delivery_start: One::one(),
		delivery_end: expires,
		expires,
	}
}

/// Far enough ahead for any benchmark, within the horizon and the longest delivery window
/// from block 1.
fn later<T: Config>() -> BlockNumberFor<T> {
	let window = T::MeteringInterval::get()
		.saturating_mul(T::MaxDeliveryIntervals::get().into())
		.saturating_sub(One::one());
	T::MaxHorizon::get().min(window)
}

/// The key type the benchmarks' meters keep their keys under.
const METER_KEY: sp_runtime::KeyTypeId = sp_runtime::KeyTypeId(*b"metr");

/// A new meter key for member `who`, held in the keystore.
fn meter<T: Config>(who: &T::AccountId) -> MeterKey {
	let key = sp_io::crypto::ed25519_generate(METER_KEY, None);
	Helper::<T>::make_meter(who, key);
	key
}

/// `reading` signed by its meter, whose key is in the keystore.
fn sign<T: Config>(reading: &MeterReadingOf<T>) -> MeterSignature {
	sp_io::crypto::ed25519_sign(METER_KEY, &reading.meter, &reading.signing_payload())
		.expect("the benchmark's meter key is in the keystore")
}

/// The block `n` metering intervals in.
fn interval_start<T: Config>(n: u32) -> BlockNumberFor<T> {
	T::MeteringInterval::get().saturating_mul(n.into())
}

/// `n` demands of `who`, with the grid fallback.
fn demands<T: Config>(who: &T::AccountId, n: u32) -> Vec<OfferId> {
	(0..n)
		.map(|_| {
			Pallet::<T>::do_post_demand(
				who.clone(),
				terms::<T>(later::<T>()),
				EnergyKind::Renewable,
				true,
			)
			.expect("a funded member posts a demand")
		})
		.collect()
}

/// `n` supplies of `who`.
fn supplies<T: Config>(who: &T::AccountId, n: u32) -> Vec<OfferId> {
	(0..n)
		.map(|_| {
			Pallet::<T>::do_post_supply(who.clone(), terms::<T>(later::<T>()))
				.expect("a supplier posts a supply")
		})
		.collect()
}

/// The first of a full owner list of `side` offers, and a member who may take it.
fn offer_to_take<T: Config>(side: Side) -> (OfferId, T::AccountId) {
	let full = T::MaxOffersPerAccount::get();
	let (offer, taker_role) = match side {
		Side::Demand => {
			(demands::<T>(&member::<T>("owner", 0, Role::Consumer), full)[0], Role::Generator)
		}
		Side::Supply => {
			(supplies::<T>(&member::<T>("owner", 0, Role::Generator), full)[0], Role::Consumer)
		}
	};
	(offer, member::<T>("taker", 0, taker_role))
}

/// A trade of `ENERGY` between a buyer and a seller, its delivery started.
fn trade<T: Config>() -> (TradeId, T::AccountId, T::AccountId) {
	let buyer = member::<T>("buyer", 0, Role::Consumer);
	let seller = member::<T>("seller", 0, Role::Generator);
	let offer = demands::<T>(&buyer, 1)[0];
	let accepted =
		Pallet::<T>::do_accept(seller.clone(), offer, ENERGY).expect("the seller takes it");
	(accepted.trade, buyer, seller)
}

/// A trade of `ENERGY` between two metered members whose window covers `i + 1` intervals
/// (1 to `i + 1`), the chain just past it: both meters read the first `i` in full and not the
/// last, so a settlement on the buyer's word or by a ruling takes from `i` readings a side and
/// books the last interval; each side has `MaxBookings - 1` bookings of other windows.
fn metered_trade<T: Config>(i: u32) -> (TradeId, T::AccountId, T::AccountId) {
	let buyer = member::<T>("buyer", 0, Role::Consumer);
	let seller = member::<T>("seller", 0, Role::Generator);
	meter::<T>(&buyer);
	meter::<T>(&seller);
	let start = interval_start::<T>(1);
	let end = interval_start::<T>(i.saturating_add(2)).saturating_sub(One::one());
	let terms = OfferTerms { delivery_start: start, delivery_end: end, ..terms::<T>(end) };
	let offer = Pallet::<T>::do_post_demand(buyer.clone(), terms, EnergyKind::Any, false)
		.expect("a funded member posts a demand");
	let trade =
		Pallet::<T>::do_accept(seller.clone(), offer, ENERGY).expect("the seller takes it").trade;
	let per = ENERGY.div_ceil(u64::from(i) + 1);
	for k in 1..=i {
		let record = |exported_wh, imported_wh| IntervalEnergy {
			exported_wh,
			imported_wh,
			..Default::default()
		};
		Metered::<T>::insert(k, &seller, record(per, 0));
		Metered::<T>::insert(k, &buyer, record(0, per));
	}
	for (who, export) in [(&seller, true), (&buyer, false)] {
		T::Meters::note_reading(who, i, 1);
		let others = (1..T::MaxBookings::get()).map(|j| Booking {
			delivery_start: start.saturating_add(j.into()),
			delivery_end: end,
			energy_wh: ENERGY,
			export,
		});
		Bookings::<T>::insert(who, BoundedVec::truncate_from(others.collect::<Vec<_>>()));
	}
	frame_system::Pallet::<T>::set_block_number(end.saturating_add(One::one()));
	(trade, buyer, seller)
}

#[benchmarks(where
	T: Send + Sync,
	T::RuntimeCall: IsSubType<Call<T>>
		+ From<Call<T>>
		+ Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: From<RawOrigin<T::AccountId>>,
)]
mod benches {
	use super::*;

	/// The owner has all but one of its offers open.
	#[benchmark]
	fn post_demand() {
		setup::<T>();
		let who = member::<T>("owner", 0, Role::Consumer);
		demands::<T>(&who, T::MaxOffersPerAccount::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), terms::<T>(later::<T>()), EnergyKind::Renewable, true);
		assert_eq!(OffersOf::<T>::decode_len(&who), Some(T::MaxOffersPerAccount::get() as usize));
	}

	#[benchmark]
	fn post_supply() {
		setup::<T>();
		let who = member::<T>("owner", 0, Role::Generator);
		supplies::<T>(&who, T::MaxOffersPerAccount::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), terms::<T>(later::<T>()));
		assert_eq!(OffersOf::<T>::decode_len(&who), Some(T::MaxOffersPerAccount::get() as usize));
	}

	/// A demand with the grid fallback taken whole: the offer leaves a full owner list and the
	/// margin is released.
	#[benchmark]
	fn accept_demand() {
		setup::<T>();
		let (offer, taker) = offer_to_take::<T>(Side::Demand);
		#[extrinsic_call]
		accept_offer(RawOrigin::Signed(taker), offer, ENERGY);
		assert!(!Offers::<T>::contains_key(offer));
		assert_eq!(Trades::<T>::count(), 1);
	}

	/// A supply taken whole: the buyer's payment is held, the offer leaves a full owner list.
	#[benchmark]
	fn accept_supply() {
		setup::<T>();
		let (offer, taker) = offer_to_take::<T>(Side::Supply);
		#[extrinsic_call]
		accept_offer(RawOrigin::Signed(taker), offer, ENERGY);
		assert!(!Offers::<T>::contains_key(offer));
		assert_eq!(Trades::<T>::count(), 1);
	}

	/// Part of a demand: the offer stays open with the rest of its escrow.
	#[benchmark]
	fn accept_demand_partial() {
		setup::<T>();
		let (offer, taker) = offer_to_take::<T>(Side::Demand);
		#[extrinsic_call]
		accept_offer(RawOrigin::Signed(taker), offer, ENERGY / 2);
		assert_eq!(Offers::<T>::get(offer).map(|o| o.remaining_wh), Some(ENERGY - ENERGY / 2));
		assert_eq!(Trades::<T>::count(), 1);
	}

	/// Part of a supply: the buyer's payment is held, the offer stays open.
	#[benchmark]
	fn accept_supply_partial() {
		setup::<T>();
		let (offer, taker) = offer_to_take::<T>(Side::Supply);
		#[extrinsic_call]
		accept_offer(RawOrigin::Signed(taker), offer, ENERGY / 2);
		assert_eq!(Offers::<T>::get(offer).map(|o| o.remaining_wh), Some(ENERGY - ENERGY / 2));
		assert_eq!(Trades::<T>::count(), 1);
	}

	/// The batch check of a settlement, with room for one more record in the batch.
	#[benchmark]
	fn check_trade_batch() -> Result<(), BenchmarkError> {
		setup::<T>();
		let (trade, buyer, _) = trade::<T>();
		let record = BlockTrades::<T>::get()[0].clone();
		for _ in 1..T::MaxTradesPerBlock::get() - 1 {
			BlockTrades::<T>::try_append(record.clone())
				.map_err(|_| BenchmarkError::Stop("the batch is full"))?;
		}
		let call: T::RuntimeCall =
			Call::<T>::confirm_delivery { trade, delivered_wh: ENERGY }.into();
		let info = call.get_dispatch_info();
		let ext = CheckTradeBatch::<T>::new();
		#[block]
		{
			ext.test_run(RawOrigin::Signed(buyer).into(), &call, &info, 0, 0, |_| Ok(().into()))
				.map_err(|_| BenchmarkError::Stop("a batch with room refused"))?
				.map_err(|_| BenchmarkError::Stop("the substitute call failed"))?;
		}
		assert!(Pallet::<T>::has_batch_room());
		Ok(())
	}

	/// A demand, first of a full owner list.
	#[benchmark]
	fn cancel_offer() {
		setup::<T>();
		let who = member::<T>("owner", 0, Role::Consumer);
		let offer = demands::<T>(&who, T::MaxOffersPerAccount::get())[0];
		#[extrinsic_call]
		_(RawOrigin::Signed(who), offer);
		assert!(!Offers::<T>::contains_key(offer));
	}

	/// The buyer confirms the whole delivery: the seller and the network are paid, `i`
	/// readings a side give their share and the last interval is booked.
	#[benchmark]
	fn confirm_delivery(i: Linear<0, { T::MaxDeliveryIntervals::get() - 1 }>) {
		setup::<T>();
		let (trade, buyer, seller) = metered_trade::<T>(i);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), trade, ENERGY);
		assert!(!Trades::<T>::contains_key(trade));
		assert_eq!(Bookings::<T>::decode_len(&seller), Some(T::MaxBookings::get() as usize));
		assert_eq!(Bookings::<T>::decode_len(&buyer), Some(T::MaxBookings::get() as usize));
	}

	#[benchmark]
	fn dispute() {
		setup::<T>();
		let (trade, buyer, _) = trade::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), trade);
		assert!(Trades::<T>::get(trade).is_some_and(|t| t.disputed));
	}

	/// A ruling of partial delivery: the seller is paid and the buyer refunded, `i` readings
	/// a side give their share and the last interval is booked.
	#[benchmark]
	fn resolve_dispute(
		i: Linear<0, { T::MaxDeliveryIntervals::get() - 1 }>,
	) -> Result<(), BenchmarkError> {
		setup::<T>();
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (trade, buyer, seller) = metered_trade::<T>(i);
		Pallet::<T>::do_dispute(buyer, trade).expect("the buyer disputes");
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, trade, ENERGY / 2);
		assert!(!Trades::<T>::contains_key(trade));
		assert_eq!(Bookings::<T>::decode_len(&seller), Some(T::MaxBookings::get() as usize));
		Ok(())
	}

	#[benchmark]
	fn set_prices() -> Result<(), BenchmarkError> {
		setup::<T>();
		let origin =
			T::PriceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FEED_IN / 2, GRID * 2);
		assert_eq!(GridPrice::<T>::get(), GRID * 2);
		Ok(())
	}

	#[benchmark]
	fn set_network_charge() -> Result<(), BenchmarkError> {
		setup::<T>();
		let origin =
			T::PriceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FEED_IN);
		assert_eq!(NetworkCharge::<T>::get(), FEED_IN);
		Ok(())
	}

	/// The member's meter read before; the reading is the next interval's, the last one over;
	/// the member has `MaxBookings` bookings, each taking from it, none done.
	#[benchmark]
	fn submit_reading() {
		setup::<T>();
		let who = member::<T>("owner", 0, Role::Generator);
		let key = meter::<T>(&who);
		T::Meters::note_reading(&who, 2, 1);
		let bookings = (0..T::MaxBookings::get()).map(|j| Booking {
			delivery_start: interval_start::<T>(1).saturating_add(j.into()),
			delivery_end: interval_start::<T>(5),
			energy_wh: ENERGY,
			export: j % 2 == 0,
		});
		Bookings::<T>::insert(&who, BoundedVec::truncate_from(bookings.collect::<Vec<_>>()));
		frame_system::Pallet::<T>::set_block_number(interval_start::<T>(4));
		let reading = MeterReading {
			subchain: T::Meters::subchain().unwrap_or_default(),
			member: who.clone(),
			meter: key,
			interval: 3,
			exported_wh: ENERGY,
			imported_wh: ENERGY,
			counter: 2,
		};
		let signature = sign::<T>(&reading);
		let submitter = member::<T>("gateway", 0, Role::Consumer);
		#[extrinsic_call]
		_(RawOrigin::Signed(submitter), reading, signature);
		assert!(Metered::<T>::get(3, &who).is_some_and(|r| r.export_taken_wh > 0));
		assert_eq!(Bookings::<T>::decode_len(&who), Some(T::MaxBookings::get() as usize));
	}

	/// A trade whose window covers `i` intervals, each with readings on both sides it takes
	/// from; the seller falls short by the tolerance, so the grid is paid from the escrow and
	/// by the seller.
	#[benchmark]
	fn settle_trade(i: Linear<1, { T::MaxDeliveryIntervals::get() }>) {
		setup::<T>();
		let buyer = member::<T>("buyer", 0, Role::Consumer);
		let seller = member::<T>("seller", 0, Role::Generator);
		meter::<T>(&buyer);
		meter::<T>(&seller);
		let end = interval_start::<T>(i.saturating_add(1)).saturating_sub(One::one());
		let terms = OfferTerms {
			delivery_start: interval_start::<T>(1),
			delivery_end: end,
			..terms::<T>(end)
		};
		let offer = Pallet::<T>::do_post_demand(buyer.clone(), terms, EnergyKind::Any, false)
			.expect("a funded member posts a demand");
		let trade = Pallet::<T>::do_accept(seller.clone(), offer, ENERGY)
			.expect("the seller takes it")
			.trade;
		let short = T::MeterTolerance::get().mul_floor(ENERGY);
		let per = |total: u64| total.div_ceil(u64::from(i));
		for k in 1..=i {
			let record = |exported_wh, imported_wh| IntervalEnergy {
				exported_wh,
				imported_wh,
				..Default::default()
			};
			Metered::<T>::insert(k, &seller, record(per(ENERGY - short), 0));
			Metered::<T>::insert(k, &buyer, record(0, per(ENERGY)));
		}
		T::Meters::note_reading(&seller, i, 1);
		T::Meters::note_reading(&buyer, i, 1);
		frame_system::Pallet::<T>::set_block_number(end.saturating_add(One::one()));
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), trade);
		assert!(!Trades::<T>::contains_key(trade));
	}

	/// `n` records of an interval no trade can cover any more are removed.
	#[benchmark]
	fn on_initialize_prune(n: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		setup::<T>();
		for j in 0..n {
			let who: T::AccountId = account("reader", j, SEED);
			Metered::<T>::insert(0, &who, IntervalEnergy::default());
		}
		PruneCursor::<T>::put(0);
		let now = T::SettlementPeriod::get()
			.saturating_add(interval_start::<T>(T::MaxDeliveryIntervals::get().saturating_add(2)));
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T>::prune_metered(now, T::MaxExpiriesPerBlock::get());
		}
		assert_eq!(Metered::<T>::iter_prefix(0).count(), 0);
		assert_eq!(PruneCursor::<T>::get(), Some(1));
	}

	/// `h` demands with the grid fallback expire in one block: each buys its remainder from the
	/// grid and releases the rest of its escrow.
	#[benchmark]
	fn on_initialize_expiries(h: Linear<0, { T::MaxExpiriesPerBlock::get() - 1 }>) {
		setup::<T>();
		let due: BlockNumberFor<T> = 10u32.into();
		for i in 0..h {
			let owner = member::<T>("owner", i, Role::Consumer);
			Pallet::<T>::do_post_demand(owner, terms::<T>(due), EnergyKind::Any, true)
				.expect("a funded member posts a demand");
		}
		frame_system::Pallet::<T>::set_block_number(due);
		ExpiryCursor::<T>::put(due);
		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}
		assert_eq!(Offers::<T>::count(), 0);
		assert_eq!(BlockTrades::<T>::decode_len().unwrap_or(0), h as usize);
	}

	/// `s` empty blocks of the queue are passed.
	#[benchmark]
	fn on_initialize_scan(s: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		setup::<T>();
		let now: BlockNumberFor<T> = 1_000u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		ExpiryCursor::<T>::put(now.saturating_sub(s.into()).saturating_add(One::one()));
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(ExpiryCursor::<T>::get(), now.saturating_add(One::one()));
	}

	/// The trade root of a batch of `n` records.
	#[benchmark]
	fn on_finalize(n: Linear<0, { T::MaxTradesPerBlock::get() }>) {
		setup::<T>();
		let (buyer, seller): (T::AccountId, T::AccountId) =
			(account("buyer", 0, SEED), account("seller", 0, SEED));
		let records: Vec<_> = (0..n)
			.map(|i| TradeRecord {
				trade: i.into(),
				outcome: TradeOutcome::Delivered { delivered_wh: ENERGY },
				buyer: buyer.clone(),
				seller: seller.clone(),
				energy_wh: ENERGY,
				price: PRICE,
				value: Balance::MAX,
			})
			.collect();
		BlockTrades::<T>::put(BoundedVec::truncate_from(records));
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			Pallet::<T>::on_finalize(now);
		}
		assert!(frame_system::Pallet::<T>::digest().logs().iter().any(|log| {
			log.as_consensus()
				.is_some_and(|(id, _)| id == dbm_primitives::trade::TRADE_ROOT_ENGINE_ID)
		}));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
