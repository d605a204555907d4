// Meters settle the market (docs/metering.md), driven by polkadot.js on a fresh
// `dbm-node --dev --no-relay` network: each development member's meter key in genesis, a trade
// matched for one metering interval, both meters' readings signed with their own ed25519 keys
// and submitted by a third member for free, the trade settled from them by that member for
// free, and every refusal of a reading by name, each charged its fee.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { devAccounts } from '../lib/accounts.js';
import { MILLI_UNIT, bestNumber, connect, until } from '../lib/chain.js';
import { freeOf, payment } from '../lib/energy.js';
import { startDevNetwork } from '../lib/network.js';
import { errorName, eventsOf, send, sendOk } from '../lib/tx.js';

// Blocks per metering interval on the sub-chains (10 s of half-second blocks).
const INTERVAL = 20;
const CONTEXT = stringToU8a('dbm/meter-reading/v2');

describe('meters settle trades with polkadot.js', () => {
  let network, api, k, meters, readingType, subchain;

  before(async () => {
    k = await devAccounts([], { outsider: '//Outsider' });
    const ed = new Keyring({ type: 'ed25519' });
    meters = Object.fromEntries(['Alice', 'Bob', 'Outsider'].map((name) => {
      const meter = ed.addFromUri(`//${name}//meter`);
      // The member a meter measures for: the one its readings name.
      meter.member = k[name.toLowerCase()].address;
      return [name.toLowerCase(), meter];
    }));
    network = await startDevNetwork({ subchains: 1, relay: false });
    api = await connect(network, 1);
    readingType = api.tx.energyTrade.submitReading.meta.args[0].type.toString();
    subchain = (await api.query.subchain.id()).unwrap().toNumber();
  });

  after(async () => {
    if (api) await api.disconnect();
    if (network) await network.stop();
  });

  /** `meter`'s signed reading of `interval` for its member, as the runtime checks it. */
  const signed = (meter, { interval, exportedWh = 0, importedWh = 0, counter, chain = subchain, signer = meter, member = meter.member }) => {
    const reading = api.createType(readingType, {
      subchain: chain, member, meter: meter.publicKey, interval, exportedWh, importedWh, counter
    });
    return [reading, u8aToHex(signer.sign(u8aConcat(CONTEXT, reading.toU8a())))];
  };
  const submit = (reading, signature, by = k.charlie) =>
    send(api, api.tx.energyTrade.submitReading(reading, signature), by);

  const state = {};

  it('gives every development member a meter key of its own in genesis', async () => {
    for (const [who, meter] of [[k.alice, meters.alice], [k.bob, meters.bob]]) {
      const stored = (await api.query.subchain.meters(who.address)).unwrap();
      assert.equal(stored.key.toHex(), u8aToHex(meter.publicKey));
      assert.ok(stored.lastInterval.isNone);
      assert.equal(stored.counter.toNumber(), 0);
      assert.equal((await api.query.subchain.meterOwners(meter.publicKey)).unwrap().toString(), who.address);
      assert.notEqual(u8aToHex(meter.publicKey), u8aToHex(who.publicKey), 'not the account key');
    }
    assert.ok((await api.query.subchain.meterOwners(meters.outsider.publicKey)).isNone);
    const c = api.consts.energyTrade;
    assert.equal(c.meteringInterval.toNumber(), INTERVAL);
    assert.equal(c.maxDeliveryIntervals.toNumber(), 180);
    assert.equal(c.maxReadingAge.toNumber(), 90);
    assert.equal(c.meterTolerance.toNumber(), 50_000, '5% in parts per million');
  });

  it('matches a trade delivered within one metering interval', async () => {
    const start = (Math.floor(await bestNumber(api) / INTERVAL) + 2) * INTERVAL;
    const price = 200n * MILLI_UNIT;
    const energyWh = 1_000;
    const posted = { energyWh, price, allowPartial: false, deliveryStart: start, deliveryEnd: start + INTERVAL - 1, expires: start };
    const demand = await sendOk(api, api.tx.energyTrade.postDemand(posted, 'Any', false), k.alice);
    const offer = eventsOf(api, demand, 'energyTrade', 'OfferPosted')[0].data.offer.toNumber();
    const accepted = await sendOk(api, api.tx.energyTrade.acceptOffer(offer, energyWh), k.bob);
    const trade = eventsOf(api, accepted, 'energyTrade', 'OfferAccepted')[0].data.trade.toNumber();
    Object.assign(state, { trade, interval: start / INTERVAL, price, energyWh, escrow: payment(price, energyWh) });

    // Its interval is not over: a reading of it is refused.
    const [early, sig] = signed(meters.bob, { interval: state.interval, exportedWh: 1, counter: 1 });
    assert.equal((await submit(early, sig)).error, 'energyTrade.FutureInterval');
    const missing = await send(api, api.tx.energyTrade.settleTrade(trade), k.charlie);
    assert.equal(missing.error, 'energyTrade.ReadingsMissing');
  });

  it('records both meters\' readings for free, whoever submits them', async () => {
    const { interval, energyWh } = state;
    await until('the delivery interval to end', async () => await bestNumber(api) >= (interval + 1) * INTERVAL, 60_000);
    const before = await freeOf(api, k.charlie);
    for (const [who, meter, fields] of [
      [k.bob, meters.bob, { exportedWh: energyWh }],
      [k.alice, meters.alice, { importedWh: energyWh }]
    ]) {
      const [reading, signature] = signed(meter, { interval, counter: 1, ...fields });
      const result = await submit(reading, signature);
      assert.equal(result.error, null);
      const [event] = eventsOf(api, result, 'energyTrade', 'ReadingRecorded');
      assert.equal(event.data.who.toString(), who.address);
      assert.equal(event.data.interval.toNumber(), interval);
      const stored = (await api.query.energyTrade.metered(interval, who.address)).unwrap();
      assert.equal(stored.exportedWh.toNumber(), fields.exportedWh ?? 0);
      assert.equal(stored.importedWh.toNumber(), fields.importedWh ?? 0);
      assert.equal((await api.query.subchain.meters(who.address)).unwrap().lastInterval.unwrap().toNumber(), interval);
    }
    assert.equal(await freeOf(api, k.charlie), before, 'valid readings cost the submitter nothing');
  });

  it('refuses forged, replayed, out-of-order, unknown and foreign readings by name, for a fee', async () => {
    const { interval } = state;
    // The next interval over, so only what each case gets wrong refuses it.
    await until('the next interval to end', async () => await bestNumber(api) >= (interval + 2) * INTERVAL, 60_000);
    const cases = [
      ['a forged signature', signed(meters.alice, { interval: interval + 1, importedWh: 9, counter: 2, signer: meters.bob }), 'BadMeterSignature'],
      ['a replay', signed(meters.bob, { interval, exportedWh: state.energyWh, counter: 1 }), 'ReadingOutOfOrder'],
      ['an earlier interval', signed(meters.bob, { interval: interval - 1, exportedWh: 5, counter: 2 }), 'ReadingOutOfOrder'],
      ['a counter that does not grow', signed(meters.bob, { interval: interval + 1, exportedWh: 5, counter: 1 }), 'CounterNotIncreasing'],
      ['an unknown meter', signed(meters.outsider, { interval, exportedWh: 5, counter: 1 }), 'UnknownMeter'],
      ["another member's reading", signed(meters.bob, { interval: interval + 1, exportedWh: 5, counter: 2, member: k.alice.address }), 'WrongMember'],
      ['another sub-chain', signed(meters.bob, { interval: interval + 1, exportedWh: 5, counter: 2, chain: subchain + 1 }), 'WrongSubchain'],
      ['an interval far ahead', signed(meters.bob, { interval: interval + 1_000, exportedWh: 5, counter: 2 }), 'FutureInterval']
    ];
    for (const [what, [reading, signature], error] of cases) {
      const before = await freeOf(api, k.charlie);
      const result = await submit(reading, signature);
      assert.equal(result.error, `energyTrade.${error}`, what);
      assert.ok(await freeOf(api, k.charlie) < before, `${what} is charged`);
    }
    // Nothing they said was kept.
    assert.ok((await api.query.energyTrade.metered(interval - 1, k.bob.address)).isNone);
    assert.equal((await api.query.subchain.meters(k.bob.address)).unwrap().counter.toNumber(), 1);
  });

  it('lets no single key settle the trade for less than was agreed: not root, not a party', async () => {
    const { trade, energyWh } = state;
    const before = (await api.query.energyTrade.trades(trade)).toHex();
    const bySudo = await send(api,
      api.tx.sudo.sudo(api.tx.energyTrade.confirmDelivery(trade, energyWh - 1)), k.alice);
    const sudid = bySudo.events.map(({ event }) => event).find((e) => api.events.sudo.Sudid.is(e));
    assert.ok(sudid, 'a Sudid event');
    assert.match(errorName(api, sudid.data.sudoResult.asErr), /badorigin/i);
    const bySeller = await send(api, api.tx.energyTrade.confirmDelivery(trade, energyWh), k.bob);
    assert.equal(bySeller.error, 'energyTrade.NotBuyer');
    const partial = await send(api, api.tx.energyTrade.confirmDelivery(trade, energyWh - 1), k.alice);
    assert.equal(partial.error, 'energyTrade.PartialConfirmation');
    assert.equal((await api.query.energyTrade.trades(trade)).toHex(), before, 'the trade is untouched');
  });

  it('settles the trade from the readings for free, with no root call and no buyer confirmation', async () => {
    const { trade, escrow, energyWh } = state;
    const [bob, alice, charlie] = [await freeOf(api, k.bob), await freeOf(api, k.alice), await freeOf(api, k.charlie)];
    const result = await send(api, api.tx.energyTrade.settleTrade(trade), k.charlie);
    assert.equal(result.error, null);
    const [event] = eventsOf(api, result, 'energyTrade', 'TradeMetered');
    assert.ok(event, 'a TradeMetered event');
    assert.equal(event.data.trade.toNumber(), trade);
    assert.equal(event.data.sellerWh.toNumber(), energyWh);
    assert.equal(event.data.buyerWh.toNumber(), energyWh);
    assert.equal(event.data.deliveredWh.toNumber(), energyWh);
    assert.equal(event.data.paid.toBigInt(), escrow);
    assert.equal(event.data.toGrid.toBigInt(), 0n);
    assert.equal(event.data.refunded.toBigInt(), 0n);
    assert.equal(await freeOf(api, k.bob) - bob, escrow, 'the seller is paid from the escrow');
    assert.equal(await freeOf(api, k.alice), alice, 'the buyer paid at matching');
    assert.equal(await freeOf(api, k.charlie), charlie, 'settling cost the submitter nothing');
    assert.ok((await api.query.energyTrade.trades(trade)).isNone);
    const taken = (await api.query.energyTrade.metered(state.interval, k.bob.address)).unwrap();
    assert.equal(taken.exportTakenWh.toNumber(), energyWh);

    const again = await send(api, api.tx.energyTrade.settleTrade(trade), k.charlie);
    assert.equal(again.error, 'energyTrade.UnknownTrade');
  });
});
