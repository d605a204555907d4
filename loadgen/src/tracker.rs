//! What is known of one chain's load while it runs: every transaction sent and every block,
//! matched with each other.

use crate::workload;
use dbm_primitives::{trade::TradeId, AccountId};
use std::{
	collections::{BTreeMap, HashMap, HashSet, VecDeque},
	time::{Duration, Instant},
};

/// One transaction sent.
#[derive(Clone, Debug)]
pub struct TxRecord {
	/// What it is (`transfer_keep_alive`, `accept_offer`, ...).
	pub kind: &'static str,
	/// When it was queued for sending (behind its signer's earlier transactions).
	pub submitted: Instant,
	/// The node's refusal, if it refused it.
	pub refused: Option<String>,
	/// The block it is in.
	pub block: Option<u32>,
	/// Its error, if it is in a block and failed.
	pub failed: Option<String>,
	/// Given up on: accepted by the node and in no block `--lost-after` seconds later.
	pub lost: bool,
}

/// One block of the chain under load.
#[derive(Clone, Debug)]
pub struct BlockRecord {
	/// When `dbm-bench` handled the notification of a new best block at or above it.
	pub seen: Instant,
	/// Extrinsics in it (inherents included).
	pub extrinsics: usize,
	/// Transactions of the run in it that succeeded.
	pub ours_ok: usize,
	/// Transactions of the run in it that failed.
	pub ours_failed: usize,
}

/// What is known of one chain's load so far.
#[derive(Default)]
pub struct Tracker {
	/// Every transaction sent, in order.
	pub records: Vec<TxRecord>,
	by_hash: HashMap<[u8; 32], usize>,
	signer: Vec<usize>,
	/// Blocks above the best block when the chain's followers started (just before the
	/// window).
	pub blocks: BTreeMap<u32, BlockRecord>,
	/// The finalized heads as they were notified.
	pub finality: Vec<(u32, Instant)>,
	/// For a sub-chain of `--layout double`: its last anchor in each finalized parent block,
	/// when it was seen there (only when it moved on).
	pub anchored: Vec<(u32, Instant)>,
	/// Trades each buyer may confirm, oldest first.
	pub confirmable: HashMap<AccountId, VecDeque<(TradeId, u64)>>,
	/// Signers (trader indexes) with a refused transaction since their nonce was last read.
	pub resync: HashSet<usize>,
	/// Sent and neither refused nor in a block.
	pub pending: usize,
	/// In a block and succeeded.
	pub ok: usize,
	/// In a block and failed.
	pub failed: usize,
	/// Refused by the node.
	pub refused: usize,
	/// Given up on (see [`TxRecord::lost`]), not counted as waiting.
	pub lost: usize,
}

impl Tracker {
	pub fn sent(&mut self, hash: [u8; 32], kind: &'static str, signer: usize) -> usize {
		let index = self.records.len();
		self.records.push(TxRecord {
			kind,
			submitted: Instant::now(),
			refused: None,
			block: None,
			failed: None,
			lost: false,
		});
		self.by_hash.insert(hash, index);
		self.signer.push(signer);
		self.pending += 1;
		index
	}

	pub fn refuse(&mut self, index: usize, error: String) {
		let record = &mut self.records[index];
		if record.block.is_some() || record.refused.is_some() {
			return;
		}
		if std::mem::take(&mut record.lost) {
			// Given up on while its submission was still waiting for the node's answer.
			self.lost -= 1;
		} else {
			self.pending -= 1;
		}
		record.refused = Some(error);
		self.refused += 1;
		self.resync.insert(self.signer[index]);
	}

	pub fn block(
		&mut self,
		number: u32,
		seen: Instant,
		xts: &[Vec<u8>],
		outcomes: workload::Outcomes,
	) {
		let failed: HashMap<u32, String> = outcomes.failed.into_iter().collect();
		let mut block = BlockRecord { seen, extrinsics: xts.len(), ours_ok: 0, ours_failed: 0 };
		for (i, xt) in xts.iter().enumerate() {
			let Some(&index) = self.by_hash.get(&sp_io::hashing::blake2_256(xt)) else {
				continue;
			};
			let record = &mut self.records[index];
			if record.block.is_some() {
				continue;
			}
			if record.refused.take().is_some() {
				// Refused by the RPC (e.g. as already known) yet included.
				self.refused -= 1;
			} else if std::mem::take(&mut record.lost) {
				// Given up on, and included after all.
				self.lost -= 1;
			} else {
				self.pending -= 1;
			}
			record.block = Some(number);
			record.failed = failed.get(&(i as u32)).cloned();
			if record.failed.is_some() {
				block.ours_failed += 1;
				self.failed += 1;
			} else {
				block.ours_ok += 1;
				self.ok += 1;
			}
		}
		for (buyer, trade, energy) in outcomes.trades {
			self.confirmable.entry(buyer).or_default().push_back((trade, energy));
		}
		self.blocks.insert(number, block);
	}

	/// Gives up on transactions sent more than `after` ago and in no block: they no longer
	/// count as waiting, and their signers' nonces are read again.
	pub fn expire(&mut self, after: Duration) {
		let now = Instant::now();
		for (index, record) in self.records.iter_mut().enumerate() {
			let waiting = record.block.is_none() && record.refused.is_none() && !record.lost;
			if waiting && now.duration_since(record.submitted) > after {
				record.lost = true;
				self.pending -= 1;
				self.lost += 1;
				self.resync.insert(self.signer[index]);
			}
		}
	}

	/// The highest finalized block notified.
	pub fn finalized(&self) -> u32 {
		self.finality.iter().map(|(n, _)| *n).max().unwrap_or_default()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_tracker_matches_blocks_with_what_was_sent() {
		let mut tracker = Tracker::default();
		let xts: Vec<Vec<u8>> = vec![vec![1], vec![2], vec![3], vec![4]];
		let hash = |xt: &Vec<u8>| sp_io::hashing::blake2_256(xt);
		for xt in &xts[1..] {
			tracker.sent(hash(xt), "transfer_keep_alive", 0);
		}
		tracker.refuse(2, "1014 Priority is too low".into());
		assert_eq!((tracker.pending, tracker.refused), (2, 1));
		let buyer: AccountId = sp_keyring::Sr25519Keyring::Bob.to_account_id();
		let outcomes = workload::Outcomes {
			failed: vec![(2, "EnergyTrade(TradeBatchFull)".into())],
			trades: vec![(buyer.clone(), 9, 10)],
		};
		// The inherent (index 0) is not ours; index 2 failed.
		tracker.block(5, Instant::now(), &xts[..3], outcomes);
		assert_eq!((tracker.ok, tracker.failed, tracker.pending), (1, 1, 0));
		assert_eq!(tracker.records[1].failed.as_deref(), Some("EnergyTrade(TradeBatchFull)"));
		assert_eq!(tracker.records[0].block, Some(5));
		let block = &tracker.blocks[&5];
		assert_eq!((block.extrinsics, block.ours_ok, block.ours_failed), (3, 1, 1));
		assert_eq!(tracker.confirmable[&buyer], VecDeque::from([(9, 10)]));
		// Refused and still included: counted once, as included.
		tracker.block(6, Instant::now(), &xts[3..], Default::default());
		assert_eq!((tracker.ok, tracker.refused, tracker.pending), (2, 0, 0));
		assert!(tracker.resync.contains(&0));
	}

	#[test]
	fn transactions_waiting_too_long_are_given_up_on_until_a_block_holds_them() {
		let mut tracker = Tracker::default();
		let xt = vec![7u8];
		tracker.sent(sp_io::hashing::blake2_256(&xt), "accept_offer", 3);
		tracker.expire(Duration::from_secs(60));
		assert_eq!((tracker.pending, tracker.lost), (1, 0));
		std::thread::sleep(Duration::from_millis(2));
		tracker.expire(Duration::from_millis(1));
		assert_eq!((tracker.pending, tracker.lost), (0, 1));
		assert!(tracker.records[0].lost && tracker.resync.contains(&3));
		// Expiring again changes nothing; a block holding it after all counts it as included.
		tracker.expire(Duration::from_millis(1));
		assert_eq!(tracker.lost, 1);
		tracker.block(9, Instant::now(), &[xt], Default::default());
		assert_eq!((tracker.pending, tracker.lost, tracker.ok), (0, 0, 1));
		assert!(!tracker.records[0].lost);

		// Given up on, then refused by the node: counted once, as refused.
		tracker.sent([1; 32], "accept_offer", 4);
		std::thread::sleep(Duration::from_millis(2));
		tracker.expire(Duration::from_millis(1));
		tracker.refuse(1, "1014 Priority is too low".into());
		assert_eq!((tracker.pending, tracker.lost, tracker.refused), (0, 0, 1));
		tracker.refuse(1, "again".into());
		assert_eq!(tracker.refused, 1);
	}
}
