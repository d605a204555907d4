//! Simulated meters: each development member's meter, holding its own ed25519 key, measuring
//! the energy its member's trades move and signing one reading per metering interval.
//!
//! The physical model is the simplest that exercises settlement from readings: in each
//! interval a member exports what its trades as seller schedule for that interval and imports
//! what its trades as buyer schedule (a trade's energy spread evenly over its delivery
//! window's blocks). A seller delivers short by up to 4% of its scheduled export, less the
//! more stable the paper says it is (`(1 - stable) * 4%`), so the settlement shows imbalance
//! while staying within the sub-chain's 5% tolerance. Buyers draw what they bought.

use dbm_primitives::{
	dbsca::NodeAttributes,
	metering::{scheduled_share, IntervalIndex, MeterReading, MeterSignature},
	trade::Trade,
	AccountId, Balance, BlockNumber, SubchainId,
};
use sp_core::{ed25519, Pair};
use sp_runtime::{Permill, Saturating};

/// The most a simulated seller falls short of its scheduled export.
pub const MAX_SHORTFALL: Permill = Permill::from_percent(4);

/// One member's simulated meter.
pub struct Meter {
	/// The member it measures.
	pub account: AccountId,
	/// Its own key (`//Alice//meter`, ...): not the member's account key.
	pub pair: ed25519::Pair,
	/// The share of its scheduled export it delivers.
	pub performance: Permill,
}

impl Meter {
	/// The meter of the development member `account` of sub-chain `id` whose keyring is
	/// `keyring`, with the paper's `attributes`.
	pub fn dev(
		keyring: sp_keyring::Sr25519Keyring,
		id: SubchainId,
		account: AccountId,
		attributes: &NodeAttributes,
	) -> Meter {
		let pair = dbm_runtime_common::presets::subchain_dev_meter(keyring, id);
		let unstable = Permill::one().saturating_sub(attributes.stability);
		let performance = Permill::one().saturating_sub(MAX_SHORTFALL * unstable);
		Meter { account, pair, performance }
	}

	/// What the meter measures in interval `k` (`length` blocks) given the open `trades`:
	/// (exported, imported) in Wh.
	pub fn measure<'a>(
		&self,
		trades: impl IntoIterator<Item = &'a Trade<AccountId, Balance, BlockNumber>>,
		k: IntervalIndex,
		length: BlockNumber,
	) -> (u64, u64) {
		let (mut exported, mut imported) = (0u64, 0u64);
		for trade in trades {
			let share = scheduled(trade, k, length);
			if trade.seller == self.account {
				exported = exported.saturating_add(self.performance.mul_floor(share));
			}
			if trade.buyer == self.account {
				imported = imported.saturating_add(share);
			}
		}
		(exported, imported)
	}

	/// The meter's signed reading of interval `k` on sub-chain `id`. The counter is the
	/// interval's index plus one: it grows with every reading.
	pub fn read(
		&self,
		id: SubchainId,
		k: IntervalIndex,
		exported_wh: u64,
		imported_wh: u64,
	) -> (MeterReading<AccountId>, MeterSignature) {
		let reading = MeterReading {
			subchain: id,
			member: self.account.clone(),
			meter: self.pair.public(),
			interval: k,
			exported_wh,
			imported_wh,
			counter: u64::from(k) + 1,
		};
		let signature = reading.sign(&self.pair);
		(reading, signature)
	}
}

/// The energy `trade` schedules in interval `k` of `length` blocks: its energy spread evenly
/// over its window's blocks, by the schedule the runtime settles it by
/// ([`scheduled_share`]).
pub fn scheduled(
	trade: &Trade<AccountId, Balance, BlockNumber>,
	k: IntervalIndex,
	length: BlockNumber,
) -> u64 {
	let window = (u64::from(trade.delivery_start), u64::from(trade.delivery_end));
	scheduled_share(trade.energy_wh, window, u64::from(length), k)
}

#[cfg(test)]
mod tests {
	use super::*;
	use dbm_primitives::trade::EnergyKind;

	fn trade(
		start: BlockNumber,
		end: BlockNumber,
		energy_wh: u64,
	) -> Trade<AccountId, Balance, BlockNumber> {
		Trade {
			offer: 0,
			buyer: AccountId::new([1; 32]),
			seller: AccountId::new([2; 32]),
			kind: EnergyKind::Any,
			energy_wh,
			price: 100,
			escrow: 0,
			delivery_start: start,
			delivery_end: end,
			settle_by: end + 100,
			disputed: false,
		}
	}

	#[test]
	fn a_trades_energy_is_spread_over_its_window_without_loss() {
		let t = trade(15, 44, 1_000); // 30 blocks over intervals 0 to 2 of 20 blocks
		let parts: Vec<u64> = (0..4).map(|k| scheduled(&t, k, 20)).collect();
		assert_eq!(parts.iter().sum::<u64>(), 1_000);
		assert_eq!(parts, vec![166, 667, 167, 0]);
		let one = trade(40, 59, 777);
		assert_eq!((scheduled(&one, 1, 20), scheduled(&one, 2, 20)), (0, 777));
	}

	#[test]
	fn a_seller_delivers_short_within_the_tolerance_and_a_buyer_draws_in_full() {
		let t = trade(40, 59, 10_000);
		let attributes =
			NodeAttributes { stability: Permill::from_percent(25), ..Default::default() };
		let keyring = sp_keyring::Sr25519Keyring::Bob;
		let seller = Meter::dev(keyring, SubchainId(1), t.seller.clone(), &attributes);
		let buyer = Meter::dev(keyring, SubchainId(1), t.buyer.clone(), &attributes);
		assert_eq!(seller.measure([&t], 2, 20), (9_700, 0)); // 3% short
		assert_eq!(buyer.measure([&t], 2, 20), (0, 10_000));
		let (reading, signature) = seller.read(SubchainId(1), 2, 9_700, 0);
		assert!(reading.verify(&signature));
		assert_eq!(reading.counter, 3);
		assert_ne!(&reading.meter.0, AsRef::<[u8; 32]>::as_ref(&t.seller));
	}
}
