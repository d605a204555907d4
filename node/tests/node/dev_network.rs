//! `dbm-node --dev`: the parent chain and its sub-chains in one process.

use crate::common;

use common::{free_port_range, wait_for, Rpc, TestNode};
use dbm_primitives::{
	membership::MemberInfo,
	registry::{AnchorHead, SubchainInfo},
	AccountId, BlockNumber, SubchainId,
};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn dev_network_runs_the_parent_and_two_sub_chains_in_one_process() {
	let _timer = crate::common::timer();
	let rpc = free_port_range(3);
	let p2p = free_port_range(3);
	let args = ["--dev", "--rpc-port", &rpc.to_string(), "--port", &p2p.to_string()]
		.map(String::from)
		.to_vec();
	let mut node = TestNode::spawn("dev-network", args, rpc);
	let chains: Vec<Rpc> = (0..3).map(|i| Rpc { port: rpc + i }).collect();

	for chain in &chains {
		chain.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	}
	for chain in &chains {
		chain
			.wait_for_blocks(3, 3, Duration::from_secs(180))
			.await
			.unwrap_or_else(|e| node.fail(e));
	}

	let spec = |c: &Rpc| {
		let c = c.clone();
		async move { c.call("state_getRuntimeVersion", vec![]).await.map(|v| v["specName"].clone()) }
	};
	assert_eq!(spec(&chains[0]).await.unwrap_or_else(|e| node.fail(e)), "dbm-parent");
	assert_eq!(spec(&chains[1]).await.unwrap_or_else(|e| node.fail(e)), "dbm-sub");
	assert_eq!(spec(&chains[2]).await.unwrap_or_else(|e| node.fail(e)), "dbm-sub");

	// Each sub-chain knows its id (SubchainApi_subchain_id returns a SCALE Option<u32>) ...
	for (n, chain) in chains.iter().enumerate().skip(1) {
		let id = chain
			.call("state_call", vec!["SubchainApi_subchain_id".into(), "0x".into()])
			.await
			.unwrap_or_else(|e| node.fail(e));
		let expected = format!("0x01{:02x}000000", n);
		assert_eq!(id, serde_json::Value::String(expected));
	}
	// ... and no two chains share a genesis.
	let mut genesis = Vec::new();
	for chain in &chains {
		genesis.push(chain.block_hash(0).await.unwrap_or_else(|e| node.fail(e)));
	}
	let mut distinct = genesis.clone();
	distinct.sort();
	distinct.dedup();
	assert_eq!(distinct.len(), 3, "chains share a genesis hash");

	// The parent's genesis registers both sub-chains with the genesis hashes they really have,
	// and each with its own members.
	type Registered = Vec<(SubchainId, SubchainInfo<BlockNumber>)>;
	let registered: Registered =
		chains[0].runtime_call("RegistryApi_subchains", ()).await.unwrap_or_else(|e| node.fail(e));
	assert_eq!(registered.iter().map(|(id, _)| id.0).collect::<Vec<_>>(), vec![1, 2]);
	for (id, info) in &registered {
		let hash = &genesis[id.0 as usize];
		assert_eq!(&format!("{:?}", info.genesis_hash), hash, "sub-chain {id}'s genesis hash");
		let members: Vec<(AccountId, MemberInfo)> = chains[0]
			.runtime_call("RegistryApi_members", *id)
			.await
			.unwrap_or_else(|e| node.fail(e));
		assert_eq!(members.len(), 10, "sub-chain {id}'s members");
	}

	// Each sub-chain's relay anchors its finalized blocks on the parent, as the sub-chain has
	// them.
	for (n, chain) in chains.iter().enumerate().skip(1) {
		let id = SubchainId(n as u32);
		let head = wait_for("anchors of both sub-chains", Duration::from_secs(120), || async {
			let head: Option<AnchorHead<BlockNumber>> =
				chains[0].runtime_call("RegistryApi_last_anchor", id).await.ok().flatten();
			head.filter(|head| head.number >= 2)
		})
		.await;
		let ours = chain.block_hash(head.number.into()).await.unwrap_or_else(|e| node.fail(e));
		assert_eq!(format!("{:?}", head.hash), ours, "sub-chain {id}'s anchor");
	}

	// The log prefixes each chain's lines with its name, and the start-up lists the ports.
	let log = node.log();
	for label in ["[parent]", "[sub-1]", "[sub-2]"] {
		assert!(log.contains(label), "no {label} lines in the log");
	}
	assert!(log.contains(&format!("rpc ws://127.0.0.1:{}", rpc + 2)), "ports not printed");

	let status = node.stop(Duration::from_secs(60));
	if !status.success() {
		node.fail(format!("exited with {status}"));
	}
}

/// The network `--dev` plans, without starting it.
mod plan {
	use dbm_service::dev_network::{plan, run_cmd_for};
	use sc_cli::RunCmd;
	use std::path::Path;

	#[test]
	fn plan_gives_each_chain_its_own_ports_and_directory() {
		let plans = plan(Path::new("/b"), 2, 9944, 30333).unwrap();
		let labels: Vec<_> = plans.iter().map(|p| p.label.as_str()).collect();
		assert_eq!(labels, ["parent", "sub-1", "sub-2"]);
		assert_eq!(plans[2].rpc_port, 9946);
		assert_eq!(plans[2].p2p_port, 30335);
		assert_eq!(plans[1].base_path, Path::new("/b/sub-1"));
		assert_eq!(plans[1].chain, "sub-1");
	}

	#[test]
	fn plan_refuses_too_many_sub_chains_and_port_overflow() {
		assert!(plan(Path::new("/b"), 17, 9944, 30333).is_err());
		assert!(plan(Path::new("/b"), 2, u16::MAX, 30333).is_err());
		assert_eq!(plan(Path::new("/b"), 0, 9944, 30333).unwrap().len(), 1);
	}

	#[test]
	fn chain_options_are_loopback_only_and_quiet() {
		use clap::Parser;
		let user = RunCmd::parse_from(["dbm-node", "--dev"]);
		let plans = plan(Path::new("/b"), 1, 9944, 30333).unwrap();
		let cmd = run_cmd_for(&user, &plans[1]).unwrap();
		assert_eq!(cmd.shared_params.chain.as_deref(), Some("sub-1"));
		assert_eq!(cmd.rpc_params.rpc_port, Some(9945));
		assert_eq!(cmd.network_params.listen_addr[0].to_string(), "/ip4/127.0.0.1/tcp/30334");
		assert!(cmd.network_params.no_mdns);
		assert!(cmd.telemetry_params.no_telemetry);
		assert!(cmd.prometheus_params.no_prometheus);
	}
}
