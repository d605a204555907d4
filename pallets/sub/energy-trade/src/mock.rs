//! A test runtime: balances with holds, the sub-chain pallet as member registry, a meter
//! account, root for prices and disputes.

use crate::{self as pallet_energy_trade, *};
use dbm_primitives::{
	dbsca::NodeAttributes,
	membership::{Destination, Message, Outbox, Role},
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::InspectHold, ConstU128, ConstU32, ConstU64, Hooks},
};
use frame_system::{pallet_prelude::BlockNumberFor, EnsureRoot};
use sp_core::Pair;
use sp_runtime::{BuildStorage, Permill};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are plain numbers.
pub type AccountId = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeHoldReason,
		RuntimeFreezeReason
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Subchain = pallet_subchain;
	#[runtime::pallet_index(3)]
	pub type EnergyTrade = pallet_energy_trade;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

/// The existential deposit.
pub const ED: Balance = 10;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<ED>;
	type AccountStore = System;
}

impl pallet_subchain::Config for Test {
	type MembershipOrigin = EnsureRoot<AccountId>;
	type OnActiveSetChange = ();
	type MaxMembers = ConstU32<20>;
	type WeightInfo = ();
}

/// A consumer.
pub const ALICE: AccountId = 1;
/// A renewable generator.
pub const BOB: AccountId = 2;
/// A generator, not renewable.
pub const CHARLIE: AccountId = 3;
/// A storage battery, renewable.
pub const DAVE: AccountId = 4;
/// A consumer.
pub const EVE: AccountId = 5;
/// A consumer, suspended.
pub const FERDIE: AccountId = 6;
/// Funded, not a member.
pub const OUTSIDER: AccountId = 9;
/// Funded, not a member, no meter.
pub const STRANGER: AccountId = 100;
/// The grid account.
pub const GRID: AccountId = 99;
/// What each account starts with.
pub const ENDOWMENT: Balance = 1_000_000;
/// The feed-in tariff at genesis, per kWh.
pub const FEED_IN: Balance = 80;
/// The grid price at genesis, per kWh.
pub const GRID_PRICE: Balance = 300;

parameter_types! {
	pub const GridAccount: AccountId = GRID;
	pub const Tolerance: Permill = Permill::from_percent(10);
}

/// Blocks per metering interval.
pub const INTERVAL: u64 = 5;

/// The meter of member `who`: an ed25519 key of its own.
pub fn meter_pair(who: AccountId) -> sp_core::ed25519::Pair {
	sp_core::ed25519::Pair::from_seed(&[who as u8 + 100; 32])
}

/// The key of `who`'s meter.
pub fn meter_of(who: AccountId) -> MeterKey {
	meter_pair(who).public()
}

/// `who`'s meter's reading of `interval`, with `counter`, signed by the meter.
pub fn signed_reading(
	who: AccountId,
	interval: IntervalIndex,
	exported_wh: u64,
	imported_wh: u64,
	counter: u64,
) -> (MeterReading<AccountId>, MeterSignature) {
	let reading = MeterReading {
		subchain: dbm_primitives::SubchainId(1),
		member: who,
		meter: meter_of(who),
		interval,
		exported_wh,
		imported_wh,
		counter,
	};
	let signature = reading.sign(&meter_pair(who));
	(reading, signature)
}

impl pallet_energy_trade::Config for Test {
	type Currency = Balances;
	type Members = Subchain;
	type PriceOrigin = EnsureRoot<AccountId>;
	type DisputeOrigin = EnsureRoot<AccountId>;
	type Outbox = MockOutbox;
	type GridAccount = GridAccount;
	type MaxOpenOffers = ConstU32<12>;
	type MaxOffersPerAccount = ConstU32<4>;
	type MaxOpenTrades = ConstU32<12>;
	type MaxTradesPerBlock = ConstU32<8>;
	type MaxExpiriesPerBlock = ConstU32<4>;
	type MaxHorizon = ConstU64<1_000>;
	type SettlementPeriod = ConstU64<10>;
	type Meters = Subchain;
	type MeteringInterval = ConstU64<{ INTERVAL }>;
	type MaxDeliveryIntervals = ConstU32<6>;
	type MaxReadingAge = ConstU32<3>;
	type MeterTolerance = Tolerance;
	type MaxBookings = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

std::thread_local! {
	/// The messages sent to the parent, in order (the nonce is the index).
	pub static SENT: core::cell::RefCell<Vec<Message<AccountId, Balance>>> =
		const { core::cell::RefCell::new(Vec::new()) };
	/// Whether the outbox refuses messages.
	pub static OUTBOX_FULL: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// An outbox that keeps what it is sent, or refuses it when told to.
pub struct MockOutbox;

impl Outbox<AccountId, Balance> for MockOutbox {
	fn send(
		destination: Destination,
		message: Message<AccountId, Balance>,
	) -> Result<u64, sp_runtime::DispatchError> {
		assert_eq!(destination, Destination::Parent, "a sub-chain sends to the parent");
		if OUTBOX_FULL.with(|full| full.get()) {
			return Err(sp_runtime::DispatchError::Other("the outbox is full"));
		}
		SENT.with(|sent| {
			sent.borrow_mut().push(message);
			Ok(sent.borrow().len() as u64 - 1)
		})
	}
}

/// The messages sent to the parent so far.
pub fn sent() -> Vec<Message<AccountId, Balance>> {
	SENT.with(|sent| sent.borrow().clone())
}

/// Members for the benchmarks: the sub-chain pallet's registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<AccountId> for MockHelper {
	fn make_member(who: &AccountId, info: MemberInfo) {
		pallet_subchain::Pallet::<Test>::insert_member(who, info);
	}

	fn make_meter(who: &AccountId, meter: MeterKey) {
		pallet_subchain::Pallet::<Test>::insert_meter(
			who,
			dbm_primitives::metering::MeterState::new(meter, None),
		);
	}
}

/// A member record.
pub fn member(role: Role, renewable: bool, suspended: bool) -> MemberInfo {
	MemberInfo { role, attested: NodeAttributes { renewable, ..Default::default() }, suspended }
}

/// Builds the test externalities.
pub struct ExtBuilder {
	feed_in: Balance,
	grid: Balance,
	charge: Balance,
	balances: Vec<(AccountId, Balance)>,
}

impl Default for ExtBuilder {
	/// Members Alice (consumer), Bob (renewable generator), Charlie (generator), Dave
	/// (renewable storage), Eve (consumer) and Ferdie (suspended consumer); the outsider, the
	/// meter and the grid account are funded but not members. Prices 80 to 300 per kWh.
	fn default() -> Self {
		let balances = [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE, OUTSIDER, STRANGER, GRID]
			.into_iter()
			.map(|who| (who, ENDOWMENT))
			.collect();
		ExtBuilder { feed_in: FEED_IN, grid: GRID_PRICE, charge: 0, balances }
	}
}

impl ExtBuilder {
	/// Sets the price bounds at genesis.
	pub fn prices(mut self, feed_in: Balance, grid: Balance) -> Self {
		self.feed_in = feed_in;
		self.grid = grid;
		self
	}

	/// Sets the network charge at genesis.
	pub fn charge(mut self, per_kwh: Balance) -> Self {
		self.charge = per_kwh;
		self
	}

	/// Sets one account's starting balance (0: no account).
	pub fn balance(mut self, who: AccountId, amount: Balance) -> Self {
		self.balances.retain(|(other, _)| *other != who);
		if amount > 0 {
			self.balances.push((who, amount));
		}
		self
	}

	/// The genesis config this builder describes.
	pub fn genesis(&self) -> RuntimeGenesisConfig {
		RuntimeGenesisConfig {
			system: Default::default(),
			balances: pallet_balances::GenesisConfig {
				balances: self.balances.clone(),
				..Default::default()
			},
			subchain: pallet_subchain::GenesisConfig {
				subchain_id: Some(dbm_primitives::SubchainId(1)),
				members: vec![
					(ALICE, member(Role::Consumer, false, false)),
					(BOB, member(Role::Generator, true, false)),
					(CHARLIE, member(Role::Generator, false, false)),
					(DAVE, member(Role::Storage, true, false)),
					(EVE, member(Role::Consumer, false, false)),
					(FERDIE, member(Role::Consumer, false, true)),
				],
				meters: [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE]
					.into_iter()
					.map(|who| (who, meter_of(who)))
					.collect(),
			},
			energy_trade: pallet_energy_trade::GenesisConfig {
				feed_in_tariff: self.feed_in,
				grid_price: self.grid,
				network_charge: self.charge,
				..Default::default()
			},
		}
	}

	/// Builds the externalities, at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		let storage = self.genesis().build_storage().expect("the test genesis builds");
		let mut ext = sp_io::TestExternalities::new(storage);
		// The benchmarks' meters sign with keys they make in the keystore.
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the invariants and that trading kept total issuance.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			let issuance = Balances::total_issuance();
			test();
			check_invariants();
			assert_eq!(Balances::total_issuance(), issuance, "trading changed total issuance");
		});
	}
}

/// The pallet's invariants, and that no account outside the offers and trades holds escrow.
pub fn check_invariants() {
	EnergyTrade::do_try_state().expect("the invariants hold");
	let reason: RuntimeHoldReason = HoldReason::Escrow.into();
	for who in [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE, OUTSIDER, STRANGER, GRID] {
		let expected: Balance = Offers::<Test>::iter_values()
			.filter(|offer| offer.owner == who)
			.map(|offer| offer.escrow)
			.chain(Trades::<Test>::iter_values().filter(|t| t.buyer == who).map(|t| t.escrow))
			.sum();
		assert_eq!(Balances::balance_on_hold(&reason, &who), expected, "escrow of {who}");
	}
}

/// Finishes the current block and starts the next, up to block `n`, running the hooks. Each
/// finished block's header digest gets its trade root.
pub fn run_to_block(n: BlockNumberFor<Test>) {
	while System::block_number() < n {
		EnergyTrade::on_finalize(System::block_number());
		let next = System::block_number() + 1;
		System::reset_events();
		System::initialize(&next, &Default::default(), &Default::default());
		EnergyTrade::on_initialize(next);
	}
}

/// The pallet's events so far in this block.
pub fn trade_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::EnergyTrade(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Terms: `energy_wh` at `price`, whole, delivery in blocks 5 to 24 (metering intervals 1 to
/// 4, whole), expiring at block 10.
pub fn terms(energy_wh: u64, price: Balance) -> OfferTermsOf<Test> {
	OfferTerms {
		energy_wh,
		price,
		allow_partial: false,
		delivery_start: 5,
		delivery_end: 24,
		expires: 10,
	}
}

/// The same terms, takeable in part.
pub fn partial(energy_wh: u64, price: Balance) -> OfferTermsOf<Test> {
	OfferTerms { allow_partial: true, ..terms(energy_wh, price) }
}

/// `who`'s free balance.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// `who`'s escrow.
pub fn escrow(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}
