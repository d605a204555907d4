//! Configuration of the sub-chain runtime's pallets. What both layers share comes from
//! `dbm_runtime_common`; only what is the sub-chain's own is set here.

use crate::*;
use frame_support::derive_impl;

dbm_runtime_common::impl_base_configs!();

impl pallet_subchain::Config for Runtime {}
