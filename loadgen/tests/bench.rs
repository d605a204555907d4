//! `dbm-bench` on real nodes, briefly: it starts its own node, prepares the workload, loads
//! it, follows the blocks and writes results that match what happened on the chain.

use std::{collections::HashMap, path::PathBuf, process::Command, sync::Mutex};

/// The `dbm-node` binary the runs start: the one cargo built next to this test, in the same
/// target directory as `dbm-bench` (`cargo test --workspace` builds both).
fn node_binary() -> PathBuf {
	let test = std::env::current_exe().expect("the test knows its own path");
	// <target>/<profile>/deps/bench-<hash> -> <target>/<profile>/dbm-node
	let node = test
		.parent()
		.and_then(|deps| deps.parent())
		.map(|profile| profile.join(format!("dbm-node{}", std::env::consts::EXE_SUFFIX)))
		.expect("the test runs from <target>/<profile>/deps");
	assert!(
		node.exists(),
		"no dbm-node binary at {}: build it first (`cargo test --workspace` or `cargo build -p \
		 dbm-node` with the same profile and target directory)",
		node.display()
	);
	node
}

/// One run at a time: the runs share the machine's cores with their nodes.
static SERIAL: Mutex<()> = Mutex::new(());

fn out_dir(name: &str) -> PathBuf {
	std::env::temp_dir().join(format!("dbm-bench-test-{name}-{}", std::process::id()))
}

/// Runs `dbm-bench` with `args` and the results into `out`; returns its stdout.
fn bench(args: &[&str], out: &PathBuf) -> String {
	let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
	let _ = std::fs::remove_dir_all(out);
	let output = Command::new(env!("CARGO_BIN_EXE_dbm-bench"))
		.args(args)
		.args(["--quiet", "--node"])
		.arg(node_binary())
		.arg("--out")
		.arg(out)
		.output()
		.expect("dbm-bench runs");
	let stdout = String::from_utf8_lossy(&output.stdout).to_string();
	assert!(
		output.status.success(),
		"dbm-bench failed:\n{stdout}\n{}",
		String::from_utf8_lossy(&output.stderr)
	);
	stdout
}

/// The fields of one CSV line (quoted fields may hold commas and doubled quotes).
fn fields(line: &str) -> Vec<String> {
	let (mut all, mut field, mut quoted) = (Vec::new(), String::new(), false);
	let mut chars = line.chars().peekable();
	while let Some(c) = chars.next() {
		match (c, quoted) {
			('"', true) if chars.peek() == Some(&'"') => {
				field.push('"');
				chars.next();
			}
			('"', _) => quoted = !quoted,
			(',', false) => all.push(std::mem::take(&mut field)),
			(c, _) => field.push(c),
		}
	}
	all.push(field);
	all
}

/// The rows of a CSV file, as maps from the header's names.
fn rows(path: PathBuf) -> Vec<HashMap<String, String>> {
	let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
	let mut lines = text.lines();
	let header = fields(lines.next().unwrap_or_default());
	lines.map(|line| header.iter().cloned().zip(fields(line)).collect()).collect()
}

fn number(row: &HashMap<String, String>, key: &str) -> f64 {
	row[key].parse().unwrap_or_else(|e| panic!("{key} = {}: {e}", row[key]))
}

#[test]
fn energy_trades_on_a_sub_chain_are_measured_trade_by_trade() {
	let out = out_dir("energy");
	let stdout = bench(
		&[
			"--chain",
			"sub-dev",
			"--workload",
			"energy",
			"--rate",
			"20",
			"--duration",
			"15",
			"--settle",
			"30",
		],
		&out,
	);
	assert!(stdout.contains("sub-dev-energy: chain sub-dev, energy trades, rate 20"), "{stdout}");
	let summary = rows(out.join("summary.csv"));
	assert_eq!(summary.len(), 1, "one chain, one row");
	let row = &summary[0];
	// 20 per second for 15 s; all of them accepted by the node and in a block.
	assert!((295.0..=301.0).contains(&number(row, "sent")), "{row:?}");
	assert_eq!(number(row, "refused"), 0.0, "{row:?}");
	assert_eq!(number(row, "lost"), 0.0, "{row:?}");
	assert!(number(row, "ok") > 0.9 * number(row, "sent"), "{row:?}");
	assert!(number(row, "tps") > 10.0, "{row:?}");
	let p50 = number(row, "in_block_p50_ms");
	assert!(p50 > 0.0 && number(row, "finalized_p50_ms") >= p50, "{row:?}");

	// Trades were taken and settled: both calls succeeded, with their latencies.
	let txs = rows(out.join("txs.csv"));
	for kind in ["accept_offer", "confirm_delivery"] {
		let ok = txs.iter().filter(|t| t["kind"] == kind && t["outcome"] == "ok").count();
		assert!(ok > 0, "no successful {kind}");
	}
	let in_block: usize = rows(out.join("blocks.csv"))
		.iter()
		.map(|b| number(b, "ours_ok") as usize + number(b, "ours_failed") as usize)
		.sum();
	assert_eq!(in_block as f64, number(row, "ok") + number(row, "failed"));
	let nodes = rows(out.join("nodes.csv"));
	let node = nodes.iter().find(|n| n["process"] == "sub-dev").expect("the node's row");
	assert!(number(node, "rss_max_mib") > 10.0 && number(node, "cpu_percent") > 0.0, "{node:?}");
	let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn presigned_transfers_on_the_parent_are_all_included() {
	let out = out_dir("transfer");
	bench(
		&[
			"--chain",
			"parent-dev",
			"--workload",
			"transfer",
			"--rate",
			"50",
			"--duration",
			"10",
			"--accounts",
			"16",
			"--settle",
			"30",
		],
		&out,
	);
	let row = &rows(out.join("summary.csv"))[0];
	assert_eq!(number(row, "sent"), 500.0, "{row:?}");
	assert_eq!(number(row, "ok"), 500.0, "{row:?}");
	assert_eq!(number(row, "failed") + number(row, "refused") + number(row, "lost"), 0.0);
	let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn an_energy_load_on_the_parent_is_refused_by_name() {
	let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
	let output = Command::new(env!("CARGO_BIN_EXE_dbm-bench"))
		.args(["--chain", "parent-dev", "--workload", "energy", "--quiet"])
		.arg("--node")
		.arg(node_binary())
		.output()
		.expect("dbm-bench runs");
	assert!(!output.status.success());
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(stderr.contains("parent-dev has no energy market"), "{stderr}");
}
