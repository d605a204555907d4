//! Configuration of the parent runtime's pallets. What both layers share comes from
//! `dbm_runtime_common`; only what is the parent's own is set here.

use crate::*;
use dbm_primitives::time::{HOURS, MINUTES};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::Percent;

dbm_runtime_common::impl_base_configs!();

parameter_types! {
	/// An election is confirmed by more than half of a sub-chain's active members.
	pub const ElectionQuorum: Percent = Percent::from_percent(51);
	/// A confirmed committee serves a day.
	pub const ElectionTerm: BlockNumber = 24 * HOURS;
	/// A sub-chain that anchored nothing for a minute has a silent biller.
	pub const MaxAnchorSilence: BlockNumber = MINUTES;
}

/// The registry of sub-chains. Until the membership vote exists, root (sudo) registers
/// sub-chains, manages members and asks for re-elections; election proofs and anchors come
/// from any signed account.
impl pallet_biller_registry::Config for Runtime {
	type Signature = dbm_primitives::Signature;
	type RegistryOrigin = EnsureRoot<AccountId>;
	type MembershipOrigin = EnsureRoot<AccountId>;
	type ElectionOrigin = EnsureRoot<AccountId>;
	type MaxSubchains = ConstU32<16>;
	type MaxMembers = ConstU32<100>;
	type MaxHeaderLen = ConstU32<1_024>;
	type MaxTradesPerAnchor = ConstU32<256>;
	type AnchorWindow = ConstU32<1_200>;
	type EpochLength = ConstU32<1_200>;
	type MaxEpochs = ConstU32<168>;
	type Quorum = ElectionQuorum;
	type TermLength = ElectionTerm;
	type MaxAnchorSilence = MaxAnchorSilence;
	type WeightInfo = pallet_biller_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::RegistryHelper;
}
