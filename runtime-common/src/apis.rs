//! The runtime APIs both layers implement the same way, as one macro.
//!
//! `sp_api::impl_runtime_apis!` must be invoked once per runtime with every API, so the shared
//! part is a macro that takes the runtime's own APIs and emits the whole block. It is invoked
//! in a module where `Runtime` and `Block` are in scope, in a runtime crate whose root has the
//! pallets `Aura`, `Grandpa`, `FinalityRecovery`, `System`, `TransactionPayment`, the `Executive`, `VERSION`,
//! `opaque::SessionKeys`, `genesis_config_presets::{get_preset, preset_names}` and (with
//! `runtime-benchmarks`) `benchmarks::{metadata, dispatch}`, and which depends on the crates
//! named in the expansion (`sp-api`, `sp-runtime`, `sp-core`, ...).

/// Implements the runtime APIs every DB-Microgrid chain has (core, metadata, block builder,
/// transaction pool, offchain, Aura, GRANDPA, finality recovery, session keys, nonces, fees, genesis builder,
/// benchmarks) plus the APIs passed in.
// `crate::` names the invoking runtime crate on purpose: its pallets, types and modules.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! impl_runtime_apis_with_base {
	($($own:tt)*) => {
		sp_api::impl_runtime_apis! {
			impl sp_api::Core<Block> for Runtime {
				fn version() -> sp_version::RuntimeVersion {
					crate::VERSION
				}

				fn execute_block(block: <Block as sp_runtime::traits::Block>::LazyBlock) {
					crate::Executive::execute_block(block);
				}

				fn initialize_block(header: &<Block as sp_runtime::traits::Block>::Header) -> sp_runtime::ExtrinsicInclusionMode {
					crate::Executive::initialize_block(header)
				}
			}

			impl sp_api::Metadata<Block> for Runtime {
				fn metadata() -> sp_core::OpaqueMetadata {
					sp_core::OpaqueMetadata::new(Runtime::metadata().into())
				}

				fn metadata_at_version(version: u32) -> Option<sp_core::OpaqueMetadata> {
					Runtime::metadata_at_version(version)
				}

				fn metadata_versions() -> alloc::vec::Vec<u32> {
					Runtime::metadata_versions()
				}
			}

			impl sp_block_builder::BlockBuilder<Block> for Runtime {
				fn apply_extrinsic(extrinsic: <Block as sp_runtime::traits::Block>::Extrinsic) -> sp_runtime::ApplyExtrinsicResult {
					crate::Executive::apply_extrinsic(extrinsic)
				}

				fn finalize_block() -> <Block as sp_runtime::traits::Block>::Header {
					crate::Executive::finalize_block()
				}

				fn inherent_extrinsics(data: sp_inherents::InherentData) -> alloc::vec::Vec<<Block as sp_runtime::traits::Block>::Extrinsic> {
					crate::InherentDataExt::create_extrinsics(&data)
				}

				fn check_inherents(
					block: <Block as sp_runtime::traits::Block>::LazyBlock,
					data: sp_inherents::InherentData,
				) -> sp_inherents::CheckInherentsResult {
					crate::InherentDataExt::check_extrinsics(&data, &block)
				}
			}

			impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
				fn validate_transaction(
					source: sp_runtime::transaction_validity::TransactionSource,
					tx: <Block as sp_runtime::traits::Block>::Extrinsic,
					block_hash: <Block as sp_runtime::traits::Block>::Hash,
				) -> sp_runtime::transaction_validity::TransactionValidity {
					crate::Executive::validate_transaction(source, tx, block_hash)
				}
			}

			impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
				fn offchain_worker(header: &<Block as sp_runtime::traits::Block>::Header) {
					crate::Executive::offchain_worker(header)
				}
			}

			impl sp_consensus_aura::AuraApi<Block, sp_consensus_aura::sr25519::AuthorityId> for Runtime {
				fn slot_duration() -> sp_consensus_aura::SlotDuration {
					sp_consensus_aura::SlotDuration::from_millis(crate::Aura::slot_duration())
				}

				fn authorities() -> alloc::vec::Vec<sp_consensus_aura::sr25519::AuthorityId> {
					pallet_aura::Authorities::<Runtime>::get().into_inner()
				}
			}

			impl sp_session::SessionKeys<Block> for Runtime {
				fn generate_session_keys(
					owner: alloc::vec::Vec<u8>,
					seed: Option<alloc::vec::Vec<u8>>,
				) -> sp_session::OpaqueGeneratedSessionKeys {
					crate::opaque::SessionKeys::generate(&owner, seed).into()
				}

				fn decode_session_keys(encoded: alloc::vec::Vec<u8>) -> Option<alloc::vec::Vec<(alloc::vec::Vec<u8>, sp_core::crypto::KeyTypeId)>> {
					crate::opaque::SessionKeys::decode_into_raw_public_keys(&encoded)
				}
			}

			impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
				fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
					crate::Grandpa::grandpa_authorities()
				}

				fn current_set_id() -> sp_consensus_grandpa::SetId {
					crate::Grandpa::current_set_id()
				}

				// A voter's node reports another voter's equivocation with the runtime's proof
				// that the offender's key belongs to the set; what the chain does with it is the
				// layer's own (`configs::GrandpaEquivocationReports`).
				fn submit_report_equivocation_unsigned_extrinsic(
					equivocation_proof: sp_consensus_grandpa::EquivocationProof<
						<Block as sp_runtime::traits::Block>::Hash,
						sp_runtime::traits::NumberFor<Block>,
					>,
					key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
				) -> Option<()> {
					crate::Grandpa::submit_unsigned_equivocation_report(
						equivocation_proof,
						key_owner_proof.decode()?,
					)
				}

				fn generate_key_ownership_proof(
					set_id: sp_consensus_grandpa::SetId,
					authority_id: sp_consensus_grandpa::AuthorityId,
				) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
					crate::configs::grandpa_key_owner_proof(set_id, &authority_id)
				}
			}

			// A voter's node reports a stall of its finality, or its return after a forced change
			// left it out (`pallet_finality_recovery`).
			impl dbm_primitives::recovery::FinalityRecoveryApi<Block> for Runtime {
				fn sidelined() -> alloc::vec::Vec<sp_consensus_grandpa::AuthorityId> {
					crate::FinalityRecovery::sidelined()
				}

				fn submit_stall_report(
					report: dbm_primitives::recovery::StallReport<dbm_primitives::BlockNumber>,
					signature: sp_consensus_grandpa::AuthoritySignature,
				) -> bool {
					crate::FinalityRecovery::submit_stall_report(report, signature)
				}

				fn submit_return_report(
					report: dbm_primitives::recovery::ReturnReport,
					signature: sp_consensus_grandpa::AuthoritySignature,
				) -> bool {
					crate::FinalityRecovery::submit_return_report(report, signature)
				}
			}

			impl frame_system_rpc_runtime_api::AccountNonceApi<Block, dbm_primitives::AccountId, dbm_primitives::Nonce> for Runtime {
				fn account_nonce(account: dbm_primitives::AccountId) -> dbm_primitives::Nonce {
					crate::System::account_nonce(account)
				}
			}

			impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, dbm_primitives::Balance> for Runtime {
				fn query_info(
					uxt: <Block as sp_runtime::traits::Block>::Extrinsic,
					len: u32,
				) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<dbm_primitives::Balance> {
					crate::TransactionPayment::query_info(uxt, len)
				}

				fn query_fee_details(
					uxt: <Block as sp_runtime::traits::Block>::Extrinsic,
					len: u32,
				) -> pallet_transaction_payment::FeeDetails<dbm_primitives::Balance> {
					crate::TransactionPayment::query_fee_details(uxt, len)
				}

				fn query_weight_to_fee(weight: frame_support::weights::Weight) -> dbm_primitives::Balance {
					crate::TransactionPayment::weight_to_fee(weight)
				}

				fn query_length_to_fee(length: u32) -> dbm_primitives::Balance {
					crate::TransactionPayment::length_to_fee(length)
				}
			}

			impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, dbm_primitives::Balance, crate::RuntimeCall>
				for Runtime
			{
				fn query_call_info(
					call: crate::RuntimeCall,
					len: u32,
				) -> pallet_transaction_payment::RuntimeDispatchInfo<dbm_primitives::Balance> {
					crate::TransactionPayment::query_call_info(call, len)
				}

				fn query_call_fee_details(
					call: crate::RuntimeCall,
					len: u32,
				) -> pallet_transaction_payment::FeeDetails<dbm_primitives::Balance> {
					crate::TransactionPayment::query_call_fee_details(call, len)
				}

				fn query_weight_to_fee(weight: frame_support::weights::Weight) -> dbm_primitives::Balance {
					crate::TransactionPayment::weight_to_fee(weight)
				}

				fn query_length_to_fee(length: u32) -> dbm_primitives::Balance {
					crate::TransactionPayment::length_to_fee(length)
				}
			}

			#[cfg(feature = "runtime-benchmarks")]
			impl frame_benchmarking::Benchmark<Block> for Runtime {
				fn benchmark_metadata(extra: bool) -> (
					alloc::vec::Vec<frame_benchmarking::BenchmarkList>,
					alloc::vec::Vec<frame_support::traits::StorageInfo>,
				) {
					crate::benchmarks::metadata(extra)
				}

				fn dispatch_benchmark(
					config: frame_benchmarking::BenchmarkConfig,
				) -> Result<alloc::vec::Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
					crate::benchmarks::dispatch(config)
				}
			}

			impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
				fn build_state(config: alloc::vec::Vec<u8>) -> sp_genesis_builder::Result {
					frame_support::genesis_builder_helper::build_state::<crate::RuntimeGenesisConfig>(config)
				}

				fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<alloc::vec::Vec<u8>> {
					frame_support::genesis_builder_helper::get_preset::<crate::RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
				}

				fn preset_names() -> alloc::vec::Vec<sp_genesis_builder::PresetId> {
					crate::genesis_config_presets::preset_names()
				}
			}

			$($own)*
		}
	};
}
