//! Dispatches the command line to the node, the chain-maintenance commands and the benchmarks.

use crate::{
	chain_spec::{self, Extensions, Layer},
	cli::{Cli, Subcommand},
	dev_network, service,
};
use dbm_parent_runtime::apis::RuntimeApi as ParentRuntimeApi;
use dbm_primitives::Block;
use dbm_sub_runtime::apis::RuntimeApi as SubRuntimeApi;
use frame_benchmarking_cli::BenchmarkCmd;
use futures::FutureExt;
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;

/// Runs `$body` with `$api` bound to the runtime API type of the chain `$config` describes.
/// Both arms must have one type: futures in `$body` are boxed.
macro_rules! with_runtime_api {
	($config:expr, $api:ident => $body:expr) => {
		match Extensions::of(&*$config.chain_spec).layer {
			Layer::Parent => {
				type $api = ParentRuntimeApi;
				$body
			}
			Layer::Sub => {
				type $api = SubRuntimeApi;
				$body
			}
		}
	};
}

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"DB-Microgrid Node".into()
	}

	fn impl_version() -> String {
		VERSION.get().copied().unwrap_or(env!("CARGO_PKG_VERSION")).into()
	}

	fn description() -> String {
		"DB-Microgrid node: runs the parent chain or a sub-chain, and the whole development network."
			.into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/db-microgrid/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		chain_spec::load(id, self.subchains)
	}
}

/// The version string the binary was built with (its crate version and commit), set once by
/// [`run`]; the services are compiled without it, so a new commit never recompiles them.
static VERSION: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// Runs what the command line asks for; `version` is what `--version` prints.
pub fn run(version: &'static str) -> sc_cli::Result<()> {
	let _ = VERSION.set(version);
	let mut cli = Cli::from_args();
	if !given_on_the_command_line("pool_type") {
		cli.run.pool_config.pool_type = DEFAULT_POOL_TYPE;
	}

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let spec = cli.load_spec(&cmd.chain)?;
			cmd.run(spec)
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				with_runtime_api!(config, Api => {
					let PartialComponents { client, task_manager, import_queue, .. } =
						service::new_partial::<Api>(&config)?;
					Ok((cmd.run(client, import_queue).boxed_local(), task_manager))
				})
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				with_runtime_api!(config, Api => {
					let PartialComponents { client, task_manager, .. } =
						service::new_partial::<Api>(&config)?;
					Ok((cmd.run(client, config.database).boxed_local(), task_manager))
				})
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				with_runtime_api!(config, Api => {
					let PartialComponents { client, task_manager, .. } =
						service::new_partial::<Api>(&config)?;
					Ok((cmd.run(client, config.chain_spec).boxed_local(), task_manager))
				})
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				with_runtime_api!(config, Api => {
					let PartialComponents { client, task_manager, import_queue, .. } =
						service::new_partial::<Api>(&config)?;
					Ok((cmd.run(client, import_queue).boxed_local(), task_manager))
				})
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				with_runtime_api!(config, Api => {
					let PartialComponents { client, task_manager, backend, .. } =
						service::new_partial::<Api>(&config)?;
					let aux_revert = Box::new(|client, _, blocks| {
						sc_consensus_grandpa::revert(client, blocks)?;
						Ok(())
					});
					Ok((cmd.run(client, backend, Some(aux_revert)).boxed_local(), task_manager))
				})
			})
		}
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| benchmark(cmd, config))
		}
		Some(Subcommand::ElectionTable(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		}
		None if cli.run.shared_params.dev && cli.run.shared_params.chain.is_none() => {
			dev_network::run(&cli)
		}
		None if cli.demo => Err(sc_cli::Error::Input(
			"--demo runs on the whole development network: use it with --dev and no --chain".into(),
		)),
		None => {
			let mut runner = cli.create_runner(&cli.run)?;
			let spec = &runner.config().chain_spec;
			let subchain = crate::chain_spec::Extensions::of(&**spec).subchain_id;
			let relay = relay_config(&cli, spec.chain_type(), subchain)?;
			if relay.is_some() {
				let chosen = cli.run.import_params.pruning_params.state_pruning.is_some();
				dbm_relay::keep_finalized_state(runner.config_mut(), chosen);
			}
			runner.run_node_until_exit(|config| async move {
				service::start(config, relay).map_err(sc_cli::Error::Service)
			})
		}
	}
}

/// The transaction pool a node runs unless `--pool-type` says otherwise: the single-state pool.
/// With GRANDPA finalizing every block as soon as it is imported, the SDK's default fork-aware
/// pool loses transactions under a backlog deeper than a block: measured with `dbm-bench`
/// (transfers, 1,024 waiting), it turned the rest of every sender's queue into `future`
/// transactions after a few blocks and included nothing more, while the single-state pool
/// carried 889 transfers a second with none lost (`docs/finality.md`). The chains have known
/// authorities and next to no forks, which is what the single-state pool is made for.
pub const DEFAULT_POOL_TYPE: sc_cli::TransactionPoolType = sc_cli::TransactionPoolType::SingleState;

/// Whether the argument `id` of the node's command line was given there, not defaulted.
fn given_on_the_command_line(id: &str) -> bool {
	use clap::CommandFactory;
	Cli::command()
		.try_get_matches()
		.ok()
		.and_then(|matches| matches.value_source(id))
		.is_some_and(|source| source == clap::parser::ValueSource::CommandLine)
}

/// The relay `--parent-rpc` and `--relayer` ask for, on a chain of type `chain_type` whose
/// spec names sub-chain `subchain`.
fn relay_config(
	cli: &Cli,
	chain_type: sc_service::ChainType,
	subchain: Option<dbm_primitives::SubchainId>,
) -> sc_cli::Result<Option<dbm_relay::RelayConfig>> {
	use sc_service::ChainType;
	use sp_core::Pair;
	let Some(url) = &cli.parent_rpc else { return Ok(None) };
	if !(url.starts_with("ws://") || url.starts_with("wss://")) {
		return Err(sc_cli::Error::Input(format!(
			"--parent-rpc {url}: expected a WebSocket URL (ws://... or wss://...)"
		)));
	}
	let suri = match (&cli.relayer, chain_type) {
		(Some(suri), _) => suri.clone(),
		(None, ChainType::Development | ChainType::Local) => match subchain {
			Some(id) => dbm_runtime_common::presets::subchain_relayer_uri(id),
			None => dbm_runtime_common::presets::DEV_RELAYER_URI.to_string(),
		},
		(None, _) => return Err(sc_cli::Error::Input(
			"--parent-rpc on a live chain needs --relayer <secret URI> to pay the parent's fees"
				.into(),
		)),
	};
	let signer = sp_core::sr25519::Pair::from_string(&suri, None)
		.map_err(|e| sc_cli::Error::Input(format!("--relayer: not a valid secret URI: {e:?}")))?;
	Ok(Some(dbm_relay::RelayConfig { parent_rpc: url.clone(), signer }))
}

/// `dbm-node benchmark ...`.
#[cfg(feature = "runtime-benchmarks")]
fn benchmark(cmd: &BenchmarkCmd, config: sc_service::Configuration) -> sc_cli::Result<()> {
	match cmd {
		BenchmarkCmd::Pallet(cmd) => cmd
			.run_with_spec::<sp_runtime::traits::HashingFor<Block>, service::HostFunctions>(Some(
				config.chain_spec,
			)),
		BenchmarkCmd::Overhead(cmd) => cmd
			.run_with_default_builder_and_spec::<Block, service::HostFunctions>(Some(
				config.chain_spec,
			)),
		BenchmarkCmd::Machine(cmd) => {
			cmd.run(&config, frame_benchmarking_cli::SUBSTRATE_REFERENCE_HARDWARE.clone())
		}
		// The read and write times of the chain's own state, from its database at `--base-path`.
		BenchmarkCmd::Storage(cmd) => with_runtime_api!(config, Api => {
			let PartialComponents { client, backend, .. } = service::new_partial::<Api>(&config)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_trie_cache = backend.expose_shared_trie_cache();
			cmd.run(config, client, db, storage, shared_trie_cache)
		}),
		BenchmarkCmd::Block(_) | BenchmarkCmd::Extrinsic(_) => {
			Err("`dbm-node benchmark` supports `pallet`, `overhead`, `storage` and `machine`"
				.into())
		}
	}
}

/// `dbm-node benchmark ...` in a build without the `runtime-benchmarks` feature.
#[cfg(not(feature = "runtime-benchmarks"))]
fn benchmark(_: &BenchmarkCmd, _: sc_service::Configuration) -> sc_cli::Result<()> {
	Err("this dbm-node was built without the `runtime-benchmarks` feature".into())
}
