//! `dbm-node`: the DB-Microgrid node.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
#[cfg(test)]
mod consensus_tests;
mod dbsca_rpc;
mod delivery;
mod demo;
mod dev_network;
mod energy_rpc;
mod extrinsic;
mod relay;
mod rpc;
mod service;

fn main() {
	if let Err(error) = command::run() {
		// One line, no backtrace: bad input is the user's to fix, not a crash.
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
