#!/usr/bin/env python3
"""Plots and tables of the experiments, from the raw CSV results of dbm-bench.

    python3 scripts/plot-experiments.py docs/experiments

reads DIR/data/<run>/{summary,nodes,errors,blocks}.csv and txs.csv.gz (one directory per
run of scripts/experiments.sh) and writes DIR/*.svg and DIR/results.md. Standard library
only: the SVG is written by hand.
"""

import csv
import gzip
import html
import math
import os
import sys

# The runs in the order they are shown, with a short caption.
RUNS = [
    ("transfer-6s", "transfers, 6 s slots"),
    ("transfer-sub", "transfers, half-second slots"),
    ("energy-sub", "energy, one sub-chain"),
    ("energy-6s", "energy, one sub-chain, 6 s slots"),
    ("energy-sub-paced", "energy, one sub-chain, 40 tx/s"),
    ("energy-sub-paced-150", "energy, one sub-chain, 150 tx/s"),
    ("energy-local-4v-paced", "energy, one sub-chain of four validators, 40 tx/s"),
    ("energy-single-10", "energy, single layer, 10 trading"),
    ("energy-single-100", "energy, single layer, 100 trading"),
    ("energy-single-100-paced", "energy, single layer, 100 trading, 40 tx/s"),
    ("energy-double-1-paced", "energy, double layer, 1 sub-chain, 40 tx/s"),
    ("energy-double-2-paced", "energy, double layer, 2 sub-chains, 40 tx/s each"),
    ("energy-double-5-paced", "energy, double layer, 5 sub-chains, 40 tx/s each"),
    ("energy-double-10-paced", "energy, double layer, 10 sub-chains, 40 tx/s each"),
    ("energy-double-2", "energy, double layer, 2 sub-chains"),
    ("energy-double-5", "energy, double layer, 5 sub-chains"),
    ("energy-double-10", "energy, double layer, 10 sub-chains"),
]
# The runs of before/data/ (their report is before/README.md): three-second slots, GRANDPA's
# default voting rules and the fork-aware pool, as before the half-second slots; by the name of
# today's run where it differs.
BEFORE = {"transfer-sub": "transfer-3s"}
SLOT_MS = 500
# The paper's consensus round: 0.45 s, and 0.56 s with 40 times the nodes.
PAPER_ROUND_S = (0.45, 0.56)
PAPER_GROWTH = 40
# The double-layer runs at a fixed rate per sub-chain, by their number of sub-chains (each
# with ten trading members).
SCALE_RUNS = [(1, "energy-double-1-paced"), (2, "energy-double-2-paced"),
              (5, "energy-double-5-paced"), (10, "energy-double-10-paced")]
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#7b4173"]


def read_csv(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        return list(csv.DictReader(f))


def load(data, names=None):
    """The runs of `data`; `names` maps a run's name to its folder's where they differ."""
    runs = []
    for name, caption in RUNS:
        folder = os.path.join(data, (names or {}).get(name, name))
        if not os.path.isfile(os.path.join(folder, "summary.csv")):
            continue
        run = {"name": name, "caption": caption}
        for part in ("summary", "nodes", "errors", "blocks"):
            run[part] = read_csv(os.path.join(folder, part + ".csv"))
        txs = os.path.join(folder, "txs.csv.gz")
        run["txs"] = read_csv(txs) if os.path.isfile(txs) else []
        rows = run["summary"]
        run["total"] = next((r for r in rows if r["chain"] == "all"), rows[-1])
        run["node_cpu"] = sum(float(n["cpu_percent"]) for n in run["nodes"]
                              if n["process"] != "dbm-bench")
        run["node_rss"] = sum(float(n["rss_max_mib"]) for n in run["nodes"]
                              if n["process"] != "dbm-bench")
        run["bench_cpu"] = sum(float(n["cpu_percent"]) for n in run["nodes"]
                               if n["process"] == "dbm-bench")
        runs.append(run)
    return runs


class Svg:
    def __init__(self, width, height, title):
        self.width, self.height = width, height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
            f'<rect width="{width}" height="{height}" fill="white"/>',
            f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" '
            f'font-weight="bold">{html.escape(title)}</text>',
        ]

    def add(self, text):
        self.parts.append(text)

    def text(self, x, y, text, anchor="start", size=12, rotate=None, color="black"):
        transform = f' transform="rotate({rotate} {x} {y})"' if rotate is not None else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
                 f'fill="{color}"{transform}>{html.escape(str(text))}</text>')

    def line(self, x1, y1, x2, y2, color="black", width=1, dash=None):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                 f'stroke="{color}" stroke-width="{width}"{dashed}/>')

    def save(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.parts + ["</svg>"]) + "\n")


def nice_max(value):
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def axes(svg, left, top, width, height, ymax, ylabel):
    svg.line(left, top + height, left + width, top + height)
    svg.line(left, top, left, top + height)
    for i in range(6):
        value = ymax * i / 5
        y = top + height - height * i / 5
        svg.line(left - 4, y, left + width, y, color="#ddd" if i else "black")
        svg.text(left - 7, y + 4, f"{value:g}", anchor="end", size=11)
    svg.text(16, top + height / 2, ylabel, anchor="middle", rotate=-90)


def bar_chart(path, title, categories, series, ylabel, hlines=()):
    """Grouped bars: `series` is [(name, [value per category])]."""
    left, top, right, bottom = 70, 50, 20, 150
    width = max(520, 40 + len(categories) * (22 * len(series) + 28))
    svg = Svg(left + width + right, top + 300 + bottom, title)
    height = 300
    ymax = nice_max(max([v for _, values in series for v in values] + [h for h, _ in hlines] + [0]))
    axes(svg, left, top, width, height, ymax, ylabel)
    group = width / max(1, len(categories))
    bar = min(40, (group - 16) / max(1, len(series)))
    for c, category in enumerate(categories):
        x0 = left + c * group + (group - bar * len(series)) / 2
        for s, (_, values) in enumerate(series):
            value = values[c]
            h = height * value / ymax
            x = x0 + s * bar
            svg.add(f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar - 2:.1f}" '
                    f'height="{h:.1f}" fill="{COLORS[s % len(COLORS)]}"/>')
            svg.text(x + bar / 2 - 1, top + height - h - 3, f"{value:.0f}", anchor="middle", size=9)
        cx = left + c * group + group / 2
        svg.text(cx, top + height + 14, category, anchor="end", size=11, rotate=-35)
    for value, label in hlines:
        y = top + height - height * value / ymax
        svg.line(left, y, left + width, y, color="#d62728", dash="6 4")
        svg.text(left + width - 4, y - 4, label, anchor="end", size=11, color="#d62728")
    if len(series) > 1:
        for s, (name, _) in enumerate(series):
            x = left + 10 + s * 150
            svg.add(f'<rect x="{x}" y="32" width="10" height="10" fill="{COLORS[s % len(COLORS)]}"/>')
            svg.text(x + 14, 41, name, size=11)
    svg.save(path)


def line_chart(path, title, series, xlabel, ylabel, hlines=(), markers=False):
    """`series` is [(name, xs, ys)]; `markers` draws a dot at each point."""
    left, top, width, height = 70, 50, 640, 300
    svg = Svg(left + width + 230, top + height + 60, title)
    xmax = nice_max(max([x for _, xs, _ in series for x in xs] + [1]))
    ymax = nice_max(max([y for _, _, ys in series for y in ys] + [h for h, _ in hlines] + [1]))
    axes(svg, left, top, width, height, ymax, ylabel)
    for i in range(6):
        x = left + width * i / 5
        svg.text(x, top + height + 16, f"{xmax * i / 5:g}", anchor="middle", size=11)
    svg.text(left + width / 2, top + height + 40, xlabel, anchor="middle")
    for s, (name, xs, ys) in enumerate(series):
        color = COLORS[s % len(COLORS)]
        points = " ".join(f"{left + width * x / xmax:.1f},{top + height - height * y / ymax:.1f}"
                          for x, y in zip(xs, ys))
        svg.add(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="1.6"/>')
        if markers:
            for x, y in zip(xs, ys):
                svg.add(f'<circle cx="{left + width * x / xmax:.1f}" '
                        f'cy="{top + height - height * y / ymax:.1f}" r="3.5" fill="{color}"/>')
        svg.add(f'<rect x="{left + width + 14}" y="{top + s * 18}" width="10" height="10" fill="{color}"/>')
        svg.text(left + width + 28, top + s * 18 + 9, name, size=11)
    for value, label in hlines:
        y = top + height - height * value / ymax
        svg.line(left, y, left + width, y, color="#d62728", dash="6 4")
        svg.text(left + width - 4, y - 4, label, anchor="end", size=11, color="#d62728")
    svg.save(path)


def fnum(row, key):
    try:
        return float(row[key])
    except (KeyError, ValueError):
        return 0.0


def timeline(run, bucket_ms=6000):
    """Successful transactions per second, in buckets of the window, over all chains."""
    buckets = {}
    for block in run["blocks"]:
        t = fnum(block, "seen_ms")
        if t < 0:
            continue
        b = int(t // bucket_ms)
        buckets[b] = buckets.get(b, 0) + int(block["ours_ok"])
    if not buckets:
        return [], []
    last = max(buckets)
    xs = [(b + 0.5) * bucket_ms / 1000 for b in range(last + 1)]
    ys = [buckets.get(b, 0) * 1000 / bucket_ms for b in range(last + 1)]
    return xs, ys


def cdf(run):
    values = sorted(fnum(t, "in_block_ms") - fnum(t, "submitted_ms") for t in run["txs"]
                    if t["in_block_ms"])
    if not values:
        return [], []
    n = len(values)
    step = max(1, n // 400)
    xs = [values[i] / 1000 for i in range(0, n, step)] + [values[-1] / 1000]
    ys = [100 * (i + 1) / n for i in range(0, n, step)] + [100]
    return xs, ys


def by_name(runs):
    return {run["name"]: run for run in runs}


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def scale_chart(docs, named):
    """Latency against the number of sub-chains, and its growth beside the paper's."""
    scale = [(n, named[name]["total"]) for n, name in SCALE_RUNS if name in named]
    if not scale:
        return
    xs = [n for n, _ in scale]
    series = [(label, xs, [fnum(t, key) / 1000 for _, t in scale])
              for label, key in (("in-block p50", "in_block_p50_ms"),
                                 ("finalized p50", "finalized_p50_ms"),
                                 ("finalized p99", "finalized_p99_ms"),
                                 ("anchor final on the parent p50", "anchored_p50_ms"))]
    line_chart(os.path.join(docs, "scale.svg"),
               "Latency against the number of sub-chains (40 trades/s on each)", series,
               "sub-chains (ten trading members each) under one parent", "seconds",
               hlines=[(PAPER_ROUND_S[0], f"the paper's round: {PAPER_ROUND_S[0]} s")],
               markers=True)
    base = fnum(scale[0][1], "finalized_p50_ms")
    ours = ("finalized p50, this network", xs,
            [fnum(t, "finalized_p50_ms") / base if base else 0 for _, t in scale])
    paper = ("consensus round, the paper", [1, PAPER_GROWTH],
             [1, PAPER_ROUND_S[1] / PAPER_ROUND_S[0]])
    line_chart(os.path.join(docs, "scale-growth.svg"),
               "Latency growth with the size of the network, beside the paper's", [ours, paper],
               "times as many nodes as the smallest network", "times the smallest network's latency",
               hlines=[(1.25, "target: 1.25")], markers=True)


def before_after_chart(docs, runs, before):
    """Finalized p50 of the runs measured before and after the half-second slots."""
    old = by_name(before)
    pairs = [(run["name"], old[run["name"]]["total"], run["total"]) for run in runs
             if run["name"] in old and old[run["name"]]["total"].get("setup") == run["total"].get("setup")]
    if not pairs:
        return
    bar_chart(os.path.join(docs, "before-after.svg"),
              "Submit to finalized, p50: three-second slots against half-second slots",
              [name for name, _, _ in pairs],
              [("before", [fnum(b, "finalized_p50_ms") for _, b, _ in pairs]),
               ("after", [fnum(a, "finalized_p50_ms") for _, _, a in pairs])], "milliseconds")


def write_results(docs, runs, before):
    data = os.path.join(docs, "data")
    named = by_name(runs)
    lines = ["# Experiment results", "",
             "Generated by `scripts/plot-experiments.py` from the CSV files in `data/`; do not edit.",
             "The discussion is in [README.md](README.md).", ""]
    machine = os.path.join(data, "machine.txt")
    if os.path.isfile(machine):
        lines += ["## Machine", "", "```", open(machine).read().strip(), "```", ""]
    lines += ["## Runs", "",
              "| run | setup | TPS | ok | failed | refused | lost | in-block p50 / p95 / p99 ms "
              "| finalized p50 / p95 / p99 ms | blocks | finalized | node CPU % | node RSS MiB "
              "| bench CPU % |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        t = run["total"]
        lines.append(
            f"| {run['name']} | {t['setup']}, {t['duration_s']} s | {fnum(t, 'tps'):.1f} "
            f"| {t['ok']} | {t['failed']} | {t['refused']} | {t['lost']} "
            f"| {fnum(t, 'in_block_p50_ms'):.0f} / {fnum(t, 'in_block_p95_ms'):.0f} / "
            f"{fnum(t, 'in_block_p99_ms'):.0f} "
            f"| {fnum(t, 'finalized_p50_ms'):.0f} / {fnum(t, 'finalized_p95_ms'):.0f} / "
            f"{fnum(t, 'finalized_p99_ms'):.0f} "
            f"| {t['blocks']} | {t['blocks_finalized']} | {run['node_cpu']:.0f} "
            f"| {run['node_rss']:.0f} | {run['bench_cpu']:.0f} |")
    lines.append("")

    lines += ["## Targets", "",
              "The latency and throughput targets of the half-second slots "
              "([finality.md](../finality.md)).", "",
              "| figure | measured | target | |", "|---|---:|---:|---|"]

    def target(text, value, limit, fmt, at_most=True):
        met = value <= limit if at_most else value >= limit
        sign = "<=" if at_most else ">="
        lines.append(f"| {text} | {fmt.format(value)} | {sign} {fmt.format(limit)} "
                     f"| {'met' if met else 'NOT MET'} |")

    def total(name, key):
        return fnum(named[name]["total"], key)

    if "energy-sub-paced" in named:
        target("one sub-chain, 40 tx/s: submit -> in block p50, ms",
               total("energy-sub-paced", "in_block_p50_ms"), 500, "{:.0f}")
        target("one sub-chain, 40 tx/s: submit -> finalized p50, ms",
               total("energy-sub-paced", "finalized_p50_ms"), 1000, "{:.0f}")
        target("one sub-chain, 40 tx/s: submit -> finalized p99, ms",
               total("energy-sub-paced", "finalized_p99_ms"), 2000, "{:.0f}")
    if "energy-local-4v-paced" in named:
        target("four validators, 40 tx/s: submit -> finalized p50, ms",
               total("energy-local-4v-paced", "finalized_p50_ms"), 1200, "{:.0f}")
        target("four validators, 40 tx/s: submit -> finalized p99, ms",
               total("energy-local-4v-paced", "finalized_p99_ms"), 2500, "{:.0f}")
    small, large = SCALE_RUNS[0][1], SCALE_RUNS[-1][1]
    if small in named and large in named:
        target("finalized p50, parent and 10 sub-chains / parent and one (paper: "
               f"{PAPER_ROUND_S[1]} / {PAPER_ROUND_S[0]} = {PAPER_ROUND_S[1] / PAPER_ROUND_S[0]:.2f})",
               total(large, "finalized_p50_ms") / total(small, "finalized_p50_ms"), 1.25, "{:.2f}")
        target("sub-chain block -> its anchor final on the parent, p50, 10 sub-chains, ms",
               total(large, "anchored_p50_ms"), 3000, "{:.0f}")
    if "energy-sub" in named:
        target("saturated energy trades per second, one sub-chain", total("energy-sub", "tps"),
               251, "{:.0f}", at_most=False)
    if "transfer-sub" in named:
        target("saturated transfers per second, one sub-chain", total("transfer-sub", "tps"),
               609, "{:.0f}", at_most=False)
    lines.append("")

    scale = [(n, named[name]) for n, name in SCALE_RUNS if name in named]
    if scale:
        lines += ["## Against the size of the network", "",
                  "The double layer at 40 energy trades per second on every sub-chain, each "
                  "sub-chain with ten trading members; latencies over all sub-chains' "
                  "transactions (anchors: over all their blocks).", "",
                  "| sub-chains | trading members | node processes | in-block p50 ms "
                  "| finalized p50 / p99 ms | finalized p50 / smallest | anchor final p50 / p99 ms |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        base = fnum(scale[0][1]["total"], "finalized_p50_ms")
        for n, run in scale:
            t = run["total"]
            lines.append(
                f"| {n} | {10 * n} | {n + 1} | {fnum(t, 'in_block_p50_ms'):.0f} "
                f"| {fnum(t, 'finalized_p50_ms'):.0f} / {fnum(t, 'finalized_p99_ms'):.0f} "
                f"| {ratio(fnum(t, 'finalized_p50_ms'), base)} "
                f"| {fnum(t, 'anchored_p50_ms'):.0f} / {fnum(t, 'anchored_p99_ms'):.0f} |")
        lines += ["", f"The paper: a consensus round of {PAPER_ROUND_S[0]} s, "
                  f"{PAPER_ROUND_S[1]} s with {PAPER_GROWTH} times the nodes "
                  f"({PAPER_ROUND_S[1] / PAPER_ROUND_S[0]:.2f} times as long).", ""]

    if before:
        lines += ["## Before and after the half-second slots", "",
                  "Before: the runs of [`before/data/`](before/data/) (three-second slots, "
                  "GRANDPA's default voting rules, the fork-aware pool). A run is compared only "
                  "where both ran the same setup (chain, workload, rate).", "",
                  "| run | TPS before / after | in-block p50 ms before / after "
                  "| finalized p50 ms before / after | finalized p99 ms before / after |",
                  "|---|---:|---:|---:|---:|"]
        old = by_name(before)
        for run in runs:
            if run["name"] not in old:
                continue
            b, a = old[run["name"]]["total"], run["total"]
            if b.get("setup") != a.get("setup"):
                continue
            lines.append(
                f"| {run['name']} | {fnum(b, 'tps'):.1f} / {fnum(a, 'tps'):.1f} "
                f"| {fnum(b, 'in_block_p50_ms'):.0f} / {fnum(a, 'in_block_p50_ms'):.0f} "
                f"| {fnum(b, 'finalized_p50_ms'):.0f} / {fnum(a, 'finalized_p50_ms'):.0f} "
                f"| {fnum(b, 'finalized_p99_ms'):.0f} / {fnum(a, 'finalized_p99_ms'):.0f} |")
        lines.append("")

    if "energy-double-10" in named and "energy-single-100" in named:
        lines += ["## Double layer against single layer", "", "| comparison | value |",
                  "|---|---:|"]
        d, s = named["energy-double-10"]["total"], named["energy-single-100"]["total"]
        lines.append("| saturation TPS, double layer (10 sub-chains) / single layer (100 members) "
                     f"| {ratio(fnum(d, 'tps'), fnum(s, 'tps'))} |")
        lines.append("| submit-to-in-block p50, double / single "
                     f"| {ratio(fnum(d, 'in_block_p50_ms'), fnum(s, 'in_block_p50_ms'))} |")
        lines.append("| submit-to-finalized p50, double / single "
                     f"| {ratio(fnum(d, 'finalized_p50_ms'), fnum(s, 'finalized_p50_ms'))} |")
        for label, row in (("double layer (all sub-chains)", d), ("single layer", s)):
            minutes = fnum(row, "duration_s") / 60
            per = f"{fnum(row, 'blocks_finalized') * 10 / minutes:.0f}" if minutes else "n/a"
            lines.append(f"| blocks finalized per 10 minutes, {label} | {per} |")
        lines.append("")

    lines += ["## Errors", "", "| run | error | count |", "|---|---|---:|"]
    for run in runs:
        for error in run["errors"]:
            lines.append(f"| {run['name']} | {error['error']} | {error['count']} |")
    lines.append("")
    lines += ["## Processes", "", "| run | process | CPU % | RSS max MiB | peak MiB |",
              "|---|---|---:|---:|---:|"]
    for run in runs:
        for node in run["nodes"]:
            lines.append(f"| {run['name']} | {node['process']} | {node['cpu_percent']} "
                         f"| {node['rss_max_mib']} | {node['rss_peak_mib']} |")
    lines.append("")
    for name, title in (("election-groups-of-10.md", "DBSCA election, groups of 10"),
                        ("election-one-group.md", "DBSCA election, one group of 100")):
        path = os.path.join(data, name)
        if os.path.isfile(path):
            lines += [f"## {title}", "", open(path).read().strip(), ""]
    with open(os.path.join(docs, "results.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: plot-experiments.py DIR (with DIR/data/<run>/ from scripts/experiments.sh)")
    docs = sys.argv[1]
    runs = load(os.path.join(docs, "data"))
    if not runs:
        sys.exit(f"no results in {docs}/data: run scripts/experiments.sh first")
    before = load(os.path.join(docs, "before", "data"), BEFORE)
    names = [run["name"] for run in runs]
    bar_chart(os.path.join(docs, "throughput.svg"),
              "Sustained throughput (successful transactions per second)", names,
              [("TPS", [fnum(r["total"], "tps") for r in runs])], "transactions / s")
    bar_chart(os.path.join(docs, "latency.svg"), "Latency from submission", names,
              [("in-block p50", [fnum(r["total"], "in_block_p50_ms") for r in runs]),
               ("in-block p99", [fnum(r["total"], "in_block_p99_ms") for r in runs]),
               ("finalized p50", [fnum(r["total"], "finalized_p50_ms") for r in runs]),
               ("finalized p99", [fnum(r["total"], "finalized_p99_ms") for r in runs])],
              "milliseconds", hlines=[(SLOT_MS, "one slot (0.5 s)")])
    bar_chart(os.path.join(docs, "resources.svg"), "CPU and memory of the nodes (all processes)",
              names,
              [("node CPU % of one core", [r["node_cpu"] for r in runs]),
               ("node RSS MiB", [r["node_rss"] for r in runs]),
               ("dbm-bench CPU %", [r["bench_cpu"] for r in runs])], "% / MiB",
              hlines=[(200, "2 cores")])
    series = [(run["name"], *timeline(run)) for run in runs]
    line_chart(os.path.join(docs, "timeline.svg"),
               "Successful transactions per second over the run (6 s buckets)",
               [s for s in series if s[1]], "seconds since the window opened", "transactions / s")
    series = [(run["name"], *cdf(run)) for run in runs]
    line_chart(os.path.join(docs, "latency-cdf.svg"), "Submit to in-block: cumulative share",
               [s for s in series if s[1]], "seconds", "% of included transactions")
    scale_chart(docs, by_name(runs))
    before_after_chart(docs, runs, before)
    write_results(docs, runs, before)
    print(f"wrote {len(runs)} runs' plots and results.md into {docs}")


if __name__ == "__main__":
    main()
