//! The parent as a second line of defence, on real nodes: a sub-chain of four validators, each
//! its own process, whose first node relays its finalized blocks to a development parent; then
//! the sub-chain's own GRANDPA keys turned against it.
//!
//! One, and then two, of the four voters sign a forged block on top of the parent's last
//! anchor (a state root the sub-chain never reached, a trade it never made): the parent refuses
//! it (`NotEnoughVotes`), so no message can be proven against that state and no trade from it,
//! and the honest relay goes on anchoring the real blocks. Three of four are more than two
//! thirds, which GRANDPA assumes honest: with the relay's node stopped, they get a forged block
//! anchored, and the relay, started again, refuses to anchor over it and says why.

mod common;

use codec::Encode;
use common::{wait_for, Rpc, TestNetwork, TestNode};
use dbm_parent_runtime::{Runtime, RuntimeCall};
use dbm_primitives::{
	finality::testing,
	registry::{AnchorHead, AnchoredBlock, GrandpaVoters},
	trade::{TradeOutcome, TradeRecord, TradeRoot},
	AccountId, Balance, BlockNumber, Header, SubchainId,
};
use sp_core::H256;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
};
use std::time::Duration;

const SUB: SubchainId = SubchainId(1);
const MINUTE: Duration = Duration::from_secs(60);

async fn last_anchor(parent: &Rpc) -> Option<AnchorHead<BlockNumber>> {
	parent.runtime_call("RegistryApi_last_anchor", SUB).await.ok().flatten()
}

/// The hash the parent anchored at sub-chain height `number`, if in its recent window.
async fn anchored_hash(parent: &Rpc, number: BlockNumber) -> Option<H256> {
	let location: Option<pallet_biller_registry::AnchorLocation<BlockNumber>> =
		parent.runtime_call("RegistryApi_anchor_location", (SUB, number)).await.ok().flatten();
	match location {
		Some(pallet_biller_registry::AnchorLocation::Recent(anchor)) => Some(anchor.hash),
		_ => None,
	}
}

/// The voter set the parent follows for the sub-chain.
async fn voters(parent: &Rpc) -> GrandpaVoters {
	let key = pallet_biller_registry::Voters::<Runtime>::hashed_key_for(SUB);
	parent.storage(&key, None).await.ok().flatten().expect("the genesis voters are anchored")
}

/// A block `number` on `parent_hash` that the sub-chain never made: another state root, and a
/// trade of a million Wh between Eve and Ferdie.
fn forged(
	number: BlockNumber,
	parent_hash: H256,
) -> (Header, Vec<TradeRecord<AccountId, Balance>>) {
	let trades = vec![TradeRecord {
		trade: 999_999,
		outcome: TradeOutcome::Matched,
		buyer: Sr25519Keyring::Eve.to_account_id(),
		seller: Sr25519Keyring::Ferdie.to_account_id(),
		energy_wh: 1_000_000,
		price: 1,
		value: 1_000,
	}];
	let mut digest = Digest::default();
	digest.push(DigestItem::PreRuntime(*b"aura", u64::MAX.encode()));
	digest.push(TradeRoot::of(&trades).to_digest_item());
	let header =
		Header::new(number, H256::repeat_byte(0x11), H256::repeat_byte(0x66), parent_hash, digest);
	(header, trades)
}

/// The anchor of `header` with `trades`, justified by `signers` in set `set_id`.
fn anchor(
	header: &Header,
	trades: Vec<TradeRecord<AccountId, Balance>>,
	set_id: u64,
	signers: &[Ed25519Keyring],
) -> RuntimeCall {
	let pairs: Vec<_> = signers.iter().map(|k| k.pair()).collect();
	RuntimeCall::BillerRegistry(pallet_biller_registry::Call::anchor {
		subchain: SUB,
		blocks: vec![AnchoredBlock { header: header.encode(), trades }],
		justification: testing::justify(header, 1, set_id, &pairs).encode(),
	})
}

/// What the parent's runtime says of `call` signed by `signer`, at its best block: `None` if it
/// would apply it.
async fn verdict(parent: &Rpc, signer: Sr25519Keyring, call: RuntimeCall) -> Option<String> {
	let client = parent.client().await.expect("the parent answers");
	let context = client.context().await.expect("the parent's runtime version");
	let nonce = client.next_nonce(&signer.to_account_id()).await.expect("a nonce");
	let xt = dbm_client::extrinsic::parent::signed(call, &signer.pair(), nonce, context);
	let outcome = client.dry_run(&xt, None).await.expect("the parent dry-runs");
	dbm_relay::parent::refusal_of(outcome)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_minority_of_a_sub_chains_voters_cannot_make_the_parent_record_a_forged_block() {
	// A development parent that registers no sub-chain: the test registers the four-validator
	// sub-chain 1 with its real genesis hash.
	let parent =
		TestNode::start("attack-parent", &["--dev", "--chain", "parent-dev", "--subchains", "0"]);
	let p = parent.rpc();
	p.wait_until_up(MINUTE).await.unwrap_or_else(|e| parent.fail(e));
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	let mut net =
		TestNetwork::start_with("sub-1-local", &["alice", "bob", "charlie", "dave"], |i| {
			if i == 0 {
				vec!["--parent-rpc".into(), url.clone()]
			} else {
				Vec::new()
			}
		});
	for node in &net.nodes {
		node.rpc().wait_until_up(MINUTE).await.unwrap_or_else(|e| node.fail(e));
	}
	let s = net.nodes[0].rpc();
	let genesis = s.genesis_hash().await.unwrap_or_else(|e| net.nodes[0].fail(e));
	let register = pallet_biller_registry::Call::register_subchain {
		subchain: SUB,
		name: b"feeder one".to_vec(),
		location: b"north".to_vec(),
		genesis_hash: genesis,
		chain_spec_hash: H256::zero(),
		boot_nodes: vec![],
	};
	let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::BillerRegistry(register)),
	});
	p.submit_parent(Sr25519Keyring::Alice, sudo).await.unwrap_or_else(|e| parent.fail(e));

	// The honest relay anchors the genesis, with the four genesis voters, and finalized blocks.
	let head = wait_for("five anchors", 3 * MINUTE, || async {
		last_anchor(&p).await.filter(|head| head.number >= 5)
	})
	.await;
	let set = voters(&p).await;
	assert_eq!(set.voters.len(), 4, "the sub-chain's four voters");
	let keys = [Ed25519Keyring::Alice, Ed25519Keyring::Bob, Ed25519Keyring::Charlie];
	for key in keys {
		assert!(set.voters.iter().any(|(id, _)| *id == key.public().into()), "{key:?} votes");
	}

	// One voter, then two, sign a forged block on the last anchor: refused, on a dry run and
	// when submitted.
	let head = last_anchor(&p).await.unwrap_or(head);
	let (fake, trades) = forged(head.number + 1, head.hash);
	// (Each from its own account: a dry run sees no transaction of its sender in the pool.)
	for (signers, submitter) in
		[(&keys[..1], Sr25519Keyring::Bob), (&keys[..2], Sr25519Keyring::Dave)]
	{
		let call = anchor(&fake, trades.clone(), set.set_id, signers);
		assert_eq!(
			verdict(&p, submitter, call.clone()).await.as_deref(),
			Some("BillerRegistry(NotEnoughVotes)"),
			"{} of four voters",
			signers.len()
		);
		p.submit_parent(submitter, call).await.unwrap_or_else(|e| parent.fail(e));
	}
	// No message can be proven against the forged state: it is not anchored.
	let (_, proof) = dbm_primitives::proof::trie(&[(b"forged".to_vec(), vec![1])]);
	let receive = RuntimeCall::SubchainInbox(pallet_subchain_inbox::Call::receive {
		subchain: SUB,
		number: head.number + 1,
		nonce: 0,
		proof,
	});
	let refused = verdict(&p, Sr25519Keyring::Eve, receive).await;
	assert!(
		refused.as_deref().is_some_and(|r| r.starts_with("SubchainInbox(")),
		"a message proven against the forged state: {refused:?}"
	);

	// The honest relay anchors the real blocks over the forged one's height.
	let real = wait_for("the real block anchored", 2 * MINUTE, || async {
		last_anchor(&p).await.filter(|h| h.number >= head.number + 3)
	})
	.await;
	let ours =
		s.block_hash(u64::from(head.number + 1)).await.unwrap_or_else(|e| net.nodes[0].fail(e));
	let theirs = anchored_hash(&p, head.number + 1).await;
	assert_eq!(theirs.map(|h| format!("{h:?}")), Some(ours), "the real block, not the forged");
	assert_ne!(theirs, Some(fake.hash()));
	assert!(!net.nodes[0].log().contains("the parent refuses"), "an honest anchor was refused");

	// Three of four are more than two thirds. With the relay's node stopped, they anchor a forged
	// block the sub-chain never finalized.
	net.nodes[0].kill9();
	let settled = wait_for("the anchors to settle", MINUTE, || async {
		let before = last_anchor(&p).await?;
		tokio::time::sleep(Duration::from_secs(2)).await;
		(last_anchor(&p).await? == before).then_some(before)
	})
	.await;
	assert!(settled.number >= real.number);
	let set = voters(&p).await;
	let (fake, trades) = forged(settled.number + 1, settled.hash);
	let call = anchor(&fake, trades, set.set_id, &keys);
	assert_eq!(verdict(&p, Sr25519Keyring::Charlie, call.clone()).await, None);
	p.submit_parent(Sr25519Keyring::Charlie, call).await.unwrap_or_else(|e| parent.fail(e));
	wait_for("the forged block anchored", MINUTE, || async {
		last_anchor(&p).await.filter(|h| h.hash == fake.hash())
	})
	.await;

	// The relay, started again, finds the parent's record is not its sub-chain's block: it
	// stops anchoring and says so.
	net.nodes[0].restart();
	wait_for("the relay's alarm", 2 * MINUTE, || async {
		net.nodes[0].log().contains("(a safety failure); not anchoring over it").then_some(())
	})
	.await;
	assert_eq!(last_anchor(&p).await.map(|h| h.hash), Some(fake.hash()));
}
