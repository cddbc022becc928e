// Reliability (issue 6): for every role and scope, a dashboard receives nothing outside its scope.
// One client per role / scope records everything the server sends it (snapshot, every delta,
// case:reported, alarm:raised, whistle:blown) while cases in both townships are reported and
// dispatched, whistles blown, alarms raised and broadcasts sent; every case, whistle, alarm and
// broadcast it got must lie inside its scope, and it must have got every one that does.
// Clients connected before the activity see it through deltas and discrete events; clients
// connected after it see it in their snapshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { placeInScope, type Actor } from '../core/org.ts';
import { broadcastInScope } from '../core/broadcast.ts';
import { decodeDelta, decodeSnapshot, type ClientToServerEvents, type HandshakeAuth, type ServerToClientEvents } from '../core/protocol.ts';
import { DISTRICT_SESSION, smallDistrict, startTestServer, type TestServer } from './test-support.ts';

const MONDAY_9 = Date.UTC(2026, 10, 23, 1, 0);
let t = MONDAY_9;
const clock = { now: () => t };
const WEST = { lon: 117.01, lat: 30.5 }; // 德宽路街道 340803001 / 马山社区 340803001002
const EAST = { lon: 117.08, lat: 30.5 }; // 玉琳路街道 340803002 / 340803002001

const A = {
  dispatcher: { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' },
  leader: { id: 'l1', name: '值班领导', role: 'duty-leader', org: '340803' },
  townLeader: { id: 'l2', name: '街道值班领导', role: 'duty-leader', org: '340803001' },
  township1: { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' },
  township2: { id: 't2', name: '玉琳路坐席', role: 'township-operator', org: '340803002' },
  community: { id: 'c1', name: '马山社区坐席', role: 'community-operator', org: '340803001002' },
  cg: { id: 'cg1', name: '城管队员', role: 'department', org: 'DEPT-CG' },
  worker: { id: 'GW-0001', name: '网格员1', role: 'grid-worker', org: '340803001002' },
} satisfies Record<string, Actor>;

/** Every role and scope, with the scope its connection must be confined to. */
const CLIENTS: { name: string; auth: HandshakeAuth; scope: string }[] = [
  { name: 'duty-leader (district)', auth: { actor: A.leader }, scope: '340803' },
  { name: 'duty-leader (township)', auth: { actor: A.townLeader }, scope: '340803001' },
  { name: 'dispatcher', auth: { actor: A.dispatcher }, scope: '340803' },
  { name: 'department', auth: { actor: A.cg }, scope: '340803' },
  { name: 'township-operator 德宽路', auth: { actor: A.township1 }, scope: '340803001' },
  { name: 'township-operator 玉琳路', auth: { actor: A.township2 }, scope: '340803002' },
  { name: 'community-operator', auth: { actor: A.community }, scope: '340803001002' },
  { name: 'grid-worker', auth: { actor: A.worker }, scope: '340803001002' },
  { name: 'display (district)', auth: {}, scope: '340803' },
  { name: 'display (township)', auth: { scope: '340803002' }, scope: '340803002' },
  { name: 'display (community)', auth: { scope: '340803001002' }, scope: '340803001002' },
  { name: 'dispatcher narrowed to a township', auth: { actor: A.dispatcher, scope: '340803002' }, scope: '340803002' },
];

type Place = { townshipCode: string; communityCode: string };
interface Received {
  cases: Map<string, Place & { id: string; where: string }>;
  whistles: Map<string, { id: string; caseId: string; where: string }>;
  alarms: Map<string, Place & { id: string; where: string }>;
  broadcasts: Map<string, { id: string; places: string[]; actor: Actor; where: string }>;
  lastSeq: number;
}

let server: TestServer;
const sockets: Socket[] = [];

function record(auth: HandshakeAuth): Promise<{ got: Received; sessionScope: string }> {
  const got: Received = { cases: new Map(), whistles: new Map(), alarms: new Map(), broadcasts: new Map(), lastSeq: -1 };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, { transports: ['websocket'], reconnection: false, auth: auth as Record<string, unknown> });
  sockets.push(socket);
  const add = (where: string, d: { cases?: any[]; whistles?: any[]; alarms?: any[]; broadcasts?: any[] }) => {
    for (const c of d.cases ?? []) got.cases.set(`${c.id}|${where}`, { ...c, where });
    for (const w of d.whistles ?? []) got.whistles.set(`${w.id}|${where}`, { ...w, where });
    for (const a of d.alarms ?? []) got.alarms.set(`${a.id}|${where}`, { ...a, where });
    for (const b of d.broadcasts ?? []) got.broadcasts.set(`${b.id}|${where}`, { ...b, where });
  };
  socket.on('delta:sent', (wire) => {
    const d = decodeDelta(wire);
    got.lastSeq = d.seq;
    add('delta', d);
    // A patch names its case by id: the case it changes must be in scope too.
    add('delta patch', { cases: (d.casePatches ?? []).map((pt) => server.app.projector.cases.get(pt.id)) });
  });
  socket.on('case:reported', (c) => add('case:reported', { cases: [c] }));
  socket.on('alarm:raised', (a) => add('alarm:raised', { alarms: [a] }));
  socket.on('whistle:blown', (w) => add('whistle:blown', { whistles: [w] }));
  return new Promise((resolve, reject) => {
    socket.once('snapshot:sent', (wire) => {
      const s = decodeSnapshot(wire);
      got.lastSeq = s.seq;
      add('snapshot', s);
      resolve({ got, sessionScope: s.session!.scope });
    });
    socket.once('connect_error', reject);
  });
}

async function post(pathname: string, body: unknown): Promise<any> {
  const res = await server.post(pathname, body);
  expect(res.status, `${pathname}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.data;
}
const command = (id: string, actor: Actor, cmd: Record<string, unknown>) => {
  t += 60_000;
  return post(`/api/cases/${id}/commands`, { actor, command: cmd });
};
const report = (id: string, at: { lon: number; lat: number }) =>
  ({ id, source: 'citizen', eventClass: '0501', title: `案件${id}`, urgency: 'urgent', ...at, reportedAt: t });

/** Reported and dispatched cases in both townships, a whistle in each, alarms from cameras of both, two broadcasts. */
async function activity(tag: string): Promise<void> {
  t += 60_000;
  await post('/api/ingest/cases', { records: [report(`${tag}-W1`, WEST), report(`${tag}-W2`, WEST), report(`${tag}-E1`, EAST), report(`${tag}-E2`, EAST)] });
  await command(`${tag}-W1`, A.township1, { type: 'file' });
  await command(`${tag}-W1`, A.township1, { type: 'dispatch', unit: 'DEPT-ZJ' });
  await command(`${tag}-E1`, A.township2, { type: 'file' });
  await command(`${tag}-E1`, A.township2, { type: 'dispatch', unit: 'DEPT-ZJ' });
  await command(`${tag}-W2`, A.dispatcher, { type: 'file' });
  await command(`${tag}-W2`, A.dispatcher, { type: 'dispatch', unit: 'DEPT-CG' });
  await command(`${tag}-W2`, A.cg, { type: 'accept' });
  await post('/api/whistles', { actor: A.township1, command: { type: 'blow', whistleId: `${tag}-WH-W`, caseId: `${tag}-W1`, kind: 'emergency', lead: 'DEPT-ZJ', supporting: ['DEPT-SW'] } });
  await post('/api/whistles', { actor: A.township2, command: { type: 'blow', whistleId: `${tag}-WH-E`, caseId: `${tag}-E1`, kind: 'quick', lead: 'DEPT-ZJ', supporting: ['DEPT-GD'] } });
  // Cameras 1 and 3 are in 德宽路, 2 and 4 in 玉琳路: doubtful detections raise alarms only, a confident one opens a case too.
  t += 60_000;
  await post('/api/ingest/video-events', { records: [
    { id: `${tag}-V1`, cameraId: 'CAM-00001', ts: t, eventClass: '0402', confidence: 0.5 },
    { id: `${tag}-V2`, cameraId: 'CAM-00002', ts: t, eventClass: '0402', confidence: 0.5 },
    { id: `${tag}-V3`, cameraId: 'CAM-00004', ts: t, eventClass: '0101', confidence: 0.95 },
  ] });
  await server.app.alarmService.idle();
  await post('/api/broadcasts', { actor: A.township1, message: { text: `${tag} 通知一`, priority: 'normal', repeat: 1 }, selection: { mode: 'scope', code: '340803001' } });
  await post('/api/broadcasts', { actor: A.township2, message: { text: `${tag} 通知二`, priority: 'normal', repeat: 1 }, selection: { mode: 'scope', code: '340803002' } });
}

beforeAll(async () => {
  t = MONDAY_9;
  // Broadcast points 1–3 west (德宽路), 4–5 east (玉琳路), as in broadcasts.test.ts.
  const d = smallDistrict();
  // Cameras likewise: even ones (CAM-00002, -04, …) east.
  const camera = (i: number) => ({ ...d.placedDevice('camera', i)!, lon: i % 2 ? 117.08 + i * 0.001 : 117.01 + i * 0.001 });
  const point = (i: number) => ({ ...d.placedDevice('broadcast', i)!, lon: i < 3 ? 117.01 + i * 0.001 : 117.08 + i * 0.001, lat: 30.5 });
  const placedDevice: typeof d.placedDevice = (kind, i) => (kind === 'camera' ? camera(i) : kind === 'broadcast' ? point(i) : d.placedDevice(kind, i));
  const district = { ...d, placedDevice };
  server = await startTestServer({ clock, district });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
});

function check(name: string, scope: string, got: Received): void {
  const p = server.app.projector;
  const all = server.app.hub.snapshot(DISTRICT_SESSION);
  // Nothing outside the scope, wherever it came from.
  for (const c of got.cases.values()) expect(placeInScope(scope, c), `${name} got case ${c.id} (${c.communityCode}) by ${c.where}`).toBe(true);
  for (const a of got.alarms.values()) expect(placeInScope(scope, a), `${name} got alarm ${a.id} (${a.communityCode}) by ${a.where}`).toBe(true);
  for (const w of got.whistles.values()) {
    const c = p.cases.get(w.caseId)!;
    expect(placeInScope(scope, c), `${name} got whistle ${w.id} of case ${w.caseId} (${c.communityCode}) by ${w.where}`).toBe(true);
  }
  for (const b of got.broadcasts.values()) expect(broadcastInScope(scope, b), `${name} got broadcast ${b.id} (${b.places.join(',')}) by ${b.where}`).toBe(true);
  // Everything inside it.
  const ids = (m: Map<string, { id: string }>) => new Set([...m.values()].map((x) => x.id));
  const want = {
    cases: all.cases.filter((c) => placeInScope(scope, c)).map((c) => c.id),
    alarms: (all.alarms ?? []).filter((a) => placeInScope(scope, a)).map((a) => a.id),
    whistles: (all.whistles ?? []).filter((w) => p.whistleInScope(scope, w)).map((w) => w.id),
    broadcasts: (all.broadcasts ?? []).filter((b) => broadcastInScope(scope, b)).map((b) => b.id),
  };
  expect(want.cases.length, `${name}: cases in scope`).toBeGreaterThan(0);
  expect(want.whistles.length, `${name}: whistles in scope`).toBeGreaterThan(0);
  expect(want.alarms.length, `${name}: alarms in scope`).toBeGreaterThan(0);
  expect(want.broadcasts.length, `${name}: broadcasts in scope`).toBeGreaterThan(0);
  expect([...ids(got.cases)].sort(), `${name}: cases`).toEqual(expect.arrayContaining(want.cases));
  expect([...ids(got.alarms)].sort(), `${name}: alarms`).toEqual(expect.arrayContaining(want.alarms));
  expect([...ids(got.whistles)].sort(), `${name}: whistles`).toEqual(expect.arrayContaining(want.whistles));
  expect([...ids(got.broadcasts)].sort(), `${name}: broadcasts`).toEqual(expect.arrayContaining(want.broadcasts));
  // The district sees more than any narrower scope: the test covers both sides of every boundary.
  if (scope !== '340803') expect(want.cases.length).toBeLessThan(all.cases.length);
}

describe('scope isolation: every role and scope receives only its own area', () => {
  it('live (deltas and discrete events) and in the snapshot of a later connection', async () => {
    const live = await Promise.all(CLIENTS.map((c) => record(c.auth)));
    live.forEach((l, i) => expect(l.sessionScope, CLIENTS[i].name).toBe(CLIENTS[i].scope));
    await activity('A');
    await activity('B');
    const seq = server.app.projector.lastSeq;
    await expect.poll(() => CLIENTS.filter((_, i) => live[i].got.lastSeq < seq).map((c) => c.name), { message: 'clients yet to see the last delta', timeout: 5000, interval: 10 }).toEqual([]);
    CLIENTS.forEach((c, i) => check(`${c.name} (live)`, c.scope, live[i].got));
    // Live clients saw the cases through deltas / case:reported, not only a snapshot.
    for (const l of live) expect([...l.got.cases.values()].some((c) => c.where !== 'snapshot')).toBe(true);

    const late = await Promise.all(CLIENTS.map((c) => record(c.auth)));
    CLIENTS.forEach((c, i) => check(`${c.name} (snapshot)`, c.scope, late[i].got));
  });
});
