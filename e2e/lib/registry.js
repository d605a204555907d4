// The parent's registry of sub-chains (pallet-biller-registry) as the tests drive it: the
// members the join vote attested, the statement a sub-chain's members sign for an election, a
// sub-chain block as a relayer takes it to anchor, the sub-chain's GRANDPA justifications and
// the finalized segments they end, and the registry's state to compare.

import assert from 'node:assert/strict';
import { hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import { MILLI_UNIT, finalizedNumber, storagePairs, tradeRootOf, until } from './chain.js';

/**
 * Meter `meter`'s (an ed25519 key pair's) claim to measure for `account`, as a join or a meter
 * replacement names it: its key and its signature of `dbm/meter-claim/v1`, the account and
 * its key (`MeterClaim` in dbm_primitives::metering).
 */
export function meterClaim (meter, account) {
  const payload = u8aConcat(stringToU8a('dbm/meter-claim/v1'), decodeAddress(account), meter.publicKey);
  return { key: u8aToHex(meter.publicKey), proof: u8aToHex(meter.sign(payload)) };
}

/** GRANDPA's consensus engine id, `FRNK`: nodes keep its justifications under it. */
const GRANDPA_ENGINE = '0x46524e4b';
/** The index of `ScheduledChange` in GRANDPA's consensus log (`sp_consensus_grandpa::ConsensusLog`). */
const SCHEDULED_CHANGE = 1;

/**
 * The type names in the parent's (`api`) metadata of the anchor's trade records (`recordType`)
 * and of `verifyTrade`'s proof (`proofType`). The records are the `trades` of each block the
 * anchor carries (`anchor(subchain, blocks, justification)`), found through the metadata's
 * type lookup: the block type is a struct of the parent's, not a name polkadot.js knows.
 */
export function tradeTypes (api) {
  const { lookup } = api.registry;
  const blocks = lookup.getTypeDef(api.tx.billerRegistry.anchor.meta.fields[1].type);
  assert.ok(blocks.sub && blocks.sub.lookupIndex !== undefined, `the anchor's blocks are a Vec of a named type: ${blocks.type}`);
  const block = lookup.getTypeDef(blocks.sub.lookupIndex);
  const trades = Array.isArray(block.sub) && block.sub.find((field) => field.name === 'trades');
  const recordType = trades && trades.sub && trades.sub.lookupName;
  assert.ok(recordType, `each anchored block has a Vec of named trade records: ${block.type}`);
  const proofType = api.call.registryApi.verifyTrade.meta.params[2].type.toString();
  return { recordType, proofType };
}

/** A copy of `u8a` with the byte at `at` inverted. */
export function flipped (u8a, at) {
  const copy = u8a.slice();
  copy[at] ^= 0xff;
  return copy;
}

/** What the join vote attested for the `i`-th member: a renewable generator. */
export const memberInfo = (i, suspended = false) => ({
  role: 'Generator',
  attested: { renewable: true, environmental: 500_000 + 50_000 * i, cost: 700_000 - 50_000 * i, stability: 900_000 },
  suspended
});

/**
 * GRANDPA keys for `committee` (key pairs or hex account ids) where the test does not need real
 * ones: each account's 32 bytes, as the parent takes any 32 bytes for a key it only compares.
 */
export const votersOf = (committee) => committee.map((who) => u8aToHex(who.publicKey ? who.publicKey : hexToU8a(who)));

/**
 * The statement members sign for `round` of `subchain` electing `committee` (key pairs) whose
 * GRANDPA keys are `voters` (hex), counting the member set `members` (`{ count, digest }`) of
 * the sub-chain whose genesis hash is `genesis`: the SCALE encoding of
 * `dbm_primitives::dbsca::ElectionStatement` (context, genesis hash, sub-chain id, round, member
 * set, committee, voters), as the sub-chain's DBSCA rounds sign it.
 */
export const electionStatement = (api, subchain, round, committee, { genesis, members }, voters = votersOf(committee)) => u8aConcat(
  stringToU8a('dbm/dbsca/elect3'),
  api.createType('H256', genesis).toU8a(),
  api.createType('u32', subchain).toU8a(),
  api.createType('u32', round).toU8a(),
  api.createType('u32', members.count).toU8a(),
  api.createType('H256', members.digest).toU8a(),
  api.createType('Vec<AccountId>', committee.map((who) => who.address)).toU8a(),
  api.createType('Vec<[u8; 32]>', voters).toU8a());

/**
 * What the parent's registry (`api`) knows of `subchain` for an election statement: its
 * registered genesis hash and its active member set (`activeSets`).
 */
export async function registeredElection (api, subchain) {
  const info = (await api.query.billerRegistry.subchains(subchain)).unwrap();
  const members = await api.query.billerRegistry.activeSets(subchain);
  return { genesis: info.genesisHash.toHex(), members: { count: members.count.toNumber(), digest: members.digest.toHex() } };
}

/** Confirmations of `payload` by `signers`, as `submitElection` takes them. */
export const confirmations = (signers, payload) => signers.map((who) => [who.address, { Sr25519: who.sign(payload) }]);

/**
 * Sub-chain block `n` as a relayer takes it from the live sub-chain (`subApi`, with raw RPC
 * through its `subProvider`): its hash, its header and the header's SCALE encoding (its whole
 * digest, seal included: the parent hashes it), its trade root, its trade batch
 * (`energy_blockTrades`) decoded with the parent's (`api`) `recordType`; for the genesis, a
 * storage proof of the sub-chain's GRANDPA voters (`Grandpa::Authorities`) in its state
 * (`state_getReadProof`), which `anchorGenesis` takes.
 */
export async function subBlock ({ api, subApi, subProvider, recordType }, n) {
  const hash = (await subApi.rpc.chain.getBlockHash(n)).toHex();
  const header = await subApi.rpc.chain.getHeader(hash);
  assert.equal(header.number.toNumber(), n, `sub-chain block ${n} exists`);
  assert.equal(blake2AsHex(header.toU8a()), hash, 'the block hash is the blake2 of the encoded header');
  if (n === 0) {
    const read = await subApi.rpc.state.getReadProof([subApi.query.grandpa.authorities.key()], hash);
    const voters = read.proof.map((node) => node.toHex());
    return { number: 0, hash, header, bytes: header.toHex(), count: 0, trades: [], records: [], voters };
  }
  const [root, count] = tradeRootOf(subApi, header);
  const batch = await subProvider.send('energy_blockTrades', [hash]);
  assert.equal(batch.block, hash);
  assert.equal(batch.headerRoot, root);
  assert.equal(batch.root, root, 'the header commits to the batch');
  assert.equal(batch.records.length, count);
  const trades = batch.records.map((record) => api.createType(recordType, hexToU8a(record.encoded)));
  trades.forEach((trade, i) =>
    assert.equal(trade.toHex(), batch.records[i].encoded, "the parent decodes the sub-chain's record byte for byte"));
  return { number: n, hash, header, bytes: header.toHex(), root, count, trades, records: batch.records };
}

/** Sub-chain `block` (`subBlock`) as an anchor carries it, with `trades` as its batch. */
export const anchoredBlock = (block, trades = block.trades) => ({ header: block.bytes, trades });

/**
 * A GRANDPA justification (hex) decoded with the sub-chain's `subApi`
 * (`{ round, commit: { targetHash, targetNumber, precommits }, votesAncestries }`); asserts
 * that polkadot.js encodes it back byte for byte, so a changed copy differs only where changed.
 */
export function grandpaJustification (subApi, hex) {
  const decoded = subApi.createType('GrandpaJustification', hexToU8a(hex));
  assert.equal(decoded.toHex(), hex, 'polkadot.js decodes the justification byte for byte');
  return decoded;
}

/**
 * The GRANDPA justification the sub-chain node keeps with its block `n` (hex), or null. A node
 * keeps the justification of the first block it finalized, then one each time finality passes
 * a multiple of its justification period (32 blocks on a sub-chain), and one at every voter
 * set change; besides, it remembers the newest it made (`provenJustification`).
 */
export async function justification ({ subApi }, n) {
  const hash = await subApi.rpc.chain.getBlockHash(n);
  const { justifications } = await subApi.rpc.chain.getBlock(hash);
  const kept = justifications.isSome && justifications.unwrap().find(([engine]) => engine.toHex() === GRANDPA_ENGINE);
  return kept ? kept[1].toHex() : null;
}

/**
 * The justification `grandpa_proveFinality` gives for sub-chain block `n` (finalized): for a
 * block of the current voter set, that of the newest block GRANDPA finalized; for one of an
 * earlier set, that of the block that ended the set. `{ end, hash, justification }` (its
 * target's number and hash, the justification in hex), or null.
 */
export async function provenJustification ({ subApi }, n) {
  let proof;
  try {
    proof = await subApi.rpc.grandpa.proveFinality(n);
  } catch (e) {
    // A chain whose voter set never changed has no set changes to prove from: the node answers
    // "Block not covered by authority set changes", and the justifications it keeps remain.
    if (/not covered by authority set changes/.test(e.message)) return null;
    throw e;
  }
  if (proof.isNone) return null;
  // `FinalityProof { block, justification, unknown_headers }`, SCALE-encoded.
  const [, encoded] = subApi.createType('(H256, Bytes, Vec<Header>)', proof.unwrap().toU8a(true));
  const { commit } = grandpaJustification(subApi, encoded.toHex());
  return { end: commit.targetNumber.toNumber(), hash: commit.targetHash.toHex(), justification: encoded.toHex() };
}

/** Whether sub-chain `header` schedules a GRANDPA voter set change. */
const schedulesChange = (header) => header.digest.logs.some((log) => log.isConsensus &&
  log.asConsensus[0].toHex() === GRANDPA_ENGINE && log.asConsensus[1].toU8a(true)[0] === SCHEDULED_CHANGE);

/**
 * The last sub-chain block after block `last` that one anchor can reach: finalized, at most
 * the parent's `MaxSegment` blocks after `last`, and not past the first that schedules a voter
 * set change (the parent follows the new voters from the block after it, so a segment ends
 * there). `last` when no block after it is finalized yet.
 */
async function reach ({ api, subApi }, last) {
  const max = api.consts.billerRegistry.maxSegment.toNumber();
  const to = Math.min(await finalizedNumber(subApi), last + max);
  for (let n = last + 1; n <= to; n++) {
    if (schedulesChange(await subApi.rpc.chain.getHeader(await subApi.rpc.chain.getBlockHash(n)))) return n;
  }
  return to;
}

/** Sub-chain blocks `from ..= end` (`subBlock`) as a segment with `justification` of block `end`. */
async function segmentOf (chains, from, end, justification) {
  const blocks = [];
  for (let n = from; n <= end; n++) blocks.push(await subBlock(chains, n));
  // The tests' sub-chains trade far less than the parent takes in one anchor; a segment that
  // carried more would have to end earlier, at a block without a justification.
  const trades = blocks.reduce((sum, block) => sum + block.count, 0);
  assert.ok(trades <= chains.api.consts.billerRegistry.maxTradesPerAnchor.toNumber(), `${trades} trade records in #${from}..=#${end}`);
  return { blocks, justification, end };
}

/**
 * The finalized segment after sub-chain block `last` that ends at the first block within
 * reach whose justification the node keeps (`justification`): what a relayer walking the kept
 * justifications anchors. Waits (up to `timeoutMs`) for the sub-chain to finalize it.
 */
export async function keptSegment (chains, last, timeoutMs) {
  let next = last + 1;
  const [end, kept] = await until(`a kept justification of a sub-chain block after #${last}`, async () => {
    for (const within = await reach(chains, last); next <= within; next++) {
      const found = await justification(chains, next);
      if (found) return [next, found];
    }
    return null;
  }, timeoutMs);
  return segmentOf(chains, last + 1, end, kept);
}

/**
 * The next finalized segment after sub-chain block `last`, as the relay takes it: up to the
 * newest block GRANDPA finalized if that is within reach (`provenJustification`), else up to
 * the last block within reach with a kept justification. `{ blocks, justification, end }`:
 * the blocks (`subBlock`) `last + 1 ..= end` and the justification (hex) of block `end`.
 * Waits (up to `timeoutMs`) for the sub-chain to finalize a block it can end at.
 */
export async function nextSegment (chains, last, timeoutMs) {
  const [end, found] = await until(`a justification of a sub-chain block after #${last}`, async () => {
    const within = await reach(chains, last);
    if (within <= last) return null;
    const proven = await provenJustification(chains, last + 1);
    if (proven && proven.end > last && proven.end <= within) {
      assert.equal(proven.hash, (await chains.subApi.rpc.chain.getBlockHash(proven.end)).toHex(),
        'the proven justification is of a block of this chain');
      return [proven.end, proven.justification];
    }
    for (let n = within; n > last; n--) {
      const kept = await justification(chains, n);
      if (kept) return [n, kept];
    }
    return null;
  }, timeoutMs);
  return segmentOf(chains, last + 1, end, found);
}

/**
 * Finalized segments (`nextSegment`) that anchor, in order, the sub-chain's blocks after block
 * `lastAnchored` up to at least block `upTo` (the last may end beyond it).
 */
export async function segmentTo (chains, lastAnchored, upTo, timeoutMs) {
  const segments = [];
  for (let last = lastAnchored; last < upTo; last = segments[segments.length - 1].end) {
    segments.push(await nextSegment(chains, last, timeoutMs));
  }
  return segments;
}

/** A trade record (the parent's `recordType`) no sub-chain block has, of `buyer` and `seller`. */
export const fabricated = (api, recordType, buyer, seller) => api.createType(recordType, {
  trade: 999_999,
  outcome: 'Matched',
  buyer: buyer.address,
  seller: seller.address,
  energyWh: 1_000,
  price: 200n * MILLI_UNIT,
  value: 200n * MILLI_UNIT
});

/** The parent's anchor state of `subchain`, to compare. */
export async function anchorState (api, subchain) {
  const q = api.query.billerRegistry;
  return {
    last: (await q.lastAnchor(subchain)).toHex(),
    anchors: storagePairs(await q.anchors.entries(subchain)),
    epochs: storagePairs(await q.anchorEpochs.entries(subchain))
  };
}

/** The parent's election state of `subchain`, to compare. */
export const electionState = async (api, subchain) => [
  (await api.query.billerRegistry.elections(subchain)).toHex(),
  (await api.call.registryApi.committee(subchain)).toHex()
];

/**
 * What a GRANDPA voter signs for its precommit of block `hash` (hex) at `number` in `round` of
 * set `setId`: the SCALE encoding of the precommit message (index 1), the round and the set id.
 */
export const precommitPayload = (api, hash, number, round, setId) => u8aConcat(
  new Uint8Array([1]),
  hexToU8a(hash),
  api.createType('u32', number).toU8a(),
  api.createType('u64', round).toU8a(),
  api.createType('u64', setId).toU8a());

/**
 * A GRANDPA justification (hex) of sub-chain `header` in round `round` of voter set `setId`,
 * signed by the ed25519 `signers` themselves: what voters that finalize a block of their own
 * choosing would make. Each signs the precommit message GRANDPA signs: the `Precommit` variant
 * (1), the target's hash and number, the round and the set id.
 */
export function forgedJustification (subApi, header, setId, signers, round = 1) {
  const target = { targetHash: header.hash.toHex(), targetNumber: header.number.toNumber() };
  const payload = precommitPayload(subApi, target.targetHash, target.targetNumber, round, setId);
  const precommits = signers.map((pair) => ({
    precommit: target,
    signature: u8aToHex(pair.sign(payload)),
    id: u8aToHex(pair.publicKey)
  }));
  return subApi.createType('GrandpaJustification', {
    round,
    commit: { ...target, precommits },
    votesAncestries: []
  }).toHex();
}

/**
 * A GRANDPA equivocation proof (`sp_consensus_grandpa::EquivocationProof`) as the parent's
 * `reportEquivocation` takes it: voter `pair` (ed25519) precommitted both `first` and `second`
 * (each `[hash, number]`) in `round` of set `setId`, each vote signed as GRANDPA signs it
 * (the SCALE encoding of the precommit message, the round and the set id).
 */
export function equivocationProof (api, setId, round, pair, first, second) {
  const vote = ([hash, number]) =>
    [{ targetHash: hash, targetNumber: number }, u8aToHex(pair.sign(precommitPayload(api, hash, number, round, setId)))];
  return {
    setId,
    equivocation: { Precommit: { roundNumber: round, identity: u8aToHex(pair.publicKey), first: vote(first), second: vote(second) } }
  };
}

/**
 * The parent keys of the development seed `//${name}` (its sr25519 key for Aura, its ed25519
 * key for GRANDPA) with `owner`'s proof of possession, as `billerRegistry.setParentKeys` takes
 * them: each key's signature of `"POP_"` followed by the owner's account, what
 * `author_rotateKeysWithOwner` returns for keys a node generated.
 */
export function parentKeys (name, owner) {
  const aura = new Keyring({ type: 'sr25519' }).addFromUri(`//${name}`);
  const grandpa = new Keyring({ type: 'ed25519' }).addFromUri(`//${name}`);
  const statement = u8aConcat(stringToU8a('POP_'), decodeAddress(owner));
  const keys = { aura: u8aToHex(aura.publicKey), grandpa: u8aToHex(grandpa.publicKey) };
  return [keys, u8aToHex(u8aConcat(aura.sign(statement), grandpa.sign(statement)))];
}
