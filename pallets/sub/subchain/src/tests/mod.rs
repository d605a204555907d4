//! Unit tests, by topic. Every test that runs through `build_and_execute` checks the
//! invariants (`do_try_state`) after it.

mod genesis;
mod members;
mod meters;

use crate::{self as pallet_subchain, mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::BuildGenesisConfig};
use sp_runtime::{BuildStorage, DispatchError};
