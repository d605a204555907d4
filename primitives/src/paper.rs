//! The paper's 100-node table (section 4.2) and the biller election over its groups.
//!
//! The table gives, for each node, its DBSCA attributes and a `count` column that the paper
//! presents as the weighted score. The paper splits the nodes by serial number into groups of
//! ten and names each group's biller. Its `count` column does not always agree with its own
//! formula, so both rankings are computed: by `count` and by [`ScoreWeights::score`].

use crate::dbsca::{rank, NodeAttributes, ScoreWeights};
use alloc::{
	format,
	string::{String, ToString},
	vec::Vec,
};
use core::fmt::Write as _;
use sp_runtime::Permill;

/// The paper's table as shipped with the project (`number,renewable,environmental,cost,stable,count`).
pub const PAPER_CSV: &str = include_str!("../tests/data/paper-100-nodes.csv");

/// The billers the paper publishes for its ten groups: (group, node, score as printed).
pub const PAPER_PUBLISHED_BILLERS: [(u32, u32, &str); 10] = [
	(1, 1, "0.538"),
	(2, 16, "0.586"),
	(3, 22, "0.628"),
	(4, 38, "0.591"),
	(5, 46, "0.561"),
	(6, 57, "0.470"),
	(7, 69, "0.541"),
	(8, 77, "0.571"),
	(9, 85, "0.729"),
	(10, 94, "0.751"),
];

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperNode {
	/// Serial number (1-based).
	pub number: u32,
	/// DBSCA attributes.
	pub attributes: NodeAttributes,
	/// The table's `count` column.
	pub count: Permill,
}

/// Parses a decimal in `0..=1` with at most six decimals into parts per million.
pub fn parse_fraction(text: &str) -> Result<Permill, String> {
	let text = text.trim();
	let (int, frac) = text.split_once('.').unwrap_or((text, ""));
	let bad = || format!("`{text}` is not a number from 0 to 1 with at most six decimals");
	if frac.len() > 6 || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
		return Err(bad());
	}
	let int: u32 = if int.is_empty() { 0 } else { int.parse().map_err(|_| bad())? };
	let frac_parts: u32 =
		if frac.is_empty() { 0 } else { format!("{frac:0<6}").parse().map_err(|_| bad())? };
	let parts =
		int.checked_mul(1_000_000).and_then(|p| p.checked_add(frac_parts)).ok_or_else(bad)?;
	if parts > 1_000_000 {
		return Err(bad());
	}
	Ok(Permill::from_parts(parts))
}

/// Parses the table (header line first). Errors name the line.
pub fn parse_csv(text: &str) -> Result<Vec<PaperNode>, String> {
	let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
	let (_, header) = lines.next().ok_or_else(|| "the table is empty".to_string())?;
	let expected = "number,renewable,environmental,cost,stable,count";
	if header.trim() != expected {
		return Err(format!("line 1: expected the header `{expected}`"));
	}
	lines
		.map(|(i, line)| {
			let at = |e: String| format!("line {}: {e}", i + 1);
			let cols: Vec<&str> = line.split(',').map(str::trim).collect();
			if cols.len() != 6 {
				return Err(at(format!("expected 6 columns, found {}", cols.len())));
			}
			let renewable = match cols[1] {
				"1" => true,
				"0" => false,
				other => return Err(at(format!("renewable must be 0 or 1, not `{other}`"))),
			};
			Ok(PaperNode {
				number: cols[0].parse().map_err(|_| at(format!("bad number `{}`", cols[0])))?,
				attributes: NodeAttributes {
					renewable,
					environmental: parse_fraction(cols[2]).map_err(at)?,
					cost: parse_fraction(cols[3]).map_err(at)?,
					stability: parse_fraction(cols[4]).map_err(at)?,
				},
				count: parse_fraction(cols[5]).map_err(at)?,
			})
		})
		.collect()
}

/// The election in one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupElection {
	/// Group number (1-based).
	pub group: u32,
	/// Serial numbers of the first and last member.
	pub members: (u32, u32),
	/// The winner by the table's `count` column, and its count.
	pub by_count: (u32, Permill),
	/// The winner by the weighted formula, and its score.
	pub by_formula: (u32, Permill),
	/// The formula's score of the node that wins by `count`.
	pub formula_score_of_count_winner: Permill,
}

/// Splits `nodes` (in serial order) into groups of `group_size` and elects each group's
/// biller both ways. Ties go to the lower serial number.
pub fn elect_groups(
	nodes: &[PaperNode],
	weights: &ScoreWeights,
	group_size: usize,
) -> Result<Vec<GroupElection>, String> {
	if group_size == 0 {
		return Err("the group size must be at least 1".into());
	}
	weights.validate().map_err(|e| format!("invalid weights: {e:?}"))?;
	let mut sorted = nodes.to_vec();
	sorted.sort_by_key(|n| n.number);
	Ok(sorted
		.chunks(group_size)
		.enumerate()
		.filter_map(|(i, group)| {
			let by_count = rank(&group.iter().map(|n| (n.number, n.count)).collect::<Vec<_>>());
			let by_formula = rank(
				&group.iter().map(|n| (n.number, weights.score(&n.attributes))).collect::<Vec<_>>(),
			);
			let count_winner = *by_count.first()?;
			let formula_winner = *by_formula.first()?;
			let formula_of_count = by_formula.iter().find(|(n, _)| *n == count_winner.0)?.1;
			Some(GroupElection {
				group: i as u32 + 1,
				members: (group.first()?.number, group.last()?.number),
				by_count: count_winner,
				by_formula: formula_winner,
				formula_score_of_count_winner: formula_of_count,
			})
		})
		.collect())
}

/// A fraction as a decimal with six places.
pub fn decimal(p: Permill) -> String {
	let parts = p.deconstruct();
	format!("{}.{:06}", parts / 1_000_000, parts % 1_000_000)
}

/// The elections as a Markdown table, with the paper's published billers where the grouping is
/// the paper's (groups of ten).
pub fn render(elections: &[GroupElection], weights: &ScoreWeights, group_size: usize) -> String {
	let pct = |p: Permill| decimal(p);
	let mut out = String::new();
	let _ = writeln!(
		out,
		"DBSCA biller election, groups of {group_size} by serial number; weights renewable {}, environmental {}, cost {}, stable {}",
		pct(weights.renewable),
		pct(weights.environmental),
		pct(weights.cost),
		pct(weights.stability)
	);
	let _ = writeln!(out);
	let paper = group_size == 10;
	let _ = writeln!(
		out,
		"| group | nodes | by count | count | by formula | score | agree |{}",
		if paper { " paper says |" } else { "" }
	);
	let _ = writeln!(out, "|---|---|---|---|---|---|---|{}", if paper { "---|" } else { "" });
	for e in elections {
		let agree = if e.by_count.0 == e.by_formula.0 { "yes" } else { "no" };
		let published = PAPER_PUBLISHED_BILLERS
			.iter()
			.find(|(g, _, _)| *g == e.group)
			.map(|(_, n, s)| format!(" node {n} ({s}) |"))
			.unwrap_or_else(|| " - |".into());
		let _ = writeln!(
			out,
			"| {} | {}-{} | node {} | {} | node {} | {} | {} |{}",
			e.group,
			e.members.0,
			e.members.1,
			e.by_count.0,
			decimal(e.by_count.1),
			e.by_formula.0,
			decimal(e.by_formula.1),
			agree,
			if paper { published } else { String::new() }
		);
	}
	out
}
