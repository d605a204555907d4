//! The runtime APIs of the parent chain: those every DB-Microgrid chain has (see
//! `dbm_runtime_common::impl_runtime_apis_with_base`); the parent's own come with its pallets.

use crate::{Block, Runtime};

dbm_runtime_common::impl_runtime_apis_with_base! {}
