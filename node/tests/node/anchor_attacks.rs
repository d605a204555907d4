//! The parent as a second line of defence, on real nodes: a sub-chain of four validators, each
//! its own process, whose first node relays its finalized blocks to a development parent; then
//! the sub-chain's own GRANDPA keys turned against it.
//!
//! One, and then two, of the four voters sign a forged block on top of the parent's last
//! anchor (a state root the sub-chain never reached, a trade it never made): the parent refuses
//! it (`NotEnoughVotes`), so no message can be proven against that state and no trade from it,
//! and the honest relay goes on anchoring the real blocks. Three of four are more than two
//! thirds, which GRANDPA assumes honest: with the relay's node stopped, they get a forged block
//! anchored, and the relay, started again, refuses to anchor over it and says why, in its log
//! and in its `dbm_relay_alarm` metric; and when they carry the parent's record far ahead of
//! anything the sub-chain made, the relay raises the alarm too once its node has not caught up
//! for 30 s.

use crate::common;

use codec::Encode;
use common::{free_port, metrics, wait_for, Rpc, TestNetwork, TestNode};
use dbm_parent_runtime::RuntimeCall;
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
	common::registry::last_anchor(parent, SUB).await
}

async fn anchored_hash(parent: &Rpc, number: BlockNumber) -> Option<H256> {
	common::registry::anchored_hash(parent, SUB, number).await
}

async fn voters(parent: &Rpc) -> GrandpaVoters {
	common::registry::voters(parent, SUB).await.expect("the genesis voters are anchored")
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

/// `n` empty blocks the sub-chain never made, on `after` (number, hash).
fn forged_segment(after: (BlockNumber, H256), n: u32) -> Vec<Header> {
	let mut parent_hash = after.1;
	(1..=n)
		.map(|i| {
			let mut digest = Digest::default();
			digest.push(DigestItem::PreRuntime(*b"aura", u64::MAX.encode()));
			digest.push(TradeRoot::of::<TradeRecord<AccountId, Balance>>(&[]).to_digest_item());
			let header = Header::new(
				after.0 + i,
				H256::repeat_byte(0x11),
				H256::repeat_byte(0x67),
				parent_hash,
				digest,
			);
			parent_hash = header.hash();
			header
		})
		.collect()
}

/// The anchor of the segment `headers` (no trades), its last justified by `signers` in set
/// `set_id`.
fn anchor_segment(headers: &[Header], set_id: u64, signers: &[Ed25519Keyring]) -> RuntimeCall {
	let pairs: Vec<_> = signers.iter().map(|k| k.pair()).collect();
	let last = headers.last().expect("a segment");
	RuntimeCall::BillerRegistry(pallet_biller_registry::Call::anchor {
		subchain: SUB,
		blocks: headers
			.iter()
			.map(|h| AnchoredBlock { header: h.encode(), trades: Vec::new() })
			.collect(),
		justification: testing::justify(last, 1, set_id, &pairs).encode(),
	})
}

/// The value of the relay's `dbm_relay_<name>` metric of sub-chain 1 on the node serving
/// Prometheus on `port` (a line such as `dbm_relay_alarm{chain="sub-1-local",subchain="1"} 0`:
/// the node labels every metric with its chain).
fn relay_metric(port: u16, name: &str) -> Option<u64> {
	let prefix = format!("dbm_relay_{name}{{");
	metrics(port).lines().find_map(|line| {
		let (labels, value) = line.strip_prefix(&prefix)?.split_once("} ")?;
		labels.split(',').any(|l| l == "subchain=\"1\"").then(|| value.trim().parse().ok())?
	})
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
	let _timer = crate::common::timer();
	// A development parent that registers no sub-chain: the test registers the four-validator
	// sub-chain 1 with its real genesis hash.
	let parent =
		TestNode::start("attack-parent", &["--dev", "--chain", "parent-dev", "--subchains", "0"]);
	let p = parent.rpc();
	p.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| parent.fail(e));
	let url = format!("ws://127.0.0.1:{}", parent.rpc_port);
	// The relay's node serves Prometheus, where the relay's metrics are.
	let prometheus = free_port();
	let mut net =
		TestNetwork::start_with("sub-1-local", &["alice", "bob", "charlie", "dave"], |i| {
			if i == 0 {
				vec![
					"--parent-rpc".into(),
					url.clone(),
					"--prometheus-port".into(),
					prometheus.to_string(),
				]
			} else {
				Vec::new()
			}
		});
	for node in &net.nodes {
		node.rpc().wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| node.fail(e));
	}
	let s = net.nodes[0].rpc();
	let genesis = s.genesis_hash().await.unwrap_or_else(|e| net.nodes[0].fail(e));
	common::registry::register(&p, SUB, genesis).await.unwrap_or_else(|e| parent.fail(e));

	// The honest relay anchors the genesis, with the four genesis voters, and finalized blocks.
	let head = wait_for("five anchors", 3 * MINUTE, || async {
		last_anchor(&p).await.filter(|head| head.number >= 5)
	})
	.await;
	// The relay's metrics say the same: no alarm, the parent's record, blocks anchored.
	let anchored = wait_for("the relay's metrics", MINUTE, || async {
		let alarm = relay_metric(prometheus, "alarm")?;
		let record = relay_metric(prometheus, "parent_anchor")?;
		(alarm == 0 && record >= 5).then(|| relay_metric(prometheus, "anchored_blocks_total"))?
	})
	.await;
	assert!(anchored >= 5, "the genesis and the first blocks: {anchored}");
	// The relayer's balance (the development endowment) pays for far more anchors than the
	// relay warns below: the balance and the fee were read from the parent.
	let funds = relay_metric(prometheus, "relayer_funds_anchors").expect("the funds metric");
	assert!(funds > 1_000 && funds < u64::MAX, "anchors the relayer can pay for: {funds}");
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
		p.finalize_more(4, MINUTE).await.unwrap_or_else(|e| parent.fail(e));
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
	// stops anchoring and says so, in its log and its metrics (2: a conflicting header).
	net.nodes[0].restart();
	wait_for("the relay's alarm", 2 * MINUTE, || async {
		net.nodes[0].log().contains("(a safety failure); not anchoring over it").then_some(())
	})
	.await;
	wait_for("dbm_relay_alarm 2", MINUTE, || async {
		(relay_metric(prometheus, "alarm")? == 2).then_some(())
	})
	.await;
	assert_eq!(last_anchor(&p).await.map(|h| h.hash), Some(fake.hash()));

	// The three carry the parent's record far ahead: two full segments of blocks nobody made
	// on the forged one, while the other validators are stopped, so the relay's node (alone
	// and never finalizing) stays far below them. It has no such header and never reaches its
	// height: after 30 s the relay raises the alarm (1: a header this node does not have).
	for node in &mut net.nodes[1..] {
		node.kill9();
	}
	// Far ahead: at least 100 blocks above the relay's node, in segments of 64.
	let best = net.nodes[0].rpc().best_number().await.unwrap_or_else(|e| net.nodes[0].fail(e));
	let mut tip = (fake.number, fake.hash());
	while u64::from(tip.0) < best + 100 {
		let segment = forged_segment(tip, 64);
		let last = segment.last().expect("64 headers");
		tip = (last.number, last.hash());
		let call = anchor_segment(&segment, set.set_id, &keys);
		assert_eq!(verdict(&p, Sr25519Keyring::Dave, call.clone()).await, None, "three of four");
		p.submit_parent(Sr25519Keyring::Dave, call).await.unwrap_or_else(|e| parent.fail(e));
		wait_for("the forged segment anchored", MINUTE, || async {
			last_anchor(&p).await.filter(|h| h.hash == tip.1)
		})
		.await;
	}
	let alarm = format!("ALARM: the parent's record of this sub-chain is #{} ({:?})", tip.0, tip.1);
	wait_for("the relay's alarm of a record ahead", 2 * MINUTE, || async {
		net.nodes[0].log().contains(&alarm).then_some(())
	})
	.await;
	assert!(net.nodes[0].log().contains("above this node's newest block"));
	assert_eq!(relay_metric(prometheus, "alarm"), Some(1));
	assert_eq!(relay_metric(prometheus, "parent_anchor"), Some(u64::from(tip.0)));
	let best = net.nodes[0].rpc().best_number().await.unwrap_or_else(|e| net.nodes[0].fail(e));
	assert!(u64::from(tip.0) > best, "the record (#{}) is above the node's newest #{best}", tip.0);
}
