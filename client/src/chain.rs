//! [`Client`]: typed JSON-RPC calls of one chain.

use crate::{
	error::{Error, Result},
	extrinsic::ChainContext,
	text::{hex0x, ss58, unhex},
};
use codec::{Decode, Encode};
use dbm_primitives::{AccountId, BlockNumber, Header};
use jsonrpsee::{
	core::{
		client::{ClientT, Subscription, SubscriptionClientT},
		params::ArrayParams,
	},
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde::de::DeserializeOwned;
use sp_core::H256;
use sp_runtime::traits::Header as _;
use std::{
	sync::atomic::{AtomicUsize, Ordering},
	time::Duration,
};

/// How a [`Client`] connects.
#[derive(Clone, Debug)]
pub struct Options {
	/// Connections opened and used in turn, so that many calls are in flight at once.
	pub connections: usize,
	/// How long a call may take.
	pub request_timeout: Duration,
	/// The most calls in flight on one WebSocket connection.
	pub max_concurrent_requests: usize,
	/// The most notifications a subscription buffers before it is dropped.
	pub max_buffer_capacity_per_subscription: usize,
}

impl Default for Options {
	fn default() -> Self {
		Options {
			connections: 1,
			request_timeout: Duration::from_secs(30),
			max_concurrent_requests: 256,
			max_buffer_capacity_per_subscription: 1024,
		}
	}
}

/// The versions of a chain's runtime that its transactions commit to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeVersion {
	/// `spec_version`.
	pub spec_version: u32,
	/// `transaction_version`.
	pub transaction_version: u32,
}

enum Connection {
	Ws(WsClient),
	Http(HttpClient),
}

/// A JSON-RPC client of one chain: `ws://` or `wss://` URLs get WebSocket connections (needed
/// for subscriptions), `http://` and `https://` URLs plain HTTP.
pub struct Client {
	connections: Vec<Connection>,
	turn: AtomicUsize,
}

impl Client {
	/// Connects to the node at `url` with the default [`Options`].
	pub async fn connect(url: &str) -> Result<Client> {
		Self::connect_with(url, Options::default()).await
	}

	/// Connects to the node at `url` as `options` say.
	pub async fn connect_with(url: &str, options: Options) -> Result<Client> {
		let failed = |source| Error::Connect { url: url.to_string(), source };
		let mut connections = Vec::with_capacity(options.connections.max(1));
		for _ in 0..options.connections.max(1) {
			let connection = if url.starts_with("http://") || url.starts_with("https://") {
				Connection::Http(
					HttpClientBuilder::default()
						.request_timeout(options.request_timeout)
						.build(url)
						.map_err(failed)?,
				)
			} else {
				Connection::Ws(
					WsClientBuilder::default()
						.request_timeout(options.request_timeout)
						.max_concurrent_requests(options.max_concurrent_requests)
						.max_buffer_capacity_per_subscription(
							options.max_buffer_capacity_per_subscription,
						)
						.build(url)
						.await
						.map_err(failed)?,
				)
			};
			connections.push(connection);
		}
		Ok(Client { connections, turn: AtomicUsize::new(0) })
	}

	fn connection(&self) -> &Connection {
		let turn = self.turn.fetch_add(1, Ordering::Relaxed);
		&self.connections[turn % self.connections.len()]
	}

	/// Calls `method` with `params` and decodes the JSON result as `R`.
	pub async fn request<R: DeserializeOwned>(
		&self,
		method: &str,
		params: ArrayParams,
	) -> Result<R> {
		let result = match self.connection() {
			Connection::Ws(ws) => ws.request(method, params).await,
			Connection::Http(http) => http.request(method, params).await,
		};
		result.map_err(|source| Error::Rpc { method: method.to_string(), source })
	}

	/// Calls `method` with the JSON values `params`; the JSON result.
	pub async fn call(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<serde_json::Value> {
		let mut all = rpc_params![];
		for param in params {
			all.insert(param)?;
		}
		self.request(method, all).await
	}

	/// Subscribes to `method` with `params` (ended with `unsubscribe`).
	pub async fn subscribe<T: DeserializeOwned>(
		&self,
		method: &str,
		params: ArrayParams,
		unsubscribe: &str,
	) -> Result<Subscription<T>> {
		match self.connection() {
			Connection::Ws(ws) => ws
				.subscribe(method, params, unsubscribe)
				.await
				.map_err(|source| Error::Rpc { method: method.to_string(), source }),
			Connection::Http(_) => Err(Error::NoSubscriptions { method: method.to_string() }),
		}
	}

	// --- the node ---

	/// `system_health`: peers, whether it is syncing.
	pub async fn health(&self) -> Result<serde_json::Value> {
		self.request("system_health", rpc_params![]).await
	}

	// --- blocks and finality ---

	/// The hash of block `number` of the best chain, if there is one.
	pub async fn block_hash(&self, number: BlockNumber) -> Result<Option<H256>> {
		self.request("chain_getBlockHash", rpc_params![number]).await
	}

	/// The chain's genesis hash.
	pub async fn genesis_hash(&self) -> Result<H256> {
		self.block_hash(0).await?.ok_or_else(|| Error::Answer("the node has no genesis".into()))
	}

	/// The hash of the best block.
	pub async fn best_hash(&self) -> Result<H256> {
		self.request("chain_getBlockHash", rpc_params![]).await
	}

	/// The hash of the last finalized block.
	pub async fn finalized_hash(&self) -> Result<H256> {
		self.request("chain_getFinalizedHead", rpc_params![]).await
	}

	/// The header of block `at` (the best block if `None`), if the node has it.
	pub async fn header(&self, at: Option<H256>) -> Result<Option<Header>> {
		self.request("chain_getHeader", rpc_params![at]).await
	}

	/// The header of block `hash`, which the node must have.
	pub async fn header_of(&self, hash: H256) -> Result<Header> {
		self.header(Some(hash))
			.await?
			.ok_or_else(|| Error::Answer(format!("the node has no header {hash:?}")))
	}

	/// The number of the best block.
	pub async fn best_number(&self) -> Result<BlockNumber> {
		let header = self.header(None).await?;
		Ok(*header.ok_or_else(|| Error::Answer("the node has no best header".into()))?.number())
	}

	/// The last finalized block: hash and number.
	pub async fn finalized_head(&self) -> Result<(H256, BlockNumber)> {
		let hash = self.finalized_hash().await?;
		Ok((hash, *self.header_of(hash).await?.number()))
	}

	/// The number of the last finalized block.
	pub async fn finalized_number(&self) -> Result<BlockNumber> {
		Ok(self.finalized_head().await?.1)
	}

	/// The extrinsics of block `hash`, SCALE-encoded.
	pub async fn block_extrinsics(&self, hash: H256) -> Result<Vec<Vec<u8>>> {
		let block: serde_json::Value = self.request("chain_getBlock", rpc_params![hash]).await?;
		block["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| Error::Answer(format!("block {hash:?} has no extrinsics list")))?
			.iter()
			.map(|xt| unhex(xt.as_str().unwrap_or_default()))
			.collect()
	}

	/// The headers of new best blocks, as they come.
	pub async fn new_heads(&self) -> Result<Subscription<Header>> {
		self.subscribe("chain_subscribeNewHeads", rpc_params![], "chain_unsubscribeNewHeads").await
	}

	/// The headers of newly finalized blocks, as they come.
	pub async fn finalized_heads(&self) -> Result<Subscription<Header>> {
		self.subscribe(
			"chain_subscribeFinalizedHeads",
			rpc_params![],
			"chain_unsubscribeFinalizedHeads",
		)
		.await
	}

	/// The GRANDPA justifications the chain produces from now on, SCALE-encoded.
	pub async fn justifications(&self) -> Result<Subscription<String>> {
		self.subscribe(
			"grandpa_subscribeJustifications",
			rpc_params![],
			"grandpa_unsubscribeJustifications",
		)
		.await
	}

	/// A GRANDPA finality proof of block `number` (`grandpa_proveFinality`), SCALE-encoded;
	/// `None` if the node has none to give.
	pub async fn prove_finality(&self, number: BlockNumber) -> Result<Option<Vec<u8>>> {
		let proof: Option<String> =
			self.request("grandpa_proveFinality", rpc_params![number]).await?;
		proof.map(|hex| unhex(&hex)).transpose()
	}

	// --- the runtime and its state ---

	/// The runtime's versions that transactions commit to.
	pub async fn runtime_version(&self) -> Result<RuntimeVersion> {
		let version: serde_json::Value =
			self.request("state_getRuntimeVersion", rpc_params![]).await?;
		let field = |name: &str| {
			version[name]
				.as_u64()
				.map(|v| v as u32)
				.ok_or_else(|| Error::Answer(format!("the node's runtime version has no {name}")))
		};
		Ok(RuntimeVersion {
			spec_version: field("specVersion")?,
			transaction_version: field("transactionVersion")?,
		})
	}

	/// What a signed transaction of this chain commits to: its genesis and runtime versions.
	pub async fn context(&self) -> Result<ChainContext> {
		let genesis = self.genesis_hash().await?;
		let version = self.runtime_version().await?;
		Ok(ChainContext {
			genesis,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
		})
	}

	/// Calls the runtime API function `method` (e.g. `DbscaApi_round`) with the SCALE-encoded
	/// `args` at block `at` (the best block if `None`) and decodes its result.
	pub async fn runtime_call<R: Decode>(
		&self,
		method: &str,
		args: impl Encode,
		at: Option<H256>,
	) -> Result<R> {
		let result: String =
			self.request("state_call", rpc_params![method, hex0x(&args.encode()), at]).await?;
		R::decode(&mut &unhex(&result)?[..]).map_err(Error::decode(method))
	}

	/// The raw value under `key` at block `at` (the best block if `None`).
	pub async fn storage_bytes(&self, key: &[u8], at: Option<H256>) -> Result<Option<Vec<u8>>> {
		let value: Option<String> =
			self.request("state_getStorage", rpc_params![hex0x(key), at]).await?;
		value.map(|hex| unhex(&hex)).transpose()
	}

	/// The value under `key` at block `at` (the best block if `None`), decoded.
	pub async fn storage<V: Decode>(&self, key: &[u8], at: Option<H256>) -> Result<Option<V>> {
		self.storage_bytes(key, at)
			.await?
			.map(|bytes| {
				V::decode(&mut &bytes[..]).map_err(Error::decode(format!("storage {}", hex0x(key))))
			})
			.transpose()
	}

	/// The trie nodes that prove `key` in the state of block `at` (the best block if `None`).
	pub async fn read_proof(&self, key: &[u8], at: Option<H256>) -> Result<Vec<Vec<u8>>> {
		let proof: serde_json::Value =
			self.request("state_getReadProof", rpc_params![vec![hex0x(key)], at]).await?;
		proof["proof"]
			.as_array()
			.ok_or_else(|| Error::Answer("a read proof without nodes".into()))?
			.iter()
			.map(|node| unhex(node.as_str().unwrap_or_default()))
			.collect()
	}

	// --- transactions ---

	/// The next nonce of `account`, its transactions in the node's pool counted.
	pub async fn next_nonce(&self, account: &AccountId) -> Result<u32> {
		self.request("system_accountNextIndex", rpc_params![ss58(account)]).await
	}

	/// What applying the SCALE-encoded transaction `xt` on block `at` (the best block if
	/// `None`) would do. `system_dryRun` is an unsafe method: a node serving only safe methods
	/// refuses it.
	pub async fn dry_run(
		&self,
		xt: &[u8],
		at: Option<H256>,
	) -> Result<sp_runtime::ApplyExtrinsicResult> {
		let result: String = self.request("system_dryRun", rpc_params![hex0x(xt), at]).await?;
		sp_runtime::ApplyExtrinsicResult::decode(&mut &unhex(&result)?[..])
			.map_err(Error::decode("system_dryRun"))
	}

	/// Submits the SCALE-encoded transaction `xt` to the node's pool; its hash.
	pub async fn submit(&self, xt: &[u8]) -> Result<H256> {
		self.request("author_submitExtrinsic", rpc_params![hex0x(xt)]).await
	}

	/// Submits the SCALE-encoded transaction `xt` and follows it: the pool's reports of its
	/// status (`ready`, `inBlock`, `finalized`, ...), as JSON.
	pub async fn submit_and_watch(&self, xt: &[u8]) -> Result<Subscription<serde_json::Value>> {
		self.subscribe(
			"author_submitAndWatchExtrinsic",
			rpc_params![hex0x(xt)],
			"author_unwatchExtrinsic",
		)
		.await
	}

	/// The transactions waiting in the node's pool, SCALE-encoded.
	pub async fn pending_extrinsics(&self) -> Result<Vec<Vec<u8>>> {
		let pending: Vec<String> = self.request("author_pendingExtrinsics", rpc_params![]).await?;
		pending.iter().map(|xt| unhex(xt)).collect()
	}
}
