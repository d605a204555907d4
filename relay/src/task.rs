//! The relay's tasks and how they start again after an error.

use crate::{
	anchors,
	config::{ProveFinality, RelayConfig, Submit, LOG, MAX_BACKOFF},
	decisions,
	local::SubchainClient,
	metrics::Metrics,
	seals,
};
use sp_core::Pair;
use std::{
	sync::Arc,
	time::{Duration, Instant},
};

/// Starts the relay of the sub-chain `client` serves: the anchors, elections and messages up
/// to the parent in one task, the parent's decisions down in another, and a third that watches
/// the imported blocks for seal equivocations (see [`seals`]); `pool` takes the
/// relay's sub-chain transactions; `prove` gives the node's newest finality proofs; the
/// relay's [`Metrics`] go to `registry`, the node's Prometheus registry, if it has one.
pub fn spawn<C: SubchainClient>(
	spawner: &sc_service::SpawnTaskHandle,
	client: Arc<C>,
	pool: Submit,
	prove: ProveFinality,
	config: RelayConfig,
	registry: Option<&substrate_prometheus_endpoint::Registry>,
) {
	log::info!(
		target: LOG,
		"relaying to the parent at {} as {}",
		config.parent_rpc,
		dbm_client::ss58(&config.signer.public().into())
	);
	let metrics = registry.and_then(|registry| match Metrics::register(registry) {
		Ok(metrics) => Some(metrics),
		Err(e) => {
			log::warn!(target: LOG, "the relay's metrics cannot be registered: {e}");
			None
		}
	});
	// Two independent tasks: a delivery waiting for the parent never holds up the anchors
	// (without which the parent's record of the sub-chain and its biller's liveness lapse), nor
	// the other way round.
	// The seal equivocations the watcher finds among the imported blocks, for the up task.
	let found = seals::Found::default();
	spawner.spawn("dbm-seals", Some("relay"), seals::watch(client.clone(), found.clone()));
	let up = {
		let (client, config) = (client.clone(), config.clone());
		move || {
			let (client, prove, config) = (client.clone(), prove.clone(), config.clone());
			let (metrics, found) = (metrics.clone(), found.clone());
			async move { anchors::session(&*client, &prove, &config, metrics.as_ref(), &found).await }
		}
	};
	spawner.spawn("dbm-relay", Some("relay"), run("relaying to the parent", up));
	let down = move || {
		let (client, pool, config) = (client.clone(), pool.clone(), config.clone());
		async move { decisions::session(&*client, &pool, &config).await }
	};
	spawner.spawn("dbm-delivery", Some("relay"), run("delivering the parent's decisions", down));
}

/// Runs `session` again and again until the node stops, backing off after each error.
async fn run<S, F>(what: &'static str, session: S)
where
	S: Fn() -> F,
	F: std::future::Future<Output = crate::error::Error>,
{
	let mut backoff = Duration::from_secs(1);
	loop {
		let started = Instant::now();
		let error = session().await;
		log::warn!(target: LOG, "{what}: {error}; trying again in {} s", backoff.as_secs());
		tokio::time::sleep(backoff).await;
		backoff = next_backoff(backoff, started.elapsed());
	}
}

/// The pause after the next error, given the last pause and how long the session that just
/// failed `ran`: doubled up to [`MAX_BACKOFF`], but back to a second after a session that ran
/// for a while (that was no tight failure loop).
pub fn next_backoff(last: Duration, ran: Duration) -> Duration {
	if ran > MAX_BACKOFF {
		Duration::from_secs(1)
	} else {
		(last * 2).min(MAX_BACKOFF)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn quick_failures_double_the_pause_up_to_the_maximum() {
		let quick = Duration::from_millis(10);
		let mut pause = Duration::from_secs(1);
		let mut pauses = Vec::new();
		for _ in 0..7 {
			pause = next_backoff(pause, quick);
			pauses.push(pause.as_secs());
		}
		assert_eq!(pauses, [2, 4, 8, 16, 30, 30, 30]);
	}

	#[test]
	fn a_session_that_ran_for_a_while_starts_the_pauses_over() {
		let long = MAX_BACKOFF + Duration::from_secs(1);
		assert_eq!(next_backoff(MAX_BACKOFF, long), Duration::from_secs(1));
		assert_eq!(next_backoff(MAX_BACKOFF, MAX_BACKOFF), MAX_BACKOFF);
	}
}
