// The parent's registry of sub-chains (pallet-biller-registry) as the tests drive it: the
// members the join vote attested, the statement a sub-chain's members sign for an election, a
// sub-chain block as a relayer takes it to anchor, and the registry's state to compare.

import assert from 'node:assert/strict';
import { hexToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { MILLI_UNIT, storagePairs, tradeRootOf, untilFinalized } from './chain.js';

/**
 * The type names in the parent's (`api`) metadata of the anchor's trade records (`recordType`)
 * and of `verifyTrade`'s proof (`proofType`).
 */
export function tradeTypes (api) {
  const tradesArg = api.tx.billerRegistry.anchor.meta.args[3].type.toString();
  const recordType = /^Vec<(.+)>$/.exec(tradesArg)?.[1];
  assert.ok(recordType, `the anchor's trades are a Vec: ${tradesArg}`);
  const proofType = api.call.registryApi.verifyTrade.meta.params[2].type.toString();
  return { recordType, proofType };
}

/** A copy of `u8a` with the byte at `at` inverted. */
export function flipped (u8a, at) {
  const copy = u8a.slice();
  copy[at] ^= 0xff;
  return copy;
}

/** What the join vote attested for the `i`-th member: a renewable generator. */
export const memberInfo = (i, suspended = false) => ({
  role: 'Generator',
  attested: { renewable: true, environmental: 500_000 + 50_000 * i, cost: 700_000 - 50_000 * i, stability: 900_000 },
  suspended
});

/**
 * The statement members sign for `round` of `subchain` electing `committee` (key pairs): the
 * SCALE encoding of `dbm_primitives::dbsca::ElectionStatement` (context, sub-chain id, round,
 * committee), as the sub-chain's DBSCA rounds sign it.
 */
export const electionStatement = (api, subchain, round, committee) => u8aConcat(
  stringToU8a('dbm/dbsca/elect1'),
  api.createType('u32', subchain).toU8a(),
  api.createType('u32', round).toU8a(),
  api.createType('Vec<AccountId>', committee.map((who) => who.address)).toU8a());

/** Confirmations of `payload` by `signers`, as `submitElection` takes them. */
export const confirmations = (signers, payload) => signers.map((who) => [who.address, { Sr25519: who.sign(payload) }]);

/**
 * Sub-chain block `n` as a relayer takes it from the live sub-chain (`subApi`, with raw RPC
 * through its `subProvider`): its hash, its header and the header's SCALE encoding, its trade
 * root, its trade batch (`energy_blockTrades`) decoded with the parent's (`api`) `recordType`,
 * and a storage proof of the sub-chain's Aura authorities in its parent block's state
 * (`state_getReadProof`; none for the genesis).
 */
export async function subBlock ({ api, subApi, subProvider, recordType }, n) {
  const hash = (await subApi.rpc.chain.getBlockHash(n)).toHex();
  const header = await subApi.rpc.chain.getHeader(hash);
  assert.equal(header.number.toNumber(), n, `sub-chain block ${n} exists`);
  assert.equal(blake2AsHex(header.toU8a()), hash, 'the block hash is the blake2 of the encoded header');
  if (n === 0) {
    return { number: 0, hash, header, bytes: header.toHex(), count: 0, trades: [], records: [], authorities: [] };
  }
  const [root, count] = tradeRootOf(subApi, header);
  const batch = await subProvider.send('energy_blockTrades', [hash]);
  assert.equal(batch.block, hash);
  assert.equal(batch.headerRoot, root);
  assert.equal(batch.root, root, 'the header commits to the batch');
  assert.equal(batch.records.length, count);
  const trades = batch.records.map((record) => api.createType(recordType, hexToU8a(record.encoded)));
  trades.forEach((trade, i) =>
    assert.equal(trade.toHex(), batch.records[i].encoded, "the parent decodes the sub-chain's record byte for byte"));
  const read = await subApi.rpc.state.getReadProof([subApi.query.aura.authorities.key()], header.parentHash);
  const authorities = read.proof.map((node) => node.toHex());
  return { number: n, hash, header, bytes: header.toHex(), root, count, trades, records: batch.records, authorities };
}

/** The sub-chain `header` without its seal (the author's signature), re-encoded with `subApi`. */
export const withoutSeal = (subApi, header) => subApi.createType('Header', {
  parentHash: header.parentHash,
  number: header.number,
  stateRoot: header.stateRoot,
  extrinsicsRoot: header.extrinsicsRoot,
  digest: { logs: header.digest.logs.filter((log) => !log.isSeal) }
});

/** A trade record (the parent's `recordType`) no sub-chain block has, of `buyer` and `seller`. */
export const fabricated = (api, recordType, buyer, seller) => api.createType(recordType, {
  trade: 999_999,
  outcome: 'Matched',
  buyer: buyer.address,
  seller: seller.address,
  energyWh: 1_000,
  price: 200n * MILLI_UNIT,
  value: 200n * MILLI_UNIT
});

/** The parent's anchor state of `subchain`, to compare. */
export async function anchorState (api, subchain) {
  const q = api.query.billerRegistry;
  return {
    last: (await q.lastAnchor(subchain)).toHex(),
    anchors: storagePairs(await q.anchors.entries(subchain)),
    epochs: storagePairs(await q.anchorEpochs.entries(subchain))
  };
}

/** The parent's election state of `subchain`, to compare. */
export const electionState = async (api, subchain) => [
  (await api.query.billerRegistry.elections(subchain)).toHex(),
  (await api.call.registryApi.committee(subchain)).toHex()
];

/**
 * The first re-election of `subchain` pending on the parent (`api`) at a finalized head after
 * block `after` (any head when not given).
 */
export const pendingReelection = (api, subchain, what, after, timeoutMs) =>
  untilFinalized(api, what, async (head) => {
    if (after !== undefined && head.number.toNumber() <= after) return null;
    const asked = await api.query.billerRegistry.reelections.at(head.hash, subchain);
    return asked.isSome && asked.unwrap();
  }, timeoutMs);
