//! The invariants `try_state` checks.

use super::*;

#[test]
fn try_state_refuses_entries_of_unknown_sub_chains() {
	new_test_ext().execute_with(|| {
		Inbox::do_try_state().unwrap();
		NextNonce::<Test>::insert(ONE, 1);
		Inbox::do_try_state().unwrap();
		NextNonce::<Test>::insert(SubchainId(9), 1);
		assert!(Inbox::do_try_state().is_err());
		NextNonce::<Test>::remove(SubchainId(9));
		NextNonce::<Test>::insert(TWO, 0);
		assert!(Inbox::do_try_state().is_err());
	});
}
