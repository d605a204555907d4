//! The pallets `dbm-node benchmark pallet` can measure on the parent runtime.

dbm_runtime_common::define_runtime_benchmarks!();
