// The DBSCA election of a sub-chain driven by polkadot.js on a fresh `dbm-node --dev`
// network: every call of pallet-dbsca and of the sub-chain's member registry, the runtime
// API, named errors for bad input, a biller change that the live chain follows, and score
// weights the parent decides for the sub-chain.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { devAccounts } from '../lib/accounts.js';
import { connect, finalizedEvent, finalizedNumber, until, untilFinalized } from '../lib/chain.js';
import { startDevNetwork } from '../lib/network.js';
import { electionStatement } from '../lib/registry.js';
import { council, eventsOf, parentDecides, send, sendOk } from '../lib/tx.js';

const PERMILL = 1_000_000;

describe('DBSCA election on a sub-chain with polkadot.js', () => {
  let network, provider, api, k;

  before(async () => {
    k = await devAccounts(['Dave', 'Eve']);
    network = await startDevNetwork({ subchains: 1 });
    provider = new WsProvider(network.endpoint(1));
    api = await connect(network, 1, provider);
  });

  after(async () => {
    if (api) await api.disconnect();
    if (network) await network.stop();
  });

  const committee = async () => (await api.query.dbsca.committee()).map((a) => a.toString());

  it('reads constants, storage and the runtime API from metadata alone', async () => {
    assert.equal(api.consts.dbsca.maxCommittee.toNumber(), 8);
    assert.equal(api.consts.dbsca.quorum.toNumber(), 51);
    assert.equal(api.consts.subchain.maxMembers.toNumber(), 100);
    const weights = await api.query.dbsca.weights();
    assert.deepEqual(
      [weights.renewable, weights.environmental, weights.cost, weights.stability].map((w) => w.toNumber()),
      [200_000, 300_000, 400_000, 100_000]);
    assert.deepEqual(await committee(), [k.alice.address]);
    assert.equal((await api.query.subchain.members.entries()).length, 10);
    const ranking = await api.call.dbscaApi.ranking();
    assert.equal(ranking.length, 10);
    assert.equal(ranking[0].account.toString(), k.alice.address, 'Alice is the best node of group 1');
    assert.deepEqual(ranking.filter((c) => c.electable.isTrue).map((c) => c.account.toString()), [k.alice.address]);
    for (let i = 1; i < ranking.length; i++) assert.ok(ranking[i - 1].score.toNumber() >= ranking[i].score.toNumber());
    assert.ok((await api.call.dbscaApi.round()).isNone);
    assert.deepEqual((await api.call.dbscaApi.committee()).map((a) => a.toString()), [k.alice.address]);
  });

  it('refuses bad input with the pallet error names and leaves the state unchanged', async () => {
    const before = (await api.query.dbsca.candidates(k.bob.address)).toHex();
    const weightsBefore = (await api.query.dbsca.weights()).toHex();
    const best = { renewable: true, environmental: PERMILL, cost: PERMILL, stability: PERMILL };
    const bad = await Promise.all([
      send(api, api.tx.dbsca.nominate(best, 5_000, '0x'), k.bob),
      send(api, api.tx.dbsca.updateCandidacy(best, 5_000, '0x'), k.charlie),
      send(api, api.tx.dbsca.confirm(1, k.alice.address, { Sr25519: new Uint8Array(64) }), k.dave),
      send(api, api.tx.dbsca.setKeys(new Uint8Array(64), '0x'), k.eveStash),
      // What the parent decides, no signed account can: not even a committee member.
      send(api, api.tx.dbsca.setWeights({ renewable: 250_000, environmental: 250_000, cost: 250_000, stability: 250_000 }), k.alice),
      send(api, api.tx.dbsca.setCommitteeSize(2), k.eve),
      send(api, api.tx.dbsca.requestElection(null), k.ferdie),
      send(api, api.tx.subchain.removeMember(k.charlie.address), k.daveStash)
    ]);
    const named = (r) => (/badorigin/i.test(r.error) ? 'BadOrigin' : r.error || r.innerError);
    assert.deepEqual(bad.map(named), [
      'dbsca.AlreadyCandidate',
      'dbsca.AttributesNotAttested',
      'dbsca.NoOpenRound',
      'dbsca.NotMember',
      'BadOrigin',
      'BadOrigin',
      'BadOrigin',
      'BadOrigin'
    ]);
    assert.equal((await api.query.dbsca.candidates(k.bob.address)).toHex(), before);
    assert.equal((await api.query.dbsca.weights()).toHex(), weightsBefore);
    // Keys with a proof for another owner.
    const forAlice = await provider.send('author_rotateKeysWithOwner', [u8aToHex(k.alice.publicKey)]);
    const wrong = await send(api, api.tx.dbsca.setKeys(forAlice.keys, forAlice.proof), k.ferdie);
    assert.equal(wrong.error, 'dbsca.InvalidProof');
    assert.ok((await api.query.dbsca.keys(k.ferdie.address)).isNone);
  });

  it('elects Bob in a requested round, the relay proves it to the parent, and the chain follows him', async () => {
    // Bob's node (here: the dev node) makes his keys; he registers them.
    const generated = await provider.send('author_rotateKeysWithOwner', [u8aToHex(k.bob.publicKey)]);
    const set = await sendOk(api, api.tx.dbsca.setKeys(generated.keys, generated.proof), k.bob);
    assert.equal(eventsOf(api, set, 'dbsca', 'KeysSet').length, 1);
    const mine = (await api.query.subchain.members(k.bob.address)).unwrap().attested;
    const updated = await sendOk(api, api.tx.dbsca.updateCandidacy(mine, 7_000, 'feeder 2'), k.bob);
    assert.equal(eventsOf(api, updated, 'dbsca', 'CandidacyUpdated').length, 1);

    // The parent's council asks for a round without Alice; the relay proves the request to the
    // sub-chain's parent inbox, which opens the round.
    const parentApi = await connect(network, 0);
    const from = await finalizedNumber(api);
    try {
      await sendOk(parentApi, council(parentApi, parentApi.tx.billerRegistry.requestReelection(1, k.alice.address)), k.alice);
    } finally {
      await parentApi.disconnect();
    }
    const { event: roundOpened } = await finalizedEvent(api, from, 'dbsca', 'RoundOpened', () => true, 120_000);
    const round = roundOpened.data.round.toNumber();
    assert.deepEqual(roundOpened.data.committee.map((a) => a.toString()), [k.bob.address]);
    assert.equal(roundOpened.data.needed.toNumber(), 6);
    const status = (await api.call.dbscaApi.round()).unwrap();
    assert.equal(status.index.toNumber(), round);

    // Each member signs the round's statement with its account key: the SCALE encoding of
    // (context, genesis hash, sub-chain id, round, member set counted, committee, the
    // committee's GRANDPA keys), as
    // documented for `dbsca.confirm`; the runtime API gives the same bytes.
    const subchainId = (await api.query.subchain.id()).unwrap();
    const counted = (await api.query.dbsca.currentRound()).unwrap().members;
    const activeSet = await api.query.subchain.activeSet();
    assert.equal(counted.toHex(), activeSet.toHex(), 'the round counts the active members');
    assert.equal(counted.count.toNumber(), 10);
    // The committee's GRANDPA key: Bob's, as he registered it.
    const bobGrandpa = (await api.query.dbsca.keys(k.bob.address)).unwrap().grandpa.toHex();
    const payload = electionStatement(api, subchainId, round, [k.bob], {
      genesis: api.genesisHash.toHex(),
      members: { count: counted.count.toNumber(), digest: counted.digest.toHex() }
    }, [bobGrandpa]);
    const raw = await api.rpc.state.call('DbscaApi_confirmation_payload', u8aToHex(api.createType('u32', round).toU8a()));
    const fromApi = api.createType('Option<Bytes>', raw.toU8a(true)).unwrap();
    assert.equal(u8aToHex(payload), u8aToHex(fromApi.toU8a(true)), 'the runtime API signs the same bytes');
    const confirm = (who, candidate) =>
      api.tx.dbsca.confirm(round, candidate.address, { Sr25519: who.sign(payload) });
    const wrong = await send(api, confirm(k.charlie, k.alice), k.charlie);
    assert.equal(wrong.error, 'dbsca.NotTheHighestScore');
    const members = [k.alice, k.bob, k.charlie, k.dave, k.eve, k.ferdie];
    const confirmed = await Promise.all(members.map((m) => sendOk(api, confirm(m, k.bob), m)));
    const elected = confirmed.flatMap((r) => eventsOf(api, r, 'dbsca', 'Elected'));
    assert.equal(elected.length, 1, 'the sixth confirmation closes the round');
    const pending = (await api.call.dbscaApi.pendingCommittee()).unwrap();
    assert.equal(pending[0].toNumber(), round);
    const proof = (await api.query.dbsca.pendingElection()).unwrap();
    assert.equal(proof.confirmations.length, 6, 'the signed confirmations are kept as the proof');

    // The sub-chain's relay carries the proof to the parent, whose registry checks the six
    // signatures against its own record of the sub-chain's members and confirms Bob.
    const parent = await connect(network, 0);
    let setBefore;
    try {
      // The voter set the parent follows for sub-chain 1 before the change.
      setBefore = (await parent.query.billerRegistry.voters(1)).unwrap().setId.toNumber();
      const election = await until(`the parent's confirmation of round ${round}`, async () => {
        const confirmed = (await parent.query.billerRegistry.elections(1)).unwrapOr(null);
        return confirmed && confirmed.round.toNumber() === round && confirmed;
      }, 90_000);
      assert.deepEqual(election.committee.map(String), [k.bob.address]);
    } finally {
      await parent.disconnect();
    }

    // The relay proves the parent's confirmation to the sub-chain (a storage proof of the
    // registry's entry against a parent header the sub-chain's light client finalized), and
    // the election is enacted: Bob's keys author and vote from now on.
    const enacted = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the confirmation was not enacted')), 120_000);
      api.rpc.chain.subscribeFinalizedHeads(async (head) => {
        const events = await (await api.at(head.hash)).query.system.events();
        if (events.some(({ event }) => api.events.parentInbox.ElectionEnacted.is(event))) {
          clearTimeout(timer);
          resolve({ finalized: head.hash, events });
        }
      }).catch(reject);
    });
    const enactedEvents = enacted.events.map(({ event }) => event);
    assert.ok(enactedEvents.some((e) => api.events.dbsca.CommitteeEnacted.is(e) && e.data.round.toNumber() === round));
    assert.ok(enactedEvents.some((e) => api.events.parentInbox.ElectionEnacted.is(e) && e.data.round.toNumber() === round));
    assert.deepEqual(await committee(), [k.bob.address]);
    // Only the parent's proven confirmation enacts: a signed account cannot.
    const again = await send(api, api.tx.dbsca.enact(round), k.alice);
    assert.match(again.error, /badorigin/i);
    const aura = await api.query.aura.authorities();
    // The session keys are Bob's Aura key (32 bytes) then his GRANDPA key.
    assert.deepEqual(aura.map((a) => a.toHex()), [generated.keys.slice(0, 66)]);
    const enactedAt = (await api.rpc.chain.getHeader(enacted.finalized)).number.toNumber();
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no finality after the biller change')), 90_000);
      api.rpc.chain.subscribeFinalizedHeads((head) => {
        if (head.number.toNumber() >= enactedAt + 3) { clearTimeout(timer); resolve(); }
      }).catch(reject);
    });
    assert.equal((await api.query.dbsca.lastElection()).unwrap().round.toNumber(), round);

    // The relay anchors on across the change: the block that enacted Bob schedules his voter
    // set and ends its segment; the parent follows the new set and checks the later segments
    // against Bob's own votes.
    const anchoring = await connect(network, 0);
    try {
      await until('an anchor past the change', async () => {
        const last = (await anchoring.query.billerRegistry.lastAnchor(1)).unwrapOr(null);
        return last && last.number.toNumber() > enactedAt + 3;
      }, 120_000);
      const voters = (await anchoring.query.billerRegistry.voters(1)).unwrap();
      assert.equal(voters.setId.toNumber(), setBefore + 1, 'one voter set change');
      assert.deepEqual(voters.voters.map(([id, weight]) => [id.toHex(), weight.toNumber()]),
        [[`0x${generated.keys.slice(66)}`, 1]], "Bob's GRANDPA key alone");
      assert.equal(voters.from.toNumber(), enactedAt + 1, 'deciding from the block after the enactment');
    } finally {
      await anchoring.disconnect();
    }
  });

  it('withdraws, nominates, purges keys, prunes, and takes members, weights and size the parent decided', async () => {
    const daveInfo = (await api.query.subchain.members(k.dave.address)).unwrap();
    const withdrawn = await sendOk(api, api.tx.dbsca.withdraw(), k.dave);
    assert.equal(eventsOf(api, withdrawn, 'dbsca', 'CandidateWithdrawn').length, 1);
    const nominated = await sendOk(api, api.tx.dbsca.nominate(daveInfo.attested, 4_000, 'feeder 3'), k.dave);
    assert.equal(eventsOf(api, nominated, 'dbsca', 'CandidateNominated').length, 1);

    const [purged, inUse] = await Promise.all([
      send(api, api.tx.dbsca.purgeKeys(), k.alice),
      send(api, api.tx.dbsca.purgeKeys(), k.bob)
    ]);
    assert.equal(purged.error, null);
    assert.equal(eventsOf(api, purged, 'dbsca', 'KeysPurged').length, 1);
    assert.equal(inUse.error, 'dbsca.KeysInUse');

    // The parent's vote kicks Charlie (imported by its council, voted by its one authority);
    // the relay proves the decision to the sub-chain, whose member list follows.
    const parent = await connect(network, 0);
    const proposal = (what) => parent.createType(parent.tx.membershipVoting.import.meta.args[0].type.toString(), what);
    const decide = (call) => parentDecides(parent, api, 1, call, k.alice);
    let out;
    try {
      const kicked = await decide(parent.tx.membershipVoting.import(proposal({ Kick: { member: k.charlie.address, reason: 'Misconduct' } })));
      assert.equal(kicked.error, null);
      assert.ok(kicked.event.data.message.isRemove);
      assert.ok((await api.query.subchain.members(k.charlie.address)).isNone);
      const [pruned, still] = await Promise.all([
        send(api, api.tx.dbsca.prune(k.charlie.address), k.eve),
        send(api, api.tx.dbsca.prune(k.dave.address), k.ferdie)
      ]);
      assert.equal(eventsOf(api, pruned, 'dbsca', 'Pruned').length, 1);
      assert.equal(still.error, 'dbsca.StillMember');
      assert.ok((await api.query.dbsca.candidates(k.charlie.address)).isNone);

      // Score weights and the committee size the parent's council decides for the sub-chain;
      // what the sub-chain would refuse, the parent refuses first.
      const even = { renewable: 250_000, environmental: 250_000, cost: 250_000, stability: 250_000 };
      const weights = await decide(parent.tx.billerRegistry.setScoreWeights(1, even));
      assert.equal(weights.error, null);
      const now = await api.query.dbsca.weights();
      assert.deepEqual([now.renewable, now.environmental, now.cost, now.stability].map((w) => w.toNumber()),
        [even.renewable, even.environmental, even.cost, even.stability]);
      const size = await decide(parent.tx.billerRegistry.setCommitteeSize(1, 2));
      assert.equal(size.error, null);
      assert.ok(size.event.data.message.isSetCommitteeSize);
      const tooBig = await send(parent, council(parent, parent.tx.billerRegistry.setCommitteeSize(1, 9)), k.alice);
      assert.equal(tooBig.innerError, 'billerRegistry.InvalidCommitteeSize');
      assert.equal((await api.query.dbsca.committeeSize()).toNumber(), 2);

      // The biller in force, Bob, is suspended by the parent's vote: the block that takes the
      // decision leaves him out, and the next opens a round without him (or says that nobody
      // is electable), without waiting for the end of the term.
      assert.deepEqual(await committee(), [k.bob.address]);
      out = await decide(parent.tx.membershipVoting.import(proposal({ Suspend: { member: k.bob.address, reason: 'Misconduct' } })));
      assert.equal(out.error, null);
      assert.ok((await api.query.subchain.members(k.bob.address)).unwrap().suspended.isTrue);
    } finally {
      await parent.disconnect();
    }
    const at = (await api.rpc.chain.getHeader(out.hash)).number.toNumber();
    await untilFinalized(api, `block #${at + 1}`, (head) => head.number.toNumber() > at);
    const next = await api.at(await api.rpc.chain.getBlockHash(at + 1));
    const reaction = (await next.query.system.events()).map(({ event }) => event)
      .find((e) => api.events.dbsca.RoundOpened.is(e) || api.events.dbsca.RoundNotOpened.is(e));
    assert.ok(reaction, `a round opened, or could not, in block #${at + 1}`);
    const trigger = reaction.data.trigger;
    assert.ok(trigger.isCommitteeMemberLeft, `trigger ${trigger.type}`);
    assert.equal(trigger.asCommitteeMemberLeft.who.toString(), k.bob.address);
    if (api.events.dbsca.RoundOpened.is(reaction)) {
      assert.ok(!reaction.data.committee.some((who) => who.toString() === k.bob.address), 'without Bob');
    }
    assert.ok((await api.query.dbsca.scheduledRound()).isNone);
  });

  it("takes score weights the parent decided, delivered by the relay with a proof", async () => {
    const parent = await connect(network, 0);
    try {
      const paper = { renewable: 200_000, environmental: 300_000, cost: 400_000, stability: 100_000 };
      const bad = await send(parent, council(parent, parent.tx.billerRegistry.setScoreWeights(1, { ...paper, stability: 99_999 })), k.alice);
      assert.equal(bad.innerError, 'billerRegistry.WeightsDoNotSumTo100Percent');
      const unknown = await send(parent, council(parent, parent.tx.billerRegistry.setScoreWeights(7, paper)), k.alice);
      assert.equal(unknown.innerError, 'billerRegistry.UnknownSubchain');
      const notRoot = await send(parent, parent.tx.billerRegistry.setScoreWeights(1, paper), k.alice);
      assert.match(notRoot.error, /badorigin/i);

      const before = (await api.query.parentInbox.nextNonce()).toNumber();
      const result = await sendOk(parent, council(parent, parent.tx.billerRegistry.setScoreWeights(1, paper)), k.alice);
      const [sent] = eventsOf(parent, result, 'billerRegistry', 'ScoreWeightsSent');
      const nonce = sent.data.nonce.toNumber();
      assert.equal(nonce, before, 'the next message for sub-chain 1');
      const message = (await (await parent.at(result.inBlock)).query.membershipVoting.outbox({ Subchain: 1 }, nonce)).unwrap();
      assert.ok(message.isSetWeights);
      // The sub-chain takes them only from its inbox: the relay proves the parent's outbox
      // entry against a parent header the light client finalized.
      await until(`the sub-chain's inbox past message ${nonce}`, async () =>
        (await api.query.parentInbox.nextNonce()).toNumber() > nonce, 120_000);
      assert.equal((await api.query.parentInbox.nextNonce()).toNumber(), nonce + 1);
      const now = await api.query.dbsca.weights();
      assert.deepEqual(
        [now.renewable, now.environmental, now.cost, now.stability].map((w) => w.toNumber()),
        [paper.renewable, paper.environmental, paper.cost, paper.stability]);
    } finally {
      await parent.disconnect();
    }
  });
});
