// The way up to the city platform over real HTTP: the case feed by cursor (no gap, no duplicate,
// across a restart), the day's indicators, and the consumer keys.
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../core/org.ts';
import { startTestServer, type TestServer } from './test-support.ts';

const CONSUMER_KEY = 'city-brain-anqing-0123456789';
// 2026-12-06 10:00 in Shanghai.
const T0 = Date.UTC(2026, 11, 6, 2);
const WEST = { lon: 117.01, lat: 30.5 }; // 德宽路街道
const EAST = { lon: 117.08, lat: 30.5 }; // 玉琳路街道
const dispatcher: Actor = { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' };

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const clockAt = (t: { now: number }) => ({ now: () => t.now });
async function start(opts: { dataDir?: string; keys?: Map<string, string>; time: { now: number } }) {
  server = await startTestServer({ clock: clockAt(opts.time), dataDir: opts.dataDir, config: { cityFeedKeys: opts.keys ?? new Map([[CONSUMER_KEY, 'city-brain']]) } });
  return server;
}
async function read(s: TestServer, query: string, key: string | null = CONSUMER_KEY) {
  const res = await fetch(`${s.url}/api/exchange/${query}`, { headers: key === null ? {} : { 'x-consumer-key': key } });
  return { status: res.status, body: (await res.json()) as any };
}
function caseRecord(id: string, where: { lon: number; lat: number }, reportedAt: number) {
  return { id, source: 'citizen', eventClass: '0102', title: `井盖${id}`, urgency: 'normal', reporter: '13800000000', ...where, reportedAt };
}
/** Reads the feed from `after` in pages of `limit` until caught up; returns the events and the cursor. */
async function drain(s: TestServer, after: number, limit: number) {
  const events: Array<{ seq: number; caseId: string; command: string; report?: Record<string, unknown> }> = [];
  let cursor = after;
  for (let page = 0; page < 1000; page++) {
    const { status, body } = await read(s, `case-events?after=${cursor}&limit=${limit}`);
    expect(status, JSON.stringify(body)).toBe(200);
    events.push(...body.data.events);
    expect(body.data.next).toBeGreaterThanOrEqual(cursor);
    cursor = body.data.next;
    if (cursor === body.data.head) return { events, cursor };
  }
  throw new Error('the feed never caught up');
}

describe('the exchange with the city platform', () => {
  it('feeds every step of every case once, in log order, by cursor, across a restart; telemetry and contacts stay home', async () => {
    const time = { now: T0 };
    const s = await start({ time });
    expect((await s.post('/api/ingest/cases', { records: [caseRecord('C-X1', WEST, T0 - 60_000), caseRecord('C-X2', EAST, T0 - 30_000)] })).status).toBe(200);
    // Telemetry between the cases: in the log, not in the feed.
    expect((await s.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001', ts: T0, status: 'fault' }, { kind: 'camera', id: 'CAM-00002', ts: T0, status: 'online' }] })).status).toBe(200);
    for (const type of ['file', 'dispatch'] as const) {
      time.now += 60_000;
      const r = await s.post('/api/cases/C-X1/commands', { actor: dispatcher, command: type === 'file' ? { type } : { type, unit: 'DEPT-CG' } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }

    const first = await drain(s, 0, 2);
    expect(first.events.map((e) => `${e.caseId} ${e.command}`)).toEqual(['C-X1 report', 'C-X2 report', 'C-X1 file', 'C-X1 dispatch']);
    const seqs = first.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(first.events[0].report).toMatchObject({ id: 'C-X1', eventClass: '0102', townshipCode: '340803001' });
    expect(JSON.stringify(first.events)).not.toContain('13800000000');
    expect(JSON.stringify(first.events)).not.toContain('区派遣员');
    // Caught up: reading again from the cursor gives nothing, and the cursor stays.
    const again = await read(s, `case-events?after=${first.cursor}`);
    expect(again.body.data).toMatchObject({ events: [], next: first.cursor });

    // The server restarts on its data; the consumer reads on from its cursor.
    await s.close(false);
    server = null;
    const s2 = await start({ dataDir: s.dataDir, time });
    time.now += 60_000;
    expect((await s2.post('/api/ingest/cases', { records: [caseRecord('C-X3', WEST, time.now)] })).status).toBe(200);
    expect((await s2.post('/api/cases/C-X2/commands', { actor: dispatcher, command: { type: 'file' } })).status).toBe(200);
    const second = await drain(s2, first.cursor, 1);
    expect(second.events.map((e) => `${e.caseId} ${e.command}`)).toEqual(['C-X3 report', 'C-X2 file']);
    expect(Math.min(...second.events.map((e) => e.seq))).toBeGreaterThan(Math.max(...seqs));
    // From the beginning, the whole history once.
    const whole = await drain(s2, 0, 1000);
    expect(whole.events.map((e) => e.seq)).toEqual([...seqs, ...second.events.map((e) => e.seq)]);
  });

  it('the day\'s indicators for the district and each township, and a clear refusal of a bad day', async () => {
    const time = { now: T0 };
    const s = await start({ time });
    expect((await s.post('/api/ingest/cases', { records: [caseRecord('C-D1', WEST, T0 - 60_000), caseRecord('C-D2', WEST, T0 - 50_000), caseRecord('C-D3', EAST, T0 - 40_000)] })).status).toBe(200);
    // Reported yesterday (local): not today's.
    expect((await s.post('/api/ingest/cases', { records: [caseRecord('C-D0', EAST, Date.UTC(2026, 11, 5, 15, 59))] })).status).toBe(200);

    const today = await read(s, 'indicators');
    expect(today.status, JSON.stringify(today.body)).toBe(200);
    expect(today.body.data).toMatchObject({ day: '2026-12-06', from: Date.UTC(2026, 11, 5, 16), to: Date.UTC(2026, 11, 6, 16) });
    expect(today.body.data.district.counts.reported).toBe(3);
    const byTownship = Object.fromEntries(today.body.data.townships.map((t: { code: string; kpis: { counts: { reported: number } } }) => [t.code, t.kpis.counts.reported]));
    expect(byTownship).toEqual({ '340803001': 2, '340803002': 1 });
    expect(today.body.data.district.rates).toHaveProperty('onTimeHandlingRate');

    const yesterday = await read(s, 'indicators?day=2026-12-05');
    expect(yesterday.body.data.district.counts.reported).toBe(1);

    for (const [day, words] of [['2026-02-30', 'not a calendar date'], ['6.12.2026', 'not a calendar date'], ['2026-12-07', 'has not begun']]) {
      const r = await read(s, `indicators?day=${day}`);
      expect(r.status, day).toBe(400);
      expect(r.body).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(r.body.message).toContain(words);
    }
    const badCursor = await read(s, 'case-events?after=-1');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.message).toContain('after');
  });

  it('only a configured consumer\'s key reads it; a gateway key or a session does not', async () => {
    const time = { now: T0 };
    const s = await start({ time });
    for (const key of [null, 'wrong-key-0123456789abcdef', 'test-gateway-key-0123456789']) {
      const r = await read(s, 'case-events', key);
      expect(r.status, String(key)).toBe(401);
      expect(r.body).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
      expect(r.body.message).toContain('x-consumer-key');
    }
    expect((await read(s, 'case-events')).status).toBe(200);
    await s.close();
    server = null;
    const none = await start({ time, keys: new Map() });
    const r = await read(none, 'indicators', CONSUMER_KEY);
    expect(r.status).toBe(401);
    expect(r.body.message).toContain('CITY_FEED_KEYS');
  });
});
