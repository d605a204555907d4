//! `follow_parent_forced_change` and the block hook that notes where the parent's set started.

use super::*;
use codec::Decode;
use dbm_primitives::finality::{
	forced_change_item, scheduled_change_item,
	testing::{header_chain as chain, justify, voter, voter_list as list},
};
use frame_support::{dispatch::DispatchResultWithPostInfo, traits::Hooks};
use sp_core::ed25519;
use sp_runtime::generic::DigestItem;

const SEEDS: [&str; 4] = ["//Alice", "//Bob", "//Charlie", "//Dave"];

fn pairs() -> Vec<ed25519::Pair> {
	SEEDS.iter().map(|seed| voter(seed)).collect()
}

/// The light client holds set 0 of the four voters and parent header 10, which it returns.
fn light_client() -> ParentHeader {
	let finalized = chain(10, H256::repeat_byte(7), 10, &[]).remove(0);
	LIGHT.with(|l| {
		*l.borrow_mut() = Some(LightClientState {
			set_id: 0,
			voters: list(&pairs()),
			finalized: (finalized.hash(), 10),
		})
	});
	finalized
}

/// Headers 11 to 16 on `finalized`; 12 forces the change to the first three voters (median
/// 10, delay 2), with `more` items too.
fn forced(finalized: &ParentHeader, more: &[(ParentBlockNumber, DigestItem)]) -> Vec<ParentHeader> {
	let mut items = vec![(12, forced_change_item(list(&pairs()[..3]), 2, 10))];
	items.extend(more.iter().cloned());
	chain(11, finalized.hash(), 16, &items)
}

fn follow(headers: Vec<ParentHeader>, justification: Justification) -> DispatchResultWithPostInfo {
	Inbox::follow_parent_forced_change(
		RuntimeOrigin::signed(RELAY),
		headers.try_into().expect("at most MaxForcedHeaders"),
		ParentJustification::decode(&mut &justification.encode()[..]).expect("encoded alike"),
	)
}

/// The justification of the last of `headers` by `signers` of set `set_id`.
fn justified(headers: &[ParentHeader], set_id: SetId, signers: &[ed25519::Pair]) -> Justification {
	justify(headers.last().unwrap(), 1, set_id, signers)
}

#[test]
fn the_light_client_follows_a_forced_change_justified_by_the_new_set() {
	build_and_execute(|| {
		let finalized = light_client();
		let headers = forced(&finalized, &[]);
		let last = headers.last().unwrap().clone();
		let justification = justified(&headers, 1, &pairs()[..3]);
		let info = follow(headers, justification).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			LIGHT.with(|l| l.borrow().clone()),
			Some(LightClientState {
				set_id: 1,
				voters: list(&pairs()[..3]),
				finalized: (last.hash(), 16)
			})
		);
		assert_eq!(ParentSetStart::<Test>::get(), Some((1, 15)));
		System::assert_last_event(
			Event::ParentSetForced {
				set_id: 1,
				signal: 12,
				median: 10,
				finalized: last.hash(),
				number: 16,
			}
			.into(),
		);
		// Headers under the new last finalized one can be read against.
		assert_eq!(Headers::state_root(&last.hash()), Some(H256::repeat_byte(2)));
	});
}

#[test]
fn a_followed_change_is_not_followed_again() {
	build_and_execute(|| {
		let finalized = light_client();
		let headers = forced(&finalized, &[]);
		let justification = justified(&headers, 1, &pairs()[..3]);
		assert_ok!(follow(headers.clone(), justification.clone()));
		// Below the new set's first block, and the new set is not a part of itself.
		assert_noop!(follow(headers, justification), Error::<Test>::BeforeSetStart);
	});
}

#[test]
fn a_standard_change_in_the_justified_header_is_followed_after_it() {
	build_and_execute(|| {
		let finalized = light_client();
		let headers = forced(&finalized, &[(16, scheduled_change_item(list(&pairs()), 0))]);
		let justification = justified(&headers, 1, &pairs()[..3]);
		assert_ok!(follow(headers, justification));
		assert_eq!(LIGHT.with(|l| l.borrow().as_ref().map(|c| c.set_id)), Some(2));
		assert_eq!(ParentSetStart::<Test>::get(), Some((2, 17)));
	});
}

#[test]
fn nothing_is_followed_without_an_initialized_light_client_or_with_too_large_a_proof() {
	build_and_execute(|| {
		let headers = chain(11, H256::zero(), 16, &[]);
		let justification = justified(&headers, 1, &pairs()[..3]);
		assert_noop!(
			follow(headers.clone(), justification.clone()),
			Error::<Test>::LightClientNotInitialized
		);
		light_client();
		let mut stuffed = justification.clone();
		let vote = stuffed.commit.precommits[0].clone();
		stuffed.commit.precommits.resize(17, vote);
		assert_noop!(follow(headers.clone(), stuffed), Error::<Test>::JustificationTooLarge);
		let mut deep = justification;
		deep.votes_ancestries = chain(17, H256::zero(), 17 + 64, &[]);
		assert_noop!(follow(headers, deep), Error::<Test>::JustificationTooLarge);
	});
}

#[test]
fn headers_that_do_not_link_or_start_too_low_are_refused() {
	build_and_execute(|| {
		let finalized = light_client();
		let headers = forced(&finalized, &[]);
		let justification = justified(&headers, 1, &pairs()[..3]);
		assert_noop!(follow(Vec::new(), justification.clone()), Error::<Test>::NoHeaders);
		assert_noop!(
			follow(headers[1..].to_vec(), justification.clone()),
			Error::<Test>::HeadersNotLinked
		);
		let elsewhere = {
			let mut items = vec![(12, forced_change_item(list(&pairs()[..3]), 2, 10))];
			items.push((11, DigestItem::Other(vec![1])));
			chain(11, H256::repeat_byte(9), 16, &items)
		};
		let other = justified(&elsewhere, 1, &pairs()[..3]);
		assert_noop!(follow(elsewhere, other), Error::<Test>::HeadersNotLinked);
		// Headers from below the last finalized one, through it: only from the set's first
		// block on.
		let lower = chain(9, H256::repeat_byte(5), 10, &[]);
		let finalized = lower[1].clone();
		LIGHT.with(|l| l.borrow_mut().as_mut().unwrap().finalized = (finalized.hash(), 10));
		let through: Vec<ParentHeader> = lower.into_iter().chain(forced(&finalized, &[])).collect();
		let justification = justified(&through, 1, &pairs()[..3]);
		ParentSetStart::<Test>::put((0, 10));
		assert_noop!(follow(through.clone(), justification.clone()), Error::<Test>::BeforeSetStart);
		ParentSetStart::<Test>::put((0, 9));
		assert_ok!(follow(through, justification));
	});
}

#[test]
fn the_changes_in_the_headers_must_be_one_forced_change_in_force_by_the_last() {
	build_and_execute(|| {
		let finalized = light_client();
		let three = || list(&pairs()[..3]);
		// A GRANDPA item that does not decode.
		let garbled =
			DigestItem::Consensus(dbm_primitives::finality::GRANDPA_ENGINE_ID, vec![0xff, 0x01]);
		let cases: Vec<(Vec<ParentHeader>, Error<Test>)> = vec![
			(forced(&finalized, &[(14, garbled)]), Error::<Test>::UnfollowableChange),
			(chain(11, finalized.hash(), 16, &[]), Error::<Test>::NoForcedChange),
			(
				forced(&finalized, &[(15, forced_change_item(list(&pairs()[..2]), 1, 10))]),
				Error::<Test>::TwoForcedChanges,
			),
			(
				chain(
					11,
					finalized.hash(),
					16,
					&[
						(11, scheduled_change_item(list(&pairs()), 0)),
						(12, forced_change_item(three(), 2, 11)),
					],
				),
				Error::<Test>::FinalizedChangeSkipped,
			),
			(forced(&finalized, &[])[..3].to_vec(), Error::<Test>::ForcedChangeNotEnacted),
			(
				forced(&finalized, &[(15, scheduled_change_item(list(&pairs()), 0))]),
				Error::<Test>::ForcedChangeNotEnacted,
			),
		];
		for (headers, error) in cases {
			let justification = justified(&headers, 1, &pairs()[..3]);
			assert_noop!(follow(headers, justification), error);
		}
	});
}

#[test]
fn only_a_strong_enough_part_of_the_set_justified_by_itself_is_followed() {
	build_and_execute(|| {
		let finalized = light_client();
		let with_next = |next: AuthorityList| {
			chain(11, finalized.hash(), 16, &[(12, forced_change_item(next, 2, 10))])
		};
		let stranger = voter("//Mallory");
		let cases: Vec<(AuthorityList, Vec<ed25519::Pair>, Error<Test>)> = vec![
			(
				list(&[pairs()[0], stranger]),
				vec![pairs()[0], stranger],
				Error::<Test>::ForcedSetNotPartOfTheSet,
			),
			(list(&pairs()), pairs(), Error::<Test>::ForcedSetNotPartOfTheSet),
			(list(&pairs()[..1]), pairs()[..1].to_vec(), Error::<Test>::ForcedSetTooWeak),
			// Two of the three only.
			(list(&pairs()[..3]), pairs()[..2].to_vec(), Error::<Test>::InvalidJustification),
		];
		for (next, signers, error) in cases {
			let headers = with_next(next);
			let justification = justified(&headers, 1, &signers);
			assert_noop!(follow(headers, justification), error);
		}
		// The old set's justification of the same headers.
		let headers = with_next(list(&pairs()[..3]));
		let justification = justified(&headers, 0, &pairs());
		assert_noop!(follow(headers, justification), Error::<Test>::InvalidJustification);
	});
}

#[test]
fn the_block_hook_notes_where_a_new_parent_set_started() {
	build_and_execute(|| {
		Inbox::on_initialize(1);
		assert_eq!(ParentSetStart::<Test>::get(), None);
		light_client();
		Inbox::on_initialize(2);
		assert_eq!(ParentSetStart::<Test>::get(), None);
		// The light client imported a standard change and headers up to 30.
		LIGHT.with(|l| {
			let mut client = l.borrow_mut();
			let client = client.as_mut().unwrap();
			client.set_id = 1;
			client.finalized = (H256::repeat_byte(3), 30);
		});
		Inbox::on_initialize(3);
		assert_eq!(ParentSetStart::<Test>::get(), Some((1, 31)));
		LIGHT.with(|l| l.borrow_mut().as_mut().unwrap().finalized.1 = 40);
		Inbox::on_initialize(4);
		assert_eq!(ParentSetStart::<Test>::get(), Some((1, 31)));
	});
}
