//! `dbm-node --dev --demo`: the whole network under the paper's load, the three flows of the
//! paper across both layers with nothing but the node itself: on both sub-chains members trade
//! and trades settle from their meters' signed readings (no root call, no buyer's
//! confirmation, none left to expire), every settled block is anchored on the parent with its trade root, and a
//! biller election the parent's council asked for (no sudo key) is opened on each sub-chain
//! from the relayed request, confirmed by the parent's registry from the relayed proof and
//! enacted on the sub-chain from the relayed confirmation; the terminal reports each chain's
//! progress.

use crate::common;

use common::{free_port_range, wait_for, Rpc, TestNode};
use dbm_primitives::{
	registry::{AnchorHead, ConfirmedElection},
	trade::DeliveryRecord,
	AccountId, BlockNumber, SubchainId,
};
use dbm_sub_runtime::Runtime as Sub;
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

/// The trades closed on a sub-chain, as its members' delivery records add up: how many, how
/// many went undelivered, and the energy delivered.
async fn settled(sub: &Rpc, id: SubchainId) -> Option<(u32, u32, u64)> {
	let mut total = (0, 0, 0);
	for (member, _) in dbm_sub_runtime::genesis_config_presets::genesis_members(id) {
		let record: DeliveryRecord =
			sub.runtime_call("EnergyTradeApi_delivery_record", member).await.ok()?;
		total.0 += record.trades;
		total.1 += record.undelivered;
		total.2 += record.delivered_wh;
	}
	Some(total)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_trades_anchors_and_elects_on_every_sub_chain() {
	let _timer = crate::common::timer();
	let rpc = free_port_range(3);
	let p2p = free_port_range(3);
	let args = ["--dev", "--demo", "--rpc-port", &rpc.to_string(), "--port", &p2p.to_string()]
		.map(String::from)
		.to_vec();
	let node = TestNode::spawn("demo", args, rpc);
	let parent = Rpc { port: rpc };
	parent.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));

	for n in 1..=2u16 {
		let id = SubchainId(n as u32);
		let sub = Rpc { port: rpc + n };
		sub.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
		// Trades settle ...
		let (trades, undelivered, delivered_wh) =
			wait_for("settled trades", 3 * MINUTE, || async {
				settled(&sub, id).await.filter(|(count, _, _)| *count >= 3)
			})
			.await;
		// ... from the meters' readings: every member's meter has read, and nothing was left
		// to expire undelivered.
		assert_eq!(undelivered, 0, "sub-{n}: a trade was not settled from readings");
		assert!(delivered_wh > 0);
		for (member, _) in dbm_sub_runtime::genesis_config_presets::genesis_members(id) {
			let key = pallet_subchain::Meters::<Sub>::hashed_key_for(&member);
			let meter: Option<dbm_primitives::metering::MeterState> =
				sub.storage(&key, None).await.unwrap_or_else(|e| node.fail(e));
			assert!(
				meter.is_some_and(|m| m.last_interval.is_some()),
				"sub-{n}: {member}'s meter has read"
			);
		}
		// ... in blocks the parent anchors.
		let finalized = sub.finalized_number().await.unwrap_or_else(|e| node.fail(e));
		wait_for("anchors of the trading blocks", 2 * MINUTE, || async {
			let head: Option<AnchorHead<BlockNumber>> =
				parent.runtime_call("RegistryApi_last_anchor", id).await.ok()?;
			head.filter(|h| u64::from(h.number) >= finalized)
		})
		.await;
		// A biller election: opened on the sub-chain, confirmed by the parent's registry from the
		// proof the relay carried, enacted on the sub-chain from the confirmation proven back.
		let enacted = wait_for("an election enacted through the parent", 4 * MINUTE, || async {
			let taken: Option<BlockNumber> = sub
				.storage(&pallet_parent_inbox::LastConfirmation::<Sub>::hashed_key(), None)
				.await
				.ok()?;
			taken?;
			let last: Option<pallet_dbsca::ElectionOf<Sub>> =
				sub.storage(&pallet_dbsca::LastElection::<Sub>::hashed_key(), None).await.ok()?;
			last.filter(|e| e.round >= 1)
		})
		.await;
		// The round was opened at the parent's request, carried by the relay.
		let asked: Option<BlockNumber> = sub
			.storage(&pallet_parent_inbox::LastReelection::<Sub>::hashed_key(), None)
			.await
			.unwrap_or_else(|e| node.fail(e));
		assert!(asked.is_some(), "the sub-chain acted on the parent's request for an election");
		let confirmed: Option<ConfirmedElection<AccountId, BlockNumber>> = parent
			.storage(&dbm_primitives::parent_state::election_key(id), None)
			.await
			.unwrap_or_else(|e| node.fail(e));
		let confirmed = confirmed.unwrap_or_else(|| node.fail("the parent confirmed nothing"));
		assert!(confirmed.round >= enacted.round, "the parent confirmed what was enacted");
		if confirmed.round == enacted.round {
			assert_eq!(confirmed.committee.to_vec(), enacted.committee.to_vec());
		}
		assert!(trades >= 3);
	}

	// The terminal tells the same, chain by chain.
	let log = node.log();
	for label in ["parent", "sub-1", "sub-2"] {
		assert!(
			log.lines().any(|l| l.contains("[demo") && l.contains(&format!("] {label}"))),
			"no report of {label}"
		);
	}
	assert!(log.lines().any(|l| l.contains("] sub-1") && !l.contains("trades settled 0 (")));
	assert!(log.lines().any(|l| l.contains("] sub-1") && l.contains("kWh delivered")));
}

/// The demo's traders and prices, without a network.
mod plan {
	use dbm_primitives::{trade::MarketPrices, SubchainId};
	use dbm_service::demo::{between, traders};
	use sp_runtime::Permill;

	#[test]
	fn every_development_member_trades_with_its_own_keys_and_the_papers_attributes() {
		for id in [SubchainId(1), SubchainId(2), SubchainId(16)] {
			let traders = traders(id);
			assert_eq!(traders.len(), 10);
			let members = dbm_sub_runtime::genesis_config_presets::genesis_members(id);
			for (trader, (account, info)) in traders.iter().zip(members) {
				assert_eq!(trader.account, account);
				assert_eq!(trader.attributes, info.attested);
			}
		}
	}

	#[test]
	fn prices_stay_between_the_feed_in_tariff_and_the_grid_price() {
		let prices = MarketPrices {
			feed_in_tariff: 80,
			grid_price: 300,
			reference: 120,
			open_supply_wh: 0,
			open_demand_wh: 0,
			network_charge: 0,
		};
		assert_eq!(between(&prices, Permill::zero()), 80);
		assert_eq!(between(&prices, Permill::one()), 300);
		assert_eq!(between(&prices, Permill::from_percent(50)), 190);
	}
}
