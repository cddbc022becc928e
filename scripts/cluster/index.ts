// A local Linkage cluster on existing engines: a private PostgreSQL (the log of record), Mosquitto
// (devices; the nodes share one subscription), N server nodes, HAProxy in front, and the simulator.
// startCluster is what `npm run cluster` runs; tests and benches call it with port 0 and no dir.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHaproxy } from './haproxy.ts';
import { startMosquitto } from './mosquitto.ts';
import { nodeHealthy, spawnNode, spawnSimulator, type ClusterNode } from './nodes.ts';
import { startPostgres, stopStalePostgres } from './postgres.ts';
import { freePort } from '../free-port.ts';
import { assertPortFree, claimRunDir, reapStale, waitFor, type Proc } from './procs.ts';

export type { ClusterNode } from './nodes.ts';

export interface ClusterOptions {
  datasetDir: string;
  /** Built dashboard the nodes serve (default dist/). */
  staticDir?: string;
  /** Server nodes (default 3). */
  nodes?: number;
  /** Where everything lives (kept between runs). Default: a new temp dir, removed by stop(). */
  dir?: string;
  /** Wipe `dir` first (after stopping what a killed runner left there). */
  fresh?: boolean;
  /** HAProxy's port; node i listens on port + i. 0 (default): free ports for HAProxy and every node. */
  port?: number;
  /** 0 (default): a free port. */
  pgPort?: number;
  mqttPort?: number;
  /** false: no simulator. Speed/load unset: real time at full district scale. */
  simulator?: false | { speed?: number; load?: number; mediaPort?: number };
  /** Extra environment for every node (CHECKPOINT_EVERY_MS, LOG_LEVEL, AUTH_MODE, ...). */
  nodeEnv?: Record<string, string>;
  /** Progress lines (default: none). */
  say?: (line: string) => void;
  /** Aborting it while the cluster starts stops what was started and rejects. */
  signal?: AbortSignal;
}

export interface Cluster {
  /** HAProxy: the URL screens, gateways and the simulator use. */
  url: string;
  nodes: ClusterNode[];
  pgUrl: string;
  mqttUrl: string;
  /** The simulator's gateway login (MQTT username / password = HTTP x-gateway-key). */
  gateway: { name: string; key: string };
  dir: string;
  logDir: string;
  /** Called when any process exits before stop() (a node's crash, say). */
  onExit(listener: (name: string, code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Simulator, HAProxy, nodes (SIGTERM, waiting), Mosquitto, PostgreSQL (fast): in that order, once. Resolves with each node's exit code. */
  stop(): Promise<Record<string, number | null>>;
}

const GATEWAY = 'simulator';
const SHARE_GROUP = 'linkage-ingest';

interface Secrets { pgPassword: string; mqttPassword: string; gatewayKey: string }

/** Generated once per cluster dir, kept with the data (mode 600): the database role's password must keep matching. */
function secrets(dir: string): Secrets {
  const file = path.join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const s = { pgPassword: randomBytes(18).toString('base64url'), mqttPassword: randomBytes(18).toString('base64url'), gatewayKey: randomBytes(24).toString('base64url') };
  writeFileSync(file, JSON.stringify(s, null, 2) + '\n', { mode: 0o600 });
  return s;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const n = o.nodes ?? 3;
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new Error(`nodes must be 1..32, got ${o.nodes}`);
  const say = o.say ?? (() => {});
  const temp = !o.dir;
  const dir = path.resolve(o.dir ?? mkdtempSync(path.join(os.tmpdir(), 'linkage-cluster-')));
  const runDir = path.join(dir, 'run');
  const logDir = path.join(dir, 'logs');
  const release = claimRunDir(runDir);
  // What a runner that was killed (kill -9) left running here goes first: it holds the ports and the data.
  for (const p of reapStale(runDir)) say(`stopped ${p}, left running by an earlier run`);
  if (await stopStalePostgres(path.join(dir, 'pg')).catch(() => false)) say('stopped a PostgreSQL left running by an earlier run');
  if (o.fresh && !temp) for (const e of readdirSync(dir)) if (e !== 'run') rmSync(path.join(dir, e), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // PostgreSQL (as `postgres` under root) and Mosquitto (its own user) must reach their files in here.
  chmodSync(dir, 0o755);
  mkdirSync(logDir, { recursive: true });
  const sec = secrets(dir);

  const base = o.port ?? 0;
  const port = base || (await freePort());
  const nodePorts = await Promise.all(Array.from({ length: n }, (_, i) => (base ? base + i + 1 : freePort())));
  const mediaPort = o.simulator === false ? 0 : (o.simulator?.mediaPort ?? (await freePort()));
  const started: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  const exitListeners: Array<(name: string, code: number | null, signal: NodeJS.Signals | null) => void> = [];
  let stopping = false;
  const watch = (p: Proc) => {
    p.child.once('exit', (code, signal) => {
      if (!stopping) for (const l of exitListeners) l(p.name, code, signal);
    });
  };
  const codes: Record<string, number | null> = {};
  let stopped: Promise<Record<string, number | null>> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      // Reverse start order, each step waited for; nodes stop together (each commits and closes).
      for (const step of started.reverse()) {
        say(`stopping ${step.name}…`);
        try {
          await step.stop();
        } catch (error) {
          say(`stopping ${step.name} failed: ${(error as Error).message}`);
        }
      }
      release();
      if (temp) rmSync(dir, { recursive: true, force: true });
      return codes;
    })());

  const check = () => {
    if (o.signal?.aborted) throw new Error('stopped while starting');
  };
  try {
    for (const [p, what] of [[port, 'HAProxy'], ...nodePorts.map((p, i) => [p, `node-${i + 1}`] as const), [o.pgPort ?? 0, 'PostgreSQL'], [o.mqttPort ?? 0, 'Mosquitto']] as const) {
      if (p) await assertPortFree(p, what);
    }
    say(`PostgreSQL: data in ${path.join(dir, 'pg')}…`);
    const pg = await startPostgres({ dir, port: o.pgPort ?? 0, password: sec.pgPassword, logDir });
    started.push({ name: 'PostgreSQL (pg_ctl stop -m fast)', stop: pg.stop });
    check();

    say('Mosquitto…');
    const server = { username: 'linkage-server', password: sec.mqttPassword };
    const broker = await startMosquitto({ dir, port: o.mqttPort ?? 0, server, gateways: [{ username: GATEWAY, password: sec.gatewayKey }], runDir, logDir, signal: o.signal });
    watch(broker.proc);
    started.push({ name: 'Mosquitto', stop: () => broker.proc.stop('SIGTERM', 10_000) });
    check();

    say(`${n} server node${n === 1 ? '' : 's'}…`);
    const env: Record<string, string> = {
      DATABASE_URL: pg.url,
      GATEWAY_KEYS: `${GATEWAY}:${sec.gatewayKey}`,
      MQTT_URL: broker.url,
      MQTT_USERNAME: server.username,
      MQTT_PASSWORD: server.password,
      MQTT_SHARE_GROUP: SHARE_GROUP,
      STATIC_DIR: o.staticDir ?? path.resolve(import.meta.dirname, '..', '..', 'dist'),
      DATASET_DIR: o.datasetDir,
      AUTH_MODE: 'declared',
      ...(mediaPort > 0 && !process.env.VIDEO_URL_TEMPLATE ? { VIDEO_URL_TEMPLATE: `http://127.0.0.1:${mediaPort}/hls/{id}/index.m3u8` } : {}),
      ...o.nodeEnv,
    };
    const spawned = nodePorts.map((p, i) => spawnNode({ index: i + 1, port: p, dataDir: path.join(dir, `node-${i + 1}`), env, runDir, logDir }));
    for (const s of spawned) watch(s.proc);
    started.push({
      name: 'server nodes (SIGTERM: commit, checkpoint, close)',
      stop: () => Promise.all(spawned.map(async (s) => (codes[s.node.name] = await s.node.stop()))),
    });
    await Promise.all(spawned.map((s) => nodeHealthy(s.node, s.proc, o.signal)));
    const nodes = spawned.map((s) => s.node);

    say('HAProxy…');
    const haproxy = startHaproxy({ dir, port, nodes: nodes.map((x, i) => ({ name: x.name, port: nodePorts[i] })), runDir, logDir });
    watch(haproxy);
    started.push({ name: 'HAProxy', stop: () => haproxy.stop('SIGTERM', 10_000) });
    const url = `http://127.0.0.1:${port}`;
    // Up through HAProxy: requests without the cookie go roundrobin, so every node's name shows.
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const res = await fetch(`${url}/api/health`);
        if (res.ok) seen.add(((await res.json()) as { node: string }).node);
        return seen.size === n;
      },
      { ms: 30_000, signal: o.signal, why: () => `HAProxy did not reach every node within 30 s (saw ${[...seen].join(', ') || 'none'}):\n${haproxy.tail()}`, gone: () => (haproxy.running() ? null : `HAProxy exited (${haproxy.child.exitCode}) at start:\n${haproxy.tail()}`) },
    );

    if (o.simulator !== false) {
      say('simulator…');
      const sim = spawnSimulator({ url, mqttUrl: broker.url, gateway: GATEWAY, key: sec.gatewayKey, datasetDir: o.datasetDir, mediaPort, speed: o.simulator?.speed, load: o.simulator?.load, runDir, logDir });
      watch(sim);
      // SIGTERM: it delivers what it has queued (bounded, ~40 s) while the nodes still run.
      started.push({ name: 'simulator', stop: () => sim.stop('SIGTERM', 60_000) });
    }
    check();
    return { url, nodes, pgUrl: pg.url, mqttUrl: broker.url, gateway: { name: GATEWAY, key: sec.gatewayKey }, dir, logDir, onExit: (l) => void exitListeners.push(l), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
