//! Unit tests, by topic. Every test runs through `ExtBuilder::build_and_execute`, which checks
//! the pallet's invariants (`do_try_state`), every account's escrow and total issuance after
//! it.

mod accept;
mod expiry;
mod extension;
mod metering;
mod offers;
mod prices;
mod properties;
mod settlement;
