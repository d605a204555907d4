//! A test runtime: sr25519 accounts and signatures as on the real chains, root for every
//! origin.

use crate::{self as pallet_biller_registry, *};
use alloc::vec::Vec;
use codec::Encode;
use dbm_primitives::{
	dbsca::{ElectionStatement, NodeAttributes},
	membership::Role,
	trade::TradeOutcome,
	AccountId, Header,
};
use frame_support::{
	derive_impl,
	dispatch::DispatchResult,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
};
use frame_system::EnsureRoot;
use sp_core::{Pair as _, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Digest, DigestItem},
	testing::UintAuthorityId,
	traits::{Header as _, IdentityLookup},
	BuildStorage, MultiSignature, Percent,
};

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Registry = pallet_biller_registry;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
}

frame_support::parameter_types! {
	pub const Quorum: Percent = Percent::from_percent(51);
}

impl pallet_biller_registry::Config for Test {
	type Signature = MultiSignature;
	type RegistryOrigin = EnsureRoot<AccountId>;
	type MembershipOrigin = EnsureRoot<AccountId>;
	type ElectionOrigin = EnsureRoot<AccountId>;
	type UpgradeOrigin = EnsureRoot<AccountId>;
	type OperatorOrigin = EnsureRoot<AccountId>;
	type DisputeOrigin = EnsureRoot<AccountId>;
	type AuthorityKeys = MockKeys;
	type AuthorityHandler = MockAuthorities;
	type Outbox = MockOutbox;
	type MaxOperators = ConstU32<4>;
	type MinAuthorities = ConstU32<4>;
	type Endowment = ConstU128<ENDOWMENT>;
	type MaxSubchains = ConstU32<5>;
	type MaxMembers = ConstU32<12>;
	type MaxHeaderLen = ConstU32<512>;
	type MaxTradesPerAnchor = ConstU32<8>;
	type MaxSegment = ConstU32<8>;
	type MaxJustificationLen = ConstU32<4_096>;
	type MaxAncestry = ConstU32<4>;
	type MaxVoters = ConstU32<6>;
	type MaxProofSize = ConstU32<4_096>;
	type MaxDisputes = ConstU32<2>;
	type MaxProofNodes = ConstU32<8>;
	type AnchorWindow = ConstU32<4>;
	type EpochLength = ConstU32<3>;
	type MaxEpochs = ConstU32<2>;
	type Quorum = Quorum;
	type TermLength = ConstU64<100>;
	type AnchorsOverdueAfter = ConstU64<20>;
	type BillerLiveness = ConstU64<30>;
	type ElectionTimeout = ConstU64<50>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Parent keys of the mock: a test key whose proof of possession is the owner's encoding
/// followed by the key's number.
#[derive(
	Clone,
	Debug,
	codec::Decode,
	codec::DecodeWithMemTracking,
	Encode,
	Eq,
	codec::MaxEncodedLen,
	PartialEq,
	scale_info::TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct MockKeys(pub UintAuthorityId);

impl MockKeys {
	/// The test key `n`.
	pub const fn of(n: u64) -> Self {
		MockKeys(UintAuthorityId(n))
	}

	/// `owner`'s proof of possession of these keys.
	pub fn proof(&self, owner: &AccountId) -> Vec<u8> {
		(owner, self.0 .0).encode()
	}
}

impl sp_runtime::traits::OpaqueKeys for MockKeys {
	type KeyTypeIdProviders = ();

	fn key_ids() -> &'static [sp_core::crypto::KeyTypeId] {
		UintAuthorityId::key_ids()
	}

	fn get_raw(&self, id: sp_core::crypto::KeyTypeId) -> &[u8] {
		self.0.get_raw(id)
	}

	fn ownership_proof_is_valid(&self, owner: &[u8], proof: &[u8]) -> bool {
		let mut expected = owner.to_vec();
		expected.extend(self.0 .0.encode());
		proof == expected
	}
}

/// What a node admitted by the parent gets on its sub-chain.
pub const ENDOWMENT: Balance = 5;

std::thread_local! {
	/// Whether the consensus refuses authority changes (as GRANDPA does with one pending).
	pub static REFUSE: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
	/// The authority sets handed to consensus.
	pub static APPLIED: core::cell::RefCell<Vec<Vec<(AccountId, MockKeys)>>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

std::thread_local! {
	/// The messages sent to the outbox, in order.
	pub static SENT: core::cell::RefCell<Vec<(Destination, Message<AccountId, Balance>)>> =
		const { core::cell::RefCell::new(Vec::new()) };
	/// Whether the outbox is full.
	pub static OUTBOX_FULL: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Records the messages it is given, numbering them from 0, or refuses them while
/// [`OUTBOX_FULL`] is set.
pub struct MockOutbox;

impl Outbox<AccountId, Balance> for MockOutbox {
	fn send(
		destination: Destination,
		message: Message<AccountId, Balance>,
	) -> Result<u64, sp_runtime::DispatchError> {
		if OUTBOX_FULL.with(|f| f.get()) {
			return Err(sp_runtime::DispatchError::Other("OutboxFull"));
		}
		SENT.with(|s| {
			s.borrow_mut().push((destination, message));
			Ok(s.borrow().len() as u64 - 1)
		})
	}
}

/// Records the authority sets it is given, or refuses them while [`REFUSE`] is set.
pub struct MockAuthorities;

impl AuthorityHandler<AccountId, MockKeys> for MockAuthorities {
	fn apply(authorities: &[(AccountId, MockKeys)]) -> sp_runtime::DispatchResult {
		if REFUSE.with(|r| r.get()) {
			return Err(sp_runtime::DispatchError::Other("a change is pending"));
		}
		APPLIED.with(|a| a.borrow_mut().push(authorities.to_vec()));
		Ok(())
	}
}

/// The standing operators and their parent keys at genesis.
pub fn operators() -> Vec<(AccountId, MockKeys)> {
	use Sr25519Keyring::*;
	[BobStash, CharlieStash, DaveStash, FerdieStash]
		.into_iter()
		.zip(11..)
		.map(|(k, key)| (acc(k), MockKeys::of(key)))
		.collect()
}

/// Keys made from a seed, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;

#[cfg(feature = "runtime-benchmarks")]
std::thread_local! {
	/// The key of every account the helper handed out.
	static PAIRS: core::cell::RefCell<std::collections::BTreeMap<AccountId, sp_core::sr25519::Pair>> =
		Default::default();
	/// The key of every GRANDPA voter the helper handed out.
	static VOTERS: core::cell::RefCell<
		std::collections::BTreeMap<dbm_primitives::finality::AuthorityId, sp_core::ed25519::Pair>,
	> = Default::default();
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<AccountId, MultiSignature, MockKeys> for MockHelper {
	fn authority_keys(i: u32) -> MockKeys {
		MockKeys::of(1_000 + u64::from(i))
	}

	fn authority_keys_proof(i: u32, owner: &AccountId) -> Vec<u8> {
		Self::authority_keys(i).proof(owner)
	}

	fn account(i: u32) -> AccountId {
		use sp_core::Pair;
		let pair =
			sp_core::sr25519::Pair::from_string(&alloc::format!("//registry-bench-{i}"), None)
				.expect("a valid derivation");
		let who: AccountId = pair.public().into();
		PAIRS.with(|p| p.borrow_mut().insert(who.clone(), pair));
		who
	}

	fn sign(who: &AccountId, payload: &[u8]) -> MultiSignature {
		use sp_core::Pair;
		PAIRS.with(|p| p.borrow()[who].sign(payload).into())
	}

	fn voter(i: u32) -> dbm_primitives::finality::AuthorityId {
		let pair =
			dbm_primitives::finality::testing::voter(&alloc::format!("//registry-voter-{i}"));
		let id: dbm_primitives::finality::AuthorityId = pair.public().into();
		VOTERS.with(|v| v.borrow_mut().insert(id.clone(), pair));
		id
	}

	fn vote(
		voter: &dbm_primitives::finality::AuthorityId,
		payload: &[u8],
	) -> dbm_primitives::finality::AuthoritySignature {
		VOTERS.with(|v| v.borrow()[voter].sign(payload).into())
	}
}

/// Sub-chain 1 (with members) and 2 (empty).
pub const ONE: SubchainId = SubchainId(1);
/// The second sub-chain, without members.
pub const TWO: SubchainId = SubchainId(2);
/// Sub-chain 1's genesis GRANDPA voters, by seed: Alice, Bob, Charlie and Dave (three of
/// them finalize).
pub const VOTER_SEEDS: [&str; 4] = ["//Alice", "//Bob", "//Charlie", "//Dave"];

/// The keys of voters `seeds`.
pub fn voter_keys(seeds: &[&str]) -> Vec<sp_core::ed25519::Pair> {
	seeds.iter().map(|seed| dbm_primitives::finality::testing::voter(seed)).collect()
}

/// Voters `seeds` with weight 1 each.
pub fn voter_list(seeds: &[&str]) -> dbm_primitives::finality::AuthorityList {
	voter_keys(seeds).iter().map(|pair| (pair.public().into(), 1)).collect()
}

/// Sub-chain 1's genesis state in the tests (its GRANDPA voters): its root, and a proof of
/// the voters.
pub fn subchain_state() -> (H256, Vec<Vec<u8>>) {
	dbm_primitives::proof::trie(&[(
		dbm_primitives::finality::grandpa_authorities_key(),
		voter_list(&VOTER_SEEDS).encode(),
	)])
}

/// Sub-chain 1's genesis header.
pub fn genesis_header() -> Header {
	Header::new(0, H256::zero(), subchain_state().0, H256::zero(), Digest::default())
}

/// Sub-chain 1's genesis hash, as registered.
pub fn genesis_hash() -> H256 {
	genesis_header().hash()
}

/// The keyrings of sub-chain 1's members, in order: Alice, Bob, Charlie, Dave, Eve, Ferdie,
/// One, Two, and Eve's stash (suspended).
pub fn members() -> Vec<Sr25519Keyring> {
	use Sr25519Keyring::*;
	vec![Alice, Bob, Charlie, Dave, Eve, Ferdie, One, Two, EveStash]
}

/// A member record.
pub fn member(suspended: bool) -> MemberInfo {
	MemberInfo {
		role: Role::Generator,
		attested: NodeAttributes { renewable: true, ..Default::default() },
		suspended,
	}
}

/// An account.
pub fn acc(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// The genesis config: sub-chain 1 with its nine members (Eve's stash suspended, so eight are
/// active and a quorum is five) and committee [Alice, Bob]; sub-chain 2 empty.
pub fn genesis() -> RuntimeGenesisConfig {
	let one = GenesisSubchain {
		id: ONE,
		name: b"feeder one".to_vec(),
		location: b"north".to_vec(),
		genesis_hash: genesis_hash(),
		chain_spec_hash: H256::repeat_byte(9),
		boot_nodes: vec![b"/ip4/127.0.0.1/tcp/30333".to_vec()],
		members: members()
			.into_iter()
			.map(|k| (acc(k), member(k == Sr25519Keyring::EveStash)))
			.collect(),
		committee: vec![acc(Sr25519Keyring::Alice), acc(Sr25519Keyring::Bob)],
	};
	let two = GenesisSubchain {
		id: TWO,
		name: b"feeder two".to_vec(),
		location: b"south".to_vec(),
		genesis_hash: H256::repeat_byte(2),
		chain_spec_hash: H256::repeat_byte(8),
		boot_nodes: vec![],
		members: vec![],
		committee: vec![],
	};
	RuntimeGenesisConfig {
		system: Default::default(),
		registry: pallet_biller_registry::GenesisConfig {
			subchains: vec![one, two],
			operators: operators(),
		},
	}
}

/// The test externalities, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	REFUSE.with(|r| r.set(false));
	APPLIED.with(|a| a.borrow_mut().clear());
	let storage = genesis().build_storage().expect("the test genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` at block 1 and checks the invariants after it.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Registry::do_try_state().expect("the invariants hold");
	});
}

/// Moves to block `n`, running the registry's hook on each.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Registry::on_initialize(next);
	}
}

/// The signed confirmations of `signers` for `committee` elected in `round` of `subchain`,
/// counting the sub-chain's active members now.
pub fn confirmations(
	subchain: SubchainId,
	round: u32,
	committee: &[AccountId],
	signers: &[Sr25519Keyring],
) -> Vec<(AccountId, MultiSignature)> {
	let members = Registry::active_set_of(subchain);
	let genesis = Subchains::<Test>::get(subchain).map(|s| s.genesis_hash).unwrap_or_default();
	sign_statement(
		&ElectionStatement::new(
			genesis,
			subchain,
			round,
			members,
			committee.to_vec(),
			voters_for(committee),
		),
		signers,
	)
}

/// The GRANDPA keys the tests give `committee`: each account's bytes as an ed25519 key.
pub fn voters_for(committee: &[AccountId]) -> Vec<dbm_primitives::finality::AuthorityId> {
	committee
		.iter()
		.map(|who| {
			let raw: [u8; 32] = *who.as_ref();
			sp_core::ed25519::Public::from_raw(raw).into()
		})
		.collect()
}

/// The development account of seed `seed` (`//Alice` is Alice's).
pub fn seed_account(seed: &str) -> AccountId {
	<sp_core::sr25519::Pair as sp_core::Pair>::from_string(seed, None)
		.expect("a development seed")
		.public()
		.into()
}

/// Makes `seeds` the voters of a committee the parent confirmed for sub-chain 1, in round
/// `round`, the committee being the seeds' development accounts: the set a header may
/// schedule.
pub fn elect_voters(round: u32, seeds: &[&str]) {
	Registry::expect_voters(
		ONE,
		dbm_primitives::registry::ElectedVoters {
			round,
			committee: seeds
				.iter()
				.map(|seed| seed_account(seed))
				.collect::<Vec<_>>()
				.try_into()
				.expect("at most MAX_COMMITTEE"),
			voters: voter_list(seeds)
				.into_iter()
				.map(|(id, _)| id)
				.collect::<Vec<_>>()
				.try_into()
				.expect("at most MAX_COMMITTEE"),
		},
	);
}

/// The signatures of `signers` over `statement`.
pub fn sign_statement(
	statement: &ElectionStatement<AccountId>,
	signers: &[Sr25519Keyring],
) -> Vec<(AccountId, MultiSignature)> {
	let payload = statement.signing_payload();
	signers
		.iter()
		.map(|k| (acc(*k), MultiSignature::Sr25519(sp_core::Pair::sign(&k.pair(), &payload))))
		.collect()
}

/// A trade record.
pub fn record(n: u64) -> TradeRecordOf<Test> {
	TradeRecord {
		trade: n,
		outcome: TradeOutcome::Matched,
		buyer: acc(Sr25519Keyring::Alice),
		seller: acc(Sr25519Keyring::Bob),
		energy_wh: 1_000 * n,
		price: 100,
		value: 100 * n as u128,
	}
}

/// A sub-chain header `number` on `parent` whose digest carries the root of `trades` (and an
/// Aura slot, as real ones do).
pub fn header(number: u32, parent: H256, trades: &[TradeRecordOf<Test>]) -> Header {
	let mut digest = Digest::default();
	digest.push(DigestItem::PreRuntime(*b"aura", u64::from(number).encode()));
	digest.push(TradeRoot::of(trades).to_digest_item());
	Header::new(number, H256::repeat_byte(3), H256::repeat_byte(4), parent, digest)
}

/// `header` with a GRANDPA digest item that schedules voters `seeds`, with no delay.
pub fn with_set_change(mut header: Header, seeds: &[&str]) -> Header {
	header.digest_mut().push(dbm_primitives::finality::scheduled_change_item(voter_list(seeds), 0));
	header
}

/// The justification of `target` by voters `seeds` of set `set_id`, in round 1.
pub fn justification(target: &Header, set_id: u64, seeds: &[&str]) -> Vec<u8> {
	dbm_primitives::finality::testing::justify(target, 1, set_id, &voter_keys(seeds)).encode()
}

/// Anchors the genesis of sub-chain 1 with the proof of its voters.
pub fn anchor_genesis() -> DispatchResult {
	Registry::anchor_genesis(
		RuntimeOrigin::signed(acc(Sr25519Keyring::Ferdie)),
		ONE,
		genesis_header().encode(),
		subchain_state().1,
	)
}

/// Anchors `blocks` of sub-chain 1 (headers with their trades) with `justification`.
pub fn anchor_segment(
	blocks: &[(Header, Vec<TradeRecordOf<Test>>)],
	justification: Vec<u8>,
) -> DispatchResult {
	let blocks = blocks
		.iter()
		.map(|(header, trades)| dbm_primitives::registry::AnchoredBlock {
			header: header.encode(),
			trades: trades.clone(),
		})
		.collect();
	Registry::anchor(RuntimeOrigin::signed(acc(Sr25519Keyring::Ferdie)), ONE, blocks, justification)
		.map(|_| ())
		.map_err(|e| e.error)
}

/// Anchors `header` of sub-chain 1 with its trades, alone: the genesis with its voters, a
/// later header justified by Alice, Bob and Charlie in the current set.
pub fn anchor(header: &Header, trades: Vec<TradeRecordOf<Test>>) -> DispatchResult {
	if header.number == 0 {
		return anchor_genesis();
	}
	let set_id = Voters::<Test>::get(ONE).map_or(0, |voters| voters.set_id);
	anchor_segment(&[(header.clone(), trades)], justification(header, set_id, &VOTER_SEEDS[..3]))
}

/// Anchors sub-chain 1's genesis and then blocks 1 to `count`, each with one trade; returns
/// the last header.
pub fn anchor_chain(count: u32) -> Header {
	let mut last = genesis_header();
	anchor(&last, vec![]).expect("the registered genesis anchors");
	for number in 1..=count {
		let trades = vec![record(number.into())];
		let h = header(number, last.hash(), &trades);
		anchor(&h, trades).expect("a continuous finalized header anchors");
		last = h;
	}
	last
}
