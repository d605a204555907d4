// The electricity market of a sub-chain (pallet-energy-trade) driven by polkadot.js on a fresh
// `dbm-node --dev` network: every call of the pallet, submitted and awaited until finalized,
// the events and state that follow, the `EnergyTradeApi` runtime API and the node's `energy_*`
// RPC (a block's trade root and Merkle proofs included), a dispute carried to the parent chain
// and its ruling carried back by the relay, and named errors for bad input with the state left
// unchanged.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { devAccounts } from '../lib/accounts.js';
import { MILLI_UNIT, UNIT, bestNumber, connect, finalizedEvent, finalizedNumber, until } from '../lib/chain.js';
import {
  EXPIRY, WINDOW, escrowOf, freeOf, kindOf, marketState, openOfferIds, openTradeIds, payment, provenRecord,
  referencePrice, renewable, reservedOf, terms
} from '../lib/energy.js';
import { startDevNetwork } from '../lib/network.js';
import { council, eventsOf, parentDecides, send, sendOk } from '../lib/tx.js';

const FEED_IN_TARIFF = 80n * MILLI_UNIT;
const GRID_PRICE = 300n * MILLI_UNIT;

describe('energy trade on a sub-chain with polkadot.js', () => {
  let network, provider, api, parent, k, members, byAddress;

  before(async () => {
    k = await devAccounts(['Alice', 'Bob', 'Charlie', 'Dave'], { outsider: '//Outsider' });
    byAddress = new Map(Object.values(k).map((pair) => [pair.address, pair]));
    network = await startDevNetwork({ subchains: 1 });
    provider = new WsProvider(network.endpoint(1));
    api = await connect(network, 1, provider);
    parent = await connect(network, 0);
    // The sub-chain's members and what was attested for each (renewable or not).
    members = new Map((await api.query.subchain.members.entries())
      .map(([key, info]) => [key.args[0].toString(), info.unwrap()]));
  });

  after(async () => {
    if (parent) await parent.disconnect();
    if (api) await api.disconnect();
    if (network) await network.stop();
  });

  const rpc = (method, params = []) => provider.send(method, params);

  // Carried from one step of the market to the next.
  const state = {};

  it('reads constants, storage, the runtime API and the RPC from metadata alone', async () => {
    const c = api.consts.energyTrade;
    assert.equal(c.maxOffersPerAccount.toNumber(), 16);
    assert.equal(c.maxOpenOffers.toNumber(), 1_024);
    assert.equal(c.maxOpenTrades.toNumber(), 4_096);
    assert.equal(c.maxTradesPerBlock.toNumber(), 1_024);
    assert.equal(c.maxExpiriesPerBlock.toNumber(), 64);
    assert.equal(c.maxHorizon.toNumber(), 7 * 24 * 7_200, 'a week of half-second blocks');
    assert.equal(c.settlementPeriod.toNumber(), 7_200, 'an hour of half-second blocks');
    const grid = c.gridAccount.toString();
    assert.ok((await api.query.system.account(grid)).data.free.toBigInt() > 0n, 'the grid account exists');

    const q = api.query.energyTrade;
    assert.equal((await q.feedInTariff()).toBigInt(), FEED_IN_TARIFF);
    assert.equal((await q.gridPrice()).toBigInt(), GRID_PRICE);
    assert.equal((await q.offers.entries()).length, 0);
    assert.equal((await q.offersOf(k.alice.address)).length, 0);
    assert.equal((await q.trades.entries()).length, 0);
    assert.equal((await q.openSupply()).toBigInt(), 0n);
    assert.equal((await q.openDemand()).toBigInt(), 0n);
    assert.equal((await q.blockTrades()).length, 0);
    const record = await q.deliveryRecords(k.bob.address);
    assert.equal(record.trades.toNumber(), 0);

    // Genesis: ten members, all generators; at least one is not attested renewable.
    assert.equal(members.size, 10);
    for (const who of [k.alice, k.bob, k.charlie, k.dave, k.eve, k.ferdie,
      k.aliceStash, k.bobStash, k.charlieStash, k.daveStash]) {
      assert.ok(members.has(who.address), `${who.address} is a member`);
      assert.ok(members.get(who.address).role.isGenerator);
    }
    assert.ok(!members.has(k.outsider.address));
    assert.ok([...members.values()].some((m) => m.attested.renewable.isFalse), 'a non-renewable member');

    assert.ok(api.call.energyTradeApi, 'EnergyTradeApi in the metadata');
    const prices = await api.call.energyTradeApi.prices();
    assert.equal(prices.feedInTariff.toBigInt(), FEED_IN_TARIFF);
    assert.equal(prices.gridPrice.toBigInt(), GRID_PRICE);
    assert.equal(prices.reference.toBigInt(), FEED_IN_TARIFF, 'no demand: the feed-in tariff');
    assert.equal(prices.openSupplyWh.toBigInt(), 0n);
    assert.equal(prices.openDemandWh.toBigInt(), 0n);
    assert.equal((await api.call.energyTradeApi.openOffers()).length, 0);
    assert.equal((await api.call.energyTradeApi.openTrades()).length, 0);
    assert.ok((await api.call.energyTradeApi.tradeProof(0)).isNone);
    assert.equal((await api.call.energyTradeApi.deliveryRecord(k.bob.address)).trades.toNumber(), 0);

    assert.deepEqual(await rpc('energy_prices'), {
      feedInTariff: FEED_IN_TARIFF.toString(),
      gridPrice: GRID_PRICE.toString(),
      reference: FEED_IN_TARIFF.toString(),
      openSupplyWh: '0',
      openDemandWh: '0',
      networkCharge: '0'
    });
    assert.deepEqual(await rpc('energy_openOffers'), []);
    assert.deepEqual(await rpc('energy_openTrades'), []);
    const delivery = await rpc('energy_deliveryRecord', [k.bob.address]);
    assert.deepEqual(delivery, { trades: 0, undelivered: 0, contractedWh: 0, deliveredWh: 0, stabilityPpm: 1_000_000 });
  });

  it('posts a demand and holds its escrow', async () => {
    const base = await bestNumber(api);
    const price = 200n * MILLI_UNIT;
    const energyWh = 10_000;
    const posted = terms(base, { energyWh, price });
    const [escrowBefore, reservedBefore, demandBefore] =
      [await escrowOf(api, k.alice), await reservedOf(api, k.alice), (await api.query.energyTrade.openDemand()).toBigInt()];

    const result = await sendOk(api, api.tx.energyTrade.postDemand(posted, 'Any', false), k.alice);
    // Awaited until finalized: the finalized head is at or past the block that included it.
    const included = (await api.rpc.chain.getHeader(result.finalized)).number.toNumber();
    const head = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
    assert.ok(head.number.toNumber() >= included);

    const [event] = eventsOf(api, result, 'energyTrade', 'OfferPosted');
    assert.ok(event, 'an OfferPosted event');
    const escrow = payment(price, energyWh);
    assert.equal(event.data.owner.toString(), k.alice.address);
    assert.ok(event.data.side.isDemand);
    assert.ok(event.data.kind.isAny);
    assert.equal(event.data.energyWh.toNumber(), energyWh);
    assert.equal(event.data.price.toBigInt(), price);
    assert.equal(event.data.escrow.toBigInt(), escrow, 'no grid fallback: escrow at the bid');
    const id = event.data.offer.toNumber();

    assert.equal(await escrowOf(api, k.alice) - escrowBefore, escrow, 'the escrow is held');
    assert.equal(await reservedOf(api, k.alice) - reservedBefore, escrow, 'a hold counts as reserved');
    assert.equal((await api.query.energyTrade.openDemand()).toBigInt() - demandBefore, BigInt(energyWh));
    const offer = (await api.query.energyTrade.offers(id)).unwrap();
    assert.equal(offer.owner.toString(), k.alice.address);
    assert.equal(offer.remainingWh.toNumber(), energyWh);
    assert.equal(offer.escrow.toBigInt(), escrow);
    assert.ok(offer.gridFallback.isNone);
    assert.equal(offer.terms.expires.toNumber(), base + EXPIRY);
    assert.ok((await api.query.energyTrade.offersOf(k.alice.address)).map((o) => o.toNumber()).includes(id));

    const view = (await rpc('energy_openOffers')).find((o) => o.id === id);
    assert.deepEqual(view, {
      id,
      owner: k.alice.address,
      side: 'demand',
      kind: 'any',
      energyWh,
      remainingWh: energyWh,
      price: price.toString(),
      allowPartial: false,
      deliveryStart: base,
      deliveryEnd: base + WINDOW,
      expires: base + EXPIRY,
      escrow: escrow.toString(),
      gridFallback: null
    });
    const prices = await rpc('energy_prices');
    assert.equal(prices.openDemandWh, (demandBefore + BigInt(energyWh)).toString());
    assert.equal(prices.reference, referencePrice(FEED_IN_TARIFF, GRID_PRICE,
      BigInt(prices.openSupplyWh), BigInt(prices.openDemandWh)).toString(), 'the reference follows the SDR');
    const runtimeOffers = await api.call.energyTradeApi.openOffers();
    assert.ok(runtimeOffers.some(([offerId]) => offerId.toNumber() === id));
    state.demand = { id, price, energyWh, escrow };
  });

  it('a member takes the demand and the block header commits to the trade', async () => {
    const { id, price, energyWh, escrow } = state.demand;
    const demandBefore = (await api.query.energyTrade.openDemand()).toBigInt();
    const escrowBefore = await escrowOf(api, k.alice);

    const result = await sendOk(api, api.tx.energyTrade.acceptOffer(id, energyWh), k.bob);
    const [event] = eventsOf(api, result, 'energyTrade', 'OfferAccepted');
    assert.ok(event, 'an OfferAccepted event');
    const value = payment(price, energyWh);
    assert.equal(event.data.offer.toNumber(), id);
    assert.equal(event.data.buyer.toString(), k.alice.address);
    assert.equal(event.data.seller.toString(), k.bob.address);
    assert.equal(event.data.energyWh.toNumber(), energyWh);
    assert.equal(event.data.price.toBigInt(), price);
    assert.equal(event.data.value.toBigInt(), value);
    assert.equal(value, escrow, 'the whole demand: its escrow is the payment');
    const trade = event.data.trade.toNumber();

    // The offer is closed; its escrow now backs the trade.
    assert.ok((await api.query.energyTrade.offers(id)).isNone);
    assert.ok(!(await api.query.energyTrade.offersOf(k.alice.address)).map((o) => o.toNumber()).includes(id));
    assert.equal(demandBefore - (await api.query.energyTrade.openDemand()).toBigInt(), BigInt(energyWh));
    assert.equal(await escrowOf(api, k.alice), escrowBefore);
    const stored = (await api.query.energyTrade.trades(trade)).unwrap();
    assert.equal(stored.buyer.toString(), k.alice.address);
    assert.equal(stored.seller.toString(), k.bob.address);
    assert.equal(stored.energyWh.toNumber(), energyWh);
    assert.equal(stored.escrow.toBigInt(), value);
    assert.equal(stored.kind.type, kindOf(members, k.bob), "the seller's attestation");
    assert.equal(stored.settleBy.toNumber(), stored.deliveryEnd.toNumber() + 7_200, 'an hour of half-second blocks to settle');
    assert.ok(stored.disputed.isFalse);
    const view = (await rpc('energy_openTrades')).find((t) => t.id === trade);
    assert.ok(view, 'the trade in energy_openTrades');
    assert.equal(view.offer, id);
    assert.equal(view.buyer, k.alice.address);
    assert.equal(view.seller, k.bob.address);
    assert.equal(view.escrow, value.toString());
    assert.equal(view.disputed, false);
    assert.ok((await api.call.energyTradeApi.openTrades()).some(([t]) => t.toNumber() === trade));
    assert.ok(!(await openOfferIds(rpc)).includes(id));

    const record = await provenRecord(api, rpc, result.finalized, trade, 'matched');
    assert.equal(record.buyer, k.alice.address);
    assert.equal(record.seller, k.bob.address);
    assert.equal(record.energyWh, energyWh);
    assert.equal(record.price, price.toString());
    assert.equal(record.value, value.toString());
    assert.equal(record.deliveredWh, null);
    state.trade = { id: trade, energyWh, value };
  });

  it('the buyer confirms full delivery and the seller is paid', async () => {
    const { id, energyWh, value } = state.trade;
    const bobBefore = await freeOf(api, k.bob);
    const escrowBefore = await escrowOf(api, k.alice);

    const result = await sendOk(api, api.tx.energyTrade.confirmDelivery(id, energyWh), k.alice);
    const [event] = eventsOf(api, result, 'energyTrade', 'TradeSettled');
    assert.ok(event, 'a TradeSettled event');
    assert.equal(event.data.trade.toNumber(), id);
    assert.equal(event.data.deliveredWh.toNumber(), energyWh);
    assert.equal(event.data.paid.toBigInt(), value);
    assert.equal(event.data.refunded.toBigInt(), 0n);

    assert.equal(await freeOf(api, k.bob, result.finalized) - bobBefore, value, 'the seller got the value');
    assert.equal(escrowBefore - await escrowOf(api, k.alice), value, 'the escrow is spent');
    assert.ok((await api.query.energyTrade.trades(id)).isNone);
    assert.ok(!(await openTradeIds(rpc)).includes(id));
    const stored = await api.query.energyTrade.deliveryRecords(k.bob.address);
    assert.equal(stored.trades.toNumber(), 1);
    assert.equal(stored.undelivered.toNumber(), 0);
    assert.equal(stored.contractedWh.toNumber(), energyWh);
    assert.equal(stored.deliveredWh.toNumber(), energyWh);
    assert.deepEqual(await rpc('energy_deliveryRecord', [k.bob.address, result.finalized]), {
      trades: 1, undelivered: 0, contractedWh: energyWh, deliveredWh: energyWh, stabilityPpm: 1_000_000
    });
    assert.equal((await api.call.energyTradeApi.deliveryRecord(k.bob.address)).trades.toNumber(), 1);

    const record = await provenRecord(api, rpc, result.finalized, id, 'delivered');
    assert.equal(record.deliveredWh, energyWh);
    assert.equal(record.value, value.toString());
  });

  it('a supply is taken in part, disputed by the buyer and ruled on by the parent chain', async () => {
    const base = await bestNumber(api);
    const price = 150n * MILLI_UNIT;
    const energyWh = 20_000;
    const supplyBefore = (await api.query.energyTrade.openSupply()).toBigInt();
    const posted = await sendOk(api, api.tx.energyTrade.postSupply(terms(base, { energyWh, price, allowPartial: true })), k.charlie);
    const [offered] = eventsOf(api, posted, 'energyTrade', 'OfferPosted');
    assert.ok(offered, 'an OfferPosted event');
    assert.ok(offered.data.side.isSupply);
    assert.equal(offered.data.kind.type, kindOf(members, k.charlie), "a supply's kind is its seller's attestation");
    assert.equal(offered.data.escrow.toBigInt(), 0n, 'a supply holds nothing');
    const offer = offered.data.offer.toNumber();
    assert.equal((await api.query.energyTrade.openSupply()).toBigInt() - supplyBefore, BigInt(energyWh));
    const offerView = (await rpc('energy_openOffers')).find((o) => o.id === offer);
    assert.equal(offerView.side, 'supply');
    assert.equal(offerView.kind, kindOf(members, k.charlie).toLowerCase());
    assert.equal(offerView.allowPartial, true);

    // Dave takes a quarter: he pays it into escrow.
    const part = 5_000;
    const value = payment(price, part);
    const daveEscrow = await escrowOf(api, k.dave);
    const accepted = await sendOk(api, api.tx.energyTrade.acceptOffer(offer, part), k.dave);
    const [taken] = eventsOf(api, accepted, 'energyTrade', 'OfferAccepted');
    assert.ok(taken, 'an OfferAccepted event');
    assert.equal(taken.data.buyer.toString(), k.dave.address);
    assert.equal(taken.data.seller.toString(), k.charlie.address);
    assert.equal(taken.data.energyWh.toNumber(), part);
    assert.equal(taken.data.value.toBigInt(), value);
    const trade = taken.data.trade.toNumber();
    assert.equal(await escrowOf(api, k.dave) - daveEscrow, value, "the taker's payment is held");
    assert.equal((await api.query.energyTrade.offers(offer)).unwrap().remainingWh.toNumber(), energyWh - part);
    assert.equal((await api.query.energyTrade.openSupply()).toBigInt() - supplyBefore, BigInt(energyWh - part));
    await provenRecord(api, rpc, accepted.finalized, trade, 'matched');

    const disputed = await sendOk(api, api.tx.energyTrade.dispute(trade), k.dave);
    const [dispute] = eventsOf(api, disputed, 'energyTrade', 'TradeDisputed');
    assert.ok(dispute, 'a TradeDisputed event');
    assert.equal(dispute.data.trade.toNumber(), trade);
    assert.equal(dispute.data.by.toString(), k.dave.address);
    // The dispute waits in the sub-chain's outbox for the parent, with what a ruling needs.
    const message = (await api.query.membershipVoting.outbox.at(disputed.finalized, 'Parent', dispute.data.nonce.toNumber())).unwrap();
    assert.ok(message.isDispute, message.toString());
    assert.equal(message.asDispute.trade.toNumber(), trade);
    const sent = message.asDispute.dispute;
    assert.deepEqual([sent.by.toString(), sent.buyer.toString(), sent.seller.toString()],
      [k.dave.address, k.dave.address, k.charlie.address]);
    assert.equal(sent.energyWh.toNumber(), part);
    assert.equal(sent.escrow.toBigInt(), value);
    assert.ok((await api.query.energyTrade.trades(trade)).unwrap().disputed.isTrue);
    assert.equal((await rpc('energy_openTrades')).find((t) => t.id === trade).disputed, true);

    // Frozen: the buyer can no longer settle it.
    const frozenBefore = (await api.query.energyTrade.trades(trade)).toHex();
    const frozen = await send(api, api.tx.energyTrade.confirmDelivery(trade, part), k.dave);
    assert.equal(frozen.error, 'energyTrade.TradeDisputed');
    assert.equal((await api.query.energyTrade.trades(trade)).toHex(), frozenBefore);

    // The relay proves the dispute to the parent, against the sub-chain's anchored state.
    const onParent = await until('the dispute on the parent', async () =>
      (await parent.query.billerRegistry.disputes(1, trade)).unwrapOr(null));
    assert.equal(onParent.toHex(), sent.toHex(), 'the parent holds the dispute byte for byte');
    assert.equal((await parent.query.billerRegistry.disputeCount(1)).toNumber(), 1);

    // The parent's ruling: 3 kWh of the 5 were delivered. More than agreed is refused.
    const delivered = 3_000;
    const paid = payment(price, delivered);
    const charlieBefore = await freeOf(api, k.charlie);
    const tooMuch = await send(parent, council(parent, parent.tx.billerRegistry.ruleDispute(1, trade, part + 1)), k.alice);
    assert.equal(tooMuch.innerError, 'billerRegistry.ExceedsAgreed');
    const from = await finalizedNumber(api);
    const ruling = await sendOk(parent, council(parent, parent.tx.billerRegistry.ruleDispute(1, trade, delivered)), k.alice);
    const [ruledEvent] = eventsOf(parent, ruling, 'billerRegistry', 'DisputeRuled');
    assert.ok(ruledEvent, 'a DisputeRuled event');
    assert.equal(ruledEvent.data.trade.toNumber(), trade);
    assert.equal(ruledEvent.data.deliveredWh.toNumber(), delivered);
    assert.ok((await parent.query.billerRegistry.disputes(1, trade)).isNone);
    const again = await send(parent, council(parent, parent.tx.billerRegistry.ruleDispute(1, trade, delivered)), k.alice);
    assert.equal(again.innerError, 'billerRegistry.UnknownDispute');

    // The sub-chain's relay delivers the ruling with a proof; the trade settles by it.
    const { hash: ruledIn, event: resolved, events } = await finalizedEvent(api, from, 'energyTrade', 'DisputeResolved',
      (e) => e.data.trade.toNumber() === trade);
    const deliveredEvent = events.find((e) => api.events.parentInbox.Delivered.is(e) &&
      e.data.nonce.toNumber() === ruledEvent.data.nonce.toNumber());
    assert.ok(deliveredEvent, 'delivered by the parent inbox');
    assert.ok(deliveredEvent.data.message.isRuling);
    assert.ok(deliveredEvent.data.result.isOk);
    const ruled = { finalized: ruledIn };
    assert.ok(resolved, 'a DisputeResolved event');
    assert.equal(resolved.data.trade.toNumber(), trade);
    assert.equal(resolved.data.deliveredWh.toNumber(), delivered);
    assert.equal(resolved.data.paid.toBigInt(), paid);
    assert.equal(resolved.data.refunded.toBigInt(), value - paid);
    assert.equal(await freeOf(api, k.charlie, ruled.finalized) - charlieBefore, paid);
    assert.equal(await escrowOf(api, k.dave), daveEscrow, 'the rest returned to the buyer');
    assert.ok((await api.query.energyTrade.trades(trade)).isNone);
    assert.deepEqual(await rpc('energy_deliveryRecord', [k.charlie.address]), {
      trades: 1, undelivered: 0, contractedWh: part, deliveredWh: delivered, stabilityPpm: 600_000
    });
    const record = await provenRecord(api, rpc, ruled.finalized, trade, 'ruled');
    assert.equal(record.deliveredWh, delivered);
    assert.equal(record.value, paid.toString());
    state.supply = { id: offer, price, remainingWh: energyWh - part };
  });

  it('the buyer confirms a whole delivery and the seller is paid from the escrow', async () => {
    const { id: offer, price } = state.supply;
    const part = 4_000;
    const value = payment(price, part);
    const eveEscrow = await escrowOf(api, k.eve);
    const accepted = await sendOk(api, api.tx.energyTrade.acceptOffer(offer, part), k.eve);
    const [taken] = eventsOf(api, accepted, 'energyTrade', 'OfferAccepted');
    assert.ok(taken, 'an OfferAccepted event');
    const trade = taken.data.trade.toNumber();
    assert.equal(await escrowOf(api, k.eve) - eveEscrow, value);
    state.supply.remainingWh -= part;

    // The buyer confirms all 4 kWh (a part of it settles only by the parent's ruling on a
    // dispute, above: no single key can say less was delivered).
    const delivered = part;
    const paid = payment(price, delivered);
    const charlieBefore = await freeOf(api, k.charlie);
    const settled = await sendOk(api, api.tx.energyTrade.confirmDelivery(trade, delivered), k.eve);
    const [event] = eventsOf(api, settled, 'energyTrade', 'TradeSettled');
    assert.ok(event, 'a TradeSettled event');
    assert.equal(event.data.trade.toNumber(), trade);
    assert.equal(event.data.deliveredWh.toNumber(), delivered);
    assert.equal(event.data.paid.toBigInt(), paid);
    assert.equal(event.data.refunded.toBigInt(), value - paid, 'nothing undelivered to refund');
    assert.equal(paid, value);
    assert.equal(await freeOf(api, k.charlie, settled.finalized) - charlieBefore, paid);
    assert.equal(await escrowOf(api, k.eve), eveEscrow, "the buyer's escrow is released");
    assert.ok((await api.query.energyTrade.trades(trade)).isNone);
    const stored = await api.query.energyTrade.deliveryRecords(k.charlie.address);
    assert.equal(stored.trades.toNumber(), 2);
    assert.equal(stored.contractedWh.toNumber(), 5_000 + part);
    assert.equal(stored.deliveredWh.toNumber(), 3_000 + delivered);
    const record = await provenRecord(api, rpc, settled.finalized, trade, 'delivered');
    assert.equal(record.deliveredWh, delivered);
  });

  it('cancels offers: a supply, and a renewable demand with grid fallback whose escrow returns', async () => {
    // The rest of Charlie's supply.
    const { id: supply, remainingWh } = state.supply;
    const supplyBefore = (await api.query.energyTrade.openSupply()).toBigInt();
    const cancelledSupply = await sendOk(api, api.tx.energyTrade.cancelOffer(supply), k.charlie);
    const [supplyEvent] = eventsOf(api, cancelledSupply, 'energyTrade', 'OfferCancelled');
    assert.ok(supplyEvent, 'an OfferCancelled event');
    assert.equal(supplyEvent.data.offer.toNumber(), supply);
    assert.equal(supplyEvent.data.refunded.toBigInt(), 0n);
    assert.equal(supplyBefore - (await api.query.energyTrade.openSupply()).toBigInt(), BigInt(remainingWh));
    assert.ok((await api.query.energyTrade.offers(supply)).isNone);
    assert.ok(!(await openOfferIds(rpc)).includes(supply));

    // Eve bids for renewable energy; with the grid fallback her escrow is at the grid price.
    const base = await bestNumber(api);
    const energyWh = 4_000;
    const grid = (await api.query.energyTrade.gridPrice()).toBigInt();
    const escrowBefore = await escrowOf(api, k.eve);
    const demandBefore = (await api.query.energyTrade.openDemand()).toBigInt();
    const posted = await sendOk(api, api.tx.energyTrade.postDemand(
      terms(base, { energyWh, price: 120n * MILLI_UNIT, allowPartial: true }), 'Renewable', true), k.eve);
    const [offered] = eventsOf(api, posted, 'energyTrade', 'OfferPosted');
    assert.ok(offered, 'an OfferPosted event');
    assert.ok(offered.data.kind.isRenewable);
    const escrow = payment(grid, energyWh);
    assert.equal(offered.data.escrow.toBigInt(), escrow);
    const id = offered.data.offer.toNumber();
    assert.equal(await escrowOf(api, k.eve) - escrowBefore, escrow);
    assert.equal((await api.query.energyTrade.offers(id)).unwrap().gridFallback.unwrap().toBigInt(), grid);
    const view = (await rpc('energy_openOffers')).find((o) => o.id === id);
    assert.equal(view.kind, 'renewable');
    assert.equal(view.gridFallback, grid.toString());

    // A member not attested renewable cannot take it.
    const other = [...members.keys()].map((a) => byAddress.get(a))
      .find((pair) => pair && pair.address !== k.eve.address && !renewable(members, pair));
    assert.ok(other, 'a non-renewable member other than Eve');
    const offerBefore = (await api.query.energyTrade.offers(id)).toHex();
    const refused = await send(api, api.tx.energyTrade.acceptOffer(id, 1_000), other);
    assert.equal(refused.error, 'energyTrade.NotRenewable');
    assert.equal((await api.query.energyTrade.offers(id)).toHex(), offerBefore);
    assert.equal((await api.query.energyTrade.openDemand()).toBigInt() - demandBefore, BigInt(energyWh));

    const cancelled = await sendOk(api, api.tx.energyTrade.cancelOffer(id), k.eve);
    const [event] = eventsOf(api, cancelled, 'energyTrade', 'OfferCancelled');
    assert.ok(event, 'an OfferCancelled event');
    assert.equal(event.data.offer.toNumber(), id);
    assert.equal(event.data.refunded.toBigInt(), escrow);
    assert.equal(await escrowOf(api, k.eve), escrowBefore, 'the escrow is returned');
    assert.ok((await api.query.energyTrade.offers(id)).isNone);
    assert.ok(!(await api.query.energyTrade.offersOf(k.eve.address)).map((o) => o.toNumber()).includes(id));
    assert.equal((await api.query.energyTrade.openDemand()).toBigInt(), demandBefore);
    assert.ok(!(await openOfferIds(rpc)).includes(id));
  });

  it("the parent's council sets the price bounds, the sub-chain takes them with a proof and the RPC follows them", async () => {
    const original = [(await api.query.energyTrade.feedInTariff()).toBigInt(), (await api.query.energyTrade.gridPrice()).toBigInt()];
    const earlier = (await api.rpc.chain.getFinalizedHead()).toHex();
    const [feedIn, grid] = [100n * MILLI_UNIT, 250n * MILLI_UNIT];

    // What the sub-chain would refuse, the parent refuses first.
    const inverted = await send(parent, council(parent, parent.tx.billerRegistry.setPrices(1, grid + 1n, grid)), k.alice);
    assert.equal(inverted.innerError, 'billerRegistry.InvalidPriceBounds');
    const set = await parentDecides(parent, api, 1, parent.tx.billerRegistry.setPrices(1, feedIn, grid), k.alice);
    assert.equal(set.error, null);
    const [sent] = eventsOf(parent, set.decided, 'billerRegistry', 'PricesSent');
    assert.equal(sent.data.nonce.toNumber(), set.nonce);
    const event = (await api.query.system.events.at(set.hash)).map(({ event }) => event)
      .find((e) => api.events.energyTrade.PricesSet.is(e));
    assert.ok(event, 'a PricesSet event');
    assert.equal(event.data.feedInTariff.toBigInt(), feedIn);
    assert.equal(event.data.gridPrice.toBigInt(), grid);
    assert.equal((await api.query.energyTrade.feedInTariff()).toBigInt(), feedIn);
    assert.equal((await api.query.energyTrade.gridPrice()).toBigInt(), grid);
    const prices = await rpc('energy_prices', [set.hash]);
    assert.equal(prices.feedInTariff, feedIn.toString());
    assert.equal(prices.gridPrice, grid.toString());
    assert.equal(prices.reference,
      referencePrice(feedIn, grid, BigInt(prices.openSupplyWh), BigInt(prices.openDemandWh)).toString());
    const runtime = await api.call.energyTradeApi.prices();
    assert.equal(runtime.feedInTariff.toBigInt(), feedIn);
    assert.equal(runtime.gridPrice.toBigInt(), grid);
    const before = await rpc('energy_prices', [earlier]);
    assert.equal(before.feedInTariff, original[0].toString(), 'an earlier block keeps its prices');
    assert.equal(before.gridPrice, original[1].toString());

    // Back to the genesis prices for the rest of the file.
    const restored = await parentDecides(parent, api, 1, parent.tx.billerRegistry.setPrices(1, ...original), k.alice);
    assert.equal(restored.error, null);
    const now = await rpc('energy_prices');
    assert.equal(now.feedInTariff, original[0].toString());
    assert.equal(now.gridPrice, original[1].toString());
    assert.deepEqual(original, [FEED_IN_TARIFF, GRID_PRICE]);
  });

  it("the parent's council sets a network charge and every settlement pays it to the grid account from the seller's proceeds", async () => {
    const feedIn = (await api.query.energyTrade.feedInTariff()).toBigInt();
    assert.equal((await api.query.energyTrade.networkCharge()).toBigInt(), 0n, 'none at genesis');
    // Above the feed-in tariff: the parent sends it, the sub-chain refuses it by name.
    const above = await parentDecides(parent, api, 1, parent.tx.billerRegistry.setNetworkCharge(1, feedIn + 1n), k.alice);
    assert.equal(above.error, 'energyTrade.NetworkChargeAboveFeedInTariff');
    assert.equal((await api.query.energyTrade.networkCharge()).toBigInt(), 0n);
    // Nor may an outsider, or a member, set it on the sub-chain.
    const direct = await send(api, api.tx.energyTrade.setNetworkCharge(1n), k.bob);
    assert.match(direct.error, /badorigin/i);

    const charge = 20n * MILLI_UNIT;
    const set = await parentDecides(parent, api, 1, parent.tx.billerRegistry.setNetworkCharge(1, charge), k.alice);
    assert.equal(set.error, null);
    const [sent] = eventsOf(parent, set.decided, 'billerRegistry', 'NetworkChargeSent');
    assert.equal(sent.data.perKwh.toBigInt(), charge);
    assert.equal(sent.data.nonce.toNumber(), set.nonce);
    const [taken] = (await api.query.system.events.at(set.hash)).map(({ event }) => event)
      .filter((e) => api.events.energyTrade.NetworkChargeSet.is(e));
    assert.equal(taken.data.perKwh.toBigInt(), charge);
    assert.equal((await api.query.energyTrade.networkCharge()).toBigInt(), charge);
    assert.equal((await api.call.energyTradeApi.prices()).networkCharge.toBigInt(), charge);
    assert.equal((await rpc('energy_prices')).networkCharge, charge.toString());

    // Dave sells 3 kWh to Bob (stash) at 150 per kWh; the buyer confirms it all.
    const price = 150n * MILLI_UNIT;
    const energyWh = 3_000;
    const posted = await sendOk(api, api.tx.energyTrade.postSupply(terms(await bestNumber(api), { energyWh, price })), k.dave);
    const offer = eventsOf(api, posted, 'energyTrade', 'OfferPosted')[0].data.offer.toNumber();
    const accepted = await sendOk(api, api.tx.energyTrade.acceptOffer(offer, energyWh), k.bobStash);
    const trade = eventsOf(api, accepted, 'energyTrade', 'OfferAccepted')[0].data.trade.toNumber();
    const gridAccount = api.consts.energyTrade.gridAccount.toString();
    const [daveBefore, gridBefore] = [await freeOf(api, k.dave), (await api.query.system.account(gridAccount)).data.free.toBigInt()];
    const settled = await sendOk(api, api.tx.energyTrade.confirmDelivery(trade, energyWh), k.bobStash);
    const [event] = eventsOf(api, settled, 'energyTrade', 'TradeSettled');
    const due = payment(charge, energyWh);
    assert.equal(event.data.networkCharge.toBigInt(), due);
    assert.equal(event.data.paid.toBigInt(), payment(price, energyWh) - due);
    assert.equal(event.data.refunded.toBigInt(), 0n);
    assert.equal(await freeOf(api, k.dave, settled.finalized) - daveBefore, payment(price, energyWh) - due);
    const gridAfter = (await (await api.at(settled.finalized)).query.system.account(gridAccount)).data.free.toBigInt();
    assert.equal(gridAfter - gridBefore, due, 'the grid account is paid the charge');

    // While the charge holds, the tariff cannot fall below it.
    const below = await parentDecides(parent, api, 1,
      parent.tx.billerRegistry.setPrices(1, charge - 1n, GRID_PRICE), k.alice);
    assert.equal(below.error, 'energyTrade.NetworkChargeAboveFeedInTariff');
    assert.equal((await api.query.energyTrade.feedInTariff()).toBigInt(), feedIn);

    // No charge for the rest of the file.
    const none = await parentDecides(parent, api, 1, parent.tx.billerRegistry.setNetworkCharge(1, 0), k.alice);
    assert.equal(none.error, null);
    assert.equal((await api.query.energyTrade.networkCharge()).toBigInt(), 0n);
  });

  it('refuses bad input with the pallet error names and leaves the state unchanged', async () => {
    // An outsider with funds, an open demand (//Alice//stash) and a supply for Ferdie to take.
    const base = await bestNumber(api);
    const price = 200n * MILLI_UNIT;
    const [funded, demandPosted, supplyPosted] = await Promise.all([
      sendOk(api, api.tx.balances.transferKeepAlive(k.outsider.address, 10n * UNIT), k.alice),
      sendOk(api, api.tx.energyTrade.postDemand(terms(base, { energyWh: 8_000, price, allowPartial: true }), 'Any', false), k.aliceStash),
      sendOk(api, api.tx.energyTrade.postSupply(terms(base, { energyWh: 6_000, price, allowPartial: true })), k.charlie)
    ]);
    assert.equal(eventsOf(api, funded, 'balances', 'Transfer').length, 1);
    const demand = eventsOf(api, demandPosted, 'energyTrade', 'OfferPosted')[0].data.offer.toNumber();
    const supply = eventsOf(api, supplyPosted, 'energyTrade', 'OfferPosted')[0].data.offer.toNumber();
    const accepted = await sendOk(api, api.tx.energyTrade.acceptOffer(supply, 2_000), k.ferdie);
    const trade = eventsOf(api, accepted, 'energyTrade', 'OfferAccepted')[0].data.trade.toNumber();

    const grid = (await api.query.energyTrade.gridPrice()).toBigInt();
    const nextOffer = (await api.query.energyTrade.nextOfferId()).toNumber();
    const fresh = terms(await bestNumber(api), { energyWh: 1_000, price });
    const signers = [k.eve, k.bobStash, k.outsider, k.aliceStash, k.charlie, k.dave, k.ferdie, k.bob, k.alice];
    const before = await marketState(api, signers);

    // One transaction per signer, so they go in parallel without nonce races.
    const bad = await Promise.all([
      send(api, api.tx.energyTrade.postDemand({ ...fresh, price: grid + 1n }, 'Any', false), k.eve),
      send(api, api.tx.energyTrade.postDemand({ ...fresh, energyWh: 0 }, 'Any', false), k.bobStash),
      send(api, api.tx.energyTrade.postDemand(fresh, 'Any', false), k.outsider),
      send(api, api.tx.energyTrade.acceptOffer(demand, 1_000), k.aliceStash),
      send(api, api.tx.energyTrade.acceptOffer(state.demand.id, state.demand.energyWh), k.charlie),
      send(api, api.tx.energyTrade.acceptOffer(nextOffer + 1_000, 1_000), k.dave),
      send(api, api.tx.energyTrade.confirmDelivery(trade, 1_000), k.ferdie),
      send(api, api.tx.energyTrade.cancelOffer(demand), k.bob),
      send(api, api.tx.energyTrade.setPrices(grid + 1n, grid), k.alice)
    ]);
    const named = (r) => (/badorigin/i.test(r.error) ? 'BadOrigin' : r.error || r.innerError);
    assert.deepEqual(bad.map(named), [
      'energyTrade.PriceOutOfBounds',
      'energyTrade.ZeroEnergy',
      'energyTrade.NotMember',
      'energyTrade.OwnOffer',
      'energyTrade.OfferClosed',
      'energyTrade.UnknownOffer',
      'energyTrade.PartialConfirmation',
      'energyTrade.NotOwner',
      'BadOrigin'
    ]);
    for (const r of bad) {
      assert.equal(eventsOf(api, r, 'energyTrade', 'OfferPosted').length +
        eventsOf(api, r, 'energyTrade', 'OfferAccepted').length +
        eventsOf(api, r, 'energyTrade', 'TradeSettled').length +
        eventsOf(api, r, 'energyTrade', 'OfferCancelled').length +
        eventsOf(api, r, 'energyTrade', 'PricesSet').length, 0, 'a refused call emits no market event');
    }
    assert.deepEqual(await marketState(api, signers), before, 'offers, trades, totals, prices and escrow unchanged');
    const open = (await api.query.energyTrade.offers(demand)).unwrap();
    assert.equal(open.remainingWh.toNumber(), 8_000);
    assert.ok((await api.query.energyTrade.trades(trade)).unwrap().disputed.isFalse);
    assert.ok((await api.query.energyTrade.offersOf(k.outsider.address)).length === 0);
  });
});
