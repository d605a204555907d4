//! The registry's errors, imported into the pallet module as a pallet section.

use frame_support::pallet_macros::pallet_section;

/// The errors, a section of the pallet module.
#[pallet_section]
mod errors {
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
}
