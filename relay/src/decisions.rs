//! Decisions down: the parent chain's decisions for the sub-chain, with proofs.
//!
//! Each round reads, at the parent's finalized head, what the parent holds for this sub-chain
//! — its messages (`MembershipVoting::Outbox(Subchain(id), nonce)`: admissions, kicks,
//! suspensions, score weights), the confirmed election (`BillerRegistry::Elections(id)`), a
//! pending re-election request (`BillerRegistry::Reelections(id)`) and how many of the
//! sub-chain's own messages it took (`SubchainInbox::NextNonce(id)`) — and compares it with what
//! the sub-chain applied (`parentInbox.nextNonce`, `dbsca.pendingElection` / `lastElection`,
//! `parentInbox.lastReelection`, the first unacknowledged nonce of its outbox for the parent).
//! If something is new, it first brings the sub-chain's GRANDPA light client of the parent
//! (`parentGrandpa`) up to that head ([`crate::parent::Parent::finality_proof`]) and submits
//! each proof with its header (`parentGrandpa.submitFinalityProofEx`). Then it submits a
//! storage proof of each new entry (`state_getReadProof` at the light client's newest parent
//! header) to the sub-chain's `parentInbox`, whose nonces make every message count exactly
//! once, in order. This runs every few seconds in a task of its own, so that waiting for the
//! parent's finality never holds up the anchors.
//!
//! The sub-chain transactions are signed by the relayer account too (funded on development
//! sub-chains); deliveries that carry something new are free, header imports are paid.

use crate::{
	config::{RelayConfig, Submit, IDLE, INCLUSION_TIMEOUT, LOG},
	error::{Error, Result},
	local::{self, local, SubElection, SubchainClient},
	parent::Parent,
};
use bp_header_chain::justification::{
	verify_and_optimize_justification, GrandpaJustification, JustificationVerificationContext,
};
use codec::Decode;
use dbm_client::{extrinsic, ChainContext};
use dbm_primitives::{
	membership::Destination,
	parent_state,
	registry::{ConfirmedElection, Reelection},
	subchain_state, AccountId, BlockNumber, Header, SubchainId,
};
use sp_core::{Pair, H256};
use sp_runtime::traits::Header as _;
use std::{
	ops::Range,
	time::{Duration, Instant},
};

type Runtime = dbm_sub_runtime::Runtime;

/// Connects to the parent and delivers its decisions every second until something fails;
/// returns what failed.
pub async fn session<C: SubchainClient>(client: &C, pool: &Submit, config: &RelayConfig) -> Error {
	let run = async {
		let subchain = local::subchain_of(client)?;
		let parent = Parent::connect(&config.parent_rpc, config.signer.public().into()).await?;
		loop {
			deliver(client, pool, &parent, subchain, config).await?;
			tokio::time::sleep(IDLE).await;
		}
	};
	match run.await {
		Ok::<std::convert::Infallible, Error>(never) => match never {},
		Err(error) => error,
	}
}

/// What the parent holds for the sub-chain and what the sub-chain applied of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compared {
	/// The sub-chain's next message from the parent (`parentInbox.nextNonce`).
	pub applied: u64,
	/// The parent's first kept and next message for the sub-chain.
	pub parent_outbox: (u64, u64),
	/// The parent block of the last decision the sub-chain took with a proof.
	pub last_confirmation: Option<BlockNumber>,
	/// The election the parent confirmed: round, committee and when.
	pub confirmed: Option<(u32, Vec<AccountId>, BlockNumber)>,
	/// The sub-chain's election awaiting enactment: round and committee.
	pub pending: Option<(u32, Vec<AccountId>)>,
	/// When the parent asked for a re-election.
	pub requested: Option<BlockNumber>,
	/// The re-election request the sub-chain last acted on.
	pub acted_on: Option<BlockNumber>,
	/// The sub-chain's first unacknowledged and next message to the parent.
	pub own_outbox: (u64, u64),
	/// How many of the sub-chain's messages the parent took.
	pub parent_took: u64,
}

/// What to deliver to the sub-chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deliveries {
	/// The parent's messages, by nonce.
	pub messages: Range<u64>,
	/// The confirmation of the pending election, to enact it.
	pub enact: bool,
	/// The parent's re-election request.
	pub reelect: bool,
	/// The parent's receipt of the sub-chain's messages, to prune its outbox.
	pub acknowledge: bool,
}

impl Deliveries {
	/// Whether there is anything to deliver.
	pub fn any(&self) -> bool {
		!self.messages.is_empty() || self.enact || self.reelect || self.acknowledge
	}
}

/// What to deliver, from what the two chains hold. Fails if the parent pruned messages the
/// sub-chain never took: they cannot be proven any more, and the ones after them wait behind
/// them.
pub fn deliveries(subchain: SubchainId, c: &Compared) -> Result<Deliveries> {
	let (first, queued) = c.parent_outbox;
	if c.applied < first {
		return Err(Error::Pruned { subchain, applied: c.applied, first });
	}
	let taken =
		|parent_block: BlockNumber| c.last_confirmation.is_some_and(|at| parent_block <= at);
	let enact = c.confirmed.as_ref().is_some_and(|(round, committee, at)| {
		!taken(*at) && c.pending.as_ref().is_some_and(|(r, m)| r == round && m == committee)
	});
	let reelect =
		c.requested.is_some_and(|at| !taken(at) && c.acted_on.is_none_or(|last| at > last));
	let (unacknowledged, sent) = c.own_outbox;
	let acknowledge = c.parent_took > unacknowledged && c.parent_took <= sent;
	Ok(Deliveries { messages: c.applied..queued.max(c.applied), enact, reelect, acknowledge })
}

/// Reads what the parent holds for the sub-chain at its finalized `head` and what the
/// sub-chain applied at its best block `best`.
async fn compare<C: SubchainClient>(
	client: &C,
	parent: &Parent,
	subchain: SubchainId,
	head: H256,
	best: H256,
) -> Result<Compared> {
	let destination = Destination::Subchain(subchain);
	let confirmed: Option<ConfirmedElection<AccountId, BlockNumber>> =
		parent.storage(&parent_state::election_key(subchain), head).await?;
	let pending: Option<SubElection> =
		local(client, best, &pallet_dbsca::PendingElection::<Runtime>::hashed_key())?;
	let requested: Option<Reelection<AccountId, BlockNumber>> =
		parent.storage(&parent_state::reelection_key(subchain), head).await?;
	Ok(Compared {
		applied: local(client, best, &pallet_parent_inbox::NextNonce::<Runtime>::hashed_key())?
			.unwrap_or(0),
		parent_outbox: parent
			.storage(&parent_state::outbox_nonces_key(destination), head)
			.await?
			.unwrap_or_default(),
		last_confirmation: local(
			client,
			best,
			&pallet_parent_inbox::LastConfirmation::<Runtime>::hashed_key(),
		)?,
		confirmed: confirmed.map(|c| (c.round, c.committee.into_inner(), c.confirmed_at)),
		pending: pending.map(|p| (p.round, p.committee.into_inner())),
		requested: requested.map(|r| r.requested_at),
		acted_on: local(
			client,
			best,
			&pallet_parent_inbox::LastReelection::<Runtime>::hashed_key(),
		)?,
		own_outbox: local(client, best, &subchain_state::outbox_nonces_key())?.unwrap_or_default(),
		parent_took: parent
			.storage(&parent_state::inbound_nonce_key(subchain), head)
			.await?
			.unwrap_or(0),
	})
}

/// Delivers to the sub-chain whatever the parent decided for it that it has not applied yet.
async fn deliver<C: SubchainClient>(
	client: &C,
	pool: &Submit,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
) -> Result<()> {
	let (head, head_number) = parent.rpc.finalized_head().await?;
	let compared = compare(client, parent, subchain, head, client.info().best_hash).await?;
	let to_deliver = deliveries(subchain, &compared)?;
	let (_, sent) = compared.own_outbox;
	if compared.parent_took > sent {
		// Only a forged anchor of this sub-chain can make the parent take messages it never
		// sent; there is nothing here to prune for them.
		log::warn!(
			target: LOG,
			"sub-chain {subchain}: the parent took {} messages from it, but it sent {sent}: the \
			 parent holds a forged anchor of this sub-chain",
			compared.parent_took
		);
	}
	if !to_deliver.any() {
		// Nothing to deliver: the light client still follows the parent's voter set, and
		// stays within `LIGHT_CLIENT_LAG` of its finality, so that a forced change of the
		// parent's voters is followed through few headers.
		let best = client.info().best_hash;
		let (_, number) = local::light_client_head(client, best)?;
		let set_id = light_client_set(client, best)?.set_id;
		let parent_set: u64 =
			parent.storage(&crate::parent::grandpa_set_id_key(), head).await?.unwrap_or(0);
		if parent_set != set_id || head_number.saturating_sub(number) > LIGHT_CLIENT_LAG {
			sync_light_client(client, pool, parent, config, subchain, head_number).await?;
		}
		return Ok(());
	}
	let Deliveries { messages, enact, reelect, acknowledge } = to_deliver;
	let (applied, queued) = (messages.start, messages.end);
	let at = sync_light_client(client, pool, parent, config, subchain, head_number).await?;
	let destination = Destination::Subchain(subchain);
	let mut submitter = Submitter::new(client, pool, config)?;
	for nonce in messages {
		let key = parent_state::outbox_key(destination, nonce);
		let proof = parent.rpc.read_proof(&key, Some(at)).await?;
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
			let proof = parent.rpc.read_proof(&key, Some(at)).await?;
			submitter.submit(dbm_sub_runtime::RuntimeCall::ParentInbox(call(at, proof))).await?;
		}
	}
	let parent_took = compared.parent_took;
	let relayer: AccountId = config.signer.public().into();
	until(client, "the parent's decisions", |at| {
		let next: u64 =
			local(client, at, &pallet_parent_inbox::NextNonce::<Runtime>::hashed_key())?
				.unwrap_or(0);
		let nonce_now = local::account_nonce(client, at, relayer.clone())?;
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

/// Signs sub-chain transactions of the relayer and puts them in the node's pool.
struct Submitter<'a> {
	pool: &'a Submit,
	signer: &'a sp_core::sr25519::Pair,
	nonce: u32,
	context: ChainContext,
}

impl<'a> Submitter<'a> {
	fn new<C: SubchainClient>(
		client: &C,
		pool: &'a Submit,
		config: &'a RelayConfig,
	) -> Result<Self> {
		use sp_api::Core;
		let best = client.info().best_hash;
		let nonce = local::account_nonce(client, best, config.signer.public().into())?;
		let version = client.runtime_api().version(best).map_err(Error::api("Core_version"))?;
		let context = ChainContext {
			genesis: client.info().genesis_hash,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
		};
		Ok(Submitter { pool, signer: &config.signer, nonce, context })
	}

	async fn submit(&mut self, call: dbm_sub_runtime::RuntimeCall) -> Result<()> {
		let xt = extrinsic::sub::signed(call, self.signer, self.nonce, self.context);
		(self.pool)(xt).await.map_err(Error::Pool)?;
		self.nonce += 1;
		Ok(())
	}
}

/// Waits until `done` holds at the sub-chain's best block, or [`INCLUSION_TIMEOUT`].
async fn until<C: SubchainClient>(
	client: &C,
	what: &str,
	done: impl Fn(H256) -> Result<bool>,
) -> Result<()> {
	let deadline = Instant::now() + INCLUSION_TIMEOUT;
	while !done(client.info().best_hash)? {
		if Instant::now() > deadline {
			return Err(Error::NotIncluded {
				what: what.to_string(),
				seconds: INCLUSION_TIMEOUT.as_secs(),
			});
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	Ok(())
}

/// Brings the sub-chain's light client to parent block `target` or later; returns the parent
/// header it then holds.
async fn sync_light_client<C: SubchainClient>(
	client: &C,
	pool: &Submit,
	parent: &Parent,
	config: &RelayConfig,
	subchain: SubchainId,
	target: BlockNumber,
) -> Result<H256> {
	loop {
		let best = client.info().best_hash;
		let (head, number) = local::light_client_head(client, best)?;
		if number >= target {
			return Ok(head);
		}
		let set = light_client_set(client, best)?;
		let set_id = set.set_id;
		if follow_forced_change(client, pool, parent, config, subchain, &set, number).await? {
			continue;
		}
		let (hash, justification) = parent.finality_proof(number + 1, set_id).await?;
		let header = parent.rpc.header_of(hash).await?;
		let imported = *header.number();
		if imported <= number {
			return Err(Error::LightClient(format!(
				"the parent's newest finality proof is of #{imported}, not past the light \
				 client's #{number}"
			)));
		}
		let mut justification = GrandpaJustification::<Header>::decode(&mut &justification[..])
			.map_err(Error::decode(format!(
				"decoding the parent's justification of #{imported}"
			)))?;
		// The parent's justification may carry more votes than needed; the light client takes
		// only the minimal one.
		let context = JustificationVerificationContext::try_from(
			bp_header_chain::AuthoritySet::new(set.authorities.into_inner(), set_id),
		)
		.map_err(|e| Error::LightClient(format!("the light client's authority set: {e:?}")))?;
		verify_and_optimize_justification((hash, imported), &context, &mut justification).map_err(
			|e| {
				Error::LightClient(format!(
					"the parent's justification of #{imported} does not verify against the \
					 light client's authority set {set_id}: {e:?}"
				))
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
			Ok(local::light_client_head(client, at)?.1 >= imported)
		})
		.await?;
		log::debug!(target: LOG, "sub-chain {subchain}: the light client holds parent #{imported}");
	}
}

/// How far behind the parent's finality the relay lets the light client fall when it has
/// nothing to deliver (about two minutes of parent blocks): a forced change of the parent's
/// voters is followed through every header after the light client's last one.
pub const LIGHT_CLIENT_LAG: BlockNumber = 256;

/// The light client's authority set in force at the sub-chain's block `at`.
fn light_client_set<C: SubchainClient>(
	client: &C,
	at: H256,
) -> Result<pallet_bridge_grandpa::StoredAuthoritySet<Runtime, ()>> {
	local(client, at, &pallet_bridge_grandpa::CurrentAuthoritySet::<Runtime>::hashed_key())?
		.ok_or_else(|| {
			Error::LightClient("the sub-chain's light client has no authority set".into())
		})
}

/// If the parent's voter set moved past the light client's by a forced change after parent
/// block `number` (the light client's last), makes the light client follow it; `true` if it
/// did.
async fn follow_forced_change<C: SubchainClient>(
	client: &C,
	pool: &Submit,
	parent: &Parent,
	config: &RelayConfig,
	subchain: SubchainId,
	set: &pallet_bridge_grandpa::StoredAuthoritySet<Runtime, ()>,
	number: BlockNumber,
) -> Result<bool> {
	let (head, _) = parent.rpc.finalized_head().await?;
	let parent_set: u64 =
		parent.storage(&crate::parent::grandpa_set_id_key(), head).await?.unwrap_or(0);
	if parent_set <= set.set_id {
		return Ok(false);
	}
	let max = <Runtime as pallet_parent_inbox::Config>::MaxForcedHeaders::get();
	let voters = set.authorities.clone().into_inner();
	let Some(proof) =
		crate::parent_sets::forced_change_proof(parent, set.set_id, &voters, number, max).await?
	else {
		return Ok(false);
	};
	let (count, new_set) = (proof.headers.len(), proof.set_id);
	let last = proof.headers.last().map_or(number, |header| *header.number());
	let headers = proof.headers.try_into().map_err(|_| {
		Error::LightClient(format!("{count} parent headers are more than the sub-chain takes"))
	})?;
	let call = dbm_sub_runtime::RuntimeCall::ParentInbox(
		pallet_parent_inbox::Call::follow_parent_forced_change {
			headers,
			justification: proof.justification,
		},
	);
	Submitter::new(client, pool, config)?.submit(call).await?;
	until(client, "the light client's following of the parent's forced change", |at| {
		Ok(light_client_set(client, at)?.set_id >= new_set)
	})
	.await?;
	log::info!(
		target: LOG,
		"sub-chain {subchain}: the light client follows the parent's forced voter set {new_set} \
		 ({count} parent headers, up to #{last})"
	);
	Ok(true)
}

#[cfg(test)]
mod tests {
	use super::*;

	const SUB: SubchainId = SubchainId(1);

	fn account(n: u8) -> AccountId {
		AccountId::new([n; 32])
	}

	#[test]
	fn nothing_new_delivers_nothing() {
		let plan = deliveries(SUB, &Compared::default()).unwrap();
		assert!(!plan.any());
	}

	#[test]
	fn the_parents_new_messages_are_delivered_in_order() {
		let c = Compared { applied: 2, parent_outbox: (1, 5), ..Default::default() };
		assert_eq!(deliveries(SUB, &c).unwrap().messages, 2..5);
	}

	#[test]
	fn messages_the_parent_pruned_before_delivery_stop_the_relay() {
		let c = Compared { applied: 2, parent_outbox: (3, 5), ..Default::default() };
		assert!(matches!(deliveries(SUB, &c), Err(Error::Pruned { applied: 2, first: 3, .. })));
	}

	#[test]
	fn a_confirmed_election_is_enacted_only_if_it_is_the_pending_one_and_not_taken() {
		let committee = vec![account(1), account(2)];
		let c = Compared {
			confirmed: Some((3, committee.clone(), 40)),
			pending: Some((3, committee.clone())),
			..Default::default()
		};
		assert!(deliveries(SUB, &c).unwrap().enact);
		let other = Compared { pending: Some((3, vec![account(2)])), ..c.clone() };
		assert!(!deliveries(SUB, &other).unwrap().enact);
		let older = Compared { pending: Some((2, committee)), ..c.clone() };
		assert!(!deliveries(SUB, &older).unwrap().enact);
		let taken = Compared { last_confirmation: Some(40), ..c };
		assert!(!deliveries(SUB, &taken).unwrap().enact);
	}

	#[test]
	fn a_reelection_request_is_delivered_once() {
		let c = Compared { requested: Some(50), ..Default::default() };
		assert!(deliveries(SUB, &c).unwrap().reelect);
		let acted = Compared { acted_on: Some(50), ..c.clone() };
		assert!(!deliveries(SUB, &acted).unwrap().reelect);
		let newer = Compared { acted_on: Some(49), ..c.clone() };
		assert!(deliveries(SUB, &newer).unwrap().reelect);
		let taken = Compared { last_confirmation: Some(60), ..c };
		assert!(!deliveries(SUB, &taken).unwrap().reelect);
	}

	#[test]
	fn the_parents_receipt_prunes_only_what_the_sub_chain_sent() {
		let c = Compared { own_outbox: (2, 5), parent_took: 4, ..Default::default() };
		assert!(deliveries(SUB, &c).unwrap().acknowledge);
		let nothing_new = Compared { parent_took: 2, ..c.clone() };
		assert!(!deliveries(SUB, &nothing_new).unwrap().acknowledge);
		let forged = Compared { parent_took: 6, ..c };
		assert!(!deliveries(SUB, &forged).unwrap().acknowledge);
	}
}
