//! The consensus engine, not goodwill, keeps authorship to the committee: a sub-chain block
//! sealed by a key outside the DBSCA committee fails import through the node's own import
//! queue, while the same block sealed by the slot's committee member imports.

use clap::Parser;
use dbm_primitives::{time::SLOT_DURATION, Block};
use dbm_service::{cli::Cli, service};
use dbm_sub_runtime::apis::RuntimeApi;
use sc_block_builder::BlockBuilderBuilder;
use sc_cli::SubstrateCli;
use sc_consensus::{ImportQueue, IncomingBlock};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_consensus::BlockOrigin;
use sp_consensus_aura::{
	digests::CompatibleDigestItem,
	sr25519::{AuthorityId, AuthorityPair, AuthoritySignature},
	AuraApi, Slot,
};
use sp_core::Pair;
use sp_inherents::InherentData;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{Block as BlockT, Header as HeaderT},
	Digest, DigestItem,
};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

type Client = service::FullClient<RuntimeApi>;

/// Block 1 on `client`'s genesis for `slot`, with its inherents, sealed by `signer`.
fn block_one(client: &Client, slot: u64, signer: Sr25519Keyring) -> IncomingBlock<Block> {
	let genesis = client.info().genesis_hash;
	let pre =
		<DigestItem as CompatibleDigestItem<AuthoritySignature>>::aura_pre_digest(Slot::from(slot));
	let mut builder = BlockBuilderBuilder::new(client)
		.on_parent_block(genesis)
		.with_parent_block_number(0)
		.with_inherent_digests(Digest { logs: vec![pre] })
		.build()
		.expect("a block builder on genesis");
	let mut inherents = InherentData::new();
	inherents
		.put_data(sp_timestamp::INHERENT_IDENTIFIER, &(slot * SLOT_DURATION))
		.expect("the timestamp encodes");
	for xt in builder.create_inherents(inherents).expect("the runtime makes its inherents") {
		builder.push(xt).expect("inherents apply");
	}
	let (mut header, body) = builder.build().expect("the block builds").block.deconstruct();
	let pair = AuthorityPair::from(signer.pair());
	let seal = pair.sign(header.hash().as_ref());
	header
		.digest_mut()
		.push(<DigestItem as CompatibleDigestItem<AuthoritySignature>>::aura_seal(seal));
	IncomingBlock {
		hash: header.hash(),
		header: Some(header),
		body: Some(body),
		indexed_body: None,
		justifications: None,
		origin: None,
		allow_missing_state: false,
		skip_execution: false,
		import_existing: false,
		state: None,
	}
}

async fn imported(client: &Client, hash: <Block as BlockT>::Hash, within: Duration) -> bool {
	let start = Instant::now();
	while start.elapsed() < within {
		if client.header(hash).ok().flatten().is_some() {
			return true;
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	false
}

#[tokio::test(flavor = "multi_thread")]
async fn a_block_sealed_outside_the_committee_is_refused_on_import() {
	let _timer = crate::common::timer();
	let base = std::env::temp_dir().join(format!("dbm-consensus-test-{}", std::process::id()));
	let cli = Cli::try_parse_from([
		"dbm-node",
		"--chain",
		"sub-1-local",
		"--base-path",
		base.to_str().expect("a UTF-8 temp dir"),
		"--no-telemetry",
		"--no-prometheus",
	])
	.expect("valid arguments");
	let config = cli
		.create_configuration(&cli.run, tokio::runtime::Handle::current())
		.expect("a configuration");
	let parts = service::new_partial::<RuntimeApi>(&config).expect("the node's components");
	let client = parts.client.clone();
	let genesis = client.info().genesis_hash;

	// The committee of `sub-1-local` is Alice, Bob, Charlie, Dave; Eve is a member and a
	// candidate, but holds no place in it.
	let authorities: Vec<AuthorityId> =
		client.runtime_api().authorities(genesis).expect("AuraApi answers");
	let committee =
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];
	assert!(!authorities.contains(&Sr25519Keyring::Eve.public().into()));
	let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis() as u64;
	let slot = now / SLOT_DURATION;
	let expected = &authorities[(slot % authorities.len() as u64) as usize];
	let owner = committee
		.into_iter()
		.find(|k| AuthorityId::from(k.public()) == *expected)
		.expect("the slot's author is a committee member");

	let mut queue = parts.import_queue.service();
	let forged = block_one(&client, slot, Sr25519Keyring::Eve);
	let wrong_member = committee.into_iter().find(|k| *k != owner).expect("four members");
	let out_of_turn = block_one(&client, slot, wrong_member);
	let (forged_hash, out_of_turn_hash) = (forged.hash, out_of_turn.hash);
	queue.import_blocks(BlockOrigin::NetworkBroadcast, vec![forged]);
	queue.import_blocks(BlockOrigin::NetworkBroadcast, vec![out_of_turn]);
	assert!(!imported(&client, forged_hash, Duration::from_secs(3)).await, "Eve's block imported");
	assert!(
		!imported(&client, out_of_turn_hash, Duration::from_secs(1)).await,
		"a committee member's block in another member's slot imported"
	);

	// The same block sealed by the slot's owner imports: the refusals above were the seal's.
	let honest = block_one(&client, slot, owner);
	let honest_hash = honest.hash;
	queue.import_blocks(BlockOrigin::NetworkBroadcast, vec![honest]);
	assert!(
		imported(&client, honest_hash, Duration::from_secs(20)).await,
		"the owner's block did not import"
	);

	drop(queue);
	drop(parts);
	let _ = std::fs::remove_dir_all(&base);
}
