//! Meters: the devices whose signed interval readings settle the market.
//!
//! Every member's connection to the grid has a meter with its own ed25519 key, distinct from
//! the member's account key: the account trades, the meter only measures. A meter signs one
//! [`MeterReading`] per metering interval (a fixed number of blocks, the sub-chain's
//! `MeteringInterval`), naming its sub-chain and its member: the energy it measured flowing
//! out of the member's connection
//! (`exported_wh`) and into it (`imported_wh`), with a counter it never repeats. Anyone may
//! submit a reading; the runtime checks its signature against the key registered for the
//! member ([`MeterRegistry`]) and keeps at most one reading per member and interval, in
//! interval order.
//!
//! The rule by which readings settle a trade is [`settle_metered`]; the allocation of a
//! member's metered energy among its trades is the energy-trade pallet's.

use crate::{trade::payment, Balance, SubchainId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A meter's public key.
pub type MeterKey = sp_core::ed25519::Public;

/// A meter's signature over a reading's [`signing_payload`](MeterReading::signing_payload).
pub type MeterSignature = sp_core::ed25519::Signature;

/// A metering interval's index: interval `k` is the blocks `k * N .. (k + 1) * N` of a
/// sub-chain whose interval is `N` blocks long.
pub type IntervalIndex = u32;

/// What a meter signs for one interval.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MeterReading<AccountId> {
	/// The sub-chain the meter's member belongs to: a reading counts on no other chain.
	pub subchain: SubchainId,
	/// The member whose connection the meter measured: a reading counts for no other member,
	/// even if the meter later measures for one.
	pub member: AccountId,
	/// The meter that signed it.
	pub meter: MeterKey,
	/// The interval it measured.
	pub interval: IntervalIndex,
	/// Energy that flowed from the member's connection into the grid, in Wh.
	pub exported_wh: u64,
	/// Energy that flowed from the grid into the member's connection, in Wh.
	pub imported_wh: u64,
	/// The meter's own count of readings it signed: it only ever grows.
	pub counter: u64,
}

impl<AccountId: Encode> MeterReading<AccountId> {
	/// The context every signed reading starts with, so a meter's signature over a reading
	/// can never be taken for a signature over anything else (nor over a reading of the
	/// first version, which named no member).
	pub const CONTEXT: &'static [u8] = b"dbm/meter-reading/v2";

	/// The bytes the meter signs: [`CONTEXT`](Self::CONTEXT), then the SCALE-encoded reading.
	pub fn signing_payload(&self) -> Vec<u8> {
		let mut payload = Self::CONTEXT.to_vec();
		self.encode_to(&mut payload);
		payload
	}

	/// Whether `signature` is the reading's meter's over it.
	pub fn verify(&self, signature: &MeterSignature) -> bool {
		use sp_runtime::traits::Verify;
		signature.verify(&self.signing_payload()[..], &self.meter)
	}

	/// The reading signed by `meter` (whose public key must be `self.meter`).
	#[cfg(feature = "std")]
	pub fn sign(&self, meter: &sp_core::ed25519::Pair) -> MeterSignature {
		use sp_core::Pair;
		meter.sign(&self.signing_payload())
	}
}

/// A meter key with the meter's proof that it measures for a member: its signature over the
/// member's account. A join or a meter replacement names its meter by a claim, so nobody can
/// register a key whose holder did not agree to measure for that member (a key copied from
/// another member, or one nobody holds).
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MeterClaim {
	/// The meter's key.
	pub key: MeterKey,
	/// The meter's signature over [`MeterClaim::signing_payload`] for the member.
	pub proof: MeterSignature,
}

impl MeterClaim {
	/// The context of every claim's signature: no reading's and nothing else's.
	pub const CONTEXT: &'static [u8] = b"dbm/meter-claim/v1";

	/// The bytes the meter signs to measure for `member`: [`CONTEXT`](Self::CONTEXT), the
	/// SCALE-encoded account, then the meter's own key.
	pub fn signing_payload<AccountId: Encode>(member: &AccountId, key: &MeterKey) -> Vec<u8> {
		let mut payload = Self::CONTEXT.to_vec();
		member.encode_to(&mut payload);
		payload.extend_from_slice(key.as_ref());
		payload
	}

	/// Whether the proof is the key's signature for `member`.
	pub fn verify<AccountId: Encode>(&self, member: &AccountId) -> bool {
		use sp_runtime::traits::Verify;
		self.proof.verify(&Self::signing_payload(member, &self.key)[..], &self.key)
	}

	/// The claim of `meter` to measure for `member`.
	#[cfg(feature = "std")]
	pub fn sign<AccountId: Encode>(meter: &sp_core::ed25519::Pair, member: &AccountId) -> Self {
		use sp_core::Pair;
		let key = meter.public();
		MeterClaim { key, proof: meter.sign(&Self::signing_payload(member, &key)) }
	}
}

/// What the chain remembers of a member's meter.
#[derive(
	Clone,
	Copy,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MeterState {
	/// The meter's key.
	pub key: MeterKey,
	/// The last interval the member's meters read, if any: readings come in interval order.
	/// A replacement meter keeps it, so nothing read before can be read again.
	pub last_interval: Option<IntervalIndex>,
	/// The counter of this meter's last reading (0 before its first): each reading's is higher.
	pub counter: u64,
}

impl MeterState {
	/// A newly registered meter that follows readings up to `last_interval`.
	pub fn new(key: MeterKey, last_interval: Option<IntervalIndex>) -> Self {
		MeterState { key, last_interval, counter: 0 }
	}
}

/// The sub-chain's meters, as the member registry keeps them.
pub trait MeterRegistry<AccountId> {
	/// This sub-chain's id, which every reading must name.
	fn subchain() -> Option<SubchainId>;

	/// The member whose meter has key `meter`, with the meter's state.
	fn meter_owner(meter: &MeterKey) -> Option<(AccountId, MeterState)>;

	/// The state of member `who`'s meter.
	fn meter_of(who: &AccountId) -> Option<MeterState>;

	/// Notes that `who`'s meter read `interval` with `counter`.
	fn note_reading(who: &AccountId, interval: IntervalIndex, counter: u64);
}

/// A member's metered energy in one interval, and how much of it trades have taken.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct IntervalEnergy {
	/// Exported, in Wh, as the reading says.
	pub exported_wh: u64,
	/// Imported, in Wh, as the reading says.
	pub imported_wh: u64,
	/// Of the export, what trades the member sold have taken.
	pub export_taken_wh: u64,
	/// Of the import, what trades the member bought have taken.
	pub import_taken_wh: u64,
}

impl IntervalEnergy {
	/// Export no trade has taken yet.
	pub fn export_left(&self) -> u64 {
		self.exported_wh.saturating_sub(self.export_taken_wh)
	}

	/// Import no trade has taken yet.
	pub fn import_left(&self) -> u64 {
		self.imported_wh.saturating_sub(self.import_taken_wh)
	}
}

/// The part of a trade's `energy_wh` due in metering interval `k` (blocks `k * length ..
/// (k + 1) * length`), its delivery window being blocks `start ..= end`: the energy is
/// delivered at a steady rate over the window's blocks, each interval's part in proportion to
/// the window's blocks in it, rounded so that the parts sum to `energy_wh` exactly. Nothing is
/// due outside the window.
///
/// Settlement takes a trade's energy from its parties' readings by this schedule, so a member's
/// trades in the same intervals each take their own part of what its meter measured, whichever
/// settles first.
pub fn scheduled_share(
	energy_wh: u64,
	(start, end): (u64, u64),
	length: u64,
	k: IntervalIndex,
) -> u64 {
	if end < start || length == 0 {
		return 0;
	}
	let (start, end) = (u128::from(start), u128::from(end));
	let blocks = end - start + 1;
	// The energy due before block `b`: it grows with `b`, to `energy_wh` after the window.
	let before = |b: u128| u128::from(energy_wh) * (b.clamp(start, end + 1) - start) / blocks;
	let (from, to) = (u128::from(k) * u128::from(length), (u128::from(k) + 1) * u128::from(length));
	(before(to) - before(from)) as u64
}

/// How a trade settles from its parties' metered energy: who is paid what, from the buyer's
/// escrow, and what the seller owes the grid.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct MeteredSettlement {
	/// Energy both meters show: the seller's export and the buyer's import for the trade, the
	/// smaller of the two, in Wh.
	pub delivered_wh: u64,
	/// Energy the buyer drew that the seller did not deliver: the grid supplied it, in Wh.
	pub seller_short_wh: u64,
	/// Energy the seller delivered that the buyer did not draw: it flowed into the grid, in Wh.
	pub buyer_short_wh: u64,
	/// Paid to the seller from the escrow: the trade price for the energy delivered, and the
	/// trade price less the feed-in tariff for the energy the buyer left to the grid.
	pub to_seller: Balance,
	/// Paid to the grid account from the escrow: the trade price for the energy the grid
	/// supplied in the seller's place.
	pub to_grid: Balance,
	/// What the seller owes the grid account from its own balance: the grid price less the
	/// trade price for the energy the grid supplied in its place.
	pub seller_owes: Balance,
	/// Returned to the buyer: the rest of the escrow.
	pub refunded: Balance,
}

/// Settles a trade of `energy_wh` at `price` per kWh, whose buyer escrowed `escrow`, from the
/// seller's metered export `seller_wh` and the buyer's metered import `buyer_wh` taken for it,
/// at the sub-chain's `feed_in_tariff` and `grid_price`.
///
/// The rule, with `s` and `b` the two readings capped at the energy agreed:
///
/// * the seller is paid the trade price for `min(s, b)`, the energy both meters show;
/// * if the buyer drew more than the seller delivered (`b > s`), the grid supplied the
///   difference: the buyer pays the trade price for it to the grid account, from its escrow,
///   and the seller, who fell short, owes the grid account the difference between the grid
///   price and the trade price for it. The grid gets the grid price; the buyer pays what it
///   agreed for every Wh it drew;
/// * if the seller delivered more than the buyer drew (`s > b`), the surplus flowed into the
///   grid, which pays the feed-in tariff for it under its own contract with the seller: the
///   buyer, who fell short, pays the seller the difference between the trade price and the
///   feed-in tariff for it, from its escrow. The seller gets the trade price for every Wh it
///   delivered;
/// * the rest of the escrow returns to the buyer.
///
/// What is paid from the escrow never exceeds it: one of the two shortfalls is zero, so the
/// energy paid for is at most `max(s, b) <= energy_wh`, and no price paid per kWh is above the
/// trade price the escrow was taken at.
pub fn settle_metered(
	energy_wh: u64,
	price: Balance,
	escrow: Balance,
	seller_wh: u64,
	buyer_wh: u64,
	feed_in_tariff: Balance,
	grid_price: Balance,
) -> MeteredSettlement {
	let s = seller_wh.min(energy_wh);
	let b = buyer_wh.min(energy_wh);
	let delivered_wh = s.min(b);
	let seller_short_wh = b - delivered_wh;
	let buyer_short_wh = s - delivered_wh;
	// Each payment is at most `price * energy / 1000` for its part of the energy, and the
	// parts sum to at most `energy_wh`; the `min`s only guard the arithmetic.
	let pay = |rate: Balance, wh: u64| payment(rate, wh).unwrap_or(escrow).min(escrow);
	let to_seller = pay(price, delivered_wh)
		.saturating_add(pay(price.saturating_sub(feed_in_tariff), buyer_short_wh))
		.min(escrow);
	let to_grid = pay(price, seller_short_wh).min(escrow - to_seller);
	let seller_owes = payment(grid_price.saturating_sub(price), seller_short_wh).unwrap_or(0);
	MeteredSettlement {
		delivered_wh,
		seller_short_wh,
		buyer_short_wh,
		to_seller,
		to_grid,
		seller_owes,
		refunded: escrow - to_seller - to_grid,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::Pair;

	const PRICE: Balance = 200;
	const FIT: Balance = 80;
	const GRID: Balance = 300;

	fn reading(meter: MeterKey) -> MeterReading<[u8; 32]> {
		MeterReading {
			subchain: SubchainId(1),
			member: [1; 32],
			meter,
			interval: 7,
			exported_wh: 1_500,
			imported_wh: 20,
			counter: 3,
		}
	}

	#[test]
	fn a_reading_verifies_only_with_its_meters_signature_and_unchanged() {
		let meter = sp_core::ed25519::Pair::from_string("//Alice//meter", None).unwrap();
		let other = sp_core::ed25519::Pair::from_string("//Bob//meter", None).unwrap();
		let r = reading(meter.public());
		let signature = r.sign(&meter);
		assert!(r.verify(&signature));
		assert!(!r.verify(&r.sign(&other)));
		for changed in [
			MeterReading { exported_wh: 1_501, ..r },
			MeterReading { imported_wh: 0, ..r },
			MeterReading { interval: 8, ..r },
			MeterReading { counter: 4, ..r },
			MeterReading { subchain: SubchainId(2), ..r },
			MeterReading { member: [2; 32], ..r },
		] {
			assert!(!changed.verify(&signature), "{changed:?}");
		}
		// Signed without the context, the same bytes are no reading.
		assert!(!r.verify(&meter.sign(&r.encode())));
		assert!(r.signing_payload().starts_with(MeterReading::<[u8; 32]>::CONTEXT));
	}

	#[test]
	fn a_schedule_follows_the_windows_blocks_and_sums_to_the_energy() {
		let parts = |energy, window: (u64, u64), length: u64| -> Vec<u64> {
			(0..=(window.1 / length + 1) as u32)
				.map(|k| scheduled_share(energy, window, length, k))
				.collect()
		};
		// Blocks 5 to 20 in intervals of 5: 5, 5, 5 and 1 blocks of the 16.
		assert_eq!(parts(2_000, (5, 20), 5), [0, 625, 625, 625, 125, 0]);
		// A window aligned with the intervals: even parts.
		assert_eq!(parts(2_000, (5, 24), 5), [0, 500, 500, 500, 500, 0]);
		for (energy, window, length) in
			[(7, (3, 17), 4), (1_000, (0, 0), 20), (u64::MAX, (1, 3_600), 20), (0, (2, 9), 3)]
		{
			let all = parts(energy, window, length);
			assert_eq!(
				all.iter().map(|&p| u128::from(p)).sum::<u128>(),
				u128::from(energy),
				"{energy} over {window:?}"
			);
		}
		assert_eq!(scheduled_share(5, (9, 8), 5, 1), 0, "an empty window");
		assert_eq!(scheduled_share(5, (0, 8), 0, 0), 0, "no intervals");
	}

	#[test]
	fn a_claim_proves_the_meter_measures_for_that_member_only() {
		let meter = sp_core::ed25519::Pair::from_string("//Alice//meter", None).unwrap();
		let (alice, bob) = ([1u8; 32], [2u8; 32]);
		let claim = MeterClaim::sign(&meter, &alice);
		assert!(claim.verify(&alice));
		assert!(!claim.verify(&bob), "another member's");
		// Another key named with this proof, or the proof made by another meter.
		let other = sp_core::ed25519::Pair::from_string("//Bob//meter", None).unwrap();
		assert!(!MeterClaim { key: other.public(), ..claim }.verify(&alice));
		assert!(
			!MeterClaim { proof: MeterClaim::sign(&other, &alice).proof, ..claim }.verify(&alice)
		);
		// A reading's signature is no claim, nor the other way round.
		let reading = MeterReading { meter: meter.public(), ..reading(meter.public()) };
		assert!(!MeterClaim { proof: reading.sign(&meter), ..claim }.verify(&alice));
		assert!(!reading.verify(&claim.proof));
	}

	#[test]
	fn meters_that_agree_pay_the_seller_for_what_both_show() {
		let escrow = payment(PRICE, 1_000).unwrap();
		let s = settle_metered(1_000, PRICE, escrow, 1_000, 1_000, FIT, GRID);
		assert_eq!(
			(s.delivered_wh, s.to_seller, s.to_grid, s.seller_owes, s.refunded),
			(1_000, escrow, 0, 0, 0)
		);
		// More than agreed counts as agreed.
		assert_eq!(settle_metered(1_000, PRICE, escrow, 5_000, 9_000, FIT, GRID), s);
		// Nothing on either side: all back to the buyer.
		let none = settle_metered(1_000, PRICE, escrow, 0, 0, FIT, GRID);
		assert_eq!((none.delivered_wh, none.to_seller, none.refunded), (0, 0, escrow));
	}

	#[test]
	fn a_seller_short_owes_the_grid_the_difference_and_the_buyer_pays_its_price() {
		let escrow = payment(PRICE, 1_000).unwrap();
		let s = settle_metered(1_000, PRICE, escrow, 900, 1_000, FIT, GRID);
		assert_eq!((s.delivered_wh, s.seller_short_wh, s.buyer_short_wh), (900, 100, 0));
		assert_eq!(s.to_seller, payment(PRICE, 900).unwrap());
		assert_eq!(s.to_grid, payment(PRICE, 100).unwrap());
		assert_eq!(s.seller_owes, payment(GRID - PRICE, 100).unwrap());
		assert_eq!(s.refunded, 0);
	}

	#[test]
	fn a_buyer_short_pays_the_seller_the_trade_price_less_the_feed_in_tariff() {
		let escrow = payment(PRICE, 1_000).unwrap();
		let s = settle_metered(1_000, PRICE, escrow, 1_000, 950, FIT, GRID);
		assert_eq!((s.delivered_wh, s.seller_short_wh, s.buyer_short_wh), (950, 0, 50));
		assert_eq!(s.to_seller, payment(PRICE, 950).unwrap() + payment(PRICE - FIT, 50).unwrap());
		assert_eq!((s.to_grid, s.seller_owes), (0, 0));
		assert_eq!(s.refunded, escrow - s.to_seller);
	}

	#[test]
	fn the_escrow_always_covers_what_it_pays() {
		// Every split of readings, prices on and off the bounds, rounding at every step.
		for energy in [1u64, 7, 999, 1_000, 12_345] {
			for price in [0, 1, FIT, 199, GRID, GRID + 5] {
				let escrow = payment(price, energy).unwrap();
				for seller in (0..=energy + 3).step_by((energy as usize / 7).max(1)) {
					for buyer in (0..=energy + 3).step_by((energy as usize / 5).max(1)) {
						let s = settle_metered(energy, price, escrow, seller, buyer, FIT, GRID);
						assert_eq!(s.to_seller + s.to_grid + s.refunded, escrow);
						assert!(s.delivered_wh <= energy);
						assert!(s.seller_short_wh == 0 || s.buyer_short_wh == 0);
					}
				}
			}
		}
	}
}
