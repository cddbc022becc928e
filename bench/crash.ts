// Crash safety under full-rate ingest (child of bench/run.ts; prints one JSON line).
// The real server (server/main.ts, SQLITE_SYNCHRONOUS=FULL, a temp DATA_DIR, checkpoints every
// BENCH_CRASH_CHECKPOINT_MS) takes device batches as fast as it acknowledges them from several HTTP
// senders and over MQTT QoS 1; BENCH_CRASHES times (default 5), at a random moment, its whole
// process tree gets SIGKILL and it is started again on the same data and ports; the senders resume.
// Every batch's records carry one `ts` no other batch uses (its marker), so afterwards, with the
// server stopped cleanly, the SQLite file (read-only) tells for each acknowledged batch whether
// all its records are there: missing must be 0. "Found but not acknowledged" (committed, the answer
// lost in the kill) and "redelivered" (MQTT resends what had no PUBACK) are allowed.
// Then the projections: one more kill -9 and start (restored from the newest checkpoint plus the
// log after it), a fingerprint (/api/summary + digests of a screen's snapshot); the same on a copy
// of the file without checkpoints (rebuilt from the whole log): they must be equal.
// Env: BENCH_CRASHES (5), BENCH_CRASH_BATCH (2000 records), BENCH_CRASH_HTTP (4 senders),
// BENCH_CRASH_MQTT (2 QoS 1 messages in flight), BENCH_CRASH_UP_MS ("1500-4000": how long the
// server runs under load before each kill), BENCH_CRASH_CHECKPOINT_MS (2000), DATASET_DIR.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectAsync } from 'mqtt';
import { rejectedTopic, uplinkTopic } from '../core/field.ts';
import { freePort } from '../scripts/free-port.ts';
import { AckLedger, checkpointDiff, fingerprintDiff, latestCheckpoint, markerClock, projectionFingerprint, rebuildCopy, startServerProcess, type RestoreInfo, type ServerProcess } from '../scripts/server-process.ts';
import { makePoster } from './http.ts';
import { Rng } from '../core/random.ts';
import { RecordGenerator } from './records.ts';
import { summarize } from './stats.ts';
import { exitAfterOutput } from './exit.ts';

const root = path.resolve(import.meta.dirname, '..');
const env = process.env;
const CRASHES = Number(env.BENCH_CRASHES ?? 5);
const BATCH = Number(env.BENCH_CRASH_BATCH ?? 2000);
const HTTP_SENDERS = Number(env.BENCH_CRASH_HTTP ?? 4);
const MQTT_IN_FLIGHT = Number(env.BENCH_CRASH_MQTT ?? 2);
const [UP_MIN, UP_MAX] = (env.BENCH_CRASH_UP_MS ?? '1500-4000').split('-').map(Number);
const CHECKPOINT_MS = Number(env.BENCH_CRASH_CHECKPOINT_MS ?? 2000);
const DATASET_DIR = path.resolve(env.DATASET_DIR ?? path.join(root, 'data', 'generated'));
const KEY = randomBytes(18).toString('base64url');
const log = (m: string) => process.stderr.write(`[crash +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const loadavgAtStart = os.loadavg().map((x) => Number(x.toFixed(2)));

const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-crash-bench-'));
const dataDir = path.join(tmp, 'data');
const ports = { port: await freePort(), mqttPort: await freePort() };
// AUTH_MODE=declared: the fingerprint's screen connects as the read-only district display without an account.
const serverEnv = { AUTH_MODE: 'declared', GATEWAY_KEYS: `bench:${KEY}`, SQLITE_SYNCHRONOUS: 'FULL', CHECKPOINT_EVERY_MS: String(CHECKPOINT_MS), TICK_MS: '50' };
let server: ServerProcess | null = null;
process.on('exit', () => {
  server?.child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

/** The audit log's catch-up at start (events re-read from the log since its cursor), when the server logged one. */
function auditCatchUp(p: ServerProcess): { events: number; afterSpawnMs: number } | null {
  const line = p.logs().split('\n').find((l) => l.includes('"msg":"audit caught up with the event log"'));
  if (!line) return null;
  const j = JSON.parse(line) as { events: number; time: number };
  return { events: j.events, afterSpawnMs: j.time - p.spawnedAt };
}

const start = (dir = dataDir) => startServerProcess({ dataDir: dir, datasetDir: DATASET_DIR, ...ports, env: serverEnv, healthTimeoutMs: 120_000 });

// ---- senders ------------------------------------------------------------------------------------
const ledger = new AckLedger();
const lanes = HTTP_SENDERS + MQTT_IN_FLIGHT;
const stats = {
  http: { ackedBatches: 0, failedRequests: 0, otherStatus: {} as Record<string, number>, errors: [] as string[] },
  mqtt: { ackedBatches: 0, ackedAcrossKill: 0, failed: 0, rejected: 0, errors: [] as string[] },
};
let stopping = false;
let kills = 0;
/** Resolved while a server is up; replaced by a pending one while it is killed and restarted. */
let up: Promise<void> = Promise.resolve();
let markUp = () => {};

async function httpSender(lane: number, url: string): Promise<void> {
  const gen = new RecordGenerator(DATASET_DIR, 1000 + lane);
  const marker = markerClock(lane, lanes);
  const poster = makePoster(url, { 'x-gateway-key': KEY }, 1);
  while (!stopping) {
    await up;
    const ids: string[] = [];
    const ts = marker();
    const body = gen.body(BATCH, ts, ids);
    try {
      const res = await poster.post('/api/ingest/devices', body, 60_000);
      if (res.status === 200) {
        ledger.acked(ts, ids);
        stats.http.ackedBatches++;
      } else {
        stats.http.otherStatus[res.status] = (stats.http.otherStatus[res.status] ?? 0) + 1;
        if (stats.http.errors.length < 5) stats.http.errors.push(`${res.status}: ${res.body.slice(0, 200)}`);
        await sleep(100);
      }
    } catch (e) {
      // The server died under the request: not acknowledged (committed or not). A new batch follows.
      stats.http.failedRequests++;
      if (stats.http.errors.length < 5 && !/ECONNRESET|ECONNREFUSED|socket hang up/.test((e as Error).message)) stats.http.errors.push((e as Error).message);
      await sleep(20);
    }
  }
  poster.close();
}

async function mqttSenders(mqttUrl: string): Promise<{ done: Promise<void>; end: () => Promise<void> }> {
  // mqtt.js keeps a QoS 1 message without PUBACK and sends it again after reconnecting.
  const client = await connectAsync(mqttUrl, { username: 'bench', password: KEY, reconnectPeriod: 200, connectTimeout: 5000 });
  client.on('error', (e) => stats.mqtt.errors.length < 5 && stats.mqtt.errors.push(e.message));
  await client.subscribeAsync(rejectedTopic('bench'), { qos: 1 });
  client.on('message', (_t, payload) => (stats.mqtt.rejected += (JSON.parse(payload.toString()) as { rejected: unknown[] }).rejected.length));
  const topic = uplinkTopic('bench', 'devices');
  const lane = async (k: number) => {
    const gen = new RecordGenerator(DATASET_DIR, 2000 + k);
    const marker = markerClock(HTTP_SENDERS + k, lanes);
    while (!stopping) {
      await up;
      const ids: string[] = [];
      const ts = marker();
      const body = gen.body(BATCH, ts, ids);
      const killsBefore = kills;
      try {
        await client.publishAsync(topic, body, { qos: 1 });
        ledger.acked(ts, ids);
        stats.mqtt.ackedBatches++;
        if (kills !== killsBefore) stats.mqtt.ackedAcrossKill++; // sent to one server, acknowledged by the next
      } catch (e) {
        stats.mqtt.failed++;
        if (stats.mqtt.errors.length < 5) stats.mqtt.errors.push((e as Error).message);
        await sleep(100);
      }
    }
  };
  const done = Promise.all(Array.from({ length: MQTT_IN_FLIGHT }, (_, k) => lane(k))).then(() => {});
  return { done, end: () => client.endAsync(true) };
}

// ---- crashes ------------------------------------------------------------------------------------
const rng = new Rng(Number(env.BENCH_CRASH_SEED ?? 7));
log(`server on ${dataDir}; ${HTTP_SENDERS} HTTP senders + ${MQTT_IN_FLIGHT} MQTT messages in flight, batch ${BATCH}; ${CRASHES} kill -9 at random moments`);
server = await start();
const http = Array.from({ length: HTTP_SENDERS }, (_, k) => httpSender(k, server!.url));
const mqtt = MQTT_IN_FLIGHT > 0 ? await mqttSenders(server.mqttUrl) : null;
const loadFrom = Date.now();
const restarts: Array<{ upMs: number; restartMs: number; exitMs: number; ackedAtKill: number; restore: RestoreInfo | null; spawnedAt: number; healthyAt: number; audit: ReturnType<typeof auditCatchUp> }> = [];
for (let i = 0; i < CRASHES; i++) {
  const upMs = Math.round(UP_MIN + rng.next() * (UP_MAX - UP_MIN));
  await sleep(upMs);
  up = new Promise((r) => (markUp = r));
  const ackedAtKill = ledger.records;
  const killedAt = Date.now();
  kills++;
  await server.kill();
  const exitMs = Date.now() - killedAt;
  server = await start();
  const restartMs = server.healthyAt - killedAt;
  restarts.push({ upMs, restartMs, exitMs, ackedAtKill, restore: server.restored(), spawnedAt: server.spawnedAt, healthyAt: server.healthyAt, audit: auditCatchUp(server) });
  markUp();
  log(`kill ${i + 1}/${CRASHES} after ${upMs} ms under load (${ackedAtKill} records acked so far): healthy again in ${restartMs} ms (projections restored ${server.restored()!.at - server.spawnedAt} ms after spawn), ${JSON.stringify(server.restored())}`);
}
await sleep(UP_MIN);
stopping = true;
const loadTo = Date.now();
await Promise.all(http);
// A message sent just before the last kill may still be waiting for its resend's PUBACK.
if (mqtt) await Promise.race([mqtt.done, sleep(20_000)]);
await mqtt?.end();
const acked = ledger.records;
log(`load stopped: ${acked} records acknowledged (${stats.http.ackedBatches} HTTP + ${stats.mqtt.ackedBatches} MQTT batches)`);

// ---- projections: restored vs rebuilt -----------------------------------------------------------
// One more crash, idle: the next start restores the newest checkpoint plus the log after it.
const idleKilledAt = Date.now();
await server.kill();
server = await start();
const idleRestartMs = server.healthyAt - idleKilledAt;
const restoredInfo = server.restored();
const restored = await projectionFingerprint(server.url);
const exitCode = await server.stop();
server = null;
const restoredState = latestCheckpoint(dataDir); // written by the clean stop: the whole projection state
const check = ledger.check(path.join(dataDir, 'linkage.db'));
log(`acked ${check.acked}, found ${check.found}, missing ${check.missing}, found but not acked ${check.foundNotAcked}, redelivered ${check.redelivered}`);
const rebuildDir = path.join(tmp, 'rebuild');
rebuildCopy(dataDir, rebuildDir);
server = await start(rebuildDir);
const rebuiltInfo = server.restored();
const rebuilt = await projectionFingerprint(server.url);
await server.stop();
server = null;
const rebuiltState = latestCheckpoint(rebuildDir);
const diff = [...fingerprintDiff(restored, rebuilt), ...checkpointDiff(restoredState, rebuiltState).map((k) => `state.${k}`)];
log(`projections restored (${JSON.stringify(restoredInfo)}) vs rebuilt (${JSON.stringify(rebuiltInfo)}): ${diff.length ? `DIFFER in ${diff.join(', ')}` : 'equal'}`);

const restartMs = summarize(restarts.map((r) => r.restartMs), 0);
const ok = check.missing === 0 && check.mismatchedBatches === 0 && diff.length === 0 && rebuiltInfo?.checkpointSeq === null;
process.stdout.write(
  JSON.stringify({
    ok,
    crashes: CRASHES,
    synchronous: 'FULL',
    load: {
      batch: BATCH, httpSenders: HTTP_SENDERS, mqttInFlight: MQTT_IN_FLIGHT, seconds: Math.round((loadTo - loadFrom) / 1000),
      ackedEventsPerSec: Math.round(acked / ((loadTo - loadFrom) / 1000)),
      http: stats.http, mqtt: stats.mqtt,
      what: 'closed loop: each sender posts (publishes) its next batch as soon as the last one was answered; a request cut by a kill is not resent (a new batch follows), an MQTT message without PUBACK is resent by mqtt.js after reconnecting',
    },
    ackedVsFound: { ...check, what: 'records: acked = in batches answered 200 / PUBACK; found = device rows in the SQLite file after a clean stop; missing = acked but not found (must be 0); foundNotAcked = committed but the answer was lost in a kill (allowed); redelivered = extra copies of acked MQTT batches resent after a kill (allowed, at-least-once)' },
    restartMs: { ...restartMs, each: restarts.map((r) => r.restartMs), what: 'SIGKILL of the server process tree → /api/health answers again (process gone, node + tsx start, dataset load, projections restored from the newest checkpoint + the log after it), senders waiting' },
    restores: restarts.map(({ restore, ...r }) => ({
      checkpointSeq: restore?.checkpointSeq, replayed: restore?.replayed, restoreMs: restore?.ms, seq: restore?.seq,
      killToExitMs: r.exitMs, spawnToRestoredMs: restore ? restore.at - r.spawnedAt : null, restoredToHealthyMs: restore ? r.healthyAt - restore.at : null,
      auditCatchUpEvents: r.audit?.events ?? 0, auditCaughtUpAfterSpawnMs: r.audit?.afterSpawnMs ?? null, upMsBeforeKill: r.upMs,
    })),
    projections: {
      equal: diff.length === 0, differ: diff, seq: restored.seq, stateSeq: restoredState?.seq ?? null, stateBytes: restoredState?.body.length ?? null,
      restored: { ...restoredInfo, restartMs: idleRestartMs }, rebuilt: rebuiltInfo, cleanStopExitCode: exitCode,
      what: 'after one more kill -9: the start that restored the newest checkpoint + the log after it vs a start on a copy of the file without checkpoints (rebuilt from the whole log), compared by /api/summary, digests of a district screen snapshot (status bytes, positions, cases, whistles, alarms, drones, broadcasts) and the whole projection state (the checkpoint each wrote at its clean stop)',
    },
    checkpointEveryMs: CHECKPOINT_MS,
    loadavg: { atStart: loadavgAtStart, atEnd: os.loadavg().map((x) => Number(x.toFixed(2))), cores: os.availableParallelism(), what: 'server, senders and anything else on the machine share these cores: restart times grow with the load' },
    durationSeconds: Math.round((Date.now() - t0) / 1000),
  }) + '\n',
);
exitAfterOutput(0);
