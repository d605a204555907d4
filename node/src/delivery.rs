//! The relay's other direction: the parent chain's decisions to the sub-chain, with proofs.
//!
//! Each round of the relay reads, at the parent's finalized head, what the parent holds for
//! this sub-chain — its messages (`MembershipVoting::Outbox(Subchain(id), nonce)`: admissions,
//! kicks, suspensions, score weights), the confirmed election (`BillerRegistry::Elections(id)`),
//! a pending re-election request (`BillerRegistry::Reelections(id)`) and how many of the
//! sub-chain's own messages it took (`SubchainInbox::NextNonce(id)`) — and compares it with what
//! the sub-chain applied (`parentInbox.nextNonce`, `dbsca.pendingElection` / `lastElection`,
//! `parentInbox.lastReelection`, the first unacknowledged nonce of its outbox for the parent).
//! If something is new, it first brings the sub-chain's GRANDPA
//! light client of the parent (`parentGrandpa`) up to that head: it takes the parent's next
//! GRANDPA justification while the parent's authority set is the light client's, and asks for
//! finality proofs (`grandpa_proveFinality`) once the parent has moved on, which for a block of
//! an earlier set give the justification of the header that changed the set (the light client
//! must import every such header to follow the set); it submits each with its header
//! (`parentGrandpa.submitFinalityProofEx`). Then it submits a storage proof of each new entry
//! (`state_getReadProof` at the light client's newest parent header) to the sub-chain's
//! `parentInbox`, whose nonces make every message count exactly once, in order. Like the
//! anchors, nothing is kept locally: a restarted relay reads both chains and goes on. This
//! runs as a task of its own, every few seconds, so that waiting for the parent's finality
//! never holds up the anchors.
//!
//! The sub-chain transactions are signed by the relayer account too (funded on development
//! sub-chains); deliveries that carry something new are free, header imports are paid.

use crate::{
	extrinsic,
	relay::{local, Parent, RelayConfig, SubClient, Submit, IDLE, INCLUSION_TIMEOUT, LOG},
};
use bp_header_chain::justification::{
	verify_and_optimize_justification, GrandpaJustification, JustificationVerificationContext,
};
use codec::Decode;
use dbm_primitives::{
	membership::Destination,
	parent_state,
	registry::{ConfirmedElection, Reelection},
	subchain_state, AccountId, BlockNumber, Header, SubchainId,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{Pair, H256};
use sp_runtime::traits::Header as _;
use std::time::{Duration, Instant};

type Runtime = dbm_sub_runtime::Runtime;

/// The parent's finality proof of a block, as `grandpa_proveFinality` encodes it.
#[derive(Decode)]
struct FinalityProof {
	block: H256,
	justification: Vec<u8>,
	_unknown_headers: Vec<Header>,
}

impl Parent {
	/// The parent's finalized head: hash and number.
	async fn finalized_head(&self) -> Result<(H256, BlockNumber), String> {
		let hash: H256 = self.request("chain_getFinalizedHead", jsonrpsee::rpc_params![]).await?;
		Ok((hash, *self.header(hash).await?.number()))
	}

	async fn header(&self, hash: H256) -> Result<Header, String> {
		let header: Option<Header> =
			self.request("chain_getHeader", jsonrpsee::rpc_params![hash]).await?;
		header.ok_or_else(|| format!("the parent has no header {hash:?}"))
	}

	/// The value under `key` in the parent's state at `at`.
	pub(crate) async fn storage<V: Decode>(
		&self,
		key: &[u8],
		at: H256,
	) -> Result<Option<V>, String> {
		let value: Option<String> = self
			.request("state_getStorage", jsonrpsee::rpc_params![crate::relay::hex0x(key), at])
			.await?;
		value
			.map(|hex| {
				let bytes = crate::relay::unhex(&hex)?;
				V::decode(&mut &bytes[..]).map_err(|e| format!("decoding the parent's state: {e}"))
			})
			.transpose()
	}

	/// The trie nodes that prove `key` in the parent's state at `at`.
	async fn read_proof(&self, key: &[u8], at: H256) -> Result<Vec<Vec<u8>>, String> {
		let proof: serde_json::Value = self
			.request(
				"state_getReadProof",
				jsonrpsee::rpc_params![vec![crate::relay::hex0x(key)], at],
			)
			.await?;
		proof["proof"]
			.as_array()
			.ok_or("the parent's read proof has no nodes")?
			.iter()
			.map(|node| crate::relay::unhex(node.as_str().unwrap_or_default()))
			.collect()
	}

	/// A finality proof of parent block `number` or a later one, signed by the authority set
	/// `set_id`: the block and its GRANDPA justification. While the parent's authorities are
	/// still set `set_id`, the next justification they produce
	/// (`grandpa_subscribeJustifications`) is the proof. For a block of an earlier set,
	/// `grandpa_proveFinality` gives the justification of the header that ended that set (the
	/// light client must import it to follow the set's change).
	async fn finality_proof(
		&self,
		number: BlockNumber,
		set_id: u64,
	) -> Result<(H256, Vec<u8>), String> {
		let (head, _) = self.finalized_head().await?;
		let parent_set: u64 = self.storage(&grandpa_set_id_key(), head).await?.unwrap_or(0);
		if parent_set == set_id {
			return self.next_justification().await;
		}
		let proved: Option<String> =
			self.request("grandpa_proveFinality", jsonrpsee::rpc_params![number]).await?;
		let encoded = proved.ok_or_else(|| {
			format!(
				"the parent has no finality proof of #{number}, and its authority set is \
				 {parent_set}, not the light client's {set_id}: the light client cannot follow \
				 the parent's set changes from here"
			)
		})?;
		let proof = FinalityProof::decode(&mut &crate::relay::unhex(&encoded)?[..])
			.map_err(|e| format!("decoding the parent's finality proof: {e}"))?;
		Ok((proof.block, proof.justification))
	}

	/// The next GRANDPA justification the parent produces: its target block and the
	/// justification.
	async fn next_justification(&self) -> Result<(H256, Vec<u8>), String> {
		use jsonrpsee::core::client::SubscriptionClientT;
		let mut justifications = self
			.rpc
			.subscribe::<String, _>(
				"grandpa_subscribeJustifications",
				jsonrpsee::rpc_params![],
				"grandpa_unsubscribeJustifications",
			)
			.await
			.map_err(|e| format!("parent grandpa_subscribeJustifications: {e}"))?;
		let next = tokio::time::timeout(INCLUSION_TIMEOUT, justifications.next())
			.await
			.map_err(|_| "the parent finalized nothing for a minute".to_string())?
			.ok_or("the parent closed its justification subscription")?
			.map_err(|e| format!("parent justification: {e}"))?;
		let bytes = crate::relay::unhex(&next)?;
		let justification = GrandpaJustification::<Header>::decode(&mut &bytes[..])
			.map_err(|e| format!("decoding the parent's justification: {e}"))?;
		Ok((justification.commit.target_hash, bytes))
	}
}

/// The parent's `Grandpa::CurrentSetId`: the id of its GRANDPA authority set.
fn grandpa_set_id_key() -> Vec<u8> {
	[sp_io::hashing::twox_128(b"Grandpa"), sp_io::hashing::twox_128(b"CurrentSetId")].concat()
}

/// Signs sub-chain transactions of the relayer and puts them in the node's pool.
struct Submitter<'a> {
	pool: &'a Submit,
	signer: &'a sp_core::sr25519::Pair,
	nonce: u32,
	context: extrinsic::ChainContext,
}

impl<'a> Submitter<'a> {
	fn new(
		client: &'a SubClient,
		pool: &'a Submit,
		config: &'a RelayConfig,
	) -> Result<Self, String> {
		use frame_system_rpc_runtime_api::AccountNonceApi;
		use sp_api::Core;
		let best = client.info().best_hash;
		let account: AccountId = config.signer.public().into();
		let api = client.runtime_api();
		let nonce =
			api.account_nonce(best, account).map_err(|e| format!("AccountNonceApi: {e}"))?;
		let version = api.version(best).map_err(|e| format!("Core_version: {e}"))?;
		let context = extrinsic::ChainContext {
			genesis: client.info().genesis_hash,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
		};
		Ok(Submitter { pool, signer: &config.signer, nonce, context })
	}

	async fn submit(&mut self, call: dbm_sub_runtime::RuntimeCall) -> Result<(), String> {
		let xt = extrinsic::sub::signed(call, self.signer, self.nonce, self.context);
		(self.pool)(xt)
			.await
			.map_err(|e| format!("the sub-chain's pool refuses the relay's transaction: {e}"))?;
		self.nonce += 1;
		Ok(())
	}
}

/// Waits until `done` holds at the sub-chain's best block, or [`INCLUSION_TIMEOUT`].
async fn until(
	client: &SubClient,
	what: &str,
	done: impl Fn(H256) -> Result<bool, String>,
) -> Result<(), String> {
	let deadline = Instant::now() + INCLUSION_TIMEOUT;
	while !done(client.info().best_hash)? {
		if Instant::now() > deadline {
			return Err(format!("{what}: not included in {} s", INCLUSION_TIMEOUT.as_secs()));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	Ok(())
}

/// The light client's newest finalized parent header, at the sub-chain's block `at`.
fn light_client_head(client: &SubClient, at: H256) -> Result<(H256, BlockNumber), String> {
	let id: bp_runtime::HeaderId<H256, BlockNumber> =
		local(client, at, &pallet_bridge_grandpa::BestFinalized::<Runtime>::hashed_key())?.ok_or(
			"the sub-chain's light client of the parent has no header: its genesis set none",
		)?;
	Ok((id.hash(), id.number()))
}

/// Brings the sub-chain's light client to parent block `target` or later; returns the parent
/// header it then holds.
async fn sync_light_client(
	client: &SubClient,
	pool: &Submit,
	parent: &Parent,
	config: &RelayConfig,
	subchain: SubchainId,
	target: BlockNumber,
) -> Result<H256, String> {
	loop {
		let best = client.info().best_hash;
		let (head, number) = light_client_head(client, best)?;
		if number >= target {
			return Ok(head);
		}
		let set: pallet_bridge_grandpa::StoredAuthoritySet<Runtime, ()> = local(
			client,
			best,
			&pallet_bridge_grandpa::CurrentAuthoritySet::<Runtime>::hashed_key(),
		)?
		.ok_or("the sub-chain's light client has no authority set")?;
		let set_id = set.set_id;
		let (hash, justification) = parent.finality_proof(number + 1, set_id).await?;
		let header = parent.header(hash).await?;
		let imported = *header.number();
		if imported <= number {
			return Err(format!(
				"the parent's newest finality proof is of #{imported}, not past the light \
				 client's #{number}"
			));
		}
		let mut justification = GrandpaJustification::<Header>::decode(&mut &justification[..])
			.map_err(|e| format!("decoding the parent's justification of #{imported}: {e}"))?;
		// The parent's justification may carry more votes than needed; the light client takes
		// only the minimal one.
		let context = JustificationVerificationContext::try_from(
			bp_header_chain::AuthoritySet::new(set.authorities.into_inner(), set_id),
		)
		.map_err(|e| format!("the light client's authority set: {e:?}"))?;
		verify_and_optimize_justification((hash, imported), &context, &mut justification).map_err(
			|e| {
				format!(
					"the parent's justification of #{imported} does not verify against the light \
					 client's authority set {set_id}: {e:?}"
				)
			},
		)?;
		let call = dbm_sub_runtime::RuntimeCall::ParentGrandpa(
			pallet_bridge_grandpa::Call::submit_finality_proof_ex {
				finality_target: Box::new(header),
				justification,
				current_set_id: set_id,
				is_free_execution_expected: false,
			},
		);
		Submitter::new(client, pool, config)?.submit(call).await?;
		until(client, "a parent header for the light client", |at| {
			Ok(light_client_head(client, at)?.1 >= imported)
		})
		.await?;
		log::debug!(target: LOG, "sub-chain {subchain}: the light client holds parent #{imported}");
	}
}

/// Connects to the parent and delivers its decisions every few seconds until something fails;
/// returns what failed.
pub async fn session(client: &SubClient, pool: &Submit, config: &RelayConfig) -> String {
	let run = async {
		let subchain = crate::relay::subchain_of(client)?;
		let parent = Parent::connect(&config.parent_rpc, config.signer.public().into()).await?;
		loop {
			deliver(client, pool, &parent, subchain, config).await?;
			tokio::time::sleep(IDLE).await;
		}
	};
	match run.await {
		Ok::<std::convert::Infallible, String>(never) => match never {},
		Err(error) => error,
	}
}

/// Delivers to the sub-chain whatever the parent decided for it that it has not applied yet.
async fn deliver(
	client: &SubClient,
	pool: &Submit,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
) -> Result<(), String> {
	let (head, head_number) = parent.finalized_head().await?;
	let best = client.info().best_hash;
	let destination = Destination::Subchain(subchain);

	let applied: u64 =
		local(client, best, &pallet_parent_inbox::NextNonce::<Runtime>::hashed_key())?.unwrap_or(0);
	let (first, queued): (u64, u64) = parent
		.storage(&parent_state::outbox_nonces_key(destination), head)
		.await?
		.unwrap_or_default();
	if applied < first {
		// Acknowledged (pruned) on the parent before this sub-chain took them: they can no
		// longer be proven, and the messages after them wait behind them.
		return Err(format!(
			"the parent pruned its messages {applied}..{first} for sub-chain {subchain} before \
			 they were delivered; they cannot be proven any more"
		));
	}
	let last_confirmation: Option<BlockNumber> =
		local(client, best, &pallet_parent_inbox::LastConfirmation::<Runtime>::hashed_key())?;
	let taken = |parent_block: BlockNumber| last_confirmation.is_some_and(|c| parent_block <= c);

	let confirmed: Option<ConfirmedElection<AccountId, BlockNumber>> =
		parent.storage(&parent_state::election_key(subchain), head).await?;
	let pending: Option<pallet_dbsca::ElectionOf<Runtime>> =
		local(client, best, &pallet_dbsca::PendingElection::<Runtime>::hashed_key())?;
	let enact = confirmed.is_some_and(|c| {
		!taken(c.confirmed_at)
			&& pending.is_some_and(|p| p.round == c.round && p.committee == c.committee)
	});

	let requested: Option<Reelection<AccountId, BlockNumber>> =
		parent.storage(&parent_state::reelection_key(subchain), head).await?;
	let acted_on: Option<BlockNumber> =
		local(client, best, &pallet_parent_inbox::LastReelection::<Runtime>::hashed_key())?;
	let reelect = requested.is_some_and(|r| {
		!taken(r.requested_at) && acted_on.is_none_or(|last| r.requested_at > last)
	});

	// The sub-chain's messages the parent took leave the sub-chain's outbox.
	let (unacknowledged, sent): (u64, u64) =
		local(client, best, &subchain_state::outbox_nonces_key())?.unwrap_or_default();
	let parent_took: u64 =
		parent.storage(&parent_state::inbound_nonce_key(subchain), head).await?.unwrap_or(0);
	if parent_took > sent {
		// Only a forged anchor of this sub-chain can make the parent take messages it never
		// sent; there is nothing here to prune for them.
		log::warn!(
			target: LOG,
			"sub-chain {subchain}: the parent took {parent_took} messages from it, but it sent \
			 {sent}: the parent holds a forged anchor of this sub-chain"
		);
	}
	let acknowledge = parent_took > unacknowledged && parent_took <= sent;

	if applied >= queued && !enact && !reelect && !acknowledge {
		return Ok(());
	}
	let at = sync_light_client(client, pool, parent, config, subchain, head_number).await?;
	let mut submitter = Submitter::new(client, pool, config)?;
	for nonce in applied..queued {
		let proof = parent.read_proof(&parent_state::outbox_key(destination, nonce), at).await?;
		submitter
			.submit(dbm_sub_runtime::RuntimeCall::ParentInbox(pallet_parent_inbox::Call::deliver {
				at,
				nonce,
				proof,
			}))
			.await?;
	}
	type ProvenCall = fn(H256, Vec<Vec<u8>>) -> pallet_parent_inbox::Call<Runtime>;
	let proven: [(bool, Vec<u8>, ProvenCall); 3] = [
		(enact, parent_state::election_key(subchain), |at, proof| {
			pallet_parent_inbox::Call::enact_election { at, proof }
		}),
		(reelect, parent_state::reelection_key(subchain), |at, proof| {
			pallet_parent_inbox::Call::request_election { at, proof }
		}),
		(acknowledge, parent_state::inbound_nonce_key(subchain), |at, proof| {
			pallet_parent_inbox::Call::acknowledge { at, proof }
		}),
	];
	for (wanted, key, call) in proven {
		if wanted {
			let proof = parent.read_proof(&key, at).await?;
			submitter.submit(dbm_sub_runtime::RuntimeCall::ParentInbox(call(at, proof))).await?;
		}
	}
	until(client, "the parent's decisions", |at| {
		let next: u64 =
			local(client, at, &pallet_parent_inbox::NextNonce::<Runtime>::hashed_key())?
				.unwrap_or(0);
		let nonce_now = {
			use frame_system_rpc_runtime_api::AccountNonceApi;
			client
				.runtime_api()
				.account_nonce(at, config.signer.public().into())
				.map_err(|e| format!("AccountNonceApi: {e}"))?
		};
		let (pruned, _): (u64, u64) =
			local(client, at, &subchain_state::outbox_nonces_key())?.unwrap_or_default();
		Ok(next >= queued
			&& (!acknowledge || pruned >= parent_took)
			&& nonce_now >= submitter.nonce)
	})
	.await?;
	log::info!(
		target: LOG,
		"sub-chain {subchain}: delivered the parent's decisions up to parent #{head_number} \
		 (messages {applied}..{queued}{}{}{})",
		if enact { ", an election to enact" } else { "" },
		if reelect { ", a re-election request" } else { "" },
		if acknowledge { ", the parent's receipt of this sub-chain's messages" } else { "" },
	);
	Ok(())
}
