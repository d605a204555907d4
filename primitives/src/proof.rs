//! Reading one layer's state on the other: a value under a key, from a storage proof (the trie
//! nodes on the path to it) against a state root the reader already trusts — a parent header
//! the sub-chain's light client finalized, or a sub-chain header anchored on the parent.

use alloc::vec::Vec;
use codec::Decode;
use sp_core::H256;
use sp_runtime::traits::BlakeTwo256;
use sp_trie::{LayoutV1, MemoryDB, StorageProof, TrieDBMutBuilder, TrieMut};

/// A storage proof: the trie nodes, each SCALE-encoded as bytes.
pub type RawProof = Vec<Vec<u8>>;

/// Why a proof proves nothing.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum ProofError {
	/// More nodes or bytes than the reader takes.
	TooLarge,
	/// The nodes do not lead from the root to the key (forged, or incomplete).
	Invalid,
	/// The value under the key is not of the expected type.
	Undecodable,
}

/// The total size of a proof's nodes, in bytes.
pub fn proof_size(proof: &[Vec<u8>]) -> u32 {
	proof.iter().map(|node| node.len() as u32).fold(0, u32::saturating_add)
}

/// The value under `key` in the state with `root`, as `proof` shows it: `None` if the proof
/// shows there is none. A proof of more than `max_nodes` nodes or `max_size` bytes is refused
/// before any hashing.
pub fn read<V: Decode>(
	root: H256,
	proof: RawProof,
	key: &[u8],
	max_nodes: u32,
	max_size: u32,
) -> Result<Option<V>, ProofError> {
	if proof.len() > max_nodes as usize || proof_size(&proof) > max_size {
		return Err(ProofError::TooLarge);
	}
	let db = StorageProof::new(proof).into_memory_db::<BlakeTwo256>();
	let value = sp_trie::read_trie_value::<LayoutV1<BlakeTwo256>, _>(&db, &root, key, None, None)
		.map_err(|_| ProofError::Invalid)?;
	value.map(|bytes| V::decode(&mut &bytes[..]).map_err(|_| ProofError::Undecodable)).transpose()
}

/// A state trie holding `entries`: its root and every node of it (a valid proof of any of its
/// keys, present or absent). For tests and benchmarks.
pub fn trie(entries: &[(Vec<u8>, Vec<u8>)]) -> (H256, RawProof) {
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

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	#[test]
	fn a_proof_reads_what_the_trie_holds_and_nothing_else() {
		let entries = [(b"a".to_vec(), 7u64.encode()), (b"b".to_vec(), 9u64.encode())];
		let (root, proof) = trie(&entries);
		assert_eq!(read::<u64>(root, proof.clone(), b"a", 16, 4096), Ok(Some(7)));
		assert_eq!(read::<u64>(root, proof.clone(), b"c", 16, 4096), Ok(None));
		assert_eq!(
			read::<u64>(H256::repeat_byte(1), proof.clone(), b"a", 16, 4096),
			Err(ProofError::Invalid)
		);
		assert_eq!(read::<u64>(root, Vec::new(), b"a", 16, 4096), Err(ProofError::Invalid));
		assert_eq!(
			read::<[u8; 32]>(root, proof.clone(), b"a", 16, 4096),
			Err(ProofError::Undecodable)
		);
		assert_eq!(read::<u64>(root, proof.clone(), b"a", 0, 4096), Err(ProofError::TooLarge));
		assert_eq!(read::<u64>(root, proof, b"a", 16, 1), Err(ProofError::TooLarge));
	}
}
