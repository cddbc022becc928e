// Decision analysis over real HTTP against a temporary SQLite file: the trend counts what was
// ingested per bucket and beside the previous period, repeat locations become hot spots, and every
// breakdown figure of /api/kpis drills down to exactly as many cases.
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseState } from '../core/cases/model.ts';
import { startTestServer, type TestServer } from './test-support.ts';

const H = 3_600_000;
const MON = Date.UTC(2026, 10, 22, 16); // Monday 00:00 Asia/Shanghai
let t = MON + 30 * H;
const clock = { now: () => t };
let server: TestServer;

afterEach(async () => {
  await server?.close();
});

const WEST = { lon: 117.01, lat: 30.5 };
const EAST = { lon: 117.08, lat: 30.5 };

describe('analysis', () => {
  it('trends, hot spots and drill-downs agree with what was reported', async () => {
    server = await startTestServer({ clock });
    const records = [
      // Three at one corner of the west (a hot spot), one in the east, one the day before the window.
      ...[0, 1, 2].map((i) => ({ id: `HS-${i}`, source: 'citizen', eventClass: '0401', title: `热点${i}`, urgency: 'normal', lon: WEST.lon + i * 0.0002, lat: WEST.lat, reportedAt: MON + 24 * H + (i + 1) * H })),
      { id: 'E-1', source: 'hotline-12345', eventClass: '0102', title: '东', urgency: 'normal', hotlineOrderNo: 'RX-1', ...EAST, reportedAt: MON + 24 * H + 5 * H },
      { id: 'OLD', source: 'citizen', eventClass: '0102', title: '前一天', urgency: 'normal', ...EAST, reportedAt: MON + 2 * H },
    ];
    const res = await server.post('/api/ingest/cases', { records });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const from = MON + 24 * H;
    const to = MON + 48 * H;

    const a = (await server.get(`/api/analysis?from=${from}&to=${to}`)).body.data;
    expect(a.trend.bucket).toBe('hour');
    expect(a.trend.current).toHaveLength(24);
    expect(a.trend.totals).toEqual({ current: { reported: 4, closed: 0, overdue: 0 }, previous: { reported: 1, closed: 0, overdue: 0 } });
    expect(a.trend.current.slice(0, 6).map((p: { reported: number }) => p.reported)).toEqual([0, 1, 1, 1, 0, 1]);
    expect(a.hotspots).toEqual([expect.objectContaining({ count: 3, eventClass: '0401', caseIds: ['HS-0', 'HS-1', 'HS-2'] })]);

    // A township's screen sees only its own.
    const township = a.hotspots[0].townshipCode as string;
    const east = (await server.get(`/api/analysis?from=${from}&to=${to}&scope=${township}`)).body.data;
    expect(east.trend.totals.current.reported).toBe(3);

    // Every breakdown row of the indicators drills down to as many cases.
    for (const by of ['township', 'source', 'class'] as const) {
      const rows = (await server.get(`/api/kpis?from=${from}&to=${to}&by=${by}`)).body.data as Array<{ key: string; kpis: { counts: { reported: number } } }>;
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const list = (await server.get(`/api/analysis/cases?from=${from}&to=${to}&by=${by}&key=${encodeURIComponent(r.key)}`)).body.data as CaseState[];
        expect(list.length, `${by}=${r.key}`).toBe(r.kpis.counts.reported);
      }
    }
    // The density map's points: exactly the window's cases, oldest first; a township's only.
    const points = (await server.get(`/api/analysis/points?from=${from}&to=${to}`)).body.data;
    expect(points).toMatchObject({ count: 4, truncated: false });
    expect(points.lonlat).toEqual([WEST.lon, WEST.lat, WEST.lon + 0.0002, WEST.lat, WEST.lon + 0.0004, WEST.lat, EAST.lon, EAST.lat]);
    expect((await server.get(`/api/analysis/points?from=${from}&to=${to}&scope=${township}`)).body.data.count).toBe(3);
    const spot = (await server.get(`/api/analysis/cases?from=${from}&to=${to}&ids=HS-2,HS-0,NOPE`)).body.data as CaseState[];
    expect(spot.map((c) => c.id)).toEqual(['HS-2', 'HS-0']);

    expect((await server.get(`/api/analysis?from=${to}&to=${from}`)).body).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: 'from must be before to' });
    expect((await server.get('/api/analysis?scope=999999')).status).toBe(400);
    expect((await server.get(`/api/analysis?from=${from - 200 * 24 * H}&to=${to}&bucket=hour`)).body.message).toMatch(/too many hours/);
    expect((await server.get(`/api/analysis/cases?by=township`)).body.message).toBe('by needs a key');
  });
});
