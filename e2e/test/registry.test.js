// The parent chain's registry of sub-chains (pallet-biller-registry) driven by polkadot.js on a
// fresh `dbm-node --dev` network, across both layers: sub-chain 1 is registered in the parent's
// genesis with its real genesis hash and its members, a member is added and one suspended, an
// election proof signed by members is confirmed from an outside submitter, the sub-chain's real headers and trade batches (read from the live
// sub-chain's RPC) are anchored, a trade made on the sub-chain is proven on the parent with the
// sub-chain's Merkle proof, a silent biller is noticed, and every refused call has its pallet
// error name with the state left unchanged.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { devAccounts } from '../lib/accounts.js';
import { MILLI_UNIT, connect, tradeRootOf } from '../lib/chain.js';
import { terms } from '../lib/energy.js';
import { startDevNetwork } from '../lib/network.js';
import {
  anchorState, confirmations, electionState, electionStatement, fabricated, flipped, memberInfo,
  pendingReelection, subBlock, tradeTypes, withoutSeal
} from '../lib/registry.js';
import { eventsOf, send, sendAll, sendInTurns, sendOk, sudo } from '../lib/tx.js';

/** The sub-chain this file registers (the dev network's `sub-1`). */
const SUB = 1;
/** `Quorum` of the parent runtime, in percent. */
const QUORUM = 51;
/** `MaxAnchorSilence` of the parent runtime: a minute of half-second blocks. */
const SILENCE = 120;
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

  // Carried from one step to the next.
  const state = {};

  it('reads constants, storage and the runtime API from metadata alone: sub-chain 1 from genesis', async () => {
    assert.equal(api.runtimeVersion.specName.toString(), 'dbm-parent');
    assert.equal(subApi.runtimeVersion.specName.toString(), 'dbm-sub');
    assert.deepEqual([...api.tx.billerRegistry.registerSubchain.callIndex], [7, 0], 'pallet index 7');
    assert.deepEqual([...api.tx.billerRegistry.anchor.callIndex], [7, 8]);

    const c = api.consts.billerRegistry;
    assert.equal(c.maxSubchains.toNumber(), 16);
    assert.equal(c.maxMembers.toNumber(), 100);
    assert.equal(c.maxHeaderLen.toNumber(), 1_024);
    assert.equal(c.maxTradesPerAnchor.toNumber(), 1_024);
    assert.equal(c.anchorWindow.toNumber(), 7_200, 'an hour of half-second sub-chain blocks');
    assert.equal(c.epochLength.toNumber(), 7_200, 'an hour of half-second sub-chain blocks');
    assert.equal(c.maxEpochs.toNumber(), 168);
    assert.equal(c.quorum.toNumber(), QUORUM);
    assert.equal(c.termLength.toNumber(), 24 * 7_200, 'a day of half-second blocks');
    assert.equal(c.maxAnchorSilence.toNumber(), SILENCE, 'a minute of half-second blocks');

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
    assert.equal((await q().anchors.entries()).length, 0);
    assert.equal((await q().anchorEpochs.entries()).length, 0);
    state.genesis = genesis;
    state.chainSpecHash = info.chainSpecHash.toHex();

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
      return sudo(api, api.tx.billerRegistry.registerSubchain(id, a.name, a.location, blake2AsHex('genesis 2'), chainSpecHash, a.bootNodes));
    };
    const bad = await sendAll(api, [
      register(SUB),
      register(2, { name: 'n'.repeat(65) }),
      register(2, { location: 'l'.repeat(65) }),
      register(2, { bootNodes: Array(9).fill(bootNode) }),
      register(2, { bootNodes: [`/ip4/127.0.0.1/tcp/1/p2p/${'x'.repeat(256)}`] })
    ], k.alice);
    assert.deepEqual(bad.map((r) => r.error || r.sudoError), [
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

  it('adds a member, suspends one, and refuses bad membership changes', async () => {
    const result = await sendOk(api, sudo(api, api.tx.billerRegistry.addMember(SUB, k.newcomer.address, memberInfo(0))), k.alice);
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
      sudo(api, api.tx.billerRegistry.updateMember(k.ferdie.address, { ...memberInfo(5, true), attested: (await q().members(SUB, k.ferdie.address)).unwrap().attested })),
      sudo(api, api.tx.billerRegistry.addMember(SUB, k.alice.address, memberInfo(0))),
      sudo(api, api.tx.billerRegistry.addMember(2, k.eveStash.address, memberInfo(0))),
      sudo(api, api.tx.billerRegistry.updateMember(k.outsider.address, memberInfo(0))),
      sudo(api, api.tx.billerRegistry.removeMember(k.outsider.address))
    ], k.alice);
    assert.deepEqual(results.map((r) => r.error || r.sudoError), [
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
    const payload = electionStatement(api, SUB, 1, committee);
    assert.equal(payload.length, 16 + 4 + 4 + 1 + 2 * 32);
    const signers = [k.bob, k.charlie, k.dave, k.eve, k.aliceStash, k.bobStash];
    assert.equal(signers.length, needed);
    const five = signers.slice(0, 5);
    const result = await sendOk(api, api.tx.billerRegistry.submitElection(
      SUB, 1, committee.map((m) => m.address), confirmations(signers, payload)), k.ferdieStash);
    const [event] = eventsOf(api, result, 'billerRegistry', 'ElectionConfirmed');
    assert.ok(event, 'an ElectionConfirmed event');
    assert.equal(event.data.subchain.toNumber(), SUB);
    assert.equal(event.data.round.toNumber(), 1);
    assert.deepEqual(addresses(event.data.committee), committee.map((m) => m.address));
    const election = (await q().elections(SUB)).unwrap();
    assert.equal(election.round.toNumber(), 1);
    assert.deepEqual(addresses(election.committee), committee.map((m) => m.address));
    assert.equal(election.confirmedAt.toNumber(), await parentNumber(result.finalized));
    const [round, inForce] = (await registry().committee(SUB)).unwrap();
    assert.equal(round.toNumber(), 1);
    assert.deepEqual(addresses(inForce), [k.bob.address, k.charlie.address], 'Bob is the biller');
    assert.ok((await q().reelections(SUB)).isNone, 'a confirmed election answers any request');

    // Bad proofs, one per submitter so they go in parallel.
    const before = await electionState(api, SUB);
    const p2 = electionStatement(api, SUB, 2, committee);
    const submit = (round, members, confs, subchain = SUB) =>
      api.tx.billerRegistry.submitElection(subchain, round, members.map((m) => (m.address ? m.address : m)), confs);
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
      send(api, submit(2, [k.bob, k.ferdie], confirmations(signers, electionStatement(api, SUB, 2, [k.bob, k.ferdie]))), k.dave),
      send(api, submit(2, [], confirmations(signers, electionStatement(api, SUB, 2, []))), k.charlie),
      send(api, submit(2, committee, confirmations(signers, electionStatement(api, 2, 2, committee)), 2), k.bob),
      send(api, submit(2, thirtyThree, []), k.alice),
      send(api, submit(2, committee, tooMany), k.ferdieStash)
    ]);
    assert.deepEqual(bad.map((r) => r.error || r.sudoError), [
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
    for (const r of bad) assert.equal(eventsOf(api, r, 'billerRegistry', 'ElectionConfirmed').length, 0);
    assert.deepEqual(await electionState(api, SUB), before, 'the confirmed election is unchanged');
    assert.ok((await q().elections(2)).isNone);
  });

  it('anchors the genesis and the real sealed headers of sub-chain blocks 1, 2 and 3 and refuses bad anchors', async () => {
    const blocks = {};
    for (const n of [0, 1, 2, 3, 4, 5]) blocks[n] = await subBlock(chains, n);
    assert.equal(blocks[0].hash, state.genesis, 'block 0 is the registered genesis');
    for (const n of [1, 2, 3, 4, 5]) assert.equal(blocks[n].header.parentHash.toHex(), blocks[n - 1].hash);
    const anchor = (block, { trades = block.trades, subchain = SUB, authorities = block.authorities } = {}) =>
      api.tx.billerRegistry.anchor(subchain, block.bytes ?? block, authorities, trades);

    // The first anchor must be the registered genesis header.
    const first = await Promise.all([
      send(api, anchor(blocks[1]), k.bob),
      send(api, anchor(u8aToHex(flipped(hexToU8a(blocks[0].bytes), 0)), { trades: [], authorities: [] }), k.charlie)
    ]);
    assert.deepEqual(first.map((r) => r.error), ['billerRegistry.Gap', 'billerRegistry.NotGenesis']);
    assert.ok((await q().lastAnchor(SUB)).isNone);
    assert.equal((await q().anchors.entries(SUB)).length, 0);

    // A relayer that is not a member anchors 0, 1, 2, 3 in order, each header after the genesis
    // with the proof of its authors.
    const anchored = await sendAll(api, [0, 1, 2, 3].map((n) => anchor(blocks[n])), k.ferdieStash);
    const anchoredIn = {};
    for (const [n, result] of anchored.entries()) {
      const block = blocks[n];
      assert.equal(result.error, null, `block ${block.number} anchored`);
      const [event] = eventsOf(api, result, 'billerRegistry', 'Anchored');
      assert.ok(event, 'an Anchored event');
      assert.equal(event.data.subchain.toNumber(), SUB);
      assert.equal(event.data.number.toNumber(), block.number);
      // Fields: subchain, number, hash (`hash_` in polkadot.js), trade root, trades.
      assert.equal(event.data[2].toHex(), block.hash, "the parent's hash of the header is the sub-chain's block hash");
      if (n > 0) assert.equal(event.data.tradeRoot.toHex(), block.root, "the trade root of the header's digest");
      assert.equal(event.data.trades.toNumber(), block.count);
      anchoredIn[block.number] = await parentNumber(result.finalized);

      const stored = (await q().anchors(SUB, block.number)).unwrap();
      assert.equal(stored.hash_.toHex(), block.hash);
      assert.equal(stored.stateRoot.toHex(), block.header.stateRoot.toHex(), "the header's state root");
      if (n > 0) assert.equal(stored.tradeRoot.toHex(), block.root);
      assert.equal(stored.tradeCount.toNumber(), block.count);
      assert.equal(stored.anchoredIn.toNumber(), anchoredIn[block.number]);
      const location = (await registry().anchorLocation(SUB, block.number)).unwrap();
      assert.ok(location.isRecent, 'a recent anchor');
      assert.equal(location.asRecent.toHex(), stored.toHex());
      assert.equal(location.asRecent.anchoredIn.toNumber(), anchoredIn[block.number], 'anchored in that parent block');
    }
    const last = (await q().lastAnchor(SUB)).unwrap();
    assert.equal(last.number.toNumber(), 3);
    assert.equal(last.hash_.toHex(), blocks[3].hash);
    assert.equal(last.anchoredIn.toNumber(), anchoredIn[3]);
    assert.equal((await registry().lastAnchor(SUB)).unwrap().toHex(), last.toHex());
    assert.ok((await registry().anchorLocation(SUB, 4)).isNone, 'block 4 is not anchored');
    const [from, to] = (await q().anchorEpochs(SUB, 0)).unwrap();
    assert.deepEqual([from.toNumber(), to.toNumber()], [anchoredIn[0], anchoredIn[3]], 'epoch 0 anchored in these parent blocks');

    // Bad anchors, one per submitter.
    const before = await anchorState(api, SUB);
    const h4 = blocks[4].header;
    const unsealed = withoutSeal(subApi, h4);
    assert.equal(unsealed.digest.logs.length, h4.digest.logs.length - 1);
    const bytes4 = hexToU8a(blocks[4].bytes);
    const signed4 = { trades: blocks[4].trades, authorities: blocks[4].authorities };
    const attempts = [
      anchor(blocks[3]),
      anchor(u8aToHex(flipped(hexToU8a(blocks[3].bytes), 0)), { trades: blocks[3].trades }),
      anchor(blocks[5]),
      anchor(blocks[4], { trades: [...blocks[4].trades, fabricated(api, recordType, k.alice, k.bob)] }),
      anchor(u8aToHex(flipped(bytes4, 0)), signed4),
      anchor(unsealed.toHex(), signed4),
      anchor(u8aToHex(flipped(bytes4, bytes4.length - 1)), signed4),
      anchor(blocks[4], { authorities: [] }),
      anchor(blocks[4], { authorities: [u8aToHex(new Uint8Array(16_385))] }),
      anchor(u8aToHex(new Uint8Array(40).fill(0xff)), { trades: [] }),
      anchor(u8aToHex(new Uint8Array(1_025)), { trades: [] }),
      anchor(blocks[4], { trades: Array.from({ length: 1_025 }, () => fabricated(api, recordType, k.alice, k.bob)) }),
      anchor(blocks[4], { subchain: 9 })
    ];
    // One submitter per attempt at a time.
    const submitters = [k.bob, k.charlie, k.dave, k.eve, k.ferdie, k.alice,
      k.aliceStash, k.bobStash, k.charlieStash, k.daveStash, k.eveStash, k.ferdieStash];
    const bad = await sendInTurns(api, attempts, submitters);
    assert.deepEqual(bad.map((r) => r.error), [
      'billerRegistry.AlreadyAnchored', // block 3 again
      'billerRegistry.ConflictingHeader', // another header at height 3
      'billerRegistry.Gap', // block 5 after 3
      'billerRegistry.TradeRootMismatch', // block 4 with a record added to its batch
      'billerRegistry.ParentMismatch', // block 4 with another parent
      'billerRegistry.NoSeal', // block 4 without its author's seal
      'billerRegistry.BadSeal', // block 4 with a byte of its seal changed
      'billerRegistry.InvalidProof', // block 4 without the proof of its authors
      'billerRegistry.ProofTooLarge',
      'billerRegistry.BadHeader',
      'billerRegistry.HeaderTooLong',
      'billerRegistry.TooManyTrades',
      'billerRegistry.UnknownSubchain'
    ]);
    for (const r of bad) assert.equal(eventsOf(api, r, 'billerRegistry', 'Anchored').length, 0);
    assert.deepEqual(await anchorState(api, SUB), before, 'the anchors are unchanged');
  });

  it('anchors up to the block of the trade and proves the trade on the parent', async () => {
    const { number: tradeBlock, index } = state.trade;
    const upTo = Math.max(tradeBlock, 6);
    const blocks = [];
    for (let n = 4; n <= upTo; n++) blocks.push(await subBlock(chains, n));
    const results = await sendAll(api, blocks.map((b) => api.tx.billerRegistry.anchor(SUB, b.bytes, b.authorities, b.trades)), k.ferdieStash);
    for (const [i, result] of results.entries()) {
      assert.equal(result.error, null, `block ${blocks[i].number} anchored`);
      const [event] = eventsOf(api, result, 'billerRegistry', 'Anchored');
      assert.equal(event.data.number.toNumber(), blocks[i].number);
      assert.equal(event.data[2].toHex(), blocks[i].hash);
      assert.equal(event.data.tradeRoot.toHex(), blocks[i].root);
    }
    const last = (await q().lastAnchor(SUB)).unwrap();
    assert.equal(last.number.toNumber(), upTo);
    assert.equal(last.hash_.toHex(), blocks[blocks.length - 1].hash);
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
      sudo(api, api.tx.billerRegistry.setBootNodes(SUB, bootNodes)),
      sudo(api, api.tx.billerRegistry.setStatus(SUB, 'Paused'))
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
    const next = await subBlock(chains, state.upTo + 1);
    const committee = [k.bob, k.charlie];
    const refused = await Promise.all([
      send(api, api.tx.billerRegistry.anchor(SUB, next.bytes, next.authorities, next.trades), k.ferdieStash),
      send(api, api.tx.billerRegistry.submitElection(SUB, 2, committee.map((m) => m.address),
        confirmations([k.bob, k.charlie, k.dave], electionStatement(api, SUB, 2, committee))), k.bobStash),
      send(api, sudo(api, api.tx.billerRegistry.addMember(SUB, k.eveStash.address, memberInfo(6))), k.alice)
    ]);
    assert.deepEqual(refused.map((r) => r.error || r.sudoError), [
      'billerRegistry.SubchainNotActive',
      'billerRegistry.SubchainNotActive',
      'billerRegistry.SubchainNotActive'
    ]);
    assert.deepEqual(await anchorState(api, SUB), anchorsBefore);
    assert.deepEqual(await electionState(api, SUB), electionBefore);
    assert.deepEqual(await memberCount(), countBefore);

    const genesis2 = blake2AsHex('a second feeder');
    const register = (id) => sudo(api, api.tx.billerRegistry.registerSubchain(
      id, 'DB-Microgrid feeder 2', 'Grid area 2 (dev)', genesis2, state.chainSpecHash, []));
    const results = await sendAll(api, [
      sudo(api, api.tx.billerRegistry.setStatus(2, 'Active')),
      register(0),
      sudo(api, api.tx.billerRegistry.setStatus(SUB, 'Active')),
      sudo(api, api.tx.billerRegistry.removeMember(k.eve.address)),
      sudo(api, api.tx.billerRegistry.removeMember(k.eve.address)),
      register(2),
      sudo(api, api.tx.billerRegistry.setStatus(2, 'Retired')),
      sudo(api, api.tx.billerRegistry.setStatus(2, 'Active')),
      sudo(api, api.tx.billerRegistry.setBootNodes(2, [state.bootNode])),
      sudo(api, api.tx.billerRegistry.addMember(2, k.eveStash.address, memberInfo(6)))
    ], k.alice);
    assert.deepEqual(results.map((r) => r.error || r.sudoError), [
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

  it('asks for a re-election when anchors stop and on request; a new election answers it', async () => {
    // No anchor since `state.lastAnchoredIn`: after `SILENCE` blocks the biller, Bob, is presumed
    // silent and a round without him is asked for.
    const silent = await pendingReelection(api, SUB, 're-election for silence');
    assert.ok(silent.reason.isSilence, `reason ${silent.reason.type}`);
    assert.equal(silent.excluded.unwrap().toString(), k.bob.address, 'without the silent biller');
    const askedAt = silent.requestedAt.toNumber();
    assert.ok(askedAt >= state.lastAnchoredIn + SILENCE, `asked at ${askedAt}, last anchor in ${state.lastAnchoredIn}`);
    const events = await api.query.system.events.at(await api.rpc.chain.getBlockHash(askedAt));
    const asked = events.map(({ event }) => event).filter((e) => api.events.billerRegistry.ReelectionRequested.is(e));
    assert.equal(asked.length, 1, 'a ReelectionRequested event from the block hook');
    assert.equal(asked[0].data.subchain.toNumber(), SUB);
    assert.ok(asked[0].data.reason.isSilence);
    assert.equal(asked[0].data.excluded.unwrap().toString(), k.bob.address);
    assert.equal((await registry().reelection(SUB)).unwrap().toHex(), silent.toHex());

    // The election origin asks for a round without Charlie; not of a retired or unknown sub-chain.
    const results = await sendAll(api, [
      sudo(api, api.tx.billerRegistry.requestReelection(SUB, k.charlie.address)),
      sudo(api, api.tx.billerRegistry.requestReelection(2, null)),
      sudo(api, api.tx.billerRegistry.requestReelection(3, null))
    ], k.alice);
    assert.deepEqual(results.map((r) => r.error || r.sudoError), [
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
    const elected = await sendOk(api, api.tx.billerRegistry.submitElection(SUB, 2, committee.map((m) => m.address),
      confirmations([k.alice, k.bob, k.charlie, k.dave, k.aliceStash], electionStatement(api, SUB, 2, committee))), k.ferdieStash);
    const [event] = eventsOf(api, elected, 'billerRegistry', 'ElectionConfirmed');
    assert.ok(event, 'an ElectionConfirmed event');
    assert.equal(event.data.round.toNumber(), 2);
    assert.deepEqual(addresses(event.data.committee), [k.dave.address, k.bob.address]);
    const electedIn = await parentNumber(elected.finalized);
    assert.ok((await q().reelections.at(elected.finalized, SUB)).isNone, 'the confirmed election answers the request');
    const at = await api.at(elected.finalized);
    assert.ok((await at.call.registryApi.reelection(SUB)).isNone);
    const [round, inForce] = (await at.call.registryApi.committee(SUB)).unwrap();
    assert.equal(round.toNumber(), 2);
    assert.deepEqual(addresses(inForce), [k.dave.address, k.bob.address]);

    // Still no anchors: the new committee has `SILENCE` blocks from its confirmation to anchor;
    // only then is it asked again, now without the new biller.
    const again = await pendingReelection(api, SUB, 'a new re-election for silence', electedIn, 180_000);
    assert.ok(again.reason.isSilence);
    assert.equal(again.excluded.unwrap().toString(), k.dave.address);
    assert.equal(again.requestedAt.toNumber(), electedIn + SILENCE);
    const before = await api.rpc.chain.getBlockHash(electedIn + SILENCE - 1);
    assert.ok((await q().reelections.at(before, SUB)).isNone, 'not before its grace ran out');
  });
});
