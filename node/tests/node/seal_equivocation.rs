//! A block author that seals two blocks for one slot is excluded by the parent on evidence the
//! relay finds itself. Two processes run Alice's keys on a four-validator sub-chain (as an
//! operator's careless backup would), so her Aura key seals two blocks in her slots. Bob's
//! node, which relays to a development parent, imports both blocks of a slot (the voters fetch
//! every block a vote names, and Alice's two processes vote for their own), proves from the
//! sub-chain's anchored state that the key is Alice's (`Dbsca::KeyOwner`), and reports it; the
//! parent checks both seals and suspends her there and, through its outbox, on the sub-chain.
//!
//! Her two processes also sign conflicting GRANDPA votes, which the voters report through the
//! sub-chain (the `equivocation` test); the relay sends the seals first, as it finds them
//! first, but when the vote's proof is included before them, the parent refuses the seals as
//! `AlreadySuspended`, the last of its checks, after both seals and the key's owner passed. The
//! test accepts either and says which.
//!
//! The suspension, delivered to the sub-chain, takes Alice out of consensus at the start of the
//! next block (`TakenOutOfConsensus`): her keys leave Aura and GRANDPA, and the parent follows
//! that voter set (`VoterTakenOut`) without waiting for an election.

use crate::common;

use common::{wait_for, TestNetwork, TestNode};
use dbm_parent_runtime::{Runtime, RuntimeCall, RuntimeEvent};
use dbm_primitives::{
	dbsca::NodeAttributes,
	membership::{MemberInfo, Role},
	SubchainId,
};
use sp_keyring::Sr25519Keyring;
use std::time::{Duration, Instant};

const SUB: SubchainId = SubchainId(1);
const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn an_author_sealing_two_blocks_for_a_slot_is_suspended_by_the_parent() {
	let _timer = crate::common::timer();
	let parent =
		TestNode::start("seal-parent", &["--dev", "--chain", "parent-dev", "--subchains", "0"]);
	let p = parent.rpc();
	p.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| parent.fail(e));
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	// The built-in `sub-1-local` follows `parent-local`: this one follows the development
	// parent's one voter, so the parent's suspension reaches it.
	let spec = common::sub_chain_spec_following("sub-1-local", 1, "sub-1-local-of-dev");
	let net = TestNetwork::start_with(
		spec.to_str().expect("a UTF-8 path"),
		&["alice", "bob", "charlie", "dave", "alice"],
		|i| match i {
			1 => vec!["--parent-rpc".into(), url.clone()],
			_ => Vec::new(),
		},
	);
	for node in &net.nodes {
		node.rpc().wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	}
	let bob = net.nodes[1].rpc();
	let genesis = bob.genesis_hash().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	common::registry::register(&p, SUB, genesis).await.unwrap_or_else(|e| parent.fail(e));
	// Alice is a member of the sub-chain on the parent too (the parent's record of who belongs
	// where is its own).
	let alice = Sr25519Keyring::Alice.to_account_id();
	let info = MemberInfo {
		role: Role::Generator,
		attested: NodeAttributes { renewable: true, ..Default::default() },
		suspended: false,
	};
	let add = RuntimeCall::BillerRegistry(pallet_biller_registry::Call::add_member {
		subchain: SUB,
		who: alice.clone(),
		info,
	});
	p.submit_parent(Sr25519Keyring::Alice, common::tx::council(add))
		.await
		.unwrap_or_else(|e| parent.fail(e));
	let member = pallet_biller_registry::Members::<Runtime>::hashed_key_for(SUB, &alice);
	wait_for("Alice a member on the parent", MINUTE, || async {
		let info: MemberInfo = p.storage(&member, None).await.ok()??;
		(!info.suspended).then_some(())
	})
	.await;

	// The relay finds two blocks of one of Alice's slots and the parent suspends her.
	let deadline = Instant::now() + 4 * MINUTE;
	while !p.storage::<MemberInfo>(&member, None).await.ok().flatten().is_some_and(|m| m.suspended)
	{
		if Instant::now() > deadline {
			net.nodes[1].fail("Alice was not suspended on the parent in 4 minutes");
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
	let events = p.all_events::<Runtime>().await.unwrap_or_else(|e| parent.fail(e));
	let reports: Vec<_> = events
		.iter()
		.filter_map(|(_, event)| match event {
			RuntimeEvent::BillerRegistry(
				pallet_biller_registry::Event::SealEquivocationReported {
					subchain,
					slot,
					offender,
					..
				},
			) => Some((*subchain, *slot, offender.clone())),
			_ => None,
		})
		.collect();
	let votes = events
		.iter()
		.filter(|(_, event)| {
			matches!(
				event,
				RuntimeEvent::BillerRegistry(
					pallet_biller_registry::Event::EquivocationReported { .. }
				)
			)
		})
		.count();
	assert_eq!(reports.len() + votes, 1, "one report suspends: {reports:?}, {votes} of votes");
	let log = net.nodes[1].log();
	assert!(log.contains("the sub-chain's author"), "the relay found the seals:\n{log}");
	if let Some((subchain, slot, offender)) = reports.first().cloned() {
		assert_eq!((subchain, offender), (SUB, alice.clone()));
		let noted = pallet_biller_registry::SealOffences::<Runtime>::hashed_key_for(&alice);
		assert_eq!(p.storage::<u64>(&noted, None).await.ok().flatten(), Some(slot));
		assert!(log.contains(&format!("sealed two blocks for slot {slot}")), "the relay says so");
		println!("the seals suspended Alice (slot {slot})");
	} else {
		// The vote's proof came first: the seals passed every check but the last.
		let refused = wait_for("the seals refused", MINUTE, || async {
			let log = net.nodes[1].log();
			log.contains("the parent refuses the seal equivocation").then_some(log)
		})
		.await;
		assert!(refused.contains("(AlreadySuspended)"), "the seals' refusal:\n{refused}");
		println!("the votes suspended Alice first; her seals were refused as AlreadySuspended");
	}
	let log = net.nodes[1].log();
	let refusals = log.lines().filter(|l| l.contains("refuses the seal equivocation"));
	for refusal in refusals {
		assert!(
			refusal.contains("(AlreadySuspended)") || refusal.contains("(StaleEquivocation)"),
			"a seal equivocation refused for another reason: {refusal}"
		);
	}

	// The sub-chain takes her out of consensus when the suspension arrives, and the parent
	// follows the voters without her, with no election in between.
	let alice_voter: sp_consensus_grandpa::AuthorityId =
		sp_keyring::Ed25519Keyring::Alice.public().into();
	let voters_key = pallet_biller_registry::Voters::<Runtime>::hashed_key_for(SUB);
	let deadline = Instant::now() + 3 * MINUTE;
	let followed = loop {
		let voters: Option<dbm_primitives::registry::GrandpaVoters> =
			p.storage(&voters_key, None).await.ok().flatten();
		if let Some(voters) = voters.filter(|v| v.voters.iter().all(|(key, _)| *key != alice_voter))
		{
			break voters;
		}
		if Instant::now() > deadline {
			// What the sub-chain did with the suspension, for the failure's message.
			let sub_events = bob.all_events::<dbm_sub_runtime::Runtime>().await.unwrap_or_default();
			let seen: Vec<String> = sub_events
				.iter()
				.filter(|(_, event)| {
					matches!(
						event,
						dbm_sub_runtime::RuntimeEvent::Dbsca(_)
							| dbm_sub_runtime::RuntimeEvent::Subchain(_)
							| dbm_sub_runtime::RuntimeEvent::ParentInbox(_)
					)
				})
				.map(|(number, event)| format!("#{number} {event:?}"))
				.collect();
			let voters: Option<dbm_primitives::registry::GrandpaVoters> =
				p.storage(&voters_key, None).await.ok().flatten();
			net.nodes[1].fail(format!(
				"the parent did not follow a voter set without Alice in 3 minutes; it follows \
				 {voters:?}; the sub-chain's events:\n{}",
				seen.join("\n")
			));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	};
	assert_eq!(followed.voters.len(), 3, "Bob, Charlie and Dave: {followed:?}");
	let events = p.all_events::<Runtime>().await.unwrap_or_else(|e| parent.fail(e));
	let taken_out = events.iter().any(|(_, event)| {
		matches!(
			event,
			RuntimeEvent::BillerRegistry(pallet_biller_registry::Event::VoterTakenOut {
				subchain,
				voter,
				..
			}) if *subchain == SUB && *voter == alice_voter
		)
	});
	assert!(taken_out, "the parent followed the sub-chain's change that took Alice out");
	let sub_events =
		bob.all_events::<dbm_sub_runtime::Runtime>().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	let enacted = sub_events.iter().any(|(_, event)| {
		matches!(
			event,
			dbm_sub_runtime::RuntimeEvent::Dbsca(pallet_dbsca::Event::CommitteeEnacted { .. })
		)
	});
	let out = sub_events.iter().find_map(|(number, event)| match event {
		dbm_sub_runtime::RuntimeEvent::Dbsca(pallet_dbsca::Event::TakenOutOfConsensus {
			who,
			committee,
		}) if *who == alice => Some((*number, committee.clone())),
		_ => None,
	});
	let (number, committee) = out
		.unwrap_or_else(|| net.nodes[1].fail("no TakenOutOfConsensus for Alice on the sub-chain"));
	assert_eq!(committee.len(), 3, "the committee in force without her");
	println!(
		"Alice taken out of consensus in sub-chain block #{number}{}",
		if enacted { "; a new committee was enacted since" } else { "" }
	);

	// The sub-chain goes on finalizing without relying on her.
	let finalized = bob.finalized_number().await.unwrap_or_else(|e| net.nodes[1].fail(e));
	bob.finalize_more(4, 2 * MINUTE).await.unwrap_or_else(|e| net.nodes[1].fail(e));
	assert!(bob.finalized_number().await.unwrap_or(0) >= finalized + 4);
	let _ = std::fs::remove_file(&spec);
}
