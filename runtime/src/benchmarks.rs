//! The pallets `dbm-node benchmark pallet` can measure on the parent runtime.

use crate::{AllPalletsWithSystem, Balances, Runtime, Sudo, Timestamp, TransactionPayment};

dbm_runtime_common::define_runtime_benchmarks!();
