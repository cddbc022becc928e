// The live device registry over real HTTP and socket.io (AUTH_MODE=accounts): an admin provisions
// a camera, ingest accepts its id at once and a connected screen is told and then sees its status;
// a change of position goes to the screen, the same change again logs nothing; retiring it makes
// ingest refuse it and the counts drop; the audit log names the admin; a replay of a moment before
// it shows no such camera, after it the camera; and a restart (from the checkpoint) keeps it all.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect, type Socket } from 'socket.io-client';
import { decodeDelta, decodeSnapshot, toTyped, type ClientToServerEvents, type ServerToClientEvents, type Snapshot } from '../core/protocol.ts';
import type { RegisteredDevice } from '../core/registry.ts';
import { DISTRICT_SESSION, startTestServer, type TestServer } from './test-support.ts';
import { startAccountsServer } from './test-accounts.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let server: TestServer | undefined;
const sockets: Client[] = [];
afterEach(async () => {
  for (const c of sockets.splice(0)) c.disconnect();
  await server?.close();
  server = undefined;
});

const call = async (s: TestServer, method: string, p: string, cookie: string | null, body?: unknown) => {
  const res = await fetch(s.url + p, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as any };
};

async function signIn(s: TestServer, password: string): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'admin', password }) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

function screen(s: TestServer, cookie: string): Promise<{ client: Client; snapshot: Snapshot; changed: RegisteredDevice[]; statusOf: (i: number) => number | undefined }> {
  return new Promise((resolve, reject) => {
    const client: Client = connect(s.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    sockets.push(client);
    const changed: RegisteredDevice[] = [];
    const cameraStatus = new Map<number, number>();
    client.on('devices:changed', (list) => changed.push(...list));
    client.on('delta:sent', (w) => {
      const d = decodeDelta(w).status.camera;
      if (!d) return;
      const idx = toTyped(d.index, Uint32Array);
      const st = toTyped(d.status, Uint8Array);
      idx.forEach((i, j) => cameraStatus.set(i, st[j]));
    });
    client.once('snapshot:sent', (w) => resolve({ client, snapshot: decodeSnapshot(w), changed, statusOf: (i) => cameraStatus.get(i) }));
    client.once('connect_error', reject);
  });
}

const NEW_ID = '34080300001310000101';
const report = (id: string, status = 'online') => ({ records: [{ kind: 'camera', id, ts: Date.now(), status }] });
const cameraCounts = async (s: TestServer, cookie: string) => (await call(s, 'GET', '/api/summary', cookie)).body.devices.camera;

describe('device registry', () => {
  it('provision → ingest accepted at once and seen live; update; retire → refused; audited; replayed; kept across a restart', async () => {
    const { server: s, adminPassword } = await startAccountsServer({ checkpointEveryMs: 0 });
    server = s;
    const admin = await signIn(s, adminPassword);
    const live = await screen(s, admin);
    expect(live.snapshot.registry).toBeUndefined();
    expect(toTyped(live.snapshot.status.camera, Uint8Array).length).toBe(10);

    // Not yet provisioned: refused, naming the way to provision.
    const before = await s.post('/api/ingest/devices', report(NEW_ID));
    expect(before.status).toBe(422);
    expect(before.body.rejected[0]).toMatchObject({ code: 'UNKNOWN_DEVICE', field: '/id' });
    expect(before.body.rejected[0].message).toMatch(/POST \/api\/devices/);
    // The log starts before the camera exists (a moment to replay before it).
    expect((await s.post('/api/ingest/devices', report('CAM-00001'))).status).toBe(200);
    const beforeProvision = Date.now();
    await vi.waitUntil(() => Date.now() > beforeProvision + 1);

    const spec = { kind: 'camera', id: NEW_ID, name: '新装摄像机', lon: 117.02, lat: 30.51, ai: true, streamUrl: 'https://media.example/cam/101.m3u8' };
    expect((await call(s, 'POST', '/api/devices', null, spec)).status).toBe(401);
    const made = await call(s, 'POST', '/api/devices', admin, spec);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body.data).toEqual({ ...spec, index: 10, retired: false });
    await vi.waitFor(() => expect(live.changed.map((d) => d.id)).toContain(NEW_ID));
    expect(live.changed.find((d) => d.id === NEW_ID)).toMatchObject({ index: 10, lon: 117.02, retired: false });
    expect((await cameraCounts(s, admin)).total).toBe(11);

    // Ingest knows it at once; the screen gets its status at index 10.
    const accepted = await s.post('/api/ingest/devices', report(NEW_ID));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await vi.waitFor(() => expect(live.statusOf(10)).toBe(0));
    expect((await call(s, 'GET', `/api/devices/camera/${NEW_ID}`, admin)).body).toMatchObject({ index: 10, status: 'online', info: { name: '新装摄像机', ai: true } });
    expect((await call(s, 'GET', `/api/video/camera/${NEW_ID}`, admin)).body).toMatchObject({ url: spec.streamUrl });

    // Refusals with reasons.
    expect((await call(s, 'POST', '/api/devices', admin, spec)).body).toMatchObject({ ok: false, code: 'DEVICE_EXISTS' });
    const far = await call(s, 'POST', '/api/devices', admin, { ...spec, id: 'CAM-FAR', lon: 121.47, lat: 31.23 });
    expect(far.status).toBe(422);
    expect(far.body.message).toMatch(/outside the district/);
    expect((await call(s, 'POST', '/api/devices', admin, { ...spec, id: 'CAM-X', kind: 'drone' })).status).toBe(400);

    // A move reaches the screen; the same values again change nothing (no event).
    const moved = await call(s, 'PATCH', `/api/devices/camera/${NEW_ID}`, admin, { lon: 117.03, name: '新装摄像机(移位)' });
    expect(moved.body.data).toMatchObject({ lon: 117.03, lat: 30.51, name: '新装摄像机(移位)' });
    await vi.waitFor(() => expect(live.changed.at(-1)).toMatchObject({ id: NEW_ID, lon: 117.03 }));
    const seq = s.app.store.lastSeq();
    expect((await call(s, 'PATCH', `/api/devices/camera/${NEW_ID}`, admin, { lon: 117.03 })).body.data.lon).toBe(117.03);
    expect(s.app.store.lastSeq()).toBe(seq);
    expect((await call(s, 'PATCH', `/api/devices/camera/${NEW_ID}`, admin, {})).status).toBe(400);

    // Retired: ingest refuses it, the counts leave it out, the screen is told.
    const retired = await call(s, 'POST', `/api/devices/camera/${NEW_ID}/retire`, admin, { reason: '拆除' });
    expect(retired.body.data).toMatchObject({ index: 10, retired: true });
    await vi.waitFor(() => expect(live.changed.at(-1)).toMatchObject({ id: NEW_ID, retired: true }));
    const refused = await s.post('/api/ingest/devices', report(NEW_ID));
    expect(refused.status).toBe(422);
    expect(refused.body.rejected[0]).toMatchObject({ code: 'DEVICE_RETIRED', field: '/id' });
    expect((await s.post('/api/ingest/video-events', { records: [{ id: 'VE-1', cameraId: NEW_ID, ts: Date.now(), eventClass: '0101', confidence: 0.95 }] })).body.rejected[0]).toMatchObject({ code: 'DEVICE_RETIRED' });
    expect(await cameraCounts(s, admin)).toMatchObject({ total: 10 });
    expect((await call(s, 'POST', `/api/devices/camera/${NEW_ID}/retire`, admin, { reason: '再次' })).body.code).toBe('DEVICE_RETIRED');

    // Audited as the admin's actions.
    const audit = await call(s, 'GET', '/api/audit?action=device', admin);
    expect(audit.body.data.entries.map((e: any) => e.action).sort()).toEqual(['device:provision', 'device:retire', 'device:update']);
    expect(audit.body.data.entries.every((e: any) => e.actor.id === 'admin')).toBe(true);

    // Replay: before provisioning there is no such camera, after it there is.
    const provisionedAt = (await s.app.store.readOfType('device:provisioned', 10))[0].recordedAt;
    const early = await s.app.replay.seek('t1', DISTRICT_SESSION, beforeProvision);
    const late = await s.app.replay.seek('t2', DISTRICT_SESSION, Date.now());
    if (!early.ok || !late.ok) throw new Error('replay refused');
    expect(provisionedAt).toBeGreaterThan(beforeProvision);
    expect(decodeSnapshot(early.data.snapshot).registry).toBeUndefined();
    expect(toTyped(decodeSnapshot(early.data.snapshot).status.camera, Uint8Array).length).toBe(10);
    expect(decodeSnapshot(late.data.snapshot).registry).toEqual([expect.objectContaining({ id: NEW_ID, retired: true })]);

    // A restart from the checkpoint keeps the registry; the next camera takes the next index.
    await s.close(false);
    server = await startTestServer({ dataDir: s.dataDir, config: { authMode: 'accounts' } });
    expect(server.app.projectionStart.checkpointSeq).not.toBeNull();
    expect((await server.post('/api/ingest/devices', report(NEW_ID))).body.rejected[0]).toMatchObject({ code: 'DEVICE_RETIRED' });
    const again = await signIn(server, adminPassword);
    const next = await call(server, 'POST', '/api/devices', again, { ...spec, id: 'CAM-NEXT' });
    expect(next.body.data).toMatchObject({ index: 11 });
    // Provisioned again, the retired camera comes back at its old index.
    expect((await call(server, 'POST', '/api/devices', again, spec)).body.data).toMatchObject({ index: 10, retired: false });
    expect((await server.post('/api/ingest/devices', report(NEW_ID))).status).toBe(200);
    expect(await cameraCounts(server, again)).toMatchObject({ total: 12 });
    // One story end to end with a restart: seconds alone, several times that beside other files on two loaded cores.
  }, 90_000);
  it('a provisioned broadcast point is a target at once; retired, it no longer is', async () => {
    const { server: s, adminPassword } = await startAccountsServer();
    server = s;
    const admin = await signIn(s, adminPassword);
    const made = await call(s, 'POST', '/api/accounts', admin, { id: 'disp-1', name: '区派遣员', role: 'dispatcher', org: '340803', password: 'dispatch desk 2026' });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'disp-1', password: 'dispatch desk 2026' }) });
    const dispatcher = login.headers.get('set-cookie')!.split(';')[0];

    // A small square around where the new point will stand; no point of the dataset lies in it.
    const at = { lon: 117.0412, lat: 30.5233 };
    const ring = [[at.lon - 0.0005, at.lat - 0.0005], [at.lon + 0.0005, at.lat - 0.0005], [at.lon + 0.0005, at.lat + 0.0005], [at.lon - 0.0005, at.lat + 0.0005]];
    const send = () => call(s, 'POST', '/api/broadcasts', dispatcher, { message: { text: '新装广播点试播', priority: 'normal', repeat: 1 }, selection: { mode: 'area', ring } });
    const none = await send();
    expect(none.status, JSON.stringify(none.body)).toBe(422);
    expect(none.body.message).toMatch(/reaches no broadcast point/);

    const point = { kind: 'broadcast', id: 'BC-0901', name: '新装广播 江堤', ...at };
    expect((await call(s, 'POST', '/api/devices', admin, point)).status).toBe(200);
    const sent = await send();
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.data.progress).toMatchObject({ targets: 1 });
    const audit = await call(s, 'GET', '/api/broadcasts', dispatcher);
    const logged = (audit.body.data as Array<{ id: string; places: string[] }>).find((b) => b.id === sent.body.data.id);
    expect(logged?.places.length).toBe(1);

    expect((await call(s, 'POST', '/api/devices/broadcast/BC-0901/retire', admin, { reason: '拆除' })).status).toBe(200);
    const after = await send();
    expect(after.status).toBe(422);
    expect(after.body.message).toMatch(/reaches no broadcast point/);
  }, 60_000);
});
