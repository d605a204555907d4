//! Unit tests, by topic. Every test runs through `ExtBuilder::build_and_execute`, which checks
//! the pallet's invariants (`do_try_state`) after it.

mod candidates;
mod config;
mod enactment;
mod equivocations;
mod genesis;
mod hooks;
mod keys;
mod leaving;
mod rounds;
