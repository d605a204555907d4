//! How bytes and accounts are written in JSON-RPC: `0x`-hex and SS58 addresses.

use crate::error::Error;
use dbm_primitives::AccountId;

/// `bytes` as `0x`-prefixed hex.
pub fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// The bytes of `0x`-prefixed (or plain) hex.
pub fn unhex(text: &str) -> Result<Vec<u8>, Error> {
	Ok(hex::decode(text.trim_start_matches("0x"))?)
}

/// `account` as an SS58 address with the chains' prefix.
pub fn ss58(account: &AccountId) -> String {
	use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
	let prefix = <dbm_runtime_common::SS58Prefix as sp_core::Get<u16>>::get();
	account.to_ss58check_with_version(Ss58AddressFormat::custom(prefix))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trips_with_or_without_its_prefix() {
		assert_eq!(hex0x(&[0xde, 0xad]), "0xdead");
		assert_eq!(unhex("0xdead").unwrap(), vec![0xde, 0xad]);
		assert_eq!(unhex("dead").unwrap(), vec![0xde, 0xad]);
		assert_eq!(unhex("0x").unwrap(), Vec::<u8>::new());
		assert!(matches!(unhex("0xzz"), Err(Error::Hex(_))));
	}

	#[test]
	fn addresses_read_back_as_the_same_account() {
		use sp_core::crypto::Ss58Codec;
		let alice: AccountId = sp_core::sr25519::Public::from_raw([1; 32]).into();
		let address = ss58(&alice);
		assert_eq!(AccountId::from_ss58check(&address).unwrap(), alice);
	}
}
