use substrate_build_script_utils::{generate_cargo_keys, rerun_if_git_head_changed};

fn main() {
	// The version string `dbm-node --version` prints carries the commit.
	generate_cargo_keys();
	rerun_if_git_head_changed();
}
