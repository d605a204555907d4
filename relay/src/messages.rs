//! Messages up: the sub-chain's approved proposals and trade disputes, to the parent.
//!
//! They wait in the sub-chain's outbox for the parent (`MembershipVoting::Outbox(Parent,
//! nonce)`). The relay sends the parent each one it has not taken yet (`subchainInbox.receive`),
//! as many as the parent has room for (`MaxProposals` proposals, `MaxDisputes` disputes of the
//! sub-chain open), with a storage proof of the sub-chain's state at its last anchored block:
//! the parent checks it against the state root it anchored, takes each message once and in
//! order, and opens it for its authorities' vote (a dispute, for its ruling). (Pruning the
//! parent's outbox with a proof of what the sub-chain took, `subchainInbox.acknowledge`, stays
//! root's on the parent until the parent's governance replaces root, as pruning deletes what
//! the parent decided. The sub-chain prunes its own outbox with a proof against its light
//! client of the parent, see [`crate::decisions`].)

use crate::{
	config::{RelayConfig, INCLUSION_TIMEOUT, LOG},
	error::Result,
	local::{self, local, SubchainClient},
	parent::Parent,
};
use dbm_client::extrinsic;
use dbm_primitives::{membership::Message, parent_state, subchain_state, AccountId, SubchainId};
use std::{ops::Range, time::Instant};

/// The sub-chain's messages last sent to the parent (up to which nonce), and when.
pub type Sent = Option<(u64, Instant)>;

/// How many more messages of each kind the parent takes now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Room {
	/// Membership proposals (and anything else that is not a dispute).
	pub proposals: u32,
	/// Trade disputes of this sub-chain.
	pub disputes: u32,
}

impl Room {
	/// Takes room for a message (`dispute` or not); false if there is none left.
	pub fn take(&mut self, dispute: bool) -> bool {
		let room = if dispute { &mut self.disputes } else { &mut self.proposals };
		if *room == 0 {
			return false;
		}
		*room -= 1;
		true
	}
}

/// What to do with the messages `taken..upto` the parent has room for, given the ones sent
/// `recently` (up to which nonce, if within [`INCLUSION_TIMEOUT`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
	/// Send these.
	Send(Range<u64>),
	/// The parent has no room for even the first: say so (once a minute).
	NoRoom,
	/// Nothing new: what there is was sent a moment ago.
	Wait,
}

/// What to send of the messages the parent has room for (`taken..upto`): only what comes after
/// what was sent `recently` and still waits in the parent's pool.
pub fn plan(taken: u64, upto: u64, recently: Option<u64>) -> Plan {
	let from = recently.map_or(taken, |before| before.max(taken));
	if upto > from {
		Plan::Send(from..upto)
	} else if upto == taken && recently.is_none() {
		Plan::NoRoom
	} else {
		Plan::Wait
	}
}

/// Sends the parent the sub-chain's messages it has not taken yet (membership proposals the
/// members approved, trade disputes: `subchainInbox.receive`), each with a storage proof
/// against the sub-chain's last anchored block, the state the parent knows; no more than the
/// parent has room for, and nothing sent again for a minute while it waits in the parent's pool.
pub async fn forward<C: SubchainClient>(
	client: &C,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
	sent: &mut Sent,
) -> Result<()> {
	let Some(head) = parent.last_anchor(subchain).await? else {
		return Ok(());
	};
	// A parent anchor that is not this node's block is reported by the anchors.
	if local::hash_of(client, head.number)? != Some(head.hash) {
		return Ok(());
	}
	let (at, number) = (head.hash, head.number);
	let (_, queued): (u64, u64) =
		local(client, at, &subchain_state::outbox_nonces_key())?.unwrap_or_default();
	let best = parent.rpc.best_hash().await?;
	let taken: u64 =
		parent.storage(&parent_state::inbound_nonce_key(subchain), best).await?.unwrap_or(0);
	if taken >= queued {
		return Ok(());
	}
	// The parent takes a message only with room for it (`ParentBusy`): another open proposal,
	// or another open dispute of this sub-chain.
	type Voting = <dbm_parent_runtime::Runtime as pallet_membership_voting::Config>::MaxProposals;
	type Disputes = <dbm_parent_runtime::Runtime as pallet_biller_registry::Config>::MaxDisputes;
	use sp_runtime::traits::Get;
	let open: u32 = parent.storage(&parent_state::open_proposals_key(), best).await?.unwrap_or(0);
	let disputes: u32 =
		parent.storage(&parent_state::open_disputes_key(subchain), best).await?.unwrap_or(0);
	let mut room = Room {
		proposals: <Voting as Get<u32>>::get().saturating_sub(open),
		disputes: <Disputes as Get<u32>>::get().saturating_sub(disputes),
	};
	let mut upto = taken;
	while upto < queued {
		let message: Option<Message<AccountId, dbm_primitives::Balance>> =
			local(client, at, &subchain_state::outbox_key(upto))?;
		if !room.take(matches!(message, Some(Message::Dispute { .. }))) {
			break;
		}
		upto += 1;
	}
	let recently = sent
		.as_ref()
		.filter(|(_, when)| when.elapsed() < INCLUSION_TIMEOUT)
		.map(|(sent_upto, _)| *sent_upto);
	let messages = match plan(taken, upto, recently) {
		Plan::Send(messages) => messages,
		Plan::NoRoom => {
			log::info!(
				target: LOG,
				"sub-chain {subchain}: the parent has no room for its messages \
				 {taken}..{queued} (as many proposals or disputes open as it takes); waiting"
			);
			*sent = Some((taken, Instant::now()));
			return Ok(());
		}
		Plan::Wait => return Ok(()),
	};
	let from = messages.start;
	let context = parent.context().await?;
	let nonce = parent.nonce().await?;
	*sent = Some((upto, Instant::now()));
	for (i, message) in messages.enumerate() {
		let proof = local::local_proof(client, at, &subchain_state::outbox_key(message))?;
		let call =
			dbm_parent_runtime::RuntimeCall::SubchainInbox(pallet_subchain_inbox::Call::receive {
				subchain,
				number,
				nonce: message,
				proof,
			});
		let xt = extrinsic::parent::signed(call, &config.signer, nonce + i as u32, context);
		if i == 0 {
			if let Some(refusal) = parent.refusal(&xt).await {
				log::warn!(
					target: LOG,
					"sub-chain {subchain}: the parent refuses its message {message} proven at \
					 #{number}: {refusal}"
				);
				return Ok(());
			}
		}
		parent.submit(&xt).await?;
	}
	log::info!(
		target: LOG,
		"sub-chain {subchain}: sent the parent its messages {from}..{upto} (proven at #{number})"
	);
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn proposals_and_disputes_each_take_their_own_room() {
		let mut room = Room { proposals: 1, disputes: 2 };
		assert!(room.take(false));
		assert!(!room.take(false));
		assert!(room.take(true));
		assert!(room.take(true));
		assert!(!room.take(true));
		assert_eq!(room, Room { proposals: 0, disputes: 0 });
	}

	#[test]
	fn what_the_parent_has_room_for_is_sent() {
		assert_eq!(plan(3, 5, None), Plan::Send(3..5));
	}

	#[test]
	fn what_was_sent_a_moment_ago_is_not_sent_again() {
		assert_eq!(plan(3, 5, Some(5)), Plan::Wait);
		// Only what came after it.
		assert_eq!(plan(3, 7, Some(5)), Plan::Send(5..7));
		// The parent took more than was sent meanwhile.
		assert_eq!(plan(6, 7, Some(5)), Plan::Send(6..7));
	}

	#[test]
	fn no_room_for_the_first_message_is_said_once_a_minute() {
		assert_eq!(plan(3, 3, None), Plan::NoRoom);
		assert_eq!(plan(3, 3, Some(3)), Plan::Wait);
	}
}
