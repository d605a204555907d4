//! The benchmark list both runtimes share.

/// Defines, in the invoking module of a runtime crate (which must have `Runtime`,
/// `AllPalletsWithSystem`, `Balances`, `Timestamp`, `Sudo` and `TransactionPayment` in scope),
/// the pallets `dbm-node benchmark pallet` can measure: the base pallets of every DB-Microgrid chain plus the entries passed in (the
/// same `[pallet_crate, PalletType]` syntax as `frame_benchmarking::define_benchmarks!`), and
/// the `metadata` and `dispatch` functions the runtime's `Benchmark` API calls.
#[macro_export]
macro_rules! define_runtime_benchmarks {
	($([$name:path, $location:ty])*) => {
		use alloc::{string::String, vec::Vec};
		use frame_benchmarking::{baseline, BenchmarkBatch, BenchmarkConfig, BenchmarkList};
		use frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys};

		type BaselineBench = baseline::Pallet<Runtime>;
		type SystemBench = frame_system_benchmarking::Pallet<Runtime>;
		type SystemExtensionsBench = frame_system_benchmarking::extensions::Pallet<Runtime>;

		frame_benchmarking::define_benchmarks!(
			[frame_benchmarking, BaselineBench]
			[frame_system, SystemBench]
			[frame_system_extensions, SystemExtensionsBench]
			[pallet_balances, Balances]
			[pallet_timestamp, Timestamp]
			[pallet_sudo, Sudo]
			[pallet_transaction_payment, TransactionPayment]
			$([$name, $location])*
		);

		impl baseline::Config for Runtime {}
		impl frame_system_benchmarking::Config for Runtime {}
		impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

		/// Lists every benchmark of the runtime's pallets (`benchmark pallet --list`).
		pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		/// Runs the benchmarks `config` selects.
		pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	};
}

/// Accounts the benchmarks sign with: sr25519 keys generated in the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
pub mod keys {
	use dbm_primitives::{AccountId, Signature};
	use sp_core::{crypto::KeyTypeId, sr25519};

	/// Key type of the benchmark accounts.
	const BENCH_KEY: KeyTypeId = KeyTypeId(*b"dbmb");

	/// The `i`-th account of the family `tag`; its key is in the keystore.
	pub fn account(tag: &str, i: u32) -> AccountId {
		let seed = alloc::format!("//{tag}-{i}").into_bytes();
		sp_io::crypto::sr25519_generate(BENCH_KEY, Some(seed)).into()
	}

	/// `who`'s signature of `payload`; `who` came from [`account`].
	pub fn sign(who: &AccountId, payload: &[u8]) -> Signature {
		let public = sr25519::Public::from_raw(*who.as_ref());
		sp_io::crypto::sr25519_sign(BENCH_KEY, &public, payload)
			.expect("the account's key is in the benchmark keystore; qed")
			.into()
	}

	/// A new meter's claim to measure for `who` (its key in the keystore).
	pub fn meter_claim(who: &AccountId) -> dbm_primitives::metering::MeterClaim {
		use dbm_primitives::metering::MeterClaim;
		const METER_KEY: KeyTypeId = KeyTypeId(*b"metr");
		let key = sp_io::crypto::ed25519_generate(METER_KEY, None);
		let payload = MeterClaim::signing_payload(who, &key);
		let proof = sp_io::crypto::ed25519_sign(METER_KEY, &key, &payload)
			.expect("the meter's key was made in the benchmark keystore; qed");
		MeterClaim { key, proof }
	}

	/// The `i`-th sub-chain GRANDPA voter's key (in the keystore).
	pub fn voter(i: u32) -> dbm_primitives::finality::AuthorityId {
		let seed = alloc::format!("//bench-voter-{i}").into_bytes();
		sp_io::crypto::ed25519_generate(sp_core::crypto::key_types::GRANDPA, Some(seed)).into()
	}

	/// `voter`'s signature of `payload`; `voter` came from [`voter`].
	pub fn vote(
		voter: &dbm_primitives::finality::AuthorityId,
		payload: &[u8],
	) -> dbm_primitives::finality::AuthoritySignature {
		let public: sp_core::ed25519::Public = voter.clone().into();
		sp_io::crypto::ed25519_sign(sp_core::crypto::key_types::GRANDPA, &public, payload)
			.expect("the voter's key is in the benchmark keystore; qed")
			.into()
	}
}
