//! Building parent state tries and their proofs, for tests and benchmarks.

use alloc::vec::Vec;
use sp_core::H256;
use sp_runtime::traits::BlakeTwo256;
use sp_trie::{LayoutV1, MemoryDB, TrieDBMutBuilder, TrieMut};

/// A state trie holding `entries`: its root and every node of it (a valid proof of any of its
/// keys, present or absent).
pub fn trie(entries: &[(Vec<u8>, Vec<u8>)]) -> (H256, Vec<Vec<u8>>) {
	let mut db = MemoryDB::<BlakeTwo256>::with_hasher(Default::default());
	let mut root = H256::default();
	{
		let mut trie = TrieDBMutBuilder::<LayoutV1<BlakeTwo256>>::new(&mut db, &mut root).build();
		for (key, value) in entries {
			trie.insert(key, value).expect("an in-memory trie takes every entry");
		}
	}
	let nodes =
		db.drain().into_values().filter(|(_, refs)| *refs > 0).map(|(node, _)| node).collect();
	(root, nodes)
}
