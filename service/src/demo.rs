//! `dbm-node --dev --demo`: the development network under a load built from the paper's
//! 100-node table, shown in the terminal as it happens.
//!
//! Each development sub-chain's ten members are the paper's nodes of its group (sub-chain N:
//! the N-th ten nodes, as its genesis registers them). The demo is a client of the chains like
//! any other: it signs its members' transactions with the shared transaction builder and talks
//! to each chain over its JSON-RPC port, both from `dbm-client`. On every sub-chain, block after block:
//!
//! * **Trading.** Members take turns: one sells, posting a supply whose price follows its
//!   paper `cost` attribute (the cheapest asks the feed-in tariff, the dearest the grid price)
//!   and whose amount follows its `stable` attribute; another buys, taking the oldest open
//!   supply of someone else (the earliest offer wins) and posting a demand at the market's
//!   reference price, which the next seller takes. Every offer delivers in one whole metering
//!   interval that has not begun, so each trade is matched before its energy flows.
//! * **Metering.** Each member's simulated meter ([`crate::meters`]), with its own key, signs
//!   a reading of every interval as it ends, which the member submits (free). Once both
//!   parties' readings cover a trade, the buyer's node asks for its settlement from them
//!   (free): no root call and no buyer's confirmation. Less stable sellers deliver a little
//!   short, so settlements show imbalance paid to the grid. A settled trade's record goes
//!   into the block's trade root, which the relay anchors on the parent.
//! * **Elections.** Every [`ELECTION_EVERY`] blocks (standing in for the term's end) the
//!   parent's council (Alice, the development parent's one council member) asks the sub-chain
//!   for a new biller election (`billerRegistry.requestReelection` through `council.propose`);
//!   the relay proves the request to the sub-chain, which opens a round; the members confirm
//!   the best-scored candidate with signed confirmations; the relay carries the proof to the
//!   parent, whose registry confirms it, and proves the confirmation back to the sub-chain,
//!   which enacts it. No chain's sudo key is used.
//!
//! Every [`REPORT_EVERY`] a line per chain: height, finalized height and, for a sub-chain,
//! the trades settled, its last block anchored on the parent and the election in force.

use codec::{Decode, Encode};
use dbm_client::{extrinsic, ChainContext, Client, Result};
use dbm_primitives::{
	dbsca::{NodeAttributes, RoundStatus},
	metering::{IntervalIndex, MeterState},
	registry::AnchorHead,
	trade::{DeliveryRecord, EnergyKind, MarketPrices, Offer, OfferTerms, Side, Trade},
	AccountId, Balance, BlockNumber, SubchainId,
};
use sp_core::{sr25519, Pair};
use sp_runtime::{Permill, Saturating};
use std::{
	collections::BTreeSet,
	time::{Duration, Instant},
};

/// Log target of the demo.
const LOG: &str = "dbm-demo";
/// How often the demo reports.
pub const REPORT_EVERY: Duration = Duration::from_secs(6);
/// Sub-chain blocks between two elections the demo opens.
pub const ELECTION_EVERY: BlockNumber = 60;
/// The most open offers the demo keeps per member.
const MAX_OPEN_PER_MEMBER: usize = 4;

type SubCall = dbm_sub_runtime::RuntimeCall;
type ParentCall = dbm_parent_runtime::RuntimeCall;
type OfferOf = Offer<AccountId, Balance, BlockNumber>;
type TradeOf = Trade<AccountId, Balance, BlockNumber>;

/// A chain as the demo sees it: its name and JSON-RPC port on 127.0.0.1.
#[derive(Clone, Debug)]
pub struct DemoChain {
	/// The chain's label (`parent`, `sub-1`, ...).
	pub label: String,
	/// Its JSON-RPC port.
	pub rpc_port: u16,
	/// Its sub-chain id; `None` for the parent.
	pub subchain: Option<SubchainId>,
}

/// Starts the demo on `chains` (the parent first).
pub fn spawn(spawner: &sc_service::SpawnTaskHandle, chains: Vec<DemoChain>) {
	let parent_port = chains.iter().find(|c| c.subchain.is_none()).map(|c| c.rpc_port);
	for chain in chains.iter().filter(|c| c.subchain.is_some()) {
		let chain = chain.clone();
		spawner.spawn("dbm-demo", Some("demo"), async move { market(chain, parent_port).await });
	}
	if let Some(parent_port) = parent_port {
		spawner.spawn("dbm-demo-report", Some("demo"), report(parent_port, chains));
	}
}

/// A JSON-RPC connection to one chain of the network.
struct Node {
	rpc: Client,
	context: ChainContext,
}

impl Node {
	/// Connects to the chain on `port`, waiting until it serves.
	async fn connect(port: u16) -> Node {
		loop {
			match Self::try_connect(port).await {
				Ok(node) => return node,
				Err(error) => {
					log::debug!(target: LOG, "port {port}: {error}");
					tokio::time::sleep(Duration::from_secs(2)).await;
				}
			}
		}
	}

	async fn try_connect(port: u16) -> Result<Node> {
		let rpc = Client::connect(&format!("ws://127.0.0.1:{port}")).await?;
		let context = rpc.context().await?;
		Ok(Node { rpc, context })
	}

	/// Calls the runtime API function `method` at the best block.
	async fn runtime<R: Decode>(&self, method: &str, args: impl Encode) -> Result<R> {
		self.rpc.runtime_call(method, args, None).await
	}

	/// The value under `key` at the best block.
	async fn storage<V: Decode>(&self, key: &[u8]) -> Result<Option<V>> {
		self.rpc.storage(key, None).await
	}

	/// The numbers of the best and the finalized block.
	async fn heights(&self) -> Result<(BlockNumber, BlockNumber)> {
		Ok((self.rpc.best_number().await?, self.rpc.finalized_number().await?))
	}

	/// Signs `call` by `signer` with its next nonce (the pool's transactions counted) and
	/// submits it.
	async fn submit(&self, signer: &sr25519::Pair, call: SubCall) -> Result<()> {
		let account: AccountId = signer.public().into();
		let nonce = self.rpc.next_nonce(&account).await?;
		let xt = extrinsic::sub::signed(call, signer, nonce, self.context);
		self.rpc.submit(&xt).await?;
		Ok(())
	}

	/// [`Node::submit`] on the parent.
	async fn submit_parent(&self, signer: &sr25519::Pair, call: ParentCall) -> Result<()> {
		let account: AccountId = signer.public().into();
		let nonce = self.rpc.next_nonce(&account).await?;
		let xt = extrinsic::parent::signed(call, signer, nonce, self.context);
		self.rpc.submit(&xt).await?;
		Ok(())
	}
}

/// A member of a sub-chain the demo trades for.
pub struct Trader {
	/// Its account key on the sub-chain.
	pub pair: sr25519::Pair,
	/// Its account.
	pub account: AccountId,
	/// The attributes the paper gives it.
	pub attributes: NodeAttributes,
	/// Its meter.
	pub meter: crate::meters::Meter,
}

/// The members of development sub-chain `id`, with their keys and the paper's attributes.
pub fn traders(id: SubchainId) -> Vec<Trader> {
	use dbm_sub_runtime::genesis_config_presets::{member_keyrings, paper_group};
	member_keyrings()
		.into_iter()
		.zip(paper_group(id))
		.filter_map(|(keyring, node)| {
			let pair = dbm_runtime_common::presets::subchain_dev_pair(keyring, id);
			let account: AccountId = pair.public().into();
			(account == dbm_runtime_common::presets::subchain_dev_account(keyring, id)).then(|| {
				let meter =
					crate::meters::Meter::dev(keyring, id, account.clone(), &node.attributes);
				Trader { pair, account, attributes: node.attributes, meter }
			})
		})
		.collect()
}

/// A price between the feed-in tariff (`share` 0) and the grid price (`share` 100%).
pub fn between(prices: &MarketPrices<Balance>, share: Permill) -> Balance {
	let spread = prices.grid_price.saturating_sub(prices.feed_in_tariff);
	prices.feed_in_tariff.saturating_add(share.mul_floor(spread))
}

/// Drives sub-chain `chain`'s market and elections (asked for by the council of the parent on
/// `parent_port`) until the node stops.
async fn market(chain: DemoChain, parent_port: Option<u16>) {
	let Some(id) = chain.subchain else { return };
	let traders = traders(id);
	if traders.len() < 2 {
		log::warn!(target: LOG, "{}: no development members to trade for", chain.label);
		return;
	}
	let node = Node::connect(chain.rpc_port).await;
	let parent = match parent_port {
		Some(port) => Some(Node::connect(port).await),
		None => None,
	};
	let council = sp_keyring::Sr25519Keyring::Alice.pair();
	let mut turn = 0usize;
	let mut last_block = 0;
	// What was submitted and is not on chain yet, so it is not submitted twice.
	let mut metering = Metering { id, last_read: None, settling: BTreeSet::new() };
	let mut confirmed_round = None;
	let mut election_opened_at = None;
	loop {
		tokio::time::sleep(Duration::from_millis(500)).await;
		let Ok((best, _)) = node.heights().await else { continue };
		if best == last_block {
			continue;
		}
		last_block = best;
		let step = async {
			trade(&node, &traders, turn, best, &mut metering).await?;
			let asker = parent.as_ref().map(|parent| (parent, &council, id));
			elect(&node, &traders, asker, best, &mut election_opened_at, &mut confirmed_round).await
		};
		if let Err(error) = step.await {
			log::debug!(target: LOG, "{}: {error}", chain.label);
		}
		turn += 1;
	}
}

/// What the demo's meters have done on a sub-chain.
struct Metering {
	/// The sub-chain.
	id: SubchainId,
	/// The last interval the meters read.
	last_read: Option<IntervalIndex>,
	/// Trades whose settlement was asked for and that are still open.
	settling: BTreeSet<u64>,
}

/// The blocks of a metering interval on the sub-chains.
fn interval_length() -> BlockNumber {
	dbm_sub_runtime::configs::MeteringInterval::get()
}

/// The meters read every interval that ended since they last read, each member submitting
/// its own meter's reading; then every trade both parties' readings cover is settled from
/// them, asked by its buyer.
async fn meter(
	node: &Node,
	traders: &[Trader],
	trades: &[(u64, TradeOf)],
	now: BlockNumber,
	metering: &mut Metering,
) -> Result<()> {
	let length = interval_length();
	let Some(ended) = (now / length).checked_sub(1) else { return Ok(()) };
	let from = metering.last_read.map_or(ended, |last| last.saturating_add(1));
	for k in from..=ended {
		for trader in traders {
			let (exported, imported) =
				trader.meter.measure(trades.iter().map(|(_, t)| t), k, length);
			let (reading, signature) = trader.meter.read(metering.id, k, exported, imported);
			let call = SubCall::EnergyTrade(pallet_energy_trade::Call::submit_reading {
				reading,
				signature,
			});
			node.submit(&trader.pair, call).await?;
		}
		metering.last_read = Some(k);
	}

	metering.settling.retain(|id| trades.iter().any(|(open, _)| open == id));
	for (id, trade) in trades {
		let last = trade.delivery_end / length;
		if trade.disputed || metering.settling.contains(id) || metering.last_read < Some(last) {
			continue;
		}
		let Some(buyer) = traders.iter().find(|t| t.account == trade.buyer) else { continue };
		if read_up_to(node, &trade.seller).await? < Some(last)
			|| read_up_to(node, &trade.buyer).await? < Some(last)
		{
			continue;
		}
		let call = SubCall::EnergyTrade(pallet_energy_trade::Call::settle_trade { trade: *id });
		node.submit(&buyer.pair, call).await?;
		metering.settling.insert(*id);
	}
	Ok(())
}

/// The last interval `who`'s meter has read, as the chain has it.
async fn read_up_to(node: &Node, who: &AccountId) -> Result<Option<IntervalIndex>> {
	let key = pallet_subchain::Meters::<dbm_sub_runtime::Runtime>::hashed_key_for(who);
	let state: Option<MeterState> = node.storage(&key).await?;
	Ok(state.and_then(|s| s.last_interval))
}

/// One block's trading on a sub-chain: read the meters and settle what they cover, take open
/// offers, post new ones.
async fn trade(
	node: &Node,
	traders: &[Trader],
	turn: usize,
	now: BlockNumber,
	metering: &mut Metering,
) -> Result<()> {
	let prices: MarketPrices<Balance> = node.runtime("EnergyTradeApi_prices", ()).await?;
	let offers: Vec<(u64, OfferOf)> = node.runtime("EnergyTradeApi_open_offers", ()).await?;
	let trades: Vec<(u64, TradeOf)> = node.runtime("EnergyTradeApi_open_trades", ()).await?;
	meter(node, traders, &trades, now, metering).await?;

	let seller = &traders[turn % traders.len()];
	let buyer = &traders[(turn + traders.len() / 2) % traders.len()];
	let open_of = |who: &AccountId| offers.iter().filter(|(_, o)| &o.owner == who).count();
	// The earliest offer wins: each takes the oldest one of someone else.
	let oldest = |side: Side, taker: &AccountId| {
		offers
			.iter()
			.filter(|(_, o)| o.side == side && &o.owner != taker && o.remaining_wh > 0)
			.filter(|(_, o)| o.terms.expires > now)
			.min_by_key(|(id, _)| *id)
	};
	if let Some((offer, supply)) = oldest(Side::Supply, &buyer.account) {
		let energy_wh = if supply.terms.allow_partial {
			supply.remaining_wh.min(2_000)
		} else {
			supply.remaining_wh
		};
		let call = SubCall::EnergyTrade(pallet_energy_trade::Call::accept_offer {
			offer: *offer,
			energy_wh,
		});
		node.submit(&buyer.pair, call).await?;
	}
	if let Some((offer, demand)) = oldest(Side::Demand, &seller.account) {
		let call = SubCall::EnergyTrade(pallet_energy_trade::Call::accept_offer {
			offer: *offer,
			energy_wh: demand.remaining_wh,
		});
		node.submit(&seller.pair, call).await?;
	}

	// New offers: the seller's price follows its cost (the cheapest asks the feed-in tariff),
	// its amount its stability; the buyer bids the reference price. Each delivers in the
	// interval after next and may be taken until it begins.
	let length = interval_length();
	let start = (now / length + 2) * length;
	let window = OfferTerms {
		energy_wh: 0,
		price: 0,
		allow_partial: true,
		delivery_start: start,
		delivery_end: start + length - 1,
		expires: start - 1,
	};
	if open_of(&seller.account) < MAX_OPEN_PER_MEMBER {
		let terms = OfferTerms {
			energy_wh: 1_000 + seller.attributes.stability.mul_floor(4_000u64),
			price: between(&prices, Permill::one().saturating_sub(seller.attributes.cost)),
			..window
		};
		node.submit(
			&seller.pair,
			SubCall::EnergyTrade(pallet_energy_trade::Call::post_supply { terms }),
		)
		.await?;
	}
	if open_of(&buyer.account) < MAX_OPEN_PER_MEMBER {
		let terms = OfferTerms {
			energy_wh: 1_500,
			price: prices.reference.clamp(prices.feed_in_tariff, prices.grid_price),
			..window
		};
		let call = SubCall::EnergyTrade(pallet_energy_trade::Call::post_demand {
			terms,
			kind: EnergyKind::Any,
			grid_fallback: false,
		});
		node.submit(&buyer.pair, call).await?;
	}
	Ok(())
}

/// One block's election work on a sub-chain: have the parent's council ask for a round every
/// [`ELECTION_EVERY`] blocks when none is going on, and confirm the best-scored candidate of an
/// open round.
async fn elect(
	node: &Node,
	traders: &[Trader],
	asker: Option<(&Node, &sr25519::Pair, SubchainId)>,
	now: BlockNumber,
	opened_at: &mut Option<BlockNumber>,
	confirmed_round: &mut Option<u32>,
) -> Result<()> {
	let round: Option<RoundStatus<AccountId, BlockNumber>> =
		node.runtime("DbscaApi_round", ()).await?;
	let Some(round) = round else {
		let pending: Option<(u32, Vec<AccountId>)> =
			node.runtime("DbscaApi_pending_committee", ()).await?;
		let due = opened_at.is_none_or(|at| now >= at.saturating_add(ELECTION_EVERY));
		if let Some((parent, council, id)) =
			asker.filter(|_| pending.is_none() && due && now >= ELECTION_EVERY / 4)
		{
			let ask =
				ParentCall::BillerRegistry(pallet_biller_registry::Call::request_reelection {
					subchain: id,
					excluded: None,
				});
			// The development parent's council is Alice alone: her motion passes as she
			// makes it.
			let length_bound = ask.encoded_size() as u32;
			let motion = ParentCall::Council(pallet_collective::Call::propose {
				threshold: 1,
				proposal: Box::new(ask),
				length_bound,
			});
			parent.submit_parent(council, motion).await?;
			*opened_at = Some(now);
		}
		return Ok(());
	};
	if *confirmed_round == Some(round.index) {
		return Ok(());
	}
	let Some((candidate, _)) = round.committee.first() else { return Ok(()) };
	let payload: Option<Vec<u8>> =
		node.runtime("DbscaApi_confirmation_payload", round.index).await?;
	let Some(payload) = payload else { return Ok(()) };
	for member in traders.iter().take(round.needed as usize) {
		let signature = sp_runtime::MultiSignature::Sr25519(member.pair.sign(&payload));
		let call = SubCall::Dbsca(pallet_dbsca::Call::confirm {
			round: round.index,
			candidate: candidate.clone(),
			signature,
		});
		node.submit(&member.pair, call).await?;
	}
	*confirmed_round = Some(round.index);
	Ok(())
}

/// What the report says of a sub-chain besides its heights.
async fn subchain_line(node: &Node, parent: &Node, id: SubchainId) -> Result<String> {
	let (mut settled, mut delivered, mut contracted) = (0u32, 0u64, 0u64);
	for trader in traders(id) {
		let record: DeliveryRecord =
			node.runtime("EnergyTradeApi_delivery_record", trader.account).await?;
		settled = settled.saturating_add(record.trades);
		delivered = delivered.saturating_add(record.delivered_wh);
		contracted = contracted.saturating_add(record.contracted_wh);
	}
	let anchored: Option<AnchorHead<BlockNumber>> =
		parent.runtime("RegistryApi_last_anchor", id).await?;
	let election: Option<pallet_dbsca::ElectionOf<dbm_sub_runtime::Runtime>> =
		node.storage(&pallet_dbsca::LastElection::<dbm_sub_runtime::Runtime>::hashed_key()).await?;
	let inbox: Option<u64> = node
		.storage(&pallet_parent_inbox::NextNonce::<dbm_sub_runtime::Runtime>::hashed_key())
		.await?;
	Ok(format!(
		"trades settled {settled} ({:.1} kWh delivered, {:.1} kWh short), anchored #{}, \
		 election round {}, parent messages {}",
		delivered as f64 / 1_000.0,
		contracted.saturating_sub(delivered) as f64 / 1_000.0,
		anchored.map(|a| a.number).unwrap_or(0),
		election.map(|e| e.round).unwrap_or(0),
		inbox.unwrap_or(0),
	))
}

/// Reports every chain's progress every [`REPORT_EVERY`].
async fn report(parent_port: u16, chains: Vec<DemoChain>) {
	let parent = Node::connect(parent_port).await;
	let mut nodes = Vec::new();
	for chain in &chains {
		nodes.push((chain.clone(), Node::connect(chain.rpc_port).await));
	}
	let started = Instant::now();
	loop {
		tokio::time::sleep(REPORT_EVERY).await;
		for (chain, node) in &nodes {
			let heights = match node.heights().await {
				Ok((best, finalized)) => format!("#{best} (finalized #{finalized})"),
				Err(error) => format!("unreachable: {error}"),
			};
			let more = match chain.subchain {
				Some(id) => match subchain_line(node, &parent, id).await {
					Ok(line) => format!(", {line}"),
					Err(error) => format!(", {error}"),
				},
				None => String::new(),
			};
			log::info!(
				target: LOG,
				"[demo {:>4} s] {:<7} {heights}{more}",
				started.elapsed().as_secs(),
				chain.label
			);
		}
	}
}
