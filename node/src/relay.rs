//! The relay: a task of a sub-chain node that carries its sub-chain to the parent chain.
//!
//! Started by `--parent-rpc <ws-url>` on a sub-chain node, it talks to the parent over
//! JSON-RPC (a jsonrpsee WebSocket client: the parent may run in the same process or on
//! another machine) and pays the parent's fees from the relayer account (`--relayer <suri>`).
//! It is not trusted: the parent checks everything it submits, down to who sealed each anchored
//! header.
//!
//! **Anchors.** The relay asks the parent's registry for the sub-chain's last anchor
//! (`RegistryApi_last_anchor`) and submits `billerRegistry.anchor` for every finalized block
//! after it (from the genesis), in order: the SCALE-encoded header, a storage proof of the
//! sub-chain's Aura authorities in the parent block's state (against which the parent checks
//! the header's seal) and the block's trade batch, read from the block's state through
//! `EnergyTradeApi_block_trades` (so the node keeps the state of finalized blocks: a relaying
//! node defaults to `--state-pruning archive-canonical`). It
//! submits at most [`MAX_IN_FLIGHT`] anchors at once with consecutive nonces, then waits until
//! the parent has included them, and starts again from what the parent says: nothing is kept
//! locally, so a restarted relay (or one that lost the parent for a while) resumes exactly
//! where the parent's registry stands, without gaps or repeats, and several relays of one
//! sub-chain only cost each other fees. The first anchor of each batch is dry-run on the parent
//! (`system_dryRun`, where the parent serves it) first: a refused anchor is logged with the
//! registry's error instead of being paid for again and again. While the sub-chain is unknown to the parent, paused or
//! retired, the relay waits. If the parent's last anchor is not this node's block at that
//! height, the relay stops anchoring and says so: the parent then holds a header a sub-chain
//! authority sealed but this node never finalized (an equivocation).
//!
//! **Election proofs.** When the sub-chain's finalized state holds an election newer than the
//! one the parent has confirmed (`dbsca.pendingElection`, or `dbsca.lastElection` once
//! enacted), the relay submits it to `billerRegistry.submitElection`: the committee and the
//! members' signed confirmations, which the parent checks against its own member registry.
//!
//! **The sub-chain's messages.** The proposals the sub-chain's members approved, and its trade
//! disputes, wait in its outbox for the parent (`MembershipVoting::Outbox(Parent, nonce)`).
//! The relay sends the parent each one it has not taken yet (`subchainInbox.receive`), as many
//! as the parent has room for (`MaxProposals` proposals, `MaxDisputes` disputes of the
//! sub-chain open), with a storage proof of the sub-chain's state at its last anchored block:
//! the parent checks it against the state root it anchored, takes each message once and in
//! order, and opens it for its authorities' vote (a dispute, for its ruling). (Pruning the
//! parent's outbox with a proof of what the sub-chain took, `subchainInbox.acknowledge`, stays
//! root's on the parent: a single sub-chain authority can seal a header the parent anchors,
//! and pruning deletes what the parent decided. The sub-chain prunes its own outbox with a
//! proof against its light client of the parent, see [`crate::delivery`].)
//!
//! **The parent's decisions** go the other way, in a task of their own ([`crate::delivery`]),
//! so that neither direction ever waits for the other.
//! A proof the parent refuses (the dry run of the first of a batch) is reported and tried again
//! a minute later.

use crate::{delivery, extrinsic, service::FullClient};
use codec::{Decode, Encode};
use dbm_primitives::{
	membership::Message,
	parent_state,
	registry::{AnchorHead, SubchainInfo, SubchainStatus},
	subchain_state,
	trade::EnergyTradeApi,
	AccountId, Block, BlockNumber, SubchainApi, SubchainId,
};
use futures::StreamExt;
use jsonrpsee::{
	core::client::ClientT,
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use sc_client_api::BlockchainEvents;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{Pair, H256};
use std::{
	sync::Arc,
	time::{Duration, Instant},
};

/// Log target of the relay.
pub(crate) const LOG: &str = "dbm-relay";
/// Anchors submitted at once before the relay waits for the parent to include them.
pub const MAX_IN_FLIGHT: u32 = 16;
/// How long the relay waits for submitted anchors before it asks the parent again.
pub(crate) const INCLUSION_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the relay waits for new finality or a changed registry before it looks again.
pub(crate) const IDLE: Duration = Duration::from_secs(3);
/// The relay reports its progress at least every this many anchored blocks.
const REPORT_EVERY: BlockNumber = 100;
/// The longest pause between two attempts after an error.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Puts a transaction (SCALE-encoded) in the sub-chain node's own pool.
pub type Submit =
	Arc<dyn Fn(Vec<u8>) -> futures::future::BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// What a relay needs to know.
#[derive(Clone)]
pub struct RelayConfig {
	/// The parent's JSON-RPC WebSocket URL.
	pub parent_rpc: String,
	/// The relayer account that signs and pays for the parent's transactions.
	pub signer: sp_core::sr25519::Pair,
}

impl std::fmt::Debug for RelayConfig {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("RelayConfig")
			.field("parent_rpc", &self.parent_rpc)
			.field("relayer", &crate::rpc::ss58(&self.signer.public().into()))
			.finish()
	}
}

pub(crate) type SubClient = FullClient<dbm_sub_runtime::apis::RuntimeApi>;

/// A relaying node reads the trades of finalized blocks from their state, so unless the user
/// `chose` a state pruning it keeps the state of every finalized block (`archive-canonical`).
/// An existing database keeps the pruning it was created with (it refuses another); the relay
/// then catches up only as far back as that state reaches.
pub fn keep_finalized_state(config: &mut sc_service::Configuration, chose: bool) {
	if chose {
		return;
	}
	if config.database.path().is_none_or(|path| !path.exists()) {
		config.state_pruning = Some(sc_service::PruningMode::ArchiveCanonical);
	} else {
		log::info!(
			target: LOG,
			"relaying from an existing database with its own state pruning: blocks whose state \
			 it pruned cannot be anchored (start a new database, or use --state-pruning \
			 archive-canonical from the start)"
		);
	}
}

/// Whether a layer's node can relay: only a sub-chain has a parent.
pub trait LayerRelay: Sized {
	/// Starts the relay of the chain `client` serves.
	fn start_relay(
		spawner: &sc_service::SpawnTaskHandle,
		client: Arc<FullClient<Self>>,
		submit: Submit,
		config: RelayConfig,
	) -> Result<(), String>;
}

/// The parent has nothing to relay to.
impl LayerRelay for dbm_parent_runtime::apis::RuntimeApi {
	fn start_relay(
		_: &sc_service::SpawnTaskHandle,
		_: Arc<FullClient<Self>>,
		_: Submit,
		_: RelayConfig,
	) -> Result<(), String> {
		Err("--parent-rpc is for sub-chain nodes: this node runs the parent chain".into())
	}
}

/// A sub-chain relays to its parent.
impl LayerRelay for dbm_sub_runtime::apis::RuntimeApi {
	fn start_relay(
		spawner: &sc_service::SpawnTaskHandle,
		client: Arc<FullClient<Self>>,
		pool: Submit,
		config: RelayConfig,
	) -> Result<(), String> {
		spawn(spawner, client, pool, config);
		Ok(())
	}
}

/// Starts the relay of the sub-chain `client` serves.
pub fn spawn(
	spawner: &sc_service::SpawnTaskHandle,
	client: Arc<SubClient>,
	pool: Submit,
	config: RelayConfig,
) {
	log::info!(
		target: LOG,
		"relaying to the parent at {} as {}",
		config.parent_rpc,
		crate::rpc::ss58(&config.signer.public().into())
	);
	// Two independent tasks: a delivery waiting for the parent never holds up the anchors
	// (whose silence the parent would take for a dead biller), nor the other way round.
	let anchors = {
		let (client, config) = (client.clone(), config.clone());
		move || {
			let (client, config) = (client.clone(), config.clone());
			async move { session(&client, &config).await }
		}
	};
	spawner.spawn("dbm-relay", Some("relay"), run("relaying to the parent", anchors));
	let deliveries = move || {
		let (client, pool, config) = (client.clone(), pool.clone(), config.clone());
		async move { delivery::session(&client, &pool, &config).await }
	};
	spawner.spawn(
		"dbm-delivery",
		Some("relay"),
		run("delivering the parent's decisions", deliveries),
	);
}

/// Runs `session` again and again until the node stops, backing off after each error.
async fn run<S, F>(what: &'static str, session: S)
where
	S: Fn() -> F,
	F: std::future::Future<Output = String>,
{
	let mut backoff = Duration::from_secs(1);
	loop {
		let started = Instant::now();
		let error = session().await;
		log::warn!(target: LOG, "{what}: {error}; trying again in {} s", backoff.as_secs());
		tokio::time::sleep(backoff).await;
		// A session that ran for a while was not a tight failure loop.
		backoff = if started.elapsed() > MAX_BACKOFF {
			Duration::from_secs(1)
		} else {
			(backoff * 2).min(MAX_BACKOFF)
		};
	}
}

/// The parent chain as the relay sees it.
pub(crate) struct Parent {
	pub(crate) rpc: WsClient,
	account: AccountId,
}

impl Parent {
	pub(crate) async fn connect(url: &str, account: AccountId) -> Result<Self, String> {
		let rpc = WsClientBuilder::default()
			.request_timeout(Duration::from_secs(30))
			.build(url)
			.await
			.map_err(|e| format!("cannot reach the parent at {url}: {e}"))?;
		Ok(Parent { rpc, account })
	}

	pub(crate) async fn request<R: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: jsonrpsee::core::params::ArrayParams,
	) -> Result<R, String> {
		self.rpc.request(method, params).await.map_err(|e| format!("parent {method}: {e}"))
	}

	/// Calls the runtime API function `method` at the parent's best block.
	async fn runtime_call<R: Decode>(&self, method: &str, args: impl Encode) -> Result<R, String> {
		let result: String =
			self.request("state_call", rpc_params![method, hex0x(&args.encode())]).await?;
		R::decode(&mut &unhex(&result)?[..]).map_err(|e| format!("parent {method}: {e}"))
	}

	/// The chain and runtime a transaction must commit to.
	async fn context(&self) -> Result<extrinsic::ChainContext, String> {
		let genesis: String = self.request("chain_getBlockHash", rpc_params![0]).await?;
		let version: serde_json::Value =
			self.request("state_getRuntimeVersion", rpc_params![]).await?;
		let field = |name: &str| {
			version[name]
				.as_u64()
				.map(|v| v as u32)
				.ok_or_else(|| format!("the parent's runtime version has no {name}"))
		};
		let spec_version = field("specVersion")?;
		// Calls are encoded with the parent runtime this node was built with: a parent running
		// another version may number them differently.
		let built_for = dbm_parent_runtime::VERSION.spec_version;
		if spec_version != built_for {
			return Err(format!(
				"the parent runs runtime version {spec_version}, this node was built for \
				 {built_for}: run a node built for the parent's runtime"
			));
		}
		Ok(extrinsic::ChainContext {
			genesis: H256::from_slice(&unhex(&genesis)?),
			spec_version,
			transaction_version: field("transactionVersion")?,
		})
	}

	/// The relayer's next nonce, counting its transactions in the parent's pool.
	async fn nonce(&self) -> Result<u32, String> {
		let address = crate::rpc::ss58(&self.account);
		self.request("system_accountNextIndex", rpc_params![address]).await
	}

	/// The sub-chain's registration.
	async fn subchain(&self, id: SubchainId) -> Result<Option<SubchainInfo<BlockNumber>>, String> {
		let all: Vec<(SubchainId, SubchainInfo<BlockNumber>)> =
			self.runtime_call("RegistryApi_subchains", ()).await?;
		Ok(all.into_iter().find(|(other, _)| *other == id).map(|(_, info)| info))
	}

	/// The hash of the parent's best block.
	pub(crate) async fn best_hash(&self) -> Result<H256, String> {
		self.request("chain_getBlockHash", rpc_params![]).await
	}

	async fn last_anchor(&self, id: SubchainId) -> Result<Option<AnchorHead<BlockNumber>>, String> {
		self.runtime_call("RegistryApi_last_anchor", id).await
	}

	/// What applying `xt` on the parent's best block would do; `None` if it would succeed.
	async fn dry_run(&self, xt: &[u8]) -> Result<Option<String>, String> {
		let result: String = self.request("system_dryRun", rpc_params![hex0x(xt)]).await?;
		let outcome = sp_runtime::ApplyExtrinsicResult::decode(&mut &unhex(&result)?[..])
			.map_err(|e| format!("parent system_dryRun: {e}"))?;
		Ok(match outcome {
			Ok(Ok(())) => None,
			// A nonce after transactions still in the pool: the parent's best state cannot
			// check it, the pool will order it.
			Err(sp_runtime::transaction_validity::TransactionValidityError::Invalid(
				sp_runtime::transaction_validity::InvalidTransaction::Future,
			)) => None,
			Ok(Err(error)) => Some(
				dbm_parent_runtime::RuntimeError::from_dispatch_error(error)
					.map(|e| format!("{e:?}"))
					.unwrap_or_else(|| format!("{error:?}")),
			),
			Err(invalid) => Some(format!("invalid transaction: {invalid:?}")),
		})
	}

	/// Why the parent would refuse `xt`, if its dry run says it would. `system_dryRun` is an
	/// unsafe RPC method: a parent serving only safe methods cannot check, and `xt` goes
	/// unchecked.
	async fn refusal(&self, xt: &[u8]) -> Option<String> {
		self.dry_run(xt).await.unwrap_or_else(|e| {
			log::debug!(target: LOG, "no dry run: {e}");
			None
		})
	}

	async fn submit(&self, xt: &[u8]) -> Result<(), String> {
		let _hash: String = self.request("author_submitExtrinsic", rpc_params![hex0x(xt)]).await?;
		Ok(())
	}
}

pub(crate) fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

pub(crate) fn unhex(text: &str) -> Result<Vec<u8>, String> {
	hex::decode(text.trim_start_matches("0x"))
		.map_err(|e| format!("bad hex in a JSON-RPC answer: {e}"))
}

/// Connects to the parent and anchors until something fails; returns what failed.
async fn session(client: &Arc<SubClient>, config: &RelayConfig) -> String {
	match anchor_loop(client, config).await {
		Ok(never) => match never {},
		Err(e) => e,
	}
}

/// The id of the sub-chain `client` serves, from its genesis.
pub(crate) fn subchain_of(client: &SubClient) -> Result<SubchainId, String> {
	client
		.runtime_api()
		.subchain_id(client.info().best_hash)
		.map_err(|e| format!("SubchainApi: {e}"))?
		.ok_or_else(|| "this chain's genesis names no sub-chain id: nothing to relay".into())
}

async fn anchor_loop(
	client: &Arc<SubClient>,
	config: &RelayConfig,
) -> Result<std::convert::Infallible, String> {
	let subchain = subchain_of(client)?;
	let parent = Parent::connect(&config.parent_rpc, config.signer.public().into()).await?;
	let mut finality = client.finality_notification_stream();
	// The election round last sent (or refused) in this session, and when.
	let mut forwarded = None;
	// The sub-chain's messages last sent to the parent (or refused), and when.
	let mut sent = None;
	// What was last logged while waiting, so a wait is said once.
	let mut waiting_for = String::new();
	let mut say_once = |why: String| {
		if why != waiting_for {
			log::info!(target: LOG, "sub-chain {subchain}: {why}");
			waiting_for = why;
		}
	};
	loop {
		let status = parent.subchain(subchain).await?.map(|info| info.status);
		if status != Some(SubchainStatus::Active) {
			say_once(match status {
				None => "not registered on the parent; waiting".into(),
				Some(status) => format!("{status:?} on the parent; waiting"),
			});
			idle(&mut finality).await;
			continue;
		}
		forward_election(client, &parent, subchain, config, &mut forwarded).await?;
		forward_messages(client, &parent, subchain, config, &mut sent).await?;
		let last = parent.last_anchor(subchain).await?;
		let next = match &last {
			None => 0,
			Some(head) => {
				let ours = client.hash(head.number).map_err(|e| e.to_string())?;
				if ours.is_some_and(|hash| hash != head.hash) {
					return Err(format!(
						"the parent anchored {:?} at height {} of sub-chain {subchain}, but this \
						 node's block there is {:?}: not anchoring over a header this node never \
						 finalized",
						head.hash,
						head.number,
						ours.unwrap_or_default()
					));
				}
				head.number + 1
			}
		};
		let finalized = client.info().finalized_number;
		if next > finalized {
			idle(&mut finality).await;
			continue;
		}
		let end = finalized.min(next + MAX_IN_FLIGHT - 1);
		let context = parent.context().await?;
		let nonce = parent.nonce().await?;
		for (i, number) in (next..=end).enumerate() {
			let xt = anchor_extrinsic(client, subchain, number, config, nonce + i as u32, context)?;
			if i == 0 {
				if let Some(refusal) = parent.refusal(&xt).await {
					return Err(format!(
						"the parent refuses the anchor of sub-chain {subchain} block #{number}: \
						 {refusal}"
					));
				}
			}
			parent.submit(&xt).await?;
		}
		log::debug!(target: LOG, "sub-chain {subchain}: submitted anchors #{next}..=#{end}");
		// Wait for the parent to include them, then start over from what it says.
		let deadline = Instant::now() + INCLUSION_TIMEOUT;
		loop {
			tokio::time::sleep(Duration::from_secs(1)).await;
			let at = parent.last_anchor(subchain).await?.map(|head| head.number);
			if let Some(at) = at.filter(|at| *at >= end) {
				// Catching up, and every hundredth block, is worth a line; each block is not.
				if end > next || next == 0 || at / REPORT_EVERY > (next - 1) / REPORT_EVERY {
					say_once(format!("anchored #{next}..=#{at} on the parent"));
				} else {
					log::debug!(target: LOG, "sub-chain {subchain}: anchored #{at}");
				}
				break;
			}
			if Instant::now() > deadline {
				log::warn!(
					target: LOG,
					"sub-chain {subchain}: anchors up to #{end} not included in {} s (the \
					 parent is at {at:?}); asking again",
					INCLUSION_TIMEOUT.as_secs()
				);
				break;
			}
		}
	}
}

/// Waits for the next finalized block or [`IDLE`], whichever comes first; notifications that
/// piled up meanwhile count as one.
async fn idle(finality: &mut sc_client_api::FinalityNotifications<Block>) {
	use futures::FutureExt;
	if let Ok(None) = tokio::time::timeout(IDLE, finality.next()).await {
		// No more notifications: the node is stopping.
		tokio::time::sleep(IDLE).await;
	}
	while let Some(Some(_)) = finality.next().now_or_never() {}
}

/// The signed parent transaction that anchors sub-chain block `number`, with the proof of its
/// authors in its parent block's state (none for the genesis).
fn anchor_extrinsic(
	client: &Arc<SubClient>,
	subchain: SubchainId,
	number: BlockNumber,
	config: &RelayConfig,
	nonce: u32,
	context: extrinsic::ChainContext,
) -> Result<Vec<u8>, String> {
	let hash = client
		.hash(number)
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("no block #{number} in this node's database"))?;
	let header = client
		.header(hash)
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("no header of block #{number}"))?;
	let trades = client.runtime_api().block_trades(hash).map_err(|e| {
		format!(
			"the trades of block #{number} (its state must be kept: run the relaying node with \
			 --state-pruning archive-canonical): {e}"
		)
	})?;
	let authorities = if number == 0 {
		Vec::new()
	} else {
		local_proof(client, header.parent_hash, &dbm_primitives::seal::aura_authorities_key())?
	};
	let call =
		dbm_parent_runtime::RuntimeCall::BillerRegistry(pallet_biller_registry::Call::anchor {
			subchain,
			header: header.encode(),
			authorities,
			trades,
		});
	Ok(extrinsic::parent::signed(call, &config.signer, nonce, context))
}

type SubElection = pallet_dbsca::ElectionOf<dbm_sub_runtime::Runtime>;

/// The value under `key` in the sub-chain's state at `at`.
pub(crate) fn local<V: Decode>(
	client: &SubClient,
	at: H256,
	key: &[u8],
) -> Result<Option<V>, String> {
	use sc_client_api::StorageProvider;
	let Some(data) = client
		.storage(at, &sp_core::storage::StorageKey(key.to_vec()))
		.map_err(|e| format!("reading the sub-chain's state: {e}"))?
	else {
		return Ok(None);
	};
	V::decode(&mut &data.0[..])
		.map(Some)
		.map_err(|e| format!("decoding the sub-chain's state: {e}"))
}

/// The trie nodes that prove `key` in the sub-chain's state at `at`.
pub(crate) fn local_proof(
	client: &SubClient,
	at: H256,
	key: &[u8],
) -> Result<Vec<Vec<u8>>, String> {
	use sc_client_api::ProofProvider;
	let proof = client
		.read_proof(at, &mut std::iter::once(key))
		.map_err(|e| format!("proving the sub-chain's state at {at:?}: {e}"))?;
	Ok(proof.into_iter_nodes().collect())
}

/// The newest election of the sub-chain's state at `at`: the one awaiting enactment, else the
/// one in force.
fn newest_election(client: &SubClient, at: H256) -> Result<Option<SubElection>, String> {
	type Runtime = dbm_sub_runtime::Runtime;
	match local(client, at, &pallet_dbsca::PendingElection::<Runtime>::hashed_key())? {
		Some(pending) => Ok(Some(pending)),
		None => local(client, at, &pallet_dbsca::LastElection::<Runtime>::hashed_key()),
	}
}

/// Submits the sub-chain's finalized election proof to the parent if the parent has not
/// confirmed that round (or a later one) and it was not sent (or refused) in the last
/// [`INCLUSION_TIMEOUT`].
async fn forward_election(
	client: &Arc<SubClient>,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
	forwarded: &mut Option<(u32, Instant)>,
) -> Result<(), String> {
	let Some(election) = newest_election(client, client.info().finalized_hash)? else {
		return Ok(());
	};
	let round = election.round;
	// Sent or refused a moment ago: give the parent time to include it (or change its mind,
	// e.g. once it knows a new member) before trying again.
	if forwarded.is_some_and(|(sent, at)| sent >= round && at.elapsed() < INCLUSION_TIMEOUT) {
		return Ok(());
	}
	let confirmed: Option<(u32, Vec<AccountId>)> =
		parent.runtime_call("RegistryApi_committee", subchain).await?;
	if confirmed.is_some_and(|(done, _)| done >= round) {
		return Ok(());
	}
	let call = dbm_parent_runtime::RuntimeCall::BillerRegistry(
		pallet_biller_registry::Call::submit_election {
			subchain,
			round,
			committee: election.committee.into_inner(),
			confirmations: election.confirmations.into_inner(),
		},
	);
	let xt = extrinsic::parent::signed(
		call,
		&config.signer,
		parent.nonce().await?,
		parent.context().await?,
	);
	*forwarded = Some((round, Instant::now()));
	if let Some(refusal) = parent.refusal(&xt).await {
		log::warn!(
			target: LOG,
			"sub-chain {subchain}: the parent refuses the proof of election round {round}: \
			 {refusal}"
		);
		return Ok(());
	}
	parent.submit(&xt).await?;
	log::info!(target: LOG, "sub-chain {subchain}: election round {round} sent to the parent");
	Ok(())
}

/// The sub-chain's messages last sent to the parent (up to which nonce), and when.
pub(crate) type Sent = Option<(u64, Instant)>;

/// Sends the parent the sub-chain's messages it has not taken yet (membership proposals the
/// members approved, trade disputes: `subchainInbox.receive`), each with a storage proof
/// against the sub-chain's last anchored block, the state the parent knows; no more than the parent has
/// room for, and nothing sent again for a minute while it waits in the parent's pool.
async fn forward_messages(
	client: &Arc<SubClient>,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
	sent: &mut Sent,
) -> Result<(), String> {
	let Some(head) = parent.last_anchor(subchain).await? else {
		return Ok(());
	};
	// A parent anchor that is not this node's block is reported by the anchor loop.
	if client.hash(head.number).map_err(|e| e.to_string())? != Some(head.hash) {
		return Ok(());
	}
	let (at, number) = (head.hash, head.number);
	let (_, queued): (u64, u64) =
		local(client, at, &subchain_state::outbox_nonces_key())?.unwrap_or_default();
	let best = parent.best_hash().await?;
	let taken: u64 =
		parent.storage(&parent_state::inbound_nonce_key(subchain), best).await?.unwrap_or(0);
	if taken >= queued {
		return Ok(());
	}
	// The parent takes a message only with room for it (`ParentBusy`): another open proposal,
	// or another open dispute of this sub-chain.
	type Voting = <dbm_parent_runtime::Runtime as pallet_membership_voting::Config>::MaxProposals;
	type Disputes = <dbm_parent_runtime::Runtime as pallet_biller_registry::Config>::MaxDisputes;
	use sp_runtime::traits::Get;
	let open: u32 = parent.storage(&parent_state::open_proposals_key(), best).await?.unwrap_or(0);
	let disputes: u32 =
		parent.storage(&parent_state::open_disputes_key(subchain), best).await?.unwrap_or(0);
	let mut proposal_room = <Voting as Get<u32>>::get().saturating_sub(open);
	let mut dispute_room = <Disputes as Get<u32>>::get().saturating_sub(disputes);
	let mut upto = taken;
	while upto < queued {
		let message: Option<Message<AccountId, dbm_primitives::Balance>> =
			local(client, at, &subchain_state::outbox_key(upto))?;
		let room = match message {
			Some(Message::Dispute { .. }) => &mut dispute_room,
			_ => &mut proposal_room,
		};
		if *room == 0 {
			break;
		}
		*room -= 1;
		upto += 1;
	}
	// What was sent a moment ago waits in the parent's pool: only what comes after it.
	let recent =
		sent.filter(|(_, when)| when.elapsed() < INCLUSION_TIMEOUT).map(|(sent_upto, _)| sent_upto);
	let from = recent.map_or(taken, |before| before.max(taken));
	if upto <= from {
		if upto == taken && recent.is_none() {
			log::info!(
				target: LOG,
				"sub-chain {subchain}: the parent has no room for its messages \
				 {taken}..{queued} (as many proposals or disputes open as it takes); waiting"
			);
			*sent = Some((taken, Instant::now()));
		}
		return Ok(());
	}
	let context = parent.context().await?;
	let nonce = parent.nonce().await?;
	*sent = Some((upto, Instant::now()));
	for (i, message) in (from..upto).enumerate() {
		let proof = local_proof(client, at, &subchain_state::outbox_key(message))?;
		let call =
			dbm_parent_runtime::RuntimeCall::SubchainInbox(pallet_subchain_inbox::Call::receive {
				subchain,
				number,
				nonce: message,
				proof,
			});
		let xt = extrinsic::parent::signed(call, &config.signer, nonce + i as u32, context);
		if i == 0 {
			if let Some(refusal) = parent.refusal(&xt).await {
				log::warn!(
					target: LOG,
					"sub-chain {subchain}: the parent refuses its message {message} proven at \
					 #{number}: {refusal}"
				);
				return Ok(());
			}
		}
		parent.submit(&xt).await?;
	}
	log::info!(
		target: LOG,
		"sub-chain {subchain}: sent the parent its messages {from}..{upto} (proven at #{number})"
	);
	Ok(())
}
