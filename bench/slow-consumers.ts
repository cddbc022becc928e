// Slow consumers under steady ingest (child of bench/run.ts; prints one JSON line).
// The real server (server/main.ts, a temp DATA_DIR, AUTH_MODE=declared so screens connect without
// an account, rate limits off) takes BENCH_SLOW_RATE device events/s (default 5000) in batches every
// 50 ms over HTTP. Two normal socket.io clients decode every delta and measure its delivery
// (receive time − delta.serverTime, the hub's emit time; same machine clock) for BENCH_SLOW_SECONDS
// (default 15) alone; then BENCH_SLOW_CLIENTS more clients (default 10) connect, take their
// snapshot and stop reading (ws.pause(): the TCP socket is no longer read, so the server's queue for
// them fills), and the two are measured again for as long. Loopback TCP buffers take megabytes
// before the server sees backpressure, so each slow client also asks for a few snapshots in its
// first seconds (BENCH_SLOW_SNAPSHOTS, default 200: ~23 MB, past the 16 MB limit, one every 100 ms) and never reads them (as
// server/slow-consumers.test.ts does). The server's
// watchdog (server/realtime/backpressure.ts, production limits: 16 MB queued or 30 s unwritable)
// cuts them: counted from its "cutting slow connection" warnings. Server RSS from /proc/<pid>/status.
// Env: BENCH_SLOW_SECONDS (40), BENCH_SLOW_WARMUP (3), BENCH_SLOW_RATE (5000), BENCH_SLOW_CLIENTS (10), BENCH_SLOW_SNAPSHOTS (200),
// DATASET_DIR.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { decodeDelta, type ClientToServerEvents, type ServerToClientEvents } from '../core/protocol.ts';
import { freePort } from '../scripts/free-port.ts';
import { startServerProcess, type ServerProcess } from '../scripts/server-process.ts';
import { makePoster } from './http.ts';
import { RecordGenerator } from './records.ts';
import { ratio, summarize } from './stats.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const root = path.resolve(import.meta.dirname, '..');
const env = process.env;
// Longer than the 30 s unwritable limit, so the watchdog's cut shows in the window.
const SECONDS = Number(env.BENCH_SLOW_SECONDS ?? 40);
const WARMUP = Number(env.BENCH_SLOW_WARMUP ?? 3);
const RATE = Number(env.BENCH_SLOW_RATE ?? 5000);
const SLOW = Number(env.BENCH_SLOW_CLIENTS ?? 10);
/** Snapshots each slow client asks for (one every 100 ms) and never reads. */
const SNAPSHOTS = Number(env.BENCH_SLOW_SNAPSHOTS ?? 200);
const TICK_MS = 50;
const DATASET_DIR = path.resolve(env.DATASET_DIR ?? path.join(root, 'data', 'generated'));
const KEY = randomBytes(18).toString('base64url');
const t0 = Date.now();
const log = (m: string) => process.stderr.write(`[slow +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-slow-bench-'));
let server: ServerProcess | null = null;
const sockets: Client[] = [];
process.on('exit', () => {
  for (const s of sockets) s.close();
  server?.child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

/** Resident set of a process in MB, from /proc (Linux); NaN when unreadable. */
function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
  } catch {
    return NaN;
  }
}
const cuts = () => (server!.logs().match(/cutting slow connection/g) ?? []).length;

server = await startServerProcess({
  dataDir: path.join(tmp, 'data'),
  datasetDir: DATASET_DIR,
  port: await freePort(),
  mqttPort: await freePort(),
  healthTimeoutMs: 120_000,
  env: {
    AUTH_MODE: 'declared', GATEWAY_KEYS: `bench:${KEY}`, TICK_MS: String(TICK_MS), LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MIN: '0', INGEST_RATE_LIMIT_PER_MIN: '0', COMMANDS_PER_SECOND: '0',
  },
});
const pid = server.child.pid;
log(`server up in ${server.healthyAt - server.spawnedAt} ms at ${server.url}; ${RATE} device events/s, ${WARMUP}+${SECONDS} s alone, then ${SECONDS} s with ${SLOW} slow clients`);

// ---- steady ingest ------------------------------------------------------------------------------
const gen = new RecordGenerator(DATASET_DIR, 77);
const poster = makePoster(server.url, { 'x-gateway-key': KEY }, 12);
const batch = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
const load = { sent: 0, acked: 0, failed: 0, skipped: 0, inFlight: 0, errors: [] as string[], ackedAt: [] as number[] };
const pacer = setInterval(() => {
  if (load.inFlight >= 8) {
    load.skipped++;
    return;
  }
  load.inFlight++;
  load.sent++;
  poster
    .post('/api/ingest/devices', gen.body(batch, Date.now()))
    .then((res) => {
      if (res.status === 200) {
        load.acked += batch;
        load.ackedAt.push(Date.now());
      } else {
        load.failed++;
        if (load.errors.length < 5) load.errors.push(`${res.status}: ${res.body.slice(0, 200)}`);
      }
    })
    .catch((e: Error) => {
      load.failed++;
      if (load.errors.length < 5) load.errors.push(e.message);
    })
    .finally(() => load.inFlight--);
}, TICK_MS);

// ---- clients ------------------------------------------------------------------------------------
function connect(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c: Client = io(server!.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
    sockets.push(c);
    const timer = setTimeout(() => reject(new Error('no snapshot within 30 s')), 30_000);
    c.once('snapshot:sent', () => (clearTimeout(timer), resolve(c)));
    c.once('connect_error', (e) => (clearTimeout(timer), reject(e)));
  });
}

let window: number[] | null = null; // delivery ms of the current window (null: not measuring)
let normalDisconnects = 0;
let closing = false;
const errors: string[] = [];
const fast = [await connect(), await connect()];
let snapshotAnswerBytes = 0; // bytes received while one snapshot:request was answered (the snapshot, plus any delta in between)
{
  const ws = (fast[0].io.engine.transport as unknown as { ws: { on(ev: 'message', fn: (d: Buffer | string) => void): void; off(ev: 'message', fn: (d: Buffer | string) => void): void } }).ws;
  const count = (d: Buffer | string) => (snapshotAnswerBytes += typeof d === 'string' ? Buffer.byteLength(d) : d.length);
  ws.on('message', count);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 10_000);
    fast[0].once('snapshot:sent', () => (clearTimeout(timer), resolve()));
    fast[0].emit('snapshot:request', () => {});
  });
  ws.off('message', count);
}
for (const c of fast) {
  c.on('delta:sent', (wire) => {
    const now = Date.now();
    const d = decodeDelta(wire); // as the dashboard does
    window?.push(now - d.serverTime);
  });
  c.on('disconnect', (reason) => {
    if (closing) return;
    normalDisconnects++;
    if (errors.length < 5) errors.push(`normal client disconnected: ${reason}`);
  });
}

async function measure(ms: number): Promise<{ values: number[]; eventsPerSec: number }> {
  const from = Date.now();
  const ackedBefore = load.ackedAt.length;
  window = [];
  await sleep(ms);
  const values = window;
  window = null;
  return { values, eventsPerSec: Math.round(((load.ackedAt.length - ackedBefore) * batch) / ((Date.now() - from) / 1000)) };
}

await sleep(WARMUP * 1000);
log('measuring the two normal clients alone');
const alone = await measure(SECONDS * 1000);
const rssBefore = rssMb(pid);
const cutBefore = cuts();

log(`connecting ${SLOW} clients that stop reading`);
const slow: Client[] = [];
for (let i = 0; i < SLOW; i++) {
  const c = await connect();
  (c.io.engine.transport as unknown as { ws: { pause(): void } }).ws.pause();
  slow.push(c);
}
let asked = 0;
const asking = setInterval(() => {
  if (++asked > SNAPSHOTS) return clearInterval(asking);
  for (const c of slow) if (c.connected) c.emit('snapshot:request', () => {});
}, 100);
let rssMax = rssBefore;
const slowFrom = Date.now();
const cutAfterMs: number[] = []; // when (after the slow clients connected) the server's cut count rose, per cut
const sampler = setInterval(() => {
  rssMax = Math.max(rssMax, rssMb(pid) || 0);
  const n = cuts() - cutBefore;
  while (cutAfterMs.length < n) cutAfterMs.push(Math.round((Date.now() - slowFrom) / 250) * 250);
}, 250);
const withSlow = await measure(SECONDS * 1000);
clearInterval(sampler);
clearInterval(asking);
const rssAfter = rssMb(pid);
const cut = cuts() - cutBefore;
clearInterval(pacer);
log(`alone p99 ${summarize(alone.values).p99} ms, with slow p99 ${summarize(withSlow.values).p99} ms, ${cut} cut, RSS ${rssBefore} -> ${rssAfter} MB (max ${rssMax})`);

closing = true;
for (const s of sockets) s.close();
sockets.length = 0;
await sleep(200);
poster.close();
await server.kill(); // nothing to keep: a graceful stop would wait for the paused sockets
server = null;

const a = summarize(alone.values);
const w = summarize(withSlow.values);
process.stdout.write(
  JSON.stringify({
    normal: { p50: a.p50, p99: a.p99, samples: a.samples, max: a.max, ingestEventsPerSec: alone.eventsPerSec },
    withSlow: { p50: w.p50, p99: w.p99, samples: w.samples, max: w.max, ingestEventsPerSec: withSlow.eventsPerSec, slowClients: SLOW, cut, cutAfterMs },
    ratioP99: ratio(w.p99, a.p99),
    serverRssMb: { before: rssBefore, after: rssAfter, max: rssMax },
    snapshotAnswerBytes,
    config: { seconds: SECONDS, snapshotsAskedPerSlowClient: SNAPSHOTS, warmupSeconds: WARMUP, targetEventsPerSec: RATE, batch, tickMs: TICK_MS, normalClients: fast.length, backpressure: 'production defaults: 16 MB queued or 30 s unwritable' },
    load: { requests: load.sent, failed: load.failed, skippedSends: load.skipped, errors: load.errors },
    normalDisconnects,
    errors,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    what: `delta delivery (client receive time - delta.serverTime) at 2 normal socket.io clients that decode every delta, under ${RATE} device events/s of HTTP ingest: ${SECONDS} s alone, then ${SECONDS} s with ${SLOW} more clients that stop reading (ws paused after their snapshot; each also asks for ${SNAPSHOTS} snapshots, one every 100 ms, it never reads, to fill loopback TCP buffers within seconds); cut = slow connections the server's backpressure watchdog dropped; server RSS (VmRSS) at the end of each window and its max while the slow clients were connected`,
    durationSeconds: Math.round((Date.now() - t0) / 1000),
  }) + '\n',
);
process.exit(0);
