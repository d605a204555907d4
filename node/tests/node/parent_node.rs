//! The parent chain node, started as a real process on loopback.

use crate::common;

use common::{free_port, node_binary, TestNode};
use std::{process::Command, time::Duration};

#[tokio::test(flavor = "multi_thread")]
async fn parent_node_produces_and_finalizes_blocks_and_serves_rpc() {
	let _timer = crate::common::timer();
	let mut node = TestNode::start("parent-dev", &["--dev", "--chain", "parent-dev"]);
	let rpc = node.rpc();
	rpc.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	rpc.wait_for_blocks(3, 3, Duration::from_secs(120)).await.unwrap_or_else(|e| node.fail(e));

	let name = rpc.call("system_name", vec![]).await.unwrap_or_else(|e| node.fail(e));
	assert_eq!(name, "DB-Microgrid Node");

	let version =
		rpc.call("state_getRuntimeVersion", vec![]).await.unwrap_or_else(|e| node.fail(e));
	assert_eq!(version["specName"], "dbm-parent");
	assert!(version["specVersion"].as_u64().unwrap_or(0) >= 100);

	let metadata = rpc.call("state_getMetadata", vec![]).await.unwrap_or_else(|e| node.fail(e));
	let metadata = metadata.as_str().unwrap_or_default();
	// SCALE-encoded metadata starts with the magic number "meta".
	assert!(metadata.starts_with("0x6d657461"), "unexpected metadata prefix");
	assert!(metadata.len() > 10_000, "metadata is suspiciously small");
	// The single-state transaction pool unless `--pool-type` says otherwise.
	assert!(node.log().contains("txpool_type=SingleState"), "not the single-state pool");

	let status = node.stop(Duration::from_secs(30));
	if !status.success() {
		node.fail(format!("exited with {status}"));
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pool_type_can_still_be_chosen() {
	let _timer = crate::common::timer();
	let node = TestNode::start(
		"parent-dev-fork-aware",
		&["--dev", "--chain", "parent-dev", "--pool-type", "fork-aware"],
	);
	let rpc = node.rpc();
	rpc.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	// The log reaches its file a moment after the node answers.
	let start = std::time::Instant::now();
	while !node.log().contains("txpool_type=") && start.elapsed() < Duration::from_secs(10) {
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	assert!(node.log().contains("txpool_type=ForkAware"), "--pool-type fork-aware ignored");
}

fn run_and_expect_one_line_error(args: &[&str], expected: &str) {
	let out = Command::new(node_binary()).args(args).output().expect("dbm-node runs");
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(!out.status.success(), "exit status {} for {args:?}", out.status);
	assert!(!stderr.contains("panicked"), "panic for {args:?}:\n{stderr}");
	assert!(!stderr.to_lowercase().contains("backtrace"), "backtrace for {args:?}:\n{stderr}");
	let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
	assert_eq!(lines.len(), 1, "expected one line for {args:?}, got:\n{stderr}");
	assert!(lines[0].starts_with("Error: "), "{stderr}");
	assert!(lines[0].contains(expected), "{stderr}");
}

#[test]
fn unknown_chain_is_a_one_line_error() {
	run_and_expect_one_line_error(&["--chain", "nonsense", "--tmp"], "unknown chain `nonsense`");
}

#[test]
fn malformed_chain_spec_file_is_a_one_line_error() {
	let dir = std::env::temp_dir().join(format!("dbm-bad-spec-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let spec = dir.join("bad.json");
	std::fs::write(&spec, "{\"name\": \"broken\", \"id\": ").unwrap();
	run_and_expect_one_line_error(
		&["--chain", spec.to_str().unwrap(), "--tmp"],
		"invalid chain-spec file",
	);
	std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn build_spec_prints_the_parent_chain_spec() {
	let out = Command::new(node_binary())
		.args(["build-spec", "--chain", "parent-dev", "--disable-default-bootnode"])
		.output()
		.expect("dbm-node runs");
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let spec: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON chain spec");
	assert_eq!(spec["id"], "parent-dev");
	assert_eq!(spec["layer"], "parent");
	assert_eq!(spec["properties"]["tokenSymbol"], "DBM");
}

#[test]
fn the_libp2p_network_backend_is_refused_by_name() {
	let (rpc, p2p) = (free_port().to_string(), free_port().to_string());
	let out = Command::new(node_binary())
		.args(["--chain", "parent-dev", "--tmp", "--no-prometheus", "--no-telemetry"])
		.args(["--rpc-port", &rpc, "--port", &p2p, "--network-backend", "libp2p"])
		.output()
		.expect("dbm-node runs");
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(!out.status.success(), "exit status {}:\n{stderr}", out.status);
	assert!(!stderr.contains("panicked"), "{stderr}");
	// The node's log lines come from another thread and may follow the error line.
	let error: Vec<&str> = stderr.lines().filter(|l| l.starts_with("Error: ")).collect();
	assert_eq!(error.len(), 1, "{stderr}");
	assert!(error[0].contains("this node runs litep2p only"), "{stderr}");
}
