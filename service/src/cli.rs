//! Command-line interface of `dbm-node`.

/// Sub-commands besides running a node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys into a node's keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Print a chain specification (`--raw` for the storage form).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification to a file or stdout.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a block as a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove a chain's database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Measure pallet weights (`benchmark pallet`), block and extrinsic overhead
	/// (`benchmark overhead`) and this machine (`benchmark machine`).
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Information about the database.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Print the DBSCA biller election over the paper's 100-node table (or a table of your
	/// own) for any weights and group size.
	ElectionTable(ElectionTableCmd),
}

/// `dbm-node election-table`.
#[derive(Debug, clap::Args)]
pub struct ElectionTableCmd {
	/// Weights in whole percent, in the order renewable,environmental,cost,stable; they
	/// must sum to 100.
	#[arg(long, default_value = "20,30,40,10")]
	pub weights: String,

	/// Nodes per group; groups are formed by serial number.
	#[arg(long, default_value_t = 10)]
	pub group_size: usize,

	/// A table in the paper's CSV format (`number,renewable,environmental,cost,stable,count`)
	/// instead of the paper's own.
	#[arg(long)]
	pub csv: Option<std::path::PathBuf>,
}

impl ElectionTableCmd {
	/// Prints the table.
	pub fn run(&self) -> Result<(), String> {
		use dbm_primitives::{dbsca::ScoreWeights, paper};
		let numbers: Vec<u32> = self
			.weights
			.split(',')
			.map(|w| w.trim().parse::<u32>())
			.collect::<Result<_, _>>()
			.map_err(|e| format!("--weights {}: {e}", self.weights))?;
		let [renewable, environmental, cost, stable] = numbers[..] else {
			return Err(format!("--weights {}: expected four percentages", self.weights));
		};
		let weights = ScoreWeights::from_percent(renewable, environmental, cost, stable);
		let text = match &self.csv {
			Some(path) => std::fs::read_to_string(path)
				.map_err(|e| format!("--csv {}: {e}", path.display()))?,
			None => paper::PAPER_CSV.to_string(),
		};
		let nodes = paper::parse_csv(&text)?;
		let elections = paper::elect_groups(&nodes, &weights, self.group_size)?;
		print!("{}", paper::render(&elections, &weights, self.group_size));
		Ok(())
	}
}

/// `dbm-node [SUBCOMMAND] [OPTIONS]`.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	/// A sub-command instead of running a node.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of a running node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// How many development sub-chains (0 to 16) the development network runs next to the
	/// parent chain (`--dev` without `--chain`), and `parent-dev` registers at genesis (also
	/// after a sub-command, e.g. `build-spec --chain parent-dev --subchains 3`).
	#[arg(long, global = true, default_value_t = crate::chain_spec::DEFAULT_DEV_SUBCHAINS, value_parser = clap::value_parser!(u32).range(0..=crate::chain_spec::MAX_DEV_SUBCHAINS as i64))]
	pub subchains: u32,

	/// On a sub-chain node: the parent chain's JSON-RPC WebSocket URL (e.g.
	/// `ws://127.0.0.1:9944`). The node then relays its sub-chain to the parent: it anchors
	/// every finalized block. Unless `--state-pruning` says otherwise, such a node keeps the
	/// state of every finalized block (`archive-canonical`), from which it reads the trades.
	#[arg(long, value_name = "WS_URL")]
	pub parent_rpc: Option<String>,

	/// The account (secret URI, e.g. `//Relayer` or a mnemonic phrase) that signs and pays for
	/// the relay's transactions on the parent. Defaults to `//Relayer//sub-<id>` on
	/// development and local chains, whose parents fund it; required on any other.
	#[arg(long, value_name = "SURI", requires = "parent_rpc")]
	pub relayer: Option<String>,

	/// With `--dev`: run the chains without the sub-chains' relays (nothing is anchored or
	/// carried between the layers unless someone submits it).
	#[arg(long)]
	pub no_relay: bool,

	/// With `--dev`: put the network under a load built from the paper's 100 nodes (each
	/// sub-chain's members trade and elect their biller) and report every chain's progress
	/// every few seconds.
	#[arg(long)]
	pub demo: bool,
}
