//! Finality recovery: how a chain whose GRANDPA voters can no longer finalize gets a voter set
//! that can.
//!
//! A voter whose node sees finality stalled while blocks keep coming signs a
//! [`StallReport`] with its GRANDPA key: the voter set its node is in and the last block it
//! finalized. When voters of more than half of a set's weight reported, the runtime forces a
//! GRANDPA change to the reporters (`pallet-finality-recovery`); a voter left out that comes
//! back signs a [`ReturnReport`] and is taken in again by a standard change. Both are
//! submitted by the node as unsigned transactions; the signature is the authorization.

use crate::BlockNumber;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_consensus_grandpa::{AuthorityId, AuthoritySignature, SetId};

/// What a voter says when its node's finality stalled.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct StallReport<N> {
	/// The voter set the node votes in (its GRANDPA's set id).
	pub set_id: SetId,
	/// The last block the node finalized.
	pub finalized: N,
	/// The reporting voter's GRANDPA key.
	pub voter: AuthorityId,
}

/// What a voter left out by a forced change says when it is back.
#[derive(
	Clone, Debug, Decode, DecodeWithMemTracking, Encode, Eq, MaxEncodedLen, PartialEq, TypeInfo,
)]
pub struct ReturnReport {
	/// The voter set in force on the voter's node (the one that left it out).
	pub set_id: SetId,
	/// The returning voter's GRANDPA key.
	pub voter: AuthorityId,
}

/// What the voter signs for a [`StallReport`] on the chain with `genesis`: the genesis hash
/// keeps a report from counting on another chain where the same key votes.
pub fn stall_payload<H: Encode, N: Encode>(genesis: &H, report: &StallReport<N>) -> Vec<u8> {
	(b"DBM_STALL_V1", genesis, report.set_id, &report.finalized, &report.voter).encode()
}

/// What the voter signs for a [`ReturnReport`] on the chain with `genesis`.
pub fn return_payload<H: Encode>(genesis: &H, report: &ReturnReport) -> Vec<u8> {
	(b"DBM_BACK_V1", genesis, report.set_id, &report.voter).encode()
}

sp_api::decl_runtime_apis! {
	/// What a voter's node needs to report a stall or its return.
	pub trait FinalityRecoveryApi {
		/// The voters a forced change left out, who may report their return.
		fn sidelined() -> Vec<AuthorityId>;
		/// Puts a signed stall report into the transaction pool (as an unsigned transaction);
		/// needs the offchain transaction pool extension. `false` if the pool refused it.
		fn submit_stall_report(report: StallReport<BlockNumber>, signature: AuthoritySignature) -> bool;
		/// Puts a signed return report into the transaction pool, as above.
		fn submit_return_report(report: ReturnReport, signature: AuthoritySignature) -> bool;
	}
}
