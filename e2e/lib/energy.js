// The electricity market of a sub-chain (pallet-energy-trade) as the tests drive it: what
// offers and trades are worth, the terms an offer is posted with, the escrow and balances of
// an account, a block's trade batch checked against its header, and the market's state to
// compare.

import assert from 'node:assert/strict';
import { storagePairs, tradeRootOf } from './chain.js';

// Offers' delivery windows and expiries, in blocks after the best block at posting: ten and five
// minutes of half-second blocks.
export const WINDOW = 1_200;
export const EXPIRY = 600;

/** What a trade is worth: price per kWh times Wh, rounded down (`dbm_primitives::trade::payment`). */
export const payment = (price, energyWh) => (price * BigInt(energyWh)) / 1000n;

/** The market's reference price (`dbm_primitives::trade::reference_price`), in BigInt. */
export function referencePrice (f, g, s, d) {
  if (f >= g) return g;
  if (d === 0n || s >= d) return f;
  const denominator = (g - f) * s + f * d;
  if (denominator === 0n) return g;
  const price = (f * g * d) / denominator;
  return price > g ? g : price < f ? f : price;
}

/** The offer terms posted at best block `base`: deliverable from now on, taken until `base + EXPIRY`. */
export const terms = (base, { energyWh, price, allowPartial = false }) => ({
  energyWh,
  price,
  allowPartial,
  deliveryStart: base,
  deliveryEnd: base + WINDOW,
  expires: base + EXPIRY
});

/** Whether `who` is attested renewable among the sub-chain's `members` (address to member info). */
export const renewable = (members, who) => members.get(who.address).attested.renewable.isTrue;
/** The kind of energy `who` sells: `Renewable` when attested so, else `Any`. */
export const kindOf = (members, who) => (renewable(members, who) ? 'Renewable' : 'Any');

/** `who`'s balance held in escrow by the market (a pallet-balances hold). */
export const escrowOf = async (api, who) => (await api.query.balances.holds(who.address))
  .filter((hold) => hold.id.type === 'EnergyTrade')
  .reduce((sum, hold) => sum + hold.amount.toBigInt(), 0n);
export const reservedOf = async (api, who) => (await api.query.system.account(who.address)).data.reserved.toBigInt();
/** `who`'s free balance, at block `at` when given. */
export const freeOf = async (api, who, at) => (at
  ? await api.query.system.account.at(at, who.address)
  : await api.query.system.account(who.address)).data.free.toBigInt();

/** The ids of the open offers and trades, from the node's RPC (`rpc(method, params)`). */
export const openOfferIds = async (rpc) => (await rpc('energy_openOffers')).map((o) => o.id);
export const openTradeIds = async (rpc) => (await rpc('energy_openTrades')).map((t) => t.id);

/**
 * Checks the trade batch of the block `blockHash` against its header: the RPC (`rpc`), the
 * storage and the runtime API (`api`) agree, the record of `trade` with `outcome` is in it, and
 * its Merkle proof verifies against the header's root. Returns the record's RPC view.
 */
export async function provenRecord (api, rpc, blockHash, trade, outcome) {
  const batch = await rpc('energy_blockTrades', [blockHash]);
  assert.equal(batch.block, blockHash);
  assert.ok(batch.headerRoot, 'the block has a trade root');
  assert.equal(batch.headerRoot, batch.root, 'the header commits to the batch');
  const header = await api.rpc.chain.getHeader(blockHash);
  const [digestRoot, digestCount] = tradeRootOf(api, header, 'the header carries a trade root');
  assert.equal(digestRoot, batch.root);
  assert.equal(digestCount, batch.records.length);

  const index = batch.records.findIndex((r) => r.trade === trade && r.outcome === outcome);
  assert.ok(index >= 0, `a ${outcome} record of trade ${trade} in ${JSON.stringify(batch.records)}`);
  const stored = await api.query.energyTrade.blockTrades.at(blockHash);
  assert.equal(stored.length, batch.records.length);
  assert.equal(stored[index].toHex(), batch.records[index].encoded, 'the RPC shows the stored leaf');
  assert.equal(stored[index].trade.toNumber(), trade);
  const apiAt = await api.at(blockHash);
  assert.equal((await apiAt.call.energyTradeApi.blockTrades()).length, batch.records.length);

  const proof = await rpc('energy_tradeProof', [index, blockHash]);
  assert.ok(proof, 'a proof of the record');
  assert.equal(proof.verified, true, 'the proof verifies against the header root');
  assert.equal(proof.headerRoot, batch.headerRoot);
  assert.equal(proof.index, index);
  assert.equal(proof.count, batch.records.length);
  assert.deepEqual(proof.record, batch.records[index]);
  const runtimeProof = await apiAt.call.energyTradeApi.tradeProof(index);
  assert.ok(runtimeProof.isSome);
  assert.equal(runtimeProof.unwrap().record.toHex(), batch.records[index].encoded);
  assert.equal(await rpc('energy_tradeProof', [batch.records.length, blockHash]), null,
    'no proof past the batch');
  return batch.records[index];
}

/** The market's state (and the holds of `accounts`) at the finalized head of `api`'s chain, to compare. */
export async function marketState (api, accounts) {
  const at = await api.rpc.chain.getFinalizedHead();
  const q = (await api.at(at)).query;
  const [offers, trades, totals, holds, lists, accountData] = await Promise.all([
    q.energyTrade.offers.entries(),
    q.energyTrade.trades.entries(),
    Promise.all([q.energyTrade.openSupply(), q.energyTrade.openDemand(), q.energyTrade.nextOfferId(),
      q.energyTrade.nextTradeId(), q.energyTrade.feedInTariff(), q.energyTrade.gridPrice()]),
    Promise.all(accounts.map((a) => q.balances.holds(a.address))),
    Promise.all(accounts.map((a) => q.energyTrade.offersOf(a.address))),
    Promise.all(accounts.map((a) => q.system.account(a.address)))
  ]);
  return {
    offers: storagePairs(offers),
    trades: storagePairs(trades),
    totals: totals.map((v) => v.toString()),
    holds: holds.map((h) => h.toHex()),
    offersOf: lists.map((l) => l.toHex()),
    reserved: accountData.map((a) => a.data.reserved.toString())
  };
}
