//! A test runtime: the inbox of sub-chain 3, with a parent whose finalized headers the tests
//! name, and decisions that are recorded instead of carried out.

use crate::{self as pallet_parent_inbox, *};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{BuildStorage, DispatchError};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are plain numbers.
pub type AccountId = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeHoldReason,
		RuntimeFreezeReason
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Inbox = pallet_parent_inbox;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// This chain's id.
pub const THIS: SubchainId = SubchainId(3);
/// The relay, who submits proofs.
pub const RELAY: AccountId = 50;

parameter_types! {
	pub static Id: SubchainId = THIS;
	pub static MaxProof: u32 = 64 * 1024;
	pub static MaxNodes: u32 = 16;
	/// Whether the sub-chain can carry out a message now.
	pub static Room: bool = true;
}

thread_local! {
	/// The finalized parent headers: hash -> state root.
	static HEADERS: RefCell<Vec<(H256, H256)>> = const { RefCell::new(Vec::new()) };
	/// The light client's set and last finalized header.
	pub static LIGHT: RefCell<Option<LightClientState>> = const { RefCell::new(None) };
	/// The decisions carried out, in order.
	pub static APPLIED: RefCell<Vec<Decision>> = const { RefCell::new(Vec::new()) };
	/// The round in force.
	pub static ROUND: RefCell<Option<u32>> = const { RefCell::new(Some(0)) };
	/// An error the decisions give instead of being carried out.
	pub static FAIL: RefCell<Option<DispatchError>> = const { RefCell::new(None) };
	/// Whether a failing decision writes something before it fails.
	pub static HALF_DONE: RefCell<bool> = const { RefCell::new(false) };
}

/// A decision as the recording handler saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
	Apply(Message<AccountId, Balance>),
	Enact(ConfirmedElection<AccountId, ParentBlockNumber>),
	Reelect(Option<AccountId>),
	Acknowledge(u64),
}

/// Makes the parent header `hash` with `root` finalized.
pub fn finalize(hash: H256, root: H256) {
	HEADERS.with(|h| {
		let mut headers = h.borrow_mut();
		headers.retain(|(x, _)| *x != hash);
		headers.push((hash, root));
	});
}

/// The decisions carried out so far.
pub fn applied() -> Vec<Decision> {
	APPLIED.with(|a| a.borrow().clone())
}

/// Makes every decision fail with `error` (or succeed again, with `None`).
pub fn fail_with(error: Option<DispatchError>) {
	FAIL.with(|f| *f.borrow_mut() = error);
}

pub struct Headers;
impl FinalizedParent for Headers {
	fn state_root(hash: &H256) -> Option<H256> {
		HEADERS.with(|h| h.borrow().iter().find(|(x, _)| x == hash).map(|(_, root)| *root))
	}

	fn light_client() -> Option<LightClientState> {
		LIGHT.with(|l| l.borrow().clone())
	}

	fn follow(set_id: SetId, voters: AuthorityList, best: ParentHeader) -> DispatchResult {
		use sp_runtime::traits::Header as _;
		if voters.len() > 8 {
			return Err(DispatchError::Other("too many voters"));
		}
		let finalized = (best.hash(), *best.number());
		finalize(finalized.0, *best.state_root());
		LIGHT.with(|l| *l.borrow_mut() = Some(LightClientState { set_id, voters, finalized }));
		Ok(())
	}

	fn follow_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn finalized_for_benchmarks(state_root: H256) -> H256 {
		let hash = H256::repeat_byte(0xbe);
		finalize(hash, state_root);
		hash
	}
}

fn record(decision: Decision) -> DispatchResult {
	if HALF_DONE.with(|h| *h.borrow()) {
		frame_support::storage::unhashed::put(b"half-done", &1u32);
	}
	if let Some(error) = FAIL.with(|f| *f.borrow()) {
		return Err(error);
	}
	APPLIED.with(|a| a.borrow_mut().push(decision));
	Ok(())
}

pub struct Recorder;
impl ParentDecisions<AccountId> for Recorder {
	fn has_room(_: &Message<AccountId, Balance>) -> bool {
		Room::get()
	}
	fn apply(message: &Message<AccountId, Balance>) -> DispatchResult {
		record(Decision::Apply(message.clone()))
	}
	fn apply_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn enacted_round() -> Option<u32> {
		ROUND.with(|r| *r.borrow())
	}
	fn enact(election: &ConfirmedElection<AccountId, ParentBlockNumber>) -> DispatchResult {
		record(Decision::Enact(election.clone()))?;
		ROUND.with(|r| *r.borrow_mut() = Some(election.round));
		Ok(())
	}
	fn enact_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn reelect(excluded: Option<AccountId>) -> DispatchResult {
		record(Decision::Reelect(excluded))
	}
	fn reelect_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn acknowledge(last: u64) -> Result<u32, DispatchError> {
		record(Decision::Acknowledge(last))?;
		Ok(1)
	}
	fn acknowledge_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

impl pallet_parent_inbox::Config for Test {
	type SubchainId = Id;
	type Parent = Headers;
	type Decisions = Recorder;
	type MaxProofSize = MaxProof;
	type MaxProofNodes = MaxNodes;
	type MaxForcedHeaders = ConstU32<64>;
	type MaxParentVoters = ConstU32<8>;
	type WeightInfo = ();
}

/// Externalities at block 1, nothing delivered yet.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on fresh externalities, then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Inbox::do_try_state().expect("the inbox's invariants hold after the test");
	});
}
