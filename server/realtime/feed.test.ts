// A phone follows cases only (issue 16): a socket whose handshake says feed 'cases' gets its
// scope's cases, KPIs and alarms, the river's gauges and the weather (warnings a grid worker acts
// on; a handful of records), and none of the device layers (status bytes, positions, drones, the
// device registry and its changes) a wall screen of the same scope gets. Over real HTTP and
// socket.io-client.
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'socket.io-client';
import { decodeDelta, decodeSnapshot, toTyped, type Delta, type Feed, type Snapshot } from '../../core/protocol.ts';
import type { RegisteredDevice } from '../../core/registry.ts';
import { nextEvent, smallDistrict, startTestServer, type TestClient, type TestServer } from '../test-support.ts';
import { startAccountsServer } from '../test-accounts.ts';

let server: TestServer | undefined;
const sockets: TestClient[] = [];
afterEach(async () => {
  for (const c of sockets.splice(0)) c.disconnect();
  await server?.close();
  server = undefined;
});

describe('cases-only feed', () => {
  it('receives case events and deltas without device changes, beside a screen that gets them', async () => {
    server = await startTestServer();
    const wall = await server.connect();
    const phone = await server.connect({ feed: 'cases' });
    // The phone's snapshot has no device layers; the wall's has every device.
    expect(toTyped(phone.snapshot.status.camera, Uint8Array).length).toBe(0);
    expect(toTyped(phone.snapshot.moving.worker.lonlat, Float64Array).length).toBe(0);
    expect(toTyped(wall.snapshot.status.camera, Uint8Array).length).toBeGreaterThan(0);

    const phoneDeltas: Delta[] = [];
    phone.client.on('delta:sent', (w) => phoneDeltas.push(decodeDelta(w)));
    // A status goes in the next tick, a move at the moves' pace: maybe in two deltas.
    const wallDeltas: Delta[] = [];
    wall.client.on('delta:sent', (w) => wallDeltas.push(decodeDelta(w)));
    const phoneCase = nextEvent(phone.client, 'case:reported', (c) => c.id === 'C-PHONE');
    const now = Date.now();
    expect((await server.post('/api/ingest/devices', { records: [
      { kind: 'camera', id: 'CAM-00001', ts: now, status: 'fault' },
      { kind: 'worker', id: 'GW-0001', ts: now, lon: 117.0123, lat: 30.5012, heading: 45 },
    ] })).status).toBe(200);
    expect((await server.post('/api/ingest/cases', { records: [{ id: 'C-PHONE', source: 'citizen', eventClass: '0102', title: '案件', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: now }] })).status).toBe(200);
    expect((await phoneCase).id).toBe('C-PHONE');
    await expect.poll(() => wallDeltas.some((d) => d.status.camera !== undefined) && wallDeltas.some((d) => d.moves.worker !== undefined), { timeout: 10_000 }).toBe(true);
    const wallSeq = wallDeltas.at(-1)!.seq;
    // The phone has had the deltas of the same ticks (it reached the wall's seq), none with a device change.
    await expect.poll(() => phoneDeltas.at(-1)?.seq ?? -1, { timeout: 10_000 }).toBeGreaterThanOrEqual(wallSeq);
    expect(phoneDeltas.length).toBeGreaterThan(0);
    for (const d of phoneDeltas) {
      expect(d.status).toEqual({});
      expect(d.moves).toEqual({});
      expect(d.drones).toBeUndefined();
    }
    // Its deltas chain like every screen's.
    for (let i = 1; i < phoneDeltas.length; i++) expect(phoneDeltas[i].prevSeq).toBe(phoneDeltas[i - 1].seq);
  });

  it('gets gauges and weather as a wall screen does, and neither the device registry nor its changes', async () => {
    const started = await startAccountsServer({ district: smallDistrict({ gauges: 2 }) });
    server = started.server;
    const s = server;
    const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'admin', password: started.adminPassword }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const wall = await screen(s, cookie, 'all');
    const phone = await screen(s, cookie, 'cases');

    const t = Date.now();
    const gauge = { kind: 'component', id: '3408030601000002', ts: t, status: 'online', metric: 'water-level', value: 16.2 };
    expect((await s.post('/api/ingest/devices', { records: [gauge] })).status).toBe(200);
    const observation = { stationId: '58424', ts: t, rainMmH: 32.5, windMs: 12.4, windDirDeg: 45, temperatureC: 26.1, humidityPct: 96, warnings: [{ type: 'rainstorm', level: 'red' }] };
    expect((await s.post('/api/ingest/weather', { records: [observation] })).status).toBe(200);
    const spec = { kind: 'camera', id: '34080300001310000101', name: '新装摄像机', lon: 117.02, lat: 30.51, ai: true };
    const made = await fetch(`${s.url}/api/devices`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(spec) });
    expect(made.status).toBe(200);
    const fence = s.app.projector.lastSeq;

    for (const [name, got] of Object.entries({ wall, phone })) {
      await expect.poll(() => got.deltas.at(-1)?.seq ?? -1, { timeout: 10_000, message: `${name} reached seq ${fence}` }).toBeGreaterThanOrEqual(fence);
      expect(got.deltas.flatMap((d) => d.gauges ?? []).map((g) => g.value), name).toEqual([16.2]);
      expect(got.deltas.flatMap((d) => d.weather ?? []), name).toEqual([observation]);
    }
    // The socket sends in order: the registry change went before the delta that reached the fence.
    expect(wall.changed.map((d) => d.id)).toEqual([spec.id]);
    expect(phone.changed).toEqual([]);

    // A fresh snapshot: the river and the weather for both, the registry for the wall only.
    for (const [name, got] of Object.entries({ wall, phone })) {
      const next = new Promise<Snapshot>((resolve) => got.client.once('snapshot:sent', (w) => resolve(decodeSnapshot(w))));
      got.client.emit('snapshot:request', () => {});
      const snap = await next;
      expect(snap.flood?.gauges.map((g) => g.value), name).toEqual([16.2]);
      expect(snap.weather?.observations, name).toEqual([observation]);
      expect(snap.registry?.map((d) => d.id), name).toEqual(name === 'wall' ? [spec.id] : undefined);
    }
  });

  it('refuses a feed it does not know, saying which there are', async () => {
    server = await startTestServer();
    await expect(server.connect({ feed: 'devices' as never })).rejects.toThrow(/feed "devices" is not one of all, cases/);
  });
});

/** A signed-in screen of `feed`: its deltas and the registry changes it heard, from its first snapshot on. */
function screen(s: TestServer, cookie: string, feed: Feed): Promise<{ client: TestClient; deltas: Delta[]; changed: RegisteredDevice[] }> {
  return new Promise((resolve, reject) => {
    const client: TestClient = connect(s.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie }, auth: { feed } });
    sockets.push(client);
    const deltas: Delta[] = [];
    const changed: RegisteredDevice[] = [];
    client.on('devices:changed', (list) => changed.push(...list));
    client.on('delta:sent', (w) => deltas.push(decodeDelta(w)));
    client.once('snapshot:sent', () => resolve({ client, deltas, changed }));
    client.once('connect_error', reject);
  });
}
