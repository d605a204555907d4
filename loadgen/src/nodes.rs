//! The `dbm-node` processes of a run, on 127.0.0.1, and what `/proc` says of their CPU and
//! memory.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> Result<u16, String> {
	std::net::TcpListener::bind("127.0.0.1:0")
		.and_then(|listener| listener.local_addr())
		.map(|addr| addr.port())
		.map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// The libp2p peer id of the node key `key_hex` (64 hex digits), as `binary key
/// inspect-node-key` derives it; the key is written to a file in `dir` for that.
pub fn peer_id(binary: &Path, key_hex: &str, dir: &Path) -> Result<String, String> {
	let file = dir.join(format!("node-key-{key_hex}"));
	std::fs::write(&file, key_hex).map_err(|e| format!("{}: {e}", file.display()))?;
	let out = Command::new(binary)
		.args(["key", "inspect-node-key", "--file"])
		.arg(&file)
		.output()
		.map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
	let _ = std::fs::remove_file(&file);
	if !out.status.success() {
		return Err(format!("inspect-node-key: {}", String::from_utf8_lossy(&out.stderr)));
	}
	Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The command-line arguments of `count` validators of `chain` (a local chain whose genesis
/// authorities are the development accounts Alice, Bob, Charlie, Dave, ...), each with its
/// node key, its ports and all the others as boot nodes: one `(label, args, rpc, p2p)` per
/// validator.
pub fn validators(
	binary: &Path,
	chain: &str,
	count: usize,
) -> Result<Vec<(String, Vec<String>, u16, u16)>, String> {
	const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];
	if count > NAMES.len() {
		return Err(format!("at most {} validators, not {count}", NAMES.len()));
	}
	let dir = std::env::temp_dir().join(format!("dbm-bench-keys-{}", std::process::id()));
	std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
	let mut members = Vec::new();
	for (i, name) in NAMES.iter().take(count).enumerate() {
		let key = format!("{:064x}", i + 1);
		let peer = peer_id(binary, &key, &dir)?;
		members.push((*name, key, peer, free_port()?, free_port()?));
	}
	let _ = std::fs::remove_dir_all(&dir);
	Ok(members
		.iter()
		.map(|(name, key, _, rpc, p2p)| {
			let mut args: Vec<String> = vec![
				"--chain".into(),
				chain.into(),
				format!("--{name}"),
				"--validator".into(),
				"--node-key".into(),
				key.clone(),
			];
			for (other, _, peer, _, other_p2p) in &members {
				if other != name {
					args.push("--bootnodes".into());
					args.push(format!("/ip4/127.0.0.1/tcp/{other_p2p}/p2p/{peer}"));
				}
			}
			(format!("{chain}-{name}"), args, *rpc, *p2p)
		})
		.collect())
}

/// One `dbm-node` process with its own base path, RPC and p2p ports on 127.0.0.1.
pub struct NodeProcess {
	/// Its name in the results (`sub-1`, `parent`, ...).
	pub label: String,
	/// Its JSON-RPC port.
	pub rpc_port: u16,
	child: Option<Child>,
	base_path: PathBuf,
}

impl NodeProcess {
	/// Starts `binary` with `args` plus a fresh base path, free ports on 127.0.0.1, no
	/// telemetry, prometheus or mDNS. Its log goes to `node.log` in the base path.
	pub fn start(binary: &Path, label: &str, args: &[String]) -> Result<NodeProcess, String> {
		NodeProcess::start_on(binary, label, args, free_port()?, free_port()?)
	}

	/// Starts `binary` as [`NodeProcess::start`] does, on the given ports.
	pub fn start_on(
		binary: &Path,
		label: &str,
		args: &[String],
		rpc_port: u16,
		p2p_port: u16,
	) -> Result<NodeProcess, String> {
		let base_path = std::env::temp_dir()
			.join(format!("dbm-bench-{label}-{}-{rpc_port}", std::process::id()));
		std::fs::create_dir_all(&base_path).map_err(|e| format!("{}: {e}", base_path.display()))?;
		let log = std::fs::File::create(base_path.join("node.log"))
			.map_err(|e| format!("{}: {e}", base_path.display()))?;
		let child = Command::new(binary)
			.args(args)
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
			.args(["--no-telemetry", "--no-prometheus", "--no-mdns"])
			// Many connections and subscriptions from one client.
			.args(["--rpc-max-connections", "1000"])
			// Room in the pool for a saturating load: the pool drops what exceeds its limits.
			.args(["--pool-limit", "32768", "--pool-kbytes", "65536"])
			.arg("--base-path")
			.arg(base_path.join("data"))
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
		Ok(NodeProcess { label: label.into(), rpc_port, child: Some(child), base_path })
	}

	/// Its WebSocket JSON-RPC endpoint.
	pub fn url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// Its process id, while it runs.
	pub fn pid(&self) -> Option<u32> {
		self.child.as_ref().map(Child::id)
	}

	/// Fails with the end of its log if it has exited.
	pub fn check_alive(&mut self) -> Result<(), String> {
		let Some(child) = self.child.as_mut() else {
			return Err(format!("{} stopped", self.label));
		};
		match child.try_wait() {
			Ok(None) => Ok(()),
			Ok(Some(status)) => {
				Err(format!("{} exited ({status}):\n{}", self.label, self.log_tail()))
			}
			Err(e) => Err(format!("{}: {e}", self.label)),
		}
	}

	/// The last lines of its log.
	pub fn log_tail(&self) -> String {
		let log = std::fs::read_to_string(self.base_path.join("node.log")).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		lines[lines.len().saturating_sub(20)..].join("\n")
	}

	/// Copies its log so far to `dest`.
	pub fn copy_log(&self, dest: &Path) -> Result<(), String> {
		std::fs::copy(self.base_path.join("node.log"), dest)
			.map(|_| ())
			.map_err(|e| format!("{}'s log: {e}", self.label))
	}

	/// Stops it (see [`Self::stop`]) and moves its database to `dest`, which must not exist.
	pub fn stop_keeping_database(&mut self, dest: &Path) -> Result<(), String> {
		self.stop_process();
		if dest.exists() {
			return Err(format!("{}: already exists", dest.display()));
		}
		if let Some(parent) = dest.parent() {
			std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
		}
		let moved = std::fs::rename(self.base_path.join("data"), dest)
			.map_err(|e| format!("{}'s database to {}: {e}", self.label, dest.display()));
		self.stop();
		moved
	}

	/// Stops it with SIGINT (as Ctrl-C), SIGKILL after 30 s, and removes its base path.
	pub fn stop(&mut self) {
		self.stop_process();
		let _ = std::fs::remove_dir_all(&self.base_path);
	}

	/// SIGINT, then SIGKILL after 30 s.
	fn stop_process(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
			let start = Instant::now();
			while start.elapsed() < Duration::from_secs(30) {
				if let Ok(Some(_)) = child.try_wait() {
					break;
				}
				std::thread::sleep(Duration::from_millis(100));
			}
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

impl Drop for NodeProcess {
	fn drop(&mut self) {
		self.stop();
	}
}

/// Clock ticks per second of `/proc/<pid>/stat`'s CPU times.
pub fn clock_ticks() -> u64 {
	Command::new("getconf")
		.arg("CLK_TCK")
		.output()
		.ok()
		.and_then(|out| String::from_utf8(out.stdout).ok())
		.and_then(|text| text.trim().parse().ok())
		.filter(|&ticks| ticks > 0)
		.unwrap_or(100)
}

/// What `/proc` says of a process at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcSample {
	/// User plus system CPU time so far, in clock ticks.
	pub cpu_ticks: u64,
	/// Resident memory now, in KiB.
	pub rss_kib: u64,
	/// The most resident memory it has had, in KiB.
	pub peak_rss_kib: u64,
}

/// The CPU time and memory of process `pid` (`None` once it is gone).
pub fn sample(pid: u32) -> Option<ProcSample> {
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	parse(&stat, &status)
}

/// Parses `/proc/<pid>/stat` (utime and stime, fields 14 and 15) and `/proc/<pid>/status`
/// (`VmRSS`, `VmHWM`).
fn parse(stat: &str, status: &str) -> Option<ProcSample> {
	// The command name (field 2) is in parentheses and may hold spaces: count after it.
	let rest = &stat[stat.rfind(')')? + 1..];
	let fields: Vec<&str> = rest.split_whitespace().collect();
	let utime: u64 = fields.get(11)?.parse().ok()?;
	let stime: u64 = fields.get(12)?.parse().ok()?;
	let kib = |key: &str| {
		status
			.lines()
			.find(|line| line.starts_with(key))
			.and_then(|line| line.split_whitespace().nth(1))
			.and_then(|value| value.parse::<u64>().ok())
	};
	Some(ProcSample {
		cpu_ticks: utime + stime,
		rss_kib: kib("VmRSS:").unwrap_or_default(),
		peak_rss_kib: kib("VmHWM:").unwrap_or_default(),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn proc_files_parse_even_with_spaces_in_the_name() {
		let stat = "4242 (dbm node) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 \
		            12 0 100 2000000000 30000";
		let status = "Name:\tdbm-node\nVmHWM:\t  512000 kB\nVmRSS:\t  400000 kB\n";
		let sample = parse(stat, status).unwrap();
		assert_eq!(sample, ProcSample { cpu_ticks: 1801, rss_kib: 400_000, peak_rss_kib: 512_000 });
		assert_eq!(parse("garbage", status), None);
	}

	#[test]
	fn this_process_can_be_sampled() {
		let me = sample(std::process::id()).expect("our own /proc entry");
		assert!(me.rss_kib > 0 && me.peak_rss_kib >= me.rss_kib);
		assert!(clock_ticks() > 0);
	}
}
