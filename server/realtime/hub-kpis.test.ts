// What a screen is sent per tick, over a real socket with the hub's clock moved by hand:
// 今日上报 must not lag the feed (issue 15, item 9), and each change goes once, in its smallest form
// (issue 16): a new case whole in case:reported and not again in the delta, a later change as a
// patch, a KPI round with only the parts that changed.
import { afterEach, describe, expect, it } from 'vitest';
import { applyCasePatch } from '../../core/cases/patch.ts';
import type { CaseState } from '../../core/cases/model.ts';
import { decodeDelta, type Delta } from '../../core/protocol.ts';
import { DISTRICT_SESSION, nextDelta, nextEvent, startTestServer, type TestClient, type TestServer } from '../test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const report = (id: string, at: number) =>
  server!.post('/api/ingest/cases', { records: [{ id, source: 'citizen', eventClass: '0102', title: '案件', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: at }] });

/** Every delta the client receives from now on, in order. */
function deltas(client: TestClient): Delta[] {
  const out: Delta[] = [];
  client.on('delta:sent', (wire) => out.push(decodeDelta(wire)));
  return out;
}

describe('hub rounds', () => {
  it('a KPI round right after another screen\'s snapshot counts the case reported in between', async () => {
    // The server's clock held still and moved by hand; ticks only when the test calls them.
    let at = Date.UTC(2027, 0, 15, 2, 0); // 10:00 in Shanghai
    server = await startTestServer({ clock: { now: () => at }, tickMs: 600_000 });
    const { client } = await server.connect(); // its snapshot and a first KPI round, at `at`
    at += 200;
    server.app.hub.snapshot(DISTRICT_SESSION); // another screen joins between two KPI rounds
    const announced = nextEvent(client, 'case:reported', (c) => c.id === 'C-LAG');
    const res = await report('C-LAG', at);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await announced).version).toBe(1);
    at += 60; // 260 ms after the last round: this tick sends KPIs
    const seen = nextDelta(client, (d) => d.kpis?.cases !== undefined);
    server.app.hub.tick();
    const delta = await seen;
    expect(delta.kpis!.cases!.today).toBe(1);
    expect(delta.kpis!.cases!.open).toBe(1);
  });

  it('sends a new case once (case:reported), a later change as a patch, and KPI parts only when they change', async () => {
    let at = Date.UTC(2027, 0, 15, 2, 0);
    server = await startTestServer({ clock: { now: () => at }, tickMs: 600_000 });
    const { client } = await server.connect();
    const got = deltas(client);
    const announced = nextEvent(client, 'case:reported', (c) => c.id === 'C-ONCE');
    expect((await report('C-ONCE', at)).status).toBe(200);
    const reported = await announced;

    at += 300;
    server.app.hub.tick();
    await expect.poll(() => got.length).toBe(1);
    const first = got[0];
    expect(first.cases.map((c) => c.id)).not.toContain('C-ONCE'); // the screen has it from case:reported
    expect(first.casePatches ?? []).toEqual([]);
    expect(first.kpis?.cases?.today).toBe(1); // the counts changed with it

    // Nothing changed since: a heartbeat's round carries no case counts (the indicators are counted
    // again once a second: they change once, with the case), the next one only the rate.
    at += 1000;
    server.app.hub.tick();
    await expect.poll(() => got.length).toBe(2);
    expect(got[1].kpis!.cases).toBeUndefined();
    at += 1000;
    server.app.hub.tick();
    await expect.poll(() => got.length).toBe(3);
    expect(Object.keys(got[2].kpis!)).toEqual(['eventsPerSecond']);

    // The district files it: the next delta carries the change as a patch from version 1.
    const res = await server.post('/api/cases/C-ONCE/commands', { actor: { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' }, command: { type: 'file' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const filed = res.body.data as CaseState;
    expect(filed.stage).toBe('filed');
    at += 300;
    server.app.hub.tick();
    await expect.poll(() => got.length).toBe(4);
    const third = got[3];
    expect(third.cases.map((c) => c.id)).not.toContain('C-ONCE');
    expect(third.casePatches).toHaveLength(1);
    const patch = third.casePatches![0];
    expect(patch).toMatchObject({ id: 'C-ONCE', from: 1, set: { stage: 'filed', version: 2 } });
    expect(Object.keys(patch.set)).not.toContain('title');
    // Applied to what the screen held, it is the case as the server has it.
    expect(applyCasePatch(reported, patch)).toEqual(filed);
  });
});
