// Starts `dbm-node --dev` (the parent chain and its sub-chains in one process) on free
// loopback ports, waits until every chain answers JSON-RPC, and stops it again.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The dbm-node binary: $DBM_NODE, or the release build in $CARGO_TARGET_DIR or ../target. */
export function nodeBinary () {
  if (process.env.DBM_NODE) return process.env.DBM_NODE;
  const target = process.env.CARGO_TARGET_DIR || resolve(here, '..', '..', 'target');
  const bin = join(target, 'release', 'dbm-node');
  if (!existsSync(bin)) throw new Error(`no dbm-node at ${bin}: build it first (make test does)`);
  return bin;
}

function portFree (port) {
  return new Promise((resolvePort) => {
    const srv = createServer();
    srv.once('error', () => resolvePort(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePort(true)));
  });
}

/** The kernel's ephemeral ports: the source ports of outgoing connections. */
function ephemeralPorts () {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo > 0 && hi >= lo) return [lo, hi];
  } catch {}
  return [32768, 60999];
}

/**
 * `n` consecutive free ports on 127.0.0.1, outside the kernel's ephemeral range: nodes take
 * a while to bind, and meanwhile other nodes' outgoing connections could take a port handed
 * out from that range.
 */
export async function freePortRange (n) {
  const [elo, ehi] = ephemeralPorts();
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 10000 + Math.floor(Math.random() * (65000 - 10000 - n));
    if (first + n - 1 >= elo && first <= ehi) continue;
    let ok = true;
    for (let p = first; p < first + n && ok; p++) ok = await portFree(p);
    if (ok) return first;
  }
  throw new Error(`no ${n} consecutive free ports outside the ephemeral range ${elo}-${ehi}`);
}

async function rpcCall (port, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/**
 * Starts the dev network with `subchains` sub-chains, each relaying to the parent unless
 * `relay` is false (`--no-relay`: nothing crosses the layers unless a test submits it).
 */
export async function startDevNetwork ({ subchains = 2, relay = true, timeoutMs = 120000 } = {}) {
  const chains = subchains + 1;
  const rpcPort = await freePortRange(chains);
  const p2pPort = await freePortRange(chains);
  const basePath = mkdtempSync(join(tmpdir(), 'dbm-e2e-'));
  const logPath = join(basePath, 'node.log');
  const log = openSync(logPath, 'a');
  const child = spawn(nodeBinary(), [
    '--dev', '--subchains', String(subchains),
    '--base-path', join(basePath, 'data'),
    '--rpc-port', String(rpcPort), '--port', String(p2pPort),
    ...(relay ? [] : ['--no-relay'])
  ], { stdio: ['ignore', log, log] });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const network = {
    child,
    basePath,
    log: () => readFileSync(logPath, 'utf8'),
    ports: Array.from({ length: chains }, (_, i) => rpcPort + i),
    endpoint: (i) => `ws://127.0.0.1:${rpcPort + i}`,
    rpc: (i, method, params) => rpcCall(rpcPort + i, method, params),
    async stop () {
      if (exited === null) {
        child.kill('SIGINT');
        const deadline = Date.now() + 60000;
        while (exited === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        if (exited === null) child.kill('SIGKILL');
      }
      rmSync(basePath, { recursive: true, force: true });
      return exited;
    }
  };

  const deadline = Date.now() + timeoutMs;
  for (const port of network.ports) {
    for (;;) {
      if (exited !== null) throw new Error(`dbm-node exited ${JSON.stringify(exited)}:\n${network.log()}`);
      try { await rpcCall(port, 'system_health'); break; } catch (_) { /* not up yet */ }
      if (Date.now() > deadline) throw new Error(`RPC ${port} not up:\n${network.log()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return network;
}
