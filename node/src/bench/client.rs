//! A JSON-RPC client of one chain: a few WebSocket connections used in turn, so that many
//! submissions are in flight at once.

use crate::extrinsic::ChainContext;
use codec::{Decode, Encode};
use dbm_primitives::AccountId;
use jsonrpsee::{
	core::{
		client::{ClientT, Subscription, SubscriptionClientT},
		params::ArrayParams,
	},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use sp_core::{crypto::Ss58Codec, H256};
use std::{
	sync::atomic::{AtomicUsize, Ordering},
	time::{Duration, Instant},
};

/// `0x`-prefixed hex of `bytes`.
pub fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// The bytes of `0x`-prefixed (or plain) hex.
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
	hex::decode(text.trim_start_matches("0x")).map_err(|e| format!("bad hex from the node: {e}"))
}

/// Connections to one chain.
pub struct Client {
	connections: Vec<WsClient>,
	turn: AtomicUsize,
	/// What its signed transactions commit to.
	pub context: ChainContext,
}

impl Client {
	/// Connects `connections` times to `url`, retrying until the node serves and has authored
	/// a block, for at most `timeout`.
	pub async fn connect(
		url: &str,
		connections: usize,
		timeout: Duration,
	) -> Result<Client, String> {
		let start = Instant::now();
		loop {
			match Self::try_connect(url, connections).await {
				Ok(client) if client.best_number().await.unwrap_or_default() > 0 => {
					return Ok(client)
				}
				Ok(_) => {}
				Err(error) if start.elapsed() > timeout => {
					return Err(format!("{url} did not serve within {timeout:?}: {error}"))
				}
				Err(_) => {}
			}
			if start.elapsed() > timeout {
				return Err(format!("{url} authored no block within {timeout:?}"));
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	async fn try_connect(url: &str, connections: usize) -> Result<Client, String> {
		let mut all = Vec::with_capacity(connections);
		for _ in 0..connections.max(1) {
			let connection = WsClientBuilder::default()
				.request_timeout(Duration::from_secs(60))
				.max_concurrent_requests(4096)
				.max_buffer_capacity_per_subscription(4096)
				.build(url)
				.await
				.map_err(|e| e.to_string())?;
			all.push(connection);
		}
		let mut client = Client {
			connections: all,
			turn: AtomicUsize::new(0),
			context: ChainContext {
				genesis: H256::zero(),
				spec_version: 0,
				transaction_version: 0,
			},
		};
		let genesis: H256 = client.request("chain_getBlockHash", rpc_params![0]).await?;
		let version: serde_json::Value =
			client.request("state_getRuntimeVersion", rpc_params![]).await?;
		let number = |key: &str| version[key].as_u64().unwrap_or_default() as u32;
		client.context = ChainContext {
			genesis,
			spec_version: number("specVersion"),
			transaction_version: number("transactionVersion"),
		};
		Ok(client)
	}

	fn connection(&self) -> &WsClient {
		let turn = self.turn.fetch_add(1, Ordering::Relaxed);
		&self.connections[turn % self.connections.len()]
	}

	/// Calls `method`.
	pub async fn request<R: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: ArrayParams,
	) -> Result<R, String> {
		self.connection().request(method, params).await.map_err(|e| format!("{method}: {e}"))
	}

	/// Subscribes to `method` (unsubscribed with `unsubscribe`).
	pub async fn subscribe(
		&self,
		method: &str,
		unsubscribe: &str,
	) -> Result<Subscription<serde_json::Value>, String> {
		self.connection()
			.subscribe(method, rpc_params![], unsubscribe)
			.await
			.map_err(|e| format!("{method}: {e}"))
	}

	/// Calls runtime API function `method` at block `at` (the best block if `None`).
	pub async fn runtime<R: Decode>(
		&self,
		method: &str,
		args: impl Encode,
		at: Option<H256>,
	) -> Result<R, String> {
		let result: String =
			self.request("state_call", rpc_params![method, hex0x(&args.encode()), at]).await?;
		R::decode(&mut &unhex(&result)?[..]).map_err(|e| format!("{method}: {e}"))
	}

	/// The value under `key` at block `at` (the best block if `None`).
	pub async fn storage<V: Decode>(
		&self,
		key: &[u8],
		at: Option<H256>,
	) -> Result<Option<V>, String> {
		let value: Option<String> =
			self.request("state_getStorage", rpc_params![hex0x(key), at]).await?;
		value.map(|hex| V::decode(&mut &unhex(&hex)?[..]).map_err(|e| e.to_string())).transpose()
	}

	/// The next nonce of `account`, its pooled transactions counted.
	pub async fn next_nonce(&self, account: &AccountId) -> Result<u32, String> {
		self.request("system_accountNextIndex", rpc_params![account.to_ss58check()]).await
	}

	/// The number of the best block.
	pub async fn best_number(&self) -> Result<u32, String> {
		let header: serde_json::Value = self.request("chain_getHeader", rpc_params![]).await?;
		block_number(&header)
	}

	/// The hash of block `number` of the best chain.
	pub async fn block_hash(&self, number: u32) -> Result<Option<H256>, String> {
		self.request("chain_getBlockHash", rpc_params![number]).await
	}

	/// The extrinsics of block `hash`, SCALE-encoded.
	pub async fn block_extrinsics(&self, hash: H256) -> Result<Vec<Vec<u8>>, String> {
		let block: serde_json::Value = self.request("chain_getBlock", rpc_params![hash]).await?;
		block["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| format!("block {hash:?} has no extrinsics list"))?
			.iter()
			.map(|xt| unhex(xt.as_str().unwrap_or_default()))
			.collect()
	}

	/// Submits the SCALE-encoded extrinsic `xt` to the node's pool.
	pub async fn submit(&self, xt: &[u8]) -> Result<(), String> {
		self.connection()
			.request::<H256, _>("author_submitExtrinsic", rpc_params![hex0x(xt)])
			.await
			.map(|_| ())
			.map_err(|e| match e {
				jsonrpsee::core::ClientError::Call(call) => {
					format!("{} {}", call.code(), call.message())
				}
				other => other.to_string(),
			})
	}
}

/// The number of a header in JSON (`"number": "0x1f"`).
pub fn block_number(header: &serde_json::Value) -> Result<u32, String> {
	let hex = header["number"].as_str().ok_or("a header without a number")?;
	u32::from_str_radix(hex.trim_start_matches("0x"), 16).map_err(|e| format!("block number: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_and_numbers_round_trip() {
		assert_eq!(hex0x(&[0xde, 0xad]), "0xdead");
		assert_eq!(unhex("0xdead").unwrap(), vec![0xde, 0xad]);
		assert!(unhex("0xzz").is_err());
		assert_eq!(block_number(&serde_json::json!({ "number": "0x1f" })), Ok(31));
		assert!(block_number(&serde_json::json!({})).is_err());
	}
}
