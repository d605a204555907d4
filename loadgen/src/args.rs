//! The command line of `dbm-bench`.

use clap::{Parser, ValueEnum};
use std::{path::PathBuf, str::FromStr};

/// How the chains under load are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Layout {
	/// One chain (`--chain`), one node process.
	Chain,
	/// The double layer: the development parent and `--subchains` sub-chains, each its own
	/// node process, each sub-chain relaying to the parent. The load goes to the sub-chains.
	Double,
}

/// What the load is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Workload {
	/// `Balances::transfer_keep_alive` between funded bench accounts, pre-signed.
	Transfer,
	/// Energy trading between a sub-chain's members: each takes one Wh-sized slice of another
	/// member's open supply (`accept_offer`) and, once the trade is in a block, confirms its
	/// delivery (`confirm_delivery`), which settles it.
	Energy,
}

/// How fast the load is offered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rate {
	/// As fast as the chain takes it: a new transaction whenever fewer than `--backlog` are
	/// waiting for a block.
	Max,
	/// This many transactions per second, per chain under load.
	PerSecond(f64),
}

impl FromStr for Rate {
	type Err = String;
	fn from_str(s: &str) -> Result<Self, String> {
		if s == "max" {
			return Ok(Rate::Max);
		}
		match s.parse::<f64>() {
			Ok(rate) if rate > 0.0 && rate.is_finite() => Ok(Rate::PerSecond(rate)),
			_ => Err(format!("`{s}` is not a rate: expected `max` or transactions per second > 0")),
		}
	}
}

impl std::fmt::Display for Rate {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Rate::Max => f.write_str("max"),
			Rate::PerSecond(rate) => write!(f, "{rate}"),
		}
	}
}

/// The command line.
#[derive(Clone, Debug, Parser)]
#[command(
	name = "dbm-bench",
	version,
	about = "Load generator of DB-Microgrid: starts dbm-node processes on 127.0.0.1, loads them \
	         and reports TPS, latencies, drops, CPU and memory."
)]
pub struct Args {
	/// One chain, or the double layer (parent and sub-chains).
	#[arg(long, value_enum, default_value_t = Layout::Chain)]
	pub layout: Layout,
	/// The chain of `--layout chain`: a built-in id of `dbm-node` (`sub-dev`, `sub-dev-6s`,
	/// `single-100`, `sub-<N>`, `parent-dev`).
	#[arg(long, default_value = "sub-dev")]
	pub chain: String,
	/// How many validator processes `--layout chain` runs: 1 (a development chain, the
	/// default), or 3 or 4 of a `sub-<N>-local` chain, whose genesis has four authorities (Alice,
	/// Bob, Charlie, Dave; GRANDPA needs three of them). The load goes to the first.
	#[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4))]
	pub validators: u32,
	/// How many sub-chains `--layout double` runs (1 to 16).
	#[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=16))]
	pub subchains: u32,
	/// What the load is made of.
	#[arg(long, value_enum, default_value_t = Workload::Transfer)]
	pub workload: Workload,
	/// Transactions per second per chain under load, or `max`.
	#[arg(long, default_value = "max")]
	pub rate: Rate,
	/// Seconds the load is offered (the measured window).
	#[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
	pub duration: u64,
	/// Seconds to wait after the window for the last transactions to be included and
	/// finalized.
	#[arg(long, default_value_t = 30)]
	pub settle: u64,
	/// Bench accounts per chain of the transfer workload.
	#[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(2..=4096))]
	pub accounts: u32,
	/// How many of each chain's members trade in the energy workload (all by default).
	#[arg(long)]
	pub members: Option<usize>,
	/// `--rate max`: the most transactions per chain submitted and not yet in a block.
	#[arg(long, default_value_t = 2048)]
	pub backlog: usize,
	/// Seconds after which a transaction the node accepted and no block holds is given up on:
	/// counted as lost, no longer waiting, and its signer's nonce read again (a lost energy
	/// trader goes on from the node's nonce; a pre-signed transfer account cannot).
	#[arg(long, default_value_t = 30)]
	pub lost_after: u64,
	/// The most transfers pre-signed per chain for `--rate max` (the window must not run out).
	#[arg(long, default_value_t = 1_500)]
	pub max_tps: u32,
	/// Directory for the results: `summary.csv`, `txs.csv`, `blocks.csv`, `nodes.csv`,
	/// `errors.csv`, and the nodes' logs in `logs/`.
	#[arg(long)]
	pub out: Option<PathBuf>,
	/// Name of the run in the results (default: layout, chain and workload).
	#[arg(long)]
	pub label: Option<String>,
	/// The `dbm-node` binary (default: the one next to `dbm-bench`).
	#[arg(long)]
	pub node: Option<PathBuf>,
	/// No progress line, only the summary.
	#[arg(long)]
	pub quiet: bool,
	/// Keep each node's database after the run, in `<DIR>/<node>` (`sub-dev`, `parent`,
	/// `sub-1`, ...): a loaded chain's state for `dbm-node benchmark storage --base-path`.
	#[arg(long, value_name = "DIR")]
	pub keep_databases: Option<PathBuf>,
}

impl Args {
	/// Refuses combinations the command line's bounds cannot express.
	pub fn check(&self) -> Result<(), String> {
		if self.validators > 1 {
			if self.layout != Layout::Chain {
				return Err("--validators is for --layout chain".into());
			}
			if !self.chain.ends_with("-local") {
				return Err(format!(
					"--validators {} needs a chain with four authorities (sub-<N>-local), not {}",
					self.validators, self.chain
				));
			}
			if self.validators < 3 {
				return Err(format!(
					"--validators {}: GRANDPA finalizes nothing with fewer than three of the \
					 four authorities",
					self.validators
				));
			}
		}
		Ok(())
	}

	/// The run's name in the results.
	pub fn label(&self) -> String {
		self.label.clone().unwrap_or_else(|| {
			let workload = match self.workload {
				Workload::Transfer => "transfer",
				Workload::Energy => "energy",
			};
			match self.layout {
				Layout::Chain if self.validators > 1 => {
					format!("{}-{}v-{workload}", self.chain, self.validators)
				}
				Layout::Chain => format!("{}-{workload}", self.chain),
				Layout::Double => format!("double-{}-{workload}", self.subchains),
			}
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn rates_parse_and_bad_ones_are_refused() {
		assert_eq!("max".parse::<Rate>(), Ok(Rate::Max));
		assert_eq!("85.5".parse::<Rate>(), Ok(Rate::PerSecond(85.5)));
		for bad in ["0", "-3", "fast", "inf"] {
			let error = bad.parse::<Rate>().unwrap_err();
			assert!(error.contains("not a rate"), "{error}");
		}
	}

	#[test]
	fn the_command_line_checks_its_bounds() {
		assert!(Args::try_parse_from(["dbm-bench", "--subchains", "17"]).is_err());
		assert!(Args::try_parse_from(["dbm-bench", "--duration", "0"]).is_err());
		assert!(Args::try_parse_from(["dbm-bench", "--accounts", "1"]).is_err());
		let args = Args::try_parse_from(["dbm-bench", "--workload", "energy"]).unwrap();
		assert_eq!(args.label(), "sub-dev-energy");
		assert_eq!(args.rate, Rate::Max);
		assert!(Args::try_parse_from(["dbm-bench", "--validators", "5"]).is_err());
	}

	#[test]
	fn validators_need_a_local_chain_and_a_grandpa_quorum() {
		let parse = |extra: &[&str]| {
			let mut argv = vec!["dbm-bench"];
			argv.extend_from_slice(extra);
			Args::try_parse_from(argv).unwrap()
		};
		assert_eq!(parse(&[]).check(), Ok(()));
		let four = parse(&["--chain", "sub-1-local", "--validators", "4"]);
		assert_eq!(four.check(), Ok(()));
		assert_eq!(four.label(), "sub-1-local-4v-transfer");
		let error = parse(&["--validators", "4"]).check().unwrap_err();
		assert!(error.contains("four authorities"), "{error}");
		let error = parse(&["--chain", "sub-1-local", "--validators", "2"]).check().unwrap_err();
		assert!(error.contains("fewer than three"), "{error}");
		let error = parse(&["--layout", "double", "--validators", "4"]).check().unwrap_err();
		assert!(error.contains("--layout chain"), "{error}");
	}
}
