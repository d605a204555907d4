//! `dbm-node`: the DB-Microgrid node. Everything it does is in the `dbm_service` library; the
//! binary adds its version string, which carries the commit it was built from.

fn main() {
	if let Err(error) = dbm_service::command::run(env!("SUBSTRATE_CLI_IMPL_VERSION")) {
		// One line, no backtrace: bad input is the user's to fix, not a crash.
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
