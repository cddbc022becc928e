// Reliability (issue 6): a dashboard disconnected for seconds, for minutes, or across a server
// restart comes back with no missed case update. The client here keeps its state exactly as the
// dashboard does (client/src/state/store.ts: snapshot on connect, deltas chained by prevSeq, a gap
// asks for a snapshot, discrete events upserted) over a real socket.io-client; after reconnecting,
// its cases (id → stage/version) and device status arrays must equal the server's.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { DEVICE_KINDS, type DeviceKind } from '../core/domain.ts';
import type { Actor } from '../core/org.ts';
import { decodeDelta, decodeSnapshot, toTyped, type ClientToServerEvents, type ServerToClientEvents } from '../core/protocol.ts';
import { applyAlarm, applyCaseReported, applyDelta, applySnapshot, applyWhistle, createStore, type LiveStore } from '../client/src/state/store.ts';
import { DISTRICT_SESSION, startTestServer, type TestServer } from './test-support.ts';

const MONDAY_9 = Date.UTC(2026, 10, 23, 1, 0);
const SIZES: Record<DeviceKind, number> = { camera: 10, lookout: 1, drone: 1, broadcast: 5, component: 20, worker: 3 };
const WEST = { lon: 117.01, lat: 30.5 };
const EAST = { lon: 117.08, lat: 30.5 };
const dispatcher: Actor = { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' };
const cg: Actor = { id: 'cg1', name: '城管队员', role: 'department', org: 'DEPT-CG' };

let t = MONDAY_9;
const clock = { now: () => t };
let server: TestServer | null = null;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server?.close();
  server = null;
  caseNo = 0;
});

type DashSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A dashboard: one store that outlives its sockets, kept the way client/src does it. */
class Dashboard {
  readonly store: LiveStore = createStore(SIZES);
  socket!: DashSocket;
  gaps = 0;
  snapshots = 0;

  constructor(url: string) {
    this.open(url);
  }

  /** A new socket to `url` (the page after a server restart): the store is kept. */
  open(url: string): void {
    const socket: DashSocket = io(url, { transports: ['websocket'], reconnection: false, autoConnect: false });
    sockets.push(socket);
    socket.on('snapshot:sent', (wire) => {
      this.snapshots++;
      applySnapshot(this.store, decodeSnapshot(wire));
    });
    socket.on('delta:sent', (wire) => {
      if (applyDelta(this.store, decodeDelta(wire)) === 'gap') {
        this.gaps++;
        socket.emit('snapshot:request', () => {});
      }
    });
    socket.on('case:reported', (c) => applyCaseReported(this.store, c));
    socket.on('alarm:raised', (a) => applyAlarm(this.store, a));
    socket.on('whistle:blown', (w) => applyWhistle(this.store, w));
    this.socket = socket;
  }

  /** Connects and resolves on the first snapshot of this connection. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('snapshot:sent', () => resolve());
      this.socket.once('connect_error', reject);
      this.socket.connect();
    });
  }
}

async function post(pathname: string, body: unknown): Promise<any> {
  const res = await server!.post(pathname, body);
  expect(res.status, `${pathname}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

let caseNo = 0;
/** Reports a case (alternating west / east) and moves some of the earlier ones on. */
async function churn(rounds: number, stepMs: number): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    t += stepMs;
    const id = `R-${++caseNo}`;
    await post('/api/ingest/cases', { records: [{ id, source: 'citizen', eventClass: '0102', title: `案件${id}`, urgency: 'normal', ...(caseNo % 2 ? WEST : EAST), reportedAt: t }] });
    // Device statuses change: a camera and a broadcast point cycle through online / fault / offline.
    const status = (['online', 'fault', 'offline'] as const)[caseNo % 3];
    await post('/api/ingest/devices', { records: [
      { kind: 'camera', id: `CAM-${String((caseNo % 10) + 1).padStart(5, '0')}`, ts: t, status },
      { kind: 'broadcast', id: `BC-000${(caseNo % 5) + 1}`, ts: t, status },
    ] });
    // Earlier cases move: file, dispatch, accept.
    const steps: [string, Actor, Record<string, unknown>][] = [];
    if (caseNo > 1) steps.push([`R-${caseNo - 1}`, dispatcher, { type: 'file' }]);
    if (caseNo > 2) steps.push([`R-${caseNo - 2}`, dispatcher, { type: 'dispatch', unit: 'DEPT-CG' }]);
    if (caseNo > 3) steps.push([`R-${caseNo - 3}`, cg, { type: 'accept' }]);
    for (const [cid, actor, command] of steps) {
      t += 1000;
      await post(`/api/cases/${cid}/commands`, { actor, command });
    }
  }
}

/** Waits until the dashboard has applied everything the server logged, then compares with the server. */
async function expectInStep(d: Dashboard): Promise<void> {
  const app = server!.app;
  await vi.waitFor(() => expect(d.store.seq, "the client's seq").toBe(app.projector.lastSeq), { timeout: 5000, interval: 10 });
  const snap = app.hub.snapshot(DISTRICT_SESSION);
  const theirs = Object.fromEntries(snap.cases.map((c) => [c.id, `${c.stage}@${c.version}`]));
  const ours = Object.fromEntries([...d.store.cases.values()].map((c) => [c.id, `${c.stage}@${c.version}`]));
  // Every case the server shows is on the client at the same version...
  for (const [id, v] of Object.entries(theirs)) expect(ours[id], `case ${id}`).toBe(v);
  // ...and nothing on the client is behind the server's current state of that case.
  for (const id of Object.keys(ours)) {
    const c = app.projector.cases.get(id)!;
    expect(ours[id], `case ${id}`).toBe(`${c.stage}@${c.version}`);
  }
  for (const k of DEVICE_KINDS) {
    const server = [...toTyped(snap.status[k], Uint8Array)].map((v) => (v > 3 ? 1 : v));
    expect([...d.store.status[k]], `${k} statuses`).toEqual(server);
  }
}

describe('a dashboard reconnecting misses no case update', () => {
  it('after a gap of seconds', async () => {
    t = MONDAY_9;
    server = await startTestServer({ clock });
    const d = new Dashboard(server.url);
    await d.connect();
    // Stays connected: once it has everything, the deltas have gone out while \`d\` was away.
    const witness = new Dashboard(server.url);
    await witness.connect();
    await churn(4, 1000);
    await expectInStep(d);
    expect(d.store.cases.size).toBe(4);

    d.socket.disconnect();
    await churn(5, 1000);
    await expectInStep(witness); // their deltas go by unseen
    expect(d.store.cases.size).toBe(4);
    await d.connect();
    await expectInStep(d);
    expect(d.store.cases.size).toBe(9);
    // Live again: later changes arrive as deltas.
    await churn(2, 1000);
    await expectInStep(d);
  });

  it('after a gap of minutes with many events', async () => {
    t = MONDAY_9;
    server = await startTestServer({ clock });
    const d = new Dashboard(server.url);
    await d.connect();
    const witness = new Dashboard(server.url);
    await witness.connect();
    await churn(3, 1000);
    await expectInStep(d);

    d.socket.disconnect();
    // Ten minutes of fake time: a case every 20 s, each with device changes and three commands.
    await churn(30, 20_000);
    await expectInStep(witness); // their deltas go by unseen
    await d.connect();
    await expectInStep(d);
    expect(d.store.cases.size).toBe(33);
    expect([...d.store.cases.values()].filter((c) => c.stage !== 'reported' && c.stage !== 'filed').length).toBeGreaterThan(25);
    await churn(2, 1000);
    await expectInStep(d);
  });

  it('across a server restart on the same data directory (a new socket, the same store)', async () => {
    t = MONDAY_9;
    server = await startTestServer({ clock });
    const dataDir = server.dataDir;
    const d = new Dashboard(server.url);
    await d.connect();
    const witness = new Dashboard(server.url);
    await witness.connect();
    await churn(3, 1000);
    await expectInStep(d);
    const seqBefore = d.store.seq;

    d.socket.disconnect();
    await churn(3, 5000); // missed before the restart
    await server.close(false);
    server = await startTestServer({ clock, dataDir });
    await churn(4, 5000); // missed after the restart
    d.open(server.url);
    await d.connect();
    await expectInStep(d);
    expect(d.store.seq).toBeGreaterThan(seqBefore);
    expect(d.store.cases.size).toBe(10);
    await churn(2, 1000);
    await expectInStep(d);
  });
});
