//! # DBSCA: the sub-chain's biller election and block-author committee
//!
//! A sub-chain's block author, the **biller**, is elected by the DBSCA weighted score
//! (the paper's section 3.3 (1)): the generators of the sub-chain stand as candidates, each
//! scored on four attributes (renewable or not; environmental, cost and stability scores) with
//! weights that sum to 100%. A round ranks the electable candidates; the members confirm the
//! best one with signed extrinsics; at the quorum the round closes and elects an ordered
//! **committee** of `CommitteeSize` nodes, the biller first and standbys after it. Once the
//! parent chain confirms the election (`enact`), the committee becomes the chain's Aura
//! authors and GRANDPA voters (see [`authorities`]).
//!
//! Each part has its own module, whose docs give the rules:
//!
//! * **candidates** (`candidates.rs`): active generator or storage members stand with their
//!   attributes, each at most as good as the join vote attested;
//! * **consensus keys** (`keys.rs`): a candidate with registered keys is electable;
//! * **rounds** (`rounds.rs`): opened at the end of a term, on the parent's request or when the
//!   biller is silent (`hooks.rs`); the members confirm the best-ranked candidate until the
//!   quorum elects the committee;
//! * **enactment** (`enactment.rs`): the parent's confirmation puts the election in force;
//! * genesis (`genesis.rs`) and the invariants `try_state` checks (`invariants.rs`).
//!
//! ## Calls
//!
//! * `nominate`, `update_candidacy`, `withdraw`, `set_keys`, `purge_keys`, `confirm`: signed
//!   by the member concerned.
//! * `prune`: anyone, for a candidate that is no longer a member.
//! * `set_weights`, `set_committee_size`: `ConfigOrigin`.
//! * `request_election`: `ElectionOrigin`. `enact`: `EnactOrigin`.
//!
//! The pallet's `README.md` summarises its calls, storage, events, errors and constants.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod authorities;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod candidates;
mod enactment;
pub mod equivocations;
mod genesis;
mod hooks;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod keys;
#[cfg(test)]
mod mock;
mod rounds;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use equivocations::{GrandpaEquivocations, VoterProof, VoterSet};
pub use genesis::GenesisCandidate;

pub use authorities::{
	AuraGrandpa, AuraSlotAuthor, CommitteeHandler, ConsensusKeys, FinalityKey, SlotAuthor,
};
pub use dbm_primitives::{
	dbsca::{ElectionStatement, NodeAttributes, RankedCandidate, RoundStatus, ScoreWeights},
	membership::{MemberInfo, MemberRegistry, MemberSet, OnActiveSetChange},
	SubchainId,
};
pub use pallet::*;
pub use types::{Candidate, Trigger};
pub use weights::WeightInfo;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::dbsca";

/// What the benchmarks need from the runtime: members, keys and signatures.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Keys, Signature> {
	/// A new account that can sign (its key in the benchmark's keystore), the `i`-th.
	fn account(i: u32) -> AccountId;
	/// Makes `who` a member with `info`.
	fn make_member(who: &AccountId, info: MemberInfo);
	/// Removes member `who`.
	fn remove_member(who: &AccountId);
	/// Consensus keys for `who`, unique to `i`, with their proof of possession.
	fn keys(who: &AccountId, i: u32) -> (Keys, alloc::vec::Vec<u8>);
	/// `who`'s signature of `payload`.
	fn sign(who: &AccountId, payload: &[u8]) -> Signature;
	/// The `i`-th GRANDPA key (its secret in the benchmark's keystore).
	fn grandpa_key(i: u32) -> sp_consensus_grandpa::AuthorityId;
	/// The `i`-th GRANDPA key's signature of `payload`.
	fn grandpa_sign(i: u32, payload: &[u8]) -> sp_consensus_grandpa::AuthoritySignature;
	/// Makes `voters` the GRANDPA voter set in force, with id `set_id`.
	fn set_voters(set_id: u64, voters: alloc::vec::Vec<sp_consensus_grandpa::AuthorityId>);
	/// Makes the block authors the Aura keys of `authors`, in their order.
	fn set_authors(authors: alloc::vec::Vec<Keys>);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{IdentifyAccount, OpaqueKeys, Verify},
		Percent, Permill,
	};

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A stored candidate.
	pub type CandidateOf<T> = Candidate<BlockNumberFor<T>, <T as Config>::MaxLocationLen>;
	/// A stored round.
	pub type RoundOf<T> = types::Round<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxCommittee,
	>;
	/// A stored election.
	pub type ElectionOf<T> = types::Election<
		<T as frame_system::Config>::AccountId,
		<T as Config>::Signature,
		BlockNumberFor<T>,
		<T as Config>::MaxCommittee,
		<T as Config>::MaxMembers,
	>;
	/// A raw public key as the key-ownership index stores it.
	pub type RawKey = BoundedVec<u8, ConstU32<64>>;
	/// A key's type and its raw bytes.
	pub type KeyOf = ([u8; 4], RawKey);

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The sub-chain's members and what was attested for them.
		type Members: MemberRegistry<Self::AccountId>;
		/// This sub-chain's id, part of every election statement.
		type SubchainId: Get<SubchainId>;
		/// This sub-chain's genesis hash, part of every election statement.
		type GenesisHash: Get<sp_core::H256>;
		/// The consensus keys a candidate registers (the runtime's session keys); election
		/// statements name their GRANDPA keys.
		type Keys: OpaqueKeys
			+ FinalityKey
			+ Member
			+ Parameter
			+ MaxEncodedLen
			+ MaybeSerializeDeserialize;
		/// The signature members put on election statements, by their account key.
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Member
			+ Parameter
			+ MaxEncodedLen;
		/// Puts the enacted committee in charge of consensus.
		type CommitteeHandler: CommitteeHandler<Self::AccountId, Self::Keys>;
		/// The current slot and its author, to find a silent biller.
		type SlotAuthor: SlotAuthor;
		/// Who may change the score weights and the committee size (the parent chain).
		type ConfigOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who may open a round at any time (the parent chain).
		type ElectionOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who confirms an election so that it takes effect (the parent chain).
		type EnactOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The most candidates at once.
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
		/// The most members the sub-chain may have: bounds the confirmations of a round.
		#[pallet::constant]
		type MaxMembers: Get<u32>;
		/// The largest committee.
		#[pallet::constant]
		type MaxCommittee: Get<u32>;
		/// The longest location text of a candidate, in bytes.
		#[pallet::constant]
		type MaxLocationLen: Get<u32>;
		/// The share of the active members whose confirmations close a round.
		#[pallet::constant]
		type Quorum: Get<Percent>;
		/// Blocks after which an enacted committee's term ends and a round opens (0: never).
		#[pallet::constant]
		type TermLength: Get<BlockNumberFor<Self>>;
		/// Slots the biller may go without authoring before a round opens without it (0:
		/// silence detection off).
		#[pallet::constant]
		type MaxSilentSlots: Get<u64>;
		/// The slots of each Aura rotation the biller holds (a standby holds one).
		#[pallet::constant]
		type BillerAuraSlots: Get<u32>;
		/// Blocks a round may stay open without its quorum, and then its election await the
		/// parent's confirmation, before a new round replaces it (0: never).
		#[pallet::constant]
		type ElectionTimeout: Get<BlockNumberFor<Self>>;
		/// The GRANDPA voter set in force, against which equivocations are proven.
		type VoterSet: VoterSet;
		/// How many equivocation proofs of the voter set in force are kept: one per voter at
		/// most, so at least the largest voter set.
		#[pallet::constant]
		type MaxEquivocations: Get<u32>;
		/// Weights of the calls, generated by `dbm-node benchmark pallet`.
		type WeightInfo: WeightInfo;
		/// Members, keys and signatures for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Keys, Self::Signature>;
	}

	/// The candidates.
	#[pallet::storage]
	pub type Candidates<T: Config> =
		CountedStorageMap<_, Twox64Concat, T::AccountId, CandidateOf<T>, OptionQuery>;

	/// The consensus keys each account registered.
	#[pallet::storage]
	pub type Keys<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, T::Keys, OptionQuery>;

	/// Who registered each key: no key belongs to two accounts.
	#[pallet::storage]
	pub type KeyOwner<T: Config> = StorageMap<_, Twox64Concat, KeyOf, T::AccountId, OptionQuery>;

	/// The score weights in force.
	#[pallet::storage]
	pub type Weights<T: Config> = StorageValue<_, ScoreWeights, ValueQuery>;

	/// How many nodes a round elects.
	#[pallet::storage]
	pub type CommitteeSize<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The committee in force, the biller first.
	#[pallet::storage]
	pub type Committee<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxCommittee>, ValueQuery>;

	/// The authoring order of the committee in force: positions in [`Committee`], one per
	/// Aura slot of a rotation.
	#[pallet::storage]
	pub type AuthoringOrder<T: Config> = StorageValue<_, BoundedVec<u32, ConstU32<64>>, ValueQuery>;

	/// The block the committee in force took over (its term starts there).
	#[pallet::storage]
	pub type TermStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The last slot the biller in force authored (`None` until its first block is seen).
	#[pallet::storage]
	pub type BillerLastSlot<T: Config> = StorageValue<_, u64, OptionQuery>;

	/// The index of the latest round opened (0: none yet).
	#[pallet::storage]
	pub type RoundIndex<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The open round.
	#[pallet::storage]
	pub type CurrentRound<T: Config> = StorageValue<_, RoundOf<T>, OptionQuery>;

	/// The open round's confirmations: each confirming member and its signature.
	#[pallet::storage]
	pub type Confirmations<T: Config> =
		StorageValue<_, BoundedVec<(T::AccountId, T::Signature), T::MaxMembers>, ValueQuery>;

	/// The election that reached its quorum and awaits enactment by the parent.
	#[pallet::storage]
	pub type PendingElection<T: Config> = StorageValue<_, ElectionOf<T>, OptionQuery>;

	/// The election behind the committee in force, with its proof.
	#[pallet::storage]
	pub type LastElection<T: Config> = StorageValue<_, ElectionOf<T>, OptionQuery>;

	/// The block at which the open round, or the election awaiting enactment, expires and a
	/// new round replaces it (`None`: neither, or `ElectionTimeout` is 0).
	#[pallet::storage]
	pub type ElectionDeadline<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// A round to open at the start of the next block, replacing any open round or election
	/// awaiting enactment: a committee member left, or the member set changed under an open
	/// round (see [`OnActiveSetChange`]).
	#[pallet::storage]
	pub type ScheduledRound<T: Config> = StorageValue<_, Trigger<T::AccountId>, OptionQuery>;

	/// Members of the committee in force that left the active set, oldest first, to take out
	/// of consensus at the start of a block, one per block in which the authorities can
	/// change (see [`authorities`]).
	#[pallet::storage]
	pub type Leaving<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxCommittee>, ValueQuery>;

	/// Proofs that voters of the GRANDPA set in force equivocated, one per voter at most, for
	/// the relay to carry to the parent (see [`equivocations`]). Those of an earlier set are
	/// dropped when one of a later set is noted.
	#[pallet::storage]
	pub type Equivocations<T: Config> = StorageValue<
		_,
		BoundedVec<
			dbm_primitives::finality::StoredEquivocation<T::Hash, BlockNumberFor<T>>,
			T::MaxEquivocations,
		>,
		ValueQuery,
	>;

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` stood for biller.
		CandidateNominated {
			/// The candidate.
			who: T::AccountId,
			/// Its score under the weights in force.
			score: Permill,
		},
		/// `who` changed its declared attributes, capacity or location.
		CandidacyUpdated {
			/// The candidate.
			who: T::AccountId,
			/// Its new score.
			score: Permill,
		},
		/// `who` is no longer a candidate.
		CandidateWithdrawn {
			/// The former candidate.
			who: T::AccountId,
		},
		/// `who` registered consensus keys.
		KeysSet {
			/// The account.
			who: T::AccountId,
		},
		/// `who` removed its consensus keys.
		KeysPurged {
			/// The account.
			who: T::AccountId,
		},
		/// The candidacy and keys of `who`, no longer a member, were removed.
		Pruned {
			/// The former member.
			who: T::AccountId,
		},
		/// The score weights changed.
		WeightsChanged {
			/// The new weights.
			weights: ScoreWeights,
		},
		/// The committee size changed (from the next round on).
		CommitteeSizeChanged {
			/// The new size.
			size: u32,
		},
		/// A round opened.
		RoundOpened {
			/// Its index.
			round: u32,
			/// Why.
			trigger: Trigger<T::AccountId>,
			/// The committee it elects, the biller first.
			committee: Vec<T::AccountId>,
			/// The confirmations that close it.
			needed: u32,
		},
		/// Round `round` expired: it stayed open without its quorum, or its election was not
		/// enacted, for `ElectionTimeout` blocks.
		ElectionExpired {
			/// The round.
			round: u32,
		},
		/// A round could not open: no candidate is electable.
		RoundNotOpened {
			/// Why it would have opened.
			trigger: Trigger<T::AccountId>,
		},
		/// Member `who` confirmed the round's biller.
		Confirmed {
			/// The round.
			round: u32,
			/// The member.
			who: T::AccountId,
			/// Confirmations so far.
			confirmations: u32,
		},
		/// A round reached its quorum; the committee awaits enactment by the parent.
		Elected {
			/// The round.
			round: u32,
			/// The committee, the biller first.
			committee: Vec<T::AccountId>,
		},
		/// An election took effect: the committee authors from the next block on.
		CommitteeEnacted {
			/// The round that elected it.
			round: u32,
			/// The committee, the biller first.
			committee: Vec<T::AccountId>,
		},
		/// A GRANDPA voter's equivocation was proven; the proof waits for the parent.
		EquivocationNoted {
			/// The voter set.
			set_id: u64,
			/// The round in which the voter signed two different votes.
			round: u64,
			/// The voter's key.
			offender: sp_consensus_grandpa::AuthorityId,
			/// The member whose key it is, if it is a registered key.
			member: Option<T::AccountId>,
			/// Who reported it (`None`: a voter's node, unsigned).
			reporter: Option<T::AccountId>,
		},
		/// `who`, a member of the committee in force that left the active set, was taken out
		/// of consensus: the others author blocks from the next block on, and vote without it
		/// once this block is finalized.
		TakenOutOfConsensus {
			/// The member that left.
			who: T::AccountId,
			/// The committee in force now, the biller first.
			committee: Vec<T::AccountId>,
		},
		/// `who`, a member of the committee in force that left the active set, keeps its
		/// place in consensus until the round that replaces it: taking it out failed.
		KeptInConsensus {
			/// The member that left.
			who: T::AccountId,
			/// Why it could not be taken out.
			error: sp_runtime::DispatchError,
		},
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is not an active member of the sub-chain.
		NotMember,
		/// Only generators and storage members supply power and may stand.
		NotASupplier,
		/// The account is already a candidate.
		AlreadyCandidate,
		/// The account is not a candidate.
		NotCandidate,
		/// There are `MaxCandidates` candidates already.
		TooManyCandidates,
		/// An attribute is better than what the join vote attested for the member.
		AttributesNotAttested,
		/// The capacity must be more than zero watts.
		ZeroCapacity,
		/// The location is longer than `MaxLocationLen` bytes.
		LocationTooLong,
		/// The candidate is in the open round's committee or in the election awaiting
		/// enactment.
		InElection,
		/// The proof of possession does not match the keys and the account.
		InvalidProof,
		/// One of the keys is registered by another account.
		DuplicatedKey,
		/// A key is longer than 64 bytes.
		KeyTooLong,
		/// The account has no keys registered.
		NoKeys,
		/// The keys are in use by the committee in force, the open round or the pending
		/// election.
		KeysInUse,
		/// The account is still a member: only former members' candidacies can be pruned.
		StillMember,
		/// The weights do not sum to 100%.
		WeightsDoNotSumTo100Percent,
		/// The committee size must be from 1 to `MaxCommittee`.
		InvalidCommitteeSize,
		/// No candidate is electable (active member with keys), so no round can open.
		NoElectableCandidates,
		/// No round is open.
		NoOpenRound,
		/// The round given is not the open one (or not the pending election's).
		WrongRound,
		/// Only the candidate with the highest score (the round's biller) can be confirmed.
		NotTheHighestScore,
		/// The member confirmed this round already.
		AlreadyConfirmed,
		/// The signature is not the member's over the round's election statement.
		BadSignature,
		/// No election awaits enactment.
		NoPendingElection,
		/// The authoring order is longer than the consensus allows.
		AuthoringOrderTooLong,
		/// The confirmed committee, or its GRANDPA keys, is not the pending election's.
		CommitteeMismatch,
		/// The equivocation is of a voter set other than the one in force.
		NotCurrentVoterSet,
		/// The key ownership proof names another voter set, or another number of voters.
		BadKeyOwnerProof,
		/// The offender's key is not a voter of the set in force.
		UnknownVoter,
		/// The voter's equivocation in this set is already kept.
		AlreadyReported,
		/// The two votes are not an equivocation: equal, of different rounds or targets' kinds,
		/// or not both signed by the offender for the round and set.
		InvalidEquivocation,
		/// `MaxEquivocations` proofs are kept already.
		TooManyEquivocations,
		/// The member's GRANDPA key is not a voter of the set in force.
		NotAVoter,
		/// The member is the last voter or block author: it stays until a round replaces it.
		LastVoter,
		/// The block authors in force do not follow the authoring order in force.
		AuthorsMismatch,
	}

	/// Genesis: weights, committee size, candidates with keys, and the first committee.
	///
	/// The first committee must be the one the Aura and GRANDPA genesis name: genesis does
	/// not call the committee handler.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The score weights (default: the paper's 20/30/40/10).
		pub weights: ScoreWeights,
		/// The committee size (0 means 1).
		pub committee_size: u32,
		/// The candidates.
		pub candidates: Vec<GenesisCandidate<T::AccountId>>,
		/// Registered consensus keys.
		pub keys: Vec<(T::AccountId, T::Keys)>,
		/// The first committee, the biller first.
		pub committee: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::on_block(now)
		}

		fn integrity_test() {
			Self::check_config();
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Stands for biller with the given attributes, capacity (watts) and location.
		///
		/// Origin: signed, an active generator or storage member.
		///
		/// Errors: `NotMember`, `NotASupplier`, `AlreadyCandidate`, `TooManyCandidates`,
		/// `AttributesNotAttested`, `ZeroCapacity`, `LocationTooLong`.
		/// Event: `CandidateNominated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::nominate())]
		pub fn nominate(
			origin: OriginFor<T>,
			attributes: NodeAttributes,
			capacity_w: u32,
			location: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let score = Self::do_nominate(&who, attributes, capacity_w, location)?;
			Self::deposit_event(Event::CandidateNominated { who, score });
			Ok(())
		}

		/// Changes the caller's declared attributes, capacity or location.
		///
		/// Origin: signed, a candidate that is an active member.
		///
		/// Errors: `NotCandidate`, `NotMember`, `InElection`, `AttributesNotAttested`,
		/// `ZeroCapacity`, `LocationTooLong`. Event: `CandidacyUpdated`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_candidacy())]
		pub fn update_candidacy(
			origin: OriginFor<T>,
			attributes: NodeAttributes,
			capacity_w: u32,
			location: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let score = Self::do_update_candidacy(&who, attributes, capacity_w, location)?;
			Self::deposit_event(Event::CandidacyUpdated { who, score });
			Ok(())
		}

		/// Stops standing for biller. A member of the committee in force stays in it until the
		/// next election.
		///
		/// Origin: signed, a candidate.
		///
		/// Errors: `NotCandidate`, `InElection`. Event: `CandidateWithdrawn`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(&who)?;
			Self::deposit_event(Event::CandidateWithdrawn { who });
			Ok(())
		}

		/// Registers the caller's consensus keys (Aura and GRANDPA), with the proof of
		/// possession `author_rotateKeysWithOwner` returns for the caller's account. New keys
		/// of a committee member take effect at the next enactment; a node in the open round's
		/// committee or in the election awaiting enactment cannot change them (its statement
		/// names its GRANDPA key).
		///
		/// Origin: signed, an active member.
		///
		/// Errors: `NotMember`, `InElection`, `InvalidProof`, `DuplicatedKey`, `KeyTooLong`.
		/// Event: `KeysSet`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_keys())]
		pub fn set_keys(origin: OriginFor<T>, keys: T::Keys, proof: Vec<u8>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_keys(&who, keys, &proof)?;
			Self::deposit_event(Event::KeysSet { who });
			Ok(())
		}

		/// Removes the caller's consensus keys; it is no longer electable.
		///
		/// Origin: signed.
		///
		/// Errors: `NoKeys`, `KeysInUse`. Event: `KeysPurged`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::purge_keys())]
		pub fn purge_keys(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_purge_keys(&who)?;
			Self::deposit_event(Event::KeysPurged { who });
			Ok(())
		}

		/// Sets the score weights; they must sum to 100%. Open rounds keep their committee;
		/// rankings and later rounds use the new weights.
		///
		/// Origin: `ConfigOrigin`.
		///
		/// Errors: `WeightsDoNotSumTo100Percent`. Event: `WeightsChanged`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_weights())]
		pub fn set_weights(origin: OriginFor<T>, weights: ScoreWeights) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin)?;
			Self::do_set_weights(weights)?;
			Self::deposit_event(Event::WeightsChanged { weights });
			Ok(())
		}

		/// Sets how many nodes the next rounds elect.
		///
		/// Origin: `ConfigOrigin`.
		///
		/// Errors: `InvalidCommitteeSize`. Event: `CommitteeSizeChanged`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_committee_size())]
		pub fn set_committee_size(origin: OriginFor<T>, size: u32) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin)?;
			Self::do_set_committee_size(size)?;
			Self::deposit_event(Event::CommitteeSizeChanged { size });
			Ok(())
		}

		/// Opens a round now, replacing any open round or election awaiting enactment;
		/// `excluded` may not be elected in it (e.g. a biller the parent found silent).
		///
		/// Origin: `ElectionOrigin`.
		///
		/// Errors: `NoElectableCandidates`. Event: `RoundOpened`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::request_election(T::MaxCandidates::get()))]
		pub fn request_election(
			origin: OriginFor<T>,
			excluded: Option<T::AccountId>,
		) -> DispatchResult {
			T::ElectionOrigin::ensure_origin(origin)?;
			Self::do_request_election(excluded)
		}

		/// Confirms `candidate` as the biller of round `round`, with the caller's `signature`
		/// over the round's election statement (the runtime API `confirmation_payload` returns
		/// its bytes). The confirmation that reaches the quorum closes the round.
		///
		/// Origin: signed, an active member.
		///
		/// Errors: `NoOpenRound`, `WrongRound`, `NotMember`, `NotTheHighestScore`,
		/// `AlreadyConfirmed`, `BadSignature`. Events: `Confirmed`, and `Elected` at the quorum.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::confirm(T::MaxMembers::get()))]
		pub fn confirm(
			origin: OriginFor<T>,
			round: u32,
			candidate: T::AccountId,
			signature: T::Signature,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let confirmations = Self::do_confirm(&who, round, &candidate, signature)?;
			Ok(Some(T::WeightInfo::confirm(confirmations)).into())
		}

		/// Puts the election of round `round`, awaiting enactment, in force: its committee
		/// becomes the authorities and a new term starts.
		///
		/// Origin: `EnactOrigin` (the parent chain's confirmation).
		///
		/// Errors: `NoPendingElection`, `WrongRound`, `NoKeys`, `AuthoringOrderTooLong`, and
		/// the consensus pallets' own (GRANDPA's `ChangePending`).
		/// Event: `CommitteeEnacted`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::enact(T::MaxCommittee::get()))]
		pub fn enact(origin: OriginFor<T>, round: u32) -> DispatchResultWithPostInfo {
			T::EnactOrigin::ensure_origin(origin)?;
			let size = Self::do_enact(round)?;
			Ok(Some(T::WeightInfo::enact(size)).into())
		}

		/// Removes the candidacy and keys of `who`, who is no longer a member.
		///
		/// Origin: signed, anyone.
		///
		/// Errors: `StillMember`, `NotCandidate` (neither candidacy nor keys), `InElection`,
		/// `KeysInUse`. Event: `Pruned`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::prune())]
		pub fn prune(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_prune(&who)?;
			Self::deposit_event(Event::Pruned { who });
			Ok(())
		}
	}
}
