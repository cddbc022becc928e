// The same appends and checkpoints on SqliteEventStore and PgEventStore must read back the same:
// the PostgreSQL queries are checked against the store the rest of the server already trusts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent, StoredEvent } from './event-store.ts';
import { PgEventStore } from './pg-event-store.ts';
import { READS } from './pg-reads.ts';
import { startPgTestServer, type PgTestServer } from './pg-test-server.ts';
import { SqliteEventStore } from './sqlite-event-store.ts';

const T0 = 1_800_000_000_000;
const MIN = 60_000;
const HOUR = 3_600_000;
let server: PgTestServer;
let dir: string;
let dbs = 0;

beforeAll(async () => {
  server = await startPgTestServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-parity-'));
});
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function both(clock: { now(): number }) {
  const name = `p${++dbs}`;
  const sqlite = new SqliteEventStore({ file: path.join(dir, `${name}.db`), clock, synchronous: 'NORMAL' });
  const pgStore = await PgEventStore.open({ connectionString: await server.createDatabase(name), clock, pollMs: 60_000 });
  return { sqlite, pgStore, url: server.url(name) };
}

const TYPES: NewEvent['type'][] = ['device:reported', 'video:detected', 'case:reported', 'case:assigned', 'case:closed', 'duty:noted', 'alarm:raised', 'whistle:blown', 'drone:dispatched', 'broadcast:sent'];
/** Deterministic mixed events: mostly telemetry, event times out of order and tied. */
function mixed(round: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, k) => {
    const i = round * 1000 + k;
    const type = TYPES[(i * 7 + round) % TYPES.length];
    const subject = type.startsWith('case:') ? `CASE-${i % 4}` : type === 'case:reported' ? 'x' : `D${i % 13}`;
    return { type, subject, ts: T0 + ((i * 37) % 50) * 1000, data: { i, type, note: k % 5 === 0 ? '夜间巡查 \u0000 "ok"' : null, list: [k, k / 3] } };
  });
}
const strip = (events: StoredEvent[]) => events.map(({ index: _index, ...e }) => e);

describe('PgEventStore answers as SqliteEventStore does', () => {
  it('for reads by seq, case, event time, type, commit time and span', async () => {
    let now = T0;
    const clock = { now: () => now };
    const { sqlite, pgStore, url } = await both(clock);
    expect(await pgStore.recordedRange()).toBe(await sqlite.recordedRange());
    for (let round = 0; round < 12; round++) {
      const batch = mixed(round, 5 + ((round * 11) % 17));
      const [a, b] = await Promise.all([sqlite.append(batch), pgStore.append(batch)]);
      expect(b).toEqual(a);
      now += round % 3 === 0 ? 0 : 1000 + round;
    }
    const same = async <T>(read: (s: SqliteEventStore | PgEventStore) => T | Promise<T>) => {
      const expected = await read(sqlite);
      expect(await read(pgStore)).toEqual(expected);
      return expected;
    };
    expect(pgStore.lastSeq()).toBe(sqlite.lastSeq());
    expect(strip(await same((s) => s.readAfter(0, 10_000)))).toHaveLength(sqlite.lastSeq());
    for (const [after, limit] of [[0, 7], [13, 25], [100, 1000], [10_000, 5]]) {
      await same((s) => s.readAfter(after, limit));
      await same((s) => s.readOperationsAfter(after, limit));
    }
    for (const id of ['CASE-0', 'CASE-1', 'CASE-3', 'D1', 'none']) await same((s) => s.readCaseEvents(id));
    expect((await sqlite.readCaseEvents('CASE-1')).length).toBeGreaterThan(1);
    for (const [from, to, limit] of [[T0, T0 + 50_000, 1000], [T0 + 3000, T0 + 17_000, 1000], [T0, T0 + 50_000, 9], [T0 + 49_000, T0 + 49_001, 10]]) {
      await same((s) => s.readOperations(from, to, limit));
    }
    for (const prefix of ['case:', 'duty:', 'alarm:', 'whistle:', 'drone:', 'broadcast:', 'nothing:']) {
      await same((s) => s.readOfType(prefix, 1000));
      await same((s) => s.readOfType(prefix, 3));
    }
    await expect(pgStore.readOfType('device:', 10)).rejects.toThrow(/operational/);
    for (let t = T0 - 1; t <= now + 1; t += 250) await same((s) => s.seqAt(t));
    for (const [from, to] of [[T0, T0 + 1], [T0, now], [T0, now + 1], [T0 + 1500, T0 + 9000], [0, T0]]) await same((s) => s.countRecorded(from, to));
    await same((s) => s.recordedRange());

    // The partial indexes serve these reads (with sequential scans priced out, as on a big log).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('SET enable_seqscan = off');
    const plan = async (sql: string, values: unknown[]) => (await client.query({ text: `EXPLAIN ${sql}`, values })).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(await plan(READS.operations, [T0, T0 + 1000, 10])).toContain('events_ops_ts');
    expect(await plan(READS.caseEvents, ['CASE-1'])).toContain('events_case_subject');
    await client.end();
    await Promise.all([sqlite.close(), pgStore.close()]);
  });

  it('for checkpoints: the same thinning (per minute for a day, per hour before) and the same lookups', async () => {
    let now = T0;
    const clock = { now: () => now };
    const { sqlite, pgStore, url } = await both(clock);
    expect(await pgStore.latestCheckpoint()).toBeNull();
    // Two days every 20 minutes, then a burst within one minute, then some at odd offsets.
    let seq = 0;
    let savedAt = now;
    const save = async () => {
      seq += 10;
      savedAt = now;
      await Promise.all([sqlite.saveCheckpoint(seq, `cp${seq}`), pgStore.saveCheckpoint(seq, `cp${seq}`)]);
    };
    for (let i = 0; i < 144; i++, now += 20 * MIN) await save();
    for (let i = 0; i < 3; i++, now += 7000) await save();
    for (let i = 0; i < 10; i++, now += 17 * MIN + 13_000) await save();
    expect(await pgStore.latestCheckpoint()).toEqual(await sqlite.latestCheckpoint());
    const keptSqlite: number[] = [];
    const keptPg: number[] = [];
    for (let s = 0; s <= seq + 5; s++) {
      const [a, b] = await Promise.all([sqlite.checkpointAtOrBefore(s), pgStore.checkpointAtOrBefore(s)]);
      expect(b).toEqual(a);
      if (a && a.seq === s) keptSqlite.push(s);
      if (b && b.seq === s) keptPg.push(s);
    }
    expect(keptPg).toEqual(keptSqlite);
    // The thinning did thin: fewer than saved, one per hour in the older part.
    expect(keptPg.length).toBeLessThan(seq / 10);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = (await client.query<{ created_at: string }>('SELECT created_at FROM checkpoints')).rows;
    await client.end();
    const old = rows.filter((r) => Number(r.created_at) < savedAt - 24 * HOUR);
    expect(new Set(old.map((r) => Math.floor(Number(r.created_at) / HOUR))).size).toBe(old.length);
    expect(old.length).toBeGreaterThan(20);
    await Promise.all([sqlite.close(), pgStore.close()]);
  });
});
