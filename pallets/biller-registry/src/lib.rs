//! # Biller registry: the parent chain's view of its sub-chains
//!
//! The parent chain keeps, for every sub-chain (the paper's sections 3.1, 3.2 and 3.4):
//!
//! * **Its registration** (`register_subchain`, `set_boot_nodes`, `set_status` by
//!   `RegistryOrigin`): id, name, location area, genesis hash, chain-spec hash and boot nodes,
//!   so a newly assigned member can find and sync it; and its status (active, paused,
//!   retired). A paused sub-chain accepts no anchors, elections or new members until resumed; a
//!   retired one never again.
//! * **Its members**: each node belongs to at most one sub-chain, with its role, the attributes
//!   its join vote attested and its suspension state. The parent's membership vote changes
//!   them through the registry's [`DecisionHandler`](dbm_primitives::membership::DecisionHandler)
//!   (a join is **assigned** to a sub-chain by location area, then load: see the `decisions`
//!   module), `MembershipOrigin` directly (`add_member`, `update_member`, `remove_member`).
//! * **The parent authorities**: the standing operators (`set_operators`) and the billers of
//!   the active sub-chains with parent keys (`set_parent_keys`), at least `MinAuthorities`,
//!   applied to consensus by `AuthorityHandler` (see the `authorities` module for the set and
//!   its timing). They are also the parent's membership voters ([`VoterSet`]).
//! * **Its biller and committee.** `submit_election` takes a sub-chain's election proof from
//!   **any** submitter: the round, the committee (biller first) and the members' signatures
//!   over the round's [`ElectionStatement`](dbm_primitives::dbsca::ElectionStatement). The
//!   signatures are checked against the member registry held here: each by a distinct active
//!   member, together at least `Quorum` of the active members. Nothing is needed from the
//!   outgoing biller, which may be the node that died. A confirmed election replaces the
//!   previous one only with a later round. The parent asks for a new election
//!   (`Reelections`, pending until one is confirmed) when the committee's term ends, when no
//!   anchor arrived for `MaxAnchorSilence` blocks (the biller is presumed silent, and the
//!   request names it to be left out of the round),
//!   or when `ElectionOrigin` requests it (`request_reelection`). Silence counts from the last
//!   anchor or from the committee's confirmation, whichever is later.
//! * **Its anchored headers.** `anchor` takes a sub-chain block header, SCALE-encoded with its
//!   digest, the block's trade batch and a storage proof, from any submitter. The first anchor
//!   of a sub-chain is its genesis header: its hash must be the registered genesis hash, and it
//!   gives the parent the genesis state root. Every later header must follow the last anchor
//!   (its number is the next, its parent hash the last anchor's hash) and be **sealed by the
//!   author of its slot**: the storage proof shows the sub-chain's `Aura::Authorities` in its
//!   parent block's state, against the state root anchored with that block, and the header's
//!   Aura seal must be the signature of `authorities[slot % len]` (see
//!   [`dbm_primitives::seal`]). The parent recomputes the trade root over the batch and checks
//!   it equals the [`TradeRoot`] digest item of the header. A replay fails with
//!   `AlreadyAnchored`, a different header at a height in the recent window with
//!   `ConflictingHeader` (below it, `AlreadyAnchored`). The block body keeps the batch (it is
//!   the extrinsic's argument); storage keeps the last `AnchorWindow` anchors of each sub-chain
//!   in full (hash, state root, against which the parent takes the sub-chain's messages and the
//!   next header's authors, and trade root), and for older ones, per epoch of `EpochLength`
//!   sub-chain blocks (the last `MaxEpochs` epochs), the range of parent blocks that anchored
//!   it. The `RegistryApi` runtime API answers where a sub-chain block is anchored and verifies
//!   a trade's inclusion proof.
//!
//! * **Its trade disputes.** A trade party's dispute reaches the parent from the sub-chain's
//!   outbox, with a storage proof against an anchored state (the sub-chain inbox calls
//!   [`Pallet::open_dispute`]); it waits in [`Disputes`], at most `MaxDisputes` per sub-chain,
//!   until `DisputeOrigin` rules how much energy was delivered (`rule_dispute`). The ruling goes
//!   back to the sub-chain as a `Message::Ruling` in the outbox, where the sub-chain settles the
//!   frozen trade by it.
//!
//! **Not checked yet: key ownership.** `set_parent_keys` takes keys without a proof that the
//! member holds their private keys; `MinAuthorities` operators and the billers' re-election on
//! silence limit the harm, but more than a third of GRANDPA voters without usable keys would
//! stall parent finality until a forced change.
//!
//! **What an anchor proves.** Only a sub-chain authority (a member of its elected committee,
//! or of its genesis authorities before the first election) can seal a header the parent
//! anchors, so a relayer cannot forge one. The parent does not execute sub-chain blocks or
//! follow the sub-chain's finality, so a single authority key is enough to seal a fork or a
//! state the sub-chain never reached; such a header signs the evidence against its author, and
//! the first header anchored at a height holds it (the sub-chain's real header is then refused
//! with `ConflictingHeader`).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod authorities;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod decisions;
mod disputes;
mod impls;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use authorities::{AuthorityHandler, MaxAuthoritiesOf};
pub use dbm_primitives::{
	dbsca::ScoreWeights,
	membership::{Destination, Dispute, MemberInfo, MemberRegistry, Message, Outbox, VoterSet},
	registry::{
		Anchor, AnchorHead, AnchorLocation, BootNode, BootNodes, Committee, ConfirmedElection,
		Location, Name, Reelection, ReelectionReason, SubchainInfo, SubchainStatus,
	},
	trade::{TradeId, TradeProof, TradeRecord, TradeRoot},
	Balance, SubchainId,
};
pub use pallet::*;
pub use weights::WeightInfo;

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
	/// A sub-chain block author's Aura key and its signature of `payload`.
	fn aura_sign(payload: &[u8]) -> (sp_core::sr25519::Public, sp_core::sr25519::Signature);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{
		traits::{IdentifyAccount, Verify, Zero},
		Percent,
	};

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

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

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
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
		/// The most trade records in one anchored block's batch.
		#[pallet::constant]
		type MaxTradesPerAnchor: Get<u32>;
		/// The largest proof of a sub-chain's Aura authorities an anchor may carry, in bytes.
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
		/// Parent blocks without an anchor after which the biller is presumed silent and a
		/// re-election without it is asked (0: never).
		#[pallet::constant]
		type MaxAnchorSilence: Get<BlockNumberFor<Self>>;
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

	/// Each sub-chain's confirmed election.
	#[pallet::storage]
	pub type Elections<T: Config> = StorageMap<_, Twox64Concat, SubchainId, ElectionOf<T>>;

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

	/// A sub-chain registered at genesis.
	#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
	#[serde(rename_all = "camelCase")]
	pub struct GenesisSubchain<AccountId> {
		/// Its id.
		pub id: SubchainId,
		/// Its name.
		pub name: Vec<u8>,
		/// Its location area.
		pub location: Vec<u8>,
		/// Its genesis hash.
		pub genesis_hash: H256,
		/// Its chain-spec hash.
		pub chain_spec_hash: H256,
		/// Its boot nodes.
		pub boot_nodes: Vec<Vec<u8>>,
		/// Its members.
		pub members: Vec<(AccountId, MemberInfo)>,
		/// Its committee in force (round 0), the biller first; may be empty.
		pub committee: Vec<AccountId>,
	}

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
			for s in &self.subchains {
				let id = s.id;
				Pallet::<T>::do_register(
					id,
					s.name.clone(),
					s.location.clone(),
					s.genesis_hash,
					s.chain_spec_hash,
					s.boot_nodes.clone(),
				)
				.unwrap_or_else(|e| {
					panic!("biller-registry genesis: sub-chain {id} cannot be registered: {e:?}")
				});
				for (who, info) in &s.members {
					Pallet::<T>::do_add_member(id, who, *info).unwrap_or_else(|e| {
						panic!("biller-registry genesis: member {who:?} of sub-chain {id}: {e:?}")
					});
				}
				if !s.committee.is_empty() {
					let committee = Pallet::<T>::check_committee(id, s.committee.clone())
						.unwrap_or_else(|e| {
							panic!("biller-registry genesis: committee of sub-chain {id}: {e:?}")
						});
					Elections::<T>::insert(
						id,
						ConfirmedElection { round: 0, committee, confirmed_at: Zero::zero() },
					);
				}
			}
			let operators: Vec<T::AccountId> =
				self.operators.iter().map(|(who, _)| who.clone()).collect();
			Pallet::<T>::check_operators(&operators)
				.and_then(|operators| {
					Operators::<T>::put(operators);
					self.operators.iter().try_for_each(|(who, keys)| {
						Pallet::<T>::do_set_parent_keys(who, keys.clone())
					})
				})
				.unwrap_or_else(|e| panic!("biller-registry genesis: operators: {e:?}"));
			let set = Pallet::<T>::expected_authorities();
			AuthoritySetHash::<T>::put(Pallet::<T>::set_hash(&set));
			// Computed just now: nothing is stale.
			AuthoritiesStale::<T>::kill();
			let authorities: Vec<T::AccountId> = set.into_iter().map(|(who, _)| who).collect();
			Authorities::<T>::put(
				BoundedVec::try_from(authorities).expect("operators and one biller per sub-chain"),
			);
		}
	}

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A sub-chain was registered.
		SubchainRegistered {
			/// The sub-chain.
			subchain: SubchainId,
			/// Its genesis hash.
			genesis_hash: H256,
		},
		/// A sub-chain's boot nodes changed.
		BootNodesSet {
			/// The sub-chain.
			subchain: SubchainId,
		},
		/// A sub-chain's status changed.
		StatusChanged {
			/// The sub-chain.
			subchain: SubchainId,
			/// Its new status.
			status: SubchainStatus,
		},
		/// A member joined a sub-chain.
		MemberAdded {
			/// The sub-chain.
			subchain: SubchainId,
			/// The member.
			who: T::AccountId,
		},
		/// A member's record changed (e.g. suspended or restored).
		MemberUpdated {
			/// The sub-chain.
			subchain: SubchainId,
			/// The member.
			who: T::AccountId,
		},
		/// A member left its sub-chain.
		MemberRemoved {
			/// The sub-chain.
			subchain: SubchainId,
			/// The member.
			who: T::AccountId,
		},
		/// A sub-chain's election was confirmed from its proof.
		ElectionConfirmed {
			/// The sub-chain.
			subchain: SubchainId,
			/// The round that elected it.
			round: u32,
			/// The committee, biller first.
			committee: Vec<T::AccountId>,
		},
		/// The parent asked a sub-chain for a new election.
		ReelectionRequested {
			/// The sub-chain.
			subchain: SubchainId,
			/// Why.
			reason: ReelectionReason,
			/// A node to leave out.
			excluded: Option<T::AccountId>,
		},
		/// A sub-chain header was anchored.
		Anchored {
			/// The sub-chain.
			subchain: SubchainId,
			/// The header's number.
			number: dbm_primitives::BlockNumber,
			/// The header's hash.
			hash: H256,
			/// The trade root it carries.
			trade_root: H256,
			/// The number of trade records.
			trades: u32,
		},
		/// The standing operators were replaced.
		OperatorsSet {
			/// The new operators, in order.
			operators: Vec<T::AccountId>,
		},
		/// An operator or member registered its parent keys.
		ParentKeysSet {
			/// Whose keys.
			who: T::AccountId,
		},
		/// A new parent authority set was handed to consensus.
		AuthoritiesChanged {
			/// The authorities, in order.
			authorities: Vec<T::AccountId>,
		},
		/// A new parent authority set was not applied: it had fewer than `MinAuthorities`.
		AuthoritySetTooSmall {
			/// How many authorities it had.
			count: u32,
		},
		/// A sub-chain's trade dispute was opened for the parent's ruling.
		DisputeOpened {
			/// The sub-chain.
			subchain: SubchainId,
			/// The trade's id on the sub-chain.
			trade: TradeId,
			/// Who disputed it.
			by: T::AccountId,
		},
		/// The parent ruled on a disputed trade; the ruling was sent to the sub-chain.
		DisputeRuled {
			/// The sub-chain.
			subchain: SubchainId,
			/// The trade's id on the sub-chain.
			trade: TradeId,
			/// The energy the ruling says was delivered, in Wh.
			delivered_wh: u64,
			/// The nonce of the message that carries the ruling.
			nonce: u64,
		},
		/// New score weights for a sub-chain's biller elections were sent to it.
		ScoreWeightsSent {
			/// The sub-chain.
			subchain: SubchainId,
			/// The weights.
			weights: ScoreWeights,
			/// The nonce of the message that carries them.
			nonce: u64,
		},
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// Sub-chain ids start at 1.
		InvalidSubchainId,
		/// A sub-chain with this id is registered already.
		AlreadyRegistered,
		/// `MaxSubchains` sub-chains are registered.
		TooManySubchains,
		/// The name is longer than 64 bytes.
		NameTooLong,
		/// The location is longer than 64 bytes.
		LocationTooLong,
		/// More than 8 boot nodes.
		TooManyBootNodes,
		/// A boot node address is longer than 256 bytes.
		BootNodeTooLong,
		/// No sub-chain has this id.
		UnknownSubchain,
		/// The sub-chain is retired: nothing about it changes any more.
		SubchainRetired,
		/// The sub-chain is paused or retired.
		SubchainNotActive,
		/// The account is a member of a sub-chain already.
		AlreadyMember,
		/// The account is not a member (of this sub-chain).
		NotMember,
		/// The sub-chain has `MaxMembers` members.
		TooManyMembers,
		/// The round is not later than the confirmed election's.
		StaleRound,
		/// The committee is empty.
		EmptyCommittee,
		/// The committee has more than 32 nodes.
		CommitteeTooLarge,
		/// A committee node is not an active member of the sub-chain, or is listed twice.
		InvalidCommittee,
		/// More confirmations than the sub-chain has members.
		TooManyConfirmations,
		/// A confirmation is not by an active member of the sub-chain.
		ConfirmationByNonMember,
		/// Two confirmations by the same member.
		DuplicateConfirmation,
		/// A confirmation's signature does not verify against the election statement.
		BadSignature,
		/// Fewer confirmations than `Quorum` of the active members.
		TooFewConfirmations,
		/// The encoded header is longer than `MaxHeaderLen`.
		HeaderTooLong,
		/// The bytes are not a SCALE-encoded header.
		BadHeader,
		/// The trade batch has more than `MaxTradesPerAnchor` records.
		TooManyTrades,
		/// This header, or one at its height, is anchored already.
		AlreadyAnchored,
		/// A different header is anchored at this height: a fork.
		ConflictingHeader,
		/// The header does not follow the last anchor (or, first, is not block 0).
		Gap,
		/// The header's parent hash is not the last anchor's.
		ParentMismatch,
		/// The first anchor must be the sub-chain's genesis header, of the registered hash.
		NotGenesis,
		/// The genesis header is anchored without a proof: it has no parent block.
		NoProofForGenesis,
		/// The authorities proof is larger than `MaxProofSize` or has more than
		/// `MaxProofNodes` nodes.
		ProofTooLarge,
		/// The authorities proof does not verify against the parent block's anchored state.
		InvalidProof,
		/// The proven Aura authorities do not decode, or there are none.
		NoAuthorities,
		/// The header's digest has no Aura slot.
		NoSlot,
		/// The header's last digest item is not an Aura seal.
		NoSeal,
		/// The seal is not the signature of the slot's author.
		BadSeal,
		/// The header's digest has no trade root.
		NoTradeRoot,
		/// The trade batch's root is not the one in the header.
		TradeRootMismatch,
		/// No active sub-chain has room for the node.
		NoSubchainAvailable,
		/// The member is suspended already.
		AlreadySuspended,
		/// More than `MaxOperators` operators.
		TooManyOperators,
		/// An operator is listed twice.
		DuplicateOperator,
		/// Only operators and members register parent keys.
		NotEligible,
		/// Another account registered one of these keys.
		KeysInUse,
		/// Score weights must sum to 100%.
		WeightsDoNotSumTo100Percent,
		/// This trade of the sub-chain is disputed already.
		AlreadyDisputed,
		/// The sub-chain has `MaxDisputes` disputes open.
		TooManyDisputes,
		/// The dispute is not by the trade's buyer or seller.
		NotAParty,
		/// No open dispute of this sub-chain's trade.
		UnknownDispute,
		/// A ruling cannot say more energy was delivered than was agreed.
		ExceedsAgreed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let checked = Self::watch_subchains(now);
			let refreshed = if Self::refresh_authorities() {
				T::WeightInfo::refresh_authorities()
			} else {
				T::DbWeight::get().reads(1)
			};
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
			let boot_nodes = Self::boot_nodes(boot_nodes)?;
			Subchains::<T>::try_mutate(subchain, |info| {
				let info = info.as_mut().ok_or(Error::<T>::UnknownSubchain)?;
				ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
				info.boot_nodes = boot_nodes;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::BootNodesSet { subchain });
			Ok(())
		}

		/// Pause, resume or retire a sub-chain. Retiring is final.
		///
		/// Origin: `RegistryOrigin`. Errors: `UnknownSubchain`, `SubchainRetired`.
		/// Event: `StatusChanged`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_status())]
		pub fn set_status(
			origin: OriginFor<T>,
			subchain: SubchainId,
			status: SubchainStatus,
		) -> DispatchResult {
			T::RegistryOrigin::ensure_origin(origin)?;
			Subchains::<T>::try_mutate(subchain, |info| {
				let info = info.as_mut().ok_or(Error::<T>::UnknownSubchain)?;
				ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
				info.status = status;
				Self::authorities_may_have_changed();
				Ok::<_, DispatchError>(())
			})?;
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
			let status = Subchains::<T>::get(subchain).ok_or(Error::<T>::UnknownSubchain)?.status;
			ensure!(status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
			Self::do_add_member(subchain, &who, info)?;
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

		/// Confirm a sub-chain's election from its proof: `committee` (biller first) as round
		/// `round` elected it, and members' signatures over the round's election statement.
		///
		/// Origin: any signed account (a relayer; it is not trusted). Errors:
		/// `UnknownSubchain`, `SubchainNotActive`, `StaleRound`, `EmptyCommittee`,
		/// `CommitteeTooLarge`, `InvalidCommittee`, `TooManyConfirmations`,
		/// `ConfirmationByNonMember`, `DuplicateConfirmation`, `BadSignature`,
		/// `TooFewConfirmations`. Event: `ElectionConfirmed`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::submit_election(
			// Each committee node costs a member lookup, as each confirmation does (and more).
			(confirmations.len().max(committee.len()) as u32).min(T::MaxMembers::get())
		))]
		pub fn submit_election(
			origin: OriginFor<T>,
			subchain: SubchainId,
			round: u32,
			committee: Vec<T::AccountId>,
			confirmations: Vec<(T::AccountId, T::Signature)>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_confirm_election(subchain, round, committee, confirmations)
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
			let info = Subchains::<T>::get(subchain).ok_or(Error::<T>::UnknownSubchain)?;
			ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
			Self::ask_reelection(subchain, ReelectionReason::Requested, excluded);
			Ok(())
		}

		/// Anchor a sub-chain block: its SCALE-encoded header (digest and seal included), a
		/// storage proof of the sub-chain's `Aura::Authorities` at its parent block (empty for
		/// the genesis header) and its trade batch, whose root must be the one in the header.
		///
		/// Origin: any signed account (a relayer; it is not trusted). Errors:
		/// `UnknownSubchain`, `SubchainNotActive`, `HeaderTooLong`, `TooManyTrades`,
		/// `ProofTooLarge`, `BadHeader`, `AlreadyAnchored`, `ConflictingHeader`, `Gap`,
		/// `NotGenesis`, `NoProofForGenesis`, `ParentMismatch`, `InvalidProof`, `NoAuthorities`, `NoSlot`, `NoSeal`,
		/// `BadSeal`, `NoTradeRoot`, `TradeRootMismatch`. Event: `Anchored`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::anchor(
			(trades.len() as u32).min(T::MaxTradesPerAnchor::get()),
			dbm_primitives::proof::proof_size(authorities).min(T::MaxProofSize::get()),
		))]
		pub fn anchor(
			origin: OriginFor<T>,
			subchain: SubchainId,
			header: Vec<u8>,
			authorities: Vec<Vec<u8>>,
			trades: Vec<TradeRecordOf<T>>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_anchor(subchain, &header, authorities, &trades)
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
			let bounded = Self::check_operators(&operators)?;
			Operators::<T>::put(bounded);
			Self::authorities_may_have_changed();
			Self::deposit_event(Event::OperatorsSet { operators });
			Ok(())
		}

		/// Register the caller's parent keys (Aura and GRANDPA), replacing earlier ones. A
		/// biller needs them to become a parent authority. Each public key belongs to one
		/// account only. Possession of the private keys is not proven: a biller registering
		/// keys it cannot sign with misses its slots and votes, and if such authorities were
		/// more than a third of the GRANDPA voters, parent finality would stop (see the
		/// pallet's documentation).
		///
		/// Origin: an operator or a member of a sub-chain. Errors: `NotEligible`, `KeysInUse`.
		/// Event: `ParentKeysSet`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_parent_keys())]
		pub fn set_parent_keys(origin: OriginFor<T>, keys: T::AuthorityKeys) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				MemberOf::<T>::contains_key(&who) || Operators::<T>::get().contains(&who),
				Error::<T>::NotEligible
			);
			Self::do_set_parent_keys(&who, keys)?;
			Self::authorities_may_have_changed();
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
			let info = Subchains::<T>::get(subchain).ok_or(Error::<T>::UnknownSubchain)?;
			ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
			weights.validate().map_err(|_| Error::<T>::WeightsDoNotSumTo100Percent)?;
			let nonce =
				T::Outbox::send(Destination::Subchain(subchain), Message::SetWeights { weights })?;
			Self::deposit_event(Event::ScoreWeightsSent { subchain, weights, nonce });
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
	}
}
