// Trust, round two: every read confined to the reader's area. Signed in as accounts of 德宽路街道
// (a wall screen and a grid worker of 马山社区), the test walks the whole route table, read from the
// OpenAPI document so a new route cannot be forgotten, and every socket command the server has
// registered on a connection, against the data of 玉琳路街道: a case, a duty note, a whistle, an
// alarm, a broadcast, an attachment and a grid worker's position there. No answer may carry any of it
// unless the request itself named it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { decodeDelta, decodeSnapshot, type ClientToServerEvents, type ServerToClientEvents, type Snapshot } from '../core/protocol.ts';
import { smallDistrict, TEST_KEY, type TestServer } from './test-support.ts';
import { startAccountsServer } from './test-accounts.ts';

const MONDAY_9 = Date.UTC(2026, 10, 23, 1, 0); // 09:00 in Anqing
const SHIFT_START = Date.UTC(2026, 10, 23, 0, 0); // the day shift, from 08:00
let t = MONDAY_9;
const clock = { now: () => t };
const EAST = { lon: 117.08, lat: 30.5 }; // 玉琳路街道 340803002
const WEST = { lon: 117.01, lat: 30.5 }; // 德宽路街道 340803001
const SECRET = {
  caseId: 'EAST-SECRET-1',
  title: '玉琳路机密案件标题',
  note: '玉琳路机密批示内容',
  whistleId: 'WH-EAST-SECRET',
  broadcastId: 'BC-EAST-SECRET',
  broadcastText: '玉琳路机密广播',
  attachment: '玉琳路机密照片.png',
  workerLon: '117.07771',
};
/** Filled in once known: the east alarm's id, the attachment's stored file name. */
const found: Record<string, string> = {};
const markers = () => [...Object.values(SECRET), ...Object.values(found)];

let server: TestServer;
const sockets: Socket[] = [];
type Answer = { status: number; text: string };

async function call(method: string, path: string, cookie: string | null, body?: unknown): Promise<Answer & { json: any }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}), 'x-gateway-key': TEST_KEY },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: a file
  }
  return { status: res.status, text, json };
}

async function ok(method: string, path: string, cookie: string | null, body?: unknown): Promise<any> {
  const r = await call(method, path, cookie, body);
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.json?.data;
}

async function signIn(id: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, password }) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

/** The foreign things an answer carries that its request did not name. */
function leaks(answer: string, request: string): string[] {
  return markers().filter((m) => answer.includes(m) && !request.includes(m));
}

function socketAs(cookie: string): Promise<{ client: Socket<ServerToClientEvents, ClientToServerEvents>; snapshot: Snapshot }> {
  return new Promise((resolve, reject) => {
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    sockets.push(client);
    client.once('snapshot:sent', (w) => resolve({ client, snapshot: decodeSnapshot(w) }));
    client.once('connect_error', reject);
  });
}

const readers: Record<string, string> = {};
let admin = '';

beforeAll(async () => {
  const d = smallDistrict();
  // Odd cameras and points 4–5 east, as in scope-isolation.test.ts.
  const camera = (i: number) => ({ ...d.placedDevice('camera', i)!, lon: i % 2 ? 117.08 + i * 0.001 : 117.01 + i * 0.001 });
  const point = (i: number) => ({ ...d.placedDevice('broadcast', i)!, lon: i < 3 ? 117.01 + i * 0.001 : 117.08 + i * 0.001, lat: 30.5 });
  const placedDevice: typeof d.placedDevice = (kind, i) => (kind === 'camera' ? camera(i) : kind === 'broadcast' ? point(i) : d.placedDevice(kind, i));
  const district = { ...d, placedDevice };
  const started = await startAccountsServer({ clock, district });
  server = started.server;
  admin = await signIn('admin', started.adminPassword);
  const create = (id: string, role: string, org: string) => ok('POST', '/api/accounts', admin, { id, name: id, role, org, password: 'correct horse battery 2026' });
  await create('disp-1', 'dispatcher', '340803');
  await create('op-yl', 'township-operator', '340803002');
  await create('wall-dk', 'display', '340803001');
  await create('GW-0001', 'grid-worker', '340803001002');
  const dispatcher = await signIn('disp-1', 'correct horse battery 2026');
  const eastOperator = await signIn('op-yl', 'correct horse battery 2026');
  readers['display of 德宽路'] = await signIn('wall-dk', 'correct horse battery 2026');
  readers['grid worker of 马山社区'] = await signIn('GW-0001', 'correct horse battery 2026');

  // The east township's day: a case filed, dispatched, whistled, noted, with an attachment; an alarm; a broadcast; a worker walking.
  await ok('POST', '/api/ingest/cases', null, { records: [
    { id: SECRET.caseId, source: 'citizen', eventClass: '0501', title: SECRET.title, urgency: 'urgent', ...EAST, reportedAt: t },
    { id: 'WEST-1', source: 'citizen', eventClass: '0501', title: '德宽路案件', urgency: 'urgent', ...WEST, reportedAt: t },
  ] });
  t += 60_000;
  const actor = { id: 'disp-1', name: 'disp-1', role: 'dispatcher', org: '340803' };
  await ok('POST', `/api/cases/${SECRET.caseId}/commands`, dispatcher, { actor, command: { type: 'file' } });
  await ok('POST', `/api/cases/${SECRET.caseId}/commands`, dispatcher, { actor, command: { type: 'dispatch', unit: 'DEPT-ZJ' } });
  await ok('POST', '/api/whistles', eastOperator, { actor, command: { type: 'blow', whistleId: SECRET.whistleId, caseId: SECRET.caseId, kind: 'emergency', lead: 'DEPT-ZJ', supporting: ['DEPT-SW'] } });
  await ok('POST', '/api/duty/log', dispatcher, { actor, note: { kind: 'decision', text: SECRET.note, caseId: SECRET.caseId } });
  const attached = await ok('POST', `/api/cases/${SECRET.caseId}/attachments`, dispatcher, { actor, name: SECRET.attachment, type: 'image/png', data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('east secret')]).toString('base64') });
  expect(attached).toBeTruthy();
  const timeline = (await ok('GET', `/api/cases/${SECRET.caseId}`, dispatcher)).timeline as Array<{ command: string; data: { attachment?: { id: string } } }>;
  found.attachmentFile = timeline.find((e) => e.command === 'attach')!.data.attachment!.id;
  await ok('POST', '/api/broadcasts', dispatcher, { actor, message: { text: SECRET.broadcastText, priority: 'normal', repeat: 1 }, selection: { mode: 'scope', code: '340803002' }, broadcastId: SECRET.broadcastId });
  await ok('POST', '/api/ingest/video-events', null, { records: [{ id: 'V-EAST', cameraId: 'CAM-00002', ts: t, eventClass: '0402', confidence: 0.5 }] });
  await server.app.alarmService.idle();
  await ok('POST', '/api/ingest/devices', null, { records: [{ kind: 'worker', id: 'GW-0002', ts: t, lon: Number(SECRET.workerLon), lat: 30.51119 }] });
  const alarms = (await ok('GET', '/api/alarms?scope=340803002', admin)) as Array<{ id: string; townshipCode: string }>;
  expect(alarms.length, 'the east camera raised an alarm').toBeGreaterThan(0);
  found.alarmId = alarms[0].id;
  // The district sees all of it: the markers are really there to be leaked.
  const districtReport = await call('GET', `/api/duty/handovers/${SHIFT_START}`, dispatcher);
  for (const m of [SECRET.caseId, SECRET.title, SECRET.note, SECRET.whistleId, SECRET.broadcastId]) expect(districtReport.text).toContain(m);
  expect((await call('GET', '/api/devices/worker/GW-0002', dispatcher)).text).toContain(SECRET.workerLon);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
});

/** Path parameters pointing at the east's things. */
const PARAMS: Record<string, string> = {
  id: SECRET.caseId, start: String(SHIFT_START), kind: 'worker', name: 'test',
};
const paramsFor = (path: string): Record<string, string> => {
  if (path.startsWith('/api/broadcasts/')) return { id: SECRET.broadcastId };
  if (path.startsWith('/api/whistles/')) return { id: SECRET.whistleId };
  if (path.startsWith('/api/alarms/')) return { id: found.alarmId };
  if (path.startsWith('/api/drones/')) return { id: 'UAV-1' };
  if (path.startsWith('/api/devices/')) return { kind: 'worker', id: 'GW-0002' };
  if (path.startsWith('/api/video/')) return { kind: 'camera', id: 'CAM-00002' };
  if (path.startsWith('/api/accounts/')) return { id: 'disp-1' };
  if (path.includes('{file}')) return { id: SECRET.caseId, file: found.attachmentFile };
  return PARAMS;
};
/** Bodies that would touch the east if the route let them; other routes get an empty object. */
const BODIES: Record<string, unknown> = {
  '/api/cases/{id}/commands': { command: { type: 'accept' } },
  '/api/whistles/{id}/commands': { command: { type: 'report-in' } },
  '/api/alarms/{id}/commands': { command: { type: 'acknowledge' } },
  '/api/duty/log': { note: { kind: 'decision', text: '看看', caseId: SECRET.caseId } },
  '/api/drones/{id}/missions': { action: 'hover', caseId: SECRET.caseId },
};
const QUERIES = ['', `?caseId=${SECRET.caseId}`, `?ids=${SECRET.caseId}`, '?scope=340803002', '?open=1&limit=500'];

describe('every route, read as an account of another township', () => {
  it('the route table is what the walk covers, and every route declares its read policy', async () => {
    const doc = (await call('GET', '/api/docs/json', null)).json as { paths: Record<string, Record<string, { 'x-read-policy'?: string }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, read: op['x-read-policy'] })));
    expect(operations.length).toBeGreaterThan(40);
    for (const o of operations) expect(['public', 'gateway', 'exchange', 'self', 'admin', 'district', 'area'], `${o.method} ${o.path}`).toContain(o.read);
  });

  for (const reader of ['display of 德宽路', 'grid worker of 马山社区']) {
    it(`${reader}: no answer of any route carries the other township's cases, notes, alarms, broadcasts or workers`, async () => {
      const doc = (await call('GET', '/api/docs/json', null)).json as { paths: Record<string, Record<string, unknown>> };
      const found: string[] = [];
      let walked = 0;
      for (const [template, ops] of Object.entries(doc.paths)) {
        const params = paramsFor(template);
        const path = template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? PARAMS[k] ?? 'x'));
        for (const method of Object.keys(ops)) {
          // Signing out would end the walk's own session (it answers nothing but ok).
          if (template === '/api/auth/logout') continue;
          const queries = method === 'get' ? QUERIES : [''];
          for (const q of queries) {
            const body = method === 'get' || method === 'delete' ? undefined : (BODIES[template] ?? {});
            const r = await call(method.toUpperCase(), path + q, readers[reader], body);
            walked++;
            const leaked = leaks(r.text, decodeURIComponent(path + q) + JSON.stringify(body ?? ''));
            if (leaked.length > 0) found.push(`${method.toUpperCase()} ${path}${q} → ${r.status} carries ${leaked.join(', ')}`);
          }
        }
      }
      expect(walked).toBeGreaterThan(100);
      // Still signed in: the answers above were the account's, not a stranger's 401s.
      expect((await call('GET', '/api/auth/session', readers[reader])).json.data.account).toMatchObject({ org: expect.stringMatching(/^340803001/) });
      expect(found).toEqual([]);
    });
  }
});

describe('every socket command, sent as an account of another township', () => {
  for (const reader of ['display of 德宽路', 'grid worker of 马山社区']) {
    it(`${reader}: no acknowledgement, snapshot or delta carries the other township's things; its workers stay hidden`, async () => {
      const { client, snapshot } = await socketAs(readers[reader]);
      const seen: string[] = [JSON.stringify(snapshot)];
      client.on('delta:sent', (w) => {
        const d = decodeDelta(w);
        seen.push(JSON.stringify({ ...d, status: null, moves: null }));
        const moved = d.moves.worker ? [...new Uint32Array(d.moves.worker.index as ArrayBuffer)] : [];
        if (moved.includes(1)) seen.push(`moved GW-0002 ${SECRET.workerLon}`);
      });
      for (const e of ['case:reported', 'alarm:raised', 'whistle:blown'] as const) client.on(e, (x: unknown) => seen.push(JSON.stringify(x)));
      // GW-0002 (index 1) works in the east: its position is not sent; GW-0001's is.
      const worker = new Float64Array(snapshot.moving.worker.lonlat as ArrayBuffer);
      expect(Number.isNaN(worker[2])).toBe(true);
      expect(Number.isNaN(worker[0])).toBe(false);

      // The server's own list of what a connection answers: a new command cannot be left out.
      const serverSocket = server.app.io.of('/').sockets.get(client.id!)!;
      const commands = serverSocket.eventNames().map(String).filter((n) => n.includes(':'));
      expect(commands.length).toBeGreaterThan(15);
      const payloads: Record<string, unknown> = {
        'case:detail': { caseId: SECRET.caseId },
        'case:dispatch': { caseId: SECRET.caseId, unit: 'DEPT-CG' },
        'whistle:report-in': { whistleId: SECRET.whistleId },
        'whistle:close': { whistleId: SECRET.whistleId, ratings: {} },
        'alarm:acknowledge': { alarmId: found.alarmId },
        'alarm:clear': { alarmId: found.alarmId },
        'drone:dispatch': { droneId: 'UAV-1', caseId: SECRET.caseId, action: 'hover' },
        'replay:seek': { at: t },
      };
      const problems: string[] = [];
      for (const name of commands) {
        const payload = payloads[name] ?? { caseId: SECRET.caseId };
        const ack = name === 'replay:range' || name === 'replay:stop' || name === 'snapshot:request'
          ? await (client.timeout(5000) as any).emitWithAck(name)
          : await (client.timeout(5000) as any).emitWithAck(name, payload);
        const leaked = leaks(JSON.stringify(ack), JSON.stringify(payload));
        if (leaked.length > 0) problems.push(`${name} → ${leaked.join(', ')}`);
      }
      // Workers in both townships move while the screen watches: no delta may carry the eastern one.
      // Moves go out in their own time slot: keep moving until the western worker's move arrives.
      let moved = false;
      const onDelta = (w: Parameters<ServerToClientEvents['delta:sent']>[0]) => {
        if (decodeDelta(w).moves.worker) moved = true;
      };
      client.on('delta:sent', onDelta);
      let i = 0;
      await vi.waitFor(async () => {
        if (moved) return;
        i++;
        t += 30_000;
        await ok('POST', '/api/ingest/devices', null, { records: [{ kind: 'worker', id: 'GW-0002', ts: t, lon: Number(SECRET.workerLon), lat: 30.5112 + i * 1e-5 }, { kind: 'worker', id: 'GW-0001', ts: t, lon: 117.0101 + i * 1e-5, lat: 30.5 }] });
        throw new Error(`no worker move has reached the screen yet (${i} posted)`);
      }, { timeout: 10_000, interval: 50 });
      client.off('delta:sent', onDelta);
      for (const text of seen) {
        const leaked = leaks(text, '');
        if (leaked.length > 0) problems.push(`pushed: ${leaked.join(', ')}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
