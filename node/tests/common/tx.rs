//! Signed transactions of either runtime (built by the node's own transaction builder, as a
//! wallet does: immortal era, the account's next nonce, no tip), submitted over JSON-RPC; and
//! runtime API calls over `state_call`.

use super::{extrinsic::ChainContext, Rpc};
use codec::{Decode, Encode};
use dbm_primitives::AccountId;
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, H256};
use sp_keyring::Sr25519Keyring;

fn hex_bytes(value: &Value) -> Result<Vec<u8>, String> {
	let text = value.as_str().ok_or_else(|| format!("expected a hex string, got {value}"))?;
	hex::decode(text.trim_start_matches("0x")).map_err(|e| format!("bad hex `{text}`: {e}"))
}

impl Rpc {
	/// The chain's genesis hash.
	pub async fn genesis_hash(&self) -> Result<H256, String> {
		let hash = self.call("chain_getBlockHash", vec![json!(0)]).await?;
		Ok(H256::from_slice(&hex_bytes(&hash)?))
	}

	/// The next nonce of `who`, counting transactions in the pool.
	pub async fn next_nonce(&self, who: &AccountId) -> Result<u32, String> {
		let nonce = self.call("system_accountNextIndex", vec![json!(who.to_ss58check())]).await?;
		nonce.as_u64().map(|n| n as u32).ok_or_else(|| format!("bad nonce {nonce}"))
	}

	/// Calls the runtime API function `method` (e.g. `DbscaApi_round`) with SCALE-encoded
	/// `args` at the best block and decodes its result.
	pub async fn runtime_call<R: Decode>(
		&self,
		method: &str,
		args: impl Encode,
	) -> Result<R, String> {
		let result = self
			.call(
				"state_call",
				vec![json!(method), json!(format!("0x{}", hex::encode(args.encode())))],
			)
			.await?;
		R::decode(&mut &hex_bytes(&result)?[..])
			.map_err(|e| format!("{method}: cannot decode: {e}"))
	}
}

/// Defines `Rpc::$name`, which signs a call of runtime `$rt` by a development account with the
/// node's own transaction builder ([`super::extrinsic`]) and submits it.
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
				let context = ChainContext {
					genesis: self.genesis_hash().await?,
					spec_version: $rt::VERSION.spec_version,
					transaction_version: $rt::VERSION.transaction_version,
				};
				let nonce = self.next_nonce(&signer.to_account_id()).await?;
				let xt = super::extrinsic::$module::signed(call, &signer.pair(), nonce, context);
				let encoded = format!("0x{}", hex::encode(xt));
				let hash = self.call("author_submitExtrinsic", vec![json!(encoded)]).await?;
				Ok(hash.as_str().unwrap_or_default().to_string())
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
		let mut params = vec![json!(format!("0x{}", hex::encode(key)))];
		if let Some(at) = at {
			params.push(json!(at));
		}
		let value = self.call("state_getStorage", params).await?;
		if value.is_null() {
			return Ok(None);
		}
		V::decode(&mut &hex_bytes(&value)?[..])
			.map(Some)
			.map_err(|e| format!("storage 0x{}: cannot decode: {e}", hex::encode(key)))
	}
}

impl Rpc {
	/// The calls of the transactions in the node's pool, decoded with the runtime's
	/// `UncheckedExtrinsic` type `X` (nothing if the node does not answer).
	pub async fn pooled<X: Decode>(&self) -> Vec<X> {
		let Ok(pending) = self.call("author_pendingExtrinsics", vec![]).await else {
			return Vec::new();
		};
		pending
			.as_array()
			.into_iter()
			.flatten()
			.filter_map(|xt| X::decode(&mut &hex_bytes(xt).ok()?[..]).ok())
			.collect()
	}

	/// Every event of blocks 1 to the best block of a chain of runtime `R`, with its block
	/// number.
	pub async fn all_events<R: frame_system::Config>(
		&self,
	) -> Result<Vec<(u64, <R as frame_system::Config>::RuntimeEvent)>, String> {
		// `System::Events` (private to frame-system, so by its key).
		let key =
			[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
		let best = self.best_number().await?;
		let mut all = Vec::new();
		for number in 1..=best {
			let hash: H256 = self
				.block_hash(number)
				.await?
				.parse()
				.map_err(|e| format!("block #{number}'s hash: {e:?}"))?;
			let events: Vec<
				frame_system::EventRecord<<R as frame_system::Config>::RuntimeEvent, H256>,
			> = self.storage(&key, Some(hash)).await?.unwrap_or_default();
			all.extend(events.into_iter().map(|record| (number, record.event)));
		}
		Ok(all)
	}
}
