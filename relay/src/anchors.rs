//! Anchors: every finalized block of the sub-chain, in order, on the parent, with the
//! sub-chain's own finality proofs.
//!
//! The relay asks the parent's registry for the sub-chain's last anchor
//! (`RegistryApi_last_anchor`). Before any, it anchors the genesis (`anchor_genesis`) with a
//! storage proof of the sub-chain's GRANDPA voters in the genesis state. After it, it anchors
//! **finalized segments** (`anchor`): the blocks after the last anchor up to one that has a
//! GRANDPA justification, each block's SCALE-encoded header with its trade batch (read from
//! the block's state through `EnergyTradeApi_block_trades`, so the node keeps the state of
//! finalized blocks: a relaying node defaults to `--state-pruning archive-canonical`), and the
//! justification. The justification is the newest the node's GRANDPA made ([`ProveFinality`]:
//! the node's own justification stream, and for a block of an earlier voter set the
//! justification of the block that ended the set), or else the newest one the node keeps in its
//! database (one every `justification period` blocks and at every set change). A segment holds at most the
//! parent's `MaxSegment` blocks and `MaxTradesPerAnchor` trade records, and ends at the first
//! block that changes the voter set (the parent follows the change from that block).
//!
//! Each anchor is dry-run on the parent first (`system_dryRun`, where the parent serves it): a
//! refused anchor is reported with the registry's error instead of being paid for again and
//! again, and tried again after the relay's back-off (doubling from a second to 30 s). While
//! the sub-chain is unknown to the parent, paused or retired, the relay waits.
//!
//! The relay checks the parent's last anchor against this node's chain before each anchor
//! ([`check_record`]). If this node finalized another block at that height, it stops
//! anchoring and says so: the parent then holds a header more than two thirds of the
//! sub-chain's voters finalized that this node did not (a safety failure of the sub-chain). If
//! the anchor is a header this node does not have (above its finalized block, whether above
//! its newest block or beside it), the relay waits for the node to catch up, and after
//! [`FOREIGN_RECORD_AFTER`] raises the same alarm: an error in its log and
//! `dbm_relay_alarm` in its [`Metrics`].
//!
//! The same task sends the sub-chain's [`crate::elections`], [`crate::equivocations`], the
//! [`crate::seals`] equivocations the watcher found and [`crate::messages`] before each anchor.

use crate::{
	config::{
		ProveFinality, RelayConfig, FOREIGN_RECORD_AFTER, FUNDS_WARN_EVERY, IDLE, INCLUSION_POLL,
		INCLUSION_TIMEOUT, LOG, LOW_FUNDS_ANCHORS, REPORT_EVERY,
	},
	elections, equivocations,
	error::{Error, Result},
	local::{self, SubchainClient},
	messages::{self, Sent},
	metrics::{Alarm, Metrics},
	parent::Parent,
	seals,
};
use codec::{Decode, Encode};
use dbm_client::extrinsic;
use dbm_parent_runtime::{Runtime as ParentRuntime, RuntimeCall};
use dbm_primitives::{
	finality::{self, Change},
	registry::{AnchorHead, SubchainStatus},
	trade::EnergyTradeApi,
	AccountId, Balance, Block, BlockNumber, Header, SubchainId,
};
use futures::StreamExt;
use sp_core::Get;
use sp_core::{Pair, H256};
use std::time::Instant;

/// Connects to the parent and anchors until something fails; returns what failed. `found`
/// holds the seal equivocations to report.
pub async fn session<C: SubchainClient>(
	client: &C,
	prove: &ProveFinality,
	config: &RelayConfig,
	metrics: Option<&Metrics>,
	found: &seals::Found,
) -> Error {
	match anchor_loop(client, prove, config, metrics, found).await {
		Ok(never) => match never {},
		Err(e) => e,
	}
}

/// The most blocks in one anchor: the parent's `MaxSegment`.
pub fn max_segment() -> u32 {
	<ParentRuntime as pallet_biller_registry::Config>::MaxSegment::get()
}

/// The most trade records in one anchor: the parent's `MaxTradesPerAnchor`.
pub fn max_trades() -> usize {
	let max: u32 = <ParentRuntime as pallet_biller_registry::Config>::MaxTradesPerAnchor::get();
	max as usize
}

/// Whether the inclusion of the segment `next..=end`, after which the parent is `at`, is worth
/// an info line: catching up, the genesis, and every [`REPORT_EVERY`]th block are; each block
/// is not.
pub fn worth_a_line(next: BlockNumber, end: BlockNumber, at: BlockNumber) -> bool {
	end > next + 2 || next == 0 || at / REPORT_EVERY > (next.saturating_sub(1)) / REPORT_EVERY
}

/// A segment ready to anchor: its blocks and the justification of its last.
struct Segment {
	blocks: Vec<pallet_biller_registry::AnchoredBlockOf<ParentRuntime>>,
	end: BlockNumber,
	justification: Vec<u8>,
}

async fn anchor_loop<C: SubchainClient>(
	client: &C,
	prove: &ProveFinality,
	config: &RelayConfig,
	metrics: Option<&Metrics>,
	found: &seals::Found,
) -> Result<std::convert::Infallible> {
	let subchain = local::subchain_of(client)?;
	let metrics = metrics.map(|m| m.of(subchain));
	// The parent's last anchor that is not (yet) this node's block, since when.
	let mut foreign: Option<(H256, Instant)> = None;
	let parent = Parent::connect(&config.parent_rpc, config.signer.public().into()).await?;
	let mut finality = client.finality_notification_stream();
	// The election round last sent (or refused) in this session, and when.
	let mut forwarded = None;
	// The equivocation proofs sent (or refused) in this session.
	let mut reported = equivocations::Reported::new();
	// The seal equivocations sent (or refused) in this session.
	let mut sealed = seals::Reported::new();
	// The sub-chain's messages last sent to the parent (or refused), and when.
	let mut sent: Sent = None;
	// When the relayer's funds were last found low.
	let mut funds = Funds::default();
	// What was last logged while waiting, so a wait is said once.
	let mut waiting_for = String::new();
	let mut say_at = |level: log::Level, why: String| {
		if why != waiting_for {
			log::log!(target: LOG, level, "sub-chain {subchain}: {why}");
			waiting_for = why;
		}
	};
	macro_rules! say_once {
		($why:expr) => {
			say_at(log::Level::Info, $why)
		};
	}
	loop {
		let status = parent.subchain(subchain).await?.map(|info| info.status);
		if status != Some(SubchainStatus::Active) {
			say_once!(match status {
				None => "not registered on the parent; waiting".into(),
				Some(status) => format!("{status:?} on the parent; waiting"),
			});
			idle(&mut finality).await;
			continue;
		}
		elections::forward(client, &parent, subchain, config, &mut forwarded).await?;
		seals::forward(client, &parent, subchain, config, found, &mut sealed).await?;
		equivocations::forward(client, &parent, subchain, config, &mut reported).await?;
		messages::forward(client, &parent, subchain, config, &mut sent).await?;
		let last = parent.last_anchor(subchain).await?;
		if let Some(head) = &last {
			let finalized = client.info().finalized_number;
			if let Some(m) = &metrics {
				m.heights(head.number, finalized);
			}
			match check_record(client, subchain, head) {
				Ok(Record::Ours) => {
					foreign = None;
					if let Some(m) = &metrics {
						m.alarm(Alarm::None);
					}
				}
				Ok(Record::NotYetOurs) => {
					let since = match foreign {
						Some((hash, since)) if hash == head.hash => since,
						_ => foreign.insert((head.hash, Instant::now())).1,
					};
					if since.elapsed() < FOREIGN_RECORD_AFTER {
						say_once!(format!(
							"the parent's last anchor #{} ({:?}) is not a block this node has \
							 yet: waiting for this node to catch up",
							head.number, head.hash,
						));
					} else {
						if let Some(m) = &metrics {
							m.alarm(Alarm::ForeignRecord);
						}
						say_at(
							log::Level::Error,
							foreign_record_alarm(head, client.info().best_number),
						);
					}
					idle(&mut finality).await;
					continue;
				}
				Err(e) => {
					if let (Some(m), Error::Equivocation { .. }) = (&metrics, &e) {
						m.alarm(Alarm::Conflict);
					}
					return Err(e);
				}
			}
		}
		let (call, next, end) = match last {
			None => (genesis_call(client, subchain)?, 0, 0),
			Some(head) => match segment(client, prove, head.number)? {
				Some(segment) => {
					let call = RuntimeCall::BillerRegistry(pallet_biller_registry::Call::anchor {
						subchain,
						blocks: segment.blocks,
						justification: segment.justification,
					});
					(call, head.number + 1, segment.end)
				}
				None => {
					let finalized = client.info().finalized_number;
					if finalized > head.number {
						say_once!(format!(
							"no justification of a block in #{}..=#{finalized} yet; waiting",
							head.number + 1
						));
					}
					idle(&mut finality).await;
					continue;
				}
			},
		};
		let context = parent.context().await?;
		let nonce = parent.nonce().await?;
		let xt = extrinsic::parent::signed(call, &config.signer, nonce, context);
		if let Some(refusal) = parent.refusal(&xt).await {
			if let Some(m) = &metrics {
				m.refused();
			}
			return Err(Error::AnchorRefused { subchain, number: end, refusal });
		}
		funds.check(&parent, &xt, subchain, metrics.as_ref()).await;
		parent.submit(&xt).await?;
		log::debug!(target: LOG, "sub-chain {subchain}: submitted anchor #{next}..=#{end}");
		// Wait for the parent to include it, then start over from what it says.
		let deadline = Instant::now() + INCLUSION_TIMEOUT;
		loop {
			tokio::time::sleep(INCLUSION_POLL).await;
			let at = parent.last_anchor(subchain).await?.map(|head| head.number);
			if let Some(at) = at.filter(|at| *at >= end) {
				if let Some(m) = &metrics {
					m.anchored(end + 1 - next);
				}
				if worth_a_line(next, end, at) {
					say_once!(format!("anchored #{next}..=#{at} on the parent"));
				} else {
					log::debug!(target: LOG, "sub-chain {subchain}: anchored #{at}");
				}
				break;
			}
			if Instant::now() > deadline {
				log::warn!(
					target: LOG,
					"sub-chain {subchain}: the anchor of #{next}..=#{end} not included in {} s \
					 (the parent is at {at:?}); asking again",
					INCLUSION_TIMEOUT.as_secs()
				);
				break;
			}
		}
	}
}

/// Watches the relayer's balance on the parent: anchors are paid, and a relayer that runs dry
/// stops anchoring (the parent then says the sub-chain's anchors are overdue, and its biller
/// stops being a parent authority when its liveness runs out).
#[derive(Default)]
struct Funds {
	warned: Option<Instant>,
}

impl Funds {
	/// Warns (at most every [`FUNDS_WARN_EVERY`]) when the relayer can pay for fewer than
	/// [`LOW_FUNDS_ANCHORS`] anchors like `xt`, and exports what it can pay for.
	async fn check(
		&mut self,
		parent: &Parent,
		xt: &[u8],
		subchain: SubchainId,
		metrics: Option<&Metrics>,
	) {
		let (Ok(balance), Ok(fee)) = (parent.free_balance().await, parent.fee(xt).await) else {
			return;
		};
		let left = anchors_left(balance, fee);
		if let Some(m) = metrics {
			m.funds(left);
		}
		if left < LOW_FUNDS_ANCHORS && self.warned.is_none_or(|at| at.elapsed() >= FUNDS_WARN_EVERY)
		{
			log::warn!(
				target: LOG,
				"sub-chain {subchain}: the relayer {} has {balance} on the parent, enough for about \
				 {left} more anchors at {fee} each: fund it, or anchors stop and the parent stops \
				 following the sub-chain",
				dbm_client::ss58(parent.account()),
			);
			self.warned = Some(Instant::now());
		}
	}
}

/// How many transactions costing `fee` `balance` pays for.
pub fn anchors_left(balance: u128, fee: u128) -> u64 {
	u64::try_from(balance.checked_div(fee).unwrap_or(u128::MAX)).unwrap_or(u64::MAX)
}

/// What this node makes of the parent's last anchor of its sub-chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Record {
	/// This node's block at that height (finalized, or on its best chain): anchor on.
	Ours,
	/// Above this node's finalized block and not on its best chain: a block this node has not
	/// reached yet, or one its sub-chain never finalized.
	NotYetOurs,
}

/// Checks the parent's anchor `head` against this node's chain: fails with
/// [`Error::Equivocation`] if this node finalized another block at its height.
pub fn check_record<C: SubchainClient>(
	client: &C,
	subchain: SubchainId,
	head: &AnchorHead<BlockNumber>,
) -> Result<Record> {
	let finalized = client.info().finalized_number;
	match local::hash_of(client, head.number)? {
		Some(ours) if ours == head.hash => Ok(Record::Ours),
		Some(ours) if head.number <= finalized => {
			Err(Error::Equivocation { subchain, number: head.number, theirs: head.hash, ours })
		}
		_ => Ok(Record::NotYetOurs),
	}
}

/// The alarm raised when the parent's last anchor `head` has not been this node's block for
/// [`FOREIGN_RECORD_AFTER`], this node's newest block being `best`. The same words for as long
/// as the record stays, so the log says it once.
fn foreign_record_alarm(head: &AnchorHead<BlockNumber>, best: BlockNumber) -> String {
	let position = if head.number > best { "above this node's newest block" } else { "beside it" };
	format!(
		"ALARM: the parent's record of this sub-chain is #{} ({:?}), a header this node has not \
		 had for more than {} s, {position}. Unless this node is far behind its peers, the \
		 parent holds a chain that more than two thirds of the sub-chain's voters finalized and \
		 this node's chain did not (a safety failure); not anchoring over it",
		head.number,
		head.hash,
		FOREIGN_RECORD_AFTER.as_secs(),
	)
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

/// The call that anchors the sub-chain's genesis with the proof of its GRANDPA voters.
fn genesis_call<C: SubchainClient>(client: &C, subchain: SubchainId) -> Result<RuntimeCall> {
	let hash = client.info().genesis_hash;
	let header = header_of(client, hash, 0)?;
	let voters =
		local::local_proof(client, hash, &dbm_primitives::finality::grandpa_authorities_key())?;
	Ok(RuntimeCall::BillerRegistry(pallet_biller_registry::Call::anchor_genesis {
		subchain,
		header: header.encode(),
		voters,
	}))
}

fn header_of<C: SubchainClient>(client: &C, hash: H256, number: BlockNumber) -> Result<Header> {
	client
		.header(hash)
		.map_err(Error::local(format!("the header of block #{number}")))?
		.ok_or_else(|| Error::Missing(format!("no header of block #{number}")))
}

/// How many of consecutive blocks, given the voter set change each signals, one anchor may
/// carry: up to the first standard change, which ends a segment (the old set's last block),
/// except one that a forced change after it dropped (above the forced change's median, which
/// the old set never finalized); and not up to a second forced change (the parent follows one
/// per segment).
pub fn segment_len(changes: &[(BlockNumber, Option<Change>)]) -> usize {
	let forced = changes.iter().enumerate().find_map(|(i, (_, change))| match change {
		Some(Change::Forced { median, .. }) => Some((i, *median)),
		_ => None,
	});
	for (i, (number, change)) in changes.iter().enumerate() {
		match change {
			Some(Change::Standard(_)) => {
				let dropped = forced.is_some_and(|(f, median)| i < f && *number > median);
				if !dropped {
					return i + 1;
				}
			}
			Some(Change::Forced { .. }) if forced.is_some_and(|(f, _)| f != i) => return i,
			_ => {}
		}
	}
	changes.len()
}

/// The forced change among `headers`, if any: its block and the block from which its set is in
/// force.
fn forced_change(headers: &[Header]) -> Option<(BlockNumber, BlockNumber)> {
	headers.iter().find_map(|header| match finality::change(header) {
		Ok(Some(Change::Forced { delay, .. })) => {
			Some((header.number, header.number.saturating_add(delay)))
		}
		_ => None,
	})
}

/// The finalized blocks after `last` that one anchor may carry: at most [`max_segment`] of
/// them and [`max_trades`] trade records, ending as [`segment_len`] says.
fn candidates<C: SubchainClient>(
	client: &C,
	last: BlockNumber,
) -> Result<Vec<(Header, Vec<dbm_primitives::trade::TradeRecord<AccountId, Balance>>)>> {
	let finalized = client.info().finalized_number;
	let end = finalized.min(last.saturating_add(max_segment()));
	let mut blocks = Vec::new();
	let mut trades_in_all = 0;
	for number in last + 1..=end {
		let hash = local::hash_of(client, number)?
			.ok_or_else(|| Error::Missing(format!("no block #{number} in this node's database")))?;
		let header = header_of(client, hash, number)?;
		let trades = client.runtime_api().block_trades(hash).map_err(Error::api(format!(
			"the trades of block #{number} (its state must be kept: run the relaying node with \
			 --state-pruning archive-canonical)"
		)))?;
		trades_in_all += trades.len();
		if trades_in_all > max_trades() && !blocks.is_empty() {
			break;
		}
		blocks.push((header, trades));
	}
	let changes: Vec<_> = blocks
		.iter()
		.map(|(header, _)| (header.number, finality::change(header).ok().flatten()))
		.collect();
	blocks.truncate(segment_len(&changes));
	Ok(blocks)
}

/// The next finalized segment after `last`: the [`candidates`] up to the last of them with a
/// justification, the newest GRANDPA made or else one the node keeps; `None` if none of them
/// has one.
fn segment<C: SubchainClient>(
	client: &C,
	prove: &ProveFinality,
	last: BlockNumber,
) -> Result<Option<Segment>> {
	let mut blocks = candidates(client, last)?;
	let Some(newest) = blocks.last().map(|(header, _)| header.number) else { return Ok(None) };
	let newest_made = prove(last + 1).unwrap_or_else(|e| {
		// E.g. a node that warp-synced past the block's voter set: the kept ones remain.
		log::debug!(target: LOG, "{e}");
		None
	});
	let proven = newest_made.and_then(|encoded| {
		let justification =
			dbm_primitives::finality::Justification::decode(&mut &encoded[..]).ok()?;
		let target = (justification.commit.target_hash, justification.commit.target_number);
		blocks
			.iter()
			.any(|(header, _)| (header.hash(), header.number) == target)
			.then_some((target.1, encoded))
	});
	let justified = match proven {
		Some(found) => Some(found),
		None => blocks.iter().rev().find_map(|(header, _)| {
			let stored = client.justifications(header.hash()).ok().flatten()?;
			stored
				.into_justification(dbm_primitives::finality::GRANDPA_ENGINE_ID)
				.map(|encoded| (header.number, encoded))
		}),
	};
	let Some((end, justification)) = justified else {
		log::debug!(
			target: LOG,
			"no justification of blocks #{}..=#{newest} yet",
			last + 1
		);
		return Ok(None);
	};
	blocks.truncate((end - last) as usize);
	// A forced change is anchored with a block from which its set is in force, justified by
	// that set: wait for one.
	let headers: Vec<_> = blocks.iter().map(|(header, _)| header.clone()).collect();
	if let Some((signal, enacted)) = forced_change(&headers) {
		if end < enacted {
			log::debug!(
				target: LOG,
				"block #{signal} forces a voter set change in force from #{enacted}: waiting \
				 for a justification of a block from there on (have #{end})"
			);
			return Ok(None);
		}
	}
	let blocks = blocks
		.into_iter()
		.map(|(header, trades)| pallet_biller_registry::AnchoredBlockOf::<ParentRuntime> {
			header: header.encode(),
			trades,
		})
		.collect();
	Ok(Some(Segment { blocks, end, justification }))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_anchors_left_are_the_balance_over_the_fee() {
		assert_eq!(anchors_left(10_000, 100), 100);
		assert_eq!(anchors_left(99, 100), 0);
		assert_eq!(anchors_left(5, 0), u64::MAX);
		assert_eq!(anchors_left(u128::MAX, 1), u64::MAX);
	}

	#[test]
	fn catching_up_the_genesis_and_every_hundredth_block_are_reported() {
		// One or a few blocks at a time, in the middle of a hundred: not worth a line.
		assert!(!worth_a_line(150, 150, 150));
		assert!(!worth_a_line(150, 152, 152));
		// Catching up.
		assert!(worth_a_line(150, 160, 160));
		// The genesis.
		assert!(worth_a_line(0, 0, 0));
		// Crossing a hundred.
		assert!(worth_a_line(200, 200, 200));
		assert!(!worth_a_line(201, 201, 201));
	}

	#[test]
	fn a_segment_ends_at_a_standard_change_unless_a_forced_one_dropped_it() {
		let standard = || Some(Change::Standard(Vec::new()));
		let forced = |median| Some(Change::Forced { median, delay: 2, next: Vec::new() });
		let at = |changes: Vec<Option<Change>>| {
			let numbered: Vec<_> =
				changes.into_iter().enumerate().map(|(i, c)| (11 + i as u32, c)).collect();
			segment_len(&numbered)
		};
		assert_eq!(at(vec![None, None, None]), 3);
		assert_eq!(at(vec![None, standard(), None]), 2);
		// Block 12's change is above the median 11 of block 14's forced change: dropped.
		assert_eq!(at(vec![None, standard(), None, forced(11), None, None]), 6);
		// At or below the median, the old set finalized it: it ends the segment.
		assert_eq!(at(vec![None, standard(), None, forced(12), None, None]), 2);
		// After the forced change, a standard change is the new set's last block.
		assert_eq!(at(vec![forced(10), None, None, standard(), None]), 4);
		// A second forced change waits for the next segment.
		assert_eq!(at(vec![forced(10), None, None, forced(12), None]), 3);
	}

	#[test]
	fn the_segment_bounds_are_the_parents() {
		assert_eq!(max_segment(), 64);
		assert_eq!(max_trades(), 4 * dbm_primitives::trade::MAX_TRADES_PER_BLOCK as usize);
	}
}
