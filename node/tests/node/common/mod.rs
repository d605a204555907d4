//! A harness for the node's integration tests: real `dbm-node` processes on 127.0.0.1, JSON-RPC
//! queries, waiting for heights and finality, kill -9 and restart, and clean-up when dropped.

#![allow(dead_code)]

pub mod recovery;
pub mod registry;
pub mod tx;

use serde_json::Value;
use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, ExitStatus, Stdio},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

/// The spec of the built-in sub-chain `chain` with its light client of the parent started from
/// the first voter set of a parent with `parent_voters` development authorities (`parent-dev`
/// has one, `parent-local-6` six), written to a file named after `name`; its path.
pub fn sub_chain_spec_following(chain: &str, parent_voters: usize, name: &str) -> PathBuf {
	let out = Command::new(node_binary())
		.args(["build-spec", "--chain", chain])
		.output()
		.expect("dbm-node build-spec runs");
	assert!(out.status.success(), "build-spec: {}", String::from_utf8_lossy(&out.stderr));
	let mut spec: Value = serde_json::from_slice(&out.stdout).expect("a JSON spec");
	spec["genesis"]["runtimeGenesis"]["patch"]["parentGrandpa"]["initData"] =
		dbm_sub_runtime::genesis_config_presets::parent_light_client(parent_voters);
	let path = std::env::temp_dir().join(format!("dbm-{name}-{}.json", std::process::id()));
	std::fs::write(&path, serde_json::to_vec(&spec).expect("JSON")).expect("temp is writable");
	path
}

/// How long a node may take to answer RPC after it starts. A node compiles its runtime's wasm
/// and builds the genesis state before it serves RPC; two tests starting five or six nodes
/// each at once on two cores have kept one of them silent for more than a minute.
pub const STARTUP: Duration = Duration::from_secs(180);

/// How long the test holding it took: when dropped (the test passed or failed), appends a line
/// `<seconds> s  <test>` to the file `$DBM_TEST_TIMES`, if set (`scripts/test.sh` prints them,
/// slowest first). libtest names each test's thread after the test.
pub struct TestTimer {
	name: String,
	start: Instant,
}

/// A [`TestTimer`] for the test running on this thread.
pub fn timer() -> TestTimer {
	let name = std::thread::current().name().unwrap_or("unnamed test").to_string();
	TestTimer { name, start: Instant::now() }
}

impl Drop for TestTimer {
	fn drop(&mut self) {
		use std::io::Write;
		let Some(path) = std::env::var_os("DBM_TEST_TIMES") else { return };
		let failed = if std::thread::panicking() { " (failed)" } else { "" };
		let line = format!("{:7.1} s  {}{failed}\n", self.start.elapsed().as_secs_f64(), self.name);
		if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
			let _ = file.write_all(line.as_bytes());
		}
	}
}

/// The `dbm-node` binary cargo built for these tests.
pub fn node_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_dbm-node"))
}

/// The kernel's range of ephemeral ports: the source ports of outgoing connections.
fn ephemeral_ports() -> std::ops::RangeInclusive<u16> {
	std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
		.ok()
		.and_then(|s| {
			let mut it = s.split_whitespace().map(|n| n.parse::<u16>().ok());
			Some(it.next()??..=it.next()??)
		})
		.unwrap_or(32_768..=60_999)
}

/// `n` consecutive ports on 127.0.0.1 that were all free a moment ago.
///
/// They come from outside the kernel's ephemeral range: a node starting beside others may take
/// half a minute to bind its ports, and in that time the others' outgoing connections would
/// otherwise take a port handed out here. A counter per process starting at a place drawn from
/// the process id keeps two nodes of one test, or two test binaries, from getting the same one.
pub fn free_port_range(n: u16) -> u16 {
	use std::sync::atomic::{AtomicU32, Ordering};
	const LOW: u32 = 10_000;
	const HIGH: u32 = 65_000;
	static NEXT: AtomicU32 = AtomicU32::new(0);
	let ephemeral = ephemeral_ports();
	let span = HIGH - LOW;
	let start = (std::process::id().wrapping_mul(7_919)) % span;
	for _ in 0..span {
		let offset = NEXT.fetch_add(u32::from(n), Ordering::Relaxed);
		let first = LOW + (start + offset) % span;
		let end = first + u32::from(n);
		if end > HIGH {
			continue;
		}
		let ports = (first as u16)..(end as u16);
		if ports.clone().any(|p| ephemeral.contains(&p)) {
			continue;
		}
		if ports.clone().all(|p| TcpListener::bind(("127.0.0.1", p)).is_ok()) {
			return ports.start;
		}
	}
	panic!("no {n} consecutive free ports on 127.0.0.1 outside the ephemeral range {ephemeral:?}");
}

/// A port on 127.0.0.1 that was free a moment ago (see [`free_port_range`]).
pub fn free_port() -> u16 {
	free_port_range(1)
}

/// A JSON-RPC endpoint of a chain on 127.0.0.1.
#[derive(Clone, Debug)]
pub struct Rpc {
	/// The port.
	pub port: u16,
}

impl Rpc {
	/// A client of the endpoint: plain HTTP, one connection per call, as a script would.
	pub async fn client(&self) -> Result<dbm_client::Client, String> {
		Ok(dbm_client::Client::connect(&format!("http://127.0.0.1:{}", self.port)).await?)
	}

	/// Calls `method` with `params`, returning the JSON result.
	pub async fn call(&self, method: &str, params: Vec<Value>) -> Result<Value, String> {
		Ok(self.client().await?.call(method, params).await?)
	}

	/// Number of the best block.
	pub async fn best_number(&self) -> Result<u64, String> {
		Ok(self.client().await?.best_number().await?.into())
	}

	/// Number of the last finalized block.
	pub async fn finalized_number(&self) -> Result<u64, String> {
		Ok(self.client().await?.finalized_number().await?.into())
	}

	/// Hash of block `number` (0x-hex).
	pub async fn block_hash(&self, number: u64) -> Result<String, String> {
		let number = u32::try_from(number).map_err(|e| e.to_string())?;
		let hash = self.client().await?.block_hash(number).await?;
		hash.map(|hash| format!("{hash:?}")).ok_or_else(|| format!("no block #{number}"))
	}

	/// Waits until the RPC server answers.
	pub async fn wait_until_up(&self, timeout: Duration) -> Result<(), String> {
		let start = Instant::now();
		loop {
			let health = async { Ok::<_, String>(self.client().await?.health().await?) };
			match health.await {
				Ok(_) => return Ok(()),
				Err(e) if start.elapsed() > timeout => {
					return Err(format!("RPC on port {} not up after {timeout:?}: {e}", self.port))
				}
				Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
			}
		}
	}

	/// Waits until the best block reaches `best` and the finalized block `finalized`.
	pub async fn wait_for_blocks(
		&self,
		best: u64,
		finalized: u64,
		timeout: Duration,
	) -> Result<(), String> {
		let start = Instant::now();
		loop {
			let b = self.best_number().await.unwrap_or(0);
			let f = self.finalized_number().await.unwrap_or(0);
			if b >= best && f >= finalized {
				return Ok(());
			}
			if start.elapsed() > timeout {
				return Err(format!(
					"port {}: best #{b} (wanted {best}), finalized #{f} (wanted {finalized}) after {timeout:?}",
					self.port
				));
			}
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	/// Waits until the chain has finalized `blocks` more blocks than it had when called: a
	/// wait measured in the chain's own time, whatever its slot.
	pub async fn finalize_more(&self, blocks: u64, timeout: Duration) -> Result<u64, String> {
		let target = self.finalized_number().await? + blocks;
		self.wait_for_blocks(target, target, timeout).await.map(|()| target)
	}
}

/// How many of a failed node's last log lines [`TestNode::fail`] shows before its whole log.
const TAIL_LINES: usize = 40;

/// A `dbm-node` process. Dropping it kills the process and removes its base path.
pub struct TestNode {
	name: String,
	args: Vec<String>,
	child: Arc<Mutex<Option<Child>>>,
	/// The node's (first) JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	base_path: PathBuf,
	log: PathBuf,
}

impl TestNode {
	/// Starts `dbm-node` with `args` plus its own base path, free RPC and p2p ports on
	/// 127.0.0.1, no telemetry, no prometheus and no mDNS.
	pub fn start(name: &str, args: &[&str]) -> TestNode {
		let rpc_port = free_port();
		let p2p_port = free_port();
		let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
		all.extend([
			"--rpc-port".into(),
			rpc_port.to_string(),
			"--listen-addr".into(),
			format!("/ip4/127.0.0.1/tcp/{p2p_port}"),
			"--no-telemetry".into(),
			"--no-prometheus".into(),
			"--no-mdns".into(),
		]);
		Self::spawn(name, all, rpc_port)
	}

	/// Starts `dbm-node <args> --base-path <fresh dir>`; `rpc_port` is where the caller told it
	/// to serve JSON-RPC. The node's log goes to a file, see [`TestNode::log`].
	pub fn spawn(name: &str, args: Vec<String>, rpc_port: u16) -> TestNode {
		let base_path = std::env::temp_dir().join(format!(
			"dbm-test-{name}-{}-{}",
			std::process::id(),
			free_port()
		));
		std::fs::create_dir_all(&base_path).expect("temp dir is writable");
		let log = base_path.join("node.log");
		let mut node = TestNode {
			name: name.into(),
			args,
			child: Arc::new(Mutex::new(None)),
			rpc_port,
			base_path,
			log,
		};
		node.launch();
		node
	}

	fn launch(&mut self) {
		let child = spawn_node(&self.args, &self.base_path, &self.log);
		*self.child.lock().expect("not poisoned") = Some(child);
		self.watch_start();
	}

	/// Watches the first minute of a run. wasmtime seals the memfd that holds the runtime's
	/// memory image; on this kernel the seal now and then fails with EBUSY while a page of it
	/// is still pinned elsewhere, and the node exits at start with "cannot add seals to the
	/// memfd". That is the host's moment, not the node's behaviour: the run is started again
	/// (at most twice) and the log keeps every attempt. Any other exit is left for the test.
	fn watch_start(&self) {
		let (child, args, base_path, log, name) = (
			self.child.clone(),
			self.args.clone(),
			self.base_path.clone(),
			self.log.clone(),
			self.name.clone(),
		);
		let from = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
		std::thread::spawn(move || {
			let (start, mut from, mut retries) = (Instant::now(), from, 0);
			while start.elapsed() < Duration::from_secs(60) {
				std::thread::sleep(Duration::from_millis(200));
				let mut slot = child.lock().expect("not poisoned");
				let Some(running) = slot.as_mut() else { return };
				if !matches!(running.try_wait(), Ok(Some(_))) {
					continue;
				}
				let text = std::fs::read(&log).unwrap_or_default();
				let run = String::from_utf8_lossy(&text[(from as usize).min(text.len())..]);
				if retries == 2 || !run.contains("cannot add seals to the memfd") {
					return;
				}
				retries += 1;
				eprintln!(
					"{name}: the runtime's memfd could not be sealed at start; starting again"
				);
				from = text.len() as u64;
				*slot = Some(spawn_node(&args, &base_path, &log));
			}
		});
	}

	/// The node's main JSON-RPC endpoint.
	pub fn rpc(&self) -> Rpc {
		Rpc { port: self.rpc_port }
	}

	/// The node's log so far (all its runs).
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// Panics with `error`, the last lines of the node's log (where an exit's reason is, and
	/// what a shortened report still shows) and then the whole log.
	pub fn fail(&self, error: impl std::fmt::Display) -> ! {
		let log = self.log();
		let lines: Vec<&str> = log.lines().collect();
		let tail = lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n");
		panic!(
			"{name}: {error}\n--- last {n} lines of the log of {name} ---\n{tail}\n\
			 --- whole log of {name} ---\n{log}",
			name = self.name,
			n = TAIL_LINES.min(lines.len()),
		)
	}

	/// Kills the process with SIGKILL, as a crash would.
	pub fn kill9(&mut self) {
		if let Some(mut child) = self.child.lock().expect("not poisoned").take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Starts the node again with the same options and database.
	pub fn restart(&mut self) {
		assert!(
			self.child.lock().expect("not poisoned").is_none(),
			"{} is still running",
			self.name
		);
		self.launch();
	}

	/// Stops the node with SIGINT (as Ctrl-C does) and returns how it exited.
	pub fn stop(&mut self, timeout: Duration) -> ExitStatus {
		let taken = self.child.lock().expect("not poisoned").take();
		let Some(mut child) = taken else { self.fail("not running") };
		let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
		let start = Instant::now();
		loop {
			if let Ok(Some(status)) = child.try_wait() {
				return status;
			}
			if start.elapsed() > timeout {
				let _ = child.kill();
				let _ = child.wait();
				self.fail(format!("did not stop within {timeout:?}"));
			}
			std::thread::sleep(Duration::from_millis(100));
		}
	}
}

impl Drop for TestNode {
	fn drop(&mut self) {
		self.kill9();
		let _ = std::fs::remove_dir_all(&self.base_path);
	}
}

/// Starts one run of `dbm-node`, its stderr appended to `log`.
fn spawn_node(args: &[String], base_path: &std::path::Path, log: &std::path::Path) -> Child {
	let log = std::fs::OpenOptions::new()
		.create(true)
		.append(true)
		.open(log)
		.expect("log file can be opened");
	Command::new(node_binary())
		.args(args)
		.arg("--base-path")
		.arg(base_path.join("data"))
		.stdout(Stdio::null())
		.stderr(log)
		.spawn()
		.expect("dbm-node starts")
}

/// The libp2p peer id of the node key `key_hex` (64 hex digits), as `dbm-node key
/// inspect-node-key` computes it.
pub fn peer_id(key_hex: &str, dir: &std::path::Path) -> String {
	let file = dir.join(format!("node-key-{key_hex}"));
	std::fs::write(&file, key_hex).expect("key file can be written");
	let out = Command::new(node_binary())
		.args(["key", "inspect-node-key", "--file"])
		.arg(&file)
		.output()
		.expect("dbm-node runs");
	assert!(out.status.success(), "inspect-node-key: {}", String::from_utf8_lossy(&out.stderr));
	String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Several validators of one chain, each its own `dbm-node` process, all on 127.0.0.1 and
/// connected to each other as boot nodes.
pub struct TestNetwork {
	/// The validators, in the order of `names`.
	pub nodes: Vec<TestNode>,
	keys_dir: PathBuf,
}

impl TestNetwork {
	/// Starts one validator per dev account in `names` (`alice`, `bob`, ...) on `chain`.
	pub fn start(chain: &str, names: &[&str]) -> TestNetwork {
		Self::start_with(chain, names, |_| Vec::new())
	}

	/// [`TestNetwork::start`], the `i`-th node with the further arguments `extra(i)`.
	pub fn start_with(
		chain: &str,
		names: &[&str],
		extra: impl Fn(usize) -> Vec<String>,
	) -> TestNetwork {
		let keys_dir = std::env::temp_dir().join(format!(
			"dbm-test-keys-{}-{}",
			std::process::id(),
			free_port()
		));
		std::fs::create_dir_all(&keys_dir).expect("temp dir is writable");
		struct Member {
			name: String,
			key: String,
			peer: String,
			rpc: u16,
			p2p: u16,
		}
		let members: Vec<Member> = names
			.iter()
			.enumerate()
			.map(|(i, name)| {
				let key = format!("{:064x}", i + 1);
				let peer = peer_id(&key, &keys_dir);
				Member { name: name.to_string(), key, peer, rpc: free_port(), p2p: free_port() }
			})
			.collect();
		let nodes = members
			.iter()
			.enumerate()
			.map(|(i, m)| {
				let extra = extra(i);
				let mut args: Vec<String> = vec![
					"--chain".into(),
					chain.into(),
					format!("--{}", m.name),
					"--validator".into(),
					"--node-key".into(),
					m.key.clone(),
					"--rpc-port".into(),
					m.rpc.to_string(),
					"--listen-addr".into(),
					format!("/ip4/127.0.0.1/tcp/{}", m.p2p),
					"--no-telemetry".into(),
					"--no-mdns".into(),
				];
				// Prometheus only where the test asks for it (on 127.0.0.1, its default).
				if !extra.iter().any(|a| a == "--prometheus-port") {
					args.push("--no-prometheus".into());
				}
				for other in members.iter().filter(|o| o.name != m.name) {
					args.push("--bootnodes".into());
					args.push(format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", other.p2p, other.peer));
				}
				args.extend(extra);
				// A spec file's nodes are named after the file.
				let label = std::path::Path::new(chain)
					.file_stem()
					.and_then(|stem| stem.to_str())
					.unwrap_or(chain);
				TestNode::spawn(&format!("{label}-{}", m.name), args, m.rpc)
			})
			.collect();
		TestNetwork { nodes, keys_dir }
	}
}

impl Drop for TestNetwork {
	fn drop(&mut self) {
		let _ = std::fs::remove_dir_all(&self.keys_dir);
	}
}

/// The Prometheus metrics the node serving them on 127.0.0.1:`port` gives now (empty if it
/// does not answer).
pub fn metrics(port: u16) -> String {
	use std::io::{Read, Write};
	let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
		return String::new();
	};
	let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
	if stream.write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
		return String::new();
	}
	let mut response = String::new();
	let _ = stream.read_to_string(&mut response);
	response
}

/// Kills `node` with SIGKILL as soon as `pooled` or `done` holds, polling both every 100 ms
/// (failing after `timeout`, waiting for `what`); returns whether `pooled` held: the kill came
/// while a transaction waited in a pool, before a block applied it.
pub async fn kill_mid<P, PF, D, DF>(
	node: &mut TestNode,
	what: &str,
	timeout: Duration,
	mut pooled: P,
	mut done: D,
) -> bool
where
	P: FnMut() -> PF,
	PF: std::future::Future<Output = bool>,
	D: FnMut() -> DF,
	DF: std::future::Future<Output = bool>,
{
	let start = Instant::now();
	let in_pool = loop {
		if pooled().await {
			break true;
		}
		if done().await {
			break false;
		}
		assert!(start.elapsed() < timeout, "no {what} after {timeout:?}");
		tokio::time::sleep(Duration::from_millis(100)).await;
	};
	node.kill9();
	in_pool
}

/// Polls `probe` every half slot (a quarter of a second) until it returns `Some`, or fails
/// after `timeout`.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let start = Instant::now();
	loop {
		if let Some(value) = probe().await {
			return value;
		}
		assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}
