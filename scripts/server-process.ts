// The real server (server/main.ts) as a child process, for the crash test (server/crash.test.ts)
// and the fault bench (bench/crash.ts): started on a data dir and fixed ports, killed like a crash
// (SIGKILL to its whole process tree: nothing runs after it, not even a shutdown hook) or stopped
// gracefully, restarted on the same data. Plus the two checks after crashes:
// - AckLedger: every acknowledged device record is in the log (by batch marker: all records of a
//   batch carry one `ts` no other batch uses, and a hash of their ids);
// - projectionFingerprint, latestCheckpoint + rebuildCopy: the projections a start restored (newest
//   checkpoint plus the log after it) equal those rebuilt from the whole log on a copy without
//   checkpoints, as the API shows them and in full (the checkpoint each writes at a clean stop).
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { decodeSnapshot, type ClientToServerEvents, type ServerToClientEvents } from '../core/protocol.ts';
import type { Socket } from 'socket.io-client';
import { unpackCheckpointSync } from '../server/store/checkpoint-codec.ts';

const root = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ServerProcessOptions {
  dataDir: string;
  datasetDir: string;
  port: number;
  mqttPort: number;
  /** Extra environment (GATEWAY_KEYS, CHECKPOINT_EVERY_MS, SQLITE_SYNCHRONOUS, ...). */
  env?: Record<string, string>;
  healthTimeoutMs?: number;
}

/** How the projections were built at start (the server logs it at info level). */
export interface RestoreInfo {
  checkpointSeq: number | null;
  replayed: number;
  ms: number;
  seq: number;
  /** When the line was logged (Date.now() of the server). */
  at: number;
}

export interface ServerProcess {
  url: string;
  mqttUrl: string;
  child: ChildProcess;
  /** When the child was spawned and when /api/health first answered (Date.now()). */
  spawnedAt: number;
  healthyAt: number;
  /** stdout and stderr so far (the tail, at most ~1 MB). */
  logs(): string;
  /** The "projections restored" line of this start (needs LOG_LEVEL info or lower). */
  restored(): RestoreInfo | null;
  /** A crash: SIGKILL to the whole process tree; resolves once the server process is gone. */
  kill(): Promise<void>;
  /** A clean stop: SIGTERM (commit, checkpoint, close the store), SIGKILL after `timeoutMs`; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts server/main.ts (node --import tsx) and resolves once /api/health answers. Not detached:
 * the child stays in the caller's process group, so whatever kills the caller's group (bench/run.ts
 * on its deadline) takes the server along. Killing it is `child.kill()`, with no tree to walk: the
 * server starts no processes, and its one child, tsx's esbuild service, exits when its pipe to the
 * server closes.
 */
export async function startServerProcess(o: ServerProcessOptions): Promise<ServerProcess> {
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...o.env, PORT: String(o.port), MQTT_PORT: String(o.mqttPort), HOST: '127.0.0.1', DATA_DIR: o.dataDir, DATASET_DIR: o.datasetDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = spawnedAt + (o.healthTimeoutMs ?? 60_000);
  let healthyAt = 0;
  while (!healthyAt) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${out.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not healthy within ${o.healthTimeoutMs ?? 60_000} ms:\n${out.slice(-3000)}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) healthyAt = Date.now();
    } catch {
      // not listening yet
    }
    if (!healthyAt) await sleep(50);
  }
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    url,
    mqttUrl: `mqtt://127.0.0.1:${o.mqttPort}`,
    child,
    spawnedAt,
    healthyAt,
    logs: () => out,
    restored: () => {
      const line = out.split('\n').find((l) => l.includes('"msg":"projections restored"'));
      if (!line) return null;
      const j = JSON.parse(line) as RestoreInfo & { time: number };
      return { checkpointSeq: j.checkpointSeq, replayed: j.replayed, ms: j.ms, seq: j.seq, at: j.time };
    },
    kill,
    stop: async (timeoutMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited(child);
      clearTimeout(timer);
      return child.exitCode;
    },
  };
}

// ---- acknowledged vs found ------------------------------------------------------------------

/** FNV-1a 32-bit of a string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface AckCheck {
  /** Acknowledged batches and their device records. */
  ackedBatches: number;
  acked: number;
  /** device:reported rows in the log (acknowledged or not). */
  found: number;
  /** Acknowledged records not in the log: must be 0. */
  missing: number;
  missingBatches: number;
  /** Batches found as often as acknowledged or more, but with other device ids: must be 0. */
  mismatchedBatches: number;
  /** Rows of batches never acknowledged: in flight at a kill (committed, the answer lost). Allowed. */
  foundNotAcked: number;
  /** Rows beyond one copy of an acknowledged batch: at-least-once redelivery (MQTT resends what had no PUBACK). Allowed. */
  redelivered: number;
}

/**
 * What senders had acknowledged, by batch marker: each batch's records all carry one `ts` that
 * no other batch uses. Checked against the SQLite file (read-only) with `check`.
 */
export class AckLedger {
  private readonly batches = new Map<number, { n: number; hash: number }>();

  /** Records one acknowledged batch: its marker ts and the ids of its records. */
  acked(ts: number, ids: readonly string[]): void {
    if (this.batches.has(ts)) throw new Error(`batch marker ${ts} acknowledged twice: markers must be unique`);
    let hash = 0;
    for (const id of ids) hash = (hash + fnv1a(id)) >>> 0;
    this.batches.set(ts, { n: ids.length, hash });
  }

  get records(): number {
    let n = 0;
    for (const b of this.batches.values()) n += b.n;
    return n;
  }

  check(dbFile: string): AckCheck {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const found = new Map<number, { n: number; hash: number }>();
    let rows = 0;
    try {
      for (const r of db.prepare("SELECT ts, subject FROM events WHERE type = 'device:reported'").raw().iterate() as IterableIterator<[number, string]>) {
        rows++;
        const f = found.get(r[0]);
        if (f) {
          f.n++;
          f.hash = (f.hash + fnv1a(r[1])) >>> 0;
        } else found.set(r[0], { n: 1, hash: fnv1a(r[1]) });
      }
    } finally {
      db.close();
    }
    const out: AckCheck = { ackedBatches: this.batches.size, acked: 0, found: rows, missing: 0, missingBatches: 0, mismatchedBatches: 0, foundNotAcked: 0, redelivered: 0 };
    for (const [ts, b] of this.batches) {
      out.acked += b.n;
      const f = found.get(ts);
      if (!f || f.n < b.n) {
        out.missing += b.n - (f?.n ?? 0);
        out.missingBatches++;
        continue;
      }
      // A batch stored k times (redelivered) holds k copies of the same ids.
      const k = f.n / b.n;
      if (!Number.isInteger(k) || f.hash !== Math.imul(b.hash, k) >>> 0) out.mismatchedBatches++;
      out.redelivered += f.n - b.n;
    }
    for (const [ts, f] of found) if (!this.batches.has(ts)) out.foundNotAcked += f.n;
    return out;
  }
}

/**
 * Batch markers: lane `lane` of `lanes` stamps its batches with increasing ms near now, all ≡ lane
 * (mod lanes), so no two batches of any lane share one, across restarts of the server.
 */
export function markerClock(lane: number, lanes: number): () => number {
  let last = 0;
  return () => {
    let t = Math.max(Date.now(), last + 1);
    t += (((lane - t) % lanes) + lanes) % lanes;
    last = t;
    return t;
  };
}

// ---- projections: restored vs rebuilt -----------------------------------------------------------

export interface Fingerprint {
  seq: number;
  summary: unknown;
  /** sha256 (hex, 16 chars) of each part of a district screen's snapshot that comes from the projections. */
  snapshot: Record<string, string>;
}

const digest = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex').slice(0, 16);
/** Typed arrays and buffers as a digest of their bytes, so the JSON is small and exact. */
const bytesAsDigest = (_k: string, v: unknown) => {
  if (ArrayBuffer.isView(v)) return digest(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  if (v instanceof ArrayBuffer) return digest(new Uint8Array(v));
  if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) return digest(Uint8Array.from((v as { data: number[] }).data));
  return v;
};

/**
 * GET /api/summary plus a read-only district screen's socket.io snapshot, reduced to digests of
 * what the projections hold (device status bytes, positions, cases, whistles, alarms, drones,
 * broadcasts); the server time, KPIs (event rates) and the session are left out.
 */
export async function projectionFingerprint(url: string, timeoutMs = 20_000): Promise<Fingerprint> {
  const summary = (await (await fetch(`${url}/api/summary`)).json()) as { seq: number };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], reconnection: false });
  try {
    const wire = await new Promise<Parameters<ServerToClientEvents['snapshot:sent']>[0]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no snapshot from ${url} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('snapshot:sent', (w) => (clearTimeout(timer), resolve(w)));
      socket.once('connect_error', (e) => (clearTimeout(timer), reject(e)));
    });
    const s = decodeSnapshot(wire);
    const parts: Record<string, unknown> = { seq: s.seq, status: s.status, moving: s.moving, cases: s.cases, whistles: s.whistles, alarms: s.alarms, drones: s.drones ?? null, broadcasts: s.broadcasts ?? null };
    const snapshot = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, digest(JSON.stringify(v, bytesAsDigest))]));
    return { seq: summary.seq, summary, snapshot };
  } finally {
    socket.disconnect();
  }
}

/** The names of the fingerprint parts that differ (empty: equal). */
export function fingerprintDiff(a: Fingerprint, b: Fingerprint): string[] {
  const diff: string[] = [];
  if (JSON.stringify(a.summary) !== JSON.stringify(b.summary)) diff.push('summary');
  for (const k of new Set([...Object.keys(a.snapshot), ...Object.keys(b.snapshot)])) if (a.snapshot[k] !== b.snapshot[k]) diff.push(`snapshot.${k}`);
  return diff;
}

/**
 * The newest checkpoint in a stopped server's SQLite file: the whole projection state as of `seq`
 * (a clean stop writes one), so two servers' states compare in full, not only what the API shows.
 */
export function latestCheckpoint(dataDir: string): { seq: number; body: string } | null {
  const db = new Database(path.join(dataDir, 'linkage.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT seq, body FROM checkpoints ORDER BY seq DESC LIMIT 1').get() as { seq: number; body: Buffer | string } | undefined;
    return row ? { seq: row.seq, body: unpackCheckpointSync(row.body) } : null;
  } finally {
    db.close();
  }
}

/** The top-level parts of two checkpoints that differ (empty: equal). */
export function checkpointDiff(a: { seq: number; body: string } | null, b: { seq: number; body: string } | null): string[] {
  if (!a || !b) return a === b ? [] : ['missing'];
  if (a.body === b.body) return [];
  const x = JSON.parse(a.body) as Record<string, unknown>;
  const y = JSON.parse(b.body) as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
}

/**
 * Copies a stopped server's SQLite file (with its WAL, if any) to `toDir` and deletes every
 * checkpoint in the copy: a server started on it rebuilds its projections from the whole log.
 */
export function rebuildCopy(fromDir: string, toDir: string): void {
  mkdirSync(toDir, { recursive: true });
  for (const suffix of ['', '-wal']) {
    const file = path.join(fromDir, `linkage.db${suffix}`);
    if (existsSync(file)) copyFileSync(file, path.join(toDir, `linkage.db${suffix}`));
  }
  const db = new Database(path.join(toDir, 'linkage.db'));
  try {
    db.exec('DELETE FROM checkpoints');
  } finally {
    db.close();
  }
}
