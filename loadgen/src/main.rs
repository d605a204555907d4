//! `dbm-bench`, the binary of `dbm-loadgen`: the load generator of DB-Microgrid's experiments.
//! (Not FRAME weight benchmarking: that is `dbm-node benchmark pallet`.)
//!
//! It starts real `dbm-node` processes on 127.0.0.1 (one chain, or the double layer: a parent
//! and its sub-chains, each its own process, relaying), prepares the accounts a workload
//! needs, signs the load with the node's own transaction builder and submits it over
//! JSON-RPC at a fixed rate or as fast as the chains take it. It follows every chain's new and
//! finalized heads and matches the blocks' extrinsics with what it sent, so each transaction
//! gets its time to in-block and to finalized and its outcome (the block's events). At the end
//! it reports, per chain and for all of them: sustained TPS, latency percentiles, drops,
//! failures, blocks, and the CPU and memory of each node process.
//!
//! ```text
//! dbm-bench --chain sub-dev --workload transfer --rate max --duration 60 --out results/transfer
//! dbm-bench --layout double --subchains 10 --workload energy --rate max --duration 60
//! ```

#![warn(missing_docs)]

mod args;
mod client;
mod load;
mod nodes;
mod report;
mod tracker;
mod workload;

use clap::Parser;

fn main() {
	let args = args::Args::parse();
	if let Err(error) = args.check() {
		eprintln!("dbm-bench: {error}");
		std::process::exit(2);
	}
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(error) => {
			eprintln!("dbm-bench: no async runtime: {error}");
			std::process::exit(1);
		}
	};
	match runtime.block_on(load::run(args)) {
		Ok(summary) => print!("{summary}"),
		Err(error) => {
			eprintln!("dbm-bench: {error}");
			std::process::exit(1);
		}
	}
}
