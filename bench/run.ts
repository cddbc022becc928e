// `npm run bench`: durable HTTP ingest vs raw better-sqlite3, and socket.io delta latency/bytes vs
// raw ws, each measured in this run. Server, load generators, clients and baselines are separate
// child processes (node --import tsx), each in its own process group; what a phase leaves behind
// (bench/procs.ts) is killed and reported after it, and bench exits 1 if any phase left something.
// One JSON object on stdout (also bench/results/latest.json); progress on stderr.
// Env: BENCH_SECONDS (measurement per point, default 15), BENCH_WARMUP (default 3),
// BENCH_CONCURRENCY (default "2,4,8"; also MQTT messages in flight; BENCH_MQTT=0 skips MQTT), BENCH_BATCH (default 5000), BENCH_NORMAL=0 to skip the
// NORMAL comparison, BENCH_RATE (default 20000), BENCH_CLIENTS (default 100), BENCH_PIN=1 to pin
// the server to CPU 0 and every other child to CPU 1 (taskset), BENCH_PROFILE=dir for a server --cpu-prof.
// --no-longtasks skips the browser long-tasks figure (bench/longtasks.ts, ~90 s) and the screen's own
// work (bench/screen-work.ts, ~60 s: decode + apply ms of 2,000-change deltas and of a snapshot in Chromium).
// Replay (bench/replay.ts: seeks over 20 min of full-rate log vs raw reads) runs unless --no-replay.
// Crash safety (bench/crash.ts: BENCH_CRASHES kill -9 of the server under full-rate HTTP + MQTT ingest,
// acknowledged vs found, restored vs rebuilt projections; result under faults.crash) runs unless --no-crash.
// Slow consumers (bench/slow-consumers.ts: delta delivery p50/p99 of 2 normal socket.io clients under
// BENCH_SLOW_RATE device events/s, alone and with BENCH_SLOW_CLIENTS clients that stop reading, server
// RSS, slow clients cut; result under faults.slowConsumers) runs unless --no-slow.
// Fuzz (bench/fuzz.ts: the three server/fuzz*.test.ts files under vitest at FUZZ_SCALE, cases run per
// path, passed, seconds; result under faults.fuzz) runs unless --no-fuzz.
// The dashboard soak (bench/soak.ts: heap over BENCH_SOAK_MIN minutes, default 30) runs last; --no-soak skips it.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import { leaveTsxRelay } from '../scripts/tsx-relay.ts';
import { killAll, killGroup, leaks, reap, runningChildren, runPhase, startChild, tagged, runTag } from './procs.ts';
import { ratio, summarize } from './stats.ts';

// Under the tsx CLI (npm run bench), bench runs as a child of an idle relay process.
await leaveTsxRelay(import.meta.filename);

const root = path.resolve(import.meta.dirname, '..');
const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 15);
const WARMUP = Number(env.BENCH_WARMUP ?? 3);
const CONCURRENCY = (env.BENCH_CONCURRENCY ?? '2,4,8').split(',').map(Number);
const BATCH = Number(env.BENCH_BATCH ?? 5000);
const RATE = Number(env.BENCH_RATE ?? 20_000);
const CLIENTS = Number(env.BENCH_CLIENTS ?? 100);
const PIN = env.BENCH_PIN === '1';
const DATASET_DIR = path.resolve(env.DATASET_DIR ?? path.join(root, 'data', 'generated'));
/** The browser long-tasks phase (bench/longtasks.ts) runs unless --no-longtasks is given. */
const LONGTASKS = !process.argv.includes('--no-longtasks');
/** The soak (bench/soak.ts) runs unless --no-soak: it takes BENCH_SOAK_MIN (30) minutes plus start-up. */
const SOAK = !process.argv.includes('--no-soak');
/** The crash-safety phase (bench/crash.ts) runs unless --no-crash: ~1 min plus 10 s per crash. */
const CRASH = !process.argv.includes('--no-crash');
/** The slow-consumers phase (bench/slow-consumers.ts) runs unless --no-slow: ~2 × BENCH_SLOW_SECONDS + 30 s. */
const SLOW = !process.argv.includes('--no-slow');
/** The fuzz phase (bench/fuzz.ts, vitest on server/fuzz*.test.ts) runs unless --no-fuzz: ~1-2 min at FUZZ_SCALE=1. */
const FUZZ = !process.argv.includes('--no-fuzz');
/** Durable ingest (HTTP, raw SQLite, MQTT, NORMAL) runs unless --no-ingest; the realtime phase unless --no-realtime. */
const INGEST = !process.argv.includes('--no-ingest');
const REALTIME = !process.argv.includes('--no-realtime');
/** Seconds the realtime clients have to connect and take their snapshots before the load starts. */
const CONNECT_S = Number(env.BENCH_CONNECT_S ?? Math.max(20, Math.ceil(CLIENTS / 10)));
const SOAK_MS = (Number(env.BENCH_SOAK_MIN ?? 30) * 60 + Number(env.BENCH_SOAK_WARMUP_S ?? 120) + 300) * 1000;
const DEADLINE_MS = Number(env.BENCH_DEADLINE_S ?? (LONGTASKS ? 660 : 290) + 300 + (REALTIME ? CONNECT_S : 0) + (CRASH ? 180 : 0) + (SLOW ? 120 : 0) + (FUZZ ? 300 * Number(env.FUZZ_SCALE ?? 1) : 0)) * 1000 + (SOAK ? SOAK_MS : 0);
const KEY = randomBytes(18).toString('base64url');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-bench-'));
const log = (msg: string) => process.stderr.write(`[bench +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const notes: string[] = [];

// ---- child processes ----------------------------------------------------------------------
/** `node --import tsx script`, pinned to a CPU with taskset under BENCH_PIN=1. */
function command(script: string, args: string[], cpu?: 0 | 1, nodeArgs: string[] = []): [string, string[]] {
  const argv = [...nodeArgs, '--import', 'tsx', path.join(root, script), ...args];
  return PIN && cpu !== undefined ? ['taskset', ['-c', String(cpu), process.execPath, ...argv]] : [process.execPath, argv];
}
function start(script: string, args: string[], opts: { env?: Record<string, string>; cpu?: 0 | 1; nodeArgs?: string[]; quiet?: boolean } = {}) {
  return startChild(path.basename(script), ...command(script, args, opts.cpu, opts.nodeArgs), opts);
}
async function runJson<T>(script: string, args: string[], timeoutMs: number, cpu?: 0 | 1, pids?: number[]): Promise<T> {
  const r = await runPhase(path.basename(script), ...command(script, args, cpu), timeoutMs, { onStart: (pid) => pids?.push(pid) });
  if (r.left.length) {
    log(`LEFT BEHIND by ${script}, killed: ${r.left.map((l) => `${l.pid} ${l.cmd}`).join(' | ')}`);
    notes.push(`LEFT BEHIND: ${script} left ${r.left.length} processes running (killed after it): ${r.left.map((l) => l.cmd).join(' | ').slice(0, 500)}`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !line.startsWith('{')) throw new Error(`${script} failed (exit ${r.code}): ${r.stderrTail.slice(-1500)}`);
  return JSON.parse(line) as T;
}
/** Resident memory of a process in MB, from /proc (Linux); 0 when it is gone. */
function rssMb(pid: number | undefined): number {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}
/** CPU seconds (user+system) a process used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Cores used by each group of processes between two instants (sampled from /proc at those times). */
function cpuMeter(groups: Record<string, number[]>, from: number, to: number): Promise<Record<string, number>> {
  const sample = () => Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, pids.reduce((s, p) => s + cpuSeconds(p), 0)]));
  return new Promise((resolve) => {
    setTimeout(() => {
      const a = sample();
      setTimeout(() => {
        const b = sample();
        resolve(Object.fromEntries(Object.keys(a).map((k) => [k, Number(((b[k] - a[k]) / ((to - from) / 1000)).toFixed(2))])));
      }, to - from);
    }, Math.max(0, from - Date.now()));
  });
}

// ---- the server -----------------------------------------------------------------------------
async function startServer(name: string, synchronous: 'FULL' | 'NORMAL') {
  const port = await freePort();
  const mqttPort = await freePort();
  const dataDir = path.join(tmp, name);
  mkdirSync(dataDir, { recursive: true });
  const profile = env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(env.BENCH_PROFILE)}`] : [];
  const s = start('server/main.ts', [], {
    cpu: 0,
    quiet: true,
    nodeArgs: profile,
    env: { PORT: String(port), MQTT_PORT: String(mqttPort), HOST: '127.0.0.1', DATA_DIR: dataDir, DATASET_DIR, LOG_LEVEL: 'warn', TICK_MS: '50', GATEWAY_KEYS: `bench:${KEY}`, SQLITE_SYNCHRONOUS: synchronous, AUTH_MODE: 'declared' },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`server exited early: ${s.stderrTail()}`);
    if (Date.now() > deadline) {
      killGroup(s.child);
      throw new Error(`server not healthy in 60 s: ${s.stderrTail()}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const stop = async () => {
    killGroup(s.child, 'SIGTERM'); // graceful: commits what was acknowledged, checkpoints, closes
    const timer = setTimeout(() => killGroup(s.child), 30_000);
    await s.exited;
    clearTimeout(timer);
  };
  return { url, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, dataDir, pid: s.child.pid, stop, stderrTail: s.stderrTail };
}
function countRows(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'linkage.db'), { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'device:reported'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

// ---- 1. durable ingest ----------------------------------------------------------------------
interface LoadOut {
  eventsPerSec: number;
  perSecond: { min: number; median: number; max: number };
  ackedTotal: number;
  ackedInWindow: number;
  concurrency: number | null;
  requestMs: ReturnType<typeof summarize>;
  byStatus: Record<string, number>;
  rejected: number;
  errors: string[];
  skippedSends: number;
  probesSent: number;
  probesAcked: number;
}
async function httpIngest(synchronous: 'FULL' | 'NORMAL', levels: number[]) {
  const server = await startServer(`ingest-${synchronous}`, synchronous);
  const runs: Array<{ concurrency: number; eventsPerSec: number; perSecond: LoadOut['perSecond']; requestMsP50: number; requestMsP99: number; cpuCores: Record<string, number> }> = [];
  let acked = 0;
  try {
    for (const concurrency of levels) {
      log(`ingest ${synchronous}: batch ${BATCH}, concurrency ${concurrency}, ${WARMUP}+${SECONDS} s`);
      const measureFrom = Date.now() + WARMUP * 1000 + 500; // the child needs ~0.5 s to start
      const loadPids: number[] = [];
      const cfg = { mode: 'closed', url: server.url, key: KEY, datasetDir: DATASET_DIR, batch: BATCH, concurrency, warmupS: WARMUP, measureS: SECONDS, measureFrom, seed: concurrency };
      const meter = cpuMeter({ server: [server.pid!], loadGenerator: loadPids }, measureFrom, measureFrom + SECONDS * 1000);
      const r = await runJson<LoadOut>('bench/ingest-load.ts', [JSON.stringify(cfg)], (WARMUP + SECONDS + 60) * 1000, 1, loadPids);
      const cores = await meter;
      acked += r.ackedTotal;
      if (r.errors.length) notes.push(`ingest ${synchronous} c=${concurrency}: ${r.errors.join(' | ')}`);
      runs.push({ concurrency, eventsPerSec: r.eventsPerSec, perSecond: r.perSecond, requestMsP50: r.requestMs.p50, requestMsP99: r.requestMs.p99, cpuCores: cores });
      log(`  -> ${r.eventsPerSec} events/s acked (request p50 ${r.requestMs.p50} ms), cores used: ${JSON.stringify(cores)}`);
    }
  } finally {
    await server.stop();
  }
  const found = countRows(server.dataDir);
  rmSync(server.dataDir, { recursive: true, force: true });
  const best = runs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
  return { eventsPerSec: best.eventsPerSec, batch: BATCH, concurrency: best.concurrency, synchronous, runs, ackedVsFound: { acked, found, ok: found >= acked } };
}
/** The same durable ingest over MQTT: QoS 1 batches, each PUBACK sent after commit. */
async function mqttIngest(inFlightLevels: number[]) {
  const server = await startServer('ingest-mqtt', 'FULL');
  const runs: Array<{ inFlight: number; eventsPerSec: number; perSecond: LoadOut['perSecond']; publishMsP50: number; publishMsP99: number; cpuCores: Record<string, number> }> = [];
  let acked = 0;
  try {
    for (const inFlight of inFlightLevels) {
      log(`ingest MQTT: batch ${BATCH}, ${inFlight} messages in flight, ${WARMUP}+${SECONDS} s`);
      const measureFrom = Date.now() + WARMUP * 1000 + 500;
      const loadPids: number[] = [];
      const cfg = { url: server.mqttUrl, gateway: 'bench', key: KEY, datasetDir: DATASET_DIR, batch: BATCH, inFlight, warmupS: WARMUP, measureS: SECONDS, measureFrom, seed: 100 + inFlight };
      const meter = cpuMeter({ server: [server.pid!], loadGenerator: loadPids }, measureFrom, measureFrom + SECONDS * 1000);
      const r = await runJson<{ eventsPerSec: number; perSecond: LoadOut['perSecond']; ackedTotal: number; publishMs: ReturnType<typeof summarize>; errors: string[]; rejected: number }>('bench/mqtt-load.ts', [JSON.stringify(cfg)], (WARMUP + SECONDS + 60) * 1000, 1, loadPids);
      const cores = await meter;
      acked += r.ackedTotal;
      if (r.errors.length || r.rejected) notes.push(`ingest MQTT inFlight=${inFlight}: ${r.rejected} rejected; ${r.errors.join(' | ')}`);
      runs.push({ inFlight, eventsPerSec: r.eventsPerSec, perSecond: r.perSecond, publishMsP50: r.publishMs.p50, publishMsP99: r.publishMs.p99, cpuCores: cores });
      log(`  -> ${r.eventsPerSec} events/s acknowledged over MQTT (publish p50 ${r.publishMs.p50} ms), cores used: ${JSON.stringify(cores)}`);
    }
  } finally {
    await server.stop();
  }
  const found = countRows(server.dataDir);
  rmSync(server.dataDir, { recursive: true, force: true });
  const best = runs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
  return { eventsPerSec: best.eventsPerSec, batch: BATCH, inFlight: best.inFlight, runs, ackedVsFound: { acked, found, ok: found >= acked } };
}

async function rawSqlite(synchronous: 'FULL' | 'NORMAL') {
  log(`raw better-sqlite3 ${synchronous}: batch ${BATCH}, ${WARMUP}+${SECONDS} s`);
  const dir = path.join(tmp, `raw-${synchronous}`);
  mkdirSync(dir, { recursive: true });
  const r = await runJson<{ eventsPerSec: number; perSecond: LoadOut['perSecond']; rows: number }>(
    'bench/raw-sqlite.ts',
    [JSON.stringify({ dir, datasetDir: DATASET_DIR, batch: BATCH, synchronous, warmupS: WARMUP, measureS: SECONDS })],
    (WARMUP + SECONDS + 60) * 1000,
    0,
  );
  rmSync(dir, { recursive: true, force: true });
  log(`  -> ${r.eventsPerSec} rows/s`);
  return { eventsPerSec: r.eventsPerSec, perSecond: r.perSecond, batch: BATCH, synchronous, process: 'one child process, one connection, one transaction per batch' };
}

// ---- 2-4. realtime ----------------------------------------------------------------------------
interface ClientsOut {
  /** Clients that had a snapshot, each once. */
  connected: number;
  snapshotsBeforeLoad: number;
  connectRetries: number;
  connectedAtEnd: number;
  deltas: number;
  seqGaps: number;
  disconnects: number;
  probeMs: number[];
  deliveryMs: number[];
  bytesPerSec: number[];
  wireBytesPerSec: number[];
  deltaLog: number[][];
  snapshotBytes: number;
  partBytesPerSec: Record<string, number>;
  errors: string[];
}
const splitClients = () => (CLIENTS > 1 ? [Math.ceil(CLIENTS / 2), Math.floor(CLIENTS / 2)] : [CLIENTS]);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Waits until every file exists (or the deadline), then returns what each holds (null: not there). */
async function waitForFiles<T>(files: string[], deadline: number): Promise<Array<T | null>> {
  const read = (f: string): T | null => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as T;
    } catch {
      return null;
    }
  };
  while (Date.now() < deadline && files.some((f) => read(f) === null)) await sleep(100);
  return files.map(read);
}

async function realtime() {
  const server = await startServer('realtime', 'FULL');
  const goFile = path.join(tmp, 'realtime-go.json');
  try {
    log(`realtime: connecting ${CLIENTS} socket.io clients (each to its snapshot; at most ${CONNECT_S} s)`);
    const pids = { server: [server.pid!], loadGenerator: [] as number[], clients: [] as number[] };
    // The server's resident memory: before the clients, once they have their snapshots, its max under load.
    const rss = { beforeClients: rssMb(server.pid), connected: 0, maxUnderLoad: 0, end: 0 };
    const rssTimer = setInterval(() => (rss.maxUnderLoad = Math.max(rss.maxUnderLoad, rssMb(server.pid))), 500);
    const readyFiles = splitClients().map((_, k) => path.join(tmp, `realtime-ready-${k}.json`));
    const clientRuns = splitClients().map((count, k) =>
      runJson<ClientsOut>('bench/clients.ts', [JSON.stringify({ url: server.url, count, probePrefix: 'BENCH-PROBE-', recordDeltas: k === 0, connectS: CONNECT_S, readyFile: readyFiles[k], goFile })], (CONNECT_S + SECONDS + WARMUP + 60) * 1000, 1, pids.clients),
    );
    // The load starts once every clients process has connected all it could (snapshots taken).
    const failed = Promise.all(clientRuns).then(() => null, (e: Error) => e);
    const ready = await Promise.race([waitForFiles<{ snapshots: number; connectSeconds: number }>(readyFiles, Date.now() + (CONNECT_S + 30) * 1000), failed.then((e) => { if (e) throw e; return []; })]);
    const connectedBeforeLoad = ready.reduce((n, r) => n + (r?.snapshots ?? 0), 0);
    const connectSeconds = Math.max(0, ...ready.map((r) => r?.connectSeconds ?? NaN));
    log(`  ${connectedBeforeLoad}/${CLIENTS} clients had their snapshot in ${connectSeconds.toFixed(1)} s; load starts`);
    if (connectedBeforeLoad < CLIENTS) notes.push(`realtime: only ${connectedBeforeLoad} of ${CLIENTS} requested clients connected and had a snapshot before the load (BENCH_CONNECT_S ${CONNECT_S}); the figures are for those`);
    rss.connected = rssMb(server.pid);
    const measureFrom = Date.now() + (WARMUP + 1) * 1000; // the load generator needs ~0.5 s to start, then warms up
    const measureTo = measureFrom + SECONDS * 1000;
    writeFileSync(goFile, JSON.stringify({ measureFrom, measureTo }));
    log(`realtime: ${RATE} device events/s + 20 probe case reports/s to ${connectedBeforeLoad} clients, measuring ${SECONDS} s`);
    const meter = cpuMeter(pids, measureFrom, measureTo);
    const batch = Math.min(BATCH, Math.max(100, Math.round(RATE / 20))); // 20 device requests/s
    const loadCfg = { mode: 'paced', url: server.url, key: KEY, datasetDir: DATASET_DIR, batch, rate: RATE, probeRate: 20, maxInFlight: 16, warmupS: 0, measureS: SECONDS, measureFrom, seed: 99 };
    const [load, ...clients] = await Promise.all([runJson<LoadOut>('bench/ingest-load.ts', [JSON.stringify(loadCfg)], (SECONDS + WARMUP + 60) * 1000, 1, pids.loadGenerator), ...clientRuns]);
    const cpuCores = await meter;
    clearInterval(rssTimer);
    rss.end = rssMb(server.pid);
    const all = <K extends keyof ClientsOut>(k: K) => clients.flatMap((c) => c[k] as unknown as number[]);
    const errors = clients.flatMap((c) => c.errors).concat(load.errors);
    if (errors.length) notes.push(`realtime errors: ${errors.slice(0, 5).join(' | ')}`);
    const sum = (k: 'connected' | 'connectedAtEnd' | 'connectRetries' | 'deltas' | 'seqGaps' | 'disconnects') => clients.reduce((s, c) => s + c[k], 0);
    return {
      load, clients, batch, cpuCores, probe: summarize(all('probeMs')), delivery: summarize(all('deliveryMs')), bytes: all('bytesPerSec'), wire: all('wireBytesPerSec'),
      deltaLog: clients[0].deltaLog, snapshotBytes: clients[0].snapshotBytes, partBytesPerSec: clients[0].partBytesPerSec,
      connection: { requested: CLIENTS, connectedBeforeLoad, connectSeconds, connectRetries: sum('connectRetries'), connectedAtEnd: sum('connectedAtEnd') },
      connected: sum('connected'), deltas: sum('deltas'), seqGaps: sum('seqGaps'), disconnects: sum('disconnects'),
      serverRssMb: { ...rss, what: 'server VmRSS (MB): before the clients connected, once they had their snapshots, the max sampled every 0.5 s from then to the end of the window, and at its end' },
    };
  } finally {
    // Clients still waiting for the window (the phase failed) are let go to end.
    if (!existsSync(goFile)) writeFileSync(goFile, JSON.stringify({ measureFrom: Date.now(), measureTo: Date.now() }));
    await server.stop();
  }
}

async function rawWs(deltaLog: number[][], frames: boolean) {
  const port = await freePort();
  const logFile = path.join(tmp, `delta-log-${frames}.json`);
  writeFileSync(logFile, JSON.stringify(deltaLog));
  const measureFrom = Date.now() + (WARMUP + 2) * 1000;
  const measureTo = measureFrom + SECONDS * 1000;
  log(`raw ws (${frames ? 'same frames as socket.io' : 'one message per delta'}): replaying ${deltaLog.length} deltas to ${CLIENTS} clients, measuring ${SECONDS} s`);
  const base = { port, measureFrom, measureTo };
  const pids = { server: [] as number[], clients: [] as number[] };
  const meter = cpuMeter(pids, measureFrom, measureTo);
  const server = runJson<{ messagesSent: number; bytesPerMessage: number; clients: number }>('bench/raw-ws.ts', ['server', JSON.stringify({ ...base, count: CLIENTS, logFile, periodMs: SECONDS * 1000, frames })], (SECONDS + WARMUP + 60) * 1000, 0, pids.server);
  await sleep(300);
  const clients = splitClients().map((count) => runJson<{ latencyMs: number[]; bytesPerSec: number[]; connected: number; errors: string[] }>('bench/raw-ws.ts', ['clients', JSON.stringify({ ...base, count })], (SECONDS + WARMUP + 60) * 1000, 1, pids.clients));
  const [s, ...c] = await Promise.all([server, ...clients]);
  const cpuCores = await meter;
  const errors = c.flatMap((x) => x.errors);
  if (errors.length) notes.push(`raw ws errors: ${errors.slice(0, 5).join(' | ')}`);
  const latency = summarize(c.flatMap((x) => x.latencyMs));
  log(`  -> raw ws delivery p50 ${latency.p50} ms, p99 ${latency.p99} ms`);
  return { ...latency, messagesSent: s.messagesSent, bytesPerMessage: s.bytesPerMessage, connected: c.reduce((n, x) => n + x.connected, 0), bytesPerClientPerSec: Math.round(mean(c.flatMap((x) => x.bytesPerSec))), cpuCores };
}

// ---- 5. dataset ---------------------------------------------------------------------------------
async function datasetLoad() {
  const t = performance.now();
  const { loadDataset } = await import('../data/load.ts');
  const { GridLocator } = await import('../core/geo.ts');
  const { buildDistrict } = await import('../server/district.ts');
  const tImported = performance.now();
  const ds = await loadDataset(DATASET_DIR);
  const tLoaded = performance.now();
  const locator = new GridLocator(ds.grids);
  buildDistrict({ manifest: ds.manifest, devices: ds.devices, components: ds.components, gridProps: ds.grids.features.map((f) => f.properties as never), locate: (lon, lat) => locator.locate(lon, lat) });
  const tBuilt = performance.now();
  return { loadDatasetMs: Math.round(tLoaded - tImported), buildIndexMs: Math.round(tBuilt - tLoaded), importMs: Math.round(tImported - t) };
}

// ---- main -------------------------------------------------------------------------------------
async function main() {
  const loadavgStart = os.loadavg().map((x) => Number(x.toFixed(2)));
  const cores = os.availableParallelism();
  let dataset: unknown = null;
  try {
    dataset = await datasetLoad();
  } catch (e) {
    notes.push(`dataset load not measured: ${(e as Error).message}`);
  }
  const full = INGEST ? await httpIngest('FULL', CONCURRENCY) : null;
  const rawFull = full ? await rawSqlite('FULL') : null;
  const mqtt = !full || env.BENCH_MQTT === '0' ? null : await mqttIngest(CONCURRENCY);
  let normal: { http: number; raw: number; ratio: number | null; concurrency: number } | null = null;
  if (full && env.BENCH_NORMAL !== '0') {
    const h = await httpIngest('NORMAL', [full.concurrency]);
    const r = await rawSqlite('NORMAL');
    normal = { http: h.eventsPerSec, raw: r.eventsPerSec, ratio: ratio(h.eventsPerSec, r.eventsPerSec), concurrency: full.concurrency };
    if (!h.ackedVsFound.ok) notes.push(`NORMAL: acked ${h.ackedVsFound.acked} but found ${h.ackedVsFound.found}`);
  }
  const rt = REALTIME ? await realtime() : null;
  if (rt) log(`  -> probe latency p50 ${rt.probe.p50} ms p99 ${rt.probe.p99} ms; delta delivery p50 ${rt.delivery.p50} p99 ${rt.delivery.p99}; achieved ${rt.load.eventsPerSec} ev/s`);
  const raw = rt && rt.deltaLog.length > 0 ? await rawWs(rt.deltaLog, false) : null;
  const rawFrames = rt && rt.deltaLog.length > 0 && env.BENCH_RAW_FRAMES !== '0' ? await rawWs(rt.deltaLog, true) : null;
  if (rt && !raw) notes.push('raw ws baseline skipped: no deltas were logged');
  let browser: unknown = null;
  if (LONGTASKS) {
    log('browser long tasks: dashboard with the simulator at full rate, then the same page without updates');
    try {
      browser = await runJson('bench/longtasks.ts', [], 180_000);
    } catch (e) {
      notes.push(`browser long tasks not measured: ${(e as Error).message.slice(0, 500)}`);
    }
  }

  let screenWork: unknown = null;
  if (LONGTASKS) {
    log("screen's own work: 2,000-change deltas and snapshots applied in the dashboard page (Chromium)");
    try {
      screenWork = await runJson('bench/screen-work.ts', [], 240_000);
    } catch (e) {
      notes.push(`screen work not measured: ${(e as Error).message.slice(0, 500)}`);
    }
  }

  let replay: unknown = null;
  if (!process.argv.includes('--no-replay')) {
    log(`replay: jumps and playback over ${env.BENCH_REPLAY_LOG_MIN ?? 20} min of full-rate log, beside raw reads of the same rows`);
    try {
      replay = await runJson('bench/replay.ts', [], 300_000);
    } catch (e) {
      notes.push(`replay not measured: ${(e as Error).message.slice(0, 500)}`);
    }
  }

  let crash: { ok: boolean; ackedVsFound: { acked: number; found: number; missing: number; mismatchedBatches: number }; projections: { equal: boolean; differ: string[] } } | null = null;
  if (CRASH) {
    log(`crash safety: ${env.BENCH_CRASHES ?? 5} × kill -9 of the server under full-rate HTTP + MQTT ingest; acknowledged vs found; restored vs rebuilt projections`);
    try {
      crash = await runJson('bench/crash.ts', [], 300_000);
    } catch (e) {
      notes.push(`crash safety not measured: ${(e as Error).message.slice(0, 500)}`);
    }
  }

  let slowConsumers: { normal: { p50: number; p99: number }; withSlow: { p50: number; p99: number; slowClients: number; cut: number }; ratioP99: number | null; serverRssMb: { before: number; after: number } } | null = null;
  if (SLOW) {
    log(`slow consumers: 2 normal socket.io clients under ${env.BENCH_SLOW_RATE ?? 5000} device events/s, alone then with ${env.BENCH_SLOW_CLIENTS ?? 10} clients that stop reading`);
    try {
      slowConsumers = await runJson('bench/slow-consumers.ts', [], (Number(env.BENCH_SLOW_SECONDS ?? 15) * 2 + Number(env.BENCH_SLOW_WARMUP ?? 3) + 180) * 1000);
      log(`  -> normal p99 ${slowConsumers!.normal.p99} ms, with slow p99 ${slowConsumers!.withSlow.p99} ms, ${slowConsumers!.withSlow.cut} cut`);
    } catch (e) {
      notes.push(`slow consumers not measured: ${(e as Error).message.slice(0, 500)}`);
    }
  }

  let fuzz: { cases: { http: number | null; socket: number | null; mqtt: number | null; total: number }; passed: boolean; seconds: number } | null = null;
  if (FUZZ) {
    log(`fuzz: server/fuzz*.test.ts under vitest at FUZZ_SCALE=${env.FUZZ_SCALE ?? 1}`);
    try {
      fuzz = await runJson('bench/fuzz.ts', [], (300 * Number(env.FUZZ_SCALE ?? 1) + 120) * 1000);
      log(`  -> ${fuzz!.cases.total} cases, ${fuzz!.passed ? 'passed' : 'FAILED'} in ${fuzz!.seconds} s`);
    } catch (e) {
      notes.push(`fuzz not run: ${(e as Error).message.slice(0, 500)}`);
    }
  }

  let soak: unknown = null;
  if (SOAK) {
    log(`dashboard soak: heap of the live page over ${env.BENCH_SOAK_MIN ?? 30} min at full simulator rate`);
    try {
      soak = await runJson('bench/soak.ts', [], SOAK_MS);
    } catch (e) {
      notes.push(`soak not measured: ${(e as Error).message.slice(0, 500)}`);
    }
  }

  const result = {
    machine: {
      cores,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadavgAtStart: loadavgStart,
      loadavgAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))),
      coresPerSide: PIN
        ? 'pinned with taskset: server (and raw baselines: sqlite child, ws server) on CPU 0; load generator and measuring clients on CPU 1'
        : `not pinned: server, load generator, measuring clients and baselines are separate processes sharing the same ${cores} cores (a single Node server uses at most ~1 core for JS plus SQLite/libuv threads)`,
    },
    config: { measureSeconds: SECONDS, warmupSeconds: WARMUP, batch: BATCH, tickMs: 50, serverLogLevel: 'warn' },
    ingest: full && rawFull ? {
      httpDurable: { eventsPerSec: full.eventsPerSec, batch: BATCH, concurrency: full.concurrency, synchronous: 'FULL', runs: full.runs },
      rawSqlite: rawFull,
      ratio: ratio(full.eventsPerSec, rawFull.eventsPerSec),
      ackedVsFound: full.ackedVsFound,
      mqttDurable: mqtt && { ...mqtt, ratioToRaw: ratio(mqtt.eventsPerSec, rawFull.eventsPerSec), ratioToHttp: ratio(mqtt.eventsPerSec, full.eventsPerSec), what: 'QoS 1 publishes of batch records on linkage/up/bench/devices to the embedded aedes broker; counted at PUBACK, which the server sends after commit' },
      normal,
    } : null,
    realtime: rt ? {
      load: { targetEventsPerSec: RATE, achieved: rt.load.eventsPerSec, batch: rt.batch, deviceRequestsPerSec: RATE / rt.batch, probeCaseReportsPerSec: 20, probesSent: rt.load.probesSent, probesAcked: rt.load.probesAcked, skippedSends: rt.load.skippedSends, ingestRequestMs: { p50: rt.load.requestMs.p50, p99: rt.load.requestMs.p99 } },
      clients: CLIENTS,
      clientProcesses: splitClients().length,
      clientDecoder: 'default socket.io-client; each delta arrives as one packed binary attachment and is decoded with core/protocol.ts decodeDelta, as the dashboard does',
      connected: rt.connected,
      connection: { ...rt.connection, connectedOfRequested: `${rt.connection.connectedBeforeLoad}/${rt.connection.requested}`, what: 'clients that connected and had their snapshot before the load started (each clients process connects 20 at a time, a failed handshake tried up to 3 times, within BENCH_CONNECT_S), of those requested; connectedAtEnd: still connected when the window closed' },
      latencyMs: { ...rt.probe, what: 'new probe cases interleaved with the device load: client receive time - case.reportedAt (= load generator send time, same clock); includes HTTP ingest, group commit (fsync), projection, waiting for the next 50 ms tick, socket.io encode/transport/decode' },
      deltaDeliveryMs: { ...rt.delivery, what: 'every delta at every client: receive time - delta.serverTime (hub emit time); comparable to the raw ws figure' },
      deltasPerClientPerSec: Number((rt.deltas / Math.max(1, rt.connected) / SECONDS).toFixed(1)),
      seqGaps: rt.seqGaps,
      disconnects: rt.disconnects,
      serverRssMb: rt.serverRssMb,
      bytesPerClientPerSec: Math.round(mean(rt.bytes)),
      wireBytesPerClientPerSec: Math.round(mean(rt.wire)),
      bytesByPartPerSec: { ...rt.partBytesPerSec, what: 'one client: each top-level field of its deltas as JSON text (delta.devices: the binary attachment of device changes, its bytes), and each discrete event, bytes per second; socket.io framing not included' },
      meanDeltaBytes: rt.deltaLog.length ? Math.round(mean(rt.deltaLog.map((d) => d.slice(1).reduce((a, b) => a + b, 0)))) : null,
      meanFramesPerDelta: rt.deltaLog.length ? Number(mean(rt.deltaLog.map((d) => d.length - 1)).toFixed(1)) : null,
      cpuCores: rt.cpuCores,
      rawWs: raw,
      ratioP50: raw ? ratio(rt.delivery.p50, raw.p50) : null,
      ratioP99: raw ? ratio(rt.delivery.p99, raw.p99) : null,
      rawWsSameFrames: rawFrames,
      ratioP99SameFrames: rawFrames ? ratio(rt.delivery.p99, rawFrames.p99) : null,
    } : null,
    dataset: { ...(dataset as object), snapshotBytes: rt?.snapshotBytes ?? null },
    browserLongTasks: browser,
    screenWork,
    replay,
    faults: {
      crash,
      slowConsumers, // { normal: {p50, p99}, withSlow: {p50, p99, slowClients, cut}, ratioP99, serverRssMb: {before, after, max}, what, ... }
      fuzz, // { cases: {http, socket, mqtt, total}, passed, seconds, ... }
    },
    dashboardSoak: soak,
    targets: {
      ingestDurableEventsPerSec: full && { target: 100_000, reached: full.eventsPerSec, met: full.eventsPerSec >= 100_000 },
      realtimeLoadEventsPerSec: rt && { target: RATE, reached: rt.load.eventsPerSec, met: rt.load.eventsPerSec >= RATE * 0.98 },
    },
    notes,
    durationSeconds: 0,
  };
  notes.push(
    'events/s counts only acknowledged (2xx) accepted records whose ack arrived inside the measurement window',
    'ratio = server figure / baseline figure measured in this run; raw sqlite times insert + JSON.stringify per row, records pre-generated',
    'rawWs sends one binary message per observed socket.io delta (same total bytes, same timing, send time embedded); rawWsSameFrames sends the same frames socket.io sent (one text header + one frame per binary attachment); neither raw server does any ingest work, while the socket.io server ingests 20k events/s at the same time',
    'bytesPerClientPerSec counts websocket message payloads received (Buffer.byteLength / byteLength); wireBytesPerClientPerSec is TCP bytes read including frame headers',
  );
  if (loadavgStart[0] > 1) notes.push(`machine was already busy at start (load average ${loadavgStart[0]}): other work shares these ${cores} cores, figures are noisy`);
  if (mqtt && !mqtt.ackedVsFound.ok) notes.push(`DURABILITY (MQTT): acknowledged ${mqtt.ackedVsFound.acked} events but only ${mqtt.ackedVsFound.found} rows were found`);
  if (crash && !crash.ok) {
    const a = crash.ackedVsFound;
    notes.push(`DURABILITY (kill -9): ${a.missing} of ${a.acked} acknowledged events missing, ${a.mismatchedBatches} batches changed; projections ${crash.projections.equal ? 'equal' : `differ in ${crash.projections.differ.join(', ')}`}`);
  }
  if (fuzz && !fuzz.passed) notes.push(`FUZZ: the fuzz tests failed or did not report their case counts (${JSON.stringify(fuzz.cases)})`);
  if (slowConsumers && slowConsumers.withSlow.cut === 0) notes.push('slow consumers: the server cut none of the slow clients within the window');
  if (full && !full.ackedVsFound.ok) notes.push(`DURABILITY: acknowledged ${full.ackedVsFound.acked} events but only ${full.ackedVsFound.found} rows were found`);
  result.durationSeconds = Math.round((Date.now() - t0) / 1000);
  const json = JSON.stringify(result, null, 2);
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'latest.json'), json + '\n');
  process.stdout.write(json + '\n');
}

/**
 * Stops every child (SIGTERM: a phase stops what it started; SIGKILL after 10 s) and kills what
 * they left; true if nothing tagged with this run remains.
 */
async function cleanUp(): Promise<boolean> {
  killAll('SIGTERM');
  for (const end = Date.now() + 10_000; runningChildren() > 0 && Date.now() < end; ) await sleep(100);
  killAll();
  reap();
  for (const end = Date.now() + 10_000; tagged(runTag).length > 0 && Date.now() < end; ) await sleep(100);
  return tagged(runTag).length === 0;
}
const guard = setTimeout(() => {
  log(`deadline of ${DEADLINE_MS / 1000} s reached: killing every child`);
  void cleanUp().then(() => process.exit(2));
}, DEADLINE_MS);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    log(`${sig}: killing every child`);
    void cleanUp().then(() => process.exit(130));
  });
}
process.on('exit', () => {
  killAll();
  reap();
  rmSync(tmp, { recursive: true, force: true });
});
try {
  await main();
} catch (e) {
  log(`FAILED: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  clearTimeout(guard);
  const clean = await cleanUp();
  // Every phase stops its own processes; anything found after one is a bug to fix, not to hide.
  if (leaks.length > 0 || !clean) {
    log(`LEFT BEHIND: ${leaks.length} processes outlived their phase${clean ? '' : ', and some could not be killed'}: ${leaks.map((l) => `[${l.phase}] ${l.pid} ${l.cmd}`).join(' | ')}`);
    process.exitCode = 1;
  }
}
