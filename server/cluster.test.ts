// The cluster over real processes: three server nodes (server/main.ts) on one private PostgreSQL
// (DATABASE_URL), the full district dataset. An event ingested at node A reaches a screen on node C;
// every node's projections are equal at the same sequence; one case command sent to two nodes at
// once is applied once; telemetry that raises an alarm raises it once, whichever node took it in;
// the leader killed with SIGKILL, another node leads within 10 s, and never two at once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureDataset } from '../data/load.ts';
import { decodeDelta, toTyped, type ClientToServerEvents, type Health, type ServerToClientEvents } from '../core/protocol.ts';
import { freePort } from '../scripts/free-port.ts';
import { fingerprintDiff, projectionFingerprint, startServerProcess, type ServerProcess } from '../scripts/server-process.ts';
import { startPgTestServer, type PgTestServer } from './store/pg-test-server.ts';
import { until } from './test-support.ts';

const DATASET_DIR = path.resolve(import.meta.dirname, '..', 'data', 'generated');
const KEY = 'cluster-test-gateway-key-0123456789';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-cluster-test-'));
let pgServer: PgTestServer;
let databaseUrl = '';
const nodes: ServerProcess[] = [];
const sockets: Socket[] = [];

const health = async (n: ServerProcess): Promise<Health> => (await fetch(`${n.url}/api/health`)).json() as Promise<Health>;
const alive = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
const post = (n: ServerProcess, pathname: string, body: unknown) =>
  fetch(n.url + pathname, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': KEY }, body: JSON.stringify(body) });

async function startNode(i: number): Promise<ServerProcess> {
  return startServerProcess({
    dataDir: path.join(tmp, `node-${i}`), datasetDir: DATASET_DIR, port: await freePort(), mqttPort: await freePort(), healthTimeoutMs: 90_000,
    env: { DATABASE_URL: databaseUrl, NODE_NAME: `node-${i}`, GATEWAY_KEYS: `test:${KEY}`, AUTH_MODE: 'declared', CHECKPOINT_EVERY_MS: '2000', LOG_LEVEL: 'warn' },
  });
}

beforeAll(async () => {
  ensureDataset(DATASET_DIR, () => {});
  pgServer = await startPgTestServer();
  databaseUrl = await pgServer.createDatabase('cluster');
  // The first node migrates the empty database; the others start together after it.
  nodes.push(await startNode(0));
  nodes.push(...(await Promise.all([startNode(1), startNode(2)])));
}, 240_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(nodes.map((n) => n.stop(20_000)));
  await pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 120_000);

const camera = () => (JSON.parse(readFileSync(path.join(DATASET_DIR, 'devices.json'), 'utf8')) as { camera: Array<{ id: string; lon: number; lat: number }> }).camera[0];

describe('a Linkage cluster on PostgreSQL', () => {
  it('an event ingested at node A reaches a screen on node C, with the log\'s sequence numbers', async () => {
    const [a, , c] = nodes;
    const screen: Socket<ServerToClientEvents, ClientToServerEvents> = io(c.url, { transports: ['websocket'], reconnection: false });
    sockets.push(screen);
    await new Promise<void>((resolve, reject) => {
      screen.once('snapshot:sent', () => resolve());
      screen.once('connect_error', reject);
    });
    const seen = new Promise<number>((resolve) => {
      screen.on('delta:sent', (w) => {
        const d = decodeDelta(w);
        const changed = d.status.camera ? [...toTyped(d.status.camera.index, Uint32Array)] : [];
        if (changed.includes(0)) resolve(d.seq);
      });
    });
    const res = await post(a, '/api/ingest/devices', { records: [{ kind: 'camera', id: camera().id, ts: Date.now(), status: 'fault' }] });
    expect(res.status).toBe(200);
    const ack = (await res.json()) as { lastSeq: number };
    const seq = await Promise.race([seen, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no delta on node C within 10 s')), 10_000))]);
    expect(seq).toBeGreaterThanOrEqual(ack.lastSeq);
  });

  it('every node holds the same projections at the same sequence', async () => {
    await post(nodes[1], '/api/ingest/devices', { records: [{ kind: 'camera', id: camera().id, ts: Date.now(), status: 'online' }] });
    const head = (await health(nodes[0])).head;
    await until('all nodes at the head', async () => (await Promise.all(nodes.map(health))).every((h) => h.seq >= head && h.lag === 0), { timeout: 15_000 });
    const prints = await Promise.all(nodes.map((n) => projectionFingerprint(n.url)));
    expect(new Set(prints.map((p) => p.seq)).size).toBe(1);
    for (const p of prints.slice(1)) expect(fingerprintDiff(prints[0], p)).toEqual([]);
  });

  it('one case command sent to two nodes at once is applied once', async () => {
    const { lon, lat } = camera();
    const dispatcher = { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' };
    for (let round = 0; round < 3; round++) {
      const id = `CL-RACE-${round}`;
      expect((await post(nodes[0], '/api/ingest/cases', { records: [{ id, source: 'citizen', eventClass: '0501', title: '并发派遣测试', urgency: 'normal', lon, lat, reportedAt: Date.now() }] })).status).toBe(200);
      const answers = await Promise.all([nodes[1], nodes[2]].map((n) => post(n, `/api/cases/${id}/commands`, { actor: dispatcher, command: { type: 'file' } })));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect(statuses[1]).toBe(409);
      // The timeline is read from the log, the same on every node.
      const timeline = ((await (await fetch(`${nodes[0].url}/api/cases/${id}`)).json()) as { data: { timeline: Array<{ command: string }> } }).data.timeline;
      expect(timeline.filter((e) => e.command === 'file')).toHaveLength(1);
    }
  });

  it('one case report retried on two nodes at once opens one case', async () => {
    const { lon, lat } = camera();
    for (let round = 0; round < 3; round++) {
      const id = `CL-DUP-${round}`;
      const report = { records: [{ id, source: 'hotline-12345', hotlineOrderNo: `HL-${round}`, eventClass: '0501', title: '重复上报测试', urgency: 'normal', lon, lat, reportedAt: Date.now() }] };
      const answers = await Promise.all([nodes[0], nodes[1]].map((n) => post(n, '/api/ingest/cases', report)));
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      // Node 2 tails the log: read it once it has applied both answers' commits (a duplicate report
      // logged by the second would be there by then).
      const head = Math.max(...(await Promise.all(answers.map(async (r) => ((await r.json()) as { lastSeq: number }).lastSeq))));
      await until(`node 2 at seq ${head}`, async () => (await health(nodes[2])).seq >= head || undefined, { timeout: 10_000 });
      const timeline = ((await (await fetch(`${nodes[2].url}/api/cases/${id}`)).json()) as { data: { timeline: Array<{ command: string }> } }).data.timeline;
      expect(timeline.filter((e) => e.command === 'report')).toHaveLength(1);
    }
  });

  it('telemetry that raises an alarm is reacted to once, whichever node took it in', async () => {
    type Alarm = { id: string; deviceId?: string; repeats: number; status: string };
    const alarms = async (n: ServerProcess) => ((await (await fetch(`${n.url}/api/alarms`)).json()) as { data: Alarm[] }).data;
    const cam = camera().id;
    const detection = (i: number) => ({ id: `V-CL-${Date.now()}-${i}`, cameraId: cam, ts: Date.now(), eventClass: '0402', confidence: 0.5 });
    const first = detection(1);
    expect((await post(nodes[2], '/api/ingest/video-events', { records: [first] })).status).toBe(200);
    const raised = await until('the alarm on node 1', async () => (await alarms(nodes[1])).find((a) => a.id === `AL-${first.id}`), { timeout: 10_000 });
    // A second detection at that camera repeats the open alarm. Each node reacts in log order, so
    // once the repeat shows every node has passed the first detection.
    expect((await post(nodes[0], '/api/ingest/video-events', { records: [detection(2)] })).status).toBe(200);
    await until('the repeat on node 2', async () => (await alarms(nodes[2])).some((a) => a.id === raised.id && a.repeats > raised.repeats), { timeout: 10_000 });
    // Counted in the shared log itself: a second node reacting would append a second raise (its
    // projection ignores it as a duplicate id, so the alarm list alone cannot tell) and repeat.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ type: string; n: string }>('SELECT type, count(*) AS n FROM events WHERE subject = $1 GROUP BY type', [raised.id]);
      expect(Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]))).toEqual({ 'alarm:raised': 1, 'alarm:repeated': 1 });
    } finally {
      await db.end();
    }
  });

  it('a duty roster change made on one node is the roster of every node', async () => {
    const get = async (n: ServerProcess, p: string) => ((await (await fetch(n.url + p)).json()) as { data: any }).data;
    const now = await get(nodes[1], '/api/duty/now');
    const pool = (await get(nodes[1], '/api/duty/pool')) as { leaders: { id: string }[] };
    const other = pool.leaders.find((p) => p.id !== now.next.leader.id)!;
    const dispatcher = { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' };
    const changed = await post(nodes[0], '/api/duty/roster', { actor: dispatcher, assign: { shiftStart: now.next.start, leaderId: other.id } });
    expect(changed.status, await changed.clone().text()).toBe(200);
    for (const n of nodes) await until(`the new leader of the next shift on ${n.url}`, async () => (await get(n, '/api/duty/now')).next.leader.id === other.id, { timeout: 10_000 });
  });

  it('the leader killed with SIGKILL, another node leads within 10 s, and never two at once', async () => {
    const states = await Promise.all(nodes.map(health));
    expect(states.filter((h) => h.leader)).toHaveLength(1);
    const leader = nodes[states.findIndex((h) => h.leader)];
    // Watched while the leadership moves: every poll of the live nodes must show at most one leader.
    let twoAtOnce = false;
    let watching = true;
    const watch = vi.waitUntil(async () => {
      const hs = await Promise.all(alive().map((n) => health(n).catch(() => null)));
      if (hs.filter((h) => h?.leader).length > 1) twoAtOnce = true;
      return !watching;
    }, { timeout: 20_000, interval: 100 });
    const killedAt = Date.now();
    await leader.kill();
    const next = await until('a new leader', async () => {
      const hs = await Promise.all(alive().map(health));
      return hs.find((h) => h.leader);
    }, { timeout: 10_000 });
    const tookMs = Date.now() - killedAt;
    watching = false;
    await watch;
    expect(next.node).not.toBe((states.find((h) => h.leader) as Health).node);
    expect(tookMs).toBeLessThan(10_000);
    expect(twoAtOnce).toBe(false);
    console.log(`[cluster] new leader ${next.node} ${tookMs} ms after the kill`);
  });

  it('a node started while the others take in data and work cases builds the same projections', async () => {
    const live = alive();
    const cams = (JSON.parse(readFileSync(path.join(DATASET_DIR, 'devices.json'), 'utf8')) as { camera: Array<{ id: string }> }).camera.slice(0, 200);
    const dispatcher = { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' };
    let sending = true;
    let sent = 0;
    // Device states that change every round, and cases reported and filed: an event applied twice
    // (a case's version) or not at all (a camera's last state) shows in the fingerprint.
    const sender = (async () => {
      for (let round = 0; sending; round++) {
        const n = live[round % live.length];
        const records = cams.map((c, i) => ({ kind: 'camera', id: c.id, ts: Date.now(), status: (i + round) % 3 === 0 ? 'fault' : 'online' }));
        expect((await post(n, '/api/ingest/devices', { records })).status).toBe(200);
        const id = `CL-START-${round}`;
        const report = { id, source: 'citizen', eventClass: '0102', title: `启动中${round}`, urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: Date.now() };
        expect((await post(n, '/api/ingest/cases', { records: [report] })).status).toBe(200);
        const filed = await post(live[(round + 1) % live.length], `/api/cases/${id}/commands`, { actor: dispatcher, command: { type: 'file' } });
        expect(filed.status).toBe(200);
        sent++;
      }
    })();
    const newcomer = await startNode(nodes.length);
    nodes.push(newcomer);
    // Some rounds after it answers too, then quiet.
    const joinedAt = sent;
    await until('ten rounds after the start', async () => sent >= joinedAt + 10, { timeout: 60_000 });
    sending = false;
    await sender;
    const all = [...live, newcomer];
    const head = (await health(live[0])).head;
    await until('all nodes at the head', async () => (await Promise.all(all.map(health))).every((h) => h.seq >= head && h.lag === 0), { timeout: 30_000 });
    const prints = await Promise.all(all.map((n) => projectionFingerprint(n.url)));
    expect(new Set(prints.map((p) => p.seq)).size).toBe(1);
    for (const p of prints.slice(1)) expect(fingerprintDiff(prints[0], p)).toEqual([]);
  }, 180_000);
});
