// Membership voting (pallet-membership-voting on both layers, pallet-biller-registry's
// assignment and parent authorities) driven by polkadot.js on a fresh `dbm-node --dev` network:
// a join naming the node's meter key (with the meter's signature that it measures for the node)
// is proposed and approved on sub-chain 1, sub-chain 1's
// relay proves its outbox message
// to the parent against the anchored state, the parent's authorities approve it and the registry
// assigns the node to the nearest sub-chain, whose relay delivers the admission (with the
// meter, registered there with the member) with a proof
// (both sub-chains, with their members, are in the parent's genesis); a kick approved by the
// parent removes the node; delivered messages are pruned with proofs (by the relay on the
// sub-chain, by root on the parent); a kick is rejected and its
// deposit burned; the parent's authority set refuses to shrink below four voters; every refused
// call has its pallet error name with the state left unchanged.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { devAccounts } from '../lib/accounts.js';
import { UNIT, connect, finalizedNumber, storagePairs, until } from '../lib/chain.js';
import { startDevNetwork } from '../lib/network.js';
import { meterClaim, parentKeys } from '../lib/registry.js';
import { u8aToHex } from '@polkadot/util';
import { council, eventsOf, send, sendAll, sendOk } from '../lib/tx.js';

/** `ProposalDeposit` on both layers. */
const DEPOSIT = 10n * UNIT;
/** Thresholds of the sub-chains' and the parent's votes, in percent. */
const SUB_THRESHOLD = 51;
const PARENT_THRESHOLD = 67;
/** The ten members of a development sub-chain. */
const MEMBERS = 10;

/** What //Outsider applies with: a renewable generator in a part of area `DEV-2`. */
const application = {
  role: 'Generator',
  attested: { renewable: true, environmental: 800_000, cost: 400_000, stability: 900_000 },
  capacityW: 5_000,
  area: 'DEV-2-20095'
};

describe('membership voting across both layers with polkadot.js', () => {
  let network, parent, sub, sub2, k;

  before(async () => {
    k = await devAccounts(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve'], { outsider: '//Outsider' });
    network = await startDevNetwork({ subchains: 2 });
    [parent, sub, sub2] = await Promise.all([connect(network, 0), connect(network, 1), connect(network, 2)]);
  });

  after(async () => {
    for (const api of [sub2, sub, parent]) if (api) await api.disconnect();
    if (network) await network.stop();
  });

  /** The held deposit of `who` on `api`'s chain. */
  async function deposit (api, who) {
    const holds = await api.query.balances.holds(who);
    const hold = holds.find((h) => h.id.type === 'MembershipVoting');
    return hold ? hold.amount.toBigInt() : 0n;
  }
  /** The whole voting state of a chain, to compare. */
  async function votingState (api) {
    const q = api.query.membershipVoting;
    return {
      next: (await q.nextProposal()).toNumber(),
      proposals: storagePairs(await q.proposals.entries()),
      about: storagePairs(await q.proposalAbout.entries()),
      outbox: storagePairs(await q.outbox.entries()),
      nonces: storagePairs(await q.outboxNonces.entries())
    };
  }
  /** Sends each `[tx, signer]` at once (different signers), resolving with every `send` result. */
  const sendEach = (api, pairs) => Promise.all(pairs.map(([tx, signer]) => send(api, tx, signer)));

  // Carried from one step to the next.
  const state = {};

  it('reads both instances and the parent authorities from metadata alone', async () => {
    assert.deepEqual([...sub.tx.membershipVoting.propose.callIndex], [10, 0], 'sub-chain pallet index 10');
    assert.deepEqual([...parent.tx.membershipVoting.propose.callIndex], [8, 0], 'parent pallet index 8');
    for (const [api, threshold, voters] of [[sub, SUB_THRESHOLD, 100], [parent, PARENT_THRESHOLD, 32]]) {
      const c = api.consts.membershipVoting;
      assert.equal(c.proposalDeposit.toBigInt(), DEPOSIT);
      assert.equal(c.threshold.toNumber(), threshold);
      assert.equal(c.votingPeriod.toNumber(), 2 * 7_200, 'two hours of half-second blocks');
      assert.equal(c.maxProposals.toNumber(), 64);
      assert.equal(c.maxVoters.toNumber(), voters);
      assert.equal(c.maxOutbox.toNumber(), 1_024);
      assert.equal((await api.query.membershipVoting.proposals.entries()).length, 0);
    }
    const r = parent.consts.billerRegistry;
    assert.equal(r.minAuthorities.toNumber(), 4);
    assert.equal(r.maxOperators.toNumber(), 16);
    assert.equal(r.endowment.toBigInt(), UNIT);
    const q = parent.query.billerRegistry;
    assert.deepEqual((await q.operators()).map(String), [k.alice.address]);
    assert.deepEqual((await q.authorities()).map(String), [k.alice.address]);
    assert.ok((await q.parentKeys(k.alice.address)).isSome, 'the operator has its keys from genesis');
  });

  it("the parent's genesis registers both sub-chains with their real genesis hashes, areas and members", async () => {
    const r = parent.query.billerRegistry;
    assert.equal((await r.counterForSubchains()).toNumber(), 2);
    for (const [id, api] of [[1, sub], [2, sub2]]) {
      const info = (await r.subchains(id)).unwrap();
      assert.equal(info.genesisHash.toHex(), (await api.rpc.chain.getBlockHash(0)).toHex(), `sub-chain ${id}'s genesis`);
      assert.equal(info.location.toUtf8(), `DEV-${id}`);
      assert.ok(info.status.isActive);
      const members = (await api.query.subchain.members.entries()).map(([key]) => key.args[0].toString()).sort();
      const registered = (await r.members.entries(id)).map(([key]) => key.args[1].toString()).sort();
      assert.equal(members.length, MEMBERS);
      assert.deepEqual(registered, members, `the parent knows sub-chain ${id}'s members`);
    }
    // Sub-chain 1's members are the plain development accounts, sub-chain 2's those derived
    // for it: no node is in two sub-chains.
    assert.equal((await r.memberOf(k.alice.address)).unwrap().toNumber(), 1);
    const alice2 = new Keyring({ type: 'sr25519' }).addFromUri('//Alice//sub-2').address;
    assert.equal((await r.memberOf(alice2)).unwrap().toNumber(), 2);
    assert.deepEqual((await sub2.query.dbsca.committee()).map(String), [alice2], "sub-chain 2's biller");
  });

  it('opens a join on sub-chain 1 with a held deposit; a member, a repeat and a stranger are refused', async () => {
    const q = sub.query.membershipVoting;
    assert.equal((await sub.query.subchain.activeSet()).count.toNumber(), MEMBERS);
    // The join names the node's meter: its own ed25519 key, not its account key, with the
    // meter's signature that it measures for the node.
    const ed = new Keyring({ type: 'ed25519' });
    const claim = meterClaim(ed.addFromUri('//Outsider//meter'), k.outsider.address);
    const meter = claim.key;
    const proposal = { JoinWithMeter: { candidate: k.outsider.address, application, meter: claim } };
    const result = await sendOk(sub, sub.tx.membershipVoting.propose(proposal), k.alice);
    const [proposed] = eventsOf(sub, result, 'membershipVoting', 'Proposed');
    assert.equal(proposed.data.index.toNumber(), 0);
    assert.equal(proposed.data.proposer.unwrap().toString(), k.alice.address);
    assert.equal(await deposit(sub, k.alice.address), DEPOSIT);
    const open = (await q.proposals(0)).unwrap();
    assert.equal(open.proposal.asJoinWithMeter.candidate.toString(), k.outsider.address);
    assert.equal(open.proposal.asJoinWithMeter.application.area.toUtf8(), 'DEV-2-20095');
    assert.equal(open.proposal.asJoinWithMeter.meter.key.toHex(), meter);
    state.meter = meter;
    assert.equal(open.end.toNumber(), (await sub.rpc.chain.getHeader(result.inBlock)).number.toNumber() + 2 * 7_200);
    assert.equal((await q.proposalAbout(k.outsider.address)).unwrap().toNumber(), 0);

    const before = await votingState(sub);
    const newcomer = new Keyring({ type: 'sr25519' }).addFromUri('//Newcomer').address;
    // Bob's meter (its development key is public) signs for the newcomer: its key is Bob's.
    const bobsMeter = meterClaim(ed.addFromUri('//Bob//meter'), newcomer);
    assert.equal(bobsMeter.key, (await sub.query.subchain.meters(k.bob.address)).unwrap().key.toHex());
    // A meter that signed for someone else is not the newcomer's.
    const notTheirs = meterClaim(ed.addFromUri('//Newcomer//meter'), k.outsider.address);
    const refused = await sendEach(sub, [
      [sub.tx.membershipVoting.propose({ Join: { candidate: k.bob.address, application } }), k.bob],
      [sub.tx.membershipVoting.propose(proposal), k.charlie],
      [sub.tx.membershipVoting.propose({ Suspend: { member: k.outsider.address, reason: 'Misconduct' } }), k.dave],
      [sub.tx.membershipVoting.propose({ JoinWithMeter: { candidate: newcomer, application, meter: bobsMeter } }), k.eve],
      [sub.tx.membershipVoting.propose({ JoinWithMeter: { candidate: newcomer, application, meter: notTheirs } }), k.ferdie]
    ]);
    assert.deepEqual(refused.map((r) => r.error), [
      'membershipVoting.AlreadyMember', 'membershipVoting.AlreadyProposed', 'membershipVoting.AlreadyProposed',
      'membershipVoting.MeterInUse', 'membershipVoting.BadMeterProof'
    ]);
    assert.deepEqual(await votingState(sub), before, 'refused proposals change nothing');
    assert.equal(await deposit(sub, k.bob.address), 0n);
  });

  it('refuses votes of strangers, of the subject, repeated votes and votes on unknown proposals', async () => {
    // A kick of Ferdie, to be rejected later; the stranger gets funds to pay its fees.
    await sendEach(sub, [
      [sub.tx.membershipVoting.propose({ Kick: { member: k.ferdie.address, reason: 'ContinuousSilence' } }), k.bob],
      [sub.tx.balances.transferKeepAlive(k.outsider.address, 100n * UNIT), k.charlie]
    ]);
    assert.equal(await deposit(sub, k.bob.address), DEPOSIT);
    await sendOk(sub, sub.tx.membershipVoting.vote(1, true), k.eve);
    const before = await votingState(sub);
    const refused = await sendEach(sub, [
      [sub.tx.membershipVoting.vote(0, true), k.outsider],
      [sub.tx.membershipVoting.vote(1, false), k.ferdie],
      [sub.tx.membershipVoting.vote(1, true), k.eve],
      [sub.tx.membershipVoting.vote(7, true), k.dave]
    ]);
    assert.deepEqual(refused.map((r) => r.error), [
      'membershipVoting.NotVoter', 'membershipVoting.SubjectMayNotVote',
      'membershipVoting.AlreadyVoted', 'membershipVoting.UnknownProposal'
    ]);
    assert.deepEqual(await votingState(sub), before);
    // Eve may change her mind.
    const changed = await sendOk(sub, sub.tx.membershipVoting.vote(1, false), k.eve);
    const [voted] = eventsOf(sub, changed, 'membershipVoting', 'Voted');
    assert.deepEqual([voted.data.ayes.toNumber(), voted.data.nays.toNumber()], [0, 1]);
    // The runtime API lists both open proposals with their votes and the ayes they need.
    const open = await sub.call.membershipApi.proposals();
    assert.deepEqual(open.map((p) => p.index.toNumber()), [0, 1]);
    assert.deepEqual(open[1].nays.map(String), [k.eve.address]);
    assert.equal(open[1].ayes.length, 0);
    assert.equal(open[1].required.toNumber(), 5, "51% of the nine members besides Ferdie, the kick's subject");
    assert.equal(open[1].proposer.unwrap().toString(), k.bob.address);
  });

  it('approves the join at the threshold and forwards it to the parent through the outbox', async () => {
    const required = Math.ceil((MEMBERS * SUB_THRESHOLD) / 100);
    assert.equal(required, 6);
    const voters = [k.alice, k.bob, k.charlie, k.dave, k.eve, k.ferdie];
    const results = await sendEach(sub, voters.map((who) => [sub.tx.membershipVoting.vote(0, true), who]));
    assert.deepEqual(results.map((r) => r.error), voters.map(() => null));
    const executed = results.flatMap((r) => eventsOf(sub, r, 'membershipVoting', 'Executed'));
    assert.equal(executed.length, 1, 'the vote that reached six ayes carried it out');
    assert.ok(executed[0].data.result.isOk);
    const queued = results.flatMap((r) => eventsOf(sub, r, 'membershipVoting', 'MessageQueued'));
    assert.equal(queued.length, 1);
    assert.ok(queued[0].data.destination.isParent);
    assert.equal(queued[0].data.nonce.toNumber(), 0);

    // Read at the block of the approving vote: the relays forward and prune it soon after.
    const approvedIn = results.find((r) => eventsOf(sub, r, 'membershipVoting', 'MessageQueued').length).inBlock;
    const atVote = await sub.at(approvedIn);
    const q = atVote.query.membershipVoting;
    const message = (await q.outbox('Parent', 0)).unwrap();
    assert.ok(message.isApproved);
    assert.equal(message.asApproved.proposal.asJoinWithMeter.candidate.toString(), k.outsider.address);
    assert.deepEqual((await q.outboxNonces('Parent')).map((n) => n.toNumber()), [0, 1]);
    assert.equal((await q.outboxLen()).toNumber(), 1);
    const pending = await atVote.call.membershipApi.pendingMessages('Parent');
    assert.equal(pending.length, 1);
    assert.equal(pending[0][0].toNumber(), 0);
    assert.equal(pending[0][1].toHex(), message.toHex(), 'the runtime API serves what the relay delivers');
    assert.ok((await q.proposals(0)).isNone);
    assert.equal(await deposit(sub, k.alice.address), 0n, 'the deposit came back');
    // Nothing changes on the sub-chain's member list until the parent decides.
    assert.ok((await sub.query.subchain.members(k.outsider.address)).isNone);
    const late = await send(sub, sub.tx.membershipVoting.vote(0, false), k.aliceStash);
    assert.equal(late.error, 'membershipVoting.ProposalClosed');
    state.message = message;
  });

  it("sub-chain 1's relay forwards the approved join with a proof against the anchored state, and the parent takes it once", async () => {
    // Nobody carries it by hand: the relay proves the outbox entry against the state root of
    // sub-chain 1's last anchored block, and the parent opens it for its authorities' vote.
    const index = await until('the join open on the parent', async () =>
      (await parent.query.membershipVoting.proposalAbout(k.outsider.address)).unwrapOr(null), 120_000);
    const open = (await parent.query.membershipVoting.proposals(index)).unwrap();
    assert.ok(open.proposer.isNone, 'a proposal taken from a sub-chain has no proposer and no deposit');
    assert.equal(open.deposit.toBigInt(), 0n);
    assert.equal(open.proposal.toHex(), state.message.asApproved.proposal.toHex(), 'byte for byte what sub-chain 1 approved');
    assert.equal((await parent.query.subchainInbox.nextNonce(1)).toNumber(), 1);
    assert.equal((await parent.query.subchainInbox.nextNonce(2)).toNumber(), 0);

    // The same message again is refused by its nonce, whoever submits it.
    const anchor = (await parent.query.billerRegistry.lastAnchor(1)).unwrap();
    const number = anchor.number.toNumber();
    const anchored = (await parent.query.billerRegistry.anchors(1, number)).unwrap();
    assert.equal(anchored.stateRoot.toHex(), (await sub.rpc.chain.getHeader(anchor.hash_)).stateRoot.toHex(),
      'the parent keeps the anchored state root');
    const proof = await sub.rpc.state.getReadProof([sub.query.membershipVoting.outbox.key('Parent', 0)], anchor.hash_);
    const replay = await send(parent, parent.tx.subchainInbox.receive(1, number, 0, proof.proof), k.bob);
    assert.equal(replay.error, 'subchainInbox.AlreadyReceived');
    // A message sub-chain 1 never approved cannot be proven, nor anything against a block the
    // parent never anchored, nor sub-chain 1's proof as sub-chain 2's.
    const gap = await send(parent, parent.tx.subchainInbox.receive(1, number, 1, proof.proof), k.bob);
    assert.match(gap.error, /^subchainInbox\.(MessageNotFound|InvalidProof)$/);
    const unknown = await send(parent, parent.tx.subchainInbox.receive(1, number + 1_000, 1, proof.proof), k.bob);
    assert.equal(unknown.error, 'subchainInbox.UnknownAnchor');
    const other = await send(parent, parent.tx.subchainInbox.receive(2, number, 0, proof.proof), k.bob);
    assert.match(other.error, /^subchainInbox\.(UnknownAnchor|InvalidProof|MessageNotFound)$/);
    assert.equal((await parent.query.subchainInbox.nextNonce(2)).toNumber(), 0);
    state.index = index.toNumber();
  });

  it("the parent's authorities approve the join and the registry assigns the node to the nearest sub-chain", async () => {
    const index = state.index;
    // Only the parent's authorities vote: Bob is none.
    const stranger = await send(parent, parent.tx.membershipVoting.vote(index, true), k.bob);
    assert.equal(stranger.error, 'membershipVoting.NotVoter');
    // Alice is the only authority of the development parent: 67% of one is one vote.
    const result = await sendOk(parent, parent.tx.membershipVoting.vote(index, true), k.alice);
    const [executed] = eventsOf(parent, result, 'membershipVoting', 'Executed');
    assert.ok(executed.data.result.isOk, executed.data.result.toString());
    const [added] = eventsOf(parent, result, 'billerRegistry', 'MemberAdded');
    assert.equal(added.data.subchain.toNumber(), 2, 'DEV-2-20095 is nearest to DEV-2');
    const r = parent.query.billerRegistry;
    assert.equal((await r.memberOf(k.outsider.address)).unwrap().toNumber(), 2);
    const member = (await r.members(2, k.outsider.address)).unwrap();
    assert.ok(member.role.isGenerator);
    assert.equal(member.attested.environmental.toNumber(), 800_000);
    assert.equal(member.suspended.isTrue, false);

    // Read at the vote's block: sub-chain 2's relay delivers it and prunes it soon after.
    const atVote = (await parent.at(result.inBlock)).query.membershipVoting;
    const admit = (await atVote.outbox({ Subchain: 2 }, 0)).unwrap();
    assert.ok(admit.isAdmitWithMeter);
    assert.equal(admit.asAdmitWithMeter.who.toString(), k.outsider.address);
    assert.equal(admit.asAdmitWithMeter.endowment.toBigInt(), UNIT);
    assert.ok(admit.asAdmitWithMeter.info.role.isGenerator);
    assert.equal(admit.asAdmitWithMeter.info.attested.renewable.isTrue, true);
    assert.equal(admit.asAdmitWithMeter.meter.toHex(), state.meter, 'the admission carries the meter');
    assert.ok((await atVote.outbox({ Subchain: 1 }, 0)).isNone, 'nothing for sub-chain 1');
  });

  it("sub-chain 2's relay delivers the admission with a proof against a parent header its light client finalized", async () => {
    // Nobody carries it by hand: the relay of sub-chain 2 imports the parent's finalized header
    // into the sub-chain's GRANDPA light client, then proves the outbox entry against it.
    const member = await until('the outsider a member of sub-chain 2', async () =>
      (await sub2.query.subchain.members(k.outsider.address)).unwrapOr(null), 120_000);
    assert.ok(member.role.isGenerator);
    assert.equal(member.attested.environmental.toNumber(), 800_000);
    assert.equal((await sub2.query.subchain.meters(k.outsider.address)).unwrap().key.toHex(), state.meter,
      'its meter registered with it');
    assert.equal((await sub2.query.subchain.meterOwners(state.meter)).unwrap().toString(), k.outsider.address);
    assert.equal((await sub2.query.parentInbox.nextNonce()).toNumber(), 1);
    const account = await sub2.query.system.account(k.outsider.address);
    assert.equal(account.data.free.toBigInt(), UNIT, 'funded with the endowment');
    // The header the proof was checked against is one the light client imported with a
    // justification of the parent's authorities; it is a real parent block.
    const best = (await sub2.query.parentGrandpa.bestFinalized()).unwrap();
    const [number, hash] = [best[0].toNumber(), best[1].toHex()];
    assert.ok(number > 0);
    assert.equal((await parent.rpc.chain.getBlockHash(number)).toHex(), hash);
    const imported = (await sub2.query.parentGrandpa.importedHeaders(hash)).unwrap();
    assert.equal(imported.stateRoot.toHex(), (await parent.rpc.chain.getHeader(hash)).stateRoot.toHex());
    // Delivering the same message again is refused by its nonce, whoever submits it.
    const proof = await parent.rpc.state.getReadProof(
      [parent.query.membershipVoting.outbox.key({ Subchain: 2 }, 0)], hash);
    const replay = await send(sub2, sub2.tx.parentInbox.deliver(hash, 0, proof.proof), k.alice);
    assert.equal(replay.error, 'parentInbox.AlreadyDelivered');
    // A message the parent never sent cannot be proven.
    const gap = await send(sub2, sub2.tx.parentInbox.deliver(hash, 1, proof.proof), k.alice);
    assert.match(gap.error, /^parentInbox\.(MessageNotFound|InvalidProof)$/);
    // Nor can anything against a header the light client never finalized.
    const neverFinalized = `0x${'11'.repeat(32)}`;
    const unknown = await send(sub2, sub2.tx.parentInbox.deliver(neverFinalized, 1, proof.proof), k.alice);
    assert.equal(unknown.error, 'parentInbox.UnknownParentHeader');
    // The light client follows a forced change of the parent's voters only through parent
    // headers that link to its own and force the change (the development parent, one voter,
    // never forces one); refused with a named error, and paid for.
    const head = (await sub2.query.parentGrandpa.bestFinalized()).unwrap();
    const headNumber = head[0].toNumber();
    const justification = {
      round: 1,
      commit: { targetHash: head[1].toHex(), targetNumber: headNumber, precommits: [] },
      votesAncestries: [],
    };
    const follow = (headers) => send(sub2, sub2.tx.parentInbox.followParentForcedChange(headers, justification), k.alice);
    assert.equal((await follow([])).error, 'parentInbox.NoHeaders');
    const headerAt = async (n) => parent.rpc.chain.getHeader(await parent.rpc.chain.getBlockHash(n));
    assert.equal((await follow([await headerAt(headNumber + 2)])).error, 'parentInbox.HeadersNotLinked');
    assert.equal((await follow([await headerAt(headNumber + 1)])).error, 'parentInbox.NoForcedChange');
    // The member list changes through the inbox only: sub-chain 1 still has no such member.
    assert.ok((await sub.query.subchain.members(k.outsider.address)).isNone);
  });

  it("a kick the parent approves removes the node from sub-chain 2, delivered by the relay with a proof", async () => {
    const kick = parent.createType(parent.tx.membershipVoting.import.meta.args[0].type.toString(),
      { Kick: { member: k.outsider.address, reason: 'Misconduct' } });
    const imported = await sendOk(parent, council(parent, parent.tx.membershipVoting.import(kick)), k.alice);
    const index = eventsOf(parent, imported, 'membershipVoting', 'Proposed')[0].data.index.toNumber();
    const result = await sendOk(parent, parent.tx.membershipVoting.vote(index, true), k.alice);
    const [executed] = eventsOf(parent, result, 'membershipVoting', 'Executed');
    assert.ok(executed.data.result.isOk, executed.data.result.toString());
    const [removed] = eventsOf(parent, result, 'billerRegistry', 'MemberRemoved');
    assert.equal(removed.data.subchain.toNumber(), 2);
    assert.ok((await parent.query.billerRegistry.memberOf(k.outsider.address)).isNone);
    const message = (await (await parent.at(result.inBlock)).query.membershipVoting.outbox({ Subchain: 2 }, 1)).unwrap();
    assert.ok(message.isRemove);
    assert.equal(message.asRemove.who.toString(), k.outsider.address);

    // Sub-chain 2 applies it once its relay has proven it: message 1, after the admission.
    await until("sub-chain 2's inbox past message 1", async () =>
      (await sub2.query.parentInbox.nextNonce()).toNumber() >= 2, 120_000);
    assert.equal((await sub2.query.parentInbox.nextNonce()).toNumber(), 2);
    assert.ok((await sub2.query.subchain.members(k.outsider.address)).isNone, 'no longer a member');
    assert.equal((await sub2.query.system.account(k.outsider.address)).data.free.toBigInt(), UNIT,
      'the endowment was paid once');
  });

  it("prunes delivered messages: the sub-chain's with a proof the relay sends, the parent's with a proof the council sends", async () => {
    // Sub-chain 1's message 0, taken by the parent, is pruned on sub-chain 1 by its relay
    // against the light client's parent header.
    const nonces = async (api, destination) =>
      (await api.query.membershipVoting.outboxNonces(destination)).map((n) => n.toNumber());
    await until("sub-chain 1's message 0 pruned", async () => (await nonces(sub, 'Parent'))[0] >= 1, 120_000);
    assert.deepEqual(await nonces(sub, 'Parent'), [1, 1]);
    assert.ok((await sub.query.membershipVoting.outbox('Parent', 0)).isNone);
    assert.equal((await sub.query.membershipVoting.outboxLen()).toNumber(), 0);
    const notRoot = await send(sub, sub.tx.membershipVoting.acknowledge('Parent', 1), k.alice);
    assert.match(notRoot.error, /badorigin/i, 'without a proof, no signed account acknowledges');
    // A proof of nothing new is refused by the outbox.
    const head = (await sub.query.parentGrandpa.bestFinalized()).unwrap()[1].toHex();
    const taken = await parent.rpc.state.getReadProof([parent.query.subchainInbox.nextNonce.key(1)], head);
    const stale = await send(sub, sub.tx.parentInbox.acknowledge(head, taken.proof), k.alice);
    assert.equal(stale.error, 'membershipVoting.AlreadyAcknowledged');

    // The parent's messages 0 and 1 for sub-chain 2 were delivered there: a proof of sub-chain
    // 2's inbox nonce at an anchored block prunes them. Pruning deletes what the parent decided,
    // so on the parent this is root's, not anyone's.
    assert.deepEqual(await nonces(parent, { Subchain: 2 }), [0, 2], 'delivered, not yet pruned');
    const anchor = await until("an anchor of sub-chain 2 past its inbox's message 1", async () => {
      const last = (await parent.query.billerRegistry.lastAnchor(2)).unwrap();
      return (await (await sub2.at(last.hash_)).query.parentInbox.nextNonce()).toNumber() === 2 && last;
    }, 120_000);
    const delivered = await sub2.rpc.state.getReadProof([sub2.query.parentInbox.nextNonce.key()], anchor.hash_);
    const ack = parent.tx.subchainInbox.acknowledge(2, anchor.number, delivered.proof);
    const anyone = await send(parent, ack, k.bob);
    assert.match(anyone.error, /badorigin/i);
    const pruned = await sendOk(parent, council(parent, ack), k.alice);
    const [acknowledged] = eventsOf(parent, pruned, 'membershipVoting', 'Acknowledged');
    assert.equal(acknowledged.data.pruned.toNumber(), 2);
    assert.deepEqual(await nonces(parent, { Subchain: 2 }), [2, 2]);
    assert.ok((await parent.query.membershipVoting.outbox({ Subchain: 2 }, 1)).isNone);
    const twice = await send(parent, council(parent, ack), k.alice);
    assert.equal(twice.innerError, 'membershipVoting.AlreadyAcknowledged');
    const ahead = await send(parent, council(parent, parent.tx.membershipVoting.acknowledge({ Subchain: 2 }, 5)), k.alice);
    assert.equal(ahead.innerError, 'membershipVoting.UnknownMessage');
  });

  it('rejects the kick once approval is out of reach and burns its deposit', async () => {
    // Nine voters besides Ferdie, five ayes needed: the fifth nay rejects (Eve's is the first).
    const nays = [k.alice, k.charlie, k.dave, k.aliceStash];
    const results = await sendEach(sub, nays.map((who) => [sub.tx.membershipVoting.vote(1, false), who]));
    assert.deepEqual(results.map((r) => r.error), nays.map(() => null));
    const rejected = results.flatMap((r) => eventsOf(sub, r, 'membershipVoting', 'Rejected'));
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].data.burned.toBigInt(), DEPOSIT);
    assert.equal(await deposit(sub, k.bob.address), 0n);
    assert.ok((await sub.query.membershipVoting.proposals(1)).isNone);
    assert.ok((await sub.query.subchain.members(k.ferdie.address)).isSome, 'Ferdie stays');
    assert.equal((await sub.query.membershipVoting.outboxLen()).toNumber(), 0, 'nothing for the parent');
  });

  it("replaces a member's meter by both layers' votes: the sub-chain proposes, the parent decides, the relay delivers", async () => {
    const ed = new Keyring({ type: 'ed25519' });
    const fresh = ed.addFromUri('//Charlie//meter//2');
    const old = (await sub.query.subchain.meters(k.charlie.address)).unwrap().key.toHex();
    const replace = (meter) => ({ ReplaceMeter: { member: k.charlie.address, meter } });
    const claim = (pair, who = k.charlie.address) => meterClaim(pair, who);
    // Another member's meter key, the key the meter has, a meter that signed for another
    // member, and a new meter someone else proposes are refused by name.
    const [[taken, same, notHers], notHerOwn] = await Promise.all([
      sendAll(sub, [
        sub.tx.membershipVoting.propose(replace(claim(ed.addFromUri('//Bob//meter')))),
        sub.tx.membershipVoting.propose(replace(claim(ed.addFromUri('//Charlie//meter')))),
        sub.tx.membershipVoting.propose(replace(claim(fresh, k.dave.address)))
      ], k.charlie),
      send(sub, sub.tx.membershipVoting.propose(replace(claim(fresh))), k.dave)
    ]);
    assert.equal(taken.error, 'membershipVoting.MeterInUse');
    assert.equal(same.error, 'membershipVoting.MeterUnchanged');
    assert.equal(notHers.error, 'membershipVoting.BadMeterProof');
    assert.equal(notHerOwn.error, 'membershipVoting.NotTheMembersOwn');

    const proposed = await sendOk(sub, sub.tx.membershipVoting.propose(replace(claim(fresh))), k.charlie);
    const index = eventsOf(sub, proposed, 'membershipVoting', 'Proposed')[0].data.index.toNumber();
    const open = (await sub.call.membershipApi.proposals()).find((p) => p.index.toNumber() === index);
    assert.equal(open.required.toNumber(), 5, '51% of the nine members besides Charlie, its subject');
    const voters = [k.alice, k.bob, k.dave, k.eve, k.ferdie];
    const results = await sendEach(sub, voters.map((who) => [sub.tx.membershipVoting.vote(index, true), who]));
    assert.deepEqual(results.map((r) => r.error), voters.map(() => null));
    assert.equal(results.flatMap((r) => eventsOf(sub, r, 'membershipVoting', 'Executed')).length, 1);
    assert.equal((await sub.query.subchain.meters(k.charlie.address)).unwrap().key.toHex(), old,
      'unchanged until the parent decides');

    const onParent = await until('the replacement open on the parent', async () =>
      (await parent.query.membershipVoting.proposalAbout(k.charlie.address)).unwrapOr(null), 120_000);
    const decided = await sendOk(parent, parent.tx.membershipVoting.vote(onParent, true), k.alice);
    const [executed] = eventsOf(parent, decided, 'membershipVoting', 'Executed');
    assert.ok(executed.data.result.isOk, executed.data.result.toString());
    const sent = (await (await parent.at(decided.inBlock)).query.membershipVoting.outbox.entries({ Subchain: 1 }))
      .map(([, message]) => message.unwrap()).find((m) => m.isSetMeter);
    assert.equal(sent.asSetMeter.who.toString(), k.charlie.address);

    const now = await until('the new meter on sub-chain 1', async () => {
      const key = (await sub.query.subchain.meters(k.charlie.address)).unwrap().key.toHex();
      return key === u8aToHex(fresh.publicKey) ? key : null;
    }, 120_000);
    assert.equal((await sub.query.subchain.meterOwners(now)).unwrap().toString(), k.charlie.address);
    assert.ok((await sub.query.subchain.meterOwners(old)).isNone, 'the old key is no meter any more');
  });

  it('keeps the parent authorities while a new set would have fewer than four voters', async () => {
    const setKeys = (name, who) => parent.tx.billerRegistry.setParentKeys(...parentKeys(name, who.address));
    const r = parent.query.billerRegistry;
    // Eve's stash is funded on the parent but neither an operator nor a member of a sub-chain.
    assert.ok((await r.memberOf(k.eveStash.address)).isNone);
    const notEligible = await send(parent, setKeys('Eve//stash', k.eveStash), k.eveStash);
    assert.equal(notEligible.error, 'billerRegistry.NotEligible', 'only operators and committee members register keys');
    await sendOk(parent, council(parent, parent.tx.billerRegistry.setOperators([k.alice.address, k.bob.address])), k.alice);
    assert.deepEqual((await r.operators()).map(String), [k.alice.address, k.bob.address]);
    // Keys with a proof made for another account, or with no proof, are not Bob's.
    const [bobKeys, forAlice] = parentKeys('Bob', k.alice.address);
    const [wrongOwner, noProof] = await Promise.all([
      send(parent, parent.tx.billerRegistry.setParentKeys(bobKeys, forAlice), k.bob),
      send(parent, parent.tx.billerRegistry.setParentKeys(bobKeys, '0x'), k.charlie)
    ]);
    assert.equal(wrongOwner.error, 'billerRegistry.InvalidKeyProof');
    assert.equal(noProof.error, 'billerRegistry.NotEligible', 'Charlie is neither operator nor committee member');
    assert.ok((await r.parentKeys(k.bob.address)).isNone);
    // The development keys are public: Bob can prove Alice's, which are hers all the same.
    const taken = await send(parent, setKeys('Alice', k.bob), k.bob);
    assert.equal(taken.error, 'billerRegistry.KeysInUse');

    const result = await sendOk(parent, setKeys('Bob', k.bob), k.bob);
    const number = (await parent.rpc.chain.getHeader(result.inBlock)).number.toNumber();
    // The set is computed in the next block's `on_initialize`: two voters are too few.
    await until(`parent block ${number + 1} finalized`, async () => (await finalizedNumber(parent)) > number);
    const next = await parent.rpc.chain.getBlockHash(number + 1);
    const events = await (await parent.at(next)).query.system.events();
    const small = events.filter(({ event }) => parent.events.billerRegistry.AuthoritySetTooSmall.is(event));
    assert.equal(small.length, 1, 'AuthoritySetTooSmall in the next block');
    assert.equal(small[0].event.data.count.toNumber(), 2);
    assert.deepEqual((await r.authorities()).map(String), [k.alice.address]);
    assert.equal((await parent.query.aura.authorities()).length, 1);
    assert.equal((await parent.call.grandpaApi.grandpaAuthorities()).length, 1);
    assert.equal((await r.authoritiesStale()).isTrue, false);
  });
});
