//! The pallets `dbm-node benchmark pallet` can measure on the sub-chain runtime.

use crate::{AllPalletsWithSystem, Balances, Runtime, Sudo, Timestamp, TransactionPayment};

dbm_runtime_common::define_runtime_benchmarks!();
