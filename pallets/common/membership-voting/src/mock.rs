//! A test runtime with two instances of the pallet: the default one as a sub-chain uses it
//! (the sub-chain pallet's active members vote, approved proposals go to the parent), and
//! `Instance2` with a recording handler that sends to sub-chains and can be made to fail.

use crate::{self as pallet_membership_voting, *};
use core::cell::RefCell;
use dbm_primitives::{dbsca::NodeAttributes, SubchainId};
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use sp_runtime::{BuildStorage, DispatchError, Percent};

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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Subchain = pallet_subchain;
	#[runtime::pallet_index(3)]
	pub type Voting = pallet_membership_voting;
	#[runtime::pallet_index(4)]
	pub type Voting2 = pallet_membership_voting<Instance2>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_subchain::Config for Test {
	type MembershipOrigin = EnsureRoot<AccountId>;
	type OnActiveSetChange = ();
	type MaxMembers = ConstU32<20>;
	type WeightInfo = ();
}

/// Members 1 to 5, active.
pub const MEMBERS: [AccountId; 5] = [1, 2, 3, 4, 5];
/// A suspended member.
pub const SUSPENDED: AccountId = 6;
/// Funded, not a member.
pub const OUTSIDER: AccountId = 7;
/// Another funded outsider.
pub const CANDIDATE: AccountId = 8;
/// No funds, not a member.
pub const PAUPER: AccountId = 9;
/// The relay's account, the inbound and acknowledging origin.
pub const RELAY: AccountId = 50;
/// What each funded account starts with.
pub const FUNDS: Balance = 1_000;
/// The deposit of a proposal.
pub const DEPOSIT: Balance = 100;
/// Blocks a proposal stays open.
pub const PERIOD: u64 = 10;

ord_parameter_types! {
	pub const Relay: AccountId = RELAY;
}

parameter_types! {
	pub const Threshold: Percent = Percent::from_percent(60);
	pub const Everyone: Percent = Percent::from_percent(100);
}

impl pallet_membership_voting::Config for Test {
	type Currency = Balances;
	type Voters = ActiveMembersVote<Subchain>;
	type Handler = ForwardToParent<Test, (), Subchain>;
	type InboundOrigin = EnsureSignedBy<Relay, AccountId>;
	type AckOrigin = EnsureSignedBy<Relay, AccountId>;
	type ProposalDeposit = ConstU128<DEPOSIT>;
	type Threshold = Threshold;
	type VotingPeriod = ConstU64<PERIOD>;
	type MaxProposals = ConstU32<3>;
	type MaxVoters = ConstU32<8>;
	type MaxOutbox = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

thread_local! {
	/// Whether the recording handler fails to carry proposals out.
	pub static FAIL: RefCell<bool> = const { RefCell::new(false) };
	/// What the recording handler carried out.
	pub static EXECUTED: RefCell<Vec<Proposal<AccountId>>> = const { RefCell::new(Vec::new()) };
}

/// A parent-like handler: sends every decision to sub-chain 7, records it, and fails (after a
/// storage write that must be undone) when [`FAIL`] is set.
pub struct Recorder;

impl DecisionHandler<AccountId, Balance> for Recorder {
	fn check(_: &Proposal<AccountId>) -> sp_runtime::DispatchResult {
		Ok(())
	}

	fn execute(
		proposal: &Proposal<AccountId>,
	) -> Result<Option<(Destination, Message<AccountId, Balance>)>, DispatchError> {
		frame_system::Pallet::<Test>::inc_providers(proposal.subject());
		if FAIL.with(|f| *f.borrow()) {
			return Err(DispatchError::Other("the handler failed"));
		}
		EXECUTED.with(|e| e.borrow_mut().push(proposal.clone()));
		let message = match proposal {
			Proposal::Join { candidate, application } => Message::Admit {
				who: *candidate,
				info: MemberInfo {
					role: application.role,
					attested: application.attested,
					suspended: false,
				},
				endowment: 5,
			},
			Proposal::Kick { member, reason } => Message::Remove { who: *member, reason: *reason },
			Proposal::Suspend { member, reason } => {
				Message::Suspend { who: *member, reason: *reason }
			}
			Proposal::ReplaceMeter { member, meter } => {
				Message::SetMeter { who: *member, meter: meter.map(|claim| claim.key) }
			}
			Proposal::JoinWithMeter { candidate, meter, .. } => Message::AdmitWithMeter {
				who: *candidate,
				info: MemberInfo {
					role: Role::Generator,
					attested: attributes(),
					suspended: false,
				},
				endowment: 5,
				meter: meter.key,
			},
		};
		Ok(Some((Destination::Subchain(SubchainId(7)), message)))
	}
}

impl pallet_membership_voting::Config<Instance2> for Test {
	type Currency = Balances;
	type Voters = ActiveMembersVote<Subchain>;
	type Handler = Recorder;
	type InboundOrigin = EnsureRoot<AccountId>;
	type AckOrigin = EnsureRoot<AccountId>;
	type ProposalDeposit = ConstU128<DEPOSIT>;
	type Threshold = Everyone;
	type VotingPeriod = ConstU64<PERIOD>;
	type MaxProposals = ConstU32<3>;
	type MaxVoters = ConstU32<3>;
	type MaxOutbox = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Voters and proposals for the benchmarks: members of the sub-chain pallet.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<AccountId> for MockHelper {
	fn voters(n: u32) -> Vec<AccountId> {
		(0..n)
			.map(|i| {
				let who = 1_000 + u64::from(i);
				pallet_subchain::Pallet::<Test>::insert_member(&who, generator());
				who
			})
			.collect()
	}

	fn proposal() -> Proposal<AccountId> {
		join(2_000)
	}
}

/// An active generator's record.
pub fn generator() -> MemberInfo {
	MemberInfo { role: Role::Generator, attested: attributes(), suspended: false }
}

/// The attributes of every application.
pub fn attributes() -> NodeAttributes {
	NodeAttributes {
		renewable: true,
		environmental: sp_runtime::Permill::from_percent(80),
		cost: sp_runtime::Permill::from_percent(40),
		stability: sp_runtime::Permill::from_percent(90),
	}
}

/// A join proposal for `candidate`: a renewable generator of 5 kW in `DE-BE`.
pub fn join(candidate: AccountId) -> Proposal<AccountId> {
	Proposal::Join {
		candidate,
		application: Application {
			role: Role::Generator,
			attested: attributes(),
			capacity_w: 5_000,
			area: b"DE-BE".to_vec().try_into().expect("short"),
		},
	}
}

/// A kick proposal for `member`.
pub fn kick(member: AccountId) -> Proposal<AccountId> {
	Proposal::Kick { member, reason: Reason::ContinuousSilence }
}

/// A suspension proposal for `member`.
pub fn suspend(member: AccountId) -> Proposal<AccountId> {
	Proposal::Suspend { member, reason: Reason::FalseInformation }
}

/// Members 1-5 active, 6 suspended, all but the pauper and the relay funded, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	FAIL.with(|f| *f.borrow_mut() = false);
	EXECUTED.with(|e| e.borrow_mut().clear());
	let mut members: Vec<_> = MEMBERS.iter().map(|&m| (m, generator())).collect();
	members.push((SUSPENDED, MemberInfo { suspended: true, ..generator() }));
	let balances =
		MEMBERS.iter().chain(&[SUSPENDED, OUTSIDER, CANDIDATE]).map(|&who| (who, FUNDS)).collect();
	let genesis = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
		subchain: pallet_subchain::GenesisConfig {
			subchain_id: Some(SubchainId(1)),
			members,
			meters: vec![],
		},
		..Default::default()
	};
	let mut ext = sp_io::TestExternalities::new(genesis.build_storage().expect("genesis builds"));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// No members and no funds, at block 1: the benchmarks make their own voters.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	let genesis = RuntimeGenesisConfig {
		subchain: pallet_subchain::GenesisConfig {
			subchain_id: Some(SubchainId(1)),
			members: vec![],
			meters: vec![],
		},
		..Default::default()
	};
	let mut ext = sp_io::TestExternalities::new(genesis.build_storage().expect("genesis builds"));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and checks both instances' invariants after it.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Voting::do_try_state().expect("the invariants hold");
		Voting2::do_try_state().expect("the invariants of instance 2 hold");
	});
}

/// Moves to block `n`, running both instances' `on_initialize`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Voting::on_initialize(next);
		Voting2::on_initialize(next);
	}
}
