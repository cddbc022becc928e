// Replay figures (child of bench/run.ts; prints one JSON line). A real server (buildApp, temporary
// SQLite file, full district) on a manual clock is fed LOG_MIN minutes of full-rate device traffic
// through HTTP ingest, checkpointed every simulated minute (CHECKPOINT_EVERY_MS) as the server does. Then:
// - jumps: replay:seek to random moments, each from a new cursor (restore + log up to the moment);
// - playback: consecutive frames at 60× (30 s of log per 500 ms frame) from one cursor;
// - event-loop delay while seeks run (the seek yields between pages, so ingest is not stalled);
// - baseline: the same log ranges read and JSON-parsed with raw better-sqlite3 (the floor of any
//   replay that reads the log), in this run.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startTestServer, TEST_KEY } from '../server/test-support.ts';
import { loadDistrict } from '../server/load-district.ts';
import { DISTRICT_SESSION } from '../server/test-support.ts';
import { Rng } from '../core/random.ts';
import { RecordGenerator } from './records.ts';
import { summarize } from './stats.ts';
import { readEnv } from '../server/config.ts';
import { packCheckpoint } from '../server/store/checkpoint-codec.ts';

const root = path.resolve(import.meta.dirname, '..');
const LOG_MIN = Number(process.env.BENCH_REPLAY_LOG_MIN ?? 20);
const RATE = Number(process.env.BENCH_REPLAY_RATE ?? 1200); // events/s of the simulator at full district scale
const JUMPS = Number(process.env.BENCH_REPLAY_JUMPS ?? 12);
// As the server checkpoints by default (CHECKPOINT_EVERY_MS), unless BENCH_REPLAY_CHECKPOINT_MIN says otherwise.
const CHECKPOINT_MIN = Number(process.env.BENCH_REPLAY_CHECKPOINT_MIN ?? readEnv({}).CHECKPOINT_EVERY_MS / 60_000);
const log = (m: string) => process.stderr.write(`[replay] ${m}\n`);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linkage-replay-bench-'));
let t = Date.UTC(2026, 10, 24, 0, 0);
const clock = { now: () => t };
const district = await loadDistrict(path.join(root, 'data', 'generated'));
const server = await startTestServer({ clock, district, dataDir });
const gen = new RecordGenerator(path.join(root, 'data', 'generated'), 11);
const first = t;
const checkpointCost: { buildMs: number; saveMs: number; bytes: number; storedBytes: number }[] = [];
const started = performance.now();
for (let s = 0; s < LOG_MIN * 60; s++) {
  t += 1000;
  const res = await fetch(`${server.url}/api/ingest/devices`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': TEST_KEY }, body: gen.body(RATE, t) });
  if (res.status !== 200 && res.status !== 207) throw new Error(`ingest ${res.status}: ${await res.text()}`);
  if ((s + 1) % (CHECKPOINT_MIN * 60) === 0) {
    // What a checkpoint costs the server: building its body (blocks the event loop) and storing it.
    const t0 = performance.now();
    const body = server.app.projector.checkpoint();
    const t1 = performance.now();
    await server.app.store.saveCheckpoint(server.app.projector.lastSeq, body);
    const saveMs = performance.now() - t1;
    // What the store keeps of it (gzip), packed again outside the timings.
    checkpointCost.push({ buildMs: t1 - t0, saveMs, bytes: body.length, storedBytes: (await packCheckpoint(body)).length });
  }
}
const events = server.app.store.lastSeq();
log(`log: ${events} events over ${LOG_MIN} simulated minutes, written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
t += 1000;

const rng = new Rng(5);
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const jumpMs: number[] = [];
const jumpEvents: number[] = [];
for (let i = 0; i < JUMPS; i++) {
  const at = first + 60_000 + Math.round(rng.next() * (LOG_MIN * 60_000 - 61_000));
  const seq = (await server.app.store.seqAt(at));
  const cp = (await server.app.store.checkpointAtOrBefore(seq));
  const t0 = performance.now();
  const r = await server.app.replay.seek(`jump-${i}`, DISTRICT_SESSION, at);
  jumpMs.push(performance.now() - t0);
  if (!r.ok) throw new Error(r.message);
  jumpEvents.push(seq - (cp?.seq ?? 0));
  server.app.replay.stop(`jump-${i}`);
}
loopDelay.disable();
const frameMs: number[] = [];
let at = first + 60_000;
await server.app.replay.seek('play', DISTRICT_SESSION, at);
const frames = Math.min(20, Math.floor((LOG_MIN * 60 - 90) / 30));
for (let i = 0; i < frames; i++) {
  at += 30_000;
  const t0 = performance.now();
  const r = await server.app.replay.seek('play', DISTRICT_SESSION, at);
  frameMs.push(performance.now() - t0);
  if (!r.ok) throw new Error(r.message);
}
await server.close(false);

// Baseline: read and parse the same number of events as a median jump applies, raw.
const db = new Database(path.join(dataDir, 'linkage.db'), { readonly: true });
const read = db.prepare('SELECT seq, ts, recorded_at, type, subject, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
const n = Math.round(summarize(jumpEvents).p50);
const rawMs: number[] = [];
for (let i = 0; i < 5; i++) {
  const from = Math.floor(rng.next() * Math.max(1, events - n));
  const t0 = performance.now();
  const rows = read.all(from, n) as Array<{ data: string }>;
  for (const r of rows) JSON.parse(r.data);
  rawMs.push(performance.now() - t0);
}
db.close();
rmSync(dataDir, { recursive: true, force: true });
const jump = summarize(jumpMs);
const raw = summarize(rawMs);
process.stdout.write(
  JSON.stringify({
    log: { events, minutes: LOG_MIN, eventsPerSecond: RATE, checkpointEveryMin: CHECKPOINT_MIN },
    jumpMs: { p50: Math.round(jump.p50), p99: Math.round(jump.p99), max: Math.round(Math.max(...jumpMs)), eventsAppliedP50: n, what: 'replay:seek to a random moment from a new cursor: restore the checkpoint before it, apply the log up to it, build the snapshot' },
    playbackFrameMs: { ...Object.fromEntries(Object.entries(summarize(frameMs)).map(([k, v]) => [k, Math.round(v as number)])), what: 'one frame at 60× (30 s of log, ~36,000 events) from the same cursor, snapshot included' },
    eventLoopDelayDuringJumpsMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6), what: 'the server process event loop while jumps ran: the seek yields every 5,000 events' },
    rawReadParseMs: { p50: Math.round(raw.p50), events: n, what: 'baseline: the same number of rows read and JSON-parsed with raw better-sqlite3' },
    ratioJumpToRaw: Number((jump.p50 / Math.max(1, raw.p50)).toFixed(2)),
    checkpoint: {
      buildMsP50: Math.round(summarize(checkpointCost.map((c) => c.buildMs)).p50),
      saveMsP50: Math.round(summarize(checkpointCost.map((c) => c.saveMs)).p50),
      bytesP50: Math.round(summarize(checkpointCost.map((c) => c.bytes)).p50),
      storedBytesP50: Math.round(summarize(checkpointCost.map((c) => c.storedBytes)).p50),
      what: 'each checkpoint the log above took: its body built (the event loop is held) and stored (gzip in the thread pool); bytes: its JSON, storedBytes: the gzip kept; the store keeps one per minute for a day, one per hour before',
    },
  }) + '\n',
);
process.exit(0);
