// Ingest into PostgreSQL, durable (fsync on, synchronous_commit on): PgEventStore.append of
// realistic device records (bench/records.ts) against raw `pg` writes of the same rows into the
// same schema: a multi-row INSERT (chunked under the 65,535-parameter limit), an unnest INSERT,
// and COPY FROM STDIN. One batch per transaction, one at a time; records are generated and parsed
// before timing, JSON.stringify is inside it (as the store does). Prints one JSON object.
// Env: DATASET_DIR, PG_BENCH_BATCHES (default "500,5000"), PG_BENCH_SECONDS (5), PG_BENCH_WARMUP (1),
// PG_BENCH_REPS (3, medians reported). Not part of bench/run.ts.
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { NewEvent } from '../server/store/event-store.ts';
import { PgEventStore } from '../server/store/pg-event-store.ts';
import { migrate, PG_TYPES } from '../server/store/pg-schema.ts';
import { startPgTestServer } from '../server/store/pg-test-server.ts';
import { copyRows, insertMultiRow, insertUnnest } from './pg-raw-writes.ts';
import { RecordGenerator } from './records.ts';
import { median } from './stats.ts';

const env = process.env;
const DATASET_DIR = path.resolve(env.DATASET_DIR ?? path.join(import.meta.dirname, '..', 'data', 'generated'));
const BATCHES = (env.PG_BENCH_BATCHES ?? '500,5000').split(',').map(Number);
const SECONDS = Number(env.PG_BENCH_SECONDS ?? 5);
const WARMUP = Number(env.PG_BENCH_WARMUP ?? 1);
const REPS = Number(env.PG_BENCH_REPS ?? 3);

type Writer = { write(events: NewEvent[]): Promise<unknown>; count(): Promise<number>; close(): Promise<void> };

async function rawPool(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 1, types: PG_TYPES });
  await migrate(pool); // the store's schema: same indexes on the same table
  return pool;
}

const count = async (pool: pg.Pool) => (await pool.query<{ n: number }>('SELECT count(*) AS n FROM events')).rows[0].n;

/** Runs `body` inside BEGIN/COMMIT on one client. */
async function tx(pool: pg.Pool, body: (c: pg.PoolClient) => Promise<void>): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await body(c);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

const writers: Record<string, (url: string) => Promise<Writer>> = {
  async pgEventStore(url) {
    const store = await PgEventStore.open({ connectionString: url, clock: { now: () => Date.now() } });
    return { write: (events) => store.append(events), count: () => store.countRecorded(0, Number.MAX_SAFE_INTEGER), close: () => store.close() };
  },
  async rawMultiRowInsert(url) {
    const pool = await rawPool(url);
    let seq = 0;
    const write = (events: NewEvent[]) => tx(pool, (c) => insertMultiRow(c, events, () => ++seq));
    return { write, count: () => count(pool), close: () => pool.end() };
  },
  async rawUnnestInsert(url) {
    const pool = await rawPool(url);
    let seq = 0;
    const write = (events: NewEvent[]) => tx(pool, (c) => {
      const first = seq + 1;
      seq += events.length;
      return insertUnnest(c, events, first);
    });
    return { write, count: () => count(pool), close: () => pool.end() };
  },
  async rawCopy(url) {
    const pool = await rawPool(url);
    let seq = 0;
    const write = (events: NewEvent[]) => tx(pool, (c) => copyRows(c, events, () => ++seq));
    return { write, count: () => count(pool), close: () => pool.end() };
  },
};

async function measure(make: () => Promise<Writer>, batches: NewEvent[][]): Promise<number> {
  const w = await make();
  const warmEnd = Date.now() + WARMUP * 1000;
  let b = 0;
  let written = 0;
  while (Date.now() < warmEnd) {
    const batch = batches[b++ % batches.length];
    await w.write(batch);
    written += batch.length;
  }
  const start = Date.now();
  let rows = 0;
  while (Date.now() - start < SECONDS * 1000) {
    const batch = batches[b++ % batches.length];
    await w.write(batch);
    rows += batch.length;
  }
  const rate = rows / ((Date.now() - start) / 1000);
  // Every row written really is there (a writer that drops rows must not look fast).
  if ((await w.count()) !== written + rows) throw new Error(`row count mismatch: wrote ${written + rows}, table has ${await w.count()}`);
  await w.close();
  return rate;
}

const server = await startPgTestServer({ fsync: true });
try {
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  const setting = async (name: string) => (await admin.query(`SELECT current_setting('${name}') AS v`)).rows[0].v as string;
  const gen = new RecordGenerator(DATASET_DIR, 7);
  const results: Record<string, unknown>[] = [];
  let db = 0;
  for (const size of BATCHES) {
    const batches: NewEvent[][] = [];
    for (let i = 0; i < 16; i++) {
      const records = JSON.parse(gen.body(size, Date.now())).records as Array<{ id: string; ts: number }>;
      batches.push(records.map((r) => ({ type: 'device:reported', subject: r.id, ts: r.ts, data: r })));
    }
    const perSec: Record<string, number[]> = Object.fromEntries(Object.keys(writers).map((k) => [k, []]));
    // Interleaved repetitions, each in a fresh database (dropped after), so no method gets a warmer or bigger table.
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, make] of Object.entries(writers)) {
        const dbName = `bench${++db}`;
        const url = await server.createDatabase(dbName);
        perSec[name].push(await measure(() => make(url), batches));
        await admin.query(`DROP DATABASE ${dbName}`);
      }
    }
    const med = Object.fromEntries(Object.entries(perSec).map(([k, v]) => [k, Math.round(median(v))]));
    results.push({
      batch: size,
      eventsPerSec: med,
      runs: Object.fromEntries(Object.entries(perSec).map(([k, v]) => [k, v.map(Math.round)])),
      ratio: {
        storeVsMultiRowInsert: +(med.pgEventStore / med.rawMultiRowInsert).toFixed(2),
        storeVsUnnestInsert: +(med.pgEventStore / med.rawUnnestInsert).toFixed(2),
        storeVsCopy: +(med.pgEventStore / med.rawCopy).toFixed(2),
      },
    });
  }
  const out = {
    postgres: (await admin.query('SHOW server_version')).rows[0].server_version,
    fsync: await setting('fsync'),
    synchronous_commit: await setting('synchronous_commit'),
    cores: os.cpus().length,
    note: 'client and PostgreSQL share the machine; one batch per transaction, one transaction in flight',
    seconds: SECONDS,
    reps: REPS,
    results,
  };
  await admin.end();
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} finally {
  await server.stop();
}
