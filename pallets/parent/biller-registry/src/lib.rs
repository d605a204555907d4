//! # Biller registry: the parent chain's view of its sub-chains
//!
//! The parent chain keeps, for every sub-chain (the paper's sections 3.1, 3.2 and 3.4), six
//! things; each has its own module, whose docs give the rules:
//!
//! * **its registration** (`subchains.rs`): name, location area, genesis and chain-spec hashes,
//!   boot nodes, and its status (active, paused, retired), set by `RegistryOrigin`;
//! * **its members** (`members.rs`): each node belongs to at most one sub-chain; the parent's
//!   membership vote changes them through the registry's
//!   [`DecisionHandler`](dbm_primitives::membership::DecisionHandler), which **assigns** a
//!   joining node to a sub-chain by location area, then load (`decisions.rs`), and
//!   `MembershipOrigin` directly;
//! * **the parent authorities** (`authorities.rs`): the standing operators and the billers of
//!   the active sub-chains with parent keys, at least `MinAuthorities`, applied to consensus by
//!   `AuthorityHandler`; they are also the parent's membership voters ([`VoterSet`]);
//! * **its biller and committee** (`elections.rs`): confirmed from an election proof signed by
//!   a `Quorum` of its active members, whose set the signed statement names, from any
//!   submitter; re-elections asked at the end of a term or by `ElectionOrigin`, and asked
//!   again after `ElectionTimeout` (missing anchors only raise `AnchorsOverdue`);
//! * **its anchored headers** (`anchors.rs`): the genesis header with the sub-chain's GRANDPA
//!   voters, then finalized segments of headers, each with a justification by more than two
//!   thirds of the voter set the parent follows, and each header with its trade batch, whose
//!   root must be the header's [`TradeRoot`]; the recent ones in full, older ones by epoch;
//! * **its safety** (`forks.rs`): evidence of two finalized blocks at one height, from any
//!   submitter, pauses the sub-chain until `RegistryOrigin` resolves it (the canonical head,
//!   the voter set) or retires it; a voter's proven equivocation (`equivocations.rs`), an
//!   author's two seals for one slot (`seals.rs`) and the voters proven to have signed both
//!   sides of a fork in one round suspend the members whose keys they are;
//! * **its trade disputes** (`disputes.rs`): opened from the sub-chain's proven outbox, ruled by
//!   `DisputeOrigin`, the ruling sent back to the sub-chain.
//!
//! Genesis (`genesis.rs`) registers sub-chains with their members and committees, and the
//! operators; `invariants.rs` holds the invariants `try_state` checks.
//!
//! **Key ownership.** `set_parent_keys` takes keys only with a proof of possession of every
//! one of them, signed for the caller's account, and only from operators and the members of
//! confirmed committees.
//!
//! The pallet's calls, storage, events, errors and constants are summarised in its
//! `README.md`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod anchors;
mod authorities;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod decisions;
mod disputes;
mod elections;
mod equivocations;
mod errors;
mod events;
mod forks;
mod genesis;
mod invariants;
mod members;
pub mod migrations;
#[cfg(test)]
mod mock;
mod seals;
mod subchains;
#[cfg(test)]
mod tests;
pub mod weights;

pub use authorities::{AuthorityHandler, MaxAuthoritiesOf};
pub use dbm_primitives::{
	dbsca::ScoreWeights,
	membership::{
		Destination, Dispute, MemberInfo, MemberRegistry, MemberSet, Message, Outbox, VoterSet,
	},
	registry::{
		Anchor, AnchorHead, AnchorLocation, BootNode, BootNodes, Committee, ConfirmedElection,
		Location, Name, Reelection, ReelectionReason, SubchainInfo, SubchainStatus, UpgradeTarget,
	},
	trade::{TradeId, TradeProof, TradeRecord, TradeRoot},
	Balance, SubchainId,
};
/// A sub-chain's voters left out by forced changes: key, weight and account (if known).
pub type SidelinedOf<T> = frame_support::BoundedVec<
	(
		dbm_primitives::finality::AuthorityId,
		dbm_primitives::finality::AuthorityWeight,
		Option<<T as frame_system::Config>::AccountId>,
	),
	<T as Config>::MaxVoters,
>;
pub use genesis::GenesisSubchain;
pub use pallet::*;
pub use weights::WeightInfo;

use frame_support::pallet_macros::import_section;

/// One public key of a parent authority: its key type (e.g. `*b"gran"`) and the BLAKE2-256
/// hash of its raw bytes.
pub type KeyId = ([u8; 4], [u8; 32]);

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::biller-registry";

/// What the benchmarks need from the runtime: accounts that sign, and parent keys.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature, Keys> {
	/// A new account that can sign, the `i`-th.
	fn account(i: u32) -> AccountId;
	/// `who`'s signature of `payload`.
	fn sign(who: &AccountId, payload: &[u8]) -> Signature;
	/// The `i`-th of distinct parent keys.
	fn authority_keys(i: u32) -> Keys;
	/// The proof of possession of the `i`-th parent keys for `owner`'s account.
	fn authority_keys_proof(i: u32, owner: &AccountId) -> alloc::vec::Vec<u8>;
	/// The `i`-th sub-chain GRANDPA voter's key.
	fn voter(i: u32) -> dbm_primitives::finality::AuthorityId;
	/// `voter`'s signature of `payload` (a GRANDPA vote).
	fn vote(
		voter: &dbm_primitives::finality::AuthorityId,
		payload: &[u8],
	) -> dbm_primitives::finality::AuthoritySignature;
}

/// The events (`events.rs`) and errors (`errors.rs`) are pallet sections, imported here.
#[import_section(events::events)]
#[import_section(errors::errors)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{
		traits::{IdentifyAccount, Verify},
		Percent,
	};

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A trade record as sub-chains produce it.
	pub type TradeRecordOf<T> = TradeRecord<<T as frame_system::Config>::AccountId, Balance>;
	/// A disputed trade as stored.
	pub type DisputeOf<T> = Dispute<<T as frame_system::Config>::AccountId, Balance>;
	/// A confirmed election as stored.
	pub type ElectionOf<T> =
		ConfirmedElection<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// Fork evidence as stored.
	pub type ForkEvidenceOf<T> = dbm_primitives::registry::ForkEvidence<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
	>;
	/// A sub-chain block as an anchor carries it.
	pub type AnchoredBlockOf<T> =
		dbm_primitives::registry::AnchoredBlock<<T as frame_system::Config>::AccountId, Balance>;

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<Hash = H256> {
		/// The signature members put on election statements, by their account key.
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Member
			+ Parameter
			+ MaxEncodedLen;
		/// Who registers sub-chains and changes their status and boot nodes.
		type RegistryOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who adds, changes and removes members (the join / kick / suspend vote).
		type MembershipOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who may ask a sub-chain for a new election.
		type ElectionOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who authorizes runtime upgrades, of the parent and of each sub-chain.
		type UpgradeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who sets the standing operator authorities.
		type OperatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who rules on the sub-chains' trade disputes.
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// A parent authority's keys (the runtime's session keys: Aura and GRANDPA).
		type AuthorityKeys: Member
			+ Parameter
			+ MaxEncodedLen
			+ MaybeSerializeDeserialize
			+ sp_runtime::traits::OpaqueKeys;
		/// Puts a new parent authority set in charge of consensus.
		type AuthorityHandler: AuthorityHandler<Self::AccountId, Self::AuthorityKeys>;
		/// Where the parent's decisions for a sub-chain wait for the relay (the membership
		/// pallet's outbox).
		type Outbox: Outbox<Self::AccountId, Balance>;
		/// The most standing operators.
		#[pallet::constant]
		type MaxOperators: Get<u32>;
		/// The fewest parent authorities a new set may have (4 lets one voter fail).
		#[pallet::constant]
		type MinAuthorities: Get<u32>;
		/// What a node admitted by the parent's vote gets on its sub-chain to pay its first fees
		/// (sent with the admission; paid by the sub-chain's endowment account).
		#[pallet::constant]
		type Endowment: Get<Balance>;
		/// The most sub-chains.
		#[pallet::constant]
		type MaxSubchains: Get<u32>;
		/// The most members of one sub-chain.
		#[pallet::constant]
		type MaxMembers: Get<u32>;
		/// The longest encoded header an anchor may carry, in bytes.
		#[pallet::constant]
		type MaxHeaderLen: Get<u32>;
		/// The most trade records one anchor (a finalized segment) may carry.
		#[pallet::constant]
		type MaxTradesPerAnchor: Get<u32>;
		/// The most headers in one finalized segment.
		#[pallet::constant]
		type MaxSegment: Get<u32>;
		/// The longest GRANDPA justification an anchor may carry, in bytes.
		#[pallet::constant]
		type MaxJustificationLen: Get<u32>;
		/// The most ancestry headers in a justification.
		#[pallet::constant]
		type MaxAncestry: Get<u32>;
		/// The most GRANDPA voters of a sub-chain (at most
		/// [`MAX_VOTERS`](dbm_primitives::registry::MAX_VOTERS)).
		#[pallet::constant]
		type MaxVoters: Get<u32>;
		/// The largest proof of a sub-chain's genesis voters, in bytes.
		#[pallet::constant]
		type MaxProofSize: Get<u32>;
		/// The most trie nodes in such a proof.
		#[pallet::constant]
		type MaxProofNodes: Get<u32>;
		/// The most open disputes of one sub-chain (more wait in its outbox).
		#[pallet::constant]
		type MaxDisputes: Get<u32>;
		/// How many recent anchors of each sub-chain are kept in full.
		#[pallet::constant]
		type AnchorWindow: Get<u32>;
		/// Sub-chain blocks per epoch of the older-anchor index.
		#[pallet::constant]
		type EpochLength: Get<u32>;
		/// How many epochs of the older-anchor index are kept.
		#[pallet::constant]
		type MaxEpochs: Get<u32>;
		/// The share of a sub-chain's active members whose signatures confirm an election.
		#[pallet::constant]
		type Quorum: Get<Percent>;
		/// Parent blocks a confirmed committee serves before a re-election is asked (0: never).
		#[pallet::constant]
		type TermLength: Get<BlockNumberFor<Self>>;
		/// Parent blocks without an anchor after which `AnchorsOverdue` says so (0: never). It
		/// asks for nothing: the parent cannot tell a stopped sub-chain from a stopped relay.
		#[pallet::constant]
		type AnchorsOverdueAfter: Get<BlockNumberFor<Self>>;
		/// Parent blocks a biller counts as live after an anchor's justification last held its
		/// own GRANDPA vote on its sub-chain. Only a live biller is a parent authority.
		#[pallet::constant]
		type BillerLiveness: Get<BlockNumberFor<Self>>;
		/// Parent blocks after which a re-election request the sub-chain has not answered is
		/// made again (longer than a sub-chain round may stay open and then await
		/// confirmation).
		#[pallet::constant]
		type ElectionTimeout: Get<BlockNumberFor<Self>>;
		/// Weights of the calls and hooks, generated by `dbm-node benchmark pallet`.
		type WeightInfo: WeightInfo;
		/// Signing accounts for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature, Self::AuthorityKeys>;
	}

	/// The registered sub-chains.
	#[pallet::storage]
	pub type Subchains<T: Config> =
		CountedStorageMap<_, Twox64Concat, SubchainId, SubchainInfo<BlockNumberFor<T>>>;

	/// The members of each sub-chain.
	#[pallet::storage]
	pub type Members<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SubchainId, Blake2_128Concat, T::AccountId, MemberInfo>;

	/// The sub-chain each member belongs to.
	#[pallet::storage]
	pub type MemberOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, SubchainId>;

	/// The number of members of each sub-chain: (all, active).
	#[pallet::storage]
	pub type MemberCount<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, (u32, u32), ValueQuery>;

	/// Each sub-chain's active members as an election statement names them (count and
	/// digest): an election must count exactly this set.
	#[pallet::storage]
	pub type ActiveSets<T: Config> = StorageMap<_, Twox64Concat, SubchainId, MemberSet, ValueQuery>;

	/// Each sub-chain's confirmed election.
	#[pallet::storage]
	pub type Elections<T: Config> = StorageMap<_, Twox64Concat, SubchainId, ElectionOf<T>>;

	/// The voter sets of each sub-chain's confirmed elections whose enactment the parent has
	/// not anchored yet, oldest first: a finalized header may schedule a change of voters only
	/// to one of them.
	#[pallet::storage]
	pub type Unenacted<T: Config> = StorageMap<
		_,
		Twox64Concat,
		SubchainId,
		BoundedVec<
			dbm_primitives::registry::ElectedVoters<T::AccountId>,
			ConstU32<{ dbm_primitives::registry::MAX_UNENACTED }>,
		>,
		ValueQuery,
	>;

	/// Whose each GRANDPA key of the voter set the parent follows is, in the order of
	/// [`Voters`]: the elected committee the set was handed to (the genesis committee for set
	/// 0 if it has one account per genesis voter, kept here from the parent's genesis until
	/// the genesis anchor), less the voters taken out since, with the voters a forced change
	/// left out taken back; empty where the parent does not know (a set governance chose).
	#[pallet::storage]
	pub type VoterAccounts<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, Committee<T::AccountId>, ValueQuery>;

	/// The voters of each sub-chain that its forced GRANDPA changes (finality recovery) left
	/// out, with their weights and accounts where known, in the order they were left out: the
	/// only voters a standard change may take back without an election. Cleared when an
	/// elected committee's set is enacted or a voter is taken out.
	#[pallet::storage]
	pub type Sidelined<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, SidelinedOf<T>, ValueQuery>;

	/// Re-elections asked of sub-chains, pending until an election is confirmed.
	#[pallet::storage]
	pub type Reelections<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, Reelection<T::AccountId, BlockNumberFor<T>>>;

	/// The last anchored header of each sub-chain.
	#[pallet::storage]
	pub type LastAnchor<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, AnchorHead<BlockNumberFor<T>>>;

	/// The recent anchors of each sub-chain, by sub-chain block number.
	#[pallet::storage]
	pub type Anchors<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		SubchainId,
		Twox64Concat,
		dbm_primitives::BlockNumber,
		Anchor<BlockNumberFor<T>>,
	>;

	/// Each sub-chain's GRANDPA voters, which the parent follows from the genesis through the
	/// changes its finalized headers schedule.
	#[pallet::storage]
	pub type Voters<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, dbm_primitives::registry::GrandpaVoters>;

	/// For each epoch of a sub-chain's blocks, the first and last parent blocks that anchored
	/// one of them.
	#[pallet::storage]
	pub type AnchorEpochs<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		SubchainId,
		Twox64Concat,
		u32,
		(BlockNumberFor<T>, BlockNumberFor<T>),
	>;

	/// The sub-chains' disputed trades awaiting the parent's ruling, by sub-chain and trade id.
	#[pallet::storage]
	pub type Disputes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SubchainId, Twox64Concat, TradeId, DisputeOf<T>>;

	/// How many disputes of each sub-chain are open.
	#[pallet::storage]
	pub type DisputeCount<T: Config> = StorageMap<_, Twox64Concat, SubchainId, u32, ValueQuery>;

	/// Evidence of a fork of each sub-chain, until `resolve_fork` (see `forks.rs`).
	#[pallet::storage]
	pub type Forks<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, ForkEvidenceOf<T>, OptionQuery>;

	/// The latest Aura slot each member was suspended for sealing two blocks in (see
	/// `seals.rs`): evidence of an earlier slot, or that one, is refused. One entry per member
	/// at most, removed with the member.
	#[pallet::storage]
	pub type SealOffences<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u64>;

	/// The standing operator authorities, in order.
	#[pallet::storage]
	pub type Operators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxOperators>, ValueQuery>;

	/// The parent keys of operators and members (billers need them to be parent authorities).
	#[pallet::storage]
	pub type ParentKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AuthorityKeys>;

	/// Whose parent key each (Aura, GRANDPA, ...) public key is: no two accounts share one,
	/// so no consensus key appears twice in an authority set.
	#[pallet::storage]
	pub type KeyOwner<T: Config> = StorageMap<_, Blake2_128Concat, KeyId, T::AccountId>;

	/// The parent authorities in force (and the parent's membership voters), in order.
	#[pallet::storage]
	pub type Authorities<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, MaxAuthoritiesOf<T>>, ValueQuery>;

	/// The hash of the authority set in force with its keys (see `Pallet::set_hash`).
	#[pallet::storage]
	pub type AuthoritySetHash<T: Config> = StorageValue<_, H256>;

	/// Whether the authority set may have changed since it was last computed.
	#[pallet::storage]
	pub type AuthoritiesStale<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Each sub-chain's biller whose own GRANDPA vote was last in the justification of an
	/// anchor, and the parent block of that anchor: the biller is live until `BillerLiveness`
	/// blocks later (one entry per sub-chain).
	#[pallet::storage]
	pub type BillerVotes<T: Config> =
		StorageMap<_, Twox64Concat, SubchainId, (T::AccountId, BlockNumberFor<T>)>;

	/// The sub-chains at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The sub-chains, each id at most once.
		pub subchains: Vec<GenesisSubchain<T::AccountId>>,
		/// The standing operators with their parent keys: the genesis authorities (genesis
		/// gives no one else parent keys, so no biller is one yet; the Aura and GRANDPA genesis
		/// must list the same keys).
		pub operators: Vec<(T::AccountId, T::AuthorityKeys)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// What the last block made stale is applied first; a biller whose liveness runs out
			// in this block is found stale here and leaves the set in the next.
			let refreshed = if Self::refresh_authorities() {
				T::WeightInfo::refresh_authorities()
			} else {
				T::DbWeight::get().reads(1)
			};
			let checked = Self::watch_subchains(now);
			T::WeightInfo::on_initialize(checked).saturating_add(refreshed)
		}

		fn integrity_test() {
			assert!(T::MaxSubchains::get() > 0, "MaxSubchains must be positive");
			assert!(T::MaxMembers::get() > 0, "MaxMembers must be positive");
			assert!(T::AnchorWindow::get() > 0, "AnchorWindow must be positive");
			assert!(T::EpochLength::get() > 0, "EpochLength must be positive");
			assert!(T::MaxEpochs::get() > 0, "MaxEpochs must be positive");
			assert!(!T::Quorum::get().is_zero(), "a quorum of 0% would confirm anything");
			assert!(T::MaxHeaderLen::get() >= 128, "MaxHeaderLen must fit a header with a digest");
			assert!(T::MinAuthorities::get() > 0, "MinAuthorities must be positive");
			assert!(T::MaxDisputes::get() > 0, "MaxDisputes must be positive");
			assert!(T::MaxSegment::get() > 0, "MaxSegment must be positive");
			assert!(
				T::MaxVoters::get() > 0
					&& T::MaxVoters::get() <= dbm_primitives::registry::MAX_VOTERS,
				"MaxVoters must be positive and at most MAX_VOTERS"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a sub-chain, active.
		///
		/// Origin: `RegistryOrigin`. Errors: `InvalidSubchainId`, `AlreadyRegistered`,
		/// `TooManySubchains`, `NameTooLong`, `LocationTooLong`, `TooManyBootNodes`,
		/// `BootNodeTooLong`. Event: `SubchainRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_subchain())]
		pub fn register_subchain(
			origin: OriginFor<T>,
			subchain: SubchainId,
			name: Vec<u8>,
			location: Vec<u8>,
			genesis_hash: H256,
			chain_spec_hash: H256,
			boot_nodes: Vec<Vec<u8>>,
		) -> DispatchResult {
			T::RegistryOrigin::ensure_origin(origin)?;
			Self::do_register(subchain, name, location, genesis_hash, chain_spec_hash, boot_nodes)
		}

		/// Replace a sub-chain's boot nodes.
		///
		/// Origin: `RegistryOrigin`. Errors: `UnknownSubchain`, `SubchainRetired`,
		/// `TooManyBootNodes`, `BootNodeTooLong`. Event: `BootNodesSet`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_boot_nodes())]
		pub fn set_boot_nodes(
			origin: OriginFor<T>,
			subchain: SubchainId,
			boot_nodes: Vec<Vec<u8>>,
		) -> DispatchResult {
			T::RegistryOrigin::ensure_origin(origin)?;
			Self::do_set_boot_nodes(subchain, boot_nodes)?;
			Self::deposit_event(Event::BootNodesSet { subchain });
			Ok(())
		}

		/// Pause, resume or retire a sub-chain. Retiring is final; a sub-chain with a reported
		/// fork is made active only by `resolve_fork`.
		///
		/// Origin: `RegistryOrigin`. Errors: `UnknownSubchain`, `SubchainRetired`,
		/// `UnresolvedFork`.
		/// Event: `StatusChanged`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_status())]
		pub fn set_status(
			origin: OriginFor<T>,
			subchain: SubchainId,
			status: SubchainStatus,
		) -> DispatchResult {
			T::RegistryOrigin::ensure_origin(origin)?;
			Self::do_set_status(subchain, status)?;
			Self::deposit_event(Event::StatusChanged { subchain, status });
			Ok(())
		}

		/// Add `who` to a sub-chain with the attested `info`.
		///
		/// Origin: `MembershipOrigin`. Errors: `UnknownSubchain`, `SubchainNotActive`,
		/// `AlreadyMember`, `TooManyMembers`. Event: `MemberAdded`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::add_member())]
		pub fn add_member(
			origin: OriginFor<T>,
			subchain: SubchainId,
			who: T::AccountId,
			info: MemberInfo,
		) -> DispatchResult {
			T::MembershipOrigin::ensure_origin(origin)?;
			Self::do_add_member_to_active(subchain, &who, info)?;
			Self::deposit_event(Event::MemberAdded { subchain, who });
			Ok(())
		}

		/// Change a member's record: its role, attested attributes or suspension.
		///
		/// Origin: `MembershipOrigin`. Errors: `NotMember`. Event: `MemberUpdated`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::update_member())]
		pub fn update_member(
			origin: OriginFor<T>,
			who: T::AccountId,
			info: MemberInfo,
		) -> DispatchResult {
			T::MembershipOrigin::ensure_origin(origin)?;
			let subchain = Self::do_update_member(&who, info)?;
			Self::deposit_event(Event::MemberUpdated { subchain, who });
			Ok(())
		}

		/// Remove a member from its sub-chain.
		///
		/// Origin: `MembershipOrigin`. Errors: `NotMember`. Event: `MemberRemoved`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_member())]
		pub fn remove_member(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::MembershipOrigin::ensure_origin(origin)?;
			let subchain = Self::do_remove_member(&who)?;
			Self::deposit_event(Event::MemberRemoved { subchain, who });
			Ok(())
		}

		/// Confirm a sub-chain's election from its proof: `committee` (biller first) with its
		/// GRANDPA keys `voters` as round `round` elected it counting the active member set
		/// `members`, and members' signatures over the round's election statement. Once a
		/// finalized header of the sub-chain schedules `voters`, the parent follows them.
		///
		/// Origin: any signed account (a relayer; it is not trusted). Errors:
		/// `UnknownSubchain`, `SubchainNotActive`, `StaleRound`, `UnknownMemberSet`,
		/// `EmptyCommittee`, `CommitteeTooLarge`, `InvalidCommittee`, `InvalidVoters`,
		/// `TooManyConfirmations`, `ConfirmationByNonMember`, `DuplicateConfirmation`,
		/// `BadSignature`, `TooFewConfirmations`. Event: `ElectionConfirmed`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::submit_election(
			// Each committee node costs a member lookup, as each confirmation does (and more).
			(confirmations.len().max(committee.len()) as u32).min(T::MaxMembers::get())
		))]
		pub fn submit_election(
			origin: OriginFor<T>,
			subchain: SubchainId,
			round: u32,
			members: MemberSet,
			committee: Vec<T::AccountId>,
			voters: Vec<dbm_primitives::finality::AuthorityId>,
			confirmations: Vec<(T::AccountId, T::Signature)>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_confirm_election(subchain, round, members, committee, voters, confirmations)
		}

		/// Ask a sub-chain for a new election, optionally without one node.
		///
		/// Origin: `ElectionOrigin`. Errors: `UnknownSubchain`, `SubchainNotActive`.
		/// Event: `ReelectionRequested`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::request_reelection())]
		pub fn request_reelection(
			origin: OriginFor<T>,
			subchain: SubchainId,
			excluded: Option<T::AccountId>,
		) -> DispatchResult {
			T::ElectionOrigin::ensure_origin(origin)?;
			Self::do_request_reelection(subchain, excluded)
		}

		/// Anchor a finalized segment of a sub-chain: consecutive blocks after the last anchor,
		/// each its SCALE-encoded header (whole digest) and its trade batch, whose root must be
		/// the one in the header; and a GRANDPA justification of the last header by the
		/// sub-chain's current voters. A header that changes the voter set must be the last.
		///
		/// Origin: any signed account (a relayer; it is not trusted). Errors:
		/// `UnknownSubchain`, `SubchainNotActive`, `EmptySegment`, `SegmentTooLong`,
		/// `TooManyTrades`, `JustificationTooLong`, `Gap`, `HeaderTooLong`, `BadHeader`,
		/// `AlreadyAnchored`, `ConflictingHeader`, `ParentMismatch`, `NoTradeRoot`,
		/// `TradeRootMismatch`, `UndecodableSetChange`, `DelayedSetChange`,
		/// `UnsupportedSetChange`, `SetChangeNotLast`, `InvalidVoterSet`, `BadJustification`,
		/// `WrongJustificationTarget`, `UnknownVoter`, `BadVote`, `VoteNotDescendant`,
		/// `RedundantAncestry`, `NotEnoughVotes`. Events: `Anchored` for each block,
		/// `VoterSetChanged`.
		#[pallet::call_index(8)]
		#[pallet::weight(Pallet::<T>::anchor_weight(
			blocks.len(),
			blocks.iter().map(|block| block.trades.len()).sum(),
			justification.len(),
		))]
		pub fn anchor(
			origin: OriginFor<T>,
			subchain: SubchainId,
			blocks: Vec<AnchoredBlockOf<T>>,
			justification: Vec<u8>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let size = Self::do_anchor(subchain, &blocks, &justification)?;
			let trades = blocks.iter().map(|block| block.trades.len() as u32).sum();
			Ok(Some(T::WeightInfo::anchor(
				blocks.len() as u32,
				trades,
				size.precommits.max(1),
				size.ancestries,
			))
			.into())
		}

		/// Anchor a sub-chain's genesis: its SCALE-encoded header, whose hash must be the
		/// registered genesis hash, and a storage proof of its GRANDPA voters
		/// (`Grandpa::Authorities`) against the header's state root.
		///
		/// Origin: any signed account. Errors: `UnknownSubchain`, `SubchainNotActive`,
		/// `AlreadyAnchored`, `HeaderTooLong`, `ProofTooLarge`, `BadHeader`, `Gap`,
		/// `NotGenesis`, `InvalidProof`, `InvalidVoterSet`. Events: `Anchored`,
		/// `VoterSetChanged`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::anchor_genesis(
			dbm_primitives::proof::proof_size(voters).min(T::MaxProofSize::get()),
		))]
		pub fn anchor_genesis(
			origin: OriginFor<T>,
			subchain: SubchainId,
			header: Vec<u8>,
			voters: Vec<Vec<u8>>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_anchor_genesis(subchain, &header, voters)
		}

		/// Replace the standing operator authorities. They take part in the authority set
		/// once they have parent keys.
		///
		/// Origin: `OperatorOrigin`. Errors: `TooManyOperators`, `DuplicateOperator`.
		/// Event: `OperatorsSet`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_operators())]
		pub fn set_operators(origin: OriginFor<T>, operators: Vec<T::AccountId>) -> DispatchResult {
			T::OperatorOrigin::ensure_origin(origin)?;
			Self::do_set_operators(&operators)?;
			Self::deposit_event(Event::OperatorsSet { operators });
			Ok(())
		}

		/// Register the caller's parent keys (Aura and GRANDPA), replacing earlier ones, with
		/// the proof of possession `author_rotateKeysWithOwner` returns for the caller's
		/// account (each key's signature of `"POP_"` and the account). A biller needs them to
		/// become a parent authority. Each public key belongs to one account only; the proof
		/// keeps anyone from registering keys another node generated (and so from taking them
		/// before their holder does) or keys nobody can sign with.
		///
		/// Origin: an operator, or an active member of its sub-chain's confirmed committee.
		/// Errors: `NotEligible`, `InvalidKeyProof`, `KeysInUse`. Event: `ParentKeysSet`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_parent_keys())]
		pub fn set_parent_keys(
			origin: OriginFor<T>,
			keys: T::AuthorityKeys,
			proof: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_parent_keys(&who, keys, &proof)?;
			Self::deposit_event(Event::ParentKeysSet { who });
			Ok(())
		}

		/// Set the score weights of a sub-chain's biller elections (the paper's DBSCA weights).
		/// The sub-chain takes them from the parent's outbox, through its relay and a proof,
		/// like a membership decision; rankings and rounds opened after that use them.
		///
		/// Origin: `ElectionOrigin`. Errors: `UnknownSubchain`, `SubchainNotActive`,
		/// `WeightsDoNotSumTo100Percent`, and the outbox's `OutboxFull`. Event:
		/// `ScoreWeightsSent`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_score_weights())]
		pub fn set_score_weights(
			origin: OriginFor<T>,
			subchain: SubchainId,
			weights: ScoreWeights,
		) -> DispatchResult {
			T::ElectionOrigin::ensure_origin(origin)?;
			let nonce = Self::do_set_score_weights(subchain, weights)?;
			Self::deposit_event(Event::ScoreWeightsSent { subchain, weights, nonce });
			Ok(())
		}

		/// Set the price bounds of a sub-chain's market: the feed-in tariff and the grid price,
		/// per kWh. They are sent to the sub-chain (a `Message::SetPrices` in the outbox), whose
		/// market uses them once the message is delivered there with a proof.
		///
		/// Origin: `RegistryOrigin`. Errors: `UnknownSubchain`, `SubchainNotActive`,
		/// `InvalidPriceBounds`, and the outbox's `OutboxFull`. Event: `PricesSent`.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::set_prices())]
		pub fn set_prices(
			origin: OriginFor<T>,
			subchain: SubchainId,
			feed_in_tariff: Balance,
			grid_price: Balance,
		) -> DispatchResult {
			T::RegistryOrigin::ensure_origin(origin)?;
			let nonce = Self::do_set_prices(subchain, feed_in_tariff, grid_price)?;
			Self::deposit_event(Event::PricesSent { subchain, feed_in_tariff, grid_price, nonce });
			Ok(())
		}

		/// Set the network charge of a sub-chain, per kWh: what the grid account is paid, out of
		/// the seller's proceeds, for every kWh a trade there delivers over the network. Sent to
		/// the sub-chain as a `Message::SetNetworkCharge`; the sub-chain takes it unless it is
		/// above its feed-in tariff (`NetworkChargeAboveFeedInTariff` in its inbox's
		/// `Delivered` event), so a seller always keeps the trade price less the charge, at
		/// least the trade price less the tariff.
		///
		/// Origin: `RegistryOrigin`. Errors: `UnknownSubchain`, `SubchainNotActive`, and the
		/// outbox's `OutboxFull`. Event: `NetworkChargeSent`.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::set_network_charge())]
		pub fn set_network_charge(
			origin: OriginFor<T>,
			subchain: SubchainId,
			per_kwh: Balance,
		) -> DispatchResult {
			T::RegistryOrigin::ensure_origin(origin)?;
			let nonce = Self::do_set_network_charge(subchain, per_kwh)?;
			Self::deposit_event(Event::NetworkChargeSent { subchain, per_kwh, nonce });
			Ok(())
		}

		/// Set how many nodes a sub-chain's next biller elections elect (its biller and
		/// standbys). Sent to the sub-chain as a `Message::SetCommitteeSize`.
		///
		/// Origin: `ElectionOrigin`. Errors: `UnknownSubchain`, `SubchainNotActive`,
		/// `InvalidCommitteeSize`, and the outbox's `OutboxFull`. Event: `CommitteeSizeSent`.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::set_committee_size())]
		pub fn set_committee_size(
			origin: OriginFor<T>,
			subchain: SubchainId,
			size: u32,
		) -> DispatchResult {
			T::ElectionOrigin::ensure_origin(origin)?;
			let nonce = Self::do_set_committee_size(subchain, size)?;
			Self::deposit_event(Event::CommitteeSizeSent { subchain, size, nonce });
			Ok(())
		}

		/// Authorize a runtime upgrade to the code whose BLAKE2-256 hash is `code_hash`, of
		/// the parent (`UpgradeTarget::Parent`) or of an active sub-chain
		/// (`UpgradeTarget::Subchain`, sent as a `Message::AuthorizeUpgrade` that the
		/// sub-chain applies once it is delivered there with a proof). Either way anyone then
		/// supplies the code on the chain it upgrades (`system.applyAuthorizedUpgrade`, free),
		/// which checks it against the hash, keeps the spec name and requires a higher spec
		/// version. A later authorization replaces an earlier one not yet applied.
		///
		/// Origin: `UpgradeOrigin`. Errors: `UnknownSubchain`, `SubchainNotActive`, and the
		/// outbox's `OutboxFull`. Event: `UpgradeAuthorized`.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::authorize_upgrade())]
		pub fn authorize_upgrade(
			origin: OriginFor<T>,
			target: UpgradeTarget,
			code_hash: H256,
		) -> DispatchResult {
			T::UpgradeOrigin::ensure_origin(origin)?;
			let nonce = Self::do_authorize_upgrade(target, code_hash)?;
			Self::deposit_event(Event::UpgradeAuthorized { target, code_hash, nonce });
			Ok(())
		}

		/// Rule on a sub-chain's disputed trade: `delivered_wh` were delivered. The ruling is
		/// sent to the sub-chain (a `Message::Ruling` in the outbox), which pays the seller for
		/// that energy and refunds the buyer the rest.
		///
		/// Origin: `DisputeOrigin`. Errors: `UnknownDispute`, `ExceedsAgreed`, and the outbox's
		/// `OutboxFull`. Event: `DisputeRuled`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::rule_dispute())]
		pub fn rule_dispute(
			origin: OriginFor<T>,
			subchain: SubchainId,
			trade: TradeId,
			delivered_wh: u64,
		) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			Self::do_rule(subchain, trade, delivered_wh)
		}

		/// Report a fork of a sub-chain: a SCALE-encoded header at a height the parent
		/// anchored (in the recent window), other than the anchored one, and a GRANDPA
		/// justification of it by the voter set the parent follows. The evidence is recorded
		/// with the voters that signed, and an active sub-chain is paused.
		///
		/// Origin: any signed account (the evidence proves itself). Errors:
		/// `UnknownSubchain`, `SubchainRetired`, `ForkAlreadyReported`, `HeaderTooLong`,
		/// `BadHeader`, `NotAnchoredHeight`, `NoConflict`, `JustificationTooLong`,
		/// `BadJustification`, `WrongJustificationTarget`, `UnknownVoter`, `BadVote`,
		/// `VoteNotDescendant`, `RedundantAncestry`, `NotEnoughVotes`. Events:
		/// `StatusChanged`, `ForkReported`.
		#[pallet::call_index(14)]
		#[pallet::weight(Pallet::<T>::report_fork_weight(justification.len()))]
		pub fn report_fork(
			origin: OriginFor<T>,
			subchain: SubchainId,
			header: Vec<u8>,
			justification: Vec<u8>,
		) -> DispatchResultWithPostInfo {
			let reporter = ensure_signed(origin)?;
			let size = Self::do_report_fork(&reporter, subchain, &header, &justification)?;
			Ok(Some(T::WeightInfo::report_fork(size.precommits.max(1), size.ancestries)).into())
		}

		/// Resolve a reported fork: rewind the sub-chain's record to the anchored block
		/// `head` (default: the last anchor), and optionally make `voters` (a set id and its
		/// voters, deciding from the block after `head`) the voter set the parent follows. The
		/// evidence is cleared and a paused sub-chain is active again.
		///
		/// Origin: `RegistryOrigin`. Errors: `UnknownSubchain`, `SubchainRetired`,
		/// `NoForkReported`, `NotAnchoredHeight`, `VoterSetNeeded`, `InvalidVoterSet`.
		/// Events: `VoterSetChanged`, `StatusChanged`, `ForkResolved`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::resolve_fork())]
		pub fn resolve_fork(
			origin: OriginFor<T>,
			subchain: SubchainId,
			head: Option<dbm_primitives::BlockNumber>,
			voters: Option<(u64, dbm_primitives::finality::AuthorityList)>,
		) -> DispatchResult {
			T::RegistryOrigin::ensure_origin(origin)?;
			Self::do_resolve_fork(subchain, head, voters)
		}

		/// Report a sub-chain voter that signed two different votes in one GRANDPA round of
		/// the voter set the parent follows: the member whose key it is is suspended, here and
		/// (through the outbox) on the sub-chain, which opens a round without it.
		///
		/// Origin: any signed account (the proof is checked). Errors: `UnknownSubchain`,
		/// `SubchainRetired`, `NotAnchoredHeight`, `NotCurrentVoterSet`, `UnknownVoter`,
		/// `InvalidEquivocation`, `UnknownVoterAccount`, `NotMember`, `AlreadySuspended`, and
		/// the outbox's. Events: `MemberUpdated`, `EquivocationReported`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::report_equivocation())]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			subchain: SubchainId,
			proof: Box<dbm_primitives::finality::EquivocationProof>,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			let (set_id, round) = (proof.set_id(), proof.round());
			let who = Self::do_report_equivocation(subchain, *proof)?;
			Self::deposit_event(Event::MemberUpdated { subchain, who: who.clone() });
			Self::deposit_event(Event::EquivocationReported {
				subchain,
				set_id,
				round,
				offender: who,
				reporter,
			});
			Ok(())
		}

		/// Report a sub-chain block author that sealed two different blocks for one Aura
		/// slot: `first` and `second` are SCALE-encoded headers, both sealed by the sr25519
		/// key `author`, and `owner` is a storage proof of `Dbsca::KeyOwner((aura, author))`
		/// against the state of the sub-chain's block `at` the parent anchored (the recent
		/// window). The member who registered the key is suspended, here and (through the
		/// outbox) on the sub-chain, which opens a round without it.
		///
		/// Origin: any signed account (the evidence proves itself). Errors:
		/// `UnknownSubchain`, `SubchainRetired`, `HeaderTooLong`, `BadHeader`,
		/// `ParentNotAnchored`, `NoSlot`,
		/// `NoSeal`, `BadSeal`, `DifferentSlots`, `SameBlock`, `NotAnchoredHeight`,
		/// `ProofTooLarge`, `InvalidProof`, `UnknownKey`, `NotMember`, `StaleEquivocation`,
		/// `AlreadySuspended`, and the outbox's. Events: `MemberUpdated`,
		/// `SealEquivocationReported`.
		#[pallet::call_index(20)]
		// The benchmark predates the check of the headers' parents: their two reads are added.
		#[pallet::weight(T::WeightInfo::report_seal_equivocation()
			.saturating_add(T::DbWeight::get().reads(2)))]
		pub fn report_seal_equivocation(
			origin: OriginFor<T>,
			subchain: SubchainId,
			at: dbm_primitives::BlockNumber,
			author: sp_core::sr25519::Public,
			first: Vec<u8>,
			second: Vec<u8>,
			owner: dbm_primitives::proof::RawProof,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			let (who, slot) =
				Self::do_report_seal_equivocation(subchain, at, &author, &first, &second, owner)?;
			Self::deposit_event(Event::MemberUpdated { subchain, who: who.clone() });
			Self::deposit_event(Event::SealEquivocationReported {
				subchain,
				slot,
				offender: who,
				reporter,
			});
			Ok(())
		}

		/// Exclude the voters that signed both sides of the reported fork of `subchain` in
		/// one round: `justification` (SCALE-encoded) finalizes the anchored block `number`,
		/// at the fork's height or above it (an anchor's justification is of its segment's last
		/// block), by the voter set that finalized the conflicting one, in the same round. Each voter whose precommits are in both signed two blocks of one round; the
		/// members whose keys they are are suspended, here and on the sub-chain (unless
		/// suspended already; the parent must know every one's account). The evidence stands
		/// until `resolve_fork`.
		///
		/// Origin: any signed account (the evidence proves itself). Errors:
		/// `UnknownSubchain`, `SubchainRetired`, `NoForkReported`, `NotAnchoredHeight`,
		/// `NotCurrentVoterSet`,
		/// `JustificationTooLong`, `BadJustification`, `WrongJustificationTarget`,
		/// `UnknownVoter`, `BadVote`, `VoteNotDescendant`, `RedundantAncestry`,
		/// `NotEnoughVotes`, `DifferentRounds`, `UnknownVoterAccount`, `AlreadySuspended`,
		/// and the outbox's. Events: `MemberUpdated` for each member,
		/// `ForkSignersExcluded`.
		#[pallet::call_index(21)]
		#[pallet::weight(Pallet::<T>::exclude_fork_signers_weight(justification.len()))]
		pub fn exclude_fork_signers(
			origin: OriginFor<T>,
			subchain: SubchainId,
			number: dbm_primitives::BlockNumber,
			justification: Vec<u8>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (size, round, excluded) =
				Self::do_exclude_fork_signers(subchain, number, &justification)?;
			for who in &excluded {
				Self::deposit_event(Event::MemberUpdated { subchain, who: who.clone() });
			}
			Self::deposit_event(Event::ForkSignersExcluded { subchain, round, excluded });
			Ok(Some(T::WeightInfo::exclude_fork_signers(size.precommits.max(1), size.ancestries))
				.into())
		}
	}
}
