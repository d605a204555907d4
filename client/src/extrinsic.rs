//! Signed transactions of either runtime, built as a wallet builds them: the account's nonce,
//! an immortal era, no tip, signed with sr25519 over the call, the transaction extensions and
//! what they imply (spec and transaction version, genesis hash).
//!
//! Both runtimes have the same transaction format but their own call types, so the builder is
//! written once as a macro and instantiated per runtime. The relay, the demo, the load
//! generator and the node's integration tests all sign with it.

use sp_core::H256;

/// What a signed transaction commits to besides its call: the chain and its runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainContext {
	/// The chain's genesis hash.
	pub genesis: H256,
	/// The runtime's `spec_version`.
	pub spec_version: u32,
	/// The runtime's `transaction_version`.
	pub transaction_version: u32,
}

macro_rules! signed_for {
	// `$layer` wraps the extensions both layers carry (and their implicit data) into the
	// runtime's own `TxExtension`.
	($module:ident, $runtime:ident, $layer:expr, $layer_implicit:expr) => {
		/// Signed transactions of the
		#[doc = stringify!($runtime)]
		/// runtime.
		pub mod $module {
			use super::ChainContext;
			use codec::Encode;
			use sp_core::Pair as _;
			use sp_runtime::{
				generic::{Era, SignedPayload},
				MultiAddress, MultiSignature,
			};
			use $runtime::{Runtime, RuntimeCall, TxExtension, UncheckedExtrinsic};

			/// The SCALE encoding of `call` signed by `signer` with `nonce`, for the chain and
			/// runtime `context` describes.
			pub fn signed(
				call: RuntimeCall,
				signer: &sp_core::sr25519::Pair,
				nonce: u32,
				context: ChainContext,
			) -> Vec<u8> {
				let extension: TxExtension = ($layer)((
					frame_system::CheckNonZeroSender::<Runtime>::new(),
					frame_system::CheckSpecVersion::<Runtime>::new(),
					frame_system::CheckTxVersion::<Runtime>::new(),
					frame_system::CheckGenesis::<Runtime>::new(),
					frame_system::CheckEra::<Runtime>::from(Era::Immortal),
					frame_system::CheckNonce::<Runtime>::from(nonce),
					frame_system::CheckWeight::<Runtime>::new(),
					pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
					frame_system::WeightReclaim::<Runtime>::new(),
				));
				// An immortal era commits to the genesis hash as its birth block.
				let implicit = ($layer_implicit)((
					(),
					context.spec_version,
					context.transaction_version,
					context.genesis,
					context.genesis,
					(),
					(),
					(),
					(),
				));
				let payload = SignedPayload::<RuntimeCall, TxExtension>::from_raw(
					call.clone(),
					extension.clone(),
					implicit,
				);
				let signature = MultiSignature::Sr25519(payload.using_encoded(|b| signer.sign(b)));
				let account: dbm_primitives::AccountId = signer.public().into();
				UncheckedExtrinsic::new_signed(
					call,
					MultiAddress::Id(account),
					signature,
					extension,
				)
				.encode()
			}
		}
	};
}

signed_for!(parent, dbm_parent_runtime, |base| base, |implicit| implicit);
signed_for!(
	sub,
	dbm_sub_runtime,
	|base| (base, pallet_energy_trade::CheckTradeBatch::<dbm_sub_runtime::Runtime>::new()),
	|implicit| (implicit, ())
);
