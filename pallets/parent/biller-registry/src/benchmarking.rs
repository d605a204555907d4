//! Benchmarks of every call and hook, each in its worst case.

use super::*;
use crate::pallet::*;
use alloc::{boxed::Box, vec, vec::Vec};
use codec::{Decode, Encode};
use dbm_primitives::{
	dbsca::{ElectionStatement, NodeAttributes},
	finality::{AuthorityId, AuthorityList},
	membership::Role,
	registry::{ElectedVoters, GrandpaVoters, MAX_UNENACTED},
	registry::{MAX_BOOT_NODES, MAX_BOOT_NODE_LEN, MAX_COMMITTEE, MAX_LOCATION_LEN, MAX_NAME_LEN},
	trade::TradeOutcome,
	Header,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	Permill, Saturating,
};

type Helper<T> = <T as Config>::BenchmarkHelper;

/// The sub-chain the benchmarks use: above any a genesis registers.
const BENCH: SubchainId = SubchainId(1_000);

fn member_info() -> MemberInfo {
	MemberInfo {
		role: Role::Generator,
		attested: NodeAttributes { renewable: true, ..Default::default() },
		suspended: false,
	}
}

/// A dispute of 2 kWh by the buyer.
fn dispute<T: Config>() -> DisputeOf<T> {
	let (buyer, seller) = (Helper::<T>::account(0), Helper::<T>::account(1));
	Dispute { by: buyer.clone(), buyer, seller, energy_wh: 2_000, escrow: 1_000_000 }
}

/// Starts from no sub-chains but the benchmark's, which has no members.
fn reset<T: Config>() {
	let _ = Subchains::<T>::clear(u32::MAX, None);
	let _ = Members::<T>::clear(u32::MAX, None);
	let _ = MemberOf::<T>::clear(u32::MAX, None);
	let _ = MemberCount::<T>::clear(u32::MAX, None);
	let _ = ActiveSets::<T>::clear(u32::MAX, None);
	let _ = Elections::<T>::clear(u32::MAX, None);
	let _ = Unenacted::<T>::clear(u32::MAX, None);
	let _ = VoterAccounts::<T>::clear(u32::MAX, None);
	let _ = Reelections::<T>::clear(u32::MAX, None);
	let _ = LastAnchor::<T>::clear(u32::MAX, None);
	let _ = Anchors::<T>::clear(u32::MAX, None);
	let _ = AnchorEpochs::<T>::clear(u32::MAX, None);
	let _ = Disputes::<T>::clear(u32::MAX, None);
	let _ = DisputeCount::<T>::clear(u32::MAX, None);
	let _ = Forks::<T>::clear(u32::MAX, None);
	let _ = SealOffences::<T>::clear(u32::MAX, None);
	register::<T>(BENCH);
}

/// Registers `id` with every field at its largest.
fn register<T: Config>(id: SubchainId) {
	Pallet::<T>::do_register(
		id,
		vec![b'n'; MAX_NAME_LEN as usize],
		vec![b'l'; MAX_LOCATION_LEN as usize],
		H256::zero(),
		H256::repeat_byte(1),
		vec![vec![b'b'; MAX_BOOT_NODE_LEN as usize]; MAX_BOOT_NODES as usize],
	)
	.expect("a fresh id registers");
}

/// `n` signing members of the benchmark's sub-chain, accounts `0..n`.
fn members<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who = Helper::<T>::account(i);
			Pallet::<T>::do_add_member(BENCH, &who, member_info()).expect("room for members");
			who
		})
		.collect()
}

/// `n` trade records.
fn records<T: Config>(
	n: u32,
	buyer: &T::AccountId,
	seller: &T::AccountId,
) -> Vec<TradeRecordOf<T>> {
	(0..n)
		.map(|i| TradeRecord {
			trade: i.into(),
			outcome: TradeOutcome::Delivered { delivered_wh: u64::MAX },
			buyer: buyer.clone(),
			seller: seller.clone(),
			energy_wh: u64::MAX,
			price: Balance::MAX,
			value: Balance::MAX,
		})
		.collect()
}

/// Anchors the benchmark sub-chain's blocks `numbers` (block `n` hashed `n` repeated), the
/// last of them as its last anchor.
fn anchor_blocks<T: Config>(numbers: impl Iterator<Item = u32>) {
	let mut last = 0;
	for number in numbers {
		Anchors::<T>::insert(
			BENCH,
			number,
			Anchor {
				hash: H256::repeat_byte(number as u8),
				state_root: H256::zero(),
				trade_root: H256::zero(),
				trade_count: 0,
				anchored_in: Default::default(),
			},
		);
		last = number;
	}
	LastAnchor::<T>::insert(
		BENCH,
		AnchorHead {
			number: last,
			hash: H256::repeat_byte(last as u8),
			anchored_in: Default::default(),
		},
	);
}

/// The benchmark sub-chain's anchors up to block `AnchorWindow + 1`, with `voters` as set 0:
/// the last anchor, and the oldest ones of a full window, which the next `MaxSegment` anchors
/// prune; returns the last anchored number.
fn fill_window<T: Config>(voters: AuthorityList) -> u32 {
	let window = T::AnchorWindow::get();
	let last = window + 1;
	let pruned = 2..(2 + T::MaxSegment::get()).min(last);
	anchor_blocks::<T>(pruned.chain(core::iter::once(last)));
	Voters::<T>::insert(
		BENCH,
		GrandpaVoters { set_id: 0, voters: voters.try_into().expect("at most MaxVoters"), from: 1 },
	);
	last
}

/// Sub-chain header `number` on `parent` with the root of `trades` and, if given, a change to
/// `change`, padded to `MaxHeaderLen` bytes.
fn full_header<T: Config>(
	number: u32,
	parent: H256,
	trades: &[TradeRecordOf<T>],
	change: Option<AuthorityList>,
) -> Header {
	headed::<T>(
		number,
		parent,
		trades,
		change.map(|next| dbm_primitives::finality::scheduled_change_item(next, 0)),
	)
}

/// [`full_header`] with the GRANDPA digest item `change`, if any.
fn headed<T: Config>(
	number: u32,
	parent: H256,
	trades: &[TradeRecordOf<T>],
	change: Option<DigestItem>,
) -> Header {
	let mut digest = Digest::default();
	digest.push(DigestItem::PreRuntime(*b"aura", 7u64.encode()));
	digest.push(TradeRoot::of(trades).to_digest_item());
	if let Some(item) = change {
		digest.push(item);
	}
	let bare = Header::new(number, H256::zero(), H256::zero(), parent, digest.clone());
	// Pad the digest (an `Other` item takes a byte and a length of up to 4 bytes).
	let room = (T::MaxHeaderLen::get() as usize).saturating_sub(bare.encode().len() + 5);
	digest.push(DigestItem::Other(vec![0; room]));
	let header = Header::new(number, H256::zero(), H256::zero(), parent, digest);
	assert!(header.encode().len() <= T::MaxHeaderLen::get() as usize, "the header fits");
	header
}

/// The justification of `target` by `voters` in round 1 of set 0, the first voting for a
/// descendant `depth` blocks below it (through as many ancestry headers).
fn justify<T: Config>(
	target: &Header,
	voters: &[AuthorityId],
	depth: u32,
) -> dbm_primitives::finality::Justification {
	justify_in::<T>(target, voters, depth, 0)
}

/// [`justify`] in set `set_id`.
fn justify_in<T: Config>(
	target: &Header,
	voters: &[AuthorityId],
	depth: u32,
	set_id: u64,
) -> dbm_primitives::finality::Justification {
	let mut ancestries = Vec::new();
	let mut tip = target.clone();
	for _ in 0..depth {
		tip = Header::new(
			*tip.number() + 1,
			H256::zero(),
			H256::zero(),
			tip.hash(),
			Digest::default(),
		);
		ancestries.push(tip.clone());
	}
	let block = (target.hash(), *target.number());
	let precommits = voters
		.iter()
		.enumerate()
		.map(|(i, id)| {
			let voted = if i == 0 { (tip.hash(), *tip.number()) } else { block };
			let payload = dbm_primitives::finality::precommit_payload(1, set_id, voted);
			dbm_primitives::finality::signed_precommit(
				voted,
				Helper::<T>::vote(id, &payload),
				id.clone(),
			)
		})
		.collect();
	dbm_primitives::finality::justification(1, block, precommits, ancestries)
}

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn register_subchain() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = SubchainId(BENCH.0 + 1);
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			id,
			vec![b'n'; MAX_NAME_LEN as usize],
			vec![b'l'; MAX_LOCATION_LEN as usize],
			H256::zero(),
			H256::zero(),
			vec![vec![b'b'; MAX_BOOT_NODE_LEN as usize]; MAX_BOOT_NODES as usize],
		);
		assert!(Subchains::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn set_boot_nodes() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let nodes = vec![vec![b'c'; MAX_BOOT_NODE_LEN as usize]; MAX_BOOT_NODES as usize];
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, nodes);
		assert_eq!(Subchains::<T>::get(BENCH).map(|s| s.boot_nodes[0][0]), Some(b'c'));
		Ok(())
	}

	#[benchmark]
	fn set_status() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, SubchainStatus::Paused);
		assert_eq!(Subchains::<T>::get(BENCH).map(|s| s.status), Some(SubchainStatus::Paused));
		Ok(())
	}

	#[benchmark]
	fn add_member() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		members::<T>(T::MaxMembers::get() - 1);
		let who = Helper::<T>::account(T::MaxMembers::get());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, who.clone(), member_info());
		assert_eq!(MemberOf::<T>::get(&who), Some(BENCH));
		Ok(())
	}

	#[benchmark]
	fn update_member() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = members::<T>(1).remove(0);
		let suspended = MemberInfo { suspended: true, ..member_info() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), suspended);
		assert_eq!(MemberCount::<T>::get(BENCH), (1, 0));
		Ok(())
	}

	#[benchmark]
	fn remove_member() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = members::<T>(1).remove(0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(MemberOf::<T>::get(&who).is_none());
		Ok(())
	}

	/// `c` members, all confirming a full committee.
	#[benchmark]
	fn submit_election(c: Linear<1, { T::MaxMembers::get() }>) {
		reset::<T>();
		let all = members::<T>(c);
		let counted = Pallet::<T>::active_set_of(BENCH);
		let committee: Vec<_> =
			all.iter().cycle().take(MAX_COMMITTEE.min(c) as usize).cloned().collect();
		let voters: Vec<_> = (0..committee.len() as u32).map(Helper::<T>::voter).collect();
		// A full list of elections awaiting enactment, the oldest of which gives way.
		for round in 0..MAX_UNENACTED {
			Pallet::<T>::expect_voters(
				BENCH,
				ElectedVoters {
					round,
					committee: committee.clone().try_into().expect("at most MAX_COMMITTEE"),
					voters: voters.clone().try_into().expect("at most MAX_COMMITTEE"),
				},
			);
		}
		Elections::<T>::insert(
			BENCH,
			ConfirmedElection {
				round: MAX_UNENACTED - 1,
				committee: committee.clone().try_into().expect("at most MAX_COMMITTEE"),
				voters: voters.clone().try_into().expect("at most MAX_COMMITTEE"),
				confirmed_at: Default::default(),
			},
		);
		let round = MAX_UNENACTED;
		let payload = ElectionStatement::new(
			H256::zero(),
			BENCH,
			round,
			counted,
			committee.clone(),
			voters.clone(),
		)
		.signing_payload();
		let confirmations: Vec<_> =
			all.iter().map(|who| (who.clone(), Helper::<T>::sign(who, &payload))).collect();
		let relayer = Helper::<T>::account(u32::MAX);
		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), BENCH, round, counted, committee, voters, confirmations);
		assert_eq!(Elections::<T>::get(BENCH).map(|e| e.round), Some(round));
		assert_eq!(Unenacted::<T>::get(BENCH).last().map(|e| e.round), Some(round));
	}

	#[benchmark]
	fn request_reelection() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ElectionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let excluded = Helper::<T>::account(0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, Some(excluded));
		assert!(Reelections::<T>::contains_key(BENCH));
		Ok(())
	}

	#[benchmark]
	fn set_score_weights() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ElectionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let weights = ScoreWeights {
			renewable: Permill::from_percent(25),
			environmental: Permill::from_percent(25),
			cost: Permill::from_percent(25),
			stability: Permill::from_percent(25),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, weights);
		Ok(())
	}

	#[benchmark]
	fn set_prices() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, 80, 300);
		Ok(())
	}

	#[benchmark]
	fn set_network_charge() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, 20);
		Ok(())
	}

	#[benchmark]
	fn set_committee_size() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ElectionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, dbm_primitives::dbsca::MAX_COMMITTEE_SIZE);
		Ok(())
	}

	/// A sub-chain's upgrade, sent to it (the parent's own is one storage write).
	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, UpgradeTarget::Subchain(BENCH), H256::repeat_byte(7));
		Ok(())
	}

	/// A ruling on an open dispute, sent to the sub-chain.
	#[benchmark]
	fn rule_dispute() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let dispute = dispute::<T>();
		Pallet::<T>::open_dispute(BENCH, 7, &dispute)
			.map_err(|_| BenchmarkError::Stop("the dispute opens"))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, 7, 1_000);
		assert!(!Disputes::<T>::contains_key(BENCH, 7));
		Ok(())
	}

	/// A sub-chain's dispute opened from its message.
	#[benchmark]
	fn open_dispute() -> Result<(), BenchmarkError> {
		reset::<T>();
		let dispute = dispute::<T>();
		#[block]
		{
			Pallet::<T>::open_dispute(BENCH, 7, &dispute)
				.map_err(|_| BenchmarkError::Stop("the dispute opens"))?;
		}
		assert!(Disputes::<T>::contains_key(BENCH, 7));
		Ok(())
	}

	/// A finalized segment of `h` headers of the largest size after a full window, `t` trade
	/// records (in its last block), justified by all `v` voters of the set, one of whose votes
	/// is for a descendant `a` blocks below, through `a` ancestry headers. Its first header
	/// forces a change from `v + 1` voters to the `v` (one left out), its last hands over to a
	/// new set of `MaxVoters` (so `h` starts at 2).
	#[benchmark]
	fn anchor(
		h: Linear<2, { T::MaxSegment::get() }>,
		t: Linear<0, { T::MaxTradesPerAnchor::get() }>,
		v: Linear<1, { T::MaxVoters::get() - 1 }>,
		a: Linear<0, { T::MaxAncestry::get() }>,
	) {
		reset::<T>();
		let (buyer, seller) = (Helper::<T>::account(0), Helper::<T>::account(1));
		let voters: Vec<_> = (0..v).map(Helper::<T>::voter).collect();
		let all: AuthorityList = (0..=v).map(|i| (Helper::<T>::voter(i), 1)).collect();
		let last = fill_window::<T>(all.clone());
		let next: AuthorityList =
			(0..T::MaxVoters::get()).map(|i| (Helper::<T>::voter(1_000 + i), 1)).collect();
		// A full list of confirmed elections, the new set the last, each other differing from
		// it in the last key only.
		for round in 1..=MAX_UNENACTED {
			let mut keys: Vec<_> = next.iter().map(|(id, _)| id.clone()).collect();
			if round < MAX_UNENACTED {
				*keys.last_mut().expect("MaxVoters > 0") = Helper::<T>::voter(2_000 + round);
			}
			let voters = keys.try_into().expect("MaxVoters <= MAX_COMMITTEE");
			let committee = (0..T::MaxVoters::get())
				.map(Helper::<T>::account)
				.collect::<Vec<_>>()
				.try_into()
				.expect("MaxVoters <= MAX_COMMITTEE");
			Pallet::<T>::expect_voters(BENCH, ElectedVoters { round, committee, voters });
		}
		let mut parent = H256::repeat_byte(last as u8);
		let mut blocks = Vec::new();
		let mut headers = Vec::new();
		let forced =
			dbm_primitives::finality::forced_change_item(all[..v as usize].to_vec(), 0, last);
		for number in last + 1..=last + h {
			let is_last = number == last + h;
			let trades = if is_last { records::<T>(t, &buyer, &seller) } else { vec![] };
			let change = if number == last + 1 {
				Some(forced.clone())
			} else {
				is_last.then(|| dbm_primitives::finality::scheduled_change_item(next.clone(), 0))
			};
			let header = headed::<T>(number, parent, &trades, change);
			parent = header.hash();
			blocks.push(AnchoredBlockOf::<T> { header: header.encode(), trades });
			headers.push(header);
		}
		let target = headers.last().expect("h >= 1").clone();
		let justification = justify_in::<T>(&target, &voters, a, 1);
		// The voters are a committee whose biller is the last of the `v` kept, found live by
		// its vote.
		let accounts: Vec<T::AccountId> = (0..=v).map(Helper::<T>::account).collect();
		let biller = accounts[v as usize - 1].clone();
		VoterAccounts::<T>::insert(BENCH, Committee::try_from(accounts).expect("v < MaxVoters"));
		Elections::<T>::insert(
			BENCH,
			ConfirmedElection {
				round: 0,
				committee: vec![biller.clone()].try_into().expect("one fits"),
				voters: Default::default(),
				confirmed_at: Default::default(),
			},
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), BENCH, blocks, justification.encode());
		assert_eq!(LastAnchor::<T>::get(BENCH).map(|a| a.hash), Some(target.hash()));
		assert_eq!(BillerVotes::<T>::get(BENCH).map(|(who, _)| who), Some(biller));
		assert_eq!(Voters::<T>::get(BENCH).map(|set| set.set_id), Some(2));
		assert!(Unenacted::<T>::get(BENCH).is_empty());
		assert!(Sidelined::<T>::get(BENCH).is_empty(), "the election ended the sidelining");
		assert_eq!(VoterAccounts::<T>::get(BENCH).len() as u32, T::MaxVoters::get());
	}

	/// The genesis of a sub-chain with `MaxVoters` voters, proven with `p` more bytes of
	/// proof than their own nodes.
	#[benchmark]
	fn anchor_genesis(p: Linear<0, { T::MaxProofSize::get().saturating_sub(2_048) }>) {
		reset::<T>();
		let voters: AuthorityList =
			(0..T::MaxVoters::get()).map(|i| (Helper::<T>::voter(i), 1)).collect();
		let (root, proof) = dbm_primitives::proof::trie(&[
			(dbm_primitives::finality::grandpa_authorities_key(), voters.encode()),
			(b"padding".to_vec(), vec![1u8; p as usize]),
		]);
		let genesis = Header::new(0, H256::zero(), root, H256::zero(), Digest::default());
		Subchains::<T>::mutate(BENCH, |info| {
			if let Some(info) = info {
				info.genesis_hash = genesis.hash()
			}
		});
		let caller = Helper::<T>::account(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), BENCH, genesis.encode(), proof);
		assert_eq!(
			Voters::<T>::get(BENCH).map(|set| set.voters.len() as u32),
			Some(T::MaxVoters::get())
		);
	}

	/// `s` sub-chains, each at the end of its term, its anchors overdue in this block and its
	/// biller's liveness running out: every one gets a re-election request and two events.
	#[benchmark]
	fn on_initialize(s: Linear<1, { T::MaxSubchains::get() }>) {
		reset::<T>();
		for i in 1..s {
			register::<T>(SubchainId(BENCH.0 + i));
		}
		let committee: Committee<T::AccountId> =
			vec![Helper::<T>::account(0)].try_into().expect("one fits");
		for (id, _) in Subchains::<T>::iter() {
			Elections::<T>::insert(
				id,
				ConfirmedElection {
					round: 1,
					committee: committee.clone(),
					voters: vec![Helper::<T>::voter(0)].try_into().expect("one fits"),
					confirmed_at: Default::default(),
				},
			);
		}
		let now = T::AnchorsOverdueAfter::get()
			.max(T::TermLength::get())
			.max(T::BillerLiveness::get())
			.max(1u32.into());
		let anchored_in = now.saturating_sub(T::AnchorsOverdueAfter::get());
		for (id, _) in Subchains::<T>::iter() {
			LastAnchor::<T>::insert(id, AnchorHead { number: 1, hash: H256::zero(), anchored_in });
		}
		// Every biller's liveness runs out in this block.
		let voted = now.saturating_sub(T::BillerLiveness::get());
		for (id, _) in Subchains::<T>::iter() {
			BillerVotes::<T>::insert(id, (Helper::<T>::account(0), voted));
		}
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(Reelections::<T>::iter().count() as u32, s);
	}

	#[benchmark]
	fn set_operators() -> Result<(), BenchmarkError> {
		let origin =
			T::OperatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let operators: Vec<T::AccountId> =
			(0..T::MaxOperators::get()).map(|i| Helper::<T>::account(500 + i)).collect();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, operators.clone());
		assert_eq!(Operators::<T>::get().into_inner(), operators);
		Ok(())
	}

	/// A committee member (the longest eligibility check: operators, its membership and its
	/// sub-chain's election) replacing its keys, with their proof of possession checked.
	#[benchmark]
	fn set_parent_keys() {
		reset::<T>();
		let who = members::<T>(1).remove(0);
		let operators: Vec<T::AccountId> =
			(0..T::MaxOperators::get()).map(|i| Helper::<T>::account(500 + i)).collect();
		Operators::<T>::put(BoundedVec::try_from(operators).expect("MaxOperators"));
		Elections::<T>::insert(
			BENCH,
			ConfirmedElection {
				round: 1,
				committee: vec![who.clone()].try_into().expect("one fits"),
				voters: vec![Helper::<T>::voter(0)].try_into().expect("one fits"),
				confirmed_at: Default::default(),
			},
		);
		Pallet::<T>::do_set_parent_keys(&who, Helper::<T>::authority_keys(0)).expect("fresh keys");
		let keys = Helper::<T>::authority_keys(1);
		let proof = Helper::<T>::authority_keys_proof(1, &who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), keys.clone(), proof);
		assert_eq!(ParentKeys::<T>::get(&who), Some(keys));
	}

	/// `MaxOperators` operators and `MaxSubchains` active sub-chains, each with a biller with
	/// parent keys, of which only the last ones (as many as may join) are live: every sub-chain
	/// looked at, and the largest set computed and applied.
	#[benchmark]
	fn refresh_authorities() {
		reset::<T>();
		for i in 1..T::MaxSubchains::get() {
			register::<T>(SubchainId(BENCH.0 + i));
		}
		let mut ids: Vec<SubchainId> = Subchains::<T>::iter_keys().collect();
		ids.sort();
		let room = (T::MaxOperators::get().saturating_sub(1) / 2) as usize;
		let live_from = ids.len().saturating_sub(room);
		for (i, id) in ids.into_iter().enumerate() {
			let biller = Helper::<T>::account(1_000 + i as u32);
			if i >= live_from {
				let now = frame_system::Pallet::<T>::block_number();
				BillerVotes::<T>::insert(id, (biller.clone(), now));
			}
			Pallet::<T>::do_add_member(id, &biller, member_info()).expect("room");
			Pallet::<T>::do_set_parent_keys(&biller, Helper::<T>::authority_keys(1_000 + i as u32))
				.expect("fresh keys");
			Elections::<T>::insert(
				id,
				ConfirmedElection {
					round: 1,
					committee: vec![biller].try_into().expect("one fits"),
					voters: vec![Helper::<T>::voter(1_000 + i as u32)]
						.try_into()
						.expect("one fits"),
					confirmed_at: Default::default(),
				},
			);
		}
		let operators: Vec<T::AccountId> =
			(0..T::MaxOperators::get()).map(|i| Helper::<T>::account(500 + i)).collect();
		for (i, who) in operators.iter().enumerate() {
			Pallet::<T>::do_set_parent_keys(who, Helper::<T>::authority_keys(500 + i as u32))
				.expect("fresh keys");
		}
		Operators::<T>::put(BoundedVec::try_from(operators).expect("MaxOperators"));
		Authorities::<T>::kill();
		AuthoritiesStale::<T>::put(true);
		#[block]
		{
			assert!(Pallet::<T>::refresh_authorities());
		}
		let billers = T::MaxSubchains::get().min(T::MaxOperators::get().saturating_sub(1) / 2);
		assert_eq!(
			Authorities::<T>::decode_len(),
			Some((T::MaxOperators::get() + billers) as usize)
		);
	}

	/// Evidence of a fork at the last anchor, the conflicting header of `MaxHeaderLen` bytes
	/// justified by `v` voters, the first voting for a descendant `a` blocks below it.
	#[benchmark]
	fn report_fork(v: Linear<1, { T::MaxVoters::get() }>, a: Linear<0, { T::MaxAncestry::get() }>) {
		reset::<T>();
		let voters: Vec<_> = (0..v).map(Helper::<T>::voter).collect();
		let last = fill_window::<T>(voters.iter().map(|id| (id.clone(), 1)).collect());
		let header = full_header::<T>(last, H256::repeat_byte(7), &[], None);
		let justification = justify::<T>(&header, &voters, a);
		let reporter = Helper::<T>::account(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), BENCH, header.encode(), justification.encode());
		assert_eq!(Forks::<T>::get(BENCH).map(|f| f.conflicting), Some(header.hash()));
	}

	/// A fork resolved by rewinding the record (at the same cost at any depth) and setting a
	/// voter set of `MaxVoters`.
	#[benchmark]
	fn resolve_fork() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let voters: AuthorityList =
			(0..T::MaxVoters::get()).map(|i| (Helper::<T>::voter(i), 1)).collect();
		let (head, r) = (1u32, T::MaxSegment::get());
		anchor_blocks::<T>(head..=head + r);
		Voters::<T>::insert(
			BENCH,
			GrandpaVoters {
				set_id: 0,
				voters: voters.clone().try_into().expect("MaxVoters"),
				from: head + r + 1,
			},
		);
		Forks::<T>::insert(
			BENCH,
			dbm_primitives::registry::ForkEvidence {
				number: head,
				anchored: H256::repeat_byte(head as u8),
				conflicting: H256::zero(),
				set_id: 0,
				round: 1,
				signers: BoundedVec::truncate_from(
					voters.iter().map(|(id, _)| id.clone()).collect(),
				),
				reporter: Helper::<T>::account(0),
				reported_at: Default::default(),
			},
		);
		Pallet::<T>::do_set_status(BENCH, SubchainStatus::Paused)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, Some(head), Some((1, voters)));
		assert_eq!(LastAnchor::<T>::get(BENCH).map(|a| a.number), Some(head));
		assert!(!Forks::<T>::contains_key(BENCH));
		Ok(())
	}

	/// A proven precommit equivocation by the last of `MaxVoters` voters, each an active
	/// member of the elected committee.
	#[benchmark]
	fn report_equivocation() {
		reset::<T>();
		let voters: AuthorityList =
			(0..T::MaxVoters::get()).map(|i| (Helper::<T>::voter(i), 1)).collect();
		let committee = members::<T>(T::MaxVoters::get());
		Voters::<T>::insert(
			BENCH,
			GrandpaVoters {
				set_id: 3,
				voters: voters.clone().try_into().expect("MaxVoters"),
				from: 1,
			},
		);
		VoterAccounts::<T>::insert(
			BENCH,
			Committee::<T::AccountId>::truncate_from(committee.clone()),
		);
		let offender = voters.last().expect("MaxVoters > 0").0.clone();
		let signed = |byte: u8| {
			let target = (H256::repeat_byte(byte), 7);
			let payload = dbm_primitives::finality::precommit_payload(9, 3, target);
			(target, Helper::<T>::vote(&offender, &payload))
		};
		let proof = dbm_primitives::finality::precommit_equivocation(
			3,
			9,
			offender.clone(),
			signed(1),
			signed(2),
		);
		let reporter = Helper::<T>::account(u32::MAX);
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), BENCH, Box::new(proof));
		let who = committee.last().expect("MaxVoters > 0");
		assert!(Members::<T>::get(BENCH, who).is_some_and(|info| info.suspended));
	}

	/// A proven seal equivocation by the Aura key of a member: two headers of `MaxHeaderLen`
	/// bytes sealed for one slot, the key's owner proven against an anchored state by a proof
	/// filled to `MaxProofNodes` nodes and `MaxProofSize` bytes (every node is hashed before
	/// the key is looked up).
	#[benchmark]
	fn report_seal_equivocation() {
		reset::<T>();
		let offender = members::<T>(2).pop().expect("two members");
		// Both runtimes' accounts are sr25519 keys: the member's account key stands for its
		// Aura key, and its account signature (a `MultiSignature`) holds the seal.
		let raw: [u8; 32] = offender.encode().try_into().expect("a 32-byte account");
		let author = sp_core::sr25519::Public::from_raw(raw);
		// Blocks on anchored block 3.
		let parent = H256::repeat_byte(3);
		let sealed = |state: u8| {
			let mut digest = Digest::default();
			digest.push(DigestItem::PreRuntime(*b"aura", 7u64.encode()));
			let bare = Header::new(4, H256::zero(), H256::zero(), parent, digest.clone());
			// The seal item takes 70 bytes, the padding item a byte and its length's up to 4.
			let room =
				(T::MaxHeaderLen::get() as usize).saturating_sub(bare.encode().len() + 5 + 70);
			digest.push(DigestItem::Other(vec![state; room]));
			let mut header = Header::new(4, H256::zero(), H256::zero(), parent, digest);
			dbm_primitives::seal::seal(&mut header, |hash| {
				let signature = Helper::<T>::sign(&offender, hash).encode();
				match sp_runtime::MultiSignature::decode(&mut &signature[..]) {
					Ok(sp_runtime::MultiSignature::Sr25519(signature)) => signature,
					_ => panic!("an sr25519 account signature"),
				}
			});
			assert!(header.encode().len() <= T::MaxHeaderLen::get() as usize, "the header fits");
			header
		};
		let (first, second) = (sealed(1), sealed(2));
		let key = dbm_primitives::subchain_state::aura_key_owner_key(&author);
		let (root, mut proof) = dbm_primitives::proof::trie(&[(key, offender.encode())]);
		let spare = T::MaxProofNodes::get().saturating_sub(proof.len() as u32);
		let room = T::MaxProofSize::get().saturating_sub(dbm_primitives::proof::proof_size(&proof));
		for i in 0..spare {
			proof.push(vec![i as u8; (room / spare.max(1)) as usize]);
		}
		anchor_blocks::<T>(core::iter::once(3));
		Anchors::<T>::mutate(BENCH, 3, |entry| {
			if let Some(entry) = entry {
				entry.state_root = root;
			}
		});
		let reporter = Helper::<T>::account(u32::MAX);
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), BENCH, 3, author, first.encode(), second.encode(), proof);
		assert!(Members::<T>::get(BENCH, &offender).is_some_and(|info| info.suspended));
		assert_eq!(SealOffences::<T>::get(&offender), Some(7));
	}

	/// The voters of a reported fork that signed both sides in one round excluded: `v`
	/// voters, each an active member of the elected committee, signed the conflicting side and
	/// sign the anchored one, the first voting for a descendant `a` blocks below it; each is
	/// suspended.
	#[benchmark]
	fn exclude_fork_signers(
		v: Linear<1, { T::MaxVoters::get() }>,
		a: Linear<0, { T::MaxAncestry::get() }>,
	) {
		reset::<T>();
		let voters: Vec<_> = (0..v).map(Helper::<T>::voter).collect();
		let committee = members::<T>(v);
		let last = fill_window::<T>(voters.iter().map(|id| (id.clone(), 1)).collect());
		VoterAccounts::<T>::insert(
			BENCH,
			Committee::<T::AccountId>::truncate_from(committee.clone()),
		);
		// The anchored side: a full header the window holds as block `last`.
		let header = full_header::<T>(last, H256::repeat_byte(7), &[], None);
		Anchors::<T>::mutate(BENCH, last, |entry| {
			if let Some(entry) = entry {
				entry.hash = header.hash();
			}
		});
		LastAnchor::<T>::mutate(BENCH, |head| {
			if let Some(head) = head {
				head.hash = header.hash();
			}
		});
		let justification = justify::<T>(&header, &voters, a);
		Forks::<T>::insert(
			BENCH,
			dbm_primitives::registry::ForkEvidence {
				number: last,
				anchored: header.hash(),
				conflicting: H256::repeat_byte(9),
				set_id: 0,
				round: justification.round,
				signers: BoundedVec::truncate_from(voters.clone()),
				reporter: Helper::<T>::account(0),
				reported_at: Default::default(),
			},
		);
		Pallet::<T>::do_set_status(BENCH, SubchainStatus::Paused).expect("an active sub-chain");
		let reporter = Helper::<T>::account(u32::MAX);
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), BENCH, last, justification.encode());
		for who in &committee {
			assert!(Members::<T>::get(BENCH, who).is_some_and(|info| info.suspended));
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
