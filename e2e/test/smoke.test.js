// polkadot.js against a freshly started `dbm-node --dev` network: every chain's metadata
// decodes with no custom types, a signed transfer is finalized on the parent and on a
// sub-chain, a wrongly signed transfer and one whose mortal era has passed are refused, and each
// sub-chain's relay anchors its finalized blocks on the parent.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { devAccounts } from '../lib/accounts.js';
import { connect, until } from '../lib/chain.js';
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
      apis.push(await connect(network, i));
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

  for (const [index, label] of [[0, 'the parent'], [1, 'a sub-chain']]) {
    it(`refuses a wrongly signed transfer and one whose mortal era has passed on ${label}`, async () => {
      const api = apis[index];
      const amount = 1_000_000_000n;
      const snapshot = async () => {
        const [a, b] = await Promise.all([api.query.system.account(alice.address), api.query.system.account(bob.address)]);
        return [a.nonce.toNumber(), a.data.free.toBigInt(), b.data.free.toBigInt()];
      };
      const before = await snapshot();
      const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();

      // Signed by Alice, then one byte of the signature altered.
      const forged = api.tx.balances.transferKeepAlive(bob.address, amount);
      await forged.signAsync(alice, { nonce, era: 0 });
      const hex = forged.toHex();
      const signature = u8aToHex(forged.signature.toU8a()).slice(2);
      const at = hex.indexOf(signature);
      assert.ok(at > 0, 'the signature is in the encoded extrinsic');
      const last = at + signature.length - 2;
      const flippedByte = (parseInt(hex.slice(last, last + 2), 16) ^ 0xff).toString(16).padStart(2, '0');
      const tampered = hex.slice(0, last) + flippedByte + hex.slice(last + 2);
      await assert.rejects(api.rpc.author.submitExtrinsic(tampered), /1010.*bad signature/i);

      // Mortal for 4 blocks from the current head: valid there, refused once they have passed
      // (the runtime then checks the signature against a later birth block's hash).
      const head = await api.rpc.chain.getHeader();
      const birth = head.number.toNumber();
      const mortal = api.tx.balances.transferKeepAlive(bob.address, amount);
      await mortal.signAsync(alice, {
        nonce,
        blockHash: head.hash,
        era: api.createType('ExtrinsicEra', { current: birth, period: 4 })
      });
      // The runtime API takes the extrinsic as bytes: its whole encoding, length prefix included.
      const validity = (hash) => api.call.taggedTransactionQueue.validateTransaction('External', mortal.toU8a(), hash);
      assert.ok((await validity(head.hash)).isOk, 'valid within its era');
      await new Promise((resolve, reject) => {
        let unsubscribe = null;
        api.rpc.chain.subscribeNewHeads((h) => {
          if (h.number.toNumber() >= birth + 5 && unsubscribe) {
            unsubscribe();
            unsubscribe = null;
            resolve();
          }
        }).then((u) => { unsubscribe = u; }, reject);
      });
      // Validated on block birth + 5, the era's birth is birth + 4: the signature no longer fits.
      const late = await validity(await api.rpc.chain.getBlockHash(birth + 5));
      assert.ok(late.isErr && late.asErr.isInvalid && late.asErr.asInvalid.isBadProof, `after its era: ${late.toString()}`);
      // Submitted later still, it is refused either way (when the era's current birth is the
      // block being built, its hash is not known yet: "ancient birth block").
      await assert.rejects(api.rpc.author.submitExtrinsic(mortal.toHex()), /1010.*(bad signature|ancient birth block)/i);

      assert.deepEqual(await snapshot(), before, 'nothing changed: no fee, no nonce, no transfer');
    });
  }

  it("each sub-chain's relay anchors its finalized blocks on the parent", async () => {
    const parent = apis[0];
    for (const id of [1, 2]) {
      const sub = apis[id];
      const last = await until(`sub-chain ${id} anchored up to block 3`, async () => {
        const anchor = (await parent.query.billerRegistry.lastAnchor(id)).unwrapOr(null);
        return anchor && anchor.number.toNumber() >= 3 && anchor;
      }, 120_000);
      // From the genesis on, each header after it in a segment finalized by the sub-chain's voters.
      for (let n = 0; n <= last.number.toNumber(); n++) {
        const anchor = (await parent.query.billerRegistry.anchors(id, n)).unwrap();
        assert.equal(anchor.hash_.toHex(), (await sub.rpc.chain.getBlockHash(n)).toHex(), `sub-chain ${id} block ${n}`);
      }
    }
  });
});
