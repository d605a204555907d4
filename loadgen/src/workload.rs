//! What each chain is loaded with: who signs, the set-up before the measured window, and the
//! transactions themselves.
//!
//! * **Transfers** are pre-signed before the window: bench accounts `//Bench//<i>`, funded by
//!   Alice in the set-up, send each other the existential deposit with
//!   `transfer_keep_alive`, round robin, each with its next nonce (immortal era, so nothing
//!   depends on when it is sent).
//! * **Energy trades** cannot all be pre-signed: a delivery is confirmed by trade id, known
//!   only once the trade is in a block. In the set-up every trading member posts one large
//!   supply that may be taken in part. In the window each member in turn confirms the delivery
//!   of a trade it bought (if one is waiting) or takes [`SLICE_WH`] of the next member's
//!   supply. The transactions are signed when sent, with nonces counted locally.

use crate::client::Client;
use codec::Decode;
use dbm_client::{extrinsic, ChainContext};
use dbm_primitives::{
	trade::{MarketPrices, Offer, OfferId, OfferTerms, Side, TradeId},
	AccountId, Balance, BlockNumber, SubchainId,
};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::MultiAddress;
use std::time::{Duration, Instant};

/// Energy each trade of the energy workload takes, in Wh.
pub const SLICE_WH: u64 = 10;
/// What each bench account of the transfer workload is given, in planks.
const BENCH_FUNDS: Balance = 100 * dbm_primitives::currency::UNIT;
/// How long a set-up may take.
const SETUP_TIMEOUT: Duration = Duration::from_secs(120);

/// Which runtime a chain runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
	/// The parent chain's.
	Parent,
	/// A sub-chain's.
	Sub,
}

impl Runtime {
	/// The runtime of the built-in chain `chain`.
	pub fn of(chain: &str) -> Runtime {
		if matches!(chain, "dev" | "parent-dev" | "parent-local") {
			Runtime::Parent
		} else {
			Runtime::Sub
		}
	}
}

/// The trading members of the built-in sub-chain `chain` (each of the paper's groups in it),
/// best score first within a group.
pub fn members_of(chain: &str) -> Result<Vec<sr25519::Pair>, String> {
	let groups: Vec<u32> = match chain {
		"sub-dev" | "sub-dev-6s" => vec![1],
		"single-100" => (1..=10).collect(),
		other => {
			let number = other
				.strip_prefix("sub-")
				.map(|rest| rest.trim_end_matches("-dev").trim_end_matches("-local"))
				.and_then(|n| n.parse().ok())
				.ok_or_else(|| {
					format!("`{other}` has no energy market members known to dbm-bench")
				})?;
			vec![number]
		}
	};
	Ok(groups
		.into_iter()
		.flat_map(|group| {
			dbm_sub_runtime::genesis_config_presets::member_keyrings()
				.into_iter()
				.map(move |k| dbm_runtime_common::presets::subchain_dev_pair(k, SubchainId(group)))
		})
		.collect())
}

/// `call`, signed by `signer` with `nonce` for the chain of `context` running `runtime`.
fn sign_transfer(
	runtime: Runtime,
	signer: &sr25519::Pair,
	nonce: u32,
	dest: AccountId,
	value: Balance,
	context: ChainContext,
) -> Vec<u8> {
	let dest = MultiAddress::Id(dest);
	match runtime {
		Runtime::Parent => extrinsic::parent::signed(
			dbm_parent_runtime::RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest,
				value,
			}),
			signer,
			nonce,
			context,
		),
		Runtime::Sub => extrinsic::sub::signed(
			dbm_sub_runtime::RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest,
				value,
			}),
			signer,
			nonce,
			context,
		),
	}
}

/// The nonce of `account` in the best block's state (transactions in the pool not counted).
async fn state_nonce(client: &Client, account: &AccountId) -> Result<u32, String> {
	// `System::Account` (the same key in both runtimes); the nonce is the value's first field.
	let key = frame_system::Account::<dbm_sub_runtime::Runtime>::hashed_key_for(account);
	Ok(client.storage::<u32>(&key, None).await?.unwrap_or_default())
}

/// Waits until `account`'s nonce in the best state reaches `nonce`.
async fn await_nonce(client: &Client, account: &AccountId, nonce: u32) -> Result<(), String> {
	let start = Instant::now();
	while state_nonce(client, account).await? < nonce {
		if start.elapsed() > SETUP_TIMEOUT {
			return Err(format!("the set-up transactions were not included in {SETUP_TIMEOUT:?}"));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	Ok(())
}

/// The bench accounts of the transfer workload.
pub fn bench_accounts(count: u32) -> Vec<sr25519::Pair> {
	(0..count)
		.map(|i| {
			sr25519::Pair::from_string(&format!("//Bench//{i}"), None)
				.expect("a valid derivation path")
		})
		.collect()
}

/// Funds `accounts` from Alice, waits for it, and pre-signs `count` transfers among them in
/// the order they are to be sent, each with the index of its signer.
pub async fn prepare_transfers(
	client: &Client,
	runtime: Runtime,
	accounts: &[sr25519::Pair],
	count: usize,
) -> Result<Vec<(usize, Vec<u8>)>, String> {
	let alice = Sr25519Keyring::Alice.pair();
	let alice_account: AccountId = alice.public().into();
	let first = client.next_nonce(&alice_account).await?;
	for (i, account) in accounts.iter().enumerate() {
		let xt = sign_transfer(
			runtime,
			&alice,
			first + i as u32,
			account.public().into(),
			BENCH_FUNDS,
			client.context,
		);
		client.submit(&xt).await.map_err(|e| format!("funding bench account {i}: {e}"))?;
	}
	await_nonce(client, &alice_account, first + accounts.len() as u32).await?;

	let mut nonces = Vec::with_capacity(accounts.len());
	for account in accounts {
		nonces.push(client.next_nonce(&account.public().into()).await?);
	}
	let value = <dbm_runtime_common::ExistentialDeposit as sp_core::Get<Balance>>::get();
	Ok((0..count)
		.map(|t| {
			let from = t % accounts.len();
			let to = (from + 1) % accounts.len();
			let nonce = nonces[from] + (t / accounts.len()) as u32;
			let to = accounts[to].public().into();
			(from, sign_transfer(runtime, &accounts[from], nonce, to, value, client.context))
		})
		.collect())
}

/// A member trading in the energy workload.
pub struct Trader {
	/// Its key.
	pub pair: sr25519::Pair,
	/// Its account.
	pub account: AccountId,
	/// Its open supply, which the previous member takes slices of.
	pub supply: OfferId,
	/// Its next nonce, counted locally (read from the node again after a refusal).
	pub nonce: u32,
}

type OfferOf = Offer<AccountId, Balance, BlockNumber>;

/// Every member in `members` posts a large supply at the feed-in tariff; returns the traders
/// once all supplies are open.
pub async fn prepare_energy(
	client: &Client,
	members: Vec<sr25519::Pair>,
) -> Result<Vec<Trader>, String> {
	if members.len() < 2 {
		return Err("energy trading needs at least two members".into());
	}
	let prices: MarketPrices<Balance> =
		client.runtime_call("EnergyTradeApi_prices", (), None).await?;
	let now = client.best_number().await?;
	// Open for about 29 minutes, longer than any run, and deliverable from two blocks on: a
	// delivery window covers at most 180 metering intervals of 20 blocks.
	let end = now + 3_500;
	let terms = OfferTerms {
		energy_wh: 1_000_000_000,
		price: prices.feed_in_tariff,
		allow_partial: true,
		delivery_start: now + 2,
		delivery_end: end,
		expires: end,
	};
	let mut nonces = Vec::new();
	for (i, pair) in members.iter().enumerate() {
		let account: AccountId = pair.public().into();
		let nonce = client.next_nonce(&account).await?;
		let call =
			dbm_sub_runtime::RuntimeCall::EnergyTrade(pallet_energy_trade::Call::post_supply {
				terms,
			});
		let xt = extrinsic::sub::signed(call, pair, nonce, client.context);
		client.submit(&xt).await.map_err(|e| format!("member {i}'s supply: {e}"))?;
		nonces.push(nonce + 1);
	}
	for (pair, nonce) in members.iter().zip(&nonces) {
		await_nonce(client, &pair.public().into(), *nonce).await?;
	}
	let offers: Vec<(OfferId, OfferOf)> =
		client.runtime_call("EnergyTradeApi_open_offers", (), None).await?;
	members
		.into_iter()
		.zip(nonces)
		.map(|(pair, nonce)| {
			let account: AccountId = pair.public().into();
			let supply = offers
				.iter()
				.filter(|(_, o)| o.owner == account && o.side == Side::Supply)
				.filter(|(_, o)| o.terms.delivery_end == end)
				.map(|(id, _)| *id)
				.max()
				.ok_or_else(|| {
					format!("{account}'s supply was refused (is it an active member?)")
				})?;
			Ok(Trader { pair, account, supply, nonce })
		})
		.collect()
}

/// The next energy transaction of trader `index`: the confirmation of `confirm` (a trade it
/// bought, with its energy) or a slice of `next_supply`.
pub fn energy_transaction(
	trader: &mut Trader,
	next_supply: OfferId,
	confirm: Option<(TradeId, u64)>,
	context: ChainContext,
) -> (&'static str, Vec<u8>) {
	use pallet_energy_trade::Call;
	let (kind, call) = match confirm {
		Some((trade, delivered_wh)) => {
			("confirm_delivery", Call::confirm_delivery { trade, delivered_wh })
		}
		None => ("accept_offer", Call::accept_offer { offer: next_supply, energy_wh: SLICE_WH }),
	};
	let xt = extrinsic::sub::signed(
		dbm_sub_runtime::RuntimeCall::EnergyTrade(call),
		&trader.pair,
		trader.nonce,
		context,
	);
	trader.nonce += 1;
	(kind, xt)
}

/// The outcome of a block's extrinsics as its events tell it.
#[derive(Debug, Default, PartialEq)]
pub struct Outcomes {
	/// Extrinsics that failed, by index, with the error.
	pub failed: Vec<(u32, String)>,
	/// Trades opened: buyer, trade id and energy.
	pub trades: Vec<(AccountId, TradeId, u64)>,
}

macro_rules! outcomes_of {
	($name:ident, $runtime:ident, $trades:expr) => {
		/// Decodes `System::Events` of a block of the
		#[doc = stringify!($runtime)]
		/// runtime.
		fn $name(bytes: &[u8]) -> Result<Outcomes, String> {
			use $runtime::{Runtime, RuntimeError, RuntimeEvent};
			let records = Vec::<frame_system::EventRecord<RuntimeEvent, sp_core::H256>>::decode(
				&mut &bytes[..],
			)
			.map_err(|e| format!("the block's events: {e}"))?;
			let mut outcomes = Outcomes::default();
			for record in records {
				let frame_system::Phase::ApplyExtrinsic(index) = record.phase else { continue };
				if let RuntimeEvent::System(frame_system::Event::<Runtime>::ExtrinsicFailed {
					dispatch_error,
					..
				}) = &record.event
				{
					let error = match RuntimeError::from_dispatch_error(*dispatch_error) {
						Some(error) => format!("{error:?}"),
						None => format!("{dispatch_error:?}"),
					};
					outcomes.failed.push((index, error));
				}
				#[allow(clippy::redundant_closure_call)]
				($trades)(&record.event, &mut outcomes.trades);
			}
			Ok(outcomes)
		}
	};
}

outcomes_of!(parent_outcomes, dbm_parent_runtime, |_: &_, _: &mut Vec<_>| {});
outcomes_of!(
	sub_outcomes,
	dbm_sub_runtime,
	|event: &RuntimeEvent, trades: &mut Vec<(AccountId, TradeId, u64)>| {
		if let RuntimeEvent::EnergyTrade(pallet_energy_trade::Event::OfferAccepted {
			trade,
			buyer,
			energy_wh,
			..
		}) = event
		{
			trades.push((buyer.clone(), *trade, *energy_wh));
		}
	}
);

/// The outcome of a block of `runtime` from its SCALE-encoded `System::Events`.
pub fn outcomes(runtime: Runtime, events: &[u8]) -> Result<Outcomes, String> {
	match runtime {
		Runtime::Parent => parent_outcomes(events),
		Runtime::Sub => sub_outcomes(events),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	#[test]
	fn members_are_the_groups_of_the_chain() {
		assert_eq!(members_of("sub-dev").unwrap().len(), 10);
		assert_eq!(members_of("single-100").unwrap().len(), 100);
		let sub3: Vec<AccountId> =
			members_of("sub-3").unwrap().iter().map(|p| p.public().into()).collect();
		let genesis: Vec<AccountId> =
			dbm_sub_runtime::genesis_config_presets::genesis_members(SubchainId(3))
				.into_iter()
				.map(|(account, _)| account)
				.collect();
		assert_eq!(sub3, genesis);
		let local: Vec<AccountId> =
			members_of("sub-3-local").unwrap().iter().map(|p| p.public().into()).collect();
		assert_eq!(local, genesis, "a local chain has the same members");
		assert!(members_of("parent-dev").err().unwrap_or_default().contains("no energy market"));
		assert_eq!(Runtime::of("parent-dev"), Runtime::Parent);
		assert_eq!(Runtime::of("single-100"), Runtime::Sub);
	}

	#[test]
	fn failures_and_trades_are_read_from_the_events() {
		use dbm_sub_runtime::{Runtime as R, RuntimeEvent};
		let buyer: AccountId = Sr25519Keyring::Bob.to_account_id();
		let record = |index, event| frame_system::EventRecord::<RuntimeEvent, sp_core::H256> {
			phase: frame_system::Phase::ApplyExtrinsic(index),
			event,
			topics: vec![],
		};
		let failed = frame_system::Event::<R>::ExtrinsicFailed {
			dispatch_error: pallet_energy_trade::Error::<R>::TradeBatchFull.into(),
			dispatch_info: Default::default(),
		};
		let accepted = pallet_energy_trade::Event::<R>::OfferAccepted {
			offer: 1,
			trade: 7,
			buyer: buyer.clone(),
			seller: Sr25519Keyring::Alice.to_account_id(),
			energy_wh: SLICE_WH,
			price: 1,
			value: 1,
		};
		let events = vec![
			record(2, RuntimeEvent::System(failed)),
			record(3, RuntimeEvent::EnergyTrade(accepted)),
		];
		let read = outcomes(Runtime::Sub, &events.encode()).unwrap();
		assert_eq!(read.failed, vec![(2, "EnergyTrade(TradeBatchFull)".to_string())]);
		assert_eq!(read.trades, vec![(buyer, 7, SLICE_WH)]);
		assert!(outcomes(Runtime::Sub, &[1, 2, 3]).is_err());
	}

	#[test]
	fn transfers_are_signed_for_their_runtime() {
		let context =
			ChainContext { genesis: Default::default(), spec_version: 1, transaction_version: 1 };
		let accounts = bench_accounts(2);
		let xt =
			sign_transfer(Runtime::Sub, &accounts[0], 5, accounts[1].public().into(), 1, context);
		let decoded = dbm_sub_runtime::UncheckedExtrinsic::decode(&mut &xt[..]).unwrap();
		assert!(matches!(
			decoded.function,
			dbm_sub_runtime::RuntimeCall::Balances(
				pallet_balances::Call::transfer_keep_alive { .. }
			)
		));
		assert_ne!(bench_accounts(2)[1].public(), accounts[0].public());
	}
}
