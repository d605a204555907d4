//! The client a node keeps of its chain: its database and its runtime's wasm executor.

use dbm_primitives::Block;

/// Host functions the runtimes may call. With `runtime-benchmarks` the runtimes also import
/// the benchmarking host functions, so the node provides them too.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = sp_io::SubstrateHostFunctions;
/// Host functions the runtimes may call. With `runtime-benchmarks` the runtimes also import
/// the benchmarking host functions, so the node provides them too.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions =
	(sp_io::SubstrateHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// The client of a chain whose runtime APIs are `RA`.
pub type FullClient<RA> =
	sc_service::TFullClient<Block, RA, sc_executor::WasmExecutor<HostFunctions>>;
