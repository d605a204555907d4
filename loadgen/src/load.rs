//! One run: start the nodes, prepare the workload, offer the load for the window, follow the
//! blocks, let the last transactions settle, and sum it up.

use crate::{
	args::{Args, Layout, Rate, Workload},
	client::Client,
	nodes::{self, NodeProcess, ProcSample},
	report::{self, Summary},
	tracker::Tracker,
	workload::{self, Runtime, Trader},
};
use dbm_primitives::{registry::AnchorHead, SubchainId};
use sp_runtime::traits::Header as _;
use std::{
	collections::{HashMap, VecDeque},
	io::IsTerminal,
	path::PathBuf,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};
use tokio::sync::mpsc;

/// How long the nodes may take to start serving and authoring.
const START_TIMEOUT: Duration = Duration::from_secs(240);
/// WebSocket connections per chain.
const CONNECTIONS: usize = 4;

/// A chain under load.
struct Chain {
	label: String,
	runtime: Runtime,
	client: Arc<Client>,
	tracker: Arc<Mutex<Tracker>>,
}

/// What a chain's generator sends.
enum Source {
	/// Pre-signed transactions in the order to send them, each with its signer's index.
	Presigned(Vec<(usize, Vec<u8>)>),
	/// Traders whose transactions are signed as they are sent.
	Energy(Vec<Trader>),
}

fn lock(tracker: &Mutex<Tracker>) -> std::sync::MutexGuard<'_, Tracker> {
	tracker.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn default_node() -> Result<PathBuf, String> {
	let me = std::env::current_exe().map_err(|e| format!("where is dbm-bench: {e}"))?;
	let node = me.with_file_name("dbm-node");
	if node.is_file() {
		Ok(node)
	} else {
		Err(format!("no dbm-node next to dbm-bench ({}): give --node", node.display()))
	}
}

/// Runs the experiment `args` describes and sums it up (also into `--out`, if given).
pub async fn run(args: Args) -> Result<Summary, String> {
	let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
		.map_err(|e| format!("cannot handle SIGTERM: {e}"))?;
	// Dropping the run's future stops its nodes.
	tokio::select! {
		result = run_until_done(args) => result,
		_ = tokio::signal::ctrl_c() => Err("interrupted; the nodes were stopped".into()),
		_ = terminate.recv() => Err("terminated; the nodes were stopped".into()),
	}
}

async fn run_until_done(args: Args) -> Result<Summary, String> {
	let binary = match &args.node {
		Some(path) => path.clone(),
		None => default_node()?,
	};
	let dev = |chain: &str| vec!["--dev".to_string(), "--chain".into(), chain.into()];
	// The processes (stopped when dropped) and the chains under load: label, chain, url.
	let mut processes = Vec::new();
	let mut targets = Vec::new();
	// The parent of `--layout double`, whose anchors of the sub-chains are followed too.
	let mut parent_url = None;
	match args.layout {
		Layout::Chain if args.validators > 1 => {
			let validators = nodes::validators(&binary, &args.chain, args.validators as usize)?;
			for (label, node_args, rpc, p2p) in validators {
				processes.push(NodeProcess::start_on(&binary, &label, &node_args, rpc, p2p)?);
			}
			targets.push((args.chain.clone(), processes[0].url()));
		}
		Layout::Chain => {
			let node = NodeProcess::start(&binary, &args.chain, &dev(&args.chain))?;
			targets.push((args.chain.clone(), node.url()));
			processes.push(node);
		}
		Layout::Double => {
			let mut parent_args = dev("parent-dev");
			parent_args.extend(["--subchains".into(), args.subchains.to_string()]);
			let parent = NodeProcess::start(&binary, "parent", &parent_args)?;
			let url = parent.url();
			processes.push(parent);
			Client::connect(&url, 1, START_TIMEOUT).await?;
			for n in 1..=args.subchains {
				let chain = format!("sub-{n}");
				let mut sub_args = dev(&chain);
				sub_args.extend(["--parent-rpc".into(), url.clone()]);
				let node = NodeProcess::start(&binary, &chain, &sub_args)?;
				targets.push((chain, node.url()));
				processes.push(node);
			}
			parent_url = Some(url);
		}
	}
	let progress = !args.quiet;
	if progress {
		eprintln!(
			"dbm-bench: {} node process(es) started; preparing {} chain(s)",
			processes.len(),
			targets.len()
		);
	}

	// Connect and prepare every chain at once.
	let prepared = futures::future::join_all(targets.iter().map(|(chain, url)| {
		let args = &args;
		async move {
			let client = Client::connect(url, CONNECTIONS, START_TIMEOUT).await?;
			let runtime = Runtime::of(chain);
			let source = match args.workload {
				Workload::Transfer => {
					let count = match args.rate {
						Rate::PerSecond(rate) => (rate * args.duration as f64).ceil() as usize,
						Rate::Max => args.max_tps as usize * args.duration as usize,
					};
					let accounts = workload::bench_accounts(args.accounts);
					Source::Presigned(
						workload::prepare_transfers(&client, runtime, &accounts, count).await?,
					)
				}
				Workload::Energy => {
					if runtime == Runtime::Parent {
						return Err(format!("{chain} has no energy market"));
					}
					let mut members = workload::members_of(chain)?;
					members.truncate(args.members.unwrap_or(usize::MAX));
					Source::Energy(workload::prepare_energy(&client, members).await?)
				}
			};
			let chain = Chain {
				label: chain.clone(),
				runtime,
				client: Arc::new(client),
				tracker: Default::default(),
			};
			Ok::<_, String>((chain, source))
		}
	}))
	.await
	.into_iter()
	.collect::<Result<Vec<_>, _>>()?;
	for process in &mut processes {
		process.check_alive()?;
	}

	// Follow every chain from its best block on.
	let stop = Arc::new(AtomicBool::new(false));
	let mut followers = Vec::new();
	for (chain, _) in &prepared {
		let from = chain.client.best_number().await?;
		followers.push(tokio::spawn(follow_heads(
			chain.client.clone(),
			chain.runtime,
			chain.tracker.clone(),
			from,
			stop.clone(),
		)));
		followers.push(tokio::spawn(follow_finality(
			chain.client.clone(),
			chain.tracker.clone(),
			stop.clone(),
		)));
	}

	if let Some(url) = &parent_url {
		let parent = Arc::new(Client::connect(url, 1, START_TIMEOUT).await?);
		let subchains = prepared
			.iter()
			.map(|(chain, _)| {
				let id = chain.label.strip_prefix("sub-").and_then(|n| n.parse().ok());
				let id =
					id.ok_or_else(|| format!("{} is not a sub-chain `sub-<N>`", chain.label))?;
				Ok((SubchainId(id), chain.tracker.clone()))
			})
			.collect::<Result<Vec<_>, String>>()?;
		followers.push(tokio::spawn(follow_anchors(parent, subchains, stop.clone())));
	}

	// The window.
	let pids: Vec<(String, u32)> =
		processes.iter().filter_map(|p| Some((p.label.clone(), p.pid()?))).collect();
	let mut observed: Vec<(String, u32)> = pids.clone();
	observed.push(("dbm-bench".into(), std::process::id()));
	let first: Vec<Option<ProcSample>> =
		observed.iter().map(|(_, pid)| nodes::sample(*pid)).collect();
	let mut max_rss: Vec<u64> =
		first.iter().map(|s| s.map(|s| s.rss_kib).unwrap_or_default()).collect();
	let start = Instant::now();
	let window = Duration::from_secs(args.duration);
	let deadline = start + window;
	let mut generators = Vec::new();
	let mut chains = Vec::new();
	for (chain, source) in prepared {
		generators.push(tokio::spawn(generate(
			chain.client.clone(),
			chain.tracker.clone(),
			source,
			args.rate,
			args.backlog,
			Duration::from_secs(args.lost_after),
			start,
			deadline,
		)));
		chains.push(chain);
	}
	let mut last = first.clone();
	let mut latest = first.clone();
	// When the first and the last samples in the window were taken, for the CPU rates.
	let sampled_from = Instant::now();
	let mut sampled_to = sampled_from;
	let is_tty = std::io::stderr().is_terminal();
	let mut printed = Instant::now();
	while Instant::now() < deadline {
		tokio::time::sleep(Duration::from_secs(1)).await;
		for (i, (_, pid)) in observed.iter().enumerate() {
			if let Some(sample) = nodes::sample(*pid) {
				max_rss[i] = max_rss[i].max(sample.rss_kib);
				latest[i] = Some(sample);
				if Instant::now() <= deadline {
					last[i] = Some(sample);
					sampled_to = Instant::now();
				}
			}
		}
		for process in &mut processes {
			process.check_alive()?;
		}
		if progress && (is_tty || printed.elapsed() >= Duration::from_secs(10)) {
			printed = Instant::now();
			let line = progress_line(&chains, start, window);
			if is_tty {
				eprint!("\r{line}\x1b[K");
			} else {
				eprintln!("{line}");
			}
		}
	}
	for generator in generators {
		generator.await.map_err(|e| format!("a generator failed: {e}"))??;
	}
	if progress && is_tty {
		eprintln!();
	}

	// Let what was sent reach a block and finality.
	let settle_until = Instant::now() + Duration::from_secs(args.settle);
	while Instant::now() < settle_until {
		let settled = chains.iter().all(|chain| {
			let tracker = lock(&chain.tracker);
			let last_ours = tracker
				.blocks
				.iter()
				.rev()
				.find(|(_, b)| b.ours_ok + b.ours_failed > 0)
				.map(|(n, _)| *n);
			tracker.pending == 0 && last_ours.is_none_or(|n| tracker.finalized() >= n)
		});
		if settled {
			break;
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	stop.store(true, Ordering::Relaxed);
	for follower in followers {
		match follower.await {
			Ok(Ok(())) => {}
			Ok(Err(error)) => return Err(error),
			Err(error) => return Err(format!("a follower failed: {error}")),
		}
	}

	let ticks = nodes::clock_ticks() as f64;
	let resources: Vec<report::NodeRow> = observed
		.iter()
		.enumerate()
		.map(|(i, (label, pid))| {
			let cpu = match (first[i], last[i]) {
				(Some(a), Some(b)) if sampled_to > sampled_from => {
					let seconds = sampled_to.duration_since(sampled_from).as_secs_f64();
					b.cpu_ticks.saturating_sub(a.cpu_ticks) as f64 / ticks / seconds * 100.0
				}
				_ => 0.0,
			};
			report::NodeRow {
				label: label.clone(),
				pid: *pid,
				cpu_percent: cpu,
				rss_max_mib: max_rss[i] as f64 / 1024.0,
				rss_peak_mib: latest[i].map(|s| s.peak_rss_kib as f64 / 1024.0).unwrap_or_default(),
			}
		})
		.collect();
	let per_chain: Vec<(String, Tracker)> = chains
		.into_iter()
		.map(|chain| {
			let tracker = std::mem::take(&mut *lock(&chain.tracker));
			(chain.label, tracker)
		})
		.collect();
	if let Some(out) = &args.out {
		let logs = out.join("logs");
		std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
		for process in &processes {
			process.copy_log(&logs.join(format!("{}.log", process.label)))?;
		}
	}
	if let Some(dir) = &args.keep_databases {
		for process in &mut processes {
			process.stop_keeping_database(&dir.join(&process.label))?;
		}
	}
	drop(processes);
	let summary = report::summarize(&args, start, window, &per_chain, resources);
	if let Some(out) = &args.out {
		report::write(out, &summary, start, &per_chain)?;
	}
	Ok(summary)
}

/// One line of progress: time, and the totals of every chain.
fn progress_line(chains: &[Chain], start: Instant, window: Duration) -> String {
	let (mut sent, mut ok, mut failed, mut refused, mut pending, mut lost, mut recent) =
		(0, 0, 0, 0, 0, 0, 0);
	let now = Instant::now();
	for chain in chains {
		let tracker = lock(&chain.tracker);
		sent += tracker.records.len();
		ok += tracker.ok;
		failed += tracker.failed;
		refused += tracker.refused;
		pending += tracker.pending;
		lost += tracker.lost;
		recent += tracker
			.blocks
			.values()
			.filter(|b| now.duration_since(b.seen) <= Duration::from_secs(12))
			.map(|b| b.ours_ok)
			.sum::<usize>();
	}
	let elapsed = now.duration_since(start).min(window);
	let width = 24;
	let done = (elapsed.as_secs_f64() / window.as_secs_f64() * width as f64) as usize;
	format!(
		"[{}{}] {:>4}/{} s  sent {sent}  ok {ok}  failed {failed}  refused {refused}  lost {lost}  waiting {pending}  ~{:.0} ok/s",
		"#".repeat(done),
		"-".repeat(width - done.min(width)),
		elapsed.as_secs(),
		window.as_secs(),
		recent as f64 / 12.0,
	)
}

/// Sends `source`'s transactions to `client` until `deadline`, at `rate` or keeping
/// `backlog` waiting for a block.
async fn generate(
	client: Arc<Client>,
	tracker: Arc<Mutex<Tracker>>,
	source: Source,
	rate: Rate,
	backlog: usize,
	lost_after: Duration,
	start: Instant,
	deadline: Instant,
) -> Result<(), String> {
	let (mut presigned, mut traders) = match source {
		Source::Presigned(xts) => (xts.into_iter(), Vec::new()),
		Source::Energy(traders) => (Vec::new().into_iter(), traders),
	};
	// One lane per signer: its transactions are sent one after the other, each once the node
	// has answered the one before, so they reach the pool in nonce order. Sent all at once,
	// later nonces would overtake earlier ones and wait in the pool's small future queue.
	let mut lanes: HashMap<usize, mpsc::UnboundedSender<(usize, Vec<u8>)>> = HashMap::new();
	let mut sent = 0usize;
	let mut turn = 0usize;
	let mut ticker = tokio::time::interval(Duration::from_millis(5));
	ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
	let mut swept = Instant::now();
	while Instant::now() < deadline {
		ticker.tick().await;
		if swept.elapsed() >= Duration::from_secs(1) {
			swept = Instant::now();
			lock(&tracker).expire(lost_after);
		}
		let due = match rate {
			Rate::PerSecond(rate) => {
				((start.elapsed().as_secs_f64() * rate) as usize).saturating_sub(sent)
			}
			Rate::Max => backlog.saturating_sub(lock(&tracker).pending),
		};
		for _ in 0..due {
			let (kind, xt, signer) = if traders.is_empty() {
				match presigned.next() {
					Some((signer, xt)) => ("transfer_keep_alive", xt, signer),
					None => return Ok(()),
				}
			} else {
				let index = turn % traders.len();
				turn += 1;
				let next_supply = traders[(index + 1) % traders.len()].supply;
				let (resync, confirm) = {
					let mut tracker = lock(&tracker);
					let account = &traders[index].account;
					let confirm =
						tracker.confirmable.get_mut(account).and_then(VecDeque::pop_front);
					(tracker.resync.remove(&index), confirm)
				};
				let trader = &mut traders[index];
				if resync {
					trader.nonce = client.next_nonce(&trader.account).await?;
				}
				let (kind, xt) =
					workload::energy_transaction(trader, next_supply, confirm, client.context);
				(kind, xt, index)
			};
			let hash = sp_io::hashing::blake2_256(&xt);
			let index = lock(&tracker).sent(hash, kind, signer);
			let lane = lanes.entry(signer).or_insert_with(|| {
				let (lane, mut queue) = mpsc::unbounded_channel::<(usize, Vec<u8>)>();
				let (client, tracker) = (client.clone(), tracker.clone());
				tokio::spawn(async move {
					while let Some((index, xt)) = queue.recv().await {
						if let Err(error) = client.submit(&xt).await {
							lock(&tracker).refuse(index, error);
						}
					}
				});
				lane
			});
			lane.send((index, xt)).map_err(|_| "a submission lane closed".to_string())?;
			sent += 1;
		}
	}
	Ok(())
}

/// The key of `System::Events`.
fn events_key() -> Vec<u8> {
	[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat()
}

/// Records every new best block after `from`: its extrinsics matched with what was sent, and
/// their outcomes from its events.
async fn follow_heads(
	client: Arc<Client>,
	runtime: Runtime,
	tracker: Arc<Mutex<Tracker>>,
	from: u32,
	stop: Arc<AtomicBool>,
) -> Result<(), String> {
	let mut heads = client.new_heads().await?;
	let mut last = from;
	let key = events_key();
	while !stop.load(Ordering::Relaxed) {
		let header = match tokio::time::timeout(Duration::from_millis(500), heads.next()).await {
			Err(_) => continue,
			Ok(None) => return Err("the node closed the new heads subscription".into()),
			Ok(Some(header)) => header.map_err(|e| format!("new heads: {e}"))?,
		};
		let seen = Instant::now();
		let number = *header.number();
		// Notifications may skip blocks: fetch all of them.
		for n in last + 1..=number {
			let hash = client.block_hash(n).await?.ok_or_else(|| format!("no block #{n}"))?;
			let xts = client.block_extrinsics(hash).await?;
			let events = client.storage_bytes(&key, Some(hash)).await?.unwrap_or_default();
			let outcomes = workload::outcomes(runtime, &events)?;
			lock(&tracker).block(n, seen, &xts, outcomes);
		}
		last = last.max(number);
	}
	Ok(())
}

/// Records, for each sub-chain, its last anchor in every finalized parent block, when it moves
/// on: when a sub-chain block became final on the parent.
async fn follow_anchors(
	parent: Arc<Client>,
	subchains: Vec<(SubchainId, Arc<Mutex<Tracker>>)>,
	stop: Arc<AtomicBool>,
) -> Result<(), String> {
	let mut heads = parent.finalized_heads().await?;
	let mut last: Vec<Option<u32>> = vec![None; subchains.len()];
	while !stop.load(Ordering::Relaxed) {
		let header = match tokio::time::timeout(Duration::from_millis(500), heads.next()).await {
			Err(_) => continue,
			Ok(None) => return Err("the parent closed the finalized heads subscription".into()),
			Ok(Some(header)) => header.map_err(|e| format!("parent finalized heads: {e}"))?,
		};
		let seen = Instant::now();
		let hash = header.hash();
		for (i, (id, tracker)) in subchains.iter().enumerate() {
			let head: Option<AnchorHead<u32>> =
				parent.runtime_call("RegistryApi_last_anchor", id, Some(hash)).await?;
			let Some(number) = head.map(|head| head.number) else { continue };
			if last[i].is_none_or(|before| number > before) {
				last[i] = Some(number);
				lock(tracker).anchored.push((number, seen));
			}
		}
	}
	Ok(())
}

/// Records the finalized heads as they are notified.
async fn follow_finality(
	client: Arc<Client>,
	tracker: Arc<Mutex<Tracker>>,
	stop: Arc<AtomicBool>,
) -> Result<(), String> {
	let mut heads = client.finalized_heads().await?;
	while !stop.load(Ordering::Relaxed) {
		let header = match tokio::time::timeout(Duration::from_millis(500), heads.next()).await {
			Err(_) => continue,
			Ok(None) => return Err("the node closed the finalized heads subscription".into()),
			Ok(Some(header)) => header.map_err(|e| format!("finalized heads: {e}"))?,
		};
		let number = *header.number();
		lock(&tracker).finality.push((number, Instant::now()));
	}
	Ok(())
}
