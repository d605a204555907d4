//! `dbm-node`: the DB-Microgrid node. Everything it does is in the `dbm_node` library.

fn main() {
	if let Err(error) = dbm_node::command::run() {
		// One line, no backtrace: bad input is the user's to fix, not a crash.
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
