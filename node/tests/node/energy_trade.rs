//! The electricity market on a running sub-chain node: a demand posted over JSON-RPC is taken,
//! delivered and settled; the headers of the blocks that matched and settled it carry the trade
//! root, and each trade record is proven against the header, decoded and checked here.

use crate::common;

use codec::Decode;
use common::{wait_for, Rpc, TestNode};
use dbm_primitives::{
	currency::MILLI_UNIT,
	trade::{
		DeliveryRecord, EnergyKind, Offer, OfferId, OfferTerms, Trade, TradeId, TradeProof,
		TradeRoot,
	},
	AccountId, Balance, BlockNumber,
};
use dbm_sub_runtime::RuntimeCall;
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::generic::{Digest, DigestItem};
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

type Offers = Vec<(OfferId, Offer<AccountId, Balance, BlockNumber>)>;
type Trades = Vec<(TradeId, Trade<AccountId, Balance, BlockNumber>)>;

fn bytes(value: &Value) -> Vec<u8> {
	hex::decode(value.as_str().expect("hex string").trim_start_matches("0x")).expect("valid hex")
}

/// The trade root in block `hash`'s header, decoded from the header's digest as JSON-RPC
/// serves it.
async fn header_root(rpc: &Rpc, hash: &str) -> TradeRoot {
	let header = rpc.call("chain_getHeader", vec![json!(hash)]).await.expect("the header");
	let logs = header["digest"]["logs"].as_array().expect("digest logs").iter();
	let digest = Digest {
		logs: logs
			.map(|log| DigestItem::decode(&mut &bytes(log)[..]).expect("a digest item"))
			.collect(),
	};
	TradeRoot::find(&digest).expect("every sub-chain header carries a trade root")
}

/// The first block from `from` on whose trade batch has a record of `trade` with `outcome`;
/// returns its hash and the record's index.
async fn block_with(rpc: &Rpc, from: u64, trade: TradeId, outcome: &str) -> (String, u32) {
	wait_for(&format!("a `{outcome}` record of trade {trade}"), MINUTE, || async {
		let best = rpc.best_number().await.ok()?;
		for number in from..=best {
			let hash = rpc.block_hash(number).await.ok()?;
			let batch = rpc.call("energy_blockTrades", vec![json!(hash)]).await.ok()?;
			let records = batch["records"].as_array()?;
			if let Some(index) = records
				.iter()
				.position(|r| r["trade"] == json!(trade) && r["outcome"] == json!(outcome))
			{
				return Some((hash, index as u32));
			}
		}
		None
	})
	.await
}

/// Checks that block `hash`'s header root covers its batch and proves record `index`.
async fn check_proof(rpc: &Rpc, hash: &str, index: u32) {
	let root = header_root(rpc, hash).await;
	let batch = rpc.call("energy_blockTrades", vec![json!(hash)]).await.expect("the batch");
	assert_eq!(batch["headerRoot"], json!(root.root), "the RPC reads the same header root");
	assert_eq!(batch["root"], json!(root.root), "the batch's root is the header's");
	assert_eq!(batch["records"].as_array().map(|r| r.len() as u32), Some(root.count));

	let view =
		rpc.call("energy_tradeProof", vec![json!(index), json!(hash)]).await.expect("the proof");
	assert_eq!(view["verified"], json!(true));
	let proof = TradeProof::<AccountId, Balance>::decode(&mut &bytes(&view["encoded"])[..])
		.expect("a SCALE-encoded proof");
	assert!(proof.verify(&root), "the proof verifies against the header decoded here");
	let mut forged = proof.clone();
	forged.record.value += 1;
	assert!(!forged.verify(&root), "a changed record does not");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_demand_is_taken_delivered_and_settled_and_each_header_commits_to_its_trades() {
	let _timer = crate::common::timer();
	let node = TestNode::start("sub-dev-market", &["--dev", "--chain", "sub-dev"]);
	let rpc = node.rpc();
	rpc.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	rpc.wait_for_blocks(2, 1, 2 * MINUTE).await.unwrap_or_else(|e| node.fail(e));

	// Alice (a member) wants 5 kWh at 0.2 DBM per kWh, deliverable from now.
	let now = rpc.best_number().await.unwrap_or_else(|e| node.fail(e)) as BlockNumber;
	let price = 200 * MILLI_UNIT;
	let terms = OfferTerms {
		energy_wh: 5_000,
		price,
		allow_partial: false,
		delivery_start: now,
		delivery_end: now + 400,
		expires: now + 200,
	};
	let post = RuntimeCall::EnergyTrade(pallet_energy_trade::Call::post_demand {
		terms,
		kind: EnergyKind::Any,
		grid_fallback: false,
	});
	rpc.submit(Alice, post).await.unwrap_or_else(|e| node.fail(e));
	let (offer, posted) = wait_for("Alice's demand in the order book", MINUTE, || async {
		let offers: Offers = rpc.runtime_call("EnergyTradeApi_open_offers", ()).await.ok()?;
		offers.into_iter().find(|(_, o)| o.owner == Alice.to_account_id())
	})
	.await;
	let value = price * 5; // 5 kWh
	assert_eq!((posted.escrow, posted.remaining_wh), (value, 5_000));
	let prices = rpc.call("energy_prices", vec![]).await.unwrap_or_else(|e| node.fail(e));
	assert_eq!(prices["openDemandWh"], json!("5000"));
	assert_eq!(prices["reference"], prices["gridPrice"], "demand and no supply: the grid price");

	// Bob takes it.
	let from = rpc.best_number().await.unwrap_or_else(|e| node.fail(e));
	let accept = RuntimeCall::EnergyTrade(pallet_energy_trade::Call::accept_offer {
		offer,
		energy_wh: 5_000,
	});
	rpc.submit(Bob, accept).await.unwrap_or_else(|e| node.fail(e));
	let (trade_id, trade) = wait_for("the matched trade", MINUTE, || async {
		let trades: Trades = rpc.runtime_call("EnergyTradeApi_open_trades", ()).await.ok()?;
		trades.into_iter().find(|(_, t)| t.offer == offer)
	})
	.await;
	assert_eq!((trade.buyer, trade.seller), (Alice.to_account_id(), Bob.to_account_id()));
	assert_eq!(trade.escrow, value);
	let (matched_in, index) = block_with(&rpc, from, trade_id, "matched").await;
	check_proof(&rpc, &matched_in, index).await;

	// Alice confirms delivery in full: Bob is paid from her escrow.
	let from = rpc.best_number().await.unwrap_or_else(|e| node.fail(e));
	let confirm = RuntimeCall::EnergyTrade(pallet_energy_trade::Call::confirm_delivery {
		trade: trade_id,
		delivered_wh: 5_000,
	});
	rpc.submit(Alice, confirm).await.unwrap_or_else(|e| node.fail(e));
	let (settled_in, index) = block_with(&rpc, from, trade_id, "delivered").await;
	check_proof(&rpc, &settled_in, index).await;
	let batch = rpc.call("energy_blockTrades", vec![json!(settled_in)]).await.expect("the batch");
	assert_eq!(batch["records"][index as usize]["value"], json!(value.to_string()));

	let record: DeliveryRecord = rpc
		.runtime_call("EnergyTradeApi_delivery_record", Bob.to_account_id())
		.await
		.unwrap_or_else(|e| node.fail(e));
	assert_eq!(
		record,
		DeliveryRecord { trades: 1, undelivered: 0, contracted_wh: 5_000, delivered_wh: 5_000 }
	);
	let trades: Trades =
		rpc.runtime_call("EnergyTradeApi_open_trades", ()).await.unwrap_or_else(|e| node.fail(e));
	assert!(trades.is_empty());

	// The chain finalizes past the settlement.
	let settled = rpc.best_number().await.unwrap_or_else(|e| node.fail(e));
	rpc.wait_for_blocks(settled + 1, settled, MINUTE).await.unwrap_or_else(|e| node.fail(e));
}
