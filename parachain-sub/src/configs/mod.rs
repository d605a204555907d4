//! Configuration of the sub-chain runtime's pallets. What both layers share comes from
//! `dbm_runtime_common`; only what is the sub-chain's own is set here.

use crate::{
	Aura, Balances, Block, PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason,
	RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System, VERSION,
};
use frame_support::{derive_impl, parameter_types};

parameter_types! {
	/// The runtime's version, for `frame_system`.
	pub const Version: sp_version::RuntimeVersion = VERSION;
}

#[derive_impl(dbm_runtime_common::defaults::system::SystemDefaults)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type Version = Version;
}

#[derive_impl(dbm_runtime_common::defaults::balances::BalancesDefaults)]
impl pallet_balances::Config for Runtime {
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
}

dbm_runtime_common::impl_base_configs!();

impl pallet_subchain::Config for Runtime {}
