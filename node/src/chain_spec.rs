//! The built-in chain specifications and the loading of chain-spec files.

use dbm_primitives::currency;
use sc_service::ChainType;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use std::path::PathBuf;

/// A chain specification of either layer (genesis as a runtime preset or raw storage).
pub type ChainSpec = sc_service::GenericChainSpec;

/// The chain ids `--chain` accepts besides a path to a chain-spec JSON file.
pub const BUILT_IN: &[&str] = &["parent-dev", "parent-local", "dev"];

/// Token symbol, decimals and address format, as wallets read them.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), currency::SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::DECIMALS.into());
	properties.insert(
		"ss58Format".into(),
		<dbm_runtime_common::SS58Prefix as sp_core::Get<u16>>::get().into(),
	);
	properties
}

fn parent_wasm() -> Result<&'static [u8], String> {
	dbm_parent_runtime::WASM_BINARY.ok_or_else(|| {
		"the parent runtime's wasm was not built (this binary was built with SKIP_WASM_BUILD)"
			.to_string()
	})
}

/// The parent chain with one authority (Alice), for development.
pub fn parent_development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(parent_wasm()?, Default::default())
		.with_name("DB-Microgrid Parent Development")
		.with_id("parent-dev")
		.with_protocol_id("dbm-parent-dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The parent chain with four authorities (Alice, Bob, Charlie, Dave) on one machine.
pub fn parent_local() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(parent_wasm()?, Default::default())
		.with_name("DB-Microgrid Parent Local Testnet")
		.with_id("parent-local")
		.with_protocol_id("dbm-parent-local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// Resolves `--chain`: a built-in id or the path of a chain-spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"" | "dev" | "parent-dev" => Box::new(parent_development()?),
		"parent-local" => Box::new(parent_local()?),
		path => {
			let path = PathBuf::from(path);
			if !path.is_file() {
				return Err(format!(
					"unknown chain `{id}`: expected one of {} or the path of a chain-spec JSON file",
					BUILT_IN.join(", ")
				));
			}
			Box::new(
				ChainSpec::from_json_file(path)
					.map_err(|e| format!("invalid chain-spec file `{id}`: {e}"))?,
			)
		}
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn unknown_chain_id_names_the_choices() {
		let err = load("nonsense").err().unwrap_or_default();
		assert!(err.contains("unknown chain `nonsense`"), "{err}");
		assert!(err.contains("parent-dev"), "{err}");
	}

	#[test]
	fn malformed_chain_spec_file_is_refused_with_the_parse_error() {
		let dir = std::env::temp_dir().join(format!("dbm-spec-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let file = dir.join("broken.json");
		std::fs::write(&file, b"{ \"name\": ").unwrap();
		let err = load(file.to_str().unwrap()).err().unwrap_or_default();
		std::fs::remove_dir_all(&dir).ok();
		assert!(err.starts_with("invalid chain-spec file"), "{err}");
		assert!(err.contains("Error parsing spec file"), "{err}");
	}

	#[test]
	fn built_in_specs_name_their_presets() {
		let dev = parent_development().unwrap();
		assert_eq!(sc_service::ChainSpec::id(&dev), "parent-dev");
		let local = parent_local().unwrap();
		assert_eq!(sc_service::ChainSpec::chain_type(&local), ChainType::Local);
	}
}
