// The parent chain's registry of sub-chains (pallet-biller-registry) driven by polkadot.js on a
// fresh `dbm-node --dev` network, across both layers: sub-chain 1 is registered in the parent's
// genesis with its real genesis hash and its members, a member is added and one suspended, an
// election proof signed by members is confirmed from an outside submitter, the sub-chain's
// genesis is anchored with a proof of its GRANDPA voters and then its real headers and trade
// batches (read from the live sub-chain's RPC) in segments, each finalized by the justification
// the sub-chain's own voters made, a trade made on the sub-chain is proven on the parent with
// the sub-chain's Merkle proof, overdue anchors are noticed (and punish nobody), and every refused call has its
// pallet error name with the state left unchanged.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';
import { devAccounts } from '../lib/accounts.js';
import { MILLI_UNIT, connect, finalizedEvent, tradeRootOf, until } from '../lib/chain.js';
import { terms } from '../lib/energy.js';
import { startDevNetwork } from '../lib/network.js';
import {
  anchorState, anchoredBlock, confirmations, electionState, electionStatement, equivocationProof, votersOf, fabricated, flipped, forgedJustification,
  registeredElection,
  grandpaJustification, keptSegment, memberInfo, nextSegment, segmentTo, subBlock,
  tradeTypes
} from '../lib/registry.js';
import { council, eventsOf, send, sendAll, sendInTurns, sendOk } from '../lib/tx.js';

/** The sub-chain this file registers (the dev network's `sub-1`). */
const SUB = 1;
/** `Quorum` of the parent runtime, in percent. */
const QUORUM = 51;
/** `AnchorsOverdueAfter` of the parent runtime: a minute of half-second blocks. */
const OVERDUE = 120;
/** Members of a development sub-chain's genesis: a group of the paper's table. */
const GENESIS_MEMBERS = 10;

/** The confirmations an election needs: `QUORUM` of the active members, rounded up, at least one. */
const quorumOf = (active) => Math.max(1, Math.ceil((active * QUORUM) / 100));

describe('biller registry on the parent chain with polkadot.js', () => {
  let network, api, subProvider, subApi, k;
  // Type names of the parent's metadata: the anchor's trade records and `verifyTrade`'s proof;
  // what `subBlock` reads the sub-chain with.
  let recordType, proofType, chains;

  before(async () => {
    k = await devAccounts(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'], { outsider: '//Outsider', newcomer: '//Newcomer' });
    // Without the relay: this file anchors the sub-chain's blocks itself, and needs them to stop.
    network = await startDevNetwork({ subchains: 1, relay: false });
    api = await connect(network, 0);
    subProvider = new WsProvider(network.endpoint(SUB));
    subApi = await connect(network, SUB, subProvider);
    ({ recordType, proofType } = tradeTypes(api));
    chains = { api, subApi, subProvider, recordType };
  });

  after(async () => {
    if (subApi) await subApi.disconnect();
    if (api) await api.disconnect();
    if (network) await network.stop();
  });

  const q = () => api.query.billerRegistry;
  const registry = () => api.call.registryApi;
  const subRpc = (method, params = []) => subProvider.send(method, params);
  /** The number of the parent block `hash`. */
  const parentNumber = async (hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();
  const memberCount = async () => (await q().memberCount(SUB)).map((n) => n.toNumber());
  const addresses = (list) => list.map((a) => a.toString());
  /** An anchor of `blocks` (as the call takes them) with `justification` (hex). */
  const anchor = (blocks, justification, subchain = SUB) => api.tx.billerRegistry.anchor(subchain, blocks, justification);
  /** The anchor of a finalized `segment` (`keptSegment`, `nextSegment`) of sub-chain 1. */
  const anchorSegment = (segment) => anchor(segment.blocks.map((block) => anchoredBlock(block)), segment.justification);

  // Carried from one step to the next.
  const state = {};

  it('reads constants, storage and the runtime API from metadata alone: sub-chain 1 from genesis', async () => {
    assert.equal(api.runtimeVersion.specName.toString(), 'dbm-parent');
    assert.equal(subApi.runtimeVersion.specName.toString(), 'dbm-sub');
    assert.deepEqual([...api.tx.billerRegistry.registerSubchain.callIndex], [7, 0], 'pallet index 7');
    assert.deepEqual([...api.tx.billerRegistry.anchor.callIndex], [7, 8]);
    assert.deepEqual([...api.tx.billerRegistry.anchorGenesis.callIndex], [7, 13]);

    const c = api.consts.billerRegistry;
    assert.equal(c.maxSubchains.toNumber(), 16);
    assert.equal(c.maxMembers.toNumber(), 100);
    assert.equal(c.maxHeaderLen.toNumber(), 2_048);
    assert.equal(c.maxTradesPerAnchor.toNumber(), 4_096, 'four full blocks of trades');
    assert.equal(c.maxSegment.toNumber(), 64, 'half a minute of half-second sub-chain blocks');
    assert.equal(c.maxJustificationLen.toNumber(), 65_536);
    assert.equal(c.maxAncestry.toNumber(), 64);
    assert.equal(c.maxVoters.toNumber(), 32);
    assert.equal(c.maxProofSize.toNumber(), 16_384);
    assert.equal(c.maxProofNodes.toNumber(), 16);
    assert.equal(c.anchorWindow.toNumber(), 7_200, 'an hour of half-second sub-chain blocks');
    assert.equal(c.epochLength.toNumber(), 7_200, 'an hour of half-second sub-chain blocks');
    assert.equal(c.maxEpochs.toNumber(), 168);
    assert.equal(c.quorum.toNumber(), QUORUM);
    assert.equal(c.termLength.toNumber(), 24 * 7_200, 'a day of half-second blocks');
    assert.equal(c.anchorsOverdueAfter.toNumber(), OVERDUE, 'a minute of half-second blocks');

    // The development parent registers the sub-chain `--dev` runs in its genesis: the genesis
    // hash is the sub-chain's real one, its members and genesis committee are those of the
    // sub-chain's own genesis.
    const genesis = await subRpc('chain_getBlockHash', [0]);
    assert.equal(genesis, subApi.genesisHash.toHex());
    assert.notEqual(genesis, api.genesisHash.toHex());
    assert.equal((await subApi.query.subchain.id()).unwrap().toNumber(), SUB, 'the sub-chain knows itself as sub-chain 1');
    assert.equal((await q().subchains.entries()).length, 1);
    assert.equal((await q().counterForSubchains()).toNumber(), 1);
    const info = (await q().subchains(SUB)).unwrap();
    assert.equal(info.genesisHash.toHex(), genesis);
    assert.equal(info.name.toUtf8(), 'DB-Microgrid Sub-chain 1');
    assert.equal(info.location.toUtf8(), 'DEV-1');
    assert.notEqual(info.chainSpecHash.toHex(), u8aToHex(new Uint8Array(32)));
    assert.deepEqual(info.bootNodes.map((b) => b.toUtf8()), []);
    assert.ok(info.status.isActive);
    assert.equal(info.registeredAt.toNumber(), 0);
    assert.ok((await q().subchains(2)).isNone, 'only the sub-chains the network runs');
    const subMembers = (await subApi.query.subchain.members.entries())
      .map(([key, value]) => [key.args[0].toString(), value.toHex()]).sort();
    assert.equal(subMembers.length, GENESIS_MEMBERS);
    const parentMembers = (await q().members.entries(SUB))
      .map(([key, value]) => [key.args[1].toString(), value.toHex()]).sort();
    assert.deepEqual(parentMembers, subMembers, "the parent holds the sub-chain's members byte for byte");
    assert.equal((await q().memberOf(k.alice.address)).unwrap().toNumber(), SUB);
    assert.deepEqual(await memberCount(), [GENESIS_MEMBERS, GENESIS_MEMBERS]);
    const election = (await q().elections(SUB)).unwrap();
    assert.equal(election.round.toNumber(), 0);
    assert.deepEqual(addresses(election.committee), addresses(await subApi.query.dbsca.committee()));
    assert.deepEqual(addresses(election.committee), [k.alice.address]);
    assert.ok((await q().lastAnchor(SUB)).isNone);
    assert.ok((await q().voters(SUB)).isNone, 'no voters followed before the genesis is anchored');
    assert.equal((await q().anchors.entries()).length, 0);
    assert.equal((await q().anchorEpochs.entries()).length, 0);
    state.genesis = genesis;
    state.chainSpecHash = info.chainSpecHash.toHex();

    // The genesis as a relayer anchors it, with the proof of the sub-chain's GRANDPA voters in
    // its state: read first thing, while the sub-chain node (no relay: default state pruning)
    // still has that state. The dev sub-chain's one voter: Alice's ed25519 key, of weight 1.
    const genesisBlock = await subBlock(chains, 0);
    assert.equal(genesisBlock.hash, genesis);
    assert.ok(genesisBlock.voters.length > 0, "a proof of the sub-chain's genesis voters");
    const subVoters = (await subApi.query.grandpa.authorities.at(genesis)).map(([id, weight]) => [id.toHex(), weight.toNumber()]);
    assert.deepEqual(subVoters, [[u8aToHex(new Keyring({ type: 'ed25519' }).addFromUri('//Alice').publicKey), 1]]);
    state.genesisBlock = genesisBlock;
    state.subVoters = subVoters;

    assert.ok(api.call.registryApi, 'RegistryApi in the metadata');
    const listed = await registry().subchains();
    assert.equal(listed.length, 1);
    assert.equal(listed[0][0].toNumber(), SUB);
    assert.equal(listed[0][1].toHex(), info.toHex(), 'the runtime API shows the stored registration');
    assert.equal((await registry().members(SUB)).length, GENESIS_MEMBERS);
    const [round, inForce] = (await registry().committee(SUB)).unwrap();
    assert.equal(round.toNumber(), 0);
    assert.deepEqual(addresses(inForce), [k.alice.address]);
    assert.ok((await registry().lastAnchor(SUB)).isNone);
    assert.ok((await registry().anchorLocation(SUB, 1)).isNone);
    assert.ok((await registry().verifyTrade(SUB, 1, api.createType(proofType))).isFalse);
    assert.match(recordType, /TradeRecord/);
    assert.match(proofType, /TradeProof/);
  });

  it('a member trades on the sub-chain: its block is the one to prove on the parent later', async () => {
    const base = (await subApi.rpc.chain.getHeader()).number.toNumber();
    const price = 200n * MILLI_UNIT;
    const energyWh = 10_000;
    const posted = await sendOk(subApi, subApi.tx.energyTrade.postDemand(terms(base, { energyWh, price }), 'Any', false), k.alice);
    const [offered] = eventsOf(subApi, posted, 'energyTrade', 'OfferPosted');
    assert.ok(offered, 'an OfferPosted event');
    const accepted = await sendOk(subApi, subApi.tx.energyTrade.acceptOffer(offered.data.offer, energyWh), k.bob);
    const [taken] = eventsOf(subApi, accepted, 'energyTrade', 'OfferAccepted');
    assert.ok(taken, 'an OfferAccepted event');
    const trade = taken.data.trade.toNumber();

    const hash = accepted.finalized;
    const header = await subApi.rpc.chain.getHeader(hash);
    const batch = await subRpc('energy_blockTrades', [hash]);
    const index = batch.records.findIndex((r) => r.trade === trade && r.outcome === 'matched');
    assert.ok(index >= 0, `the matched record of trade ${trade} in ${JSON.stringify(batch.records)}`);
    assert.equal(batch.records[index].buyer, k.alice.address);
    assert.equal(batch.records[index].seller, k.bob.address);
    const [root, count] = tradeRootOf(subApi, header);
    assert.equal(root, batch.root);
    assert.equal(count, batch.records.length);
    assert.notEqual(root, u8aToHex(new Uint8Array(32)), 'a block with trades has a non-zero root');
    state.trade = { id: trade, hash, number: header.number.toNumber(), index };
  });

  it('refuses bad registrations: sub-chain 1 again, names, areas and boot nodes too long', async () => {
    const listening = (await subRpc('system_localListenAddresses')).filter((a) => a.includes('/p2p/'));
    assert.ok(listening.length > 0, 'the sub-chain node listens');
    const bootNode = listening[0];
    state.bootNode = bootNode;
    const chainSpecHash = state.chainSpecHash;

    const before = (await q().subchains(SUB)).toHex();
    const register = (id, overrides = {}) => {
      const a = { name: 'feeder 2', location: 'area 2', bootNodes: [], ...overrides };
      return council(api, api.tx.billerRegistry.registerSubchain(id, a.name, a.location, blake2AsHex('genesis 2'), chainSpecHash, a.bootNodes));
    };
    const bad = await sendAll(api, [
      register(SUB),
      register(2, { name: 'n'.repeat(65) }),
      register(2, { location: 'l'.repeat(65) }),
      register(2, { bootNodes: Array(9).fill(bootNode) }),
      register(2, { bootNodes: [`/ip4/127.0.0.1/tcp/1/p2p/${'x'.repeat(256)}`] })
    ], k.alice);
    assert.deepEqual(bad.map((r) => r.error || r.innerError), [
      'billerRegistry.AlreadyRegistered',
      'billerRegistry.NameTooLong',
      'billerRegistry.LocationTooLong',
      'billerRegistry.TooManyBootNodes',
      'billerRegistry.BootNodeTooLong'
    ]);
    for (const r of bad) assert.equal(eventsOf(api, r, 'billerRegistry', 'SubchainRegistered').length, 0);
    assert.equal((await q().subchains(SUB)).toHex(), before);
    assert.ok((await q().subchains(2)).isNone);
    assert.equal((await q().counterForSubchains()).toNumber(), 1);
  });

  it("takes the registry's decisions from the council of the parent authorities, not from one key", async () => {
    // The council is the authority set (on the development network, Alice alone), in the
    // runtime's account order.
    const byKey = (a, b) => (u8aToHex(decodeAddress(a)) < u8aToHex(decodeAddress(b)) ? -1 : 1);
    const authorities = addresses(await q().authorities());
    assert.deepEqual(addresses(await api.query.council.members()), [...authorities].sort(byKey));
    assert.ok(!authorities.includes(k.bob.address), 'Bob is no parent authority');

    const bootNodes = (await q().subchains(SUB)).unwrap().bootNodes.map((node) => node.toHex());
    const call = api.tx.billerRegistry.setBootNodes(SUB, bootNodes);
    const length = call.method.encodedLength;
    const [direct, outsider, outsiderExecutes] = await Promise.all([
      // An authority's own signature is not the council's.
      send(api, call, k.alice),
      // Only members propose, or execute.
      send(api, api.tx.council.propose(1, call, length), k.bob),
      send(api, api.tx.council.execute(call, length), k.charlie)
    ]);
    assert.match(direct.error, /badorigin/i);
    assert.equal(outsider.error, 'council.NotMember');
    assert.equal(outsiderExecutes.error, 'council.NotMember');
    // A member executing a call dispatches it as one member: refused by the registry.
    const own = await send(api, api.tx.council.execute(call, length), k.alice);
    assert.equal(own.error, null);
    assert.match(own.innerError, /badorigin/i);
    assert.equal(eventsOf(api, own, 'billerRegistry', 'BootNodesSet').length, 0);

    // A motion with the ayes of two thirds of the council (here one of one) is the registry's
    // governance origin.
    const decided = await sendOk(api, council(api, call), k.alice);
    const [executed] = eventsOf(api, decided, 'council', 'Executed');
    assert.ok(executed.data.result.isOk);
    assert.equal(eventsOf(api, decided, 'billerRegistry', 'BootNodesSet').length, 1);
  });

  it('adds a member, suspends one, and refuses bad membership changes', async () => {
    const result = await sendOk(api, council(api, api.tx.billerRegistry.addMember(SUB, k.newcomer.address, memberInfo(0))), k.alice);
    const [event] = eventsOf(api, result, 'billerRegistry', 'MemberAdded');
    assert.ok(event, 'a MemberAdded event');
    assert.equal(event.data.subchain.toNumber(), SUB);
    assert.equal(event.data.who.toString(), k.newcomer.address);
    assert.equal((await q().memberOf(k.newcomer.address)).unwrap().toNumber(), SUB);
    const stored = (await q().members(SUB, k.newcomer.address)).unwrap();
    assert.ok(stored.role.isGenerator);
    assert.ok(stored.attested.renewable.isTrue);
    assert.equal(stored.attested.environmental.toNumber(), memberInfo(0).attested.environmental);
    assert.equal(stored.attested.cost.toNumber(), memberInfo(0).attested.cost);
    assert.equal(stored.attested.stability.toNumber(), 900_000);
    assert.ok(stored.suspended.isFalse);
    assert.deepEqual(await memberCount(), [GENESIS_MEMBERS + 1, GENESIS_MEMBERS + 1]);
    const listed = await registry().members(SUB);
    assert.equal(listed.length, GENESIS_MEMBERS + 1);
    assert.ok(addresses(listed.map(([who]) => who)).includes(k.newcomer.address));
    for (const [who, info] of listed) assert.equal(info.toHex(), (await q().members(SUB, who)).unwrap().toHex());

    // Ferdie is suspended by the vote; in the same go, changes the registry refuses.
    const aliceBefore = (await q().members(SUB, k.alice.address)).toHex();
    const results = await sendAll(api, [
      council(api, api.tx.billerRegistry.updateMember(k.ferdie.address, { ...memberInfo(5, true), attested: (await q().members(SUB, k.ferdie.address)).unwrap().attested })),
      council(api, api.tx.billerRegistry.addMember(SUB, k.alice.address, memberInfo(0))),
      council(api, api.tx.billerRegistry.addMember(2, k.eveStash.address, memberInfo(0))),
      council(api, api.tx.billerRegistry.updateMember(k.outsider.address, memberInfo(0))),
      council(api, api.tx.billerRegistry.removeMember(k.outsider.address))
    ], k.alice);
    assert.deepEqual(results.map((r) => r.error || r.innerError), [
      null,
      'billerRegistry.AlreadyMember',
      'billerRegistry.UnknownSubchain',
      'billerRegistry.NotMember',
      'billerRegistry.NotMember'
    ]);
    const [updated] = eventsOf(api, results[0], 'billerRegistry', 'MemberUpdated');
    assert.ok(updated, 'a MemberUpdated event');
    assert.equal(updated.data.subchain.toNumber(), SUB);
    assert.equal(updated.data.who.toString(), k.ferdie.address);
    for (const r of results.slice(1)) {
      assert.equal(eventsOf(api, r, 'billerRegistry', 'MemberAdded').length +
        eventsOf(api, r, 'billerRegistry', 'MemberUpdated').length +
        eventsOf(api, r, 'billerRegistry', 'MemberRemoved').length, 0, 'a refused change emits no event');
    }
    assert.ok((await q().members(SUB, k.ferdie.address)).unwrap().suspended.isTrue);
    assert.equal((await q().memberOf(k.ferdie.address)).unwrap().toNumber(), SUB, 'a suspended member keeps its place');
    assert.deepEqual(await memberCount(), [GENESIS_MEMBERS + 1, GENESIS_MEMBERS], 'eleven members, ten active');
    assert.equal((await q().members(SUB, k.alice.address)).toHex(), aliceBefore);
    assert.ok((await q().memberOf(k.eveStash.address)).isNone);
    assert.ok((await q().memberOf(k.outsider.address)).isNone);
    assert.equal((await registry().members(SUB)).length, GENESIS_MEMBERS + 1);
  });

  it('confirms an election proof from a submitter that is not a member, and refuses bad proofs', async () => {
    const [, active] = await memberCount();
    assert.equal(active, GENESIS_MEMBERS);
    const needed = quorumOf(active);
    assert.equal(needed, 6, '51% of ten, rounded up');
    // The relayer: funded, not a member.
    assert.ok((await q().memberOf(k.ferdieStash.address)).isNone);
    assert.ok((await api.query.system.account(k.ferdieStash.address)).data.free.toBigInt() > 0n);

    // Bob and Charlie, confirmed by six members: nothing from Alice, the node that might have
    // died.
    const committee = [k.bob, k.charlie];
    // The statement names the sub-chain's genesis hash and the member set its round counted:
    // here the ten active members the registry holds now.
    const ctx = await registeredElection(api, SUB);
    assert.equal(ctx.members.count, GENESIS_MEMBERS);
    const payload = electionStatement(api, SUB, 1, committee, ctx);
    assert.equal(payload.length, 16 + 32 + 4 + 4 + 4 + 32 + 1 + 2 * 32 + 1 + 2 * 32);
    const signers = [k.bob, k.charlie, k.dave, k.eve, k.aliceStash, k.bobStash];
    assert.equal(signers.length, needed);
    const five = signers.slice(0, 5);
    const result = await sendOk(api, api.tx.billerRegistry.submitElection(
      SUB, 1, ctx.members, committee.map((m) => m.address), votersOf(committee), confirmations(signers, payload)), k.ferdieStash);
    const [event] = eventsOf(api, result, 'billerRegistry', 'ElectionConfirmed');
    assert.ok(event, 'an ElectionConfirmed event');
    assert.equal(event.data.subchain.toNumber(), SUB);
    assert.equal(event.data.round.toNumber(), 1);
    assert.deepEqual(addresses(event.data.committee), committee.map((m) => m.address));
    const election = (await q().elections(SUB)).unwrap();
    assert.equal(election.round.toNumber(), 1);
    assert.deepEqual(addresses(election.committee), committee.map((m) => m.address));
    assert.deepEqual(election.voters.map((key) => key.toHex()), votersOf(committee), 'the GRANDPA keys the statement named');
    const waiting = await q().unenacted(SUB);
    assert.deepEqual(waiting.map((e) => e.round.toNumber()), [1], 'a voter set the sub-chain may now hand over to');
    assert.equal(election.confirmedAt.toNumber(), await parentNumber(result.finalized));
    const [round, inForce] = (await registry().committee(SUB)).unwrap();
    assert.equal(round.toNumber(), 1);
    assert.deepEqual(addresses(inForce), [k.bob.address, k.charlie.address], 'Bob is the biller');
    assert.ok((await q().reelections(SUB)).isNone, 'a confirmed election answers any request');

    // Bad proofs, one per submitter so they go in parallel.
    const before = await electionState(api, SUB);
    const p2 = electionStatement(api, SUB, 2, committee, ctx);
    const submit = (round, members, confs, subchain = SUB, set = ctx.members, voters = votersOf(members)) =>
      api.tx.billerRegistry.submitElection(subchain, round, set, members.map((m) => (m.address ? m.address : m)), voters, confs);
    // A set of one (Bob alone) the sub-chain never had, and the real set under another genesis.
    const alone = { count: 1, digest: u8aToHex(blake2AsU8a(decodeAddress(k.bob.address))) };
    const otherDeployment = { ...ctx, genesis: u8aToHex(new Uint8Array(32).fill(7)) };
    const thirtyThree = Array.from({ length: 33 }, (_, i) => u8aToHex(new Uint8Array(32).fill(i + 1)));
    const tooMany = Array.from({ length: 101 }, (_, i) => [u8aToHex(new Uint8Array(32).fill(i + 1)), { Sr25519: new Uint8Array(64) }]);
    const bad = await Promise.all([
      send(api, submit(1, committee, confirmations(signers, payload)), k.aliceStash),
      send(api, submit(2, committee, confirmations(five, p2)), k.bobStash),
      send(api, submit(2, committee, [...confirmations(five, p2), ...confirmations([k.bobStash], payload)]), k.charlieStash),
      send(api, submit(2, [k.charlie, k.bob], confirmations(signers, p2)), k.ferdie),
      send(api, submit(2, committee, confirmations([...five, k.ferdieStash], p2)), k.daveStash),
      send(api, submit(2, committee, confirmations([...five, k.ferdie], p2)), k.eveStash),
      send(api, submit(2, committee, confirmations([k.bob, ...five], p2)), k.eve),
      send(api, submit(2, [k.bob, k.ferdie], confirmations(signers, electionStatement(api, SUB, 2, [k.bob, k.ferdie], ctx))), k.dave),
      send(api, submit(2, [], confirmations(signers, electionStatement(api, SUB, 2, [], ctx))), k.charlie),
      send(api, submit(2, committee, confirmations(signers, electionStatement(api, 2, 2, committee, ctx)), 2), k.bob),
      send(api, submit(2, thirtyThree, []), k.alice),
      send(api, submit(2, committee, tooMany), k.ferdieStash)
    ]);
    assert.deepEqual(bad.map((r) => r.error || r.innerError), [
      'billerRegistry.StaleRound',
      'billerRegistry.TooFewConfirmations',
      'billerRegistry.BadSignature', // Bob's stash signed round 1's statement
      'billerRegistry.BadSignature', // signed for Bob first, submitted with Charlie first
      'billerRegistry.ConfirmationByNonMember',
      'billerRegistry.ConfirmationByNonMember', // Ferdie is suspended
      'billerRegistry.DuplicateConfirmation',
      'billerRegistry.InvalidCommittee', // Ferdie is suspended
      'billerRegistry.EmptyCommittee',
      'billerRegistry.UnknownSubchain',
      'billerRegistry.CommitteeTooLarge',
      'billerRegistry.TooManyConfirmations'
    ]);
    // Bob alone names a set of one and signs it; a proof of another deployment with the same
    // member keys is replayed here.
    const replays = await Promise.all([
      send(api, submit(2, committee, confirmations([k.bob], electionStatement(api, SUB, 2, committee, { ...ctx, members: alone })), SUB, alone), k.bob),
      send(api, submit(2, committee, confirmations(signers, electionStatement(api, SUB, 2, committee, otherDeployment))), k.alice),
      // One GRANDPA key for two members; keys other than those the members signed.
      send(api, submit(2, committee, confirmations(signers, p2), SUB, ctx.members, votersOf([k.bob])), k.charlie),
      send(api, submit(2, committee, confirmations(signers, p2), SUB, ctx.members, votersOf([k.charlie, k.bob])), k.dave)
    ]);
    assert.deepEqual(replays.map((r) => r.error), [
      'billerRegistry.UnknownMemberSet', 'billerRegistry.BadSignature', 'billerRegistry.InvalidVoters', 'billerRegistry.BadSignature'
    ]);
    bad.push(...replays);
    for (const r of bad) assert.equal(eventsOf(api, r, 'billerRegistry', 'ElectionConfirmed').length, 0);
    assert.deepEqual(await electionState(api, SUB), before, 'the confirmed election is unchanged');
    assert.ok((await q().elections(2)).isNone);
  });

  it('anchors the genesis with its voters and finalized segments of real sub-chain blocks, and refuses bad anchors', async () => {
    const { genesisBlock: genesis, subVoters } = state;
    assert.equal(genesis.hash, state.genesis, 'block 0 is the registered genesis');

    // What a relayer catching up anchors first: the blocks up to the first whose justification
    // the node keeps (the first block GRANDPA finalized), then up to the next kept one (where
    // finality passed a multiple of 32 blocks): [1] and [2..=32] on the dev sub-chain, whose
    // one voter finalizes its blocks one by one.
    const first = await keptSegment(chains, 0);
    const second = await keptSegment(chains, first.end);
    const segments = [first, second];
    const top = second.end;
    const blocks = [genesis, ...first.blocks, ...second.blocks];
    blocks.forEach((block, n) => assert.equal(block.number, n));
    for (const block of blocks.slice(1)) assert.equal(block.header.parentHash.toHex(), blocks[block.number - 1].hash);
    for (const { blocks: segment, justification, end } of segments) {
      const { commit } = grandpaJustification(subApi, justification);
      assert.equal(commit.targetNumber.toNumber(), end, 'the justification is of the last block of its segment');
      assert.equal(commit.targetHash.toHex(), segment[segment.length - 1].hash);
    }
    const anchorGenesis = (header, voters = genesis.voters) => api.tx.billerRegistry.anchorGenesis(SUB, header, voters);

    // Nothing before the genesis, and the genesis only as the registered header with the proof
    // of its voters.
    const early = await Promise.all([
      send(api, anchorSegment(first), k.bob),
      send(api, anchorGenesis(first.blocks[0].bytes), k.charlie),
      send(api, anchorGenesis(u8aToHex(flipped(hexToU8a(genesis.bytes), 0))), k.dave),
      send(api, anchorGenesis(genesis.bytes, []), k.eve),
      send(api, anchorGenesis(genesis.bytes, [u8aToHex(new Uint8Array(16_385))]), k.ferdie)
    ]);
    assert.deepEqual(early.map((r) => r.error), [
      'billerRegistry.Gap', // a segment before the genesis
      'billerRegistry.Gap', // block 1's header as the genesis
      'billerRegistry.NotGenesis', // another parent hash: still a header, not the registered one
      'billerRegistry.InvalidProof', // the genesis without the proof of its voters
      'billerRegistry.ProofTooLarge'
    ]);
    for (const r of early) assert.equal(eventsOf(api, r, 'billerRegistry', 'Anchored').length, 0);
    assert.ok((await q().lastAnchor(SUB)).isNone);
    assert.ok((await q().voters(SUB)).isNone);
    assert.equal((await q().anchors.entries(SUB)).length, 0);

    // A relayer that is not a member anchors the genesis with its voters, then both segments in
    // order, each with the justification of its last block.
    const anchored = await sendAll(api, [anchorGenesis(genesis.bytes), ...segments.map(anchorSegment)], k.ferdieStash);
    anchored.forEach((result, i) => assert.equal(result.error, null, `anchor ${i} taken`));
    const [changed] = eventsOf(api, anchored[0], 'billerRegistry', 'VoterSetChanged');
    assert.ok(changed, 'a VoterSetChanged event');
    assert.equal(changed.data.subchain.toNumber(), SUB);
    assert.equal(changed.data.setId.toNumber(), 0);
    assert.equal(changed.data.from.toNumber(), 1, 'the genesis voters finalize from block 1 on');
    assert.equal(changed.data.voters.toNumber(), 1);
    const voters = (await q().voters(SUB)).unwrap();
    assert.equal(voters.setId.toNumber(), 0, 'no change scheduled: the dev sub-chain keeps its genesis committee');
    assert.equal(voters.from.toNumber(), 1);
    assert.deepEqual(voters.voters.map(([id, weight]) => [id.toHex(), weight.toNumber()]), subVoters,
      "the sub-chain's own voters, proven against its genesis state root");
    for (const r of anchored.slice(1)) assert.equal(eventsOf(api, r, 'billerRegistry', 'VoterSetChanged').length, 0);

    const anchoredIn = {};
    for (const [i, segment] of [[genesis], first.blocks, second.blocks].entries()) {
      const result = anchored[i];
      const events = eventsOf(api, result, 'billerRegistry', 'Anchored');
      assert.equal(events.length, segment.length, 'an Anchored event for each block');
      for (const [j, block] of segment.entries()) {
        const event = events[j];
        assert.equal(event.data.subchain.toNumber(), SUB);
        assert.equal(event.data.number.toNumber(), block.number);
        // Fields: subchain, number, hash (`hash_` in polkadot.js), trade root, trades.
        assert.equal(event.data[2].toHex(), block.hash, "the parent's hash of the header is the sub-chain's block hash");
        if (block.number > 0) assert.equal(event.data.tradeRoot.toHex(), block.root, "the trade root of the header's digest");
        assert.equal(event.data.trades.toNumber(), block.count);
        anchoredIn[block.number] = await parentNumber(result.finalized);

        const stored = (await q().anchors(SUB, block.number)).unwrap();
        assert.equal(stored.hash_.toHex(), block.hash);
        assert.equal(stored.stateRoot.toHex(), block.header.stateRoot.toHex(), "the header's state root");
        if (block.number > 0) assert.equal(stored.tradeRoot.toHex(), block.root);
        assert.equal(stored.tradeCount.toNumber(), block.count);
        assert.equal(stored.anchoredIn.toNumber(), anchoredIn[block.number]);
        const location = (await registry().anchorLocation(SUB, block.number)).unwrap();
        assert.ok(location.isRecent, 'a recent anchor');
        assert.equal(location.asRecent.toHex(), stored.toHex());
        assert.equal(location.asRecent.anchoredIn.toNumber(), anchoredIn[block.number], 'anchored in that parent block');
      }
    }
    const last = (await q().lastAnchor(SUB)).unwrap();
    assert.equal(last.number.toNumber(), top);
    assert.equal(last.hash_.toHex(), blocks[top].hash);
    assert.equal(last.anchoredIn.toNumber(), anchoredIn[top]);
    assert.equal((await registry().lastAnchor(SUB)).unwrap().toHex(), last.toHex());
    assert.ok((await registry().anchorLocation(SUB, top + 1)).isNone, `block ${top + 1} is not anchored`);
    const [from, to] = (await q().anchorEpochs(SUB, 0)).unwrap();
    assert.deepEqual([from.toNumber(), to.toNumber()], [anchoredIn[0], anchoredIn[top]], 'epoch 0 anchored in these parent blocks');

    // Bad anchors, one per submitter. The next segment (on the dev sub-chain up to the next
    // kept justification, or to the newest finalized block if that is nearer) gives real
    // headers after the last anchor, and a real justification to spoil; the trade's test
    // anchors it.
    const before = await anchorState(api, SUB);
    const votersBefore = (await q().voters(SUB)).toHex();
    const next = await nextSegment(chains, top);
    state.next = next;
    const [following] = next.blocks;
    assert.equal(following.number, top + 1);
    const skipping = next.blocks[1] ?? await subBlock(chains, top + 2);
    const nextBlocks = next.blocks.map((block) => anchoredBlock(block));
    const real = grandpaJustification(subApi, next.justification);
    assert.ok(real.commit.precommits.length >= 1, 'a justification holds the votes');
    // The real justification with other votes (and ancestry), encoded again.
    const spoiled = (precommits, votesAncestries = real.votesAncestries) => subApi.createType('GrandpaJustification', {
      round: real.round,
      commit: { targetHash: real.commit.targetHash, targetNumber: real.commit.targetNumber, precommits },
      votesAncestries
    }).toHex();
    assert.equal(spoiled(real.commit.precommits), next.justification, 'unspoiled, it encodes the same');
    const [vote, ...otherVotes] = real.commit.precommits;
    const spoiledVote = (change) =>
      spoiled([{ precommit: vote.precommit, signature: vote.signature, id: vote.id, ...change }, ...otherVotes]);
    const withHeader = (bytes, trades = []) => [{ header: u8aToHex(bytes), trades }];
    const fabricate = (n) => Array.from({ length: n }, () => fabricated(api, recordType, k.alice, k.bob));
    const attempts = [
      anchorSegment(first),
      anchor(withHeader(flipped(hexToU8a(blocks[top].bytes), 0), blocks[top].trades), next.justification),
      anchor([anchoredBlock(skipping)], next.justification),
      anchor([anchoredBlock(following, [...following.trades, ...fabricate(1)])], next.justification),
      anchor(withHeader(flipped(hexToU8a(following.bytes), 0), following.trades), next.justification),
      anchor([], next.justification),
      anchor(Array(65).fill(anchoredBlock(following)), next.justification),
      anchor([anchoredBlock(following, fabricate(4_097))], next.justification),
      anchor(nextBlocks, u8aToHex(new Uint8Array(65_537))),
      anchor(nextBlocks, '0x010203'),
      anchor([anchoredBlock(following)], second.justification),
      anchor(nextBlocks, spoiledVote({ id: u8aToHex(new Keyring({ type: 'ed25519' }).addFromUri('//Bob').publicKey) })),
      anchor(nextBlocks, spoiledVote({ signature: u8aToHex(flipped(vote.signature.toU8a(), 0)) })),
      // Without votes, and so without the ancestry that would link them to the last block.
      anchor(nextBlocks, spoiled([], [])),
      anchor(withHeader(new Uint8Array(2_049)), next.justification),
      anchor(withHeader(new Uint8Array(40).fill(0xff)), next.justification),
      anchor(nextBlocks, next.justification, 9)
    ];
    // One submitter per attempt at a time.
    const submitters = [k.bob, k.charlie, k.dave, k.eve, k.ferdie, k.alice,
      k.aliceStash, k.bobStash, k.charlieStash, k.daveStash, k.eveStash, k.ferdieStash];
    const bad = await sendInTurns(api, attempts, submitters);
    assert.deepEqual(bad.map((r) => r.error), [
      'billerRegistry.AlreadyAnchored', // the first segment again
      'billerRegistry.ConflictingHeader', // another header at the height of the last anchor
      'billerRegistry.Gap', // a segment that skips a block
      'billerRegistry.TradeRootMismatch', // a record added to the next block's batch
      'billerRegistry.ParentMismatch', // the next block with another parent
      'billerRegistry.EmptySegment',
      'billerRegistry.SegmentTooLong', // 65 blocks
      'billerRegistry.TooManyTrades', // 4,097 records
      'billerRegistry.JustificationTooLong', // 65,537 bytes
      'billerRegistry.BadJustification', // not a justification
      'billerRegistry.WrongJustificationTarget', // the next block with the last anchor's justification
      'billerRegistry.UnknownVoter', // a vote by Bob's key, which is no voter
      'billerRegistry.BadVote', // a byte of the vote's signature changed
      'billerRegistry.NotEnoughVotes',
      'billerRegistry.HeaderTooLong',
      'billerRegistry.BadHeader',
      'billerRegistry.UnknownSubchain'
    ]);
    for (const r of bad) assert.equal(eventsOf(api, r, 'billerRegistry', 'Anchored').length, 0);
    assert.deepEqual(await anchorState(api, SUB), before, 'the anchors are unchanged');
    assert.equal((await q().voters(SUB)).toHex(), votersBefore, 'and so are the voters');
  });

  it('anchors up to the block of the trade and proves the trade on the parent', async () => {
    const { number: tradeBlock, index } = state.trade;
    // From the last anchor on: the segment the refused anchors spoiled, then as many as it takes
    // to reach the trade's block, in order.
    assert.equal((await q().lastAnchor(SUB)).unwrap().number.toNumber() + 1, state.next.blocks[0].number);
    const segments = [state.next, ...await segmentTo(chains, state.next.end, tradeBlock)];
    const results = await sendAll(api, segments.map(anchorSegment), k.ferdieStash);
    for (const [i, result] of results.entries()) {
      const { blocks, end } = segments[i];
      assert.equal(result.error, null, `blocks ${blocks[0].number}..=${end} anchored`);
      const events = eventsOf(api, result, 'billerRegistry', 'Anchored');
      assert.equal(events.length, blocks.length, 'an Anchored event for each block');
      for (const [j, event] of events.entries()) {
        assert.equal(event.data.number.toNumber(), blocks[j].number);
        assert.equal(event.data[2].toHex(), blocks[j].hash);
        assert.equal(event.data.tradeRoot.toHex(), blocks[j].root);
      }
    }
    const { blocks: lastBlocks, end: upTo } = segments[segments.length - 1];
    assert.ok(upTo >= tradeBlock, `anchored up to ${upTo}, the trade is in ${tradeBlock}`);
    const last = (await q().lastAnchor(SUB)).unwrap();
    assert.equal(last.number.toNumber(), upTo);
    assert.equal(last.hash_.toHex(), lastBlocks[lastBlocks.length - 1].hash);
    state.lastAnchoredIn = last.anchoredIn.toNumber();
    state.upTo = upTo;
    const [from, to] = (await q().anchorEpochs(SUB, 0)).unwrap();
    assert.ok(from.toNumber() < to.toNumber());
    assert.equal(to.toNumber(), state.lastAnchoredIn);

    // The trade's block: anchored with its batch, under the root the sub-chain header carries.
    const block = await subBlock(chains, tradeBlock);
    assert.equal(block.hash, state.trade.hash);
    assert.ok(block.count >= 1);
    const anchor = (await q().anchors(SUB, tradeBlock)).unwrap();
    assert.equal(anchor.hash_.toHex(), block.hash);
    assert.equal(anchor.tradeRoot.toHex(), block.root);
    assert.equal(anchor.tradeCount.toNumber(), block.count);
    assert.ok((await registry().anchorLocation(SUB, tradeBlock)).unwrap().isRecent);

    // The sub-chain's proof of the trade, verified by the parent against the anchored root.
    const rpcProof = await subRpc('energy_tradeProof', [index, block.hash]);
    assert.ok(rpcProof, 'a proof from the sub-chain');
    assert.equal(rpcProof.verified, true, 'the sub-chain verifies it against its header');
    assert.equal(rpcProof.headerRoot, block.root);
    const proof = api.createType(proofType, hexToU8a(rpcProof.encoded));
    assert.equal(proof.toHex(), rpcProof.encoded, "the parent decodes the sub-chain's proof byte for byte");
    assert.equal(proof.record.toHex(), block.records[index].encoded);
    assert.equal(proof.record.trade.toNumber(), state.trade.id);
    assert.equal(proof.record.buyer.toString(), k.alice.address);
    assert.equal(proof.record.seller.toString(), k.bob.address);
    assert.equal(proof.index.toNumber(), index);
    assert.equal(proof.count.toNumber(), block.count);
    assert.ok((await registry().verifyTrade(SUB, tradeBlock, proof)).isTrue, 'the parent proves the trade');

    // Not for another record, another block, an unanchored block or another sub-chain.
    const forged = api.createType(proofType, flipped(hexToU8a(rpcProof.encoded), 0));
    assert.notEqual(forged.record.trade.toNumber(), state.trade.id);
    assert.ok((await registry().verifyTrade(SUB, tradeBlock, forged)).isFalse, 'a tampered record is not proven');
    const recounted = api.createType(proofType, { record: proof.record, index: proof.index, count: proof.count.toNumber() + 1, path: proof.path });
    assert.ok((await registry().verifyTrade(SUB, tradeBlock, recounted)).isFalse, 'a wrong batch size is not proven');
    const other = tradeBlock > 1 ? tradeBlock - 1 : tradeBlock + 1;
    assert.ok((await registry().verifyTrade(SUB, other, proof)).isFalse, 'not against another block');
    assert.ok((await registry().verifyTrade(SUB, upTo + 1_000, proof)).isFalse, 'not against an unanchored block');
    assert.ok((await registry().verifyTrade(2, tradeBlock, proof)).isFalse, 'not against another sub-chain');
  });

  it('sets boot nodes, pauses and resumes, retires, removes a member, refuses sub-chain 0', async () => {
    const bootNodes = [state.bootNode, '/dns4/feeder-1.example/tcp/30333'];
    const [set, paused] = await sendAll(api, [
      council(api, api.tx.billerRegistry.setBootNodes(SUB, bootNodes)),
      council(api, api.tx.billerRegistry.setStatus(SUB, 'Paused'))
    ], k.alice);
    const [bootEvent] = eventsOf(api, set, 'billerRegistry', 'BootNodesSet');
    assert.ok(bootEvent, 'a BootNodesSet event');
    assert.equal(bootEvent.data.subchain.toNumber(), SUB);
    const [pausedEvent] = eventsOf(api, paused, 'billerRegistry', 'StatusChanged');
    assert.ok(pausedEvent, 'a StatusChanged event');
    assert.ok(pausedEvent.data.status.isPaused);
    const info = (await q().subchains(SUB)).unwrap();
    assert.deepEqual(info.bootNodes.map((b) => b.toUtf8()), bootNodes);
    assert.ok(info.status.isPaused);
    assert.equal(info.genesisHash.toHex(), state.genesis, 'the rest of the registration is kept');
    assert.ok((await registry().subchains())[0][1].status.isPaused);

    // Paused: no anchors, elections or new members.
    const anchorsBefore = await anchorState(api, SUB);
    const electionBefore = await electionState(api, SUB);
    const countBefore = await memberCount();
    // The block after the last anchor, without a justification: the registry refuses a paused
    // sub-chain's anchor before it looks at the segment.
    const next = await subBlock(chains, state.upTo + 1);
    const committee = [k.bob, k.charlie];
    const pausedCtx = await registeredElection(api, SUB);
    const refused = await Promise.all([
      send(api, anchor([anchoredBlock(next)], '0x'), k.ferdieStash),
      send(api, api.tx.billerRegistry.submitElection(SUB, 2, pausedCtx.members, committee.map((m) => m.address), votersOf(committee),
        confirmations([k.bob, k.charlie, k.dave], electionStatement(api, SUB, 2, committee, pausedCtx))), k.bobStash),
      send(api, council(api, api.tx.billerRegistry.addMember(SUB, k.eveStash.address, memberInfo(6))), k.alice)
    ]);
    assert.deepEqual(refused.map((r) => r.error || r.innerError), [
      'billerRegistry.SubchainNotActive',
      'billerRegistry.SubchainNotActive',
      'billerRegistry.SubchainNotActive'
    ]);
    assert.deepEqual(await anchorState(api, SUB), anchorsBefore);
    assert.deepEqual(await electionState(api, SUB), electionBefore);
    assert.deepEqual(await memberCount(), countBefore);

    const genesis2 = blake2AsHex('a second feeder');
    const register = (id) => council(api, api.tx.billerRegistry.registerSubchain(
      id, 'DB-Microgrid feeder 2', 'Grid area 2 (dev)', genesis2, state.chainSpecHash, []));
    const results = await sendAll(api, [
      council(api, api.tx.billerRegistry.setStatus(2, 'Active')),
      register(0),
      council(api, api.tx.billerRegistry.setStatus(SUB, 'Active')),
      council(api, api.tx.billerRegistry.removeMember(k.eve.address)),
      council(api, api.tx.billerRegistry.removeMember(k.eve.address)),
      register(2),
      council(api, api.tx.billerRegistry.setStatus(2, 'Retired')),
      council(api, api.tx.billerRegistry.setStatus(2, 'Active')),
      council(api, api.tx.billerRegistry.setBootNodes(2, [state.bootNode])),
      council(api, api.tx.billerRegistry.addMember(2, k.eveStash.address, memberInfo(6)))
    ], k.alice);
    assert.deepEqual(results.map((r) => r.error || r.innerError), [
      'billerRegistry.UnknownSubchain',
      'billerRegistry.InvalidSubchainId',
      null,
      null,
      'billerRegistry.NotMember',
      null,
      null,
      'billerRegistry.SubchainRetired',
      'billerRegistry.SubchainRetired',
      'billerRegistry.SubchainNotActive'
    ]);
    const [resumed] = eventsOf(api, results[2], 'billerRegistry', 'StatusChanged');
    assert.ok(resumed.data.status.isActive);
    const [removed] = eventsOf(api, results[3], 'billerRegistry', 'MemberRemoved');
    assert.ok(removed, 'a MemberRemoved event');
    assert.equal(removed.data.subchain.toNumber(), SUB);
    assert.equal(removed.data.who.toString(), k.eve.address);
    const [registered] = eventsOf(api, results[5], 'billerRegistry', 'SubchainRegistered');
    assert.equal(registered.data.subchain.toNumber(), 2);
    const [retired] = eventsOf(api, results[6], 'billerRegistry', 'StatusChanged');
    assert.ok(retired.data.status.isRetired);

    assert.ok((await q().subchains(SUB)).unwrap().status.isActive);
    assert.ok((await q().subchains(0)).isNone);
    assert.ok((await q().subchains(2)).unwrap().status.isRetired);
    assert.equal((await q().counterForSubchains()).toNumber(), 2);
    assert.deepEqual((await registry().subchains()).map(([id]) => id.toNumber()), [SUB, 2]);
    assert.ok((await q().memberOf(k.eve.address)).isNone);
    assert.ok((await q().members(SUB, k.eve.address)).isNone);
    assert.ok((await q().memberOf(k.eveStash.address)).isNone);
    assert.deepEqual(await memberCount(), [GENESIS_MEMBERS, GENESIS_MEMBERS - 1], 'ten members, nine active (Ferdie is suspended)');
    assert.deepEqual(await anchorState(api, SUB), anchorsBefore, 'resuming keeps the anchors');
  });

  it('records a fork the sub-chain voters finalized, pauses the sub-chain, and resumes it by governance', async () => {
    // The parent's last anchor of sub-chain 1, and another header at its height: the real one
    // with another state root, as voters that finalized a state of their own choosing would
    // have it.
    const last = (await q().lastAnchor(SUB)).unwrap();
    const { header: real, hash: realHash } = await subBlock(chains, last.number.toNumber());
    assert.equal(realHash, last.hash_.toHex(), "the parent's record is the sub-chain's block");
    const forged = subApi.createType('Header', {
      parentHash: real.parentHash,
      number: real.number,
      stateRoot: blake2AsHex('a state the sub-chain never had'),
      extrinsicsRoot: real.extrinsicsRoot,
      digest: real.digest
    });
    assert.notEqual(forged.hash.toHex(), last.hash_.toHex());
    // The development sub-chain's voters hold development keys (one voter here; the unit tests
    // and the multi-node attack test run sets of four).
    const voters = (await q().voters(SUB)).unwrap();
    const setId = voters.setId.toNumber();
    const ed25519 = new Keyring({ type: 'ed25519' });
    const dev = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((name) => ed25519.addFromUri(`//${name}`));
    const keys = voters.voters.map(([id]) => dev.find((pair) => u8aToHex(pair.publicKey) === id.toHex()));
    assert.ok(keys.length > 0 && keys.every(Boolean), 'each voter a development key');
    // More than two thirds of the voters' weight (each weighs 1) finalize; a third or less never.
    const needed = Math.floor((2 * keys.length) / 3) + 1;
    const tooFew = keys.slice(0, needed - 1);
    const report = (header, signers) => api.tx.billerRegistry.reportFork(
      SUB, u8aToHex(header.toU8a()), forgedJustification(subApi, header, setId, signers));
    const before = await anchorState(api, SUB);

    // Fewer voters than that, or with a stranger's vote, prove nothing. Nor does the anchored
    // header itself, and there is no fork to resolve.
    const refused = await Promise.all([
      sendAll(api, [
        report(forged, tooFew),
        report(forged, [...tooFew, ed25519.addFromUri('//Stranger')]),
        report(real, keys)
      ], k.ferdieStash),
      send(api, council(api, api.tx.billerRegistry.resolveFork(SUB, null, null)), k.alice).then((r) => [r])
    ]).then((all) => all.flat());
    assert.deepEqual(refused.map((r) => r.error || r.innerError), [
      'billerRegistry.NotEnoughVotes',
      'billerRegistry.UnknownVoter',
      'billerRegistry.NoConflict',
      'billerRegistry.NoForkReported'
    ]);
    assert.ok((await q().forks(SUB)).isNone);
    assert.ok((await q().subchains(SUB)).unwrap().status.isActive);

    // Enough voters finalized two blocks at one height.
    const reported = await sendOk(api, report(forged, keys.slice(0, needed)), k.ferdieStash);
    const [event] = eventsOf(api, reported, 'billerRegistry', 'ForkReported');
    assert.ok(event, 'a ForkReported event');
    assert.equal(event.data.number.toNumber(), last.number.toNumber());
    assert.equal(event.data.anchored.toHex(), last.hash_.toHex());
    assert.equal(event.data.conflicting.toHex(), forged.hash.toHex());
    assert.deepEqual(event.data.signers.map((id) => id.toHex()).sort(),
      keys.slice(0, needed).map((pair) => u8aToHex(pair.publicKey)).sort());
    const [paused] = eventsOf(api, reported, 'billerRegistry', 'StatusChanged');
    assert.ok(paused.data.status.isPaused);
    const evidence = (await q().forks(SUB)).unwrap();
    assert.equal(evidence.reporter.toString(), k.ferdieStash.address);
    assert.equal(evidence.setId.toNumber(), setId);

    // While the evidence stands: nothing anchors, the status stays, nobody but governance resolves.
    const next = await subBlock(chains, state.upTo + 1);
    const stuck = await Promise.all([
      send(api, anchor([anchoredBlock(next)], '0x'), k.ferdieStash),
      send(api, council(api, api.tx.billerRegistry.setStatus(SUB, 'Active')), k.alice),
      send(api, report(forged, keys), k.bobStash),
      send(api, api.tx.billerRegistry.resolveFork(SUB, null, null), k.charlieStash)
    ]);
    assert.deepEqual(stuck.map((r) => r.error || r.innerError), [
      'billerRegistry.SubchainNotActive',
      'billerRegistry.UnresolvedFork',
      'billerRegistry.ForkAlreadyReported',
      'BadOrigin'
    ]);

    // Governance keeps the record (the anchored header is the canonical one) and resumes.
    const resolved = await sendOk(api, council(api, api.tx.billerRegistry.resolveFork(SUB, null, null)), k.alice);
    const [done] = eventsOf(api, resolved, 'billerRegistry', 'ForkResolved');
    assert.ok(done, 'a ForkResolved event');
    assert.equal(done.data.head.toNumber(), last.number.toNumber());
    // `hash` is a codec's own getter: the field is read by position.
    assert.equal(done.data[2].toHex(), last.hash_.toHex());
    assert.ok((await q().forks(SUB)).isNone);
    assert.ok((await q().subchains(SUB)).unwrap().status.isActive);
    assert.deepEqual(await anchorState(api, SUB), before, 'the record is kept');
  });

  it('says when anchors are overdue without asking for a re-election; a requested one is answered by a new election', async () => {
    // No anchor since `state.lastAnchoredIn`: `OVERDUE` blocks after it (or after a later
    // confirmation) the block hook says so once, and asks nothing of the biller, Bob: the relay
    // may be what stopped.
    const overdue = await finalizedEvent(api, state.lastAnchoredIn, 'billerRegistry', 'AnchorsOverdue',
      (e) => e.data.subchain.toNumber() === SUB, 180_000);
    const overdueIn = await parentNumber(overdue.hash);
    const since = overdue.event.data.since.toNumber();
    assert.equal(overdueIn, since + OVERDUE, `said in ${overdueIn}, counted from ${since}`);
    const then = await api.at(overdue.hash);
    const lastAnchor = (await then.query.billerRegistry.lastAnchor(SUB)).unwrap().anchoredIn.toNumber();
    const confirmed = (await then.query.billerRegistry.elections(SUB)).unwrap().confirmedAt.toNumber();
    assert.equal(since, Math.max(lastAnchor, confirmed), 'from the last anchor or confirmation');
    assert.ok(since >= state.lastAnchoredIn);
    assert.ok((await then.query.billerRegistry.reelections(SUB)).isNone, 'nobody is asked to step down');
    // The block after it may not be authored yet (a missing block's hash reads as zeros).
    const nextHash = await until(`parent block #${overdueIn + 1}`, async () => {
      const hash = await api.rpc.chain.getBlockHash(overdueIn + 1);
      return hash.isEmpty ? null : hash;
    }, 30_000);
    const next = await api.at(nextHash);
    const again = (await next.query.system.events()).filter(({ event: e }) => api.events.billerRegistry.AnchorsOverdue.is(e));
    assert.equal(again.length, 0, 'said once');

    // The election origin asks for a round without Charlie; not of a retired or unknown sub-chain.
    const results = await sendAll(api, [
      council(api, api.tx.billerRegistry.requestReelection(SUB, k.charlie.address)),
      council(api, api.tx.billerRegistry.requestReelection(2, null)),
      council(api, api.tx.billerRegistry.requestReelection(3, null))
    ], k.alice);
    assert.deepEqual(results.map((r) => r.error || r.innerError), [
      null,
      'billerRegistry.SubchainNotActive',
      'billerRegistry.UnknownSubchain'
    ]);
    const [requested] = eventsOf(api, results[0], 'billerRegistry', 'ReelectionRequested');
    assert.ok(requested, 'a ReelectionRequested event');
    assert.equal(requested.data.subchain.toNumber(), SUB);
    assert.ok(requested.data.reason.isRequested);
    assert.equal(requested.data.excluded.unwrap().toString(), k.charlie.address);
    const pending = (await registry().reelection(SUB)).unwrap();
    assert.ok(pending.reason.isRequested);
    assert.equal(pending.excluded.unwrap().toString(), k.charlie.address);
    assert.equal(pending.requestedAt.toNumber(), await parentNumber(results[0].finalized));
    assert.ok((await q().reelections(2)).isNone);

    // Round 2 elects Dave and Bob, confirmed by a quorum of the nine active members.
    const [, active] = await memberCount();
    assert.equal(quorumOf(active), 5);
    const committee = [k.dave, k.bob];
    const ctx = await registeredElection(api, SUB);
    assert.equal(ctx.members.count, active);
    const elected = await sendOk(api, api.tx.billerRegistry.submitElection(SUB, 2, ctx.members, committee.map((m) => m.address), votersOf(committee),
      confirmations([k.alice, k.bob, k.charlie, k.dave, k.aliceStash], electionStatement(api, SUB, 2, committee, ctx))), k.ferdieStash);
    const [event] = eventsOf(api, elected, 'billerRegistry', 'ElectionConfirmed');
    assert.ok(event, 'an ElectionConfirmed event');
    assert.equal(event.data.round.toNumber(), 2);
    assert.deepEqual(addresses(event.data.committee), [k.dave.address, k.bob.address]);
    assert.ok((await q().reelections.at(elected.finalized, SUB)).isNone, 'the confirmed election answers the request');
    const at = await api.at(elected.finalized);
    assert.ok((await at.call.registryApi.reelection(SUB)).isNone);
    const [round, inForce] = (await at.call.registryApi.committee(SUB)).unwrap();
    assert.equal(round.toNumber(), 2);
    assert.deepEqual(addresses(inForce), [k.dave.address, k.bob.address]);
  });

  it('suspends a sub-chain voter whose two votes of one round conflict', async () => {
    // The development sub-chain's one voter is Alice's development key, and the parent knows
    // it is Alice's: its genesis committee has one account per genesis voter.
    const voters = (await q().voters(SUB)).unwrap();
    const setId = voters.setId.toNumber();
    const ed25519 = new Keyring({ type: 'ed25519' });
    const alice = ed25519.addFromUri('//Alice');
    assert.equal(voters.voters[0][0].toHex(), u8aToHex(alice.publicKey));
    assert.deepEqual(addresses(await q().voterAccounts(SUB)), [k.alice.address]);
    assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isFalse);
    const [a, b] = [blake2AsHex('one block 9'), blake2AsHex('another block 9')];
    const report = (pair, set, x, y) => api.tx.billerRegistry.reportEquivocation(SUB, equivocationProof(api, set, 5, pair, [x, 9], [y, 9]));

    // Another set's votes, a key outside the set, the same vote twice: no proof.
    const refused = await Promise.all([
      send(api, report(alice, setId + 1, a, b), k.bobStash),
      send(api, report(ed25519.addFromUri('//Bob'), setId, a, b), k.charlieStash),
      send(api, report(alice, setId, a, a), k.daveStash)
    ]);
    assert.deepEqual(refused.map((r) => r.error), [
      'billerRegistry.NotCurrentVoterSet',
      'billerRegistry.UnknownVoter',
      'billerRegistry.InvalidEquivocation'
    ]);
    assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isFalse);

    // Two precommits of round 5 for different blocks: Alice is suspended, here and (through
    // the outbox) on her sub-chain.
    const reported = await sendOk(api, report(alice, setId, a, b), k.ferdieStash);
    const [event] = eventsOf(api, reported, 'billerRegistry', 'EquivocationReported');
    assert.ok(event, 'an EquivocationReported event');
    assert.equal(event.data.offender.toString(), k.alice.address);
    assert.equal(event.data.setId.toNumber(), setId);
    assert.equal(event.data.round.toNumber(), 5);
    assert.equal(event.data.reporter.toString(), k.ferdieStash.address);
    assert.equal(eventsOf(api, reported, 'billerRegistry', 'MemberUpdated').length, 1);
    assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isTrue);
    const again = await send(api, report(alice, setId, b, a), k.bobStash);
    assert.equal(again.error, 'billerRegistry.AlreadySuspended');
  });

  it('suspends a sub-chain author that sealed two blocks for one slot, and the voters that signed both sides of a fork in one round', async () => {
    // The development sub-chain's one author and voter is Alice, suspended by the test before:
    // the council restores her.
    const restore = async () => {
      const info = (await q().members(SUB, k.alice.address)).unwrap();
      await sendOk(api, council(api, api.tx.billerRegistry.updateMember(k.alice.address,
        { role: info.role.toString(), attested: info.attested.toJSON(), suspended: false })), k.alice);
      assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isFalse);
    };
    await restore();
    // A fresh anchor, whose state the sub-chain node still keeps.
    const top = (await q().lastAnchor(SUB)).unwrap().number.toNumber();
    await sendOk(api, anchorSegment(await nextSegment(chains, top)), k.ferdieStash);
    const last = (await q().lastAnchor(SUB)).unwrap();
    const at = last.number.toNumber();
    const sr25519 = new Keyring({ type: 'sr25519' });
    const aura = sr25519.addFromUri('//Alice');
    const authors = (await subApi.query.aura.authorities()).map((key) => key.toHex());
    assert.deepEqual(authors, [u8aToHex(aura.publicKey)], "Alice's key authors every block");

    // The real block at the anchor, and another block of its slot that Alice's key seals (as a
    // second process running her key would): the same digest, another state.
    const { header: real } = await subBlock(chains, at);
    const logs = real.digest.logs.slice(0, -1);
    const sealedHeader = (stateRoot, logsOf = logs, by = aura) => {
      const fields = { parentHash: real.parentHash, number: real.number, stateRoot, extrinsicsRoot: real.extrinsicsRoot };
      const unsealed = subApi.createType('Header', { ...fields, digest: { logs: logsOf } });
      const seal = { Seal: ['0x61757261', u8aToHex(by.sign(unsealed.hash.toU8a()))] };
      return subApi.createType('Header', { ...fields, digest: { logs: [...logsOf, seal] } });
    };
    const second = sealedHeader(blake2AsHex('a state of the second process'));
    const slotOf = (header) =>
      subApi.createType('u64', header.digest.logs.find((item) => item.isPreRuntime).asPreRuntime[1].toU8a(true)).toNumber();
    const slot = slotOf(real);
    const otherSlot = logs.map((item) => item.isPreRuntime
      ? { PreRuntime: ['0x61757261', u8aToHex(subApi.createType('u64', slot + 1).toU8a())] }
      : item);
    const owner = async (key) => (await subApi.rpc.state.getReadProof([subApi.query.dbsca.keyOwner.key(['0x61757261', u8aToHex(key.publicKey)])], last.hash_)).proof.map((node) => node.toHex());
    const proof = await owner(aura);
    const sealReport = (first, other, { key = aura, anchored = at, proven = proof } = {}) =>
      api.tx.billerRegistry.reportSealEquivocation(SUB, anchored, u8aToHex(key.publicKey), first.toHex(), other.toHex(), proven);
    const stranger = sr25519.addFromUri('//Stranger');

    // Two slots, a seal by another key, one block twice, a block not anchored, a key nobody
    // registered: no proof.
    const refused = await Promise.all([
      send(api, sealReport(real, sealedHeader(blake2AsHex('later'), otherSlot)), k.bobStash),
      send(api, sealReport(real, sealedHeader(blake2AsHex('by another'), logs, stranger)), k.charlieStash),
      send(api, sealReport(real, real), k.daveStash),
      send(api, sealReport(real, second, { anchored: at + 1_000 }), k.eveStash),
      send(api, sealReport(sealedHeader(blake2AsHex('one'), logs, stranger), sealedHeader(blake2AsHex('two'), logs, stranger),
        { key: stranger, proven: await owner(stranger) }), k.ferdie)
    ]);
    assert.deepEqual(refused.map((r) => r.error), [
      'billerRegistry.DifferentSlots',
      'billerRegistry.BadSeal',
      'billerRegistry.SameBlock',
      'billerRegistry.NotAnchoredHeight',
      'billerRegistry.UnknownKey'
    ]);
    assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isFalse);

    // The two blocks of one slot: Alice is suspended, here and (through the outbox) on her
    // sub-chain, and that slot is noted.
    const reported = await sendOk(api, sealReport(real, second), k.ferdieStash);
    const [event] = eventsOf(api, reported, 'billerRegistry', 'SealEquivocationReported');
    assert.ok(event, 'a SealEquivocationReported event');
    assert.equal(event.data.offender.toString(), k.alice.address);
    assert.equal(event.data.slot.toNumber(), slot);
    assert.equal(event.data.reporter.toString(), k.ferdieStash.address);
    assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isTrue);
    assert.equal((await q().sealOffences(k.alice.address)).unwrap().toNumber(), slot);
    // Her slot is noted; a later one finds her suspended already.
    assert.equal((await send(api, sealReport(real, second), k.bobStash)).error, 'billerRegistry.StaleEquivocation');
    const later = [sealedHeader(blake2AsHex('later, one'), otherSlot), sealedHeader(blake2AsHex('later, two'), otherSlot)];
    assert.equal((await send(api, sealReport(...later), k.charlieStash)).error, 'billerRegistry.AlreadySuspended');
    await restore();
    assert.equal((await send(api, sealReport(second, real), k.bobStash)).error, 'billerRegistry.StaleEquivocation');

    // A fork at the anchor, justified by Alice in round 1; the anchored block justified by
    // her in the same round proves she signed both.
    const voters = (await q().voters(SUB)).unwrap();
    const setId = voters.setId.toNumber();
    const ed25519 = new Keyring({ type: 'ed25519' });
    const voter = [ed25519.addFromUri('//Alice')];
    const exclude = (header, round) =>
      api.tx.billerRegistry.excludeForkSigners(SUB, header.number, forgedJustification(subApi, header, setId, voter, round));
    assert.equal((await send(api, exclude(real, 1), k.daveStash)).error, 'billerRegistry.NoForkReported');
    await sendOk(api, api.tx.billerRegistry.reportFork(SUB, second.toHex(), forgedJustification(subApi, second, setId, voter, 1)), k.ferdieStash);
    assert.equal((await q().forks(SUB)).unwrap().round.toNumber(), 1);
    const wrong = await Promise.all([
      send(api, exclude(real, 2), k.bobStash),
      send(api, exclude(second, 1), k.charlieStash)
    ]);
    assert.deepEqual(wrong.map((r) => r.error), ['billerRegistry.DifferentRounds', 'billerRegistry.WrongJustificationTarget']);
    assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isFalse);
    const excluded = await sendOk(api, exclude(real, 1), k.daveStash);
    const [signers] = eventsOf(api, excluded, 'billerRegistry', 'ForkSignersExcluded');
    assert.ok(signers, 'a ForkSignersExcluded event');
    assert.equal(signers.data.round.toNumber(), 1);
    assert.deepEqual(addresses(signers.data.excluded), [k.alice.address]);
    assert.ok((await q().members(SUB, k.alice.address)).unwrap().suspended.isTrue);
    assert.equal((await send(api, exclude(real, 1), k.eveStash)).error, 'billerRegistry.AlreadySuspended');
    // Governance keeps the record and resumes the sub-chain.
    await sendOk(api, council(api, api.tx.billerRegistry.resolveFork(SUB, null, null)), k.alice);
    assert.ok((await q().subchains(SUB)).unwrap().status.isActive);
  });
});
