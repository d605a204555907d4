//! The node's tests, in one test binary: real `dbm-node` processes on 127.0.0.1 (the harness
//! in [`common`]), a module per flow, and the in-process checks of the node's services
//! (`chain_spec`, `consensus`, `genesis`). One binary links the node's services once for all of them.
//!
//! Run one flow with `cargo test --release -p dbm-node --test node <module>`, e.g.
//! `cargo test --release -p dbm-node --test node finality_recovery -- --nocapture`.

mod common;

mod anchor_attacks;
mod chain_spec;
mod committee_recovery;
mod consensus;
mod dbsca_election;
mod delivery;
mod demo;
mod dev_network;
mod energy_trade;
mod equivocation;
mod finality_recovery;
mod forwarding;
mod genesis;
mod parent_authorities;
mod parent_light_client;
mod parent_node;
mod relay;
mod seal_equivocation;
mod subchain_validators;
