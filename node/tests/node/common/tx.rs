//! Signed transactions of either runtime (built by the shared transaction builder, as a wallet
//! does: immortal era, the account's next nonce, no tip), submitted over JSON-RPC; runtime API
//! calls over `state_call`; storage and events.

use super::Rpc;
use codec::{Decode, Encode};
use dbm_client::ChainContext;
use dbm_primitives::AccountId;
use sp_core::H256;
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

impl Rpc {
	/// The chain's genesis hash.
	pub async fn genesis_hash(&self) -> Result<H256, String> {
		Ok(self.client().await?.genesis_hash().await?)
	}

	/// The next nonce of `who`, counting transactions in the pool.
	pub async fn next_nonce(&self, who: &AccountId) -> Result<u32, String> {
		Ok(self.client().await?.next_nonce(who).await?)
	}

	/// Calls the runtime API function `method` (e.g. `DbscaApi_round`) with SCALE-encoded
	/// `args` at the best block and decodes its result.
	pub async fn runtime_call<R: Decode>(
		&self,
		method: &str,
		args: impl Encode,
	) -> Result<R, String> {
		Ok(self.client().await?.runtime_call(method, args, None).await?)
	}
}

/// Defines `Rpc::$name`, which signs a call of runtime `$rt` by a development account with the
/// shared transaction builder ([`dbm_client::extrinsic`]) and submits it.
macro_rules! submit_fn {
	($name:ident, $rt:ident, $module:ident) => {
		impl Rpc {
			/// Signs `call` by `signer` and submits it; returns the transaction hash.
			#[allow(dead_code)]
			pub async fn $name(
				&self,
				signer: Sr25519Keyring,
				call: $rt::RuntimeCall,
			) -> Result<String, String> {
				let client = self.client().await?;
				let context = ChainContext {
					genesis: client.genesis_hash().await?,
					spec_version: $rt::VERSION.spec_version,
					transaction_version: $rt::VERSION.transaction_version,
				};
				let nonce = client.next_nonce(&signer.to_account_id()).await?;
				let xt =
					dbm_client::extrinsic::$module::signed(call, &signer.pair(), nonce, context);
				let hash = client.submit(&xt).await?;
				Ok(format!("{hash:?}"))
			}
		}
	};
}

submit_fn!(submit, dbm_sub_runtime, sub);
submit_fn!(submit_parent, dbm_parent_runtime, parent);

impl Rpc {
	/// The value under the storage `key` at block `at` (the best block if `None`), decoded.
	pub async fn storage<V: Decode>(
		&self,
		key: &[u8],
		at: Option<H256>,
	) -> Result<Option<V>, String> {
		Ok(self.client().await?.storage(key, at).await?)
	}

	/// The calls of the transactions in the node's pool, decoded with the runtime's
	/// `UncheckedExtrinsic` type `X` (nothing if the node does not answer).
	pub async fn pooled<X: Decode>(&self) -> Vec<X> {
		let pending = async { Ok::<_, String>(self.client().await?.pending_extrinsics().await?) };
		let Ok(pending) = pending.await else {
			return Vec::new();
		};
		pending.iter().filter_map(|xt| X::decode(&mut &xt[..]).ok()).collect()
	}

	/// Every event of blocks 1 to the best block of a chain of runtime `R`, with its block
	/// number.
	pub async fn all_events<R: frame_system::Config>(
		&self,
	) -> Result<Vec<(u64, <R as frame_system::Config>::RuntimeEvent)>, String> {
		// `System::Events` (private to frame-system, so by its key).
		let key =
			[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
		let client = self.client().await?;
		let best = client.best_number().await?;
		let mut all = Vec::new();
		for number in 1..=best {
			let hash =
				client.block_hash(number).await?.ok_or_else(|| format!("no block #{number}"))?;
			let events: Vec<
				frame_system::EventRecord<<R as frame_system::Config>::RuntimeEvent, H256>,
			> = client.storage(&key, Some(hash)).await?.unwrap_or_default();
			all.extend(events.into_iter().map(|record| (u64::from(number), record.event)));
		}
		Ok(all)
	}
}

/// `call` decided by the parent's council: a motion of one member with a threshold of one. On
/// the development parent the council is its one authority (Alice), so her motion is
/// dispatched at once as one member of one, more than two thirds of the council (on a larger
/// council it would be refused: a motion there needs the other members' votes). The call's own
/// outcome is the council's `Executed` event.
#[allow(dead_code)]
pub fn council(call: dbm_parent_runtime::RuntimeCall) -> dbm_parent_runtime::RuntimeCall {
	let length_bound = call.encoded_size() as u32;
	dbm_parent_runtime::RuntimeCall::Council(pallet_collective::Call::propose {
		threshold: 1,
		proposal: Box::new(call),
		length_bound,
	})
}

/// `owner`'s proof of possession of the parent keys of development keyrings (`aura`'s sr25519
/// key for Aura, `grandpa`'s ed25519 key for GRANDPA): each key's signature of the statement of
/// ownership, as `author_rotateKeysWithOwner` returns it and `set_parent_keys` checks it.
#[allow(dead_code)]
pub fn parent_keys_proof(
	owner: &AccountId,
	aura: Sr25519Keyring,
	grandpa: sp_keyring::Ed25519Keyring,
) -> Vec<u8> {
	let statement = sp_core::proof_of_possession::statement_of_ownership(owner.as_ref());
	(aura.sign(&statement), grandpa.sign(&statement)).encode()
}

/// A council motion's votes, as `pallet_collective` stores them.
#[derive(Decode)]
#[allow(dead_code)]
pub struct Votes {
	_index: u32,
	_threshold: u32,
	/// Who voted aye.
	pub ayes: Vec<AccountId>,
	_nays: Vec<AccountId>,
	_end: dbm_primitives::BlockNumber,
}

/// The votes on the council motion of `call`, if it is open.
#[allow(dead_code)]
pub async fn votes(rpc: &Rpc, call: &dbm_parent_runtime::RuntimeCall) -> Option<Votes> {
	let key = pallet_collective::Voting::<
		dbm_parent_runtime::Runtime,
		dbm_parent_runtime::configs::CouncilInstance,
	>::hashed_key_for(
		<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash_of(call)
	);
	rpc.storage(&key, None).await.ok()?
}

/// Has the parent's council decide `call`, the `index`-th motion: Alice proposes it with a
/// threshold of `ayes`, she and the next members vote aye (`ayes` in all), and Dave closes it,
/// which dispatches the call as `ayes` of the four members.
#[allow(dead_code)]
pub async fn by_council(rpc: &Rpc, index: u32, ayes: usize, call: dbm_parent_runtime::RuntimeCall) {
	use pallet_collective::Call as C;
	use Sr25519Keyring::{Alice, Bob, Charlie, Dave};
	let fail = |e: String| -> ! { panic!("council motion {index}: {e}") };
	let length_bound = call.encoded_size() as u32;
	let proposal_weight_bound = dbm_parent_runtime::configs::MaxCouncilProposalWeight::get();
	let proposal_hash =
		<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash_of(&call);
	let propose =
		C::propose { threshold: ayes as u32, proposal: Box::new(call.clone()), length_bound };
	rpc.submit_parent(Alice, dbm_parent_runtime::RuntimeCall::Council(propose))
		.await
		.unwrap_or_else(|e| fail(e));
	super::wait_for("the motion open", Duration::from_secs(60), || async {
		votes(rpc, &call).await.map(|_| ())
	})
	.await;
	for voter in [Alice, Bob, Charlie].into_iter().take(ayes) {
		let vote = C::vote { proposal: proposal_hash, index, approve: true };
		rpc.submit_parent(voter, dbm_parent_runtime::RuntimeCall::Council(vote))
			.await
			.unwrap_or_else(|e| fail(e));
	}
	super::wait_for("the ayes counted", Duration::from_secs(60), || async {
		(votes(rpc, &call).await?.ayes.len() == ayes).then_some(())
	})
	.await;
	let close = C::close { proposal_hash, index, proposal_weight_bound, length_bound };
	rpc.submit_parent(Dave, dbm_parent_runtime::RuntimeCall::Council(close))
		.await
		.unwrap_or_else(|e| fail(e));
	super::wait_for("the motion closed", Duration::from_secs(60), || async {
		votes(rpc, &call).await.is_none().then_some(())
	})
	.await;
}
