//! The parent chain as the relay sees it: a [`dbm_client::Client`] of the parent and the
//! relayer's account on it.

use crate::{
	config::LOG,
	error::{Error, Result},
};
use codec::{Decode, Encode};
use dbm_client::{ChainContext, Client};
use dbm_primitives::{
	registry::{AnchorHead, SubchainInfo},
	AccountId, BlockNumber, SubchainId,
};
use sp_core::H256;
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	ApplyExtrinsicResult,
};

/// The parent chain and the relayer's account on it.
pub struct Parent {
	/// The parent's JSON-RPC.
	pub rpc: Client,
	account: AccountId,
}

impl Parent {
	/// Connects to the parent at `url` for the relayer `account`.
	pub async fn connect(url: &str, account: AccountId) -> Result<Self> {
		Ok(Parent { rpc: Client::connect(url).await?, account })
	}

	/// Calls the runtime API function `method` at the parent's best block.
	pub async fn runtime_call<R: Decode>(&self, method: &str, args: impl Encode) -> Result<R> {
		Ok(self.rpc.runtime_call(method, args, None).await?)
	}

	/// The value under `key` in the parent's state at `at`.
	pub async fn storage<V: Decode>(&self, key: &[u8], at: H256) -> Result<Option<V>> {
		Ok(self.rpc.storage(key, Some(at)).await?)
	}

	/// The chain and runtime a transaction must commit to. Calls are encoded with the parent
	/// runtime this relay was built with, so the parent's `transaction_version` (which a runtime
	/// raises whenever an existing call's encoding changes) must be this relay's; a parent that
	/// was upgraded without changing its calls (a new `spec_version` alone) is served, and the
	/// transactions commit to the version it runs.
	pub async fn context(&self) -> Result<ChainContext> {
		let context = self.rpc.context().await?;
		check_runtime(&context)?;
		Ok(context)
	}

	/// The relayer's account.
	pub fn account(&self) -> &AccountId {
		&self.account
	}

	/// The relayer's next nonce, counting its transactions in the parent's pool.
	pub async fn nonce(&self) -> Result<u32> {
		Ok(self.rpc.next_nonce(&self.account).await?)
	}

	/// The relayer's free balance on the parent (`System::Account`), at the best block.
	pub async fn free_balance(&self) -> Result<u128> {
		let key = [
			sp_io::hashing::twox_128(b"System").as_slice(),
			&sp_io::hashing::twox_128(b"Account"),
			&sp_io::hashing::blake2_128(self.account.as_ref()),
			self.account.as_ref(),
		]
		.concat();
		// `AccountInfo`: nonce, consumers, providers, sufficients, then the balances' `free`.
		let info: Option<(u32, u32, u32, u32, u128)> = self.rpc.storage(&key, None).await?;
		Ok(info.map_or(0, |(_, _, _, _, free)| free))
	}

	/// What the parent would charge for the signed transaction `xt`
	/// (`TransactionPaymentApi_query_info`'s partial fee).
	pub async fn fee(&self, xt: &[u8]) -> Result<u128> {
		let uxt = dbm_parent_runtime::UncheckedExtrinsic::decode(&mut &xt[..])
			.map_err(|e| Error::Missing(format!("an extrinsic this relay made: {e}")))?;
		// `RuntimeDispatchInfo`: the weight (two compact numbers), the class, the fee.
		let (_, _, _, fee): (codec::Compact<u64>, codec::Compact<u64>, u8, u128) =
			self.runtime_call("TransactionPaymentApi_query_info", (uxt, xt.len() as u32)).await?;
		Ok(fee)
	}

	/// The sub-chain's registration.
	pub async fn subchain(&self, id: SubchainId) -> Result<Option<SubchainInfo<BlockNumber>>> {
		let all: Vec<(SubchainId, SubchainInfo<BlockNumber>)> =
			self.runtime_call("RegistryApi_subchains", ()).await?;
		Ok(all.into_iter().find(|(other, _)| *other == id).map(|(_, info)| info))
	}

	/// The sub-chain's last anchored block.
	pub async fn last_anchor(&self, id: SubchainId) -> Result<Option<AnchorHead<BlockNumber>>> {
		self.runtime_call("RegistryApi_last_anchor", id).await
	}

	/// Why the parent would refuse `xt`, if its dry run says it would. `system_dryRun` is an
	/// unsafe RPC method: a parent serving only safe methods cannot check, and `xt` goes
	/// unchecked.
	pub async fn refusal(&self, xt: &[u8]) -> Option<String> {
		match self.rpc.dry_run(xt, None).await {
			Ok(outcome) => refusal_of(outcome),
			Err(e) => {
				log::debug!(target: LOG, "no dry run: {e}");
				None
			}
		}
	}

	/// Puts `xt` in the parent's pool.
	pub async fn submit(&self, xt: &[u8]) -> Result<()> {
		self.rpc.submit(xt).await?;
		Ok(())
	}

	/// Submits `call` as `signer`'s transaction, unless a dry run of it is refused: then the
	/// refusal.
	pub async fn offer(
		&self,
		signer: &sp_core::sr25519::Pair,
		call: dbm_parent_runtime::RuntimeCall,
	) -> Result<Option<String>> {
		let xt = dbm_client::extrinsic::parent::signed(
			call,
			signer,
			self.nonce().await?,
			self.context().await?,
		);
		if let Some(refusal) = self.refusal(&xt).await {
			return Ok(Some(refusal));
		}
		self.submit(&xt).await?;
		Ok(None)
	}
}

/// Whether the parent's calls are encoded as this relay encodes them: its
/// `transaction_version` is the one of the parent runtime this relay was built with.
pub fn check_runtime(context: &ChainContext) -> Result<()> {
	let ours = dbm_parent_runtime::VERSION.transaction_version;
	if context.transaction_version != ours {
		return Err(Error::ParentRuntime {
			theirs: context.transaction_version,
			spec: context.spec_version,
			ours,
		});
	}
	Ok(())
}

/// What counts as a refusal in a dry run's `outcome`: `None` if the transaction would be
/// applied, else the parent's reason.
pub fn refusal_of(outcome: ApplyExtrinsicResult) -> Option<String> {
	match outcome {
		Ok(Ok(())) => None,
		// A nonce after transactions still in the pool: the parent's best state cannot check
		// it, the pool will order it.
		Err(TransactionValidityError::Invalid(InvalidTransaction::Future)) => None,
		Ok(Err(error)) => Some(
			dbm_parent_runtime::RuntimeError::from_dispatch_error(error)
				.map(|e| format!("{e:?}"))
				.unwrap_or_else(|| format!("{error:?}")),
		),
		Err(invalid) => Some(format!("invalid transaction: {invalid:?}")),
	}
}

/// The parent's finality proof of a block, as `grandpa_proveFinality` encodes it.
#[derive(Decode)]
pub(crate) struct FinalityProof {
	/// The block the justification finalizes.
	pub(crate) block: H256,
	/// The encoded justification.
	pub(crate) justification: Vec<u8>,
	_unknown_headers: Vec<dbm_primitives::Header>,
}

/// The parent's `Grandpa::CurrentSetId`: the id of its GRANDPA authority set.
pub fn grandpa_set_id_key() -> Vec<u8> {
	[sp_io::hashing::twox_128(b"Grandpa"), sp_io::hashing::twox_128(b"CurrentSetId")].concat()
}

impl Parent {
	/// A finality proof of parent block `number` or a later one, signed by the authority set
	/// `set_id`: the block and its GRANDPA justification. While the parent's authorities are
	/// still set `set_id`, the next justification they produce
	/// (`grandpa_subscribeJustifications`) is the proof. For a block of an earlier set,
	/// `grandpa_proveFinality` gives the justification of the header that ended that set (the
	/// light client must import it to follow the set's change).
	pub async fn finality_proof(
		&self,
		number: BlockNumber,
		set_id: u64,
	) -> Result<(H256, Vec<u8>)> {
		let (head, _) = self.rpc.finalized_head().await?;
		let parent_set: u64 = self.storage(&grandpa_set_id_key(), head).await?.unwrap_or(0);
		if parent_set == set_id {
			return self.next_justification().await;
		}
		let encoded = self.rpc.prove_finality(number).await?.ok_or_else(|| {
			Error::LightClient(format!(
				"the parent has no finality proof of #{number}, and its authority set is \
				 {parent_set}, not the light client's {set_id}: the light client cannot follow \
				 the parent's set changes from here"
			))
		})?;
		let proof = FinalityProof::decode(&mut &encoded[..])
			.map_err(Error::decode("decoding the parent's finality proof"))?;
		Ok((proof.block, proof.justification))
	}

	/// The next GRANDPA justification the parent produces: its target block and the
	/// justification.
	async fn next_justification(&self) -> Result<(H256, Vec<u8>)> {
		use bp_header_chain::justification::GrandpaJustification;
		let mut justifications = self.rpc.justifications().await?;
		let next = tokio::time::timeout(crate::config::INCLUSION_TIMEOUT, justifications.next())
			.await
			.map_err(|_| Error::LightClient("the parent finalized nothing for a minute".into()))?
			.ok_or_else(|| {
				Error::LightClient("the parent closed its justification subscription".into())
			})?
			.map_err(|e| Error::LightClient(format!("parent justification: {e}")))?;
		let bytes = dbm_client::unhex(&next)?;
		let justification = GrandpaJustification::<dbm_primitives::Header>::decode(&mut &bytes[..])
			.map_err(Error::decode("decoding the parent's justification"))?;
		Ok((justification.commit.target_hash, bytes))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::{transaction_validity::UnknownTransaction, DispatchError};

	#[test]
	fn a_transaction_the_parent_would_apply_is_no_refusal() {
		assert_eq!(refusal_of(Ok(Ok(()))), None);
	}

	#[test]
	fn a_nonce_ahead_of_the_pool_is_no_refusal() {
		let future = Err(TransactionValidityError::Invalid(InvalidTransaction::Future));
		assert_eq!(refusal_of(future), None);
	}

	#[test]
	fn a_failing_call_or_an_invalid_transaction_is_a_refusal() {
		let failed = refusal_of(Ok(Err(DispatchError::BadOrigin)));
		assert!(failed.is_some_and(|why| why.contains("BadOrigin")));
		let stale = refusal_of(Err(TransactionValidityError::Invalid(InvalidTransaction::Stale)));
		assert!(stale.is_some_and(|why| why.starts_with("invalid transaction: ")));
		let unknown = Err(TransactionValidityError::Unknown(UnknownTransaction::CannotLookup));
		assert!(refusal_of(unknown).is_some());
	}

	#[test]
	fn a_parent_upgraded_without_new_call_encodings_is_served_and_another_refused() {
		let ours = dbm_parent_runtime::VERSION;
		let context = |spec_version, transaction_version| ChainContext {
			genesis: H256::zero(),
			spec_version,
			transaction_version,
		};
		assert!(check_runtime(&context(ours.spec_version, ours.transaction_version)).is_ok());
		// A runtime upgrade that left the calls as they were: served.
		assert!(check_runtime(&context(ours.spec_version + 1, ours.transaction_version)).is_ok());
		assert!(matches!(
			check_runtime(&context(ours.spec_version + 1, ours.transaction_version + 1)),
			Err(Error::ParentRuntime { theirs, spec, .. })
				if theirs == ours.transaction_version + 1 && spec == ours.spec_version + 1
		));
	}
}
