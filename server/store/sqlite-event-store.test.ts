import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.ts';
import { ConflictError, StoreUnavailableError, type NewEvent } from './event-store.ts';

const clock = { now: () => 1_800_000_000_000 };
const dirs: string[] = [];
function tempFile() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-store-'));
  dirs.push(dir);
  return path.join(dir, 'events.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const ev = (i: number, size = 10): NewEvent => ({ type: 'device:reported', subject: `C${i}`, ts: 1_800_000_000_000 + i, data: { i, pad: 'x'.repeat(size) } });

describe('SqliteEventStore', () => {
  it('refuses an append whose subject changed after the seq it was decided at, alone, storing nothing of it', async () => {
    const store = new SqliteEventStore({ file: tempFile(), clock, synchronous: 'FULL' });
    await store.append([ev(1), ev(2)]);
    const decidedAt = store.lastSeq();
    // Another request changes C1 meanwhile; then two commands decided at the old head arrive in one group commit.
    await store.append([ev(1)]);
    const [stale, fresh, plain] = await Promise.allSettled([
      store.append([ev(10)], { unchangedSince: { seq: decidedAt, subjects: ['C1'] } }),
      store.append([ev(11)], { unchangedSince: { seq: decidedAt, subjects: ['C2'] } }),
      store.append([ev(12)]),
    ]);
    expect(stale.status === 'rejected' && stale.reason).toBeInstanceOf(ConflictError);
    expect(fresh.status).toBe('fulfilled');
    expect(plain.status).toBe('fulfilled');
    expect((await store.readAfter(decidedAt, 10)).map((e) => e.subject)).toEqual(['C1', 'C11', 'C12']);
    // Its own commit in the same group counts too: the second of two on C2 decided at one head loses.
    const head = store.lastSeq();
    const both = await Promise.allSettled([0, 1].map(() => store.append([ev(2)], { unchangedSince: { seq: head, subjects: ['C2'] } })));
    expect(both.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    await store.close();
  });

  it('commits appends of one turn together, in order, and numbers them', async () => {
    const store = new SqliteEventStore({ file: tempFile(), clock, synchronous: 'FULL' });
    const commits: number[][] = [];
    store.onCommit((events) => commits.push(events.map((e) => e.seq)));
    const [a, b] = await Promise.all([store.append([ev(1), ev(2)]), store.append([ev(3)])]);
    expect(a.map((e) => e.seq)).toEqual([1, 2]);
    expect(b.map((e) => e.seq)).toEqual([3]);
    expect(commits).toEqual([[1, 2, 3]]);
    expect((await store.readAfter(1, 10)).map((e) => [e.seq, e.subject, (e.data as { i: number }).i])).toEqual([
      [2, 'C2', 2],
      [3, 'C3', 3],
    ]);
    await store.close();
  });

  it('keeps what was committed across a reopen and continues the sequence', async () => {
    const file = tempFile();
    const first = new SqliteEventStore({ file, clock, synchronous: 'NORMAL' });
    await first.append([ev(1), ev(2)]);
    await first.close();
    const second = new SqliteEventStore({ file, clock, synchronous: 'NORMAL' });
    expect(second.lastSeq()).toBe(2);
    expect((await second.append([ev(3)]))[0].seq).toBe(3);
    await second.close();
  });

  it('when the disk is full, refuses the whole batch, acknowledges nothing and recovers afterwards', async () => {
    const file = tempFile();
    const store = new SqliteEventStore({ file, clock, synchronous: 'FULL', pragmas: ['max_page_count = 40'] });
    await store.append([ev(1)]);
    const big = Array.from({ length: 200 }, (_, i) => ev(i + 10, 2000));
    const failed = store.append(big);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/event store cannot write: database or disk is full/);
    expect(store.lastSeq()).toBe(1);
    expect(await store.readAfter(0, 1000)).toHaveLength(1);
    // "The disk recovers": allow growth again; the next append continues the sequence without a gap.
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('max_page_count = 100000');
    expect((await store.append([ev(2)]))[0].seq).toBe(2);
    await store.close();
  });

  it('a failing commit listener does not keep the sender from its acknowledgement', async () => {
    const store = new SqliteEventStore({ file: tempFile(), clock, synchronous: 'NORMAL' });
    store.onCommit(() => {
      throw new Error('projection bug');
    });
    expect((await store.append([ev(1)]))[0].seq).toBe(1);
    await store.close();
  });

  it('refuses appends after close', async () => {
    const store = new SqliteEventStore({ file: tempFile(), clock, synchronous: 'NORMAL' });
    await store.close();
    await expect(store.append([ev(1)])).rejects.toThrow(/closed/);
  });

  it('reads the operational events of a time window, in time order, without the telemetry, through the partial index', async () => {
    const file = tempFile();
    const store = new SqliteEventStore({ file, clock, synchronous: 'NORMAL' });
    const T = 1_800_000_000_000;
    const op = (type: NewEvent['type'], subject: string, ts: number): NewEvent => ({ type, subject, ts, data: { subject } });
    await store.append([
      ...Array.from({ length: 500 }, (_, i) => ev(i)),
      op('case:reported', 'before', T - 1), op('case:reported', 'C2', T + 20), op('duty:noted', 'N1', T + 10), op('video:detected', 'V1', T + 15),
      op('alarm:raised', 'A1', T + 30), op('case:closed', 'after', T + 100),
    ]);
    expect((await store.readOperations(T, T + 100, 100)).map((e) => e.subject)).toEqual(['N1', 'C2', 'A1']);
    expect((await store.readOperations(T, T + 100, 2)).map((e) => e.subject)).toEqual(['N1', 'C2']);
    expect((await store.readOfType('duty:', 100)).map((e) => e.subject)).toEqual(['N1']);
    await expect(store.readOfType('device:', 10)).rejects.toThrow(/operational/);
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { readonly: true });
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT seq FROM events WHERE type NOT IN ('device:reported', 'video:detected') AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?").all(T, T + 100, 10) as { detail: string }[];
    db.close();
    expect(plan.map((p) => p.detail).join(' | ')).toContain('events_ops_ts');
  });
  it('keeps a checkpoint per minute for the last day and per hour before, and finds the one before a seq', async () => {
    let now = 1_800_000_000_000;
    const store = new SqliteEventStore({ file: tempFile(), clock: { now: () => now }, synchronous: 'NORMAL' });
    const HOUR = 3_600_000;
    // Two days of checkpoints every 20 minutes, then three within one minute.
    let seq = 0;
    for (let i = 0; i < 144; i++, now += 20 * 60_000) await store.saveCheckpoint(++seq * 10, `cp${seq}`);
    await store.saveCheckpoint(++seq * 10, `cp${seq}`);
    now += 1000;
    await store.saveCheckpoint(++seq * 10, `cp${seq}`);
    expect(await store.latestCheckpoint()).toEqual({ seq: seq * 10, body: `cp${seq}` });
    // The minute bucket kept only its newest.
    expect((await store.checkpointAtOrBefore(seq * 10 - 1))?.seq).toBe((seq - 2) * 10);
    const db = (store as unknown as { db: { prepare(s: string): { all(): { seq: number; created_at: number }[] } } }).db;
    const rows = db.prepare('SELECT seq, created_at FROM checkpoints ORDER BY seq').all();
    const cut = now - 24 * HOUR;
    const old = rows.filter((r) => r.created_at < cut);
    const recent = rows.filter((r) => r.created_at >= cut);
    // Older than a day: one per hour (every 20 min before thinning).
    expect(new Set(old.map((r) => Math.floor(r.created_at / HOUR))).size).toBe(old.length);
    expect(old.length).toBeGreaterThanOrEqual(23);
    expect(old.length).toBeLessThanOrEqual(25);
    // The last day: every one of them (they were 20 minutes apart), except the one replaced within its minute.
    expect(recent.length).toBeGreaterThanOrEqual(72);
    expect(await store.checkpointAtOrBefore(5)).toBeNull();
    await store.close();
  });

  it('stores a checkpoint as gzip, several times smaller than its JSON, and still reads one written as JSON text before', async () => {
    const file = tempFile();
    const store = new SqliteEventStore({ file, clock, synchronous: 'NORMAL' });
    // A projection-like body: many similar cases.
    const json = JSON.stringify({ cases: Array.from({ length: 5000 }, (_, i) => ({ id: `C${i}`, status: i % 3 ? 'assigned' : 'closed', grid: `34080300${i % 351}`, at: 1_800_000_000_000 + i * 1000 })) });
    await store.saveCheckpoint(10, json);
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file);
    const stored = raw.prepare('SELECT body FROM checkpoints WHERE seq = 10').get() as { body: Buffer };
    expect(Buffer.isBuffer(stored.body)).toBe(true);
    expect([stored.body[0], stored.body[1]]).toEqual([0x1f, 0x8b]);
    expect(stored.body.length).toBeLessThan(json.length / 4);
    // A file from before compression: the body column holds JSON text.
    raw.prepare('INSERT INTO checkpoints (seq, created_at, body) VALUES (?, ?, ?)').run(5, clock.now() - 3_600_000, '{"legacy":true}');
    raw.close();
    expect(await store.latestCheckpoint()).toEqual({ seq: 10, body: json });
    expect(await store.checkpointAtOrBefore(9)).toEqual({ seq: 5, body: '{"legacy":true}' });
    await store.close();
  });

  it('finds the last seq committed at or before a time, counts commits in a window and knows the log\'s span', async () => {
    let now = 1_800_000_000_000;
    const store = new SqliteEventStore({ file: tempFile(), clock: { now: () => now }, synchronous: 'NORMAL' });
    expect(await store.recordedRange()).toBeNull();
    expect(await store.seqAt(now)).toBe(0);
    await store.append([ev(1), ev(2)]);
    now += 1000;
    await store.append([ev(3)]);
    now += 1000;
    await store.append([ev(4), ev(5), ev(6)]);
    const t0 = 1_800_000_000_000;
    expect(await store.seqAt(t0 - 1)).toBe(0);
    expect(await store.seqAt(t0)).toBe(2);
    expect(await store.seqAt(t0 + 999)).toBe(2);
    expect(await store.seqAt(t0 + 1000)).toBe(3);
    expect(await store.seqAt(t0 + 10_000)).toBe(6);
    expect(await store.countRecorded(t0, t0 + 1000)).toBe(2);
    expect(await store.countRecorded(t0 + 1000, t0 + 2001)).toBe(4);
    expect(await store.recordedRange()).toEqual({ first: t0, last: t0 + 2000 });
    await store.close();
  });
});
