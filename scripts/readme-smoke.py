#!/usr/bin/env python3
"""The README's commands, run as a newcomer runs them.

1. `make run`, exactly as the README's quick start says (from the repository root, with the
   environment it is given: `make test` and CI pass their CARGO_TARGET_DIR). It waits until the
   parent and every sub-chain the network prints have finalized at least MIN_FINALIZED blocks
   and the parent's registry, in its finalized state, holds an anchor of block >= 1 of every
   sub-chain (so the relays work). Then it stops the node as Ctrl-C does (SIGINT) and checks
   that `make run` exits with status 0 and that the temporary databases are gone. With
   SMOKE_EXPECT_BUILT=1 (as `make test` sets it, having built the workspace first) `make run`
   must compile nothing: a crate it compiles again means its `cargo run` resolves other features
   than `cargo test --workspace`, a second build of the workspace in every CI run.
2. The other documented invocations start: `cargo run --release --bin dbm-node -- --dev --demo`
   (until the demo reports every chain), one chain (`dbm-node --chain parent-dev --dev`, until
   it finalizes a block), `dbm-node election-table`, `dbm-bench --help` and
   `dbm-node benchmark pallet --list`.

Each check prints `ok - <name>` or `not ok - <name>: <why>`; the last lines are
`# pass N` and `# fail M`, and the exit status is 1 if any check failed. Needs only Python's
standard library and free default ports (9944-9946, 30333-30335) on 127.0.0.1.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
NODE = os.path.join(TARGET, "release", "dbm-node")
BENCH = os.path.join(TARGET, "release", "dbm-bench")
MIN_FINALIZED = int(os.environ.get("SMOKE_MIN_FINALIZED", "3"))
# `make run` may have to build the node first; in `make test` it is already built.
START_TIMEOUT = int(os.environ.get("SMOKE_START_TIMEOUT", "1800"))
EXPECT_BUILT = os.environ.get("SMOKE_EXPECT_BUILT") == "1"
READY_TIMEOUT = int(os.environ.get("SMOKE_READY_TIMEOUT", "180"))
STOP_TIMEOUT = 60
DEFAULT_PORTS = [9944, 9945, 9946, 30333, 30334, 30335]

# `2026-12-02 05:43:33   parent   parent-dev   rpc ws://127.0.0.1:9944  p2p 127.0.0.1:30333  db /tmp/dbm-dev-1130/parent`
CHAIN_LINE = re.compile(r"(?:^|\s)(\S+)\s+(\S+)\s+rpc ws://127\.0\.0\.1:(\d+)\s+p2p \S+\s+db (\S+)\s*$")

passed, failed = 0, 0


def report(name, error=None):
    global passed, failed
    if error is None:
        passed += 1
        print(f"ok - {name}", flush=True)
    else:
        failed += 1
        print(f"not ok - {name}: {error}", flush=True)


class Failure(Exception):
    pass


def rpc(port, method, params=None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []})
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}", data=body.encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    if "error" in answer:
        raise Failure(f"{method}: {answer['error']}")
    return answer["result"]


def finalized(port):
    """The finalized block's hash and number of the chain serving RPC on `port`."""
    head = rpc(port, "chain_getFinalizedHead")
    return head, int(rpc(port, "chain_getHeader", [head])["number"], 16)


def last_anchor(parent_port, subchain, at):
    """The number of the sub-chain's last anchored block in the parent's state at `at`, or None.

    `RegistryApi_last_anchor(SubchainId) -> Option<AnchorHead>`; `AnchorHead` starts with the
    sub-chain block's number (u32, little endian).
    """
    data = "0x" + subchain.to_bytes(4, "little").hex()
    answer = bytes.fromhex(rpc(parent_port, "state_call", ["RegistryApi_last_anchor", data, at])[2:])
    if not answer or answer[0] == 0:
        return None
    if answer[0] != 1 or len(answer) < 5:
        raise Failure(f"RegistryApi_last_anchor: unexpected answer 0x{answer.hex()}")
    return int.from_bytes(answer[1:5], "little")


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Started:
    """A command started in its own session (as a terminal's foreground job), its output in a file."""

    def __init__(self, name, argv, log_dir):
        self.name = name
        self.log_path = os.path.join(log_dir, re.sub(r"[^a-z0-9]+", "-", name.lower()) + ".log")
        self.log = open(self.log_path, "w+")
        print(f"# {name}: {' '.join(argv)}", flush=True)
        self.proc = subprocess.Popen(
            argv, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def tail(self, lines=30):
        return "\n".join(self.output().splitlines()[-lines:])

    def wait_for(self, what, test, timeout):
        """Polls `test()` (None until satisfied) until it gives a value, the command exits or time is up."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f"exited with status {self.proc.returncode} before {what}:\n{self.tail()}")
            try:
                value = test()
                if value is not None:
                    return value
            except (OSError, Failure, ValueError, KeyError) as e:
                last_error = e
            time.sleep(1)
        raise Failure(f"no {what} after {timeout} s (last error: {last_error}):\n{self.tail()}")

    def interrupt(self, pid=None):
        """Ctrl-C: SIGINT to `pid`, or to the whole process group; returns the exit status."""
        if self.proc.poll() is None:
            if pid is None:
                os.killpg(self.proc.pid, signal.SIGINT)
            else:
                os.kill(pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure(f"still running {STOP_TIMEOUT} s after SIGINT:\n{self.tail()}")

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()


def network_chains(started):
    """The chains the dev network printed: [(label, rpc port, database)], once all are printed."""
    chains = []
    for line in started.output().splitlines():
        m = CHAIN_LINE.search(line)  # after the log's time stamp
        if m:
            chains.append((m.group(1), int(m.group(3)), m.group(4)))
    header = re.search(r"the parent chain and (\d+) sub-chain", started.output())
    if header and len(chains) == int(header.group(1)) + 1:
        return chains
    return None


def node_pid(base):
    """The dev network's temporary directory is `dbm-dev-<pid of dbm-node>`."""
    m = re.search(r"dbm-dev-(\d+)$", base)
    if not m:
        raise Failure(f"unexpected database directory {base}")
    pid = int(m.group(1))
    with open(f"/proc/{pid}/comm") as f:
        comm = f.read().strip()
    if comm != "dbm-node":
        raise Failure(f"process {pid} is {comm}, not dbm-node")
    return pid


def check_network(started, require_anchors):
    """Waits for the dev network to finalize on every chain (and anchor every sub-chain)."""
    chains = started.wait_for("list of chains", lambda: network_chains(started), START_TIMEOUT)
    base = os.path.dirname(chains[0][2])
    pid = node_pid(base)
    parent_port = chains[0][1]
    subchains = len(chains) - 1

    def ready():
        for label, port, _ in chains:
            if finalized(port)[1] < MIN_FINALIZED:
                return None
        if require_anchors:
            at, _ = finalized(parent_port)
            for n in range(1, subchains + 1):
                anchored = last_anchor(parent_port, n, at)
                if anchored is None or anchored < 1:
                    return None
        return True

    started.wait_for(
        f"{MIN_FINALIZED} finalized blocks on every chain"
        + (" and an anchor of every sub-chain on the parent" if require_anchors else ""),
        ready,
        READY_TIMEOUT,
    )
    summary = ", ".join(f"{label} #{finalized(port)[1]}" for label, port, _ in chains)
    if require_anchors:
        at, _ = finalized(parent_port)
        summary += "; anchored " + ", ".join(
            f"sub-{n} #{last_anchor(parent_port, n, at)}" for n in range(1, subchains + 1)
        )
    return base, pid, summary


def stop_cleanly(started, base, pid):
    status = started.interrupt(pid)
    if status != 0:
        raise Failure(f"exit status {status} after SIGINT:\n{started.tail()}")
    if os.path.exists(base):
        raise Failure(f"the temporary databases in {base} were not removed")


def check(name, body):
    start = time.monotonic()
    try:
        detail = body()
        report(f"{name} ({time.monotonic() - start:.0f} s{'; ' + detail if detail else ''})")
    except Failure as e:
        report(name, str(e))
    except Exception as e:  # a bug in this script is a failure too, never a pass
        report(name, f"{type(e).__name__}: {e}")


def main():
    busy = [p for p in DEFAULT_PORTS if not port_free(p)]
    if busy:
        report("default ports free", f"ports {busy} on 127.0.0.1 are in use: stop what uses them")
        return
    logs = tempfile.mkdtemp(prefix="dbm-readme-smoke-")
    keep_logs = False

    def make_run():
        started = Started("make run", ["make", "run"], logs)
        try:
            base, pid, summary = check_network(started, require_anchors=True)
            stop_cleanly(started, base, pid)
            compiled = re.findall(r"^\s*Compiling (\S+)", started.output(), re.M)
            if compiled and EXPECT_BUILT:
                raise Failure(
                    f"`make run` compiled {len(compiled)} crate(s) the workspace build had built: "
                    + ", ".join(compiled)
                )
            return (
                summary
                + "; stopped with SIGINT: status 0, databases removed"
                + f"; {len(compiled)} crate(s) compiled first"
            )
        finally:
            started.kill()

    def demo():
        started = Started(
            "demo", ["cargo", "run", "--release", "--bin", "dbm-node", "--", "--dev", "--demo"], logs
        )
        try:
            chains = started.wait_for("list of chains", lambda: network_chains(started), START_TIMEOUT)
            base = os.path.dirname(chains[0][2])
            pid = node_pid(base)
            labels = [label for label, _, _ in chains]

            def reported():
                out = started.output()
                return all(re.search(rf"\[demo +\d+ s\] {re.escape(l)} +#\d+", out) for l in labels) or None

            started.wait_for("a demo report line of every chain", reported, READY_TIMEOUT)
            stop_cleanly(started, base, pid)
            return f"reported {', '.join(labels)}; stopped with SIGINT: status 0"
        finally:
            started.kill()

    def single_chain():
        started = Started("one chain", [NODE, "--chain", "parent-dev", "--dev"], logs)
        try:
            started.wait_for(
                "a finalized block", lambda: finalized(9944)[1] >= 1 or None, READY_TIMEOUT
            )
            status = started.interrupt()
            if status != 0:
                raise Failure(f"exit status {status} after SIGINT:\n{started.tail()}")
            return "parent-dev finalized a block; stopped with SIGINT: status 0"
        finally:
            started.kill()

    def runs(name, argv, expect):
        def body():
            result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
            out = result.stdout + result.stderr
            if result.returncode != 0:
                raise Failure(f"exit status {result.returncode}:\n{out[-3000:]}")
            if not re.search(expect, out):
                raise Failure(f"output lacks /{expect}/:\n{out[-3000:]}")
            return None

        check(name, body)

    for name, body in [("make run", make_run), ("--dev --demo", demo), ("one chain", single_chain)]:
        before = failed
        check(name, body)
        keep_logs |= failed > before

    runs("dbm-node election-table", [NODE, "election-table"], r"\| 10 \| 91-100 \| node \d+")
    runs("dbm-bench --help", [BENCH, "--help"], r"--workload")
    runs(
        "dbm-node benchmark pallet --list",
        [NODE, "benchmark", "pallet", "--list", "--chain", "parent-dev"],
        r"pallet_biller_registry",
    )
    if keep_logs:
        print(f"# logs kept in {logs}")
    else:
        shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        print(f"# pass {passed}")
        print(f"# fail {failed}")
    sys.exit(1 if failed else 0)
