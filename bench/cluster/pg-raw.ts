// Raw `pg` baselines on the cluster's own PostgreSQL (child of bench/cluster.ts; prints one JSON line):
// the same realistic device rows (bench/records.ts) into the same schema (server/store/pg-schema.ts,
// in a schema `rawbench` of the same database, recreated empty for each method), one connection,
// one batch per transaction, one at a time, JSON.stringify timed (the writes of bench/pg-raw-writes.ts,
// as bench/pg-ingest.ts). Methods: multi-row INSERT, COPY FROM STDIN, and the store's own append
// statement (server/store/pg-append.ts: log_head lock, unnest insert, NOTIFY) without HTTP or nodes,
// with whole batches and with one row (the serial commit rate through log_head's lock).
import pg from 'pg';
import type { NewEvent } from '../../server/store/event-store.ts';
import { appendRows } from '../../server/store/pg-append.ts';
import { migrate, PG_TYPES } from '../../server/store/pg-schema.ts';
import { copyRows, insertMultiRow } from '../pg-raw-writes.ts';
import { RecordGenerator } from '../records.ts';

const cfg = JSON.parse(process.argv[2]) as { pgUrl: string; datasetDir: string; batch: number; warmupS: number; measureS: number; seed: number };

async function tx(c: pg.PoolClient, body: () => Promise<void>): Promise<void> {
  await c.query('BEGIN');
  await body();
  await c.query('COMMIT');
}

type Write = (c: pg.PoolClient, pool: pg.Pool, events: NewEvent[]) => Promise<void>;
let seq = 0;
const methods: Record<string, Write> = {
  multiRowInsert: (c, _p, events) => tx(c, () => insertMultiRow(c, events, () => ++seq)),
  copy: (c, _p, events) => tx(c, () => copyRows(c, events, () => ++seq)),
  storeAppendStatement: async (_c, pool, events) => {
    await appendRows(pool, events, Date.now());
  },
  // One row per append, one at a time: the rate at which log_head's row lock can change hands.
  storeAppendOneRow: async (_c, pool, events) => {
    await appendRows(pool, events.slice(0, 1), Date.now());
  },
};
const rowsPer = (name: string) => (name === 'storeAppendOneRow' ? 1 : cfg.batch);

const gen = new RecordGenerator(cfg.datasetDir, cfg.seed);
const batches: NewEvent[][] = [];
for (let i = 0; i < 16; i++) {
  const records = (JSON.parse(gen.body(cfg.batch, Date.now())) as { records: Array<{ id: string; ts: number }> }).records;
  batches.push(records.map((r) => ({ type: 'device:reported', subject: r.id, ts: r.ts, data: r })));
}

const admin = new pg.Client({ connectionString: cfg.pgUrl });
await admin.connect();
const out: Record<string, { eventsPerSec: number; rows: number }> = {};
for (const [name, write] of Object.entries(methods)) {
  await admin.query('DROP SCHEMA IF EXISTS rawbench CASCADE');
  await admin.query('CREATE SCHEMA rawbench');
  // A statement's plan is tied to the schema it was prepared in: a new pool per method.
  const pool = new pg.Pool({ connectionString: cfg.pgUrl, max: 1, types: PG_TYPES, options: '-c search_path=rawbench' });
  await migrate(pool);
  seq = 0;
  const c = name.startsWith('storeAppend') ? null : await pool.connect();
  let b = 0;
  let written = 0;
  for (const end = Date.now() + cfg.warmupS * 1000; Date.now() < end; written += rowsPer(name)) await write(c!, pool, batches[b++ % batches.length]);
  const start = Date.now();
  let rows = 0;
  while (Date.now() - start < cfg.measureS * 1000) {
    await write(c!, pool, batches[b++ % batches.length]);
    rows += rowsPer(name);
  }
  const rate = rows / ((Date.now() - start) / 1000);
  c?.release();
  const n = Number((await pool.query('SELECT count(*)::float8 AS n FROM events')).rows[0].n);
  if (n !== written + rows) throw new Error(`${name}: wrote ${written + rows} rows, table has ${n}`);
  await pool.end();
  out[name] = { eventsPerSec: Math.round(rate), rows: n };
  process.stderr.write(`  raw ${name}: ${Math.round(rate)} rows/s\n`);
}
await admin.query('DROP SCHEMA IF EXISTS rawbench CASCADE');
await admin.end();
process.stdout.write(JSON.stringify({ batch: cfg.batch, measureS: cfg.measureS, ...out }) + '\n');
process.exit(0);
