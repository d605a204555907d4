//! The relay's Prometheus metrics, served on the node's endpoint (`--prometheus-port`), all
//! labelled with the sub-chain:
//!
//! | metric | kind | what |
//! | --- | --- | --- |
//! | `dbm_relay_parent_anchor` | gauge | the parent's last anchored block of the sub-chain |
//! | `dbm_relay_local_finalized` | gauge | this node's finalized block when the relay last looked |
//! | `dbm_relay_anchored_blocks_total` | counter | blocks of anchors this relay submitted that the parent included |
//! | `dbm_relay_refusals_total` | counter | anchors the parent's dry run refused |
//! | `dbm_relay_alarm` | gauge | 0: the parent's record is this node's chain; 1: it is a header this node does not have, for longer than a node takes to catch up; 2: it conflicts with a block this node finalized |

use substrate_prometheus_endpoint::{
	register, CounterVec, GaugeVec, Opts, PrometheusError, Registry, U64,
};

/// What [`Metrics::alarm`] says of the parent's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alarm {
	/// The parent's last anchor is this node's block (or one it is catching up to).
	None = 0,
	/// The parent's last anchor is a header this node does not have and has not reached for
	/// [`crate::config::FOREIGN_RECORD_AFTER`].
	ForeignRecord = 1,
	/// The parent's last anchor conflicts with a block this node finalized.
	Conflict = 2,
}

/// The relay's metrics of one sub-chain.
#[derive(Clone)]
pub struct Metrics {
	label: String,
	parent_anchor: GaugeVec<U64>,
	local_finalized: GaugeVec<U64>,
	anchored_blocks: CounterVec<U64>,
	refusals: CounterVec<U64>,
	alarm: GaugeVec<U64>,
	funds: GaugeVec<U64>,
}

impl Metrics {
	/// Registers the metrics in `registry` (one relay per registry: a node runs one chain,
	/// and the development network's chains serve no metrics).
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let gauge = |name: &str, help: &str| {
			register(GaugeVec::<U64>::new(Opts::new(name, help), &["subchain"])?, registry)
		};
		let counter = |name: &str, help: &str| {
			register(CounterVec::<U64>::new(Opts::new(name, help), &["subchain"])?, registry)
		};
		Ok(Metrics {
			label: String::new(),
			parent_anchor: gauge(
				"dbm_relay_parent_anchor",
				"The parent's last anchored block of the sub-chain",
			)?,
			local_finalized: gauge(
				"dbm_relay_local_finalized",
				"This node's finalized sub-chain block",
			)?,
			anchored_blocks: counter(
				"dbm_relay_anchored_blocks_total",
				"Blocks of this relay's anchors the parent included",
			)?,
			refusals: counter("dbm_relay_refusals_total", "Anchors the parent's dry run refused")?,
			alarm: gauge(
				"dbm_relay_alarm",
				"0: the parent's record is this node's chain; 1: a header this node does not \
				 have; 2: a header conflicting with a block this node finalized",
			)?,
			funds: gauge(
				"dbm_relay_relayer_funds_anchors",
				"How many more anchors the relayer's balance on the parent pays for, at the last \
				 anchor's fee",
			)?,
		})
	}

	/// These metrics for `subchain`.
	pub fn of(&self, subchain: dbm_primitives::SubchainId) -> Self {
		Metrics { label: subchain.0.to_string(), ..self.clone() }
	}

	/// The parent's last anchor and this node's finalized block.
	pub fn heights(&self, parent_anchor: u32, local_finalized: u32) {
		self.parent_anchor.with_label_values(&[&self.label]).set(parent_anchor.into());
		self.local_finalized.with_label_values(&[&self.label]).set(local_finalized.into());
	}

	/// `blocks` more blocks anchored.
	pub fn anchored(&self, blocks: u32) {
		self.anchored_blocks.with_label_values(&[&self.label]).inc_by(blocks.into());
	}

	/// One more refusal.
	pub fn refused(&self) {
		self.refusals.with_label_values(&[&self.label]).inc();
	}

	/// What the relay makes of the parent's record now.
	pub fn alarm(&self, alarm: Alarm) {
		self.alarm.with_label_values(&[&self.label]).set(alarm as u64);
	}

	/// How many more anchors the relayer can pay for.
	pub fn funds(&self, anchors: u64) {
		self.funds.with_label_values(&[&self.label]).set(anchors);
	}

	/// The alarm's value, for tests.
	pub fn alarm_value(&self) -> u64 {
		self.alarm.with_label_values(&[&self.label]).get()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_metrics_are_exported_with_the_sub_chain_as_label() {
		let registry = Registry::new();
		let metrics = Metrics::register(&registry).unwrap().of(dbm_primitives::SubchainId(3));
		metrics.alarm(Alarm::Conflict);
		metrics.anchored(3);
		metrics.anchored(2);
		metrics.heights(7, 9);
		metrics.refused();
		assert_eq!(metrics.alarm_value(), 2);
		let text = substrate_prometheus_endpoint::prometheus::TextEncoder::new()
			.encode_to_string(&registry.gather())
			.unwrap();
		for line in [
			"dbm_relay_alarm{subchain=\"3\"} 2",
			"dbm_relay_anchored_blocks_total{subchain=\"3\"} 5",
			"dbm_relay_parent_anchor{subchain=\"3\"} 7",
			"dbm_relay_local_finalized{subchain=\"3\"} 9",
			"dbm_relay_refusals_total{subchain=\"3\"} 1",
		] {
			assert!(text.contains(line), "{line} in {text}");
		}
		// A second relay in the same registry is refused, not silently unexported.
		assert!(Metrics::register(&registry).is_err());
	}
}
