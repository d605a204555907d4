//! The DB-Microgrid sub-chain runtime.
//!
//! A sub-chain is the lower layer of the double-layer chain: the prosumers of one part of the
//! microgrid trade electricity on it and elect their block author, the biller. Every sub-chain
//! runs this runtime with its own [`SubchainId`](dbm_primitives::SubchainId) in genesis. This
//! crate holds the types, the version and the pallet list; the pallets' configuration is in
//! [`configs`], the runtime APIs in [`apis`], the genesis presets in
//! [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`'s expansion grows with the pallet list.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
mod weights;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::generic;
use sp_version::RuntimeVersion;

pub use dbm_primitives::{currency, time, AccountId, Balance, BlockNumber, Hash, Nonce};

/// Opaque types the node uses without knowing the runtime's calls.
pub mod opaque {
	use alloc::vec::Vec;
	pub use dbm_primitives::{Block, Header};
	use sp_runtime::impl_opaque_keys;

	/// Opaque block identifier.
	pub type BlockId = sp_runtime::generic::BlockId<Block>;

	impl_opaque_keys! {
		/// The session keys of a sub-chain authority: what a DBSCA candidate registers with
		/// `dbsca.setKeys` to be electable.
		#[derive(codec::MaxEncodedLen)]
		pub struct SessionKeys {
			/// Block production.
			pub aura: super::Aura,
			/// Finality.
			pub grandpa: super::Grandpa,
		}
	}
}

/// The runtime's version. `spec_version` is bumped with every change of the runtime's logic,
/// `transaction_version` with every change of an existing call's encoding.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("dbm-sub"),
	impl_name: Cow::Borrowed("dbm-sub"),
	authoring_version: 1,
	spec_version: 123,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The transaction extensions every signed extrinsic carries: those of both layers, then the
/// market's trade batch check (a full batch holds trades back for the next block).
pub type TxExtension =
	(dbm_runtime_common::TxExtension<Runtime>, pallet_energy_trade::CheckTradeBatch<Runtime>);
/// Block header.
pub type Header = dbm_primitives::Header;
/// A block with this runtime's extrinsics.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// An extrinsic as it arrives from outside.
pub type UncheckedExtrinsic = dbm_runtime_common::UncheckedExtrinsic<RuntimeCall, TxExtension>;
/// The payload a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Storage migrations run on the next runtime upgrade.
type Migrations = ();
/// Dispatches extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(7)]
	pub type Subchain = pallet_subchain;
	#[runtime::pallet_index(8)]
	pub type Dbsca = pallet_dbsca;
	#[runtime::pallet_index(9)]
	pub type EnergyTrade = pallet_energy_trade;
	#[runtime::pallet_index(10)]
	pub type MembershipVoting = pallet_membership_voting;
	#[runtime::pallet_index(11)]
	pub type ParentGrandpa = pallet_bridge_grandpa;
	#[runtime::pallet_index(12)]
	pub type ParentInbox = pallet_parent_inbox;
	#[runtime::pallet_index(13)]
	pub type FinalityRecovery = pallet_finality_recovery;
}

#[cfg(test)]
mod subchain_state_keys {
	//! The keys the parent proves this sub-chain's decisions under are this runtime's own.
	use super::Runtime;
	use dbm_primitives::{membership::Destination, subchain_state};

	#[test]
	fn the_parent_reads_the_sub_chains_storage_where_it_is() {
		for nonce in [0, 1, u64::MAX] {
			assert_eq!(
				subchain_state::outbox_key(nonce),
				pallet_membership_voting::Outbox::<Runtime>::hashed_key_for(
					Destination::Parent,
					nonce
				)
			);
		}
		assert_eq!(
			subchain_state::outbox_nonces_key(),
			pallet_membership_voting::OutboxNonces::<Runtime>::hashed_key_for(Destination::Parent)
		);
		assert_eq!(
			subchain_state::delivered_nonce_key(),
			pallet_parent_inbox::NextNonce::<Runtime>::hashed_key().to_vec()
		);
		// Whose Aura key sealed a block.
		let key = sp_core::sr25519::Public::from_raw([7; 32]);
		let raw: pallet_dbsca::RawKey = key.0.to_vec().try_into().unwrap();
		assert_eq!(
			subchain_state::aura_key_owner_key(&key),
			pallet_dbsca::KeyOwner::<Runtime>::hashed_key_for((*b"aura", raw))
		);
		// The genesis voters the parent follows the sub-chain's finality from.
		assert_eq!(
			dbm_primitives::finality::grandpa_authorities_key(),
			pallet_grandpa::Authorities::<Runtime>::hashed_key().to_vec()
		);
	}
}

#[cfg(test)]
mod trade_batch {
	//! A block's full trade batch holds record-adding transactions back: this runtime's
	//! transactions run the market's `CheckTradeBatch` extension.
	use super::*;
	use codec::Encode;
	use dbm_primitives::trade::{TradeOutcome, TradeRecord};
	use frame_support::BoundedVec;
	use sp_core::Pair;
	use sp_runtime::{
		generic::Era,
		traits::Get,
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		BuildStorage, MultiAddress,
	};

	/// The development genesis.
	fn development() -> sp_io::TestExternalities {
		let preset =
			genesis_config_presets::get_preset(&sp_genesis_builder::DEV_RUNTIME_PRESET.into())
				.expect("the development preset exists");
		let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
		dbm_runtime_common::presets::json_merge(
			&mut config,
			serde_json::from_slice(&preset).unwrap(),
		);
		let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
		config.build_storage().unwrap().into()
	}

	/// `call` signed by Alice with `nonce`, as a wallet signs it.
	fn signed(call: RuntimeCall, nonce: u32) -> UncheckedExtrinsic {
		let alice = sp_keyring::Sr25519Keyring::Alice.pair();
		let extension: TxExtension = (
			(
				frame_system::CheckNonZeroSender::new(),
				frame_system::CheckSpecVersion::new(),
				frame_system::CheckTxVersion::new(),
				frame_system::CheckGenesis::new(),
				frame_system::CheckEra::from(Era::Immortal),
				frame_system::CheckNonce::from(nonce),
				frame_system::CheckWeight::new(),
				pallet_transaction_payment::ChargeTransactionPayment::from(0),
				frame_system::WeightReclaim::new(),
			),
			pallet_energy_trade::CheckTradeBatch::new(),
		);
		let payload = SignedPayload::new(call.clone(), extension.clone()).unwrap();
		let signature = payload.using_encoded(|bytes| alice.sign(bytes));
		UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(alice.public().into()),
			signature.into(),
			extension,
		)
	}

	/// Applies `xt` as a block author does: what an invalid transaction changed is rolled back.
	fn apply(xt: UncheckedExtrinsic) -> sp_runtime::ApplyExtrinsicResult {
		use frame_support::storage::{with_transaction_unchecked, TransactionOutcome};
		with_transaction_unchecked(|| match Executive::apply_extrinsic(xt) {
			Ok(applied) => TransactionOutcome::Commit(Ok(applied)),
			Err(invalid) => TransactionOutcome::Rollback(Err(invalid)),
		})
	}

	#[test]
	fn a_full_trade_batch_holds_trades_back_for_the_next_block() {
		development().execute_with(|| {
			System::initialize(&1, &System::block_hash(0), &Default::default());
			let alice: AccountId = sp_keyring::Sr25519Keyring::Alice.to_account_id();
			let record = TradeRecord {
				trade: 0,
				outcome: TradeOutcome::Matched,
				buyer: alice.clone(),
				seller: alice.clone(),
				energy_wh: 1,
				price: 1,
				value: 1,
			};
			let max: u32 = <Runtime as pallet_energy_trade::Config>::MaxTradesPerBlock::get();
			let full: BoundedVec<_, _> = vec![record; max as usize].try_into().unwrap();
			pallet_energy_trade::BlockTrades::<Runtime>::put(full);

			let accept = RuntimeCall::EnergyTrade(pallet_energy_trade::Call::accept_offer {
				offer: 0,
				energy_wh: 1,
			});
			assert_eq!(
				apply(signed(accept.clone(), 0)),
				Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources))
			);
			// Other transactions still go in.
			let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: MultiAddress::Id(sp_keyring::Sr25519Keyring::Bob.to_account_id()),
				value: 1,
			});
			assert_eq!(apply(signed(transfer, 0)), Ok(Ok(())));
			// With room in the batch the acceptance is applied (and fails on its own terms:
			// there is no offer 0).
			pallet_energy_trade::BlockTrades::<Runtime>::kill();
			let applied = apply(signed(accept, 1));
			assert!(matches!(applied, Ok(Err(_))), "{applied:?}");
		});
	}
}
