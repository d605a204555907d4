//! A run summed up: per chain and for all chains together, TPS, latency percentiles, drops,
//! failures and blocks; CPU and memory per process. Printed as a table and written as CSV.

use crate::{
	args::{Args, Layout, Workload},
	tracker::Tracker,
};
use std::{
	collections::BTreeMap,
	fmt,
	io::Write,
	path::Path,
	time::{Duration, Instant},
};

/// The 50th, 95th and 99th percentiles of a set of durations, in milliseconds (nearest rank).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Percentiles {
	/// Median.
	pub p50: f64,
	/// 95th percentile.
	pub p95: f64,
	/// 99th percentile.
	pub p99: f64,
	/// How many values.
	pub count: usize,
}

impl Percentiles {
	/// The percentiles of `values` (milliseconds); all zero if there are none.
	pub fn of(mut values: Vec<f64>) -> Percentiles {
		if values.is_empty() {
			return Percentiles::default();
		}
		values.sort_by(f64::total_cmp);
		let rank = |p: f64| {
			let index = ((p / 100.0) * values.len() as f64).ceil() as usize;
			values[index.clamp(1, values.len()) - 1]
		};
		Percentiles { p50: rank(50.0), p95: rank(95.0), p99: rank(99.0), count: values.len() }
	}
}

/// One chain's results, or all chains' (`chain` = `all`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
	/// The chain.
	pub chain: String,
	/// Transactions sent in the window.
	pub sent: usize,
	/// Refused by the node's RPC (pool full, invalid, ...).
	pub refused: usize,
	/// In a block, succeeded.
	pub ok: usize,
	/// In a block, failed (fees paid, nothing done).
	pub failed: usize,
	/// Accepted by the node and in no block by the end of the run (given up on after
	/// `--lost-after`, or still waiting when the run ended).
	pub lost: usize,
	/// Sustained throughput: successful transactions in the blocks of the window, per second.
	pub tps: f64,
	/// Submit to in the best chain.
	pub in_block: Percentiles,
	/// Submit to finalized.
	pub finalized: Percentiles,
	/// Blocks authored in the window.
	pub blocks: usize,
	/// Blocks finalized in the window.
	pub blocks_finalized: usize,
	/// The most successful transactions of the run in one block.
	pub max_per_block: usize,
	/// A sub-chain's block seen to its anchor in a finalized parent block (`--layout double`),
	/// over the blocks of the window.
	pub anchored: Percentiles,
}

/// CPU and memory of one process over the window.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeRow {
	/// The node (`sub-1`, `parent`, ...) or `dbm-bench` itself.
	pub label: String,
	/// Its process id.
	pub pid: u32,
	/// CPU time used in the window per second of it, in percent of one core.
	pub cpu_percent: f64,
	/// The most resident memory sampled in the window, MiB.
	pub rss_max_mib: f64,
	/// The most resident memory the process ever had (`VmHWM`), MiB.
	pub rss_peak_mib: f64,
}

/// A run's results.
#[derive(Clone, Debug)]
pub struct Summary {
	/// The run's name.
	pub label: String,
	/// The layout, workload and rate, as given.
	pub setup: String,
	/// The window, in seconds.
	pub duration: u64,
	/// One row per chain, then `all`.
	pub rows: Vec<Row>,
	/// The processes.
	pub nodes: Vec<NodeRow>,
	/// Failures and refusals by error, over all chains.
	pub errors: BTreeMap<String, usize>,
}

fn millis(from: Instant, to: Instant) -> f64 {
	to.saturating_duration_since(from).as_secs_f64() * 1_000.0
}

/// When the parent was first seen to have finalized an anchor of sub-chain block `number`.
fn anchored_at(tracker: &Tracker, number: u32) -> Option<Instant> {
	tracker.anchored.iter().filter(|(n, _)| *n >= number).map(|(_, at)| *at).min()
}

/// When block `number` was first notified as finalized.
fn finalized_at(tracker: &Tracker, number: u32) -> Option<Instant> {
	tracker.finality.iter().filter(|(n, _)| *n >= number).map(|(_, at)| *at).min()
}

fn row(chain: &str, trackers: &[&Tracker], start: Instant, window: Duration) -> Row {
	let end = start + window;
	let mut row = Row { chain: chain.into(), ..Default::default() };
	let (mut in_block, mut finalized, mut anchored) = (Vec::new(), Vec::new(), Vec::new());
	for tracker in trackers {
		row.sent += tracker.records.len();
		row.refused += tracker.refused;
		row.ok += tracker.ok;
		row.failed += tracker.failed;
		row.lost += tracker.pending + tracker.lost;
		for record in &tracker.records {
			let Some(block) = record.block.and_then(|n| tracker.blocks.get(&n).map(|b| (n, b)))
			else {
				continue;
			};
			in_block.push(millis(record.submitted, block.1.seen));
			if let Some(at) = finalized_at(tracker, block.0) {
				finalized.push(millis(record.submitted, at));
			}
		}
		let in_window = |at: Instant| at >= start && at <= end;
		let ok_in_window: usize =
			tracker.blocks.values().filter(|b| in_window(b.seen)).map(|b| b.ours_ok).sum();
		row.tps += ok_in_window as f64 / window.as_secs_f64();
		row.blocks += tracker.blocks.values().filter(|b| in_window(b.seen)).count();
		let height = |limit: Instant| {
			tracker.finality.iter().filter(|(_, at)| *at <= limit).map(|(n, _)| *n).max()
		};
		if let (Some(first), Some(last)) = (height(start), height(end)) {
			row.blocks_finalized += (last - first) as usize;
		} else if let Some(last) = height(end) {
			let first = tracker.blocks.keys().next().map(|n| n - 1).unwrap_or(last);
			row.blocks_finalized += last.saturating_sub(first) as usize;
		}
		for (number, block) in tracker.blocks.iter().filter(|(_, b)| in_window(b.seen)) {
			if let Some(at) = anchored_at(tracker, *number) {
				anchored.push(millis(block.seen, at));
			}
		}
		row.max_per_block = row
			.max_per_block
			.max(tracker.blocks.values().map(|b| b.ours_ok).max().unwrap_or_default());
	}
	row.in_block = Percentiles::of(in_block);
	row.finalized = Percentiles::of(finalized);
	row.anchored = Percentiles::of(anchored);
	row
}

/// Sums up the run.
pub fn summarize(
	args: &Args,
	start: Instant,
	window: Duration,
	chains: &[(String, Tracker)],
	nodes: Vec<NodeRow>,
) -> Summary {
	let mut rows: Vec<Row> =
		chains.iter().map(|(label, tracker)| row(label, &[tracker], start, window)).collect();
	if chains.len() > 1 {
		let all: Vec<&Tracker> = chains.iter().map(|(_, t)| t).collect();
		rows.push(row("all", &all, start, window));
	}
	let mut errors = BTreeMap::new();
	for (_, tracker) in chains {
		for record in &tracker.records {
			if let Some(error) = &record.failed {
				*errors.entry(format!("failed: {error}")).or_default() += 1;
			}
			if let Some(error) = &record.refused {
				*errors.entry(format!("refused: {error}")).or_default() += 1;
			}
		}
	}
	let layout = match args.layout {
		Layout::Chain => format!("chain {}", args.chain),
		Layout::Double => format!("double layer, parent + {} sub-chains", args.subchains),
	};
	let workload = match args.workload {
		Workload::Transfer => "transfers",
		Workload::Energy => "energy trades",
	};
	Summary {
		label: args.label(),
		setup: format!("{layout}, {workload}, rate {}", args.rate),
		duration: args.duration,
		rows,
		nodes,
		errors,
	}
}

impl fmt::Display for Summary {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(f, "{}: {} for {} s", self.label, self.setup, self.duration)?;
		writeln!(
			f,
			"{:<12} {:>8} {:>8} {:>8} {:>8} {:>6} {:>9}  {:>24}  {:>24} {:>7} {:>7}",
			"chain",
			"sent",
			"ok",
			"failed",
			"refused",
			"lost",
			"TPS",
			"in-block p50/p95/p99 ms",
			"finalized p50/p95/p99 ms",
			"blocks",
			"final"
		)?;
		for row in &self.rows {
			let p = |p: &Percentiles| format!("{:.0}/{:.0}/{:.0}", p.p50, p.p95, p.p99);
			writeln!(
				f,
				"{:<12} {:>8} {:>8} {:>8} {:>8} {:>6} {:>9.1}  {:>24}  {:>24} {:>7} {:>7}",
				row.chain,
				row.sent,
				row.ok,
				row.failed,
				row.refused,
				row.lost,
				row.tps,
				p(&row.in_block),
				p(&row.finalized),
				row.blocks,
				row.blocks_finalized
			)?;
		}
		if self.rows.iter().any(|row| row.anchored.count > 0) {
			writeln!(f, "{:<12} {:>40}", "anchors", "block seen -> anchor final on the parent")?;
			for row in self.rows.iter().filter(|row| row.anchored.count > 0) {
				let p = &row.anchored;
				writeln!(
					f,
					"{:<12} {:>40}",
					row.chain,
					format!(
						"p50/p95/p99 {:.0}/{:.0}/{:.0} ms ({} blocks)",
						p.p50, p.p95, p.p99, p.count
					)
				)?;
			}
		}
		writeln!(f, "{:<12} {:>8} {:>12} {:>12}", "process", "CPU %", "RSS max MiB", "peak MiB")?;
		for node in &self.nodes {
			writeln!(
				f,
				"{:<12} {:>8.1} {:>12.1} {:>12.1}",
				node.label, node.cpu_percent, node.rss_max_mib, node.rss_peak_mib
			)?;
		}
		for (error, count) in &self.errors {
			writeln!(f, "{count:>8} x {error}")?;
		}
		Ok(())
	}
}

fn create(dir: &Path, name: &str) -> Result<std::io::BufWriter<std::fs::File>, String> {
	let path = dir.join(name);
	std::fs::File::create(&path)
		.map(std::io::BufWriter::new)
		.map_err(|e| format!("{}: {e}", path.display()))
}

/// A CSV field: quoted when it holds a comma or a quote.
fn field(text: &str) -> String {
	if text.contains([',', '"', '\n']) {
		format!("\"{}\"", text.replace('"', "\"\""))
	} else {
		text.to_string()
	}
}

/// Writes `summary.csv`, `nodes.csv`, `errors.csv`, `txs.csv` and `blocks.csv` into `dir`.
pub fn write(
	dir: &Path,
	summary: &Summary,
	start: Instant,
	chains: &[(String, Tracker)],
) -> Result<(), String> {
	std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
	let io = |e: std::io::Error| format!("writing the results: {e}");
	let label = field(&summary.label);
	let mut out = create(dir, "summary.csv")?;
	writeln!(
		out,
		"label,setup,duration_s,chain,sent,ok,failed,refused,lost,tps,in_block_p50_ms,in_block_p95_ms,in_block_p99_ms,finalized_p50_ms,finalized_p95_ms,finalized_p99_ms,blocks,blocks_finalized,max_per_block,anchored_p50_ms,anchored_p95_ms,anchored_p99_ms"
	)
	.map_err(io)?;
	for row in &summary.rows {
		writeln!(
			out,
			"{label},{},{},{},{},{},{},{},{},{:.2},{:.1},{:.1},{:.1},{:.1},{:.1},{:.1},{},{},{},{:.1},{:.1},{:.1}",
			field(&summary.setup),
			summary.duration,
			row.chain,
			row.sent,
			row.ok,
			row.failed,
			row.refused,
			row.lost,
			row.tps,
			row.in_block.p50,
			row.in_block.p95,
			row.in_block.p99,
			row.finalized.p50,
			row.finalized.p95,
			row.finalized.p99,
			row.blocks,
			row.blocks_finalized,
			row.max_per_block,
			row.anchored.p50,
			row.anchored.p95,
			row.anchored.p99
		)
		.map_err(io)?;
	}
	let mut out = create(dir, "nodes.csv")?;
	writeln!(out, "label,process,pid,cpu_percent,rss_max_mib,rss_peak_mib").map_err(io)?;
	for node in &summary.nodes {
		writeln!(
			out,
			"{label},{},{},{:.1},{:.1},{:.1}",
			node.label, node.pid, node.cpu_percent, node.rss_max_mib, node.rss_peak_mib
		)
		.map_err(io)?;
	}
	let mut out = create(dir, "errors.csv")?;
	writeln!(out, "label,error,count").map_err(io)?;
	for (error, count) in &summary.errors {
		writeln!(out, "{label},{},{count}", field(error)).map_err(io)?;
	}
	let mut txs = create(dir, "txs.csv")?;
	writeln!(txs, "label,chain,kind,submitted_ms,in_block_ms,finalized_ms,outcome").map_err(io)?;
	let mut blocks = create(dir, "blocks.csv")?;
	writeln!(
		blocks,
		"label,chain,number,seen_ms,extrinsics,ours_ok,ours_failed,finalized_ms,anchored_ms"
	)
	.map_err(io)?;
	let at = |instant: Option<Instant>| {
		instant.map(|i| format!("{:.1}", millis(start, i))).unwrap_or_default()
	};
	for (chain, tracker) in chains {
		for record in &tracker.records {
			let block = record.block.and_then(|n| tracker.blocks.get(&n).map(|b| (n, b)));
			let outcome = match (&record.refused, block, &record.failed) {
				(Some(error), _, _) => format!("refused: {error}"),
				(None, None, _) => "lost".into(),
				(None, Some(_), Some(error)) => format!("failed: {error}"),
				(None, Some(_), None) => "ok".into(),
			};
			writeln!(
				txs,
				"{label},{chain},{},{:.1},{},{},{}",
				record.kind,
				millis(start, record.submitted),
				at(block.map(|(_, b)| b.seen)),
				at(block.and_then(|(n, _)| finalized_at(tracker, n))),
				field(&outcome)
			)
			.map_err(io)?;
		}
		for (number, block) in &tracker.blocks {
			writeln!(
				blocks,
				"{label},{chain},{number},{:.1},{},{},{},{},{}",
				millis(start, block.seen),
				block.extrinsics,
				block.ours_ok,
				block.ours_failed,
				at(finalized_at(tracker, *number)),
				at(anchored_at(tracker, *number))
			)
			.map_err(io)?;
		}
	}
	txs.flush().map_err(io)?;
	blocks.flush().map_err(io)?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn percentiles_are_nearest_rank() {
		let p = Percentiles::of((1..=100).map(f64::from).collect());
		assert_eq!((p.p50, p.p95, p.p99, p.count), (50.0, 95.0, 99.0, 100));
		let one = Percentiles::of(vec![7.0]);
		assert_eq!((one.p50, one.p99), (7.0, 7.0));
		assert_eq!(Percentiles::of(vec![]), Percentiles::default());
	}

	#[test]
	fn an_anchor_counts_from_the_first_parent_block_that_holds_it_or_a_later_one() {
		let t0 = Instant::now();
		let at = |ms: u64| t0 + Duration::from_millis(ms);
		let mut tracker = Tracker::default();
		tracker.anchored = vec![(3, at(1_000)), (7, at(2_000)), (8, at(3_000))];
		assert_eq!(anchored_at(&tracker, 1), Some(at(1_000)));
		assert_eq!(anchored_at(&tracker, 4), Some(at(2_000)), "anchored with block 7");
		assert_eq!(anchored_at(&tracker, 8), Some(at(3_000)));
		assert_eq!(anchored_at(&tracker, 9), None, "never anchored");
	}

	#[test]
	fn csv_fields_are_quoted_when_needed() {
		assert_eq!(field("ok"), "ok");
		assert_eq!(field("a, b"), "\"a, b\"");
		assert_eq!(field("say \"x\""), "\"say \"\"x\"\"\"");
	}
}
