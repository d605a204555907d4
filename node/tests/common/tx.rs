//! Signed transactions of either runtime (built by the shared transaction builder, as a wallet
//! does: immortal era, the account's next nonce, no tip), submitted over JSON-RPC; runtime API
//! calls over `state_call`; storage and events.

use super::Rpc;
use codec::{Decode, Encode};
use dbm_client::ChainContext;
use dbm_primitives::AccountId;
use sp_core::H256;
use sp_keyring::Sr25519Keyring;

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
