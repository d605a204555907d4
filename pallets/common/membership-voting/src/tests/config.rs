//! The configuration's checks.

use super::*;

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		Voting::integrity_test();
		Voting2::integrity_test();
	});
}
