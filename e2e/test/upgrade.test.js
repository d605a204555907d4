// Runtime upgrades without a sudo key, driven by polkadot.js on a fresh `dbm-node --dev`
// network with one sub-chain and its relay: the parent's council authorizes the hash of a
// runtime, the parent's own or a sub-chain's (carried to the sub-chain as a proven decision);
// anyone then supplies the code on the chain it upgrades, which checks it against the hash and
// its version against the runtime in force. Every refusal has its error name.
//
// The code supplied is each chain's own runtime (read from its `:code`, about 5 MB): it
// matches the hash and is applied (`CodeUpdated`), and each chain goes on finalizing and
// anchoring after it. frame-system's spec-version check is compiled out of runtimes built with
// `runtime-benchmarks`, as the runtimes `dbm-node` embeds are, so it is not exercised here.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { devAccounts } from '../lib/accounts.js';
import { connect, finalizedEvent } from '../lib/chain.js';
import { startDevNetwork } from '../lib/network.js';
import { council, eventsOf, parentDecides, send, sendAll, sendOk } from '../lib/tx.js';

/** The sub-chain of the network. */
const SUB = 1;
/** The storage key of a chain's runtime code, `:code`. */
const CODE = '0x3a636f6465';

describe('runtime upgrades authorized by the parent council with polkadot.js', () => {
  let network, providers, parent, sub, k;

  before(async () => {
    k = await devAccounts();
    network = await startDevNetwork({ subchains: 1 });
    providers = [new WsProvider(network.endpoint(0)), new WsProvider(network.endpoint(SUB))];
    parent = await connect(network, 0, providers[0]);
    sub = await connect(network, SUB, providers[1]);
  });

  after(async () => {
    if (sub) await sub.disconnect();
    if (parent) await parent.disconnect();
    if (network) await network.stop();
  });

  /** The runtime code in force on the chain of `provider`, in hex (how polkadot.js takes `Bytes`). */
  const codeOf = (provider) => provider.send('state_getStorage', [CODE]);
  /** The upgrade authorized on chain `api`: `[code hash, version checked]`, or `null`. */
  const authorized = async (api) => {
    const a = await api.query.system.authorizedUpgrade();
    return a.isSome ? [a.unwrap().codeHash.toHex(), a.unwrap().checkVersion.isTrue] : null;
  };
  /** The number of block `hash` of chain `api`. */
  const numberOf = async (api, hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();
  /** Waits for the parent to anchor a block of the sub-chain above `number`. */
  const anchoredAbove = (number, from) => finalizedEvent(parent, from, 'billerRegistry', 'Anchored',
    (e) => e.data.subchain.toNumber() === SUB && e.data.number.toNumber() > number);

  it('the parent: only the council authorizes, anyone supplies the code, the chain goes on', async () => {
    const code = await codeOf(providers[0]);
    const hash = blake2AsHex(hexToU8a(code), 256);
    const version = parent.runtimeVersion.specVersion.toNumber();
    assert.equal(await authorized(parent), null);

    // No single signer authorizes anything; nothing authorized, no code is taken; no upgrade of
    // a sub-chain the registry does not know.
    const refused = await Promise.all([
      send(parent, parent.tx.billerRegistry.authorizeUpgrade('Parent', hash), k.bob),
      send(parent, parent.tx.system.authorizeUpgrade(hash), k.charlie),
      send(parent, parent.tx.system.applyAuthorizedUpgrade('0x0102'), k.dave)
    ]);
    assert.deepEqual(refused.map((r) => r.error), ['BadOrigin', 'BadOrigin', 'system.NothingAuthorized']);
    const unknown = await send(parent, council(parent, parent.tx.billerRegistry.authorizeUpgrade({ Subchain: 3 }, hash)), k.alice);
    assert.equal(unknown.innerError, 'billerRegistry.UnknownSubchain');
    assert.equal(await authorized(parent), null);

    // The council authorizes the parent's upgrade to the code hashed `hash`.
    const done = await sendOk(parent, council(parent, parent.tx.billerRegistry.authorizeUpgrade('Parent', hash)), k.alice);
    const [event] = eventsOf(parent, done, 'billerRegistry', 'UpgradeAuthorized');
    assert.ok(event, 'an UpgradeAuthorized event');
    assert.ok(event.data.target.isParent);
    assert.equal(event.data.codeHash.toHex(), hash);
    assert.ok(event.data.nonce.isNone, 'nothing sent to a sub-chain');
    assert.equal(eventsOf(parent, done, 'system', 'UpgradeAuthorized').length, 1);
    assert.deepEqual(await authorized(parent), [hash, true]);

    // Other code than authorized is refused, and the authorization stays.
    const other = await send(parent, parent.tx.system.applyAuthorizedUpgrade('0x0102'), k.dave);
    assert.equal(other.error, 'system.Unauthorized');
    assert.deepEqual(await authorized(parent), [hash, true]);

    // The authorized code, supplied by an account outside the council: applied, and the
    // authorization used up.
    const applied = await send(parent, parent.tx.system.applyAuthorizedUpgrade(code), k.bob);
    assert.equal(applied.error, null);
    assert.equal(eventsOf(parent, applied, 'system', 'CodeUpdated').length, 1);
    assert.equal(await authorized(parent), null);
    const again = await send(parent, parent.tx.system.applyAuthorizedUpgrade('0x0102'), k.dave);
    assert.equal(again.error, 'system.NothingAuthorized');
    assert.equal((await parent.rpc.state.getRuntimeVersion()).specVersion.toNumber(), version);

    // The parent goes on with its new code: the relay's anchors of the sub-chain keep coming.
    const upgradedIn = await numberOf(parent, applied.inBlock);
    const subBest = (await sub.rpc.chain.getHeader()).number.toNumber();
    await anchoredAbove(subBest, upgradedIn);
  });

  it('a sub-chain: the council authorizes through the outbox, the sub-chain takes it with a proof and goes on', async () => {
    const code = await codeOf(providers[1]);
    const hash = blake2AsHex(hexToU8a(code), 256);
    assert.equal(await authorized(sub), null);

    // Nobody on the sub-chain authorizes its own upgrade with a signed call.
    const refused = await sendAll(sub, [sub.tx.system.authorizeUpgrade(hash), sub.tx.system.authorizeUpgradeWithoutChecks(hash)], k.charlie);
    assert.deepEqual(refused.map((r) => r.error), ['BadOrigin', 'BadOrigin']);

    // The parent's council decides; the relay proves the message to the sub-chain's inbox.
    const target = { Subchain: SUB };
    const { decided, nonce, error } = await parentDecides(parent, sub, SUB, parent.tx.billerRegistry.authorizeUpgrade(target, hash), k.alice);
    assert.equal(error, null, 'carried out on the sub-chain');
    const [event] = eventsOf(parent, decided, 'billerRegistry', 'UpgradeAuthorized');
    assert.equal(event.data.target.asSubchain.toNumber(), SUB);
    assert.equal(event.data.nonce.unwrap().toNumber(), nonce);
    assert.deepEqual(await authorized(sub), [hash, true]);
    assert.equal(await authorized(parent), null, 'the parent authorized nothing for itself');

    // Anyone supplies the code on the sub-chain: checked against the hash, then the version.
    const other = await send(sub, sub.tx.system.applyAuthorizedUpgrade('0x0102'), k.dave);
    assert.equal(other.error, 'system.Unauthorized');
    const applied = await send(sub, sub.tx.system.applyAuthorizedUpgrade(code), k.bob);
    assert.equal(applied.error, null);
    assert.equal(eventsOf(sub, applied, 'system', 'CodeUpdated').length, 1);
    assert.equal(await authorized(sub), null);

    // The sub-chain goes on with its new code: its blocks after the upgrade are anchored.
    const upgradedIn = await numberOf(sub, applied.inBlock);
    await anchoredAbove(upgradedIn, await numberOf(parent, await parent.rpc.chain.getFinalizedHead()));
  });
});
