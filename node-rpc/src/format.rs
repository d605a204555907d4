//! How the methods write accounts and runtime API failures.

use dbm_primitives::AccountId;

/// `account` as an SS58 address with the chains' prefix.
pub fn ss58(account: &AccountId) -> String {
	use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
	let prefix = <dbm_runtime_common::SS58Prefix as sp_core::Get<u16>>::get();
	account.to_ss58check_with_version(Ss58AddressFormat::custom(prefix))
}

/// The JSON-RPC error for a failed runtime API call.
pub(crate) fn runtime_api_error(e: impl std::fmt::Display) -> jsonrpsee::types::ErrorObjectOwned {
	jsonrpsee::types::ErrorObject::owned(1, format!("the runtime API failed: {e}"), None::<()>)
}
