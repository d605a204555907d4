//! `dbm-node --dev`: the whole development network in one process.
//!
//! The parent chain and `--subchains N` sub-chains (default 2) run side by side on one tokio
//! runtime. Each chain has its own database under the base path, its own p2p and RPC ports on
//! 127.0.0.1, no mDNS, no telemetry, no prometheus, and log lines prefixed with its name.
//! Ctrl-C stops them all: the sub-chains' task managers are children of the parent's.
//!
//! Each sub-chain runs its relay to the parent (over the parent's WebSocket RPC, as it would
//! across machines), paying from its own development relayer `//Relayer//sub-N`, which the
//! development parent funds; its node keeps the state of finalized blocks for it. `--no-relay`
//! leaves the layers unconnected.

use crate::{chain_spec, cli::Cli, service};
use dbm_primitives::SubchainId;
use dbm_relay::RelayConfig;
use sc_cli::{CliConfiguration, RunCmd, SubstrateCli};
use sc_service::{Configuration, TaskManager};
use std::path::{Path, PathBuf};

/// First RPC port of the network (the parent's); sub-chain N listens on `RPC_PORT + N`.
pub const RPC_PORT: u16 = 9944;
/// First p2p port of the network (the parent's); sub-chain N listens on `P2P_PORT + N`.
pub const P2P_PORT: u16 = 30333;

/// One chain of the development network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainPlan {
	/// Log prefix and node name: `parent`, `sub-1`, ...
	pub label: String,
	/// Chain id for `--chain`.
	pub chain: String,
	/// Database and keystore directory.
	pub base_path: PathBuf,
	/// JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// p2p port on 127.0.0.1.
	pub p2p_port: u16,
}

/// The chains of a network of `subchains` sub-chains whose first ports are `rpc` and `p2p`.
pub fn plan(base: &Path, subchains: u32, rpc: u16, p2p: u16) -> Result<Vec<ChainPlan>, String> {
	if subchains > chain_spec::MAX_DEV_SUBCHAINS {
		return Err(format!(
			"--subchains {subchains}: at most {} sub-chains",
			chain_spec::MAX_DEV_SUBCHAINS
		));
	}
	let offset = |i: u32| -> Result<(u16, u16), String> {
		let i = u16::try_from(i).map_err(|e| e.to_string())?;
		match (rpc.checked_add(i), p2p.checked_add(i)) {
			(Some(r), Some(p)) => Ok((r, p)),
			_ => Err(format!("ports {rpc}/{p2p} + {i} overflow")),
		}
	};
	let mut chains = Vec::new();
	let (rpc_port, p2p_port) = offset(0)?;
	chains.push(ChainPlan {
		label: "parent".into(),
		chain: "parent-dev".into(),
		base_path: base.join("parent"),
		rpc_port,
		p2p_port,
	});
	for n in 1..=subchains {
		let id = SubchainId(n);
		let (rpc_port, p2p_port) = offset(n)?;
		chains.push(ChainPlan {
			label: format!("sub-{id}"),
			chain: format!("sub-{id}"),
			base_path: base.join(format!("sub-{id}")),
			rpc_port,
			p2p_port,
		});
	}
	Ok(chains)
}

/// The node options of one chain of the network: the user's options with the chain, base path,
/// ports and name of `plan`, loopback only, no mDNS, no telemetry, no prometheus.
pub fn run_cmd_for(user: &RunCmd, plan: &ChainPlan) -> Result<RunCmd, String> {
	let mut cmd = user.clone();
	cmd.shared_params.chain = Some(plan.chain.clone());
	cmd.shared_params.base_path = Some(plan.base_path.clone());
	cmd.name = Some(plan.label.clone());
	cmd.rpc_params.rpc_port = Some(plan.rpc_port);
	cmd.network_params.listen_addr = vec![format!("/ip4/127.0.0.1/tcp/{}", plan.p2p_port)
		.parse()
		.map_err(|e| format!("listen address: {e}"))?];
	cmd.network_params.no_mdns = true;
	cmd.telemetry_params.no_telemetry = true;
	cmd.prometheus_params.no_prometheus = true;
	Ok(cmd)
}

/// Starts one chain in the current process, its log lines prefixed with `label`.
#[sc_tracing::logging::prefix_logs_with(label)]
fn start_chain(
	label: &str,
	config: Configuration,
	relay: Option<RelayConfig>,
) -> Result<TaskManager, sc_service::Error> {
	service::start(config, relay)
}

/// The relay of development sub-chain `id` to the parent serving RPC on `parent_rpc_port`.
fn dev_relay(id: SubchainId, parent_rpc_port: u16) -> Result<RelayConfig, String> {
	use sp_core::Pair;
	let suri = dbm_runtime_common::presets::subchain_relayer_uri(id);
	let signer = sp_core::sr25519::Pair::from_string(&suri, None)
		.map_err(|e| format!("relayer {suri}: {e:?}"))?;
	Ok(RelayConfig { parent_rpc: format!("ws://127.0.0.1:{parent_rpc_port}"), signer })
}

/// Runs the whole development network until Ctrl-C.
pub fn run(cli: &Cli) -> sc_cli::Result<()> {
	let base = match &cli.run.shared_params.base_path {
		Some(path) => path.clone(),
		None => std::env::temp_dir().join(format!("dbm-dev-{}", std::process::id())),
	};
	let temporary = cli.run.shared_params.base_path.is_none();
	let rpc = cli.run.rpc_params.rpc_port.unwrap_or(RPC_PORT);
	let p2p = cli.run.network_params.port.unwrap_or(P2P_PORT);
	let plans = plan(&base, cli.subchains, rpc, p2p)?;
	let (parent, subs) = plans.split_first().ok_or("the network has no parent chain")?;

	let runner = cli.create_runner(&run_cmd_for(&cli.run, parent)?)?;
	log::info!(
		"DB-Microgrid development network: the parent chain and {} sub-chain(s), {}{}",
		subs.len(),
		if cli.no_relay { "without relays (--no-relay)" } else { "each relaying to the parent" },
		if cli.demo { ", under the paper's load (--demo)" } else { "" }
	);
	for chain in &plans {
		log::info!(
			"  {:<8} {:<12} rpc ws://127.0.0.1:{}  p2p 127.0.0.1:{}  db {}",
			chain.label,
			chain.chain,
			chain.rpc_port,
			chain.p2p_port,
			chain.base_path.display()
		);
	}

	let demo = cli.demo.then(|| {
		(0..)
			.zip(&plans)
			.map(|(n, chain)| crate::demo::DemoChain {
				label: chain.label.clone(),
				rpc_port: chain.rpc_port,
				subchain: (n > 0).then_some(SubchainId(n)),
			})
			.collect::<Vec<_>>()
	});
	let result = runner.run_node_until_exit(|parent_config| async move {
		let handle = parent_config.tokio_handle.clone();
		let mut task_manager = start_chain(&parent.label, parent_config, None)?;
		for (n, sub) in (1..).zip(subs) {
			let relay = if cli.no_relay {
				None
			} else {
				Some(dev_relay(SubchainId(n), parent.rpc_port).map_err(sc_cli::Error::Input)?)
			};
			let mut config = run_cmd_for(&cli.run, sub)
				.map_err(sc_cli::Error::Input)
				.and_then(|cmd| cmd.create_configuration(cli, handle.clone()))?;
			if relay.is_some() {
				let chosen = cli.run.import_params.pruning_params.state_pruning.is_some();
				dbm_relay::keep_finalized_state(&mut config, chosen);
			}
			task_manager.add_child(start_chain(&sub.label, config, relay)?);
		}
		if let Some(chains) = demo {
			crate::demo::spawn(&task_manager.spawn_handle(), chains);
		}
		Ok::<_, sc_cli::Error>(task_manager)
	});
	if temporary {
		remove_for_good(&base);
	}
	result
}

/// Removes the directory `base` and keeps removing it for a moment: a database's background
/// thread may still write a last file into it after the chains stopped.
fn remove_for_good(base: &Path) {
	let mut gone_since = None;
	for _ in 0..50 {
		if base.exists() {
			let _ = std::fs::remove_dir_all(base);
			gone_since = None;
		} else if gone_since.get_or_insert_with(std::time::Instant::now).elapsed()
			> std::time::Duration::from_millis(300)
		{
			return;
		}
		std::thread::sleep(std::time::Duration::from_millis(50));
	}
}
