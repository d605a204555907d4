//! Signed transactions of either runtime, built and signed as a wallet does (immortal era, the
//! account's next nonce, no tip), submitted over JSON-RPC; and runtime API calls over
//! `state_call`.

use super::Rpc;
use codec::{Decode, Encode};
use dbm_primitives::AccountId;
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Era, SignedPayload},
	MultiAddress, MultiSignature,
};

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

/// Defines `Rpc::$name`, which signs a call of runtime `$rt` by a development account and
/// submits it (both runtimes share the transaction format but not the types).
macro_rules! submit_fn {
	($name:ident, $rt:ident) => {
		impl Rpc {
			/// Signs `call` by `signer` and submits it; returns the transaction hash.
			#[allow(dead_code)]
			pub async fn $name(
				&self,
				signer: Sr25519Keyring,
				call: $rt::RuntimeCall,
			) -> Result<String, String> {
				use $rt::{Runtime, RuntimeCall, TxExtension, UncheckedExtrinsic, VERSION};
				let account = signer.to_account_id();
				let genesis = self.genesis_hash().await?;
				let nonce = self.next_nonce(&account).await?;
				let extension: TxExtension = (
					frame_system::CheckNonZeroSender::<Runtime>::new(),
					frame_system::CheckSpecVersion::<Runtime>::new(),
					frame_system::CheckTxVersion::<Runtime>::new(),
					frame_system::CheckGenesis::<Runtime>::new(),
					frame_system::CheckEra::<Runtime>::from(Era::Immortal),
					frame_system::CheckNonce::<Runtime>::from(nonce),
					frame_system::CheckWeight::<Runtime>::new(),
					pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
					frame_system::WeightReclaim::<Runtime>::new(),
				);
				let implicit = (
					(),
					VERSION.spec_version,
					VERSION.transaction_version,
					genesis,
					genesis,
					(),
					(),
					(),
					(),
				);
				let payload = SignedPayload::<RuntimeCall, TxExtension>::from_raw(
					call.clone(),
					extension.clone(),
					implicit,
				);
				let signature =
					MultiSignature::Sr25519(payload.using_encoded(|bytes| signer.sign(bytes)));
				let xt = UncheckedExtrinsic::new_signed(
					call,
					MultiAddress::Id(account),
					signature,
					extension,
				);
				let encoded = format!("0x{}", hex::encode(xt.encode()));
				let hash = self.call("author_submitExtrinsic", vec![json!(encoded)]).await?;
				Ok(hash.as_str().unwrap_or_default().to_string())
			}
		}
	};
}

submit_fn!(submit, dbm_sub_runtime);
submit_fn!(submit_parent, dbm_parent_runtime);
