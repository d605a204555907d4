//! The DB-Microgrid parent chain runtime.
//!
//! The parent is the upper layer of the double-layer chain: its authorities are the billers of
//! the sub-chains plus standing operators. It keeps the registry of sub-chains and billers,
//! anchors sub-chain blocks and decides who joins which sub-chain. This crate holds the types,
//! the version and the pallet list; the pallets' configuration is in [`configs`], the runtime
//! APIs in [`apis`], the genesis presets in [`genesis_config_presets`].

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
		/// The session keys of a parent authority: what operators have in genesis and billers
		/// register with `billerRegistry.setParentKeys`.
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
	spec_name: Cow::Borrowed("dbm-parent"),
	impl_name: Cow::Borrowed("dbm-parent"),
	authoring_version: 1,
	spec_version: 120,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// The transaction extensions every signed extrinsic carries.
pub type TxExtension = dbm_runtime_common::TxExtension<Runtime>;
/// Block header.
pub type Header = dbm_primitives::Header;
/// A block with this runtime's extrinsics.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// An extrinsic as it arrives from outside.
pub type UncheckedExtrinsic = dbm_runtime_common::UncheckedExtrinsic<RuntimeCall, TxExtension>;
/// The payload a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Storage migrations run on the next runtime upgrade.
type Migrations =
	(configs::InitializeCouncil, pallet_biller_registry::migrations::v1::MigrateV0ToV1<Runtime>);
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
	pub type BillerRegistry = pallet_biller_registry;
	#[runtime::pallet_index(8)]
	pub type MembershipVoting = pallet_membership_voting;
	#[runtime::pallet_index(9)]
	pub type SubchainInbox = pallet_subchain_inbox;
	#[runtime::pallet_index(10)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(11)]
	pub type FinalityRecovery = pallet_finality_recovery;
}

#[cfg(test)]
mod fees {
	//! The fee multiplier both layers share (`dbm_runtime_common::FeeMultiplierUpdate`).
	use super::Runtime;
	use frame_support::{dispatch::DispatchClass, weights::Weight};
	use pallet_transaction_payment::Multiplier;
	use sp_runtime::{traits::Convert, BuildStorage, Perbill};

	/// The multiplier after `blocks` blocks each `fullness` of the normal class's weight.
	fn after(fullness: Perbill, blocks: u32) -> Multiplier {
		let storage = frame_system::GenesisConfig::<Runtime>::default()
			.build_storage()
			.expect("the system genesis builds");
		sp_io::TestExternalities::new(storage).execute_with(|| {
			let weights = <Runtime as frame_system::Config>::BlockWeights::get();
			let normal = weights.get(DispatchClass::Normal).max_total.expect("a limit");
			let used = Weight::from_parts(fullness * normal.ref_time(), 0);
			(0..blocks).fold(Multiplier::from_u32(1), |multiplier, _| {
				frame_system::Pallet::<Runtime>::set_block_consumed_resources(used, 0);
				<Runtime as pallet_transaction_payment::Config>::FeeMultiplierUpdate::convert(
					multiplier,
				)
			})
		})
	}

	#[test]
	fn fees_rise_only_while_blocks_are_fuller_than_the_target() {
		let one = Multiplier::from_u32(1);
		// Idle and lightly used blocks keep the base fee: it never falls below it.
		assert_eq!(after(Perbill::zero(), 1_000), one);
		assert_eq!(after(Perbill::from_percent(20), 1_000), one);
		// An hour of full blocks: about a fifth dearer.
		let hour = after(Perbill::one(), 7_200);
		assert!(hour > Multiplier::from_rational(115, 100), "{hour}");
		assert!(hour < Multiplier::from_rational(125, 100), "{hour}");
		// Each full block raises it.
		assert!(after(Perbill::one(), 2) > after(Perbill::one(), 1));
	}
}

#[cfg(test)]
mod parent_state_keys {
	//! The keys a sub-chain proves the parent's decisions under are this runtime's own.
	use super::Runtime;
	use dbm_primitives::{membership::Destination, parent_state, SubchainId};

	#[test]
	fn the_sub_chains_read_the_parents_storage_where_it_is() {
		for destination in [Destination::Parent, Destination::Subchain(SubchainId(3))] {
			for nonce in [0, 1, u64::MAX] {
				assert_eq!(
					parent_state::outbox_key(destination, nonce),
					pallet_membership_voting::Outbox::<Runtime>::hashed_key_for(destination, nonce)
				);
			}
			assert_eq!(
				parent_state::outbox_nonces_key(destination),
				pallet_membership_voting::OutboxNonces::<Runtime>::hashed_key_for(destination)
			);
		}
		assert_eq!(
			parent_state::open_proposals_key(),
			pallet_membership_voting::Proposals::<Runtime>::counter_storage_final_key().to_vec()
		);
		for id in [SubchainId(1), SubchainId(16)] {
			assert_eq!(
				parent_state::election_key(id),
				pallet_biller_registry::Elections::<Runtime>::hashed_key_for(id)
			);
			assert_eq!(
				parent_state::reelection_key(id),
				pallet_biller_registry::Reelections::<Runtime>::hashed_key_for(id)
			);
			assert_eq!(
				parent_state::open_disputes_key(id),
				pallet_biller_registry::DisputeCount::<Runtime>::hashed_key_for(id)
			);
			assert_eq!(
				parent_state::inbound_nonce_key(id),
				pallet_subchain_inbox::NextNonce::<Runtime>::hashed_key_for(id)
			);
		}
	}
}
