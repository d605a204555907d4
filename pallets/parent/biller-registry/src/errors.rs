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
		/// Fewer confirmations than `Quorum` of the member set the election counts.
		TooFewConfirmations,
		/// The member set an election counts is not the sub-chain's active set now.
		UnknownMemberSet,
		/// The encoded header is longer than `MaxHeaderLen`.
		HeaderTooLong,
		/// The bytes are not a SCALE-encoded header.
		BadHeader,
		/// The segment's trade batches have more than `MaxTradesPerAnchor` records in all.
		TooManyTrades,
		/// This header, or one at its height, is anchored already.
		AlreadyAnchored,
		/// A different header is anchored at this height: a fork.
		ConflictingHeader,
		/// The header does not follow the last anchor or the segment's previous header, or
		/// the genesis is not anchored yet (or the genesis header is not block 0).
		Gap,
		/// The header's parent hash is not the previous header's.
		ParentMismatch,
		/// The genesis anchor's hash is not the registered genesis hash.
		NotGenesis,
		/// The genesis voters' proof is larger than `MaxProofSize` or has more than
		/// `MaxProofNodes` nodes.
		ProofTooLarge,
		/// The genesis voters' proof does not verify against the genesis state root.
		InvalidProof,
		/// The header's digest has no trade root.
		NoTradeRoot,
		/// The trade batch's root is not the one in the header.
		TradeRootMismatch,
		/// An anchor without blocks.
		EmptySegment,
		/// More blocks than `MaxSegment` in one anchor.
		SegmentTooLong,
		/// The justification is longer than `MaxJustificationLen`.
		JustificationTooLong,
		/// The justification does not decode, or holds more precommits than twice the voters
		/// or more ancestry headers than `MaxAncestry`.
		BadJustification,
		/// The justification is for another block than the segment's last.
		WrongJustificationTarget,
		/// A precommit is by a key outside the sub-chain's voter set.
		UnknownVoter,
		/// A precommit's signature is not its voter's for this round and set.
		BadVote,
		/// A precommit is for a block the ancestry does not link to the justified header.
		VoteNotDescendant,
		/// An ancestry header is repeated or links no precommit.
		RedundantAncestry,
		/// The voters who signed weigh two thirds of the set or less.
		NotEnoughVotes,
		/// A header's GRANDPA digest item does not decode.
		UndecodableSetChange,
		/// A header schedules a voter set change with a delay (sub-chains enact with none).
		DelayedSetChange,
		/// A header pauses or resumes finality: the parent's governance must follow such a
		/// sub-chain.
		UnsupportedSetChange,
		/// A segment holds two forced voter set changes: the second set's justifications
		/// need not hold an honest voter of the set the parent follows.
		TwoForcedChanges,
		/// A segment with a forced voter set change ends before the block from which the new
		/// set is in force.
		ForcedChangeNotEnacted,
		/// A forced voter set change is not to a part of the set the parent follows (the same
		/// keys with the same weights, each once, not all of them).
		ForcedSetNotPartOfTheSet,
		/// A forced voter set change is to too few of the set the parent follows: their
		/// justifications need not hold an honest voter of it.
		ForcedSetTooWeak,
		/// A header that changes the voter set is not the segment's last.
		SetChangeNotLast,
		/// A voter set that is empty, larger than `MaxVoters`, repeats a key, gives a voter no
		/// weight, or does not decode.
		InvalidVoterSet,
		/// No active sub-chain has room for the node.
		NoSubchainAvailable,
		/// The member is suspended already.
		AlreadySuspended,
		/// More than `MaxOperators` operators.
		TooManyOperators,
		/// An operator is listed twice.
		DuplicateOperator,
		/// Only operators and the active members of a confirmed committee (a biller and those
		/// elected with it) register parent keys.
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
		/// A fork of this sub-chain is reported already and not resolved.
		ForkAlreadyReported,
		/// The parent holds no anchor of the sub-chain at this height (above its record, or
		/// older than the recent window).
		NotAnchoredHeight,
		/// The header is the anchored one: no conflict.
		NoConflict,
		/// No fork of this sub-chain is reported.
		NoForkReported,
		/// The voter set the parent follows was scheduled above the chosen head: a new one
		/// must be given.
		VoterSetNeeded,
		/// A reported fork stands: only `resolve_fork` makes the sub-chain active.
		UnresolvedFork,
		/// The voters are not one GRANDPA key per committee member, each key once.
		InvalidVoters,
		/// A header schedules a voter set that no election the parent confirmed (and has not
		/// seen enacted) names, and that is neither the set in force with voters a forced change
		/// left out added back nor the set in force without some of its voters.
		UnelectedVoterSet,
		/// The equivocation is of another voter set than the one the parent follows.
		NotCurrentVoterSet,
		/// The votes are the same, or not both validly signed by the offender for the round
		/// and set.
		InvalidEquivocation,
		/// The parent does not know whose the offending key is (a voter set governance set).
		UnknownVoterAccount,
		/// The proof does not show that the caller holds every one of the keys.
		InvalidKeyProof,
		/// The feed-in tariff is above the grid price.
		InvalidPriceBounds,
		/// A sub-chain's committee has from 1 to
		/// [`MAX_COMMITTEE_SIZE`](dbm_primitives::dbsca::MAX_COMMITTEE_SIZE) nodes.
		InvalidCommitteeSize,
		/// A header's parent is not a block of the sub-chain the parent anchored (in the recent
		/// window).
		ParentNotAnchored,
		/// A header carries no Aura slot.
		NoSlot,
		/// A header's last digest item is not an Aura seal.
		NoSeal,
		/// A header's seal is not the named key's signature of it.
		BadSeal,
		/// The two headers are for different slots.
		DifferentSlots,
		/// The two headers are one block: the same but for the seal.
		SameBlock,
		/// The sub-chain's state shows no account registered the key.
		UnknownKey,
		/// The member was already suspended for sealing two blocks in this slot or a later one.
		StaleEquivocation,
		/// The justification is of another round than the one that finalized the conflicting
		/// block (or that round is unknown: evidence reported before rounds were kept).
		DifferentRounds,
		/// The meter a join or a meter replacement names did not sign that it measures for
		/// the node: its proof is not the meter key's signature of the node's account.
		BadMeterProof,
	}
}
