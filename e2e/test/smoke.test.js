// polkadot.js against a freshly started `dbm-node --dev` network: every chain's metadata
// decodes with no custom types, and a signed transfer is finalized on the parent and on a
// sub-chain.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { devAccounts } from '../lib/accounts.js';
import { startDevNetwork } from '../lib/network.js';
import { sendOk } from '../lib/tx.js';

describe('dev network with polkadot.js', () => {
  let network;
  const apis = [];
  let alice, bob;

  before(async () => {
    ({ alice, bob } = await devAccounts());
    network = await startDevNetwork({ subchains: 2 });
    for (let i = 0; i < network.ports.length; i++) {
      apis.push(await ApiPromise.create({ provider: new WsProvider(network.endpoint(i)), noInitWarn: true }));
    }
  });

  after(async () => {
    for (const api of apis) await api.disconnect();
    if (network) {
      const exit = await network.stop();
      assert.equal(exit && exit.code, 0, `dbm-node did not exit cleanly: ${JSON.stringify(exit)}`);
    }
  });

  it('decodes every chain from its metadata alone', async () => {
    const names = apis.map((api) => api.runtimeVersion.specName.toString());
    assert.deepEqual(names, ['dbm-parent', 'dbm-sub', 'dbm-sub']);
    for (const api of apis) {
      assert.equal(api.registry.chainDecimals[0], 12);
      assert.equal(api.registry.chainTokens[0], 'DBM');
      assert.ok(api.tx.balances.transferKeepAlive, 'balances.transferKeepAlive in metadata');
      assert.ok(api.consts.balances.existentialDeposit.toBigInt() > 0n);
      const exts = api.registry.signedExtensions;
      assert.ok(exts.includes('CheckMortality') || exts.includes('CheckEra'), `extensions: ${exts}`);
      assert.ok(exts.includes('ChargeTransactionPayment'), `extensions: ${exts}`);
    }
    const genesis = new Set(apis.map((api) => api.genesisHash.toHex()));
    assert.equal(genesis.size, 3, 'every chain has its own genesis');
  });

  for (const [index, label] of [[0, 'the parent'], [1, 'a sub-chain']]) {
    it(`finalizes a signed transfer on ${label}`, async () => {
      const api = apis[index];
      const amount = 1_234_567_890_000n;
      const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
      const { events, finalized } = await sendOk(
        api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);
      const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
      assert.ok(transfer, 'a Transfer event');
      assert.equal(transfer.event.data.amount.toBigInt(), amount);
      assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));
      const after = (await api.query.system.account.at(finalized, bob.address)).data.free.toBigInt();
      assert.equal(after - before, amount);
    });
  }
});
