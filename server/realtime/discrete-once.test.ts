// A raised alarm and a blown whistle reach a screen once: by their discrete event (alarm:raised,
// whistle:blown), not again in the next delta. A later change of either (acknowledged, reported in)
// still comes in a delta. A wall screen and a phone (cases-only feed), over real HTTP and
// socket.io-client.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDelta } from '../../core/protocol.ts';
import type { Actor } from '../../core/org.ts';
import { startTestServer, type TestClient, type TestServer } from '../test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const township: Actor = { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' };
const department: Actor = { id: 'sw1', name: '水务', role: 'department', org: 'DEPT-SW' };
const WEST = { lon: 117.01, lat: 30.5 };

/** Every arrival of an alarm or a whistle at one socket, by the way it came, and the last delta's seq. */
function watch(client: TestClient) {
  const got = { alarms: [] as Array<{ id: string; via: string; status: string }>, whistles: [] as Array<{ id: string; via: string; version: number }>, lastSeq: -1 };
  client.on('alarm:raised', (a) => got.alarms.push({ id: a.id, via: 'alarm:raised', status: a.status }));
  client.on('whistle:blown', (w) => got.whistles.push({ id: w.id, via: 'whistle:blown', version: w.version }));
  client.on('delta:sent', (wire) => {
    const d = decodeDelta(wire);
    for (const a of d.alarms) got.alarms.push({ id: a.id, via: 'delta', status: a.status });
    for (const w of d.whistles) got.whistles.push({ id: w.id, via: 'delta', version: w.version });
    got.lastSeq = d.seq;
  });
  return got;
}

async function ok(res: Promise<{ status: number; body: any }>) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe('alarms and whistles on screens', () => {
  it('reach a wall screen and a phone once each; their later changes come in a delta', async () => {
    server = await startTestServer();
    const s = server;
    const wall = watch((await s.connect()).client);
    const phone = watch((await s.connect({ feed: 'cases' })).client);
    const screens = { wall, phone };
    const now = Date.now();
    await ok(s.post('/api/ingest/cases', { records: [{ id: 'C-1', source: 'citizen', eventClass: '0102', title: '案件', urgency: 'normal', ...WEST, reportedAt: now }] }));
    await ok(s.post('/api/cases/C-1/commands', { actor: township, command: { type: 'file' } }));
    await ok(s.post('/api/cases/C-1/commands', { actor: township, command: { type: 'dispatch', unit: 'DEPT-SW' } }));
    await ok(s.post('/api/whistles', { actor: township, command: { type: 'blow', whistleId: 'WH-1', caseId: 'C-1', kind: 'quick', lead: 'DEPT-ZJ', supporting: ['DEPT-SW'] } }));
    // A doubtful detection (below the case threshold): an alarm and nothing else.
    await ok(s.post('/api/ingest/video-events', { records: [{ id: 'V-1', cameraId: 'CAM-00005', ts: now, eventClass: '0107', confidence: 0.6 }] }));
    await s.app.alarmService.idle();
    const alarm = s.app.projector.alarms.openOfDevice('CAM-00005');
    expect(alarm?.status).toBe('active');
    // Every tick that could carry them again has gone out once each screen has a delta this far.
    const fence = s.app.projector.lastSeq;
    for (const [name, got] of Object.entries(screens)) {
      await expect.poll(() => got.lastSeq, { timeout: 10_000, message: `${name} reached seq ${fence}` }).toBeGreaterThanOrEqual(fence);
      expect(got.whistles, name).toEqual([{ id: 'WH-1', via: 'whistle:blown', version: 1 }]);
      expect(got.alarms, name).toEqual([{ id: alarm!.id, via: 'alarm:raised', status: 'active' }]);
    }

    await ok(s.post('/api/whistles/WH-1/commands', { actor: department, command: { type: 'report-in' } }));
    await ok(s.post(`/api/alarms/${alarm!.id}/commands`, { actor: township, command: { type: 'acknowledge', note: '已派人核实' } }));
    for (const [name, got] of Object.entries(screens)) {
      await expect.poll(() => got.whistles.slice(1), { timeout: 10_000, message: name }).toEqual([{ id: 'WH-1', via: 'delta', version: 2 }]);
      await expect.poll(() => got.alarms.slice(1), { timeout: 10_000, message: name }).toEqual([{ id: alarm!.id, via: 'delta', status: 'acknowledged' }]);
    }
  });
});
