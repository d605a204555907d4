#!/usr/bin/env python3
"""Where `make test`'s time goes, from its own outputs.

  ci-times.py binaries RUST_LOG   each Rust test binary's time (from `cargo test`'s output:
                                  the `Running ...` line and its `finished in` time), slowest first
  ci-times.py files JS_LOG        each polkadot.js file's suite time (from the TAP output of
                                  `node --test`), slowest first
  ci-times.py crates [HTML] [N]   the N (20) crates that took longest to compile, from cargo's
                                  `--timings` report (default: the newest in
                                  $CARGO_TARGET_DIR/cargo-timings), with the build's total

`scripts/test.sh` prints the first two at its end; the node's tests note each test's own time
(`$DBM_TEST_TIMES`). Standard library only.
"""

import glob
import json
import os
import re
import signal
import sys


def binaries(path):
    rows, current = [], None
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"\s*Running (.+?)(?: \(.*\))?$", line)
            if m:
                current = m.group(1)
                continue
            m = re.match(r"test result: .*finished in ([\d.]+)s", line)
            if m and current:
                rows.append((float(m.group(1)), current))
                current = None
    for secs, name in sorted(rows, reverse=True):
        print(f"{secs:7.1f} s  {name}")


def files(path):
    rows, name = [], None
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"(not )?ok \d+ - (.+)$", line)
            if m:
                name = ("FAILED " if m.group(1) else "") + m.group(2)
                continue
            m = re.match(r"  duration_ms: ([\d.]+)", line)
            if m and name:
                rows.append((float(m.group(1)) / 1000, name))
                name = None
    for secs, name in sorted(rows, reverse=True):
        print(f"{secs:7.1f} s  {name}")


def crates(html=None, count=20):
    if html is None:
        target = os.environ.get("CARGO_TARGET_DIR", "target")
        reports = glob.glob(os.path.join(target, "cargo-timings", "cargo-timing-*.html"))
        if not reports:
            sys.exit(f"no cargo timings report in {target}/cargo-timings")
        html = max(reports, key=os.path.getmtime)
    if not os.path.isfile(html):
        sys.exit(f"no cargo timings report at {html}")
    text = open(html, errors="replace").read()
    units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", text, re.S).group(1))
    total = re.search(r"Total time:</td><td>([^<]*)", text)
    print(f"{html}: {len(units)} units, total {total.group(1) if total else '?'}")
    for unit in sorted(units, key=lambda u: -u["duration"])[:count]:
        target = unit.get("target", "").strip() or "lib"
        print(f"{unit['duration']:7.1f} s  {unit['name']} {target}")


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` is fine
    if len(argv) == 2 and argv[0] in ("binaries", "files") and not os.path.exists(argv[1]):
        return 0  # the step did not run
    if len(argv) == 2 and argv[0] == "binaries":
        binaries(argv[1])
    elif len(argv) == 2 and argv[0] == "files":
        files(argv[1])
    elif 1 <= len(argv) <= 3 and argv[0] == "crates":
        crates(argv[1] if len(argv) > 1 and argv[1] else None, int(argv[2]) if len(argv) > 2 else 20)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
