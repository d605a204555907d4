//! Assembles a full node of either layer: client, database (ParityDB), transaction pool,
//! networking, Aura block production, GRANDPA finality and the RPC server.
//!
//! The service is generic over the runtime API type, so the parent chain and the sub-chains
//! share this code while each keeps its own runtime APIs for its RPC.

pub use crate::full_client::{FullClient, HostFunctions};
pub use crate::layer::RuntimeApiOf;

use crate::chain_spec::{Extensions, Layer};
use dbm_parent_runtime::apis::RuntimeApi as ParentRuntimeApi;
use dbm_primitives::Block;
use dbm_relay::RelayConfig;
use dbm_sub_runtime::apis::RuntimeApi as SubRuntimeApi;
use sc_client_api::BlockBackend;
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_network::config::NetworkBackendType;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_consensus_aura::sr25519::AuthorityPair as AuraPair;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport<RA> =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient<RA>, FullSelectChain>;
type GrandpaLinkHalf<RA> = sc_consensus_grandpa::LinkHalf<Block, FullClient<RA>, FullSelectChain>;

/// The parts of a node that the chain-maintenance commands (`check-block`, `revert`, ...) need
/// before the full service exists.
pub type PartialComponents<RA> = sc_service::PartialComponents<
	FullClient<RA>,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient<RA>>,
	(GrandpaBlockImport<RA>, GrandpaLinkHalf<RA>, Option<Telemetry>),
>;

/// Builds the client, database, import queue and transaction pool of a chain.
pub fn new_partial<RA: RuntimeApiOf>(
	config: &Configuration,
) -> Result<PartialComponents<RA>, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RA, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		RA::JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let slot_client = client.clone();
	let import_queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(
		ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let slot_client = slot_client.clone();
				async move {
					let slot_duration = sc_consensus_aura::standalone::slot_duration_at(
						&*slot_client,
						parent_hash,
					)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
						*timestamp,
						slot_duration,
					);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		},
	)?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// Builds and starts a full node (authoring and voting when the keystore holds authority keys;
/// relaying to the parent with `relay`).
pub fn new_full<RA, N>(
	config: Configuration,
	relay: Option<RelayConfig>,
) -> Result<TaskManager, ServiceError>
where
	RA: RuntimeApiOf,
	N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>,
{
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial::<RA>(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			net_config.peer_store_handle(),
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::new(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let gossip_duration = Extensions::of(&*config.chain_spec).grandpa_gossip_duration();
	let prometheus_registry = config.prometheus_registry().cloned();

	let shared_voter_state = SharedVoterState::empty();
	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		// `grandpa_*`: the finality proofs a sub-chain's light client of this chain takes.
		let authority_set = grandpa_link.shared_authority_set().clone();
		let justifications = grandpa_link.justification_stream();
		let voter_state = shared_voter_state.clone();
		let finality_proofs = sc_consensus_grandpa::FinalityProofProvider::new_for_service(
			backend.clone(),
			Some(authority_set.clone()),
		);
		Box::new(move |executor| {
			use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
			let mut module = dbm_node_rpc::create_full(dbm_node_rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
			})?;
			RA::merge_layer_rpc(&mut module, client.clone())?;
			module
				.merge(
					Grandpa::new(
						executor,
						authority_set.clone(),
						voter_state.clone(),
						justifications.clone(),
						finality_proofs.clone(),
					)
					.into_rpc(),
				)
				.map_err(|e| ServiceError::Other(e.to_string()))?;
			Ok(module)
		})
	};

	// For the relay: the newest justification this node's GRANDPA made (as it makes them), or
	// for a block of an earlier voter set the justification of the set's last block.
	let prove: Option<dbm_relay::ProveFinality> = relay.as_ref().map(|_| {
		let newest = Arc::new(std::sync::Mutex::new(None::<(u32, Vec<u8>)>));
		let mut made = grandpa_link.justification_stream().subscribe(1_000);
		let slot = newest.clone();
		task_manager.spawn_handle().spawn("dbm-newest-justification", Some("relay"), async move {
			use codec::Encode;
			use futures::StreamExt;
			while let Some(justification) = made.next().await {
				let (number, _) = justification.target();
				let encoded = justification.justification.encode();
				*slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) =
					Some((number, encoded));
			}
		});
		let proofs = sc_consensus_grandpa::FinalityProofProvider::new_for_service(
			backend.clone(),
			Some(grandpa_link.shared_authority_set().clone()),
		);
		Arc::new(move |number| {
			let newest = newest.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
			if let Some((target, encoded)) = newest.filter(|(target, _)| *target >= number) {
				log::trace!(target: "dbm-relay", "the newest justification, of #{target}");
				return Ok(Some(encoded));
			}
			proofs
				.prove_finality_proof(number, false)
				.map(|proof| proof.map(|proof| proof.justification))
				.map_err(|e| format!("proving the finality of block #{number}: {e}"))
		}) as dbm_relay::ProveFinality
	});

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if let Some(relay) = relay {
		let submit: dbm_relay::Submit = {
			let pool = transaction_pool.clone();
			let client = client.clone();
			Arc::new(move |xt: Vec<u8>| {
				use codec::Decode;
				use sc_transaction_pool_api::{TransactionPool, TransactionSource};
				use sp_blockchain::HeaderBackend;
				let pool = pool.clone();
				let at = client.info().best_hash;
				Box::pin(async move {
					let xt = sp_runtime::OpaqueExtrinsic::decode(&mut &xt[..])
						.map_err(|e| format!("not a transaction: {e}"))?;
					pool.submit_one(at, TransactionSource::Local, xt)
						.await
						.map(|_| ())
						.map_err(|e| e.to_string())
				})
			})
		};
		let prove = prove.expect("made when there is a relay; qed");
		RA::start_relay(
			&task_manager.spawn_handle(),
			client.clone(),
			submit,
			prove,
			relay,
			prometheus_registry.as_ref(),
		)?;
	}

	if role.is_authority() {
		let mut proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);
		// Blocks as long as both runtimes allow (the SDK's proposer stops at 4 MiB otherwise):
		// a runtime upgrade carries the whole code in one operational transaction.
		proposer_factory
			.set_default_block_size_limit(dbm_runtime_common::MAXIMUM_BLOCK_LENGTH as usize);
		let slot_duration = sc_consensus_aura::slot_duration(&*client)?;

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client: client.clone(),
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
						*timestamp,
						slot_duration,
					);
					Ok((slot, timestamp))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				// However late the previous blocks, a block is built within the same two thirds.
				max_block_proposal_slot_portion: Some(SlotProportion::new(2f32 / 3f32)),
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;
		// Authoring is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa && role.is_authority() {
		// A voter reports its finality's stall, and its return after a forced change left it
		// out (`crate::recovery`).
		task_manager.spawn_handle().spawn(
			"dbm-finality-recovery",
			Some("grandpa"),
			crate::recovery::watch(
				client.clone(),
				keystore_container.keystore(),
				grandpa_link.shared_authority_set().clone(),
				OffchainTransactionPoolFactory::new(transaction_pool.clone()),
				sync_service.clone(),
			),
		);
	}

	if enable_grandpa {
		// Only an authority votes; everyone else follows the justifications.
		let keystore = role.is_authority().then(|| keystore_container.keystore());
		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: sc_consensus_grandpa::Config {
				gossip_duration,
				justification_generation_period: RA::JUSTIFICATION_PERIOD,
				name: Some(name),
				observer_enabled: false,
				keystore,
				local_role: role,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				protocol_name: grandpa_protocol_name,
			},
			link: grandpa_link,
			network,
			sync: sync_service,
			notification_service: grandpa_notification_service,
			// No voting rule: a voter prevotes for its best block. The SDK's default rules keep
			// votes two blocks behind the best and within three quarters of the unfinalized
			// chain, which only delays finality; GRANDPA's safety does not rest on them (they
			// shape the prevote alone, and a precommit still needs two thirds of the voters'
			// prevotes on the block). See `docs/finality.md`.
			voting_rule: (),
			prometheus_registry,
			shared_voter_state,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};
		// Finality is essential: if the voter fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}

/// Starts a full node of the chain `config` describes: the parent or a sub-chain runtime API,
/// as its chain spec's `layer` says, and its relay to the parent if `relay` is given.
///
/// The network is litep2p's, the SDK's default backend. The node is not built for libp2p's
/// (`--network-backend libp2p` is refused): every generic service would otherwise be compiled
/// twice more, for a backend the SDK keeps only in maintenance.
pub fn start(
	config: Configuration,
	relay: Option<RelayConfig>,
) -> Result<TaskManager, ServiceError> {
	type Litep2p = sc_network::Litep2pNetworkBackend;
	if let NetworkBackendType::Libp2p = config.network.network_backend {
		return Err(ServiceError::Other(
			"this node runs litep2p only: drop `--network-backend libp2p`".into(),
		));
	}
	match Extensions::of(&*config.chain_spec).layer {
		Layer::Parent => new_full::<ParentRuntimeApi, Litep2p>(config, relay),
		Layer::Sub => new_full::<SubRuntimeApi, Litep2p>(config, relay),
	}
}
