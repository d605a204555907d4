//! Runtime configuration shared by the DB-Microgrid parent chain and the sub-chains.
//!
//! Both layers run the same base: accounts, balances, fees, block limits, Aura slots and
//! GRANDPA finality are configured here once. A runtime takes the defaults with
//! `#[derive_impl(dbm_runtime_common::SystemDefaults)]` (and the other `*Defaults`) and only
//! names what is its own (its block type, its version, its weights).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod apis;
pub mod benchmarks;
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

/// The transaction extensions every signed extrinsic of either layer carries, in order.
pub type TxExtension<Runtime> = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic of a runtime whose calls are `Call`, as it arrives from outside.
pub type UncheckedExtrinsic<Runtime, Call> = sp_runtime::generic::UncheckedExtrinsic<
	dbm_primitives::Address,
	Call,
	dbm_primitives::Signature,
	TxExtension<Runtime>,
>;

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

/// Implements, for the `Runtime` in scope, the configuration of the pallets both layers run
/// unchanged: timestamp, Aura (block production), GRANDPA (finality), transaction payment and
/// sudo. Aura and GRANDPA offer no `#[derive_impl]` defaults, hence one macro for the lot.
/// Each runtime still configures `frame_system` (its block and version) and `pallet_balances`
/// (its own generated weights).
///
/// GRANDPA equivocations are not reported on chain: there is no stake to slash, and the
/// authorities are elected billers and operators whom a vote removes.
#[macro_export]
macro_rules! impl_base_configs {
	() => {
		#[frame_support::derive_impl($crate::TimestampDefaults)]
		impl pallet_timestamp::Config for Runtime {
			type OnTimestampSet = Aura;
		}

		impl pallet_aura::Config for Runtime {
			type AuthorityId = sp_consensus_aura::sr25519::AuthorityId;
			type DisabledValidators = ();
			type MaxAuthorities = frame_support::traits::ConstU32<{ $crate::MAX_AUTHORITIES }>;
			type AllowMultipleBlocksPerSlot = frame_support::traits::ConstBool<false>;
			type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
		}

		impl pallet_grandpa::Config for Runtime {
			type RuntimeEvent = RuntimeEvent;
			type WeightInfo = ();
			type MaxAuthorities = frame_support::traits::ConstU32<{ $crate::MAX_AUTHORITIES }>;
			type MaxNominators = frame_support::traits::ConstU32<0>;
			type MaxSetIdSessionEntries = frame_support::traits::ConstU64<0>;
			type KeyOwnerProof = sp_core::Void;
			type EquivocationReportSystem = ();
		}

		#[frame_support::derive_impl($crate::TransactionPaymentDefaults)]
		impl pallet_transaction_payment::Config for Runtime {
			type OnChargeTransaction = pallet_transaction_payment::FungibleAdapter<Balances, ()>;
			type WeightToFee = $crate::WeightToFee;
			type LengthToFee = $crate::LengthToFee;
		}

		#[frame_support::derive_impl(pallet_sudo::config_preludes::TestDefaultConfig)]
		impl pallet_sudo::Config for Runtime {
			type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
		}
	};
}
