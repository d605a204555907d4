//! Runtime configuration shared by the DB-Microgrid parent chain and the sub-chains.
//!
//! Both layers run the same base: accounts, balances, fees, block limits, Aura slots and
//! GRANDPA finality are configured here once. A runtime takes the defaults with
//! `#[derive_impl(dbm_runtime_common::SystemDefaults)]` (and the other `*Defaults`) and only
//! names what is its own (its block type, its version, its weights).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod presets;

use dbm_primitives::{AccountId, Balance, BlockNumber, Hash, Nonce};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::{traits::AccountIdLookup, Perbill};

pub use dbm_primitives::{currency, time};

/// Share of a block's weight and length that ordinary (non-operational) extrinsics may use.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Execution time a block may take: one second of the three-second slot, leaving the rest to
/// propagation and import on the other nodes.
pub const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

/// Largest block in bytes.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// Most Aura authorities (and GRANDPA voters) a chain may have.
pub const MAX_AUTHORITIES: u32 = 32;

parameter_types! {
	/// Block hashes kept for mortal transactions (one day of blocks would be 28,800; 2,400 is
	/// two hours at three-second blocks, ample for any mortal era a wallet uses).
	pub const BlockHashCount: BlockNumber = 2_400;
	/// Weight limits per dispatch class.
	pub RuntimeBlockWeights: BlockWeights =
		BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO);
	/// Length limits per dispatch class.
	pub RuntimeBlockLength: BlockLength =
		BlockLength::max_with_normal_ratio(MAXIMUM_BLOCK_LENGTH, NORMAL_DISPATCH_RATIO);
	/// The generic Substrate address format, which polkadot.js shows by default.
	pub const SS58Prefix: u16 = 42;
	/// Smallest balance an account may hold.
	pub const ExistentialDeposit: Balance = currency::MILLI_UNIT;
	/// Fee per byte of an extrinsic.
	pub const TransactionByteFee: Balance = currency::MICRO_UNIT;
}

/// Converts weight to fee one to one (one unit of ref time costs one plank).
pub type WeightToFee = IdentityFee<Balance>;

/// Converts an extrinsic's length to fee.
pub type LengthToFee = frame_support::weights::ConstantMultiplier<Balance, TransactionByteFee>;

/// Aura needs at least this long between two blocks.
pub type MinimumPeriod = ConstU64<{ time::SLOT_DURATION / 2 }>;

/// `frame_system` defaults of both layers. Runtimes still name `Block` and `Version`.
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

/// `pallet_balances` defaults of both layers. Runtimes still name `AccountStore` and
/// `WeightInfo`.
pub struct BalancesDefaults;

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

/// `pallet_transaction_payment` defaults of both layers. Runtimes still name
/// `OnChargeTransaction` (it needs their `Balances`), `WeightToFee` and `LengthToFee`.
pub struct TransactionPaymentDefaults;

#[frame_support::register_default_impl(TransactionPaymentDefaults)]
impl pallet_transaction_payment::DefaultConfig for TransactionPaymentDefaults {
	#[inject_runtime_type]
	type RuntimeEvent = ();
	type FeeMultiplierUpdate = ();
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightInfo = ();
}

/// `pallet_timestamp` defaults of both layers: Aura sets the time.
pub struct TimestampDefaults;

#[frame_support::register_default_impl(TimestampDefaults)]
impl pallet_timestamp::DefaultConfig for TimestampDefaults {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = MinimumPeriod;
	type WeightInfo = ();
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::traits::Get;

	#[test]
	fn block_weight_leaves_most_of_the_slot_to_propagation_and_import() {
		let max = RuntimeBlockWeights::get().max_block.ref_time();
		assert!(max * 1_000 / WEIGHT_REF_TIME_PER_SECOND <= time::SLOT_DURATION / 2);
	}

	#[test]
	fn minimum_period_is_half_a_slot() {
		assert_eq!(<MinimumPeriod as Get<u64>>::get() * 2, time::SLOT_DURATION);
	}
}
