//! The genesis the development parent registers for a sub-chain is the one the node's own
//! client builds from the sub-chain's spec.

use dbm_primitives::SubchainId;
use dbm_service::chain_spec::{dev_registration, sub, sub_genesis_storage};
use sp_core::H256;

/// The genesis hash the registry is given is the one the node's own client computes from
/// the spec (through the wasm runtime's genesis builder).
#[tokio::test(flavor = "multi_thread")]
async fn genesis_hashes_are_the_clients() {
	let _timer = crate::common::timer();
	use clap::Parser;
	use sc_cli::SubstrateCli;
	use sp_runtime::BuildStorage;
	let base = std::env::temp_dir().join(format!("dbm-genesis-test-{}", std::process::id()));
	let cli = dbm_service::cli::Cli::try_parse_from([
		"dbm-node",
		"--chain",
		"sub-2",
		"--base-path",
		base.to_str().expect("a UTF-8 temp dir"),
	])
	.expect("valid arguments");
	let config = cli
		.create_configuration(&cli.run, tokio::runtime::Handle::current())
		.expect("a configuration");
	let parts = dbm_service::service::new_partial::<dbm_sub_runtime::apis::RuntimeApi>(&config)
		.expect("the node's components");
	let client = sp_blockchain::HeaderBackend::info(&*parts.client).genesis_hash;
	let registered = dev_registration(SubchainId(2)).unwrap();
	assert_eq!(registered.genesis_hash, client);
	// The native state is the wasm genesis builder's, key for key.
	let native = sub_genesis_storage(SubchainId(2), 1).unwrap();
	let built = sub(SubchainId(2), 1).unwrap().build_storage().unwrap();
	assert_eq!(native.top, built.top);
	let spec = sub(SubchainId(2), 1).unwrap().as_json(false).unwrap();
	assert_eq!(registered.chain_spec_hash, H256(sp_io::hashing::blake2_256(spec.as_bytes())));
	drop(parts);
	let _ = std::fs::remove_dir_all(&base);
}
