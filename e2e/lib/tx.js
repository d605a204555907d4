// Submitting transactions with polkadot.js and reading what they did.

import { finalizedEvent, finalizedNumber } from './chain.js';

/** The `section.Name` of a dispatch error (a module error by its metadata name). */
export function errorName (api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.toString();
}

/**
 * `call` decided by the parent's council: a motion of one member with a threshold of one. On
 * the development network the council is the parent's one authority (Alice), so her motion is
 * dispatched at once as one member of one, which is two thirds of the council; on a larger
 * council the same motion is dispatched as one member of many and refused (`BadOrigin`), and a
 * motion needs the other members' votes.
 */
export function council (api, call) {
  return api.tx.council.propose(1, call, call.method.encodedLength);
}

/** The result of the call a council transaction dispatched, from its events. */
function innerResult (api, events) {
  for (const { event } of events) {
    if (api.events.council?.Executed.is(event) || api.events.council?.MemberExecuted.is(event)) return event.data.result;
  }
  return null;
}

/**
 * Signs and sends `tx` (with the signing `options` when given) and watches it until its block
 * is finalized: what `send` resolves with.
 */
function signAndWatch (api, tx, signer, options) {
  return new Promise((resolve, reject) => {
    let inBlock = null;
    const signing = options === undefined ? [signer] : [signer, options];
    tx.signAndSend(...signing, ({ status, events, dispatchError }) => {
      if (status.isInBlock) inBlock = status.asInBlock.toHex();
      if (status.isFinalized) {
        const inner = innerResult(api, events);
        resolve({
          inBlock,
          finalized: status.asFinalized.toHex(),
          events,
          error: dispatchError ? errorName(api, dispatchError) : null,
          innerError: inner && inner.isErr ? errorName(api, inner.asErr) : null
        });
      }
      if (status.isDropped || status.isInvalid || status.isUsurped) reject(new Error(`transaction ${status.type}`));
    }).catch(reject);
  });
}

/**
 * Signs and sends `tx`; resolves once its block is finalized with the block hashes, the
 * events and the dispatch error's name (`null` when it succeeded). The error of the call a
 * council transaction dispatched is reported as `innerError`.
 */
export function send (api, tx, signer) {
  return signAndWatch(api, tx, signer);
}

/** Like `send`, but fails unless the call (and the call a council call dispatched) succeeded. */
export async function sendOk (api, tx, signer) {
  const result = await send(api, tx, signer);
  if (result.error || result.innerError) throw new Error(`${tx.method.section}.${tx.method.method} failed: ${result.error || result.innerError}`);
  return result;
}

/**
 * Like `send` for several transactions of one signer at once: signed with consecutive nonces,
 * so the pool includes them in this order (in one block or a few, never reordered). Resolves
 * once every one is finalized, with `send`'s result for each.
 */
export async function sendAll (api, txs, signer) {
  const first = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  return Promise.all(txs.map((tx, i) => signAndWatch(api, tx, signer, { nonce: first + i })));
}

/**
 * Sends `txs` in turns of one transaction per signer of `signers` (the `j`-th of a turn signed
 * by `signers[j]`), each turn in parallel once the one before is finalized; resolves with
 * `send`'s result for each, in order.
 */
export async function sendInTurns (api, txs, signers) {
  const results = [];
  for (let i = 0; i < txs.length; i += signers.length) {
    results.push(...await Promise.all(txs.slice(i, i + signers.length)
      .map((tx, j) => send(api, tx, signers[j]))));
  }
  return results;
}

/** The events of `result` that are `api.events.<section>.<name>`. */
export function eventsOf (api, result, section, name) {
  return result.events.filter(({ event }) => api.events[section][name].is(event)).map(({ event }) => event);
}

/**
 * `call` decided by the parent's (`parent`) council (see `council`; `signer` is its member) and
 * carried to sub-chain `subchain` (`sub`): the call (or, for a membership proposal the council
 * imports, the parent's vote on it) puts a message for the sub-chain in the
 * parent's outbox; the relay proves it to the sub-chain's parent inbox against a parent header
 * the light client finalized, and the inbox carries it out. Resolves with the parent's result
 * (`decided`), the message's `nonce`, the sub-chain's `Delivered` event and its block (`hash`),
 * and `error`: the name of the error carrying the message out gave on the sub-chain, or `null`.
 */
export async function parentDecides (parent, sub, subchain, call, signer, timeoutMs = 120_000) {
  const from = await finalizedNumber(sub);
  let decided = await sendOk(parent, council(parent, call), signer);
  // A membership proposal the council imported is then decided by the parent's vote (on the
  // development parent, its one authority's: `signer`).
  const [proposed] = eventsOf(parent, decided, 'membershipVoting', 'Proposed');
  if (proposed) decided = await sendOk(parent, parent.tx.membershipVoting.vote(proposed.data.index, true), signer);
  const nonces = await (await parent.at(decided.inBlock)).query.membershipVoting.outboxNonces({ Subchain: subchain });
  const nonce = nonces[1].toNumber() - 1;
  const { hash, event } = await finalizedEvent(sub, from, 'parentInbox', 'Delivered',
    (e) => e.data.nonce.toNumber() === nonce, timeoutMs);
  const result = event.data.result;
  return { decided, nonce, hash, event, error: result.isErr ? errorName(sub, result.asErr) : null };
}
