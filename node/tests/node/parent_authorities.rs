//! The parent's authority set follows the registry, on four real parent validators: the
//! council of the four registers a sub-chain and its members by motions three of them vote for
//! (two are not enough), a biller change is confirmed from a proof signed by its members, the
//! biller registers its keys with their proof of possession, its genesis and three headers its
//! voter finalized are anchored (the third handing finality to the biller's key), then one the
//! biller's own vote finalized, which shows it live, and at the next change its keys are among the
//! parent's Aura authorities and GRANDPA voters, and the biller in its council, while the four
//! operators keep finalizing without it.

use crate::common;

use codec::Encode;
use common::{tx::by_council, wait_for, Rpc, TestNetwork};
use dbm_parent_runtime::{configs::CouncilInstance, opaque::SessionKeys, Runtime, RuntimeCall};
use dbm_primitives::{
	dbsca::{ElectionStatement, NodeAttributes},
	membership::{MemberInfo, MemberSet, Role},
	registry::AnchorHead,
	trade::TradeRoot,
	AccountId, BlockNumber, Header, SubchainId,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::H256;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	MultiSignature,
};
use std::time::Duration;

const SUB: SubchainId = SubchainId(1);
/// The sub-chain's only GRANDPA voter.
const VOTER: Ed25519Keyring = Ed25519Keyring::Ferdie;

/// The sub-chain's genesis state: its GRANDPA voters. The root and their proof.
fn subchain_state() -> (H256, Vec<Vec<u8>>) {
	let voters: Vec<(GrandpaId, u64)> = vec![(VOTER.public().into(), 1)];
	dbm_primitives::proof::trie(&[(
		dbm_primitives::finality::grandpa_authorities_key(),
		voters.encode(),
	)])
}

/// The sub-chain's genesis header, whose hash is registered.
fn genesis() -> Header {
	Header::new(0, H256::zero(), subchain_state().0, H256::zero(), Digest::default())
}

fn registry(call: pallet_biller_registry::Call<dbm_parent_runtime::Runtime>) -> RuntimeCall {
	RuntimeCall::BillerRegistry(call)
}

fn member() -> MemberInfo {
	MemberInfo {
		role: Role::Generator,
		attested: NodeAttributes { renewable: true, ..Default::default() },
		suspended: false,
	}
}

/// Sub-chain header `number` on `parent`, with an (empty) trade batch's root in its digest.
fn header(number: BlockNumber, parent: H256) -> Header {
	let mut digest = Digest::default();
	digest.push(DigestItem::PreRuntime(*b"aura", u64::from(number).encode()));
	let trades: [pallet_biller_registry::TradeRecordOf<dbm_parent_runtime::Runtime>; 0] = [];
	digest.push(TradeRoot::of(&trades).to_digest_item());
	Header::new(number, H256::repeat_byte(1), subchain_state().0, parent, digest)
}

async fn grandpa_voters(rpc: &Rpc) -> Result<Vec<GrandpaId>, String> {
	let voters: Vec<(GrandpaId, u64)> =
		rpc.runtime_call("GrandpaApi_grandpa_authorities", ()).await?;
	Ok(voters.into_iter().map(|(id, _)| id).collect())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_confirmed_biller_joins_the_parent_authorities_at_the_next_change() {
	let _timer = crate::common::timer();
	let net = TestNetwork::start("parent-local", &["alice", "bob", "charlie", "dave"]);
	let alice = net.nodes[0].rpc();
	let fail = |e: String| -> ! { net.nodes[0].fail(e) };
	alice.wait_until_up(crate::common::STARTUP).await.unwrap_or_else(|e| fail(e));
	alice.wait_for_blocks(2, 1, Duration::from_secs(180)).await.unwrap_or_else(|e| fail(e));
	assert_eq!(grandpa_voters(&alice).await.unwrap_or_else(|e| fail(e)).len(), 4);

	// Eve will be the biller: she runs no parent node.
	let (eve, ferdie): (AccountId, AccountId) =
		(Sr25519Keyring::Eve.to_account_id(), Sr25519Keyring::Ferdie.to_account_id());
	let eve_aura: AuraId = Sr25519Keyring::Eve.public().into();
	let eve_grandpa: GrandpaId = Ed25519Keyring::Eve.public().into();

	// Register the sub-chain and its members (root stands in for the join vote here).
	use pallet_biller_registry::Call as R;
	let register = R::register_subchain {
		subchain: SUB,
		name: b"feeder one".to_vec(),
		location: b"DE-BE".to_vec(),
		genesis_hash: genesis().hash(),
		chain_spec_hash: H256::repeat_byte(9),
		boot_nodes: vec![],
	};
	// Two of four is below two thirds: the motion closes, its call is refused (`BadOrigin`).
	by_council(&alice, 0, 2, registry(register.clone())).await;
	let subchains: Vec<(SubchainId, dbm_primitives::registry::SubchainInfo<BlockNumber>)> =
		alice.runtime_call("RegistryApi_subchains", ()).await.unwrap_or_else(|e| fail(e));
	assert!(subchains.is_empty(), "two of four members registered a sub-chain");
	// Three of four.
	by_council(&alice, 1, 3, registry(register)).await;
	wait_for("the sub-chain registered", Duration::from_secs(60), || async {
		let subchains: Vec<(SubchainId, dbm_primitives::registry::SubchainInfo<BlockNumber>)> =
			alice.runtime_call("RegistryApi_subchains", ()).await.ok()?;
		(!subchains.is_empty()).then_some(())
	})
	.await;
	for (index, who) in [(2, &eve), (3, &ferdie)] {
		let add = R::add_member { subchain: SUB, who: who.clone(), info: member() };
		by_council(&alice, index, 3, registry(add)).await;
	}
	wait_for("two members", Duration::from_secs(60), || async {
		let members: Vec<(AccountId, MemberInfo)> =
			alice.runtime_call("RegistryApi_members", SUB).await.ok()?;
		(members.len() == 2).then_some(())
	})
	.await;

	// Charlie, an outsider to the sub-chain, relays its election proof: round 1 elected Eve,
	// confirmed by both members' signatures.
	let committee = vec![eve.clone()];
	// The round counted both members, as the parent's registry holds them.
	let members = MemberSet::of([&eve, &ferdie]);
	// Eve's GRANDPA key, as the sub-chain's statement names it.
	let voters = vec![eve_grandpa.clone()];
	let payload = ElectionStatement::new(
		genesis().hash(),
		SUB,
		1,
		members,
		committee.clone(),
		voters.clone(),
	)
	.signing_payload();
	let confirmations: Vec<(AccountId, MultiSignature)> =
		[Sr25519Keyring::Eve, Sr25519Keyring::Ferdie]
			.into_iter()
			.map(|k| (k.to_account_id(), MultiSignature::Sr25519(k.sign(&payload))))
			.collect();
	let election =
		R::submit_election { subchain: SUB, round: 1, members, committee, voters, confirmations };
	alice
		.submit_parent(Sr25519Keyring::Charlie, registry(election))
		.await
		.unwrap_or_else(|e| fail(e));
	wait_for("the election confirmed", Duration::from_secs(60), || async {
		let committee: Option<(u32, Vec<AccountId>)> =
			alice.runtime_call("RegistryApi_committee", SUB).await.ok()?;
		(committee == Some((1, vec![eve.clone()]))).then_some(())
	})
	.await;

	// Elected, Eve registers her parent keys (signed by her own account, with their proof of
	// possession).
	let keys = SessionKeys { aura: eve_aura.clone(), grandpa: eve_grandpa.clone() };
	let proof = common::tx::parent_keys_proof(&eve, Sr25519Keyring::Eve, Ed25519Keyring::Eve);
	alice
		.submit_parent(Sr25519Keyring::Eve, registry(R::set_parent_keys { keys, proof }))
		.await
		.unwrap_or_else(|e| fail(e));

	// Dave anchors the sub-chain's genesis and three headers its voter finalized after it,
	// the third handing its finality over to the elected committee, Eve's key; then a fourth
	// that Eve's own vote finalizes, which shows the parent that the biller is live.
	let mut parent = H256::zero();
	for number in 0..=4 {
		let h = match number {
			0 => genesis(),
			3 => {
				let mut h = header(number, parent);
				let next = vec![(eve_grandpa.clone(), 1)];
				h.digest.push(dbm_primitives::finality::scheduled_change_item(next, 0));
				h
			}
			_ => header(number, parent),
		};
		// Set 0 is Ferdie's key alone; set 1, from block 4, Eve's.
		let (set_id, voter) = if number < 4 { (0, VOTER) } else { (1, Ed25519Keyring::Eve) };
		let anchor = match number {
			0 => {
				R::anchor_genesis { subchain: SUB, header: h.encode(), voters: subchain_state().1 }
			}
			_ => R::anchor {
				subchain: SUB,
				blocks: vec![dbm_primitives::registry::AnchoredBlock {
					header: h.encode(),
					trades: vec![],
				}],
				justification: dbm_primitives::finality::testing::justify(
					&h,
					1,
					set_id,
					&[voter.pair()],
				)
				.encode(),
			},
		};
		alice
			.submit_parent(Sr25519Keyring::Dave, registry(anchor))
			.await
			.unwrap_or_else(|e| fail(e));
		let hash = h.hash();
		wait_for("the anchor", Duration::from_secs(60), || async {
			let last: Option<AnchorHead<BlockNumber>> =
				alice.runtime_call("RegistryApi_last_anchor", SUB).await.ok()?;
			(last.map(|l| (l.number, l.hash)) == Some((number, hash))).then_some(())
		})
		.await;
		parent = hash;
	}

	// The next authority change brings Eve in: first in Aura, then (once the change's block
	// is finalized) among the GRANDPA voters, after the four operators.
	let aura: Vec<AuraId> = wait_for("Eve in Aura", Duration::from_secs(60), || async {
		let aura: Vec<AuraId> = alice.runtime_call("AuraApi_authorities", ()).await.ok()?;
		aura.contains(&eve_aura).then_some(aura)
	})
	.await;
	assert_eq!(aura.len(), 5);
	assert_eq!(aura[4], eve_aura, "the biller follows the operators");
	let voters = wait_for("Eve among the GRANDPA voters", Duration::from_secs(120), || async {
		let voters = grandpa_voters(&alice).await.ok()?;
		voters.contains(&eve_grandpa).then_some(voters)
	})
	.await;
	assert_eq!(voters.len(), 5);
	let expected: Vec<GrandpaId> = [
		Ed25519Keyring::Alice,
		Ed25519Keyring::Bob,
		Ed25519Keyring::Charlie,
		Ed25519Keyring::Dave,
		Ed25519Keyring::Eve,
	]
	.into_iter()
	.map(|k| k.public().into())
	.collect();
	assert_eq!(voters, expected);

	// The council changed with the authorities.
	let council: Vec<AccountId> = alice
		.storage(&pallet_collective::Members::<Runtime, CouncilInstance>::hashed_key(), None)
		.await
		.unwrap_or_else(|e| fail(e))
		.unwrap_or_default();
	let mut authorities: Vec<AccountId> =
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
			.map(|k| k.to_account_id())
			.into_iter()
			.chain([eve.clone()])
			.collect();
	authorities.sort();
	assert_eq!(council, authorities, "the council is the authority set");

	// Eve runs no parent node, yet four of five voters keep finalizing.
	let finalized = alice.finalized_number().await.unwrap_or_else(|e| fail(e));
	wait_for("finality past the change", Duration::from_secs(120), || async {
		let now = alice.finalized_number().await.ok()?;
		(now >= finalized + 3).then_some(())
	})
	.await;
}
