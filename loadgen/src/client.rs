//! The load generator's connections to one chain: a [`dbm_client::Client`] with a few
//! WebSocket connections used in turn (so that many submissions are in flight at once), and
//! what the chain's signed transactions commit to.

use dbm_client::{ChainContext, Options};
use std::time::{Duration, Instant};

/// Connections to one chain.
pub struct Client {
	rpc: dbm_client::Client,
	/// What its signed transactions commit to.
	pub context: ChainContext,
}

impl std::ops::Deref for Client {
	type Target = dbm_client::Client;
	fn deref(&self) -> &dbm_client::Client {
		&self.rpc
	}
}

impl Client {
	/// Connects `connections` times to `url`, retrying until the node serves and has authored
	/// a block, for at most `timeout`.
	pub async fn connect(
		url: &str,
		connections: usize,
		timeout: Duration,
	) -> Result<Client, String> {
		let start = Instant::now();
		loop {
			match Self::try_connect(url, connections).await {
				Ok(client) if client.best_number().await.unwrap_or_default() > 0 => {
					return Ok(client)
				}
				Ok(_) => {}
				Err(error) if start.elapsed() > timeout => {
					return Err(format!("{url} did not serve within {timeout:?}: {error}"))
				}
				Err(_) => {}
			}
			if start.elapsed() > timeout {
				return Err(format!("{url} authored no block within {timeout:?}"));
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	async fn try_connect(url: &str, connections: usize) -> dbm_client::Result<Client> {
		let options = Options {
			connections,
			request_timeout: Duration::from_secs(60),
			max_concurrent_requests: 4096,
			max_buffer_capacity_per_subscription: 4096,
		};
		let rpc = dbm_client::Client::connect_with(url, options).await?;
		let context = rpc.context().await?;
		Ok(Client { rpc, context })
	}

	/// Submits the SCALE-encoded extrinsic `xt` to the node's pool; a refusal reads as the
	/// node's error code and message.
	pub async fn submit(&self, xt: &[u8]) -> Result<(), String> {
		self.rpc.submit(xt).await.map(|_| ()).map_err(|error| match error.call_error() {
			Some(call) => format!("{} {}", call.code(), call.message()),
			None => error.to_string(),
		})
	}
}
