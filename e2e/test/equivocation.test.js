// A sub-chain voter's equivocation across both layers, on a fresh `dbm-node --dev` network
// with its relay: reported on the sub-chain with polkadot.js, kept there, carried by the relay
// to the parent, which suspends the voter's member and sends the suspension back, taking it
// out of the sub-chain's active set.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { devAccounts } from '../lib/accounts.js';
import { connect, until } from '../lib/chain.js';
import { startDevNetwork } from '../lib/network.js';
import { equivocationProof } from '../lib/registry.js';
import { eventsOf, send, sendOk } from '../lib/tx.js';

const SUB = 1;

describe("a sub-chain voter's equivocation, from the sub-chain to the parent and back", () => {
  let network, provider, sub, parent, k, alice;

  before(async () => {
    k = await devAccounts();
    // The development sub-chain's one voter is Alice's development GRANDPA key.
    alice = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
    network = await startDevNetwork({ subchains: 1 });
    provider = new WsProvider(network.endpoint(SUB));
    sub = await connect(network, SUB, provider);
    parent = await connect(network, 0);
  });

  after(async () => {
    if (sub) await sub.disconnect();
    if (parent) await parent.disconnect();
    if (network) await network.stop();
  });

  it('refuses reports that prove nothing, with the pallet error names', async () => {
    const setId = (await sub.query.grandpa.currentSetId()).toNumber();
    const [a, b] = [blake2AsHex('one block 7'), blake2AsHex('another block 7')];
    const owner = { setId, voters: 1 };
    const report = (proof, keyOwner = owner) => sub.tx.grandpa.reportEquivocation(proof, keyOwner);
    const refused = await Promise.all([
      send(sub, report(equivocationProof(sub, setId, 3, alice, [a, 7], [a, 7])), k.bob),
      send(sub, report(equivocationProof(sub, setId + 1, 3, alice, [a, 7], [b, 7])), k.charlie),
      send(sub, report(equivocationProof(sub, setId, 3, new Keyring({ type: 'ed25519' }).addFromUri('//Eve'), [a, 7], [b, 7])), k.dave),
      send(sub, report(equivocationProof(sub, setId, 3, alice, [a, 7], [b, 7]), { setId, voters: 2 }), k.eve)
    ]);
    assert.deepEqual(refused.map((r) => r.error), [
      'dbsca.InvalidEquivocation',
      'dbsca.NotCurrentVoterSet',
      'dbsca.UnknownVoter',
      'dbsca.BadKeyOwnerProof'
    ]);
    assert.equal((await sub.query.dbsca.equivocations()).length, 0);
    // The unsigned report is only for a voter's own node, which includes it in its own block.
    const unsigned = sub.tx.grandpa.reportEquivocationUnsigned(equivocationProof(sub, setId, 3, alice, [a, 7], [b, 7]), owner);
    await assert.rejects(provider.send('author_submitExtrinsic', [unsigned.toHex()]), /invalid|call/i);
  });

  it('keeps the proof, and the relay has the parent suspend the voter, which the sub-chain hears back', async () => {
    const setId = (await sub.query.grandpa.currentSetId()).toNumber();
    const activeBefore = (await sub.query.subchain.activeSet()).count.toNumber();
    assert.deepEqual((await sub.query.grandpa.authorities()).map(([id]) => id.toHex()), [u8aToHex(alice.publicKey)]);
    const [a, b] = [blake2AsHex('one block 9'), blake2AsHex('another block 9')];
    const proof = equivocationProof(sub, setId, 5, alice, [a, 9], [b, 9]);
    const reported = await sendOk(sub, sub.tx.grandpa.reportEquivocation(proof, { setId, voters: 1 }), k.ferdie);
    const [noted] = eventsOf(sub, reported, 'dbsca', 'EquivocationNoted');
    assert.ok(noted, 'an EquivocationNoted event');
    assert.equal(noted.data.offender.toHex(), u8aToHex(alice.publicKey));
    assert.equal(noted.data.member.unwrap().toString(), k.alice.address, "the key is Alice's");
    assert.equal(noted.data.reporter.unwrap().toString(), k.ferdie.address);
    assert.equal((await sub.query.dbsca.equivocations()).length, 1);
    const again = await send(sub, sub.tx.grandpa.reportEquivocation(
      equivocationProof(sub, setId, 5, alice, [b, 9], [a, 9]), { setId, voters: 1 }), k.bob);
    assert.equal(again.error, 'dbsca.AlreadyReported');

    // Nobody sends it to the parent by hand: the relay finds it in the finalized state.
    const member = await until("Alice's member suspended on the parent", async () => {
      const record = (await parent.query.billerRegistry.members(SUB, k.alice.address)).unwrap();
      return record.suspended.isTrue && record;
    }, 120_000);
    assert.ok(member.suspended.isTrue);

    // The parent's suspension comes back through the sub-chain's inbox, with a proof: Alice
    // leaves the active set (the committee's only member, she stays in it until the next
    // election: DBSCA's KeptInConsensus, LastVoter).
    const local = await until('Alice suspended on the sub-chain', async () => {
      const record = (await sub.query.subchain.members(k.alice.address)).unwrap();
      return record.suspended.isTrue && record;
    }, 120_000);
    assert.ok(local.suspended.isTrue);
    assert.equal((await sub.query.subchain.activeSet()).count.toNumber(), activeBefore - 1, 'Alice left the active set');
  });
});
