// Writes a district's past into a fresh data directory (issue 14): `npm start` runs it before the
// live stack when the log is empty (--history-days N, default 90; 0 for none). The server is built
// in this process on a clock that jumps ahead step by step, and the history is played through its
// API (simulator/history.ts). Usage: node --import tsx scripts/history.ts [--days N] [--seed S]
// (DATA_DIR, DATASET_DIR, DATABASE_URL as for the server).
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../server/app.ts';
import { configFromEnv } from '../server/config.ts';
import { loadDistrict } from '../server/load-district.ts';
import { loadSimDataset } from '../simulator/dataset.ts';
import { playHistory, type HistoryStats } from '../simulator/history.ts';

export interface WriteHistoryOptions {
  days: number;
  seed: number;
  env?: NodeJS.ProcessEnv;
  /** The present: the history ends here (default: now). */
  until?: number;
  log?: (line: string) => void;
  /** Stops between steps (what was played stays in the log). */
  signal?: AbortSignal;
}

export type WriteHistoryResult = { written: false; why: string } | { written: true; stats: HistoryStats; seconds: number; lastSeq: number };

export async function writeHistory(o: WriteHistoryOptions): Promise<WriteHistoryResult> {
  const log = o.log ?? (() => {});
  const base = configFromEnv(o.env ?? process.env);
  const key = randomBytes(24).toString('base64url');
  const config = {
    ...base,
    // In process, on its own: no listener, no broker, no limits, the demo's declared identities.
    mqtt: { ...base.mqtt, port: null, url: null },
    logLevel: 'warn',
    authMode: 'declared' as const,
    apiPerMinute: 0,
    ingestPerMinute: 0,
    commandsPerSecond: 0,
    gatewayKeys: new Map([[key, 'history']]),
    gatewayKeysFile: null,
    // Durable once the store closes at the end (a checkpoint of the WAL); no fsync per step.
    sqliteSynchronous: 'NORMAL' as const,
    checkpointEveryMs: 0,
  };
  const until = o.until ?? Date.now();
  const time = { now: until };
  const started = Date.now();
  const district = await loadDistrict(config.datasetDir);
  const app = await buildApp({ config, district, clock: { now: () => time.now }, logger: false });
  try {
    await app.ready();
    if (app.store.lastSeq() > 0) return { written: false, why: `the log already holds ${app.store.lastSeq()} events` };
    const ds = await loadSimDataset(config.datasetDir);
    log(`writing ${o.days} days of history (cases, their loop, video alarms) into ${config.databaseUrl ? 'PostgreSQL' : config.dataDir} …`);
    const stats = await playHistory({
      app, time, ds, days: o.days, until, seed: o.seed, key, signal: o.signal,
      onDay: (day, s) => {
        if (day % 10 === 0 || day === o.days) log(`history: day ${day}/${o.days}, ${s.reported} cases reported, ${s.commands} commands, ${Math.round((Date.now() - started) / 1000)} s`);
      },
    });
    return { written: true, stats, seconds: (Date.now() - started) / 1000, lastSeq: app.store.lastSeq() };
  } finally {
    await app.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a whole number ≥ 0`);
    return v;
  };
  const r = await writeHistory({ days: arg('--days', 90), seed: arg('--seed', 7), log: (l) => console.log(l) });
  console.log(r.written ? `history written: ${JSON.stringify(r.stats)} in ${r.seconds.toFixed(1)} s, log at seq ${r.lastSeq}` : `no history written: ${r.why}`);
}
