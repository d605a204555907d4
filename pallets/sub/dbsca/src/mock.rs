//! A test runtime: the sub-chain pallet as member registry, mock keys, signatures, consensus
//! and slots.

use crate::{self as pallet_dbsca, *};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::cell::RefCell;
use dbm_primitives::membership::Role;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use frame_system::EnsureRoot;
use scale_info::TypeInfo;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_runtime::{
	testing::UintAuthorityId,
	traits::{Lazy, OpaqueKeys, Verify},
	BuildStorage, KeyTypeId, Percent, Permill,
};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are plain numbers.
pub type AccountId = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Subchain = pallet_subchain;
	#[runtime::pallet_index(2)]
	pub type Dbsca = pallet_dbsca;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_subchain::Config for Test {
	type MembershipOrigin = EnsureRoot<AccountId>;
	type OnActiveSetChange = Dbsca;
	type MaxMembers = MaxMembers;
	type WeightInfo = ();
}

/// The first key type of [`MockKeys`]: eight bytes.
pub const MOCK_KEY: KeyTypeId = KeyTypeId(*b"mock");
/// The second key type of [`MockKeys`]: the first four bytes, or 65 bytes for "long" keys.
pub const LONG_KEY: KeyTypeId = KeyTypeId(*b"long");
/// The raw second key of "long" keys: more than the 64 bytes the pallet indexes.
static LONG_RAW: [u8; 65] = [7; 65];

/// Consensus keys of the mock: eight bytes, and whether the second key is too long. The
/// proof of possession is valid when it equals the owner's encoding.
#[derive(
	Clone,
	Debug,
	Decode,
	DecodeWithMemTracking,
	Encode,
	Eq,
	MaxEncodedLen,
	PartialEq,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct MockKeys(pub [u8; 8], pub bool);

impl MockKeys {
	/// Keys derived from `n`.
	pub fn of(n: u64) -> Self {
		MockKeys(n.to_le_bytes(), false)
	}

	/// Keys derived from `n` whose second key is 65 bytes long.
	pub fn long(n: u64) -> Self {
		MockKeys(n.to_le_bytes(), true)
	}

	/// The key-ownership index entries of these keys.
	pub fn index_keys(&self) -> Vec<KeyOf> {
		MockKeys::key_ids()
			.iter()
			.map(|id| (id.0, self.get_raw(*id).to_vec().try_into().expect("short keys fit")))
			.collect()
	}
}

/// The GRANDPA key of [`MockKeys`]: its eight bytes, then zeros.
impl crate::FinalityKey for MockKeys {
	fn grandpa(&self) -> sp_consensus_grandpa::AuthorityId {
		let mut raw = [0u8; 32];
		raw[..8].copy_from_slice(&self.0);
		sp_core::ed25519::Public::from_raw(raw).into()
	}
}

/// The GRANDPA keys of `accounts`' mock keys ([`MockKeys::of`]), in order.
pub fn voters(accounts: &[AccountId]) -> Vec<sp_consensus_grandpa::AuthorityId> {
	use crate::FinalityKey;
	accounts.iter().map(|&n| MockKeys::of(n).grandpa()).collect()
}

impl OpaqueKeys for MockKeys {
	type KeyTypeIdProviders = ();

	fn key_ids() -> &'static [KeyTypeId] {
		&[MOCK_KEY, LONG_KEY]
	}

	fn get_raw(&self, i: KeyTypeId) -> &[u8] {
		match i {
			MOCK_KEY => &self.0,
			LONG_KEY if self.1 => &LONG_RAW,
			LONG_KEY => &self.0[..4],
			_ => &[],
		}
	}

	fn ownership_proof_is_valid(&self, owner: &[u8], proof: &[u8]) -> bool {
		owner == proof
	}
}

/// A signature of the mock: the signer and the hash of what it signed.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct MockSignature {
	/// Who signed.
	pub signer: u64,
	/// The blake2-256 hash of the message.
	pub hash: [u8; 32],
}

impl MockSignature {
	/// `signer`'s signature of `message`.
	pub fn sign(signer: u64, message: &[u8]) -> Self {
		MockSignature { signer, hash: sp_io::hashing::blake2_256(message) }
	}
}

impl Verify for MockSignature {
	type Signer = UintAuthorityId;

	fn verify<L: Lazy<[u8]>>(&self, mut msg: L, signer: &u64) -> bool {
		self.signer == *signer && self.hash == sp_io::hashing::blake2_256(msg.get())
	}
}

thread_local! {
	/// Every committee the handler applied: (accounts, authoring order).
	pub static APPLIED: RefCell<Vec<(Vec<AccountId>, Vec<u32>)>> = const { RefCell::new(Vec::new()) };
	/// Every member the handler took out: (its finality key, the order in force, its index).
	pub static REMOVED: RefCell<Vec<(GrandpaId, Vec<u32>, u32)>> = const { RefCell::new(Vec::new()) };
	/// Whether the authorities cannot change in this block (set by a take-out, cleared by
	/// [`run_to_block`]'s next block).
	pub static BUSY: RefCell<bool> = const { RefCell::new(false) };
	/// Whether the handler refuses (as GRANDPA does with a change pending).
	pub static HANDLER_FAILS: RefCell<bool> = const { RefCell::new(false) };
	/// The slot and author position the next block reports.
	pub static SLOT: RefCell<Option<(u64, u32)>> = const { RefCell::new(None) };
	/// The GRANDPA voter set in force.
	pub static VOTERS: RefCell<(u64, Vec<GrandpaId>)> = const { RefCell::new((0, Vec::new())) };
}

/// The GRANDPA key of seed `i`.
pub fn grandpa_pair(i: u32) -> sp_core::ed25519::Pair {
	use sp_core::Pair;
	let mut seed = [0u8; 32];
	seed[..4].copy_from_slice(&i.to_le_bytes());
	sp_core::ed25519::Pair::from_seed(&seed)
}

/// The public GRANDPA key of seed `i`.
pub fn grandpa_key(i: u32) -> GrandpaId {
	use sp_core::Pair;
	grandpa_pair(i).public().into()
}

/// Makes `voters` the GRANDPA set in force, with id `set_id`.
pub fn set_voters(set_id: u64, voters: Vec<GrandpaId>) {
	VOTERS.with(|v| *v.borrow_mut() = (set_id, voters));
}

/// Reports [`VOTERS`].
pub struct MockVoters;

impl VoterSet for MockVoters {
	fn current() -> (u64, Vec<GrandpaId>) {
		VOTERS.with(|v| v.borrow().clone())
	}
}

/// Records what it is asked to apply.
pub struct MockHandler;

impl CommitteeHandler<AccountId, MockKeys> for MockHandler {
	fn max_authorities() -> u32 {
		32
	}

	fn apply(committee: &[(AccountId, MockKeys)], order: &[u32]) -> sp_runtime::DispatchResult {
		if HANDLER_FAILS.with(|f| *f.borrow()) {
			return Err(sp_runtime::DispatchError::Other("consensus refuses"));
		}
		APPLIED.with(|a| {
			a.borrow_mut().push((committee.iter().map(|(a, _)| *a).collect(), order.to_vec()))
		});
		BUSY.with(|b| *b.borrow_mut() = true);
		Ok(())
	}

	fn busy() -> bool {
		BUSY.with(|b| *b.borrow())
	}

	fn remove(voter: &GrandpaId, order: &[u32], index: u32) -> sp_runtime::DispatchResult {
		if HANDLER_FAILS.with(|f| *f.borrow()) {
			return Err(crate::Error::<Test>::NotAVoter.into());
		}
		REMOVED.with(|r| r.borrow_mut().push((voter.clone(), order.to_vec(), index)));
		// As GRANDPA: one change of the authorities a block.
		BUSY.with(|b| *b.borrow_mut() = true);
		Ok(())
	}
}

/// Reports [`SLOT`].
pub struct MockSlot;

impl SlotAuthor for MockSlot {
	fn current() -> Option<(u64, u32)> {
		SLOT.with(|s| *s.borrow())
	}
}

parameter_types! {
	pub const MaxMembers: u32 = 16;
	pub const Quorum: Percent = Percent::from_percent(60);
	pub const TermLength: u64 = 100;
	pub const SubchainOne: SubchainId = SubchainId(1);
	pub const Genesis: sp_core::H256 = sp_core::H256([0x6e; 32]);
	pub const ElectionTimeout: u64 = 30;
}

impl Config for Test {
	type Members = Subchain;
	type SubchainId = SubchainOne;
	type GenesisHash = Genesis;
	type Keys = MockKeys;
	type Signature = MockSignature;
	type CommitteeHandler = MockHandler;
	type SlotAuthor = MockSlot;
	type ConfigOrigin = EnsureRoot<AccountId>;
	type ElectionOrigin = EnsureRoot<AccountId>;
	type EnactOrigin = EnsureRoot<AccountId>;
	type MaxCandidates = frame_support::traits::ConstU32<8>;
	type MaxMembers = MaxMembers;
	type MaxCommittee = frame_support::traits::ConstU32<4>;
	type MaxLocationLen = frame_support::traits::ConstU32<16>;
	type Quorum = Quorum;
	type TermLength = TermLength;
	type MaxSilentSlots = frame_support::traits::ConstU64<5>;
	type BillerAuraSlots = frame_support::traits::ConstU32<2>;
	type ElectionTimeout = ElectionTimeout;
	type VoterSet = MockVoters;
	type MaxEquivocations = frame_support::traits::ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Benchmarks in the mock: numbered accounts, mock keys and signatures.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<AccountId, MockKeys, MockSignature> for MockBenchmarkHelper {
	fn account(i: u32) -> AccountId {
		1_000 + u64::from(i)
	}
	fn make_member(who: &AccountId, info: MemberInfo) {
		pallet_subchain::Pallet::<Test>::insert_member(who, info);
	}
	fn remove_member(who: &AccountId) {
		pallet_subchain::Pallet::<Test>::take_member(who);
	}
	fn keys(who: &AccountId, i: u32) -> (MockKeys, Vec<u8>) {
		(MockKeys::of(10_000 + u64::from(i)), who.encode())
	}
	fn sign(who: &AccountId, payload: &[u8]) -> MockSignature {
		MockSignature::sign(*who, payload)
	}
	fn grandpa_key(i: u32) -> GrandpaId {
		grandpa_key(i)
	}
	fn grandpa_sign(i: u32, payload: &[u8]) -> sp_consensus_grandpa::AuthoritySignature {
		use sp_core::Pair;
		grandpa_pair(i).sign(payload).into()
	}
	fn set_voters(set_id: u64, voters: Vec<GrandpaId>) {
		set_voters(set_id, voters)
	}

	fn set_authors(_: Vec<MockKeys>) {}
}

/// Attributes from parts per million.
pub fn attrs(renewable: bool, env: u32, cost: u32, stable: u32) -> NodeAttributes {
	NodeAttributes {
		renewable,
		environmental: Permill::from_parts(env),
		cost: Permill::from_parts(cost),
		stability: Permill::from_parts(stable),
	}
}

/// The attested attributes of member `n` of the default genesis: the higher `n` among the
/// candidates 1..=5, the lower the score, so they rank 1, 2, 3, 4, 5. All but 6 are
/// attested renewable.
pub fn attested(n: u64) -> NodeAttributes {
	let step = 50_000 * n as u32;
	attrs(n != 6, 900_000 - step, 800_000 - step, 700_000 - step)
}

/// A member record.
pub fn member(role: Role, n: u64) -> MemberInfo {
	MemberInfo { role, attested: attested(n), suspended: false }
}

/// Builds the test externalities.
pub struct ExtBuilder {
	members: Vec<(AccountId, MemberInfo)>,
	candidates: Vec<AccountId>,
	keys: Vec<AccountId>,
	committee: Vec<AccountId>,
	committee_size: u32,
}

impl Default for ExtBuilder {
	/// Ten members: 1 to 6 generators, 7 storage, 8 to 10 consumers. Candidates 1 to 5 with
	/// their attested attributes; keys for 1 to 4; committee size 3; committee [1, 2, 3].
	fn default() -> Self {
		let members = (1..=10)
			.map(|n| {
				let role = match n {
					1..=6 => Role::Generator,
					7 => Role::Storage,
					_ => Role::Consumer,
				};
				(n, member(role, n))
			})
			.collect();
		ExtBuilder {
			members,
			candidates: vec![1, 2, 3, 4, 5],
			keys: vec![1, 2, 3, 4],
			committee: vec![1, 2, 3],
			committee_size: 3,
		}
	}
}

impl ExtBuilder {
	/// No committee in force.
	pub fn no_committee(mut self) -> Self {
		self.committee = vec![];
		self
	}

	/// Sets the candidates.
	pub fn candidates(mut self, candidates: Vec<AccountId>) -> Self {
		self.candidates = candidates;
		self
	}

	/// Sets who has keys.
	pub fn keys(mut self, keys: Vec<AccountId>) -> Self {
		self.keys = keys;
		self
	}

	/// The genesis config this builder describes.
	pub fn genesis(&self) -> RuntimeGenesisConfig {
		RuntimeGenesisConfig {
			system: Default::default(),
			subchain: pallet_subchain::GenesisConfig {
				subchain_id: Some(SubchainId(1)),
				members: self.members.clone(),
				meters: vec![],
			},
			dbsca: pallet_dbsca::GenesisConfig {
				weights: ScoreWeights::default(),
				committee_size: self.committee_size,
				candidates: self
					.candidates
					.iter()
					.map(|&n| GenesisCandidate {
						account: n,
						attributes: attested(n),
						capacity_w: 5_000,
						location: b"feeder 1".to_vec(),
					})
					.collect(),
				keys: self.keys.iter().map(|&n| (n, MockKeys::of(n))).collect(),
				committee: self.committee.clone(),
			},
		}
	}

	/// Builds the externalities, at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		APPLIED.with(|a| a.borrow_mut().clear());
		REMOVED.with(|r| r.borrow_mut().clear());
		BUSY.with(|b| *b.borrow_mut() = false);
		HANDLER_FAILS.with(|f| *f.borrow_mut() = false);
		SLOT.with(|s| *s.borrow_mut() = None);
		VOTERS.with(|v| *v.borrow_mut() = (0, Vec::new()));
		let storage = self.genesis().build_storage().expect("the test genesis builds");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Builds the externalities, runs `test`, then checks the invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Dbsca::do_try_state().expect("the invariants hold after the test");
		});
	}
}

/// Runs blocks up to `n`, each with `on_initialize`, reporting `slot_of(block)` as its slot
/// and author position.
pub fn run_to_block(n: u64, slot_of: impl Fn(u64) -> Option<(u64, u32)>) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		BUSY.with(|b| *b.borrow_mut() = false);
		SLOT.with(|s| *s.borrow_mut() = slot_of(next));
		Dbsca::on_initialize(next);
	}
}

/// The events of this pallet, oldest first.
pub fn dbsca_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Dbsca(e) = r.event { Some(e) } else { None })
		.collect()
}

/// Member `who`'s signature confirming the open round `round`.
pub fn confirmation(who: AccountId, round: u32) -> MockSignature {
	let payload = Dbsca::confirmation_payload(round).expect("the round is open");
	MockSignature::sign(who, &payload)
}

/// Has `members` confirm the open round's biller.
pub fn confirm_by(members: &[AccountId]) {
	let round = CurrentRound::<Test>::get().expect("a round is open");
	let biller = round.committee[0].0;
	for &m in members {
		frame_support::assert_ok!(Dbsca::confirm(
			RuntimeOrigin::signed(m),
			round.index,
			biller,
			confirmation(m, round.index)
		));
	}
}
