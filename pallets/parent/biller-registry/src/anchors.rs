//! The sub-chains' anchored headers and trade roots.
//!
//! `anchor` takes a sub-chain block header, SCALE-encoded with its digest, the block's trade
//! batch and a storage proof, from any submitter. The first anchor of a sub-chain is its
//! genesis header: its hash must be the registered genesis hash, and it gives the parent the
//! genesis state root. Every later header must follow the last anchor (its number is the next,
//! its parent hash the last anchor's hash) and be **sealed by the author of its slot**: the
//! storage proof shows the sub-chain's `Aura::Authorities` in its parent block's state, against
//! the state root anchored with that block, and the header's Aura seal must be the signature of
//! `authorities[slot % len]` (see [`dbm_primitives::seal`]). The parent recomputes the trade
//! root over the batch and checks it equals the [`TradeRoot`] digest item of the header. A
//! replay fails with `AlreadyAnchored`, a different header at a height in the recent window
//! with `ConflictingHeader` (below it, `AlreadyAnchored`).
//!
//! The block body keeps the batch (it is the extrinsic's argument); storage keeps the last
//! `AnchorWindow` anchors of each sub-chain in full (hash, state root, against which the parent
//! takes the sub-chain's messages and the next header's authors, and trade root), and for older
//! ones, per epoch of `EpochLength` sub-chain blocks (the last `MaxEpochs` epochs), the range of
//! parent blocks that anchored it. The `RegistryApi` runtime API answers where a sub-chain
//! block is anchored and verifies a trade's inclusion proof.
//!
//! # What an anchor proves
//!
//! Only a sub-chain authority (a member of its elected committee, or of its genesis
//! authorities before the first election) can seal a header the parent anchors, so a relayer
//! cannot forge one. The parent does not execute sub-chain blocks or follow the sub-chain's
//! finality, so a single authority key is enough to seal a fork or a state the sub-chain never
//! reached; such a header signs the evidence against its author, and the first header anchored
//! at a height holds it (the sub-chain's real header is then refused with
//! `ConflictingHeader`).

use crate::{pallet::*, *};
use alloc::vec::Vec;
use codec::DecodeAll;
use dbm_primitives::Header;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::Header as _;

impl<T: Config> Pallet<T> {
	/// Verifies and records the anchor of a sub-chain block.
	pub fn do_anchor(
		id: SubchainId,
		encoded: &[u8],
		authorities: dbm_primitives::proof::RawProof,
		trades: &[TradeRecordOf<T>],
	) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		ensure!(encoded.len() <= T::MaxHeaderLen::get() as usize, Error::<T>::HeaderTooLong);
		ensure!(trades.len() <= T::MaxTradesPerAnchor::get() as usize, Error::<T>::TooManyTrades);
		ensure!(
			authorities.len() <= T::MaxProofNodes::get() as usize
				&& dbm_primitives::proof::proof_size(&authorities) <= T::MaxProofSize::get(),
			Error::<T>::ProofTooLarge
		);
		let header = Header::decode_all(&mut &encoded[..]).map_err(|_| Error::<T>::BadHeader)?;
		let hash = header.hash();
		let number = *header.number();

		let root = match LastAnchor::<T>::get(id) {
			Some(last) if number <= last.number => {
				return Err(match Anchors::<T>::get(id, number) {
					Some(anchor) if anchor.hash != hash => Error::<T>::ConflictingHeader,
					_ => Error::<T>::AlreadyAnchored,
				}
				.into());
			}
			Some(last) => {
				ensure!(number == last.number.saturating_add(1), Error::<T>::Gap);
				ensure!(*header.parent_hash() == last.hash, Error::<T>::ParentMismatch);
				let parent_state = Anchors::<T>::get(id, last.number)
					.ok_or(Error::<T>::ParentMismatch)?
					.state_root;
				Self::check_seal(&header, parent_state, authorities)?;
				TradeRoot::find(header.digest()).ok_or(Error::<T>::NoTradeRoot)?
			}
			None => {
				ensure!(number == 0, Error::<T>::Gap);
				ensure!(hash == info.genesis_hash, Error::<T>::NotGenesis);
				ensure!(authorities.is_empty(), Error::<T>::NoProofForGenesis);
				// The genesis block holds no trades (and its header no trade root).
				TradeRoot::of::<TradeRecordOf<T>>(&[])
			}
		};
		ensure!(TradeRoot::of(trades) == root, Error::<T>::TradeRootMismatch);

		let now = frame_system::Pallet::<T>::block_number();
		Anchors::<T>::insert(
			id,
			number,
			Anchor {
				hash,
				state_root: *header.state_root(),
				trade_root: root.root,
				trade_count: root.count,
				anchored_in: now,
			},
		);
		if let Some(old) = number.checked_sub(T::AnchorWindow::get()) {
			Anchors::<T>::remove(id, old);
		}
		LastAnchor::<T>::insert(id, AnchorHead { number, hash, anchored_in: now });
		let epoch = number / T::EpochLength::get();
		AnchorEpochs::<T>::mutate(id, epoch, |range| match range {
			Some((_, to)) => *to = now,
			None => *range = Some((now, now)),
		});
		if let Some(old) = epoch.checked_sub(T::MaxEpochs::get()) {
			AnchorEpochs::<T>::remove(id, old);
		}
		Self::deposit_event(Event::Anchored {
			subchain: id,
			number,
			hash,
			trade_root: root.root,
			trades: root.count,
		});
		Ok(())
	}

	/// Checks that `header` is sealed by its slot's author among the sub-chain's Aura
	/// authorities, read from `proof` against the state root of its parent block.
	fn check_seal(
		header: &Header,
		parent_state: H256,
		proof: dbm_primitives::proof::RawProof,
	) -> DispatchResult {
		use dbm_primitives::{proof::ProofError, seal};
		let (nodes, size) = (T::MaxProofNodes::get(), T::MaxProofSize::get());
		let key = seal::aura_authorities_key();
		let authorities: Vec<sp_core::sr25519::Public> =
			dbm_primitives::proof::read(parent_state, proof, &key, nodes, size)
				.map_err(|e| match e {
					ProofError::TooLarge => Error::<T>::ProofTooLarge,
					ProofError::Invalid => Error::<T>::InvalidProof,
					ProofError::Undecodable => Error::<T>::NoAuthorities,
				})?
				.unwrap_or_default();
		seal::verify(header, &authorities).map_err(|e| match e {
			seal::SealError::NoSlot => Error::<T>::NoSlot,
			seal::SealError::NoSeal => Error::<T>::NoSeal,
			seal::SealError::NoAuthorities => Error::<T>::NoAuthorities,
			seal::SealError::BadSeal => Error::<T>::BadSeal,
		})?;
		Ok(())
	}

	/// The state root of sub-chain block `number`, if it is anchored and in the recent window:
	/// what the sub-chain's own decisions are proven against.
	pub fn anchored_state_root(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
	) -> Option<H256> {
		Anchors::<T>::get(id, number).map(|anchor| anchor.state_root)
	}

	/// Where sub-chain `id`'s block `number` is anchored.
	pub fn anchor_location(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
	) -> Option<AnchorLocation<BlockNumberFor<T>>> {
		if LastAnchor::<T>::get(id).is_none_or(|last| number > last.number) {
			return None;
		}
		if let Some(anchor) = Anchors::<T>::get(id, number) {
			return Some(AnchorLocation::Recent(anchor));
		}
		AnchorEpochs::<T>::get(id, number / T::EpochLength::get())
			.map(|(from, to)| AnchorLocation::InParentBlocks { from, to })
	}

	/// Whether `proof` proves a trade of sub-chain `id`'s block `number` against its anchor.
	pub fn verify_trade(
		id: SubchainId,
		number: dbm_primitives::BlockNumber,
		proof: &TradeProof<T::AccountId, Balance>,
	) -> bool {
		Anchors::<T>::get(id, number).is_some_and(|anchor| {
			proof.verify(&TradeRoot { root: anchor.trade_root, count: anchor.trade_count })
		})
	}
}
