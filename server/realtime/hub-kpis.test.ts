// 今日上报 must not lag the feed (issue 15, item 9): the KPIs a delta carries are counted at that
// round, even when a snapshot for another screen refreshed the hub's numbers just before.
import { afterEach, describe, expect, it } from 'vitest';
import { DISTRICT_SESSION, nextDelta, startTestServer, type TestServer } from '../test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('hub KPIs', () => {
  it('a KPI round right after another screen\'s snapshot counts the case reported in between', async () => {
    // The server's clock held still and moved by hand; ticks only when the test calls them.
    let at = Date.UTC(2027, 0, 15, 2, 0); // 10:00 in Shanghai
    server = await startTestServer({ clock: { now: () => at }, tickMs: 600_000 });
    const { client } = await server.connect(); // its snapshot and a first KPI round, at `at`
    at += 200;
    server.app.hub.snapshot(DISTRICT_SESSION); // another screen joins between two KPI rounds
    const res = await server.post('/api/ingest/cases', {
      records: [{ id: 'C-LAG', source: 'citizen', eventClass: '0102', title: '案件', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: at }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    at += 60; // 260 ms after the last round: this tick sends KPIs
    const seen = nextDelta(client, (d) => d.kpis !== undefined && d.cases.some((c) => c.id === 'C-LAG'));
    server.app.hub.tick();
    const delta = await seen;
    expect(delta.kpis!.cases.today).toBe(1);
    expect(delta.kpis!.cases.open).toBe(1);
  });
});
