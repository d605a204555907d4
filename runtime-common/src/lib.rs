//! Runtime configuration shared by the DB-Microgrid parent chain and the sub-chains.
//!
//! Both layers run the same base: accounts, balances, fees, block limits, Aura slots and
//! GRANDPA finality are configured here once, as `#[derive_impl]` [`defaults`] and the
//! [`impl_base_configs!`] macro; the runtime APIs every chain has are
//! [`impl_runtime_apis_with_base!`], the benchmark list [`define_runtime_benchmarks!`], and
//! the genesis building blocks [`presets`]. A runtime only names what is its own: its block
//! type, its version, its generated weights and its own pallets.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod apis;
pub mod benchmarks;
pub mod defaults;
pub mod presets;

use dbm_primitives::{Balance, BlockNumber};
use frame_support::{
	dispatch::DispatchClass,
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;

pub use dbm_primitives::{currency, time};

// `derive_impl` resolves the traits of the `defaults` through these paths.
#[doc(hidden)]
pub use {frame_system, pallet_balances, pallet_timestamp, pallet_transaction_payment};

/// Share of a block's weight and length that ordinary (non-operational) extrinsics may use.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Execution time a block may take: half of the half-second slot ([`time::SLOT_DURATION`]),
/// within the two thirds the author has to build it, leaving the rest to propagation and import
/// on the other nodes. Per second of chain time that is more than the third that one second in
/// three-second slots gave, so a chain carries no fewer transactions per second.
pub const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND / 4, u64::MAX);

/// Largest block in bytes.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// Most Aura authorities (and GRANDPA voters) a chain may have.
pub const MAX_AUTHORITIES: u32 = 32;

parameter_types! {
	/// Block hashes kept for mortal transactions: an hour of half-second blocks, ample for
	/// any mortal era a wallet uses.
	pub const BlockHashCount: BlockNumber = dbm_primitives::time::HOURS;
	/// Weight limits per dispatch class.
	pub RuntimeBlockWeights: BlockWeights =
		BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO);
	/// Length limits per dispatch class.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	/// The generic Substrate address format, which polkadot.js shows by default.
	pub const SS58Prefix: u16 = 42;
	/// Smallest balance an account may hold.
	pub const ExistentialDeposit: Balance = currency::MILLI_UNIT;
	/// Fee per byte of an extrinsic.
	pub const TransactionByteFee: Balance = currency::MICRO_UNIT;
	/// The deposit of a membership proposal, on either layer.
	pub const ProposalDeposit: Balance = 10 * currency::UNIT;
	/// A membership proposal stays open two hours, on either layer.
	pub const ProposalLifetime: BlockNumber = 2 * dbm_primitives::time::HOURS;
}

/// Converts weight to fee one to one (one unit of ref time costs one plank).
pub type WeightToFee = IdentityFee<Balance>;

/// Converts an extrinsic's length to fee.
pub type LengthToFee = frame_support::weights::ConstantMultiplier<Balance, TransactionByteFee>;

parameter_types! {
	/// The share of a block's normal weight above which fees rise, and below which they fall
	/// back.
	pub const TargetBlockFullness: sp_runtime::Perquintill =
		sp_runtime::Perquintill::from_percent(25);
	/// How fast the fee multiplier moves: an hour of full blocks (7,200 half-second blocks)
	/// raises fees by about a fifth, a day of them about fifty-fold.
	pub AdjustmentVariable: pallet_transaction_payment::Multiplier =
		pallet_transaction_payment::Multiplier::from_rational(3, 100_000);
	/// Fees never fall below the base fee: in blocks that are not congested a member pays what
	/// the weights say, as it can predict.
	pub MinimumMultiplier: pallet_transaction_payment::Multiplier =
		pallet_transaction_payment::Multiplier::from_u32(1);
	/// No ceiling: congestion can always be made dearer.
	pub MaximumMultiplier: pallet_transaction_payment::Multiplier =
		sp_runtime::traits::Bounded::max_value();
}

/// The fee multiplier of both layers: it rises while blocks are fuller than
/// [`TargetBlockFullness`] and falls back to 1 when they are not, so that filling blocks (the
/// trade batch, or the room anchors need) gets dearer the longer it lasts.
pub type FeeMultiplierUpdate<R> = pallet_transaction_payment::TargetedFeeAdjustment<
	R,
	TargetBlockFullness,
	AdjustmentVariable,
	MinimumMultiplier,
	MaximumMultiplier,
>;

parameter_types! {
	/// Aura needs at least this long between two blocks: half a slot, so it also sets the slot
	/// duration (`pallet_aura::MinimumPeriodTimesTwo`). It is read from storage with
	/// [`time::SLOT_DURATION`]` / 2` as the default, so a chain spec can give a chain longer
	/// slots in its genesis storage (the benchmarks' six-second transfer chain does, see
	/// [`slot_duration_storage`]); nothing changes it after the genesis.
	pub storage MinimumPeriod: u64 = time::SLOT_DURATION / 2;
}

/// The genesis storage entry that gives a chain slots of `millis` milliseconds instead of
/// [`time::SLOT_DURATION`]: its key and SCALE-encoded value.
pub fn slot_duration_storage(millis: u64) -> (alloc::vec::Vec<u8>, alloc::vec::Vec<u8>) {
	use codec::Encode;
	(MinimumPeriod::key().to_vec(), (millis / 2).encode())
}

/// The transaction extensions every signed extrinsic of either layer carries, in order (a
/// runtime may add its own after them).
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

/// An extrinsic of a runtime whose calls are `Call` and transaction extensions `Extension`, as
/// it arrives from outside.
pub type UncheckedExtrinsic<Call, Extension> = sp_runtime::generic::UncheckedExtrinsic<
	dbm_primitives::Address,
	Call,
	dbm_primitives::Signature,
	Extension,
>;

/// Implements, for the `Runtime` in scope, the configuration of the pallets every layer runs
/// the same way: system, timestamp, Aura (block production), GRANDPA (finality), balances,
/// transaction payment and sudo. Aura and GRANDPA offer no `#[derive_impl]` defaults, hence
/// one macro for the lot. It also defines `Version` (the runtime's `VERSION` for
/// `frame_system`). The invoking module must have the runtime crate's root in scope
/// (`use crate::*;`) and `frame_support::derive_impl`: `Block`, `VERSION`, the `weights` module
/// (`frame_system`, `frame_system_extensions`, `pallet_balances`, `pallet_timestamp`,
/// `pallet_transaction_payment` and `pallet_sudo`, each generated by `make weights` against
/// the runtime), the aggregated types `derive_impl` injects and the pallets `System`, `Aura`,
/// `Balances`.
///
/// What a layer does with its GRANDPA voters' equivocations is its own: the invoking module
/// also defines `GrandpaKeyOwnerProof`, `GrandpaEquivocationReports` and `GrandpaWeights`
/// (`pallet_grandpa::Config`'s `KeyOwnerProof`, `EquivocationReportSystem` and `WeightInfo`)
/// and `grandpa_key_owner_proof(set_id, key)`, which `GrandpaApi::generate_key_ownership_proof`
/// answers with ([`impl_runtime_apis_with_base!`]). There is no stake to slash on either layer.
#[macro_export]
macro_rules! impl_base_configs {
	() => {
		frame_support::parameter_types! {
			/// The runtime's version, for `frame_system`.
			pub const Version: sp_version::RuntimeVersion = VERSION;
		}

		#[derive_impl($crate::defaults::system::SystemDefaults)]
		impl frame_system::Config for Runtime {
			type Block = Block;
			type Version = Version;
			type SystemWeightInfo = weights::frame_system::WeightInfo<Runtime>;
			type ExtensionsWeightInfo = weights::frame_system_extensions::WeightInfo<Runtime>;
		}

		#[derive_impl($crate::defaults::balances::BalancesDefaults)]
		impl pallet_balances::Config for Runtime {
			type AccountStore = System;
			type WeightInfo = weights::pallet_balances::WeightInfo<Runtime>;
		}

		#[derive_impl($crate::defaults::timestamp::TimestampDefaults)]
		impl pallet_timestamp::Config for Runtime {
			type OnTimestampSet = Aura;
			type WeightInfo = weights::pallet_timestamp::WeightInfo<Runtime>;
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
			type WeightInfo = GrandpaWeights;
			type MaxAuthorities = frame_support::traits::ConstU32<{ $crate::MAX_AUTHORITIES }>;
			type MaxNominators = frame_support::traits::ConstU32<0>;
			type MaxSetIdSessionEntries = frame_support::traits::ConstU64<0>;
			type KeyOwnerProof = GrandpaKeyOwnerProof;
			type EquivocationReportSystem = GrandpaEquivocationReports;
		}

		#[derive_impl($crate::defaults::transaction_payment::TransactionPaymentDefaults)]
		impl pallet_transaction_payment::Config for Runtime {
			type OnChargeTransaction = pallet_transaction_payment::FungibleAdapter<Balances, ()>;
			type WeightToFee = $crate::WeightToFee;
			type LengthToFee = $crate::LengthToFee;
			type FeeMultiplierUpdate = $crate::FeeMultiplierUpdate<Runtime>;
			type WeightInfo = weights::pallet_transaction_payment::WeightInfo<Runtime>;
		}

		#[derive_impl(pallet_sudo::config_preludes::TestDefaultConfig)]
		impl pallet_sudo::Config for Runtime {
			type WeightInfo = weights::pallet_sudo::WeightInfo<Runtime>;
		}
	};
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
	fn minimum_period_is_half_a_slot_unless_the_genesis_sets_longer_slots() {
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(<MinimumPeriod as Get<u64>>::get() * 2, time::SLOT_DURATION);
			let (key, value) = slot_duration_storage(6_000);
			sp_io::storage::set(&key, &value);
			assert_eq!(<MinimumPeriod as Get<u64>>::get(), 3_000);
		});
	}
}
