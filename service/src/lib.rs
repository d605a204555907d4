//! `dbm-service`: the DB-Microgrid node, as a library the `dbm-node` binary runs.
//!
//! Its one job is running chains: a node of the parent chain or of a sub-chain
//! ([`service`]), chosen by its chain spec ([`chain_spec`], built-in specs by layer), driven by
//! the command line ([`cli`], [`command`]); the whole development network in one process
//! ([`dev_network`]) and the paper's load on it ([`demo`]). A sub-chain node relays to its
//! parent with `dbm-relay`; its custom JSON-RPC comes from `dbm-node-rpc`. Its tests are the
//! `dbm-node` package's (`node/tests/node`).

#![warn(missing_docs)]

pub mod chain_spec;
pub mod cli;
pub mod command;
pub mod demo;
pub mod dev_network;
pub mod full_client;
pub mod layer;
pub mod meters;
pub mod recovery;
pub mod service;
