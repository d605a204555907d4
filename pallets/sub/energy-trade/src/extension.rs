//! [`CheckTradeBatch`]: the trade batch is a block resource, like its weight.
//!
//! A block holds at most `MaxTradesPerBlock` trade records (its anchor on the parent carries
//! them all). Without this extension a transaction that adds a record to a full batch would be
//! included and fail with `TradeBatchFull`, its fee paid for nothing. With it, such a
//! transaction is not applied: applying it reports `ExhaustsResources`, as a transaction over
//! the block's weight does, so the block author leaves it in the pool for the next block.
//!
//! The check runs only when a transaction is applied in a block. The transaction pool
//! validates against the state after the latest block, whose full batch says nothing about the
//! next one, so validation never fails here.

use crate::{pallet::*, weights::WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::{TypeInfo, Weight},
	traits::IsSubType,
	DefaultNoBound,
};
use sp_runtime::{
	impl_tx_ext_default,
	traits::{DispatchInfoOf, DispatchOriginOf, TransactionExtension},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
};

/// Keeps a transaction that would add a trade record out of a block whose trade batch is full
/// (see the [module docs](self)). It has no data of its own: nothing to sign or encode.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckTradeBatch<T>(PhantomData<T>);

impl<T> CheckTradeBatch<T> {
	/// The extension.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckTradeBatch<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckTradeBatch")
	}
}

impl<T: Config> CheckTradeBatch<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	/// Whether `call` adds a record to the block's trade batch when it succeeds.
	pub fn adds_record(call: &T::RuntimeCall) -> bool {
		matches!(
			call.is_sub_type(),
			Some(
				Call::accept_offer { .. }
					| Call::confirm_delivery { .. }
					| Call::resolve_dispute { .. }
					| Call::settle_trade { .. }
			)
		)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckTradeBatch<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	const IDENTIFIER: &'static str = "CheckTradeBatch";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		if Self::adds_record(call) {
			T::WeightInfo::check_trade_batch()
		} else {
			Weight::zero()
		}
	}

	fn prepare(
		self,
		_val: Self::Val,
		_origin: &DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		if Self::adds_record(call) && !Pallet::<T>::has_batch_room() {
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		Ok(())
	}

	impl_tx_ext_default!(T::RuntimeCall; validate);
}
