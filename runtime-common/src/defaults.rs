//! `#[derive_impl]` defaults of the pallets both layers configure the same way.
//!
//! `derive_impl` names the trait of a default as `<crate of the default>::<trait path in its
//! impl>`, so the impls below spell the trait with the pallet's crate name and the crate root
//! re-exports those crates.

/// `frame_system` defaults of both layers. Runtimes still name `Block`, `Version` and the
/// weights of the system calls and transaction extensions (their own generated weights).
pub mod system {
	use crate::{BlockHashCount, RuntimeBlockLength, RuntimeBlockWeights, SS58Prefix};
	use dbm_primitives::{AccountId, Balance, Hash, Nonce};
	use frame_support::{
		derive_impl, pallet_prelude::inject_runtime_type, traits::ConstU32,
		weights::constants::ParityDbWeight,
	};
	use sp_runtime::traits::AccountIdLookup;

	/// The defaults.
	pub struct SystemDefaults;

	#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig as frame_system::DefaultConfig, no_aggregated_types)]
	#[frame_support::register_default_impl(SystemDefaults)]
	impl frame_system::DefaultConfig for SystemDefaults {
		type Nonce = Nonce;
		type Hash = Hash;
		type AccountId = AccountId;
		type Lookup = AccountIdLookup<AccountId, ()>;
		type BlockHashCount = BlockHashCount;
		type BlockWeights = RuntimeBlockWeights;
		type BlockLength = RuntimeBlockLength;
		type DbWeight = ParityDbWeight;
		type AccountData = pallet_balances::AccountData<Balance>;
		type SS58Prefix = SS58Prefix;
		type MaxConsumers = ConstU32<16>;
	}
}

/// `pallet_balances` defaults of both layers. Runtimes still name `AccountStore` and
/// `WeightInfo` (their own generated weights).
pub mod balances {
	use crate::ExistentialDeposit;
	use dbm_primitives::Balance;
	use frame_support::{
		derive_impl,
		pallet_prelude::inject_runtime_type,
		traits::{ConstU32, VariantCountOf},
	};

	/// The defaults.
	pub struct BalancesDefaults;

	// Only the supertrait bound: runtimes take `frame_system`'s values from `SystemDefaults`.
	#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig as frame_system::DefaultConfig, no_aggregated_types)]
	impl frame_system::DefaultConfig for BalancesDefaults {}

	#[frame_support::register_default_impl(BalancesDefaults)]
	impl pallet_balances::DefaultConfig for BalancesDefaults {
		#[inject_runtime_type]
		type RuntimeEvent = ();
		#[inject_runtime_type]
		type RuntimeHoldReason = ();
		#[inject_runtime_type]
		type RuntimeFreezeReason = ();
		type Balance = Balance;
		type ExistentialDeposit = ExistentialDeposit;
		type ReserveIdentifier = [u8; 8];
		type FreezeIdentifier = Self::RuntimeFreezeReason;
		type DustRemoval = ();
		type MaxLocks = ConstU32<50>;
		type MaxReserves = ConstU32<50>;
		type MaxFreezes = VariantCountOf<Self::RuntimeFreezeReason>;
		type WeightInfo = ();
		type DoneSlashHandler = ();
	}
}

/// `pallet_transaction_payment` defaults of both layers. Runtimes still name
/// `OnChargeTransaction` (it needs their `Balances`), `WeightToFee`, `LengthToFee`,
/// `FeeMultiplierUpdate` ([`crate::FeeMultiplierUpdate`], which needs the runtime) and
/// `WeightInfo` (their own generated weights).
pub mod transaction_payment {
	use frame_support::{derive_impl, pallet_prelude::inject_runtime_type, traits::ConstU8};

	/// The defaults.
	pub struct TransactionPaymentDefaults;

	// Only the supertrait bound: runtimes take `frame_system`'s values from `SystemDefaults`.
	#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig as frame_system::DefaultConfig, no_aggregated_types)]
	impl frame_system::DefaultConfig for TransactionPaymentDefaults {}

	#[frame_support::register_default_impl(TransactionPaymentDefaults)]
	impl pallet_transaction_payment::DefaultConfig for TransactionPaymentDefaults {
		#[inject_runtime_type]
		type RuntimeEvent = ();
		type FeeMultiplierUpdate = ();
		type OperationalFeeMultiplier = ConstU8<5>;
		type WeightInfo = ();
	}
}

/// `pallet_timestamp` defaults of both layers: Aura needs at least half a slot between blocks.
/// Runtimes still name `OnTimestampSet` and `WeightInfo` (their own generated weights).
pub mod timestamp {
	use crate::MinimumPeriod;
	use frame_support::{derive_impl, pallet_prelude::inject_runtime_type};

	/// The defaults.
	pub struct TimestampDefaults;

	// Only the supertrait bound: runtimes take `frame_system`'s values from `SystemDefaults`.
	#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig as frame_system::DefaultConfig, no_aggregated_types)]
	impl frame_system::DefaultConfig for TimestampDefaults {}

	#[frame_support::register_default_impl(TimestampDefaults)]
	impl pallet_timestamp::DefaultConfig for TimestampDefaults {
		type Moment = u64;
		type OnTimestampSet = ();
		type MinimumPeriod = MinimumPeriod;
		type WeightInfo = ();
	}
}
