//! Weights generated for this runtime by `make weights` (`dbm-node benchmark pallet`).

pub mod pallet_balances;
pub mod pallet_membership_voting;
