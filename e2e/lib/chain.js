// Connecting polkadot.js to a chain of the dev network and reading it: its finalized heads and
// events, storage to compare, the trade root a sub-chain header carries.

import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aToString } from '@polkadot/util';

/** One DBM in planck (twelve decimals). */
export const UNIT = 10n ** 12n;
/** A thousandth of a DBM. */
export const MILLI_UNIT = 10n ** 9n;

/**
 * polkadot.js on chain `i` of `network` (0 the parent, then the sub-chains), through `provider`
 * (a new `WsProvider` of the chain's endpoint unless given: pass one to send raw RPC with it).
 */
export function connect (network, i, provider = new WsProvider(network.endpoint(i))) {
  return ApiPromise.create({ provider, noInitWarn: true });
}

/** Storage `entries` as sorted `key=value` hex strings, to compare. */
export const storagePairs = (entries) => entries.map(([key, value]) => `${key.toHex()}=${value.toHex()}`).sort();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The number of the best block of `api`'s chain. */
export const bestNumber = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();

/** The number of the finalized head of `api`'s chain. */
export const finalizedNumber = async (api) =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** Polls `check` every half slot (a quarter of a second) until it gives something, for at most `timeoutMs`. */
export async function until (what, check, timeoutMs = 150_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await check();
    if (found) return found;
    await sleep(250);
  }
  throw new Error(`no ${what} in ${timeoutMs} ms`);
}

/** Resolves with the first truthy `check(head)` over the finalized heads of `api`'s chain. */
export function untilFinalized (api, what, check, timeoutMs = 150_000) {
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    let done = false;
    const finish = (settle) => {
      done = true;
      clearTimeout(timer);
      if (unsubscribe) unsubscribe();
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} in ${timeoutMs} ms`))), timeoutMs);
    api.rpc.chain.subscribeFinalizedHeads(async (head) => {
      if (done) return;
      try {
        const found = await check(head);
        if (found && !done) finish(() => resolve(found));
      } catch (e) {
        if (!done) finish(() => reject(e));
      }
    }).then((u) => { unsubscribe = u; if (done) u(); }, (e) => { if (!done) finish(() => reject(e)); });
  });
}

/**
 * The first event `section.method` matching `match` in a block of `api`'s chain finalized
 * after block `from`: `{ hash, event, events }`.
 */
export async function finalizedEvent (api, from, section, method, match, timeoutMs = 150_000) {
  let next = from + 1;
  return until(`${section}.${method}`, async () => {
    const finalized = await finalizedNumber(api);
    for (; next <= finalized; next++) {
      const hash = (await api.rpc.chain.getBlockHash(next)).toHex();
      const events = (await api.query.system.events.at(hash)).map(({ event }) => event);
      const event = events.find((e) => e.section === section && e.method === method && match(e));
      if (event) return { hash, event, events };
    }
    return null;
  }, timeoutMs);
}

/**
 * The trade root a sub-chain `header` carries in its `dbmt` consensus digest item, as
 * `[root hex, count]` (decoded with the sub-chain's `api`); asserts, with `message`, that it has one.
 */
export function tradeRootOf (api, header, message = `sub-chain block ${header.number} carries a trade root`) {
  const item = header.digest.logs.find((log) => log.isConsensus && u8aToString(log.asConsensus[0]) === 'dbmt');
  assert.ok(item, message);
  const [root, count] = api.createType('(H256, u32)', item.asConsensus[1].toU8a(true));
  return [root.toHex(), count.toNumber()];
}
