// Finality recovery from polkadot.js, on a fresh `dbm-node --dev` network: the voter sets the
// parent remembers, stall and return reports refused by the pool with the pallet's reasons, a
// voter's signed stall report taken (`StallReported`), and nothing forced when the only voter
// reported (nobody is missing). Forcing a change with dead voters is the node tests'
// (`finality_recovery`, `committee_recovery`): it needs several validator processes.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { connect, finalizedEvent, finalizedNumber, until } from '../lib/chain.js';
import { startDevNetwork } from '../lib/network.js';

const PARENT = 0;

describe('finality recovery: stall and return reports', () => {
  let network, provider, parent, alice, bob, genesis;

  before(async () => {
    // The development parent's one voter is Alice's development GRANDPA key.
    const ed = new Keyring({ type: 'ed25519' });
    alice = ed.addFromUri('//Alice');
    bob = ed.addFromUri('//Bob');
    network = await startDevNetwork({ subchains: 1, relay: false });
    provider = new WsProvider(network.endpoint(PARENT));
    parent = await connect(network, PARENT, provider);
    genesis = parent.genesisHash.toU8a();
  });

  after(async () => {
    if (parent) await parent.disconnect();
    if (network) await network.stop();
  });

  /** `voter`'s signed stall report (`dbm_primitives::recovery::stall_payload`). */
  function stall (voter, setId, finalized, signer = voter) {
    const report = parent.createType('DbmPrimitivesRecoveryStallReport', { setId, finalized, voter: voter.publicKey });
    const payload = u8aConcat(stringToU8a('DBM_STALL_V1'), genesis, report.toU8a());
    return parent.tx.finalityRecovery.reportStall(report, signer.sign(payload));
  }

  /** `voter`'s signed return report (`return_payload`). */
  function back (voter, setId) {
    const report = parent.createType('DbmPrimitivesRecoveryReturnReport', { setId, voter: voter.publicKey });
    const payload = u8aConcat(stringToU8a('DBM_BACK_V1'), genesis, report.toU8a());
    return parent.tx.finalityRecovery.reportReturn(report, voter.sign(payload));
  }

  const submit = (tx) => provider.send('author_submitExtrinsic', [tx.toHex()]);

  it('remembers the voter set in force, with nobody sidelined', async () => {
    await until('the first blocks', async () => (await finalizedNumber(parent)) >= 2);
    const sets = await parent.query.finalityRecovery.sets();
    assert.equal(sets.length, 1);
    assert.equal(sets[0].id.toNumber(), (await parent.query.grandpa.currentSetId()).toNumber());
    assert.deepEqual(sets[0].voters.map(([key]) => key.toHex()), [u8aToHex(alice.publicKey)]);
    assert.equal((await parent.query.finalityRecovery.sidelined()).length, 0);
    assert.equal(parent.consts.finalityRecovery.forcedChangeDelay.toNumber(), 2);
  });

  it('refuses reports that name no voter, no set or a future block, and forged ones, in the pool', async () => {
    const setId = (await parent.query.grandpa.currentSetId()).toNumber();
    const finalized = await finalizedNumber(parent);
    // The pool gives a pallet error's index: 0 UnknownSet, 1 NotAVoter, 2 FinalizedOutOfRange,
    // 6 NotSidelined.
    await assert.rejects(submit(stall(alice, setId + 5, finalized)), /Custom error: 0/);
    await assert.rejects(submit(stall(bob, setId, finalized)), /Custom error: 1/);
    await assert.rejects(submit(stall(alice, setId, finalized + 10_000)), /Custom error: 2/);
    await assert.rejects(submit(stall(alice, setId, finalized, bob)), /bad signature/i);
    await assert.rejects(submit(back(alice, setId)), /Custom error: 6/);
    assert.equal((await parent.query.finalityRecovery.reports()).length, 0);
  });

  it("takes the voter's report once, and forces nothing when every voter reported", async () => {
    const setId = (await parent.query.grandpa.currentSetId()).toNumber();
    const from = await finalizedNumber(parent);
    await submit(stall(alice, setId, from));
    const { event } = await finalizedEvent(parent, from, 'finalityRecovery', 'StallReported', () => true);
    assert.equal(event.data.voter.toHex(), u8aToHex(alice.publicKey));
    assert.equal(event.data.finalized.toNumber(), from);
    // Held once: the same voter again is outdated.
    await assert.rejects(submit(stall(alice, setId, from)), /outdated|stale/i);
    // Alice is the whole set: nobody is missing, so no forced change; finality goes on.
    const later = (await finalizedNumber(parent)) + 6;
    await until('six more finalized blocks', async () => (await finalizedNumber(parent)) >= later);
    assert.equal((await parent.query.grandpa.currentSetId()).toNumber(), setId);
    assert.ok((await parent.query.grandpa.pendingChange()).isNone);
    assert.equal((await parent.query.finalityRecovery.sidelined()).length, 0);
  });
});
