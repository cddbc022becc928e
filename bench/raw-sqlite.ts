// Baseline child process: raw better-sqlite3 batched inserts of the same rows the server writes
// (schema of server/store/sqlite-event-store.ts, WAL, same synchronous mode, same batch size, one
// transaction per batch, data = JSON.stringify(record)). Records are generated and parsed before
// timing; the timed loop is insert + JSON.stringify only. argv[2]: JSON config. Prints one JSON line.
import Database from 'better-sqlite3';
import path from 'node:path';
import { RecordGenerator } from './records.ts';
import { median } from './stats.ts';

interface Config {
  dir: string;
  datasetDir: string;
  batch: number;
  synchronous: 'FULL' | 'NORMAL';
  warmupS: number;
  measureS: number;
}
const cfg = JSON.parse(process.argv[2]) as Config;

const gen = new RecordGenerator(cfg.datasetDir, 7);
const batches: Array<Array<{ kind: string; id: string; ts: number }>> = [];
for (let i = 0; i < 16; i++) batches.push(JSON.parse(gen.body(cfg.batch, Date.now())).records);

const db = new Database(path.join(cfg.dir, 'raw.db'));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${cfg.synchronous}`);
db.exec(`
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, recorded_at INTEGER NOT NULL, type TEXT NOT NULL, subject TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_recorded_at ON events (recorded_at);`);
const insert = db.prepare('INSERT INTO events (seq, ts, recorded_at, type, subject, data) VALUES (?, ?, ?, ?, ?, ?)');
let seq = 0;
const writeBatch = db.transaction((records: Array<{ id: string; ts: number }>) => {
  const recordedAt = Date.now();
  for (const r of records) insert.run(++seq, r.ts, recordedAt, 'device:reported', r.id, JSON.stringify(r));
});

const start = Date.now();
const measureFrom = start + cfg.warmupS * 1000;
const measureTo = measureFrom + cfg.measureS * 1000;
let inWindow = 0;
let windowStart = 0;
let windowEnd = 0;
const perSecond = new Array<number>(Math.ceil(cfg.measureS)).fill(0);
for (let b = 0; Date.now() < measureTo; b++) {
  const t = Date.now();
  writeBatch(batches[b % batches.length]);
  if (t >= measureFrom) {
    if (!windowStart) windowStart = t;
    inWindow += cfg.batch;
    windowEnd = Date.now();
    perSecond[Math.min(perSecond.length - 1, Math.floor((windowEnd - measureFrom) / 1000))] += cfg.batch;
  }
}
const rows = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
db.close();
const seconds = (windowEnd - windowStart) / 1000;
process.stdout.write(JSON.stringify({ synchronous: cfg.synchronous, batch: cfg.batch, eventsPerSec: Math.round(inWindow / seconds), perSecond: { min: Math.min(...perSecond), median: median(perSecond), max: Math.max(...perSecond) }, rows, seconds }) + '\n');
