//! The pallets `dbm-node benchmark pallet` can measure on the sub-chain runtime.

dbm_runtime_common::define_runtime_benchmarks!();
