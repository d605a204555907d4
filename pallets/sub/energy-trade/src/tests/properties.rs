//! Random sequences of calls, from members, a suspended member and an outsider, across
//! blocks: after every step the invariants hold, escrow matches the open offers and trades,
//! total issuance is unchanged, and a call that fails changes nothing.

use crate::{mock::*, *};
use frame_support::{dispatch::GetDispatchInfo, traits::UnfilteredDispatchable};
use proptest::prelude::*;
use sp_runtime::StateVersion;

const ACTORS: [AccountId; 8] = [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE, OUTSIDER, STRANGER];

#[derive(Clone, Debug)]
enum Op {
	Demand {
		who: usize,
		energy: u64,
		price: Balance,
		partial: bool,
		fallback: bool,
		renewable: bool,
		life: u64,
	},
	Supply {
		who: usize,
		energy: u64,
		price: Balance,
		partial: bool,
		life: u64,
	},
	Accept {
		who: usize,
		offer: usize,
		energy: u64,
	},
	Cancel {
		who: usize,
		offer: usize,
	},
	Settle {
		who: usize,
		trade: usize,
		delivered: u64,
	},
	Dispute {
		who: usize,
		trade: usize,
	},
	Resolve {
		trade: usize,
		delivered: u64,
	},
	SetPrices {
		feed_in: Balance,
		grid: Balance,
	},
	/// The network charge (above the feed-in tariff now and then).
	SetCharge {
		per_kwh: Balance,
	},
	/// A meter's reading of an interval `back` intervals before the last one over, with its
	/// next counter (or a used one), signed by its meter (or by another).
	Read {
		who: usize,
		back: u32,
		exported: u64,
		imported: u64,
		replay: bool,
		forged: bool,
	},
	/// Every member's meter reads the last interval over, each with `seed`-varied amounts
	/// (close to each other, so most settle rather than dispute).
	ReadAll {
		seed: u64,
	},
	/// Anyone settles a trade from its readings.
	MeterSettle {
		trade: usize,
	},
	Advance {
		blocks: u64,
	},
}

fn op() -> impl Strategy<Value = Op> {
	// Mostly members, sometimes the suspended member, the outsider or the meter.
	let who = prop_oneof![9 => 0..5usize, 1 => 5..ACTORS.len()];
	let energy = prop_oneof![10 => 1u64..5_000, 1 => Just(0u64), 1 => Just(u64::MAX)];
	let price = prop_oneof![
		10 => FEED_IN..=GRID_PRICE,
		1 => 0 as Balance..FEED_IN,
		1 => Just(Balance::MAX),
	];
	prop_oneof![
		4 => (who.clone(), energy.clone(), price.clone(), any::<bool>(), any::<bool>(), any::<bool>(), 0u64..30)
			.prop_map(|(who, energy, price, partial, fallback, renewable, life)| Op::Demand {
				who, energy, price, partial, fallback, renewable, life
			}),
		4 => (who.clone(), energy.clone(), price, any::<bool>(), 0u64..30)
			.prop_map(|(who, energy, price, partial, life)| Op::Supply { who, energy, price, partial, life }),
		6 => (0usize..10, 0usize..16, energy.clone())
			.prop_map(|(who, offer, energy)| Op::Accept { who, offer, energy }),
		1 => (who, 0usize..16).prop_map(|(who, offer)| Op::Cancel { who, offer }),
		3 => (0usize..10, 0usize..16, energy.clone())
			.prop_map(|(who, trade, delivered)| Op::Settle { who, trade, delivered }),
		1 => (0usize..10, 0usize..16).prop_map(|(who, trade)| Op::Dispute { who, trade }),
		1 => (0usize..16, energy).prop_map(|(trade, delivered)| Op::Resolve { trade, delivered }),
		1 => (0 as Balance..200, 150 as Balance..400)
			.prop_map(|(feed_in, grid)| Op::SetPrices { feed_in, grid }),
		1 => (0 as Balance..120).prop_map(|per_kwh| Op::SetCharge { per_kwh }),
		2 => (1u64..12).prop_map(|blocks| Op::Advance { blocks }),
		6 => (0usize..ACTORS.len(), 0u32..3, 0u64..1_500, 0u64..1_500, prop::bool::weighted(0.1), prop::bool::weighted(0.1))
			.prop_map(|(who, back, exported, imported, replay, forged)| Op::Read {
				who, back, exported, imported, replay, forged
			}),
		3 => any::<u64>().prop_map(|seed| Op::ReadAll { seed }),
		4 => (0usize..16).prop_map(|trade| Op::MeterSettle { trade }),
	]
}

/// The id at position `i` (wrapping) of the open ones, or one never used.
fn pick<V>(open: Vec<(u64, V)>, i: usize) -> u64 {
	if open.is_empty() {
		i as u64
	} else {
		open[i % open.len()].0
	}
}

/// An open offer's energy, or `wanted` itself, so that many acceptances are valid.
fn energy_for(offer: OfferId, wanted: u64) -> u64 {
	match Offers::<Test>::get(offer) {
		Some(o) if wanted.is_multiple_of(3) => o.remaining_wh,
		Some(o) if o.terms.allow_partial && wanted > 0 => wanted.min(o.remaining_wh),
		_ => wanted,
	}
}

fn call_of(op: &Op) -> Option<(RuntimeOrigin, RuntimeCall)> {
	let now = System::block_number();
	let window = |energy, price, partial, life: u64| OfferTerms {
		energy_wh: energy,
		price,
		allow_partial: partial,
		delivery_start: now + life / 2,
		delivery_end: now + life + 5,
		expires: now + life,
	};
	let signed = |who: usize| RuntimeOrigin::signed(ACTORS[who]);
	Some(match *op {
		Op::Demand { who, energy, price, partial, fallback, renewable, life } => (
			signed(who),
			Call::post_demand {
				terms: window(energy, price, partial, life),
				kind: if renewable { EnergyKind::Renewable } else { EnergyKind::Any },
				grid_fallback: fallback,
			}
			.into(),
		),
		Op::Supply { who, energy, price, partial, life } => {
			(signed(who), Call::post_supply { terms: window(energy, price, partial, life) }.into())
		}
		Op::Accept { who, offer, energy } => {
			let offer = pick(EnergyTrade::open_offers(), offer);
			// Mostly a taker who may take the offer, sometimes anyone.
			let taker = match Offers::<Test>::get(offer).map(|o| o.side) {
				Some(Side::Demand) if who < 8 => [BOB, DAVE, CHARLIE][who % 3],
				Some(Side::Supply) if who < 8 => [ALICE, EVE, DAVE, BOB][who % 4],
				_ => ACTORS[who % ACTORS.len()],
			};
			(
				RuntimeOrigin::signed(taker),
				Call::accept_offer { offer, energy_wh: energy_for(offer, energy) }.into(),
			)
		}
		Op::Cancel { who, offer } => {
			let offer = pick(EnergyTrade::open_offers(), offer);
			(signed(who), Call::cancel_offer { offer }.into())
		}
		Op::Settle { who, trade, delivered } => {
			let trade = pick(EnergyTrade::open_trades(), trade);
			let delivered = match Trades::<Test>::get(trade) {
				Some(t) if delivered.is_multiple_of(2) => t.energy_wh,
				Some(t) => delivered.min(t.energy_wh + 1),
				None => delivered,
			};
			// Mostly the buyer, sometimes anyone.
			let by = match (who, Trades::<Test>::get(trade)) {
				(0..=7, Some(t)) => t.buyer,
				_ => ACTORS[who % ACTORS.len()],
			};
			(
				RuntimeOrigin::signed(by),
				Call::confirm_delivery { trade, delivered_wh: delivered }.into(),
			)
		}
		Op::Dispute { who, trade } => {
			let trade = pick(EnergyTrade::open_trades(), trade);
			let by = match Trades::<Test>::get(trade) {
				Some(t) if who < 4 => t.buyer,
				Some(t) if who < 8 => t.seller,
				_ => ACTORS[who % ACTORS.len()],
			};
			(RuntimeOrigin::signed(by), Call::dispute { trade }.into())
		}
		Op::Resolve { trade, delivered } => {
			let trade = pick(EnergyTrade::open_trades(), trade);
			let delivered =
				Trades::<Test>::get(trade).map_or(delivered, |t| delivered % (t.energy_wh + 1));
			(RuntimeOrigin::root(), Call::resolve_dispute { trade, delivered_wh: delivered }.into())
		}
		Op::SetPrices { feed_in, grid } => (
			RuntimeOrigin::root(),
			Call::set_prices { feed_in_tariff: feed_in, grid_price: grid }.into(),
		),
		Op::SetCharge { per_kwh } => {
			(RuntimeOrigin::root(), Call::set_network_charge { per_kwh }.into())
		}
		Op::Read { who, back, exported, imported, replay, forged } => {
			let who = ACTORS[who];
			let interval = EnergyTrade::interval_of(now).saturating_sub(1).saturating_sub(back);
			let counter = pallet_subchain::Meters::<Test>::get(who).map_or(1, |m| {
				if replay {
					m.counter
				} else {
					m.counter + 1
				}
			});
			let (reading, signature) = signed_reading(who, interval, exported, imported, counter);
			let signature = if forged {
				use sp_core::Pair;
				meter_pair(ALICE.max(who % 6 + 1)).sign(&reading.signing_payload())
			} else {
				signature
			};
			(RuntimeOrigin::signed(OUTSIDER), Call::submit_reading { reading, signature }.into())
		}
		Op::ReadAll { seed } => {
			let interval = EnergyTrade::interval_of(now).saturating_sub(1);
			for (i, who) in [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE].into_iter().enumerate() {
				let Some(meter) = pallet_subchain::Meters::<Test>::get(who) else { continue };
				let amount = 400 + (seed >> (i * 4)) % 16 * 10;
				let (reading, signature) =
					signed_reading(who, interval, amount, amount, meter.counter + 1);
				let _ = EnergyTrade::submit_reading(
					RuntimeOrigin::signed(OUTSIDER),
					reading,
					signature,
				);
			}
			return None;
		}
		Op::MeterSettle { trade } => {
			let trade = pick(EnergyTrade::open_trades(), trade);
			(RuntimeOrigin::signed(OUTSIDER), Call::settle_trade { trade }.into())
		}
		Op::Advance { blocks } => {
			run_to_block(now + blocks);
			return None;
		}
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

	#[test]
	fn random_calls_keep_the_invariants(ops in prop::collection::vec(op(), 1..60)) {
		let mut succeeded = 0;
		ExtBuilder::default().build_and_execute(|| {
			let issuance = Balances::total_issuance();
			for op in &ops {
				if let Some((origin, call)) = call_of(op) {
					let _ = call.get_dispatch_info();
					let before = sp_io::storage::root(StateVersion::V1);
					let escrows: std::collections::BTreeMap<_, _> =
						Trades::<Test>::iter().map(|(id, t)| (id, t.escrow)).collect();
					let result = call.dispatch_bypass_filter(origin);
					// A settlement pays out exactly the trade's escrow, no more, the network charge
					// included.
					if let (Ok(_), Op::Settle { .. } | Op::Resolve { .. }) = (&result, op) {
						if let Some(
							Event::TradeSettled { trade, paid, network_charge, refunded, .. } |
							Event::DisputeResolved { trade, paid, network_charge, refunded, .. },
						) = trade_events().last().cloned()
						{
							let out = paid + network_charge + refunded;
							assert_eq!(Some(&out), escrows.get(&trade));
						}
					}
					if let (Ok(_), Op::MeterSettle { .. }) = (&result, op) {
						if let Some(Event::TradeMetered {
							trade,
							paid,
							network_charge,
							to_grid,
							refunded,
							..
						}) = trade_events().last().cloned()
						{
							let out = paid + network_charge + to_grid + refunded;
							assert_eq!(Some(&out), escrows.get(&trade));
							if std::env::var_os("DBM_PROP_STATS").is_some() {
								eprintln!("metered settlement of {trade}");
							}
						}
					}
					if result.is_err() {
						assert_eq!(
							sp_io::storage::root(StateVersion::V1),
							before,
							"{op:?} failed with {result:?} but changed the state"
						);
						if std::env::var_os("DBM_PROP_STATS").is_some() {
							eprintln!("error {:?}", result.err().map(|e| e.error));
						}
					} else {
						succeeded += 1;
					}
				}
				check_invariants();
				assert_eq!(Balances::total_issuance(), issuance);
			}
			// Then the meters read every interval as it ends, and anyone settles every trade
			// they cover, for 40 blocks: each settlement pays out exactly its escrow.
			let mut metered = 0;
			for _ in 0..40 {
				let now = System::block_number();
				if now.is_multiple_of(INTERVAL) {
					let _ = call_of(&Op::ReadAll { seed: now * 7919 });
				}
				for (trade, t) in EnergyTrade::open_trades() {
					let result = EnergyTrade::settle_trade(RuntimeOrigin::signed(OUTSIDER), trade);
					if result.is_ok() {
						metered += 1;
						if let Some(Event::TradeMetered {
							paid, network_charge, to_grid, refunded, ..
						}) = trade_events().last().cloned()
						{
							assert_eq!(paid + network_charge + to_grid + refunded, t.escrow);
						}
					}
				}
				check_invariants();
				assert_eq!(Balances::total_issuance(), issuance);
				run_to_block(now + 1);
			}
			if std::env::var_os("DBM_PROP_STATS").is_some() {
				eprintln!("{metered} trades settled or disputed from readings at the end");
			}
			// Run everything to its end: every offer expires, every undisputed trade closes.
			run_to_block(System::block_number() + 100);
			check_invariants();
			assert_eq!(Offers::<Test>::count(), 0);
			assert!(Trades::<Test>::iter_values().all(|t| t.disputed));
		});
		if std::env::var_os("DBM_PROP_STATS").is_some() {
			eprintln!("{succeeded} of {} calls succeeded", ops.len());
		}
	}
}
