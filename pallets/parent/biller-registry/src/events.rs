//! The registry's events, imported into the pallet module as a pallet section.

use frame_support::pallet_macros::pallet_section;

/// The events, a section of the pallet module.
#[pallet_section]
mod events {
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
		/// No anchor of an active sub-chain arrived for `AnchorsOverdueAfter` blocks (said once
		/// per stretch). Nothing is asked of the sub-chain: its relay may be the one that stopped.
		AnchorsOverdue {
			/// The sub-chain.
			subchain: SubchainId,
			/// The parent block of its last anchor, or of its committee's confirmation if later.
			since: BlockNumberFor<T>,
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
		/// A sub-chain voter's equivocation was proven; its member is suspended.
		EquivocationReported {
			/// The sub-chain.
			subchain: SubchainId,
			/// The voter set's id.
			set_id: u64,
			/// The GRANDPA round of the two votes.
			round: u64,
			/// The member whose key signed both.
			offender: T::AccountId,
			/// Who reported it.
			reporter: T::AccountId,
		},
		/// The parent follows a new GRANDPA voter set of a sub-chain: its genesis voters, or
		/// those a finalized header scheduled.
		VoterSetChanged {
			/// The sub-chain.
			subchain: SubchainId,
			/// The set id.
			set_id: u64,
			/// The first sub-chain block the set finalizes.
			from: dbm_primitives::BlockNumber,
			/// How many voters it has.
			voters: u32,
		},
		/// The parent followed a sub-chain's forced voter set change (its finality recovered
		/// from dead voters); a `VoterSetChanged` follows.
		VoterSetForced {
			/// The sub-chain.
			subchain: SubchainId,
			/// The new set's id.
			set_id: u64,
			/// The sub-chain block that signalled the change.
			signal: dbm_primitives::BlockNumber,
			/// The last block the change took as finalized.
			median: dbm_primitives::BlockNumber,
			/// How many voters the new set has.
			voters: u32,
			/// How many voters are left out now, this change's and earlier ones'.
			sidelined: u32,
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
		/// A sub-chain's biller is live: an anchor's justification held its own vote, and none
		/// had for `BillerLiveness` blocks before (or ever).
		BillerLive {
			/// The sub-chain.
			subchain: SubchainId,
			/// The biller.
			biller: T::AccountId,
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
		/// New price bounds for a sub-chain's market were sent to it.
		PricesSent {
			/// The sub-chain.
			subchain: SubchainId,
			/// The feed-in tariff, per kWh.
			feed_in_tariff: Balance,
			/// The grid price, per kWh.
			grid_price: Balance,
			/// The nonce of the message that carries them.
			nonce: u64,
		},
		/// A sub-chain's network charge was sent to it.
		NetworkChargeSent {
			/// The sub-chain.
			subchain: SubchainId,
			/// The charge, per kWh.
			per_kwh: Balance,
			/// The nonce of the message that carries it.
			nonce: u64,
		},
		/// A runtime upgrade was authorized: the parent's, or a sub-chain's (sent to it).
		UpgradeAuthorized {
			/// Whose runtime.
			target: UpgradeTarget,
			/// The hash of the new runtime's code.
			code_hash: H256,
			/// The nonce of the message that carries it to a sub-chain.
			nonce: Option<u64>,
		},
		/// A new size of a sub-chain's elected committee was sent to it.
		CommitteeSizeSent {
			/// The sub-chain.
			subchain: SubchainId,
			/// The size.
			size: u32,
			/// The nonce of the message that carries it.
			nonce: u64,
		},
		/// Evidence of a fork of a sub-chain was recorded: two finalized blocks at one height.
		ForkReported {
			/// The sub-chain.
			subchain: SubchainId,
			/// The height.
			number: dbm_primitives::BlockNumber,
			/// The anchored block.
			anchored: H256,
			/// The conflicting block.
			conflicting: H256,
			/// The voters whose precommits justified the conflicting block.
			signers: Vec<dbm_primitives::finality::AuthorityId>,
		},
		/// A reported fork was resolved: the record's head is `head`.
		ForkResolved {
			/// The sub-chain.
			subchain: SubchainId,
			/// The canonical head's number.
			head: dbm_primitives::BlockNumber,
			/// Its hash.
			hash: H256,
		},
		/// A sub-chain block author's seals of two blocks for one slot were proven; its member
		/// is suspended.
		SealEquivocationReported {
			/// The sub-chain.
			subchain: SubchainId,
			/// The slot of the two blocks.
			slot: u64,
			/// The member whose Aura key sealed both.
			offender: T::AccountId,
			/// Who reported it.
			reporter: T::AccountId,
		},
		/// Voters that signed both sides of a reported fork in one round were proven; their
		/// members are suspended.
		ForkSignersExcluded {
			/// The sub-chain.
			subchain: SubchainId,
			/// The round both sides were finalized in.
			round: u64,
			/// The members suspended (those not suspended already).
			excluded: Vec<T::AccountId>,
		},
		/// The parent followed a sub-chain's change to its voter set without one of its voters
		/// (a member the sub-chain took out of consensus when the parent suspended or kicked
		/// it); a `VoterSetChanged` follows.
		VoterTakenOut {
			/// The sub-chain.
			subchain: SubchainId,
			/// The new set's id.
			set_id: u64,
			/// The key left out.
			voter: dbm_primitives::finality::AuthorityId,
			/// Whose it was, if the parent knew.
			account: Option<T::AccountId>,
		},
	}
}
