//! The block's trade batch and the trade root in its header.
//!
//! Every trade matched or closed in a block is appended to the block's bounded trade batch
//! (`BlockTrades`, at most `MaxTradesPerBlock`; a call that would overflow it fails with
//! `TradeBatchFull`). A runtime that adds the [`CheckTradeBatch`] transaction extension treats
//! the batch as a block resource: a transaction that would overflow it is left out of the
//! block (`ExhaustsResources`) and waits for the next one. At the end of the block the binary
//! Merkle root of the batch is put in the header as a [`TradeRoot`] digest item, so a header
//! anchored on the parent commits to its trades and any trade can be proven against it
//! (`EnergyTradeApi::trade_proof`).

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Whether the block's trade batch has room for another record (a trade, a settlement, a
	/// ruling).
	pub fn has_batch_room() -> bool {
		Self::ensure_batch_room().is_ok()
	}

	/// Fails unless the block's trade batch has room for one more record.
	pub(crate) fn ensure_batch_room() -> DispatchResult {
		ensure!(
			BlockTrades::<T>::decode_len().unwrap_or(0) < T::MaxTradesPerBlock::get() as usize,
			Error::<T>::TradeBatchFull
		);
		Ok(())
	}

	/// Appends a record to the block's trade batch.
	pub(crate) fn push_record(record: TradeRecordOf<T>) -> DispatchResult {
		BlockTrades::<T>::try_append(record).map_err(|_| Error::<T>::TradeBatchFull.into())
	}

	/// This block's trade batch.
	pub fn block_trades() -> Vec<TradeRecordOf<T>> {
		BlockTrades::<T>::get().into_inner()
	}

	/// The proof of record `index` of this block's trade batch.
	pub fn trade_proof(index: u32) -> Option<TradeProof<T::AccountId, Balance>> {
		TradeProof::build(&BlockTrades::<T>::get(), index)
	}
}
