//! Starting and stopping real `dbm-node` processes on loopback, and talking to them over
//! JSON-RPC, for the node's integration tests.

#![allow(dead_code)]

use jsonrpsee::{
	core::client::ClientT,
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
};
use serde_json::Value;
use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, ExitStatus, Stdio},
	time::{Duration, Instant},
};

/// The `dbm-node` binary cargo built for these tests.
pub fn node_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_dbm-node"))
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.expect("the loopback interface can bind an ephemeral port")
}

/// A running node; killed when dropped, its base path removed.
pub struct TestNode {
	child: Option<Child>,
	/// JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	base_path: PathBuf,
	log: PathBuf,
}

impl TestNode {
	/// Starts `dbm-node` with `args` plus its own base path, free ports, no telemetry,
	/// no prometheus and no mDNS. The node's output goes to a log file shown on failure.
	pub fn start(name: &str, args: &[&str]) -> TestNode {
		let base_path = std::env::temp_dir().join(format!(
			"dbm-test-{name}-{}-{}",
			std::process::id(),
			free_port()
		));
		std::fs::create_dir_all(&base_path).expect("temp dir is writable");
		let log = base_path.join("node.log");
		let rpc_port = free_port();
		let p2p_port = free_port();
		let log_file = std::fs::File::create(&log).expect("log file can be created");
		let child = Command::new(node_binary())
			.args(args)
			.arg("--base-path")
			.arg(&base_path)
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--port", &p2p_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
			.args(["--no-telemetry", "--no-prometheus", "--no-mdns"])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.expect("dbm-node starts");
		TestNode { child: Some(child), rpc_port, base_path, log }
	}

	/// The node's log so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// An HTTP JSON-RPC client of the node.
	pub fn rpc(&self) -> HttpClient {
		HttpClientBuilder::default()
			.request_timeout(Duration::from_secs(30))
			.build(format!("http://127.0.0.1:{}", self.rpc_port))
			.expect("a valid URL")
	}

	/// Calls `method` with `params`, returning the JSON result.
	pub async fn call(&self, method: &str, params: Vec<Value>) -> Result<Value, String> {
		let mut p = rpc_params![];
		for v in params {
			p.insert(v).map_err(|e| e.to_string())?;
		}
		self.rpc().request::<Value, _>(method, p).await.map_err(|e| e.to_string())
	}

	/// Waits until the RPC server answers.
	pub async fn wait_for_rpc(&self, timeout: Duration) {
		let start = Instant::now();
		while self.call("system_health", vec![]).await.is_err() {
			assert!(start.elapsed() < timeout, "RPC never came up; log:\n{}", self.log());
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	/// Number of the best block.
	pub async fn best_number(&self) -> Result<u64, String> {
		let header = self.call("chain_getHeader", vec![]).await?;
		header_number(&header)
	}

	/// Number of the last finalized block.
	pub async fn finalized_number(&self) -> Result<u64, String> {
		let hash = self.call("chain_getFinalizedHead", vec![]).await?;
		let header = self.call("chain_getHeader", vec![hash]).await?;
		header_number(&header)
	}

	/// Waits until the best block reaches `best` and the finalized block reaches `finalized`.
	pub async fn wait_for_blocks(&self, best: u64, finalized: u64, timeout: Duration) {
		let start = Instant::now();
		loop {
			let b = self.best_number().await.unwrap_or(0);
			let f = self.finalized_number().await.unwrap_or(0);
			if b >= best && f >= finalized {
				return;
			}
			assert!(
				start.elapsed() < timeout,
				"best #{b} (wanted {best}), finalized #{f} (wanted {finalized}) after {timeout:?}; log:\n{}",
				self.log()
			);
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	/// Stops the node with SIGINT (as Ctrl-C does) and returns how it exited.
	pub fn stop(&mut self, timeout: Duration) -> ExitStatus {
		let mut child = self.child.take().expect("the node is running");
		let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
		let start = Instant::now();
		loop {
			if let Ok(Some(status)) = child.try_wait() {
				return status;
			}
			if start.elapsed() > timeout {
				let _ = child.kill();
				let _ = child.wait();
				panic!("node did not stop within {timeout:?}; log:\n{}", self.log());
			}
			std::thread::sleep(Duration::from_millis(100));
		}
	}
}

impl Drop for TestNode {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
		let _ = std::fs::remove_dir_all(&self.base_path);
	}
}

fn header_number(header: &Value) -> Result<u64, String> {
	let hex = header["number"].as_str().ok_or("header has no number")?;
	u64::from_str_radix(hex.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
}
