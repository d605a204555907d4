//! A test runtime: the parent's inbox, with sub-chains whose anchored state roots the tests
//! name, and decisions that are recorded instead of carried out.

use crate::{self as pallet_subchain_inbox, *};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types};
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
	pub type Inbox = pallet_subchain_inbox;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A registered sub-chain.
pub const ONE: SubchainId = SubchainId(1);
/// Another registered sub-chain.
pub const TWO: SubchainId = SubchainId(2);
/// The relay, who submits proofs.
pub const RELAY: AccountId = 50;

frame_support::ord_parameter_types! {
	/// Who may acknowledge: the relay (root in the parent runtime).
	pub const Acknowledger: AccountId = RELAY;
}

parameter_types! {
	pub static MaxProof: u32 = 64 * 1024;
	pub static MaxNodes: u32 = 16;
	/// Whether the parent has room for another proposal.
	pub static Room: bool = true;
	/// Whether the parent has room for another dispute.
	pub static DisputeRoom: bool = true;
}

thread_local! {
	/// The anchored blocks: (sub-chain, number) -> state root.
	static ANCHORS: RefCell<Vec<((SubchainId, SubchainBlockNumber), H256)>> =
		const { RefCell::new(Vec::new()) };
	/// The decisions carried out, in order.
	pub static TAKEN: RefCell<Vec<Decision>> = const { RefCell::new(Vec::new()) };
	/// The members of the sub-chains.
	pub static MEMBERS: RefCell<Vec<(AccountId, SubchainId)>> = const { RefCell::new(Vec::new()) };
	/// An error the decisions give instead of being carried out.
	pub static FAIL: RefCell<Option<DispatchError>> = const { RefCell::new(None) };
	/// Whether a failing decision writes something before it fails.
	pub static HALF_DONE: RefCell<bool> = const { RefCell::new(false) };
}

/// A decision as the recording handler saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
	Import(Proposal<AccountId>),
	Acknowledge(SubchainId, u64),
	Dispute(SubchainId, TradeId, Dispute<AccountId, Balance>),
}

/// Anchors `subchain`'s block `number` with `root`.
pub fn anchor(subchain: SubchainId, number: SubchainBlockNumber, root: H256) {
	ANCHORS.with(|a| {
		let mut anchors = a.borrow_mut();
		anchors.retain(|(x, _)| *x != (subchain, number));
		anchors.push(((subchain, number), root));
	});
}

/// The decisions carried out so far.
pub fn taken() -> Vec<Decision> {
	TAKEN.with(|t| t.borrow().clone())
}

/// Makes `who` a member of `subchain`.
pub fn member(who: AccountId, subchain: SubchainId) {
	MEMBERS.with(|m| m.borrow_mut().push((who, subchain)));
}

/// Makes every decision fail with `error` (or succeed again, with `None`).
pub fn fail_with(error: Option<DispatchError>) {
	FAIL.with(|f| *f.borrow_mut() = error);
}

pub struct Anchors;
impl AnchoredState for Anchors {
	fn state_root(subchain: SubchainId, number: SubchainBlockNumber) -> Option<H256> {
		ANCHORS.with(|a| {
			a.borrow().iter().find(|(x, _)| *x == (subchain, number)).map(|(_, root)| *root)
		})
	}

	fn is_registered(subchain: SubchainId) -> bool {
		subchain == ONE || subchain == TWO
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn anchored_for_benchmarks(subchain: SubchainId, state_root: H256) -> SubchainBlockNumber {
		anchor(subchain, 7, state_root);
		7
	}
}

fn record(decision: Decision) -> DispatchResult {
	if HALF_DONE.with(|h| *h.borrow()) {
		frame_support::storage::unhashed::put(b"half-done", &1u32);
	}
	if let Some(error) = FAIL.with(|f| *f.borrow()) {
		return Err(error);
	}
	TAKEN.with(|t| t.borrow_mut().push(decision));
	Ok(())
}

pub struct Recorder;
impl SubchainDecisions<AccountId> for Recorder {
	fn has_room() -> bool {
		Room::get()
	}
	fn has_dispute_room(_: SubchainId) -> bool {
		DisputeRoom::get()
	}
	fn dispute(
		subchain: SubchainId,
		trade: TradeId,
		dispute: &Dispute<AccountId, Balance>,
	) -> DispatchResult {
		record(Decision::Dispute(subchain, trade, dispute.clone()))
	}
	fn dispute_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn subchain_of(who: &AccountId) -> Option<SubchainId> {
		MEMBERS.with(|m| m.borrow().iter().find(|(x, _)| x == who).map(|(_, id)| *id))
	}
	fn import(proposal: &Proposal<AccountId>) -> DispatchResult {
		record(Decision::Import(proposal.clone()))
	}
	fn import_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn acknowledge(subchain: SubchainId, last: u64) -> Result<u32, DispatchError> {
		record(Decision::Acknowledge(subchain, last))?;
		Ok(1)
	}
	fn acknowledge_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

impl pallet_subchain_inbox::Config for Test {
	type Anchors = Anchors;
	type Decisions = Recorder;
	type AcknowledgeOrigin = frame_system::EnsureSignedBy<Acknowledger, AccountId>;
	type MaxProofSize = MaxProof;
	type MaxProofNodes = MaxNodes;
	type WeightInfo = ();
}

/// Externalities at block 1, nothing taken yet.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
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
