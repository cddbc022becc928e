// Integration: ingest over real HTTP → commit → ack → delta over socket.io-client.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { toTyped } from '../core/protocol.ts';
import { DISTRICT_SESSION, nextDelta, nextEvent, smallDistrict, startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const now = () => Date.now();
let server: TestServer;
afterEach(async () => server?.close());

describe('device ingest', () => {
  it('refuses a request without a valid gateway key and stores nothing', async () => {
    server = await startTestServer();
    const res = await server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001', ts: now(), status: 'online' }] }, 'wrong-key');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
    expect((await server.get('/api/health')).body.seq).toBe(0);
  });

  it('acknowledges after commit and delivers the change as a delta with the right sequence', async () => {
    server = await startTestServer();
    const { client, snapshot } = await server.connect();
    expect(snapshot.seq).toBe(0);
    const deltaSeen = nextDelta(client, (d) => d.status.camera !== undefined);
    const res = await server.post('/api/ingest/devices', {
      records: [
        { kind: 'camera', id: 'CAM-00003', ts: now(), status: 'online' },
        { kind: 'camera', id: 'CAM-00007', ts: now(), status: 'fault' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 2, rejected: [], lastSeq: 2 });
    const delta = await deltaSeen;
    expect(delta.seq).toBe(2);
    expect(delta.prevSeq).toBe(0);
    expect([...toTyped(delta.status.camera!.index, Uint32Array)]).toEqual([2, 6]);
    expect([...toTyped(delta.status.camera!.status, Uint8Array)]).toEqual([0, 2]);
    // KPIs ride along a few times a second, not on every tick.
    const withKpis = delta.kpis ? delta : await nextDelta(client, (d) => d.kpis !== undefined);
    expect(withKpis.kpis!.devices!.camera).toMatchObject({ total: 10, online: 1, fault: 1, offline: 8 });
  });

  it('keeps the good records of a batch and names the record and field of each bad one', async () => {
    server = await startTestServer();
    const res = await server.post('/api/ingest/devices', {
      records: [
        { kind: 'camera', id: 'CAM-00001', ts: now(), status: 'online' },
        { kind: 'satellite', id: 'SAT-1', ts: now() },
        { kind: 'camera', id: 'CAM-99999', ts: now(), status: 'online' },
        { kind: 'broadcast', id: 'BC-0001', ts: now(), status: 'sleeping' },
        { kind: 'worker', id: 'GW-0001', ts: now(), lon: 117.002, lat: 95 },
        'not an object',
        { kind: 'broadcast', id: 'BC-0002', ts: now(), status: 'online' },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([
      { index: 1, id: 'SAT-1', field: '/kind', code: 'INVALID_RECORD', message: 'must be one of: camera, lookout, drone, broadcast, component, worker' },
      { index: 2, id: 'CAM-99999', field: '/id', code: 'UNKNOWN_DEVICE', message: 'no camera with id "CAM-99999" in the device registry (provision it first: POST /api/devices)' },
      { index: 3, id: 'BC-0001', field: '/status', code: 'INVALID_RECORD', message: 'must be one of: online, offline, fault, alarm' },
      { index: 4, id: 'GW-0001', field: '/lat', code: 'INVALID_RECORD', message: 'must be <= 90' },
      { index: 5, field: '', code: 'INVALID_RECORD', message: 'must be object' },
    ]);
    const summary = (await server.get('/api/summary')).body;
    expect(summary.devices.camera.online).toBe(1);
    expect(summary.devices.broadcast.online).toBe(1);
    expect(summary.seq).toBe(2);
  });

  it('a record carrying __proto__ or constructor.prototype costs only itself; the answer names it', async () => {
    server = await startTestServer();
    const body = `{"records":[
      {"kind":"camera","id":"CAM-00001","ts":${now()},"status":"online"},
      {"kind":"camera","id":"CAM-00002","ts":${now()},"status":"online","__proto__":{"isAdmin":true}},
      {"kind":"camera","id":"CAM-00003","ts":${now()},"status":"online","constructor":{"prototype":{"isAdmin":true}}},
      {"kind":"broadcast","id":"BC-0002","ts":${now()},"status":"online"}]}`;
    const res = await fetch(`${server.url}/api/ingest/devices`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': TEST_KEY }, body });
    const answer = await res.json();
    expect(res.status).toBe(207);
    expect(answer.accepted).toBe(2);
    expect(answer.rejected).toEqual([
      expect.objectContaining({ index: 1, field: '/__proto__', code: 'INVALID_RECORD', message: expect.any(String) }),
      expect.objectContaining({ index: 2, field: '/constructor', code: 'INVALID_RECORD', message: expect.any(String) }),
    ]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const summary = (await server.get('/api/summary')).body;
    expect(summary.devices.camera.online).toBe(1);
    expect(summary.devices.broadcast.online).toBe(1);
    // In the envelope itself the key still refuses the whole body, naming it.
    const envelope = await fetch(`${server.url}/api/ingest/devices`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': TEST_KEY }, body: '{"records":[],"__proto__":{"x":1}}' });
    expect(envelope.status).toBe(400);
    expect((await envelope.json()).message).toMatch(/forbidden key \/__proto__/);
  });

  it('answers 422 when no record is valid and 400 for a malformed envelope', async () => {
    server = await startTestServer();
    const none = await server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001' }] });
    expect(none.status).toBe(422);
    expect(none.body.rejected[0]).toMatchObject({ index: 0, field: '', message: 'must have required properties ts' });
    const bad = await server.post('/api/ingest/devices', { rows: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/records/);
    expect((await server.get('/api/health')).body.seq).toBe(0);
  });

  it('moves grid workers and drones through move deltas', async () => {
    server = await startTestServer();
    const { client } = await server.connect();
    const moved = nextDelta(client, (d) => d.moves.worker !== undefined);
    await server.post('/api/ingest/devices', { records: [{ kind: 'worker', id: 'GW-0002', ts: now(), lon: 117.0123, lat: 30.5012, heading: 45 }] });
    const delta = await moved;
    expect([...toTyped(delta.moves.worker!.index, Uint32Array)]).toEqual([1]);
    expect([...toTyped(delta.moves.worker!.lonlat, Float64Array)]).toEqual([117.0123, 30.5012]);
    expect([...toTyped(delta.moves.worker!.heading, Float32Array)]).toEqual([45]);
  });
});

/**
 * Makes the event store refuse every write until `unblock`: SQLite's file is full (max_page_count
 * on the store's handle); PostgreSQL's events table takes no row (a CHECK nothing passes).
 */
async function refuseWrites(s: TestServer): Promise<{ message: RegExp; unblock(): Promise<void> }> {
  if (s.databaseUrl) {
    const sql = async (text: string) => {
      const client = new pg.Client({ connectionString: s.databaseUrl! });
      await client.connect();
      try {
        await client.query(text);
      } finally {
        await client.end();
      }
    };
    await sql('ALTER TABLE events ADD CONSTRAINT test_disk_full CHECK (false) NOT VALID');
    return { message: /test_disk_full/, unblock: () => sql('ALTER TABLE events DROP CONSTRAINT test_disk_full') };
  }
  const db = (s.app.store as unknown as { db: { pragma(s: string, o?: { simple: boolean }): unknown } }).db;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
  return { message: /database or disk is full/, unblock: async () => void db.pragma('max_page_count = 1000000') };
}

describe('disk trouble', () => {
  it('answers 503 and acknowledges nothing while the store cannot write, then recovers', async () => {
    server = await startTestServer();
    const full = await refuseWrites(server);
    const records = Array.from({ length: 2000 }, (_, i) => ({ kind: 'component', id: `34080301170000${String((i % 20) + 1).padStart(2, '0')}`, ts: now(), status: 'online' }));
    const refused = await server.post('/api/ingest/devices', { records });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(full.message) });
    expect((await server.get('/api/health')).body.seq).toBe(0);
    expect((await server.get('/api/summary')).body.devices.component.online).toBe(0);
    await full.unblock();
    const ok = await server.post('/api/ingest/devices', { records });
    expect(ok.status).toBe(200);
    // No seq was used up by the refused batch.
    expect(ok.body.lastSeq).toBe(2000);
  });
});

describe('resync and restart', () => {
  it('a client that reconnects gets a snapshot with what it missed', async () => {
    server = await startTestServer();
    const first = await server.connect();
    first.client.disconnect();
    await server.post('/api/ingest/devices', { records: [{ kind: 'component', id: '3408030117000005', ts: now(), status: 'fault' }] });
    const { client: again, snapshot } = await server.connect();
    expect(snapshot.seq).toBe(1);
    expect(toTyped(snapshot.status.component, Uint8Array)[4]).toBe(2);
    // An explicit request (after a seq gap) answers with a fresh snapshot and an ack.
    const ack = await again.timeout(2000).emitWithAck('snapshot:request');
    expect(ack).toEqual({ ok: true, data: { seq: 1 } });
  });

  it('rebuilds the same projections from the log after a restart', async () => {
    server = await startTestServer();
    const records = Array.from({ length: 10 }, (_, i) => ({ kind: 'camera', id: `CAM-${String(i + 1).padStart(5, '0')}`, ts: now(), status: i % 3 ? 'online' : 'offline' }));
    await server.post('/api/ingest/devices', { records });
    const before = (await server.get('/api/summary')).body;
    const dataDir = server.dataDir;
    await server.close(false);
    server = await startTestServer({ dataDir });
    const after = (await server.get('/api/summary')).body;
    expect(after).toEqual(before);
    expect(after.seq).toBe(10);
    // The shutdown checkpoint made the restart replay nothing.
    expect(server.app.projectionStart).toMatchObject({ checkpointSeq: 10, replayed: 0 });
  });

  it('ignores a checkpoint taken with another dataset and rebuilds from the whole log', async () => {
    server = await startTestServer();
    await server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00004', ts: now(), status: 'online' }] });
    const dataDir = server.dataDir;
    await server.close(false);
    const other = smallDistrict();
    other.fingerprint = 'another dataset';
    server = await startTestServer({ dataDir, district: other });
    expect(server.app.projectionStart).toMatchObject({ checkpointSeq: null, replayed: 1 });
    expect((await server.get('/api/summary')).body.devices.camera.online).toBe(1);
  });

  it('restores from a checkpoint plus the log after it, equal to a full rebuild', async () => {
    server = await startTestServer();
    const t = now();
    await server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001', ts: t, status: 'online' }] });
    await server.post('/api/ingest/cases', { records: [{ id: 'K-1', source: 'hotline-12345', eventClass: '0104', title: '道路不洁', urgency: 'urgent', lon: 117.06, lat: 30.5, reportedAt: t, hotlineOrderNo: '12345-1' }] });
    await server.app.store.saveCheckpoint(server.app.projector.lastSeq, server.app.projector.checkpoint());
    // Events after the checkpoint, then a crash-like stop: the checkpoint on close is dropped.
    await server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00002', ts: t, status: 'fault' }, { kind: 'worker', id: 'GW-0003', ts: t, lon: 117.04, lat: 30.53 }] });
    const before = (await server.get('/api/summary')).body;
    const snapshotBefore = server.app.hub.snapshot(DISTRICT_SESSION);
    (server.app.store as unknown as { saveCheckpoint: () => void }).saveCheckpoint = () => {};
    const dataDir = server.dataDir;
    await server.close(false);
    server = await startTestServer({ dataDir });
    expect(server.app.projectionStart).toMatchObject({ checkpointSeq: 2, replayed: 2 });
    expect((await server.get('/api/summary')).body).toEqual(before);
    const snapshotAfter = server.app.hub.snapshot(DISTRICT_SESSION);
    expect(snapshotAfter.status).toEqual(snapshotBefore.status);
    expect(snapshotAfter.moving).toEqual(snapshotBefore.moving);
    expect(snapshotAfter.cases).toEqual(snapshotBefore.cases);
  });
});

describe('cases and video events', () => {
  it('opens a new case, announces it at once, and takes a retried report as a duplicate', async () => {
    server = await startTestServer();
    const { client } = await server.connect();
    const t = now();
    const base = { id: 'P-1', source: 'patrol', eventClass: '0102', title: '马山社区暴露垃圾', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: t - 1000, reporter: 'GW-0001' };
    const announced = nextEvent(client, 'case:reported');
    expect((await server.post('/api/ingest/cases', { records: [base] })).status).toBe(200);
    const c = await announced;
    expect(c).toMatchObject({ id: 'P-1', gridIndex: 0, townshipCode: '340803001', communityCode: '340803001002', owner: '340803001002', stage: 'reported', version: 1 });
    expect((await server.get('/api/summary')).body.cases).toEqual({ open: 1, today: 1, overdue: 0 });
    const again = await server.post('/api/ingest/cases', { records: [base] });
    expect(again.body).toMatchObject({ accepted: 1, rejected: [] });
    expect(server.app.projector.cases.get('P-1')!.version).toBe(1);
    const sensorCase = await server.post('/api/ingest/cases', { records: [{ ...base, id: 'P-2', source: 'sensor' }] });
    expect(sensorCase.body.rejected[0]).toMatchObject({ field: '/source', code: 'INVALID_RECORD' });
  });

  it('rejects a case with an unknown event class and raises an alarm for a video detection', async () => {
    server = await startTestServer();
    const { client } = await server.connect();
    const t = now();
    const res = await server.post('/api/ingest/cases', { records: [{ id: 'X-1', source: 'citizen', eventClass: '9999', title: 't', urgency: 'normal', lon: 117, lat: 30.5, reportedAt: t }] });
    expect(res.status).toBe(422);
    expect(res.body.rejected[0]).toMatchObject({ field: '/eventClass', code: 'UNKNOWN_CLASS' });
    const alarm = nextEvent(client, 'alarm:raised');
    await server.post('/api/ingest/video-events', { records: [{ id: 'AI-1', cameraId: 'CAM-00002', ts: t, eventClass: '0402', confidence: 0.92 }] });
    expect(await alarm).toMatchObject({ id: 'AL-AI-1', kind: 'video', deviceIndex: 1, eventClass: '0402', status: 'active', caseId: 'C-AL-AI-1' });
  });
});

describe('documentation', () => {
  it('publishes OpenAPI for every route', async () => {
    server = await startTestServer();
    const doc = (await server.get('/api/docs/json')).body;
    // Each context adds its own routes: check these are documented, not that nothing else is.
    expect(Object.keys(doc.paths).sort()).toEqual(expect.arrayContaining([
      '/api/field', '/api/alarms', '/api/alarms/{id}/commands', '/api/cases', '/api/cases/{id}', '/api/cases/{id}/attachments', '/api/cases/{id}/attachments/{file}', '/api/cases/{id}/commands', '/api/devices/{kind}/{id}', '/api/health',
      '/api/ingest/cases', '/api/ingest/devices', '/api/ingest/video-events', '/api/kpis', '/api/summary',
      '/api/whistles', '/api/whistles/scores', '/api/whistles/{id}/commands', '/api/workers/coverage',
    ]));
  });
});

describe('wire format', () => {
  it('sends a delta touching every layer as one packet a default socket.io client can decode', async () => {
    // The server's clock held still, moved on by hand.
    let at = now();
    server = await startTestServer({ clock: { now: () => at } });
    const { client } = await server.connect();
    // Positions go out at most every 250 ms of the server's clock: move it past that window (not up to
    // the 1 s heartbeat) so moves and statuses share one delta.
    at += 300;
    const seen = nextDelta(client, (d) => Object.keys(d.status).length === 6 && Object.keys(d.moves).length === 2);
    const t = at;
    await server.post('/api/ingest/devices', {
      records: [
        { kind: 'camera', id: 'CAM-00001', ts: t, status: 'online' },
        { kind: 'lookout', id: 'LK-1', ts: t, status: 'online' },
        { kind: 'drone', id: 'UAV-1', ts: t, status: 'online', lon: 117.02, lat: 30.51, heading: 10 },
        { kind: 'broadcast', id: 'BC-0001', ts: t, status: 'fault' },
        { kind: 'component', id: '3408030117000001', ts: t, status: 'online', metric: 'lamp-power', value: 320 },
        { kind: 'worker', id: 'GW-0001', ts: t, status: 'online', lon: 117.03, lat: 30.52 },
      ],
    });
    const delta = await seen;
    expect(client.connected).toBe(true);
    expect([...toTyped(delta.moves.drone!.lonlat, Float64Array)]).toEqual([117.02, 30.51]);
    expect([...toTyped(delta.status.component!.status, Uint8Array)]).toEqual([3]);
  });
});

describe('snapshot and delta chain', () => {
  it('a client connecting while changes are pending gets a snapshot the next delta chains onto', async () => {
    // A long tick so nothing is flushed on its own: the changes stay pending when the client connects.
    server = await startTestServer({ tickMs: 60_000 });
    const t = now();
    await server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001', ts: t, status: 'online' }, { kind: 'camera', id: 'CAM-00002', ts: t, status: 'online' }] });
    const { client, snapshot } = await server.connect();
    expect(snapshot.seq).toBe(2);
    await server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00003', ts: t, status: 'fault' }] });
    const next = nextDelta(client, (d) => d.seq === 3);
    server.app.hub.tick();
    const delta = await next;
    // The dashboard accepts a delta only when prevSeq equals its own seq; anything else is a gap and a resync.
    expect(delta.prevSeq).toBe(snapshot.seq);
  });
});
