//! Anchors: every finalized block of the sub-chain, in order, on the parent.
//!
//! The relay asks the parent's registry for the sub-chain's last anchor
//! (`RegistryApi_last_anchor`) and submits `billerRegistry.anchor` for every finalized block
//! after it (from the genesis), in order: the SCALE-encoded header, a storage proof of the
//! sub-chain's Aura authorities in the parent block's state (against which the parent checks
//! the header's seal) and the block's trade batch, read from the block's state through
//! `EnergyTradeApi_block_trades` (so the node keeps the state of finalized blocks: a relaying
//! node defaults to `--state-pruning archive-canonical`). It submits at most
//! [`MAX_IN_FLIGHT`] anchors at once with consecutive nonces, then waits until the parent has
//! included them, and starts again from what the parent says. The first anchor of each batch
//! is dry-run on the parent (`system_dryRun`, where the parent serves it) first: a refused
//! anchor is reported with the registry's error instead of being paid for again and again, and
//! tried again a minute later. While the sub-chain is unknown to the parent, paused or retired,
//! the relay waits. If the parent's last anchor is not this node's block at that height, the
//! relay stops anchoring and says so: the parent then holds a header a sub-chain authority
//! sealed but this node never finalized (an equivocation).
//!
//! The same task sends the sub-chain's [`crate::elections`] and [`crate::messages`] before
//! each batch.

use crate::{
	config::{
		RelayConfig, IDLE, INCLUSION_POLL, INCLUSION_TIMEOUT, LOG, MAX_IN_FLIGHT, REPORT_EVERY,
	},
	elections,
	error::{Error, Result},
	local::{self, SubchainClient},
	messages::{self, Sent},
	parent::Parent,
};
use codec::Encode;
use dbm_client::{extrinsic, ChainContext};
use dbm_primitives::{
	registry::{AnchorHead, SubchainStatus},
	trade::EnergyTradeApi,
	Block, BlockNumber, SubchainId,
};
use futures::StreamExt;
use sp_core::Pair;
use std::{ops::RangeInclusive, time::Instant};

/// Connects to the parent and anchors until something fails; returns what failed.
pub async fn session<C: SubchainClient>(client: &C, config: &RelayConfig) -> Error {
	match anchor_loop(client, config).await {
		Ok(never) => match never {},
		Err(e) => e,
	}
}

/// The next sub-chain block to anchor after the parent's `last` anchor.
pub fn next_to_anchor(last: Option<BlockNumber>) -> BlockNumber {
	last.map_or(0, |number| number + 1)
}

/// The blocks of the next batch: from `next` to the `finalized` block, at most
/// [`MAX_IN_FLIGHT`] of them; `None` while `next` is not finalized.
pub fn batch(next: BlockNumber, finalized: BlockNumber) -> Option<RangeInclusive<BlockNumber>> {
	(next <= finalized).then(|| next..=finalized.min(next + MAX_IN_FLIGHT - 1))
}

/// Whether the inclusion of the batch `next..=end`, after which the parent is `at`, is worth an
/// info line: catching up, the genesis, and every [`REPORT_EVERY`]th block are; each block is
/// not.
pub fn worth_a_line(next: BlockNumber, end: BlockNumber, at: BlockNumber) -> bool {
	end > next || next == 0 || at / REPORT_EVERY > (next - 1) / REPORT_EVERY
}

async fn anchor_loop<C: SubchainClient>(
	client: &C,
	config: &RelayConfig,
) -> Result<std::convert::Infallible> {
	let subchain = local::subchain_of(client)?;
	let parent = Parent::connect(&config.parent_rpc, config.signer.public().into()).await?;
	let mut finality = client.finality_notification_stream();
	// The election round last sent (or refused) in this session, and when.
	let mut forwarded = None;
	// The sub-chain's messages last sent to the parent (or refused), and when.
	let mut sent: Sent = None;
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
		elections::forward(client, &parent, subchain, config, &mut forwarded).await?;
		messages::forward(client, &parent, subchain, config, &mut sent).await?;
		let last = parent.last_anchor(subchain).await?;
		if let Some(head) = &last {
			check_ours(client, subchain, head)?;
		}
		let next = next_to_anchor(last.map(|head| head.number));
		let Some(blocks) = batch(next, client.info().finalized_number) else {
			idle(&mut finality).await;
			continue;
		};
		let end = *blocks.end();
		let context = parent.context().await?;
		let nonce = parent.nonce().await?;
		for (i, number) in blocks.enumerate() {
			let xt = anchor_extrinsic(client, subchain, number, config, nonce + i as u32, context)?;
			if i == 0 {
				if let Some(refusal) = parent.refusal(&xt).await {
					return Err(Error::AnchorRefused { subchain, number, refusal });
				}
			}
			parent.submit(&xt).await?;
		}
		log::debug!(target: LOG, "sub-chain {subchain}: submitted anchors #{next}..=#{end}");
		// Wait for the parent to include them, then start over from what it says.
		let deadline = Instant::now() + INCLUSION_TIMEOUT;
		loop {
			tokio::time::sleep(INCLUSION_POLL).await;
			let at = parent.last_anchor(subchain).await?.map(|head| head.number);
			if let Some(at) = at.filter(|at| *at >= end) {
				if worth_a_line(next, end, at) {
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

/// Fails if the parent's anchor `head` is not this node's block at its height.
fn check_ours<C: SubchainClient>(
	client: &C,
	subchain: SubchainId,
	head: &AnchorHead<BlockNumber>,
) -> Result<()> {
	let ours = local::hash_of(client, head.number)?;
	match ours {
		Some(ours) if ours != head.hash => {
			Err(Error::Equivocation { subchain, number: head.number, theirs: head.hash, ours })
		}
		_ => Ok(()),
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
fn anchor_extrinsic<C: SubchainClient>(
	client: &C,
	subchain: SubchainId,
	number: BlockNumber,
	config: &RelayConfig,
	nonce: u32,
	context: ChainContext,
) -> Result<Vec<u8>> {
	let hash = local::hash_of(client, number)?
		.ok_or_else(|| Error::Missing(format!("no block #{number} in this node's database")))?;
	let header = client
		.header(hash)
		.map_err(Error::local(format!("the header of block #{number}")))?
		.ok_or_else(|| Error::Missing(format!("no header of block #{number}")))?;
	let trades = client.runtime_api().block_trades(hash).map_err(Error::api(format!(
		"the trades of block #{number} (its state must be kept: run the relaying node with \
		 --state-pruning archive-canonical)"
	)))?;
	let authorities = if number == 0 {
		Vec::new()
	} else {
		local::local_proof(
			client,
			header.parent_hash,
			&dbm_primitives::seal::aura_authorities_key(),
		)?
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn anchoring_starts_at_the_genesis_and_goes_on_after_the_parents_last_anchor() {
		assert_eq!(next_to_anchor(None), 0);
		assert_eq!(next_to_anchor(Some(0)), 1);
		assert_eq!(next_to_anchor(Some(41)), 42);
	}

	#[test]
	fn a_batch_holds_only_finalized_blocks_and_at_most_max_in_flight() {
		assert_eq!(batch(5, 4), None);
		assert_eq!(batch(5, 5), Some(5..=5));
		assert_eq!(batch(0, 3), Some(0..=3));
		assert_eq!(batch(10, 1_000), Some(10..=10 + MAX_IN_FLIGHT - 1));
	}

	#[test]
	fn catching_up_the_genesis_and_every_hundredth_block_are_reported() {
		// One block at a time, in the middle of a hundred: not worth a line.
		assert!(!worth_a_line(150, 150, 150));
		// Catching up.
		assert!(worth_a_line(150, 160, 160));
		// The genesis.
		assert!(worth_a_line(0, 0, 0));
		// Crossing a hundred.
		assert!(worth_a_line(200, 200, 200));
		assert!(!worth_a_line(201, 201, 201));
	}
}
