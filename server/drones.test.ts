// Drone missions over real HTTP and socket.io-client against a temporary SQLite file: who may send a
// drone, unsafe missions refused with their reason, a dispatch logged and published to the drone,
// its reports validated per record and reaching dashboards, recall, the flight log, and a rebuild
// from the log after a restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../core/org.ts';
import type { DroneCommand, MissionState } from '../core/drones.ts';
import { decodeDelta, type Ack, type Delta } from '../core/protocol.ts';
import { connectAsync, type MqttClient } from 'mqtt';
import { commandFilter, rejectedTopic, uplinkTopic } from '../core/field.ts';
import { nextDelta, nextEvent, startTestServer, TEST_KEY, type TestClient, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
const dispatcher: Actor = { id: 'd1', name: '区调度员', role: 'dispatcher', org: '340803' };
const townLeader: Actor = { id: 'l2', name: '德宽路值班领导', role: 'duty-leader', org: '340803001' };
const operator: Actor = { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' };
/** UAV-1's base in the test district is (117.0, 30.5); west of 117.05 is 德宽路街道. */
const NEAR = { lon: 117.02, lat: 30.51 };

let server: TestServer;
let dock: MqttClient | null = null;
let t = T0;
const clock = { now: () => t };

afterEach(async () => {
  await dock?.endAsync(true).catch(() => {});
  dock = null;
  await server?.close();
});

/**
 * The drone dock as a real MQTT gateway (mqtt.js against the server's embedded broker): it takes
 * the commands on linkage/cmd/drone/+ and reports on linkage/up/test/drone-missions (QoS 1: the
 * PUBACK means committed). Rejected records come back on linkage/down/test/rejected.
 */
async function droneDock(s: TestServer) {
  dock = await connectAsync(s.mqttUrl, { username: 'test', password: TEST_KEY, reconnectPeriod: 200, connectTimeout: 5000 });
  await dock.subscribeAsync([commandFilter('drone'), rejectedTopic('test')], { qos: 1 });
  const commands: Array<{ topic: string; cmd: DroneCommand }> = [];
  const rejections: Array<Array<{ index: number; field: string; code: string; message: string }>> = [];
  dock.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString());
    if (topic === rejectedTopic('test')) rejections.push(body.rejected);
    else commands.push({ topic, cmd: body });
  });
  const client = dock;
  return {
    commands,
    rejections,
    report: (records: unknown[]) => client.publishAsync(uplinkTopic('test', 'drone-missions'), JSON.stringify({ records }), { qos: 1 }),
  };
}

async function telemetry(over: Record<string, unknown> = {}) {
  const res = await server.post('/api/ingest/devices', { records: [{ kind: 'drone', id: 'UAV-1', ts: t, status: 'online', lon: 117.0, lat: 30.5, alt: 0, heading: 0, speed: 0, battery: 100, ...over }] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const emit = <T>(client: TestClient, event: 'drone:dispatch' | 'drone:recall', payload: unknown) =>
  new Promise<Ack<T>>((resolve) => (client.emit as (e: string, p: unknown, ack: (r: Ack<T>) => void) => void)(event, payload, resolve));

const report = (missionId: string, phase: string, over: Record<string, unknown> = {}) => ({ droneId: 'UAV-1', missionId, ts: (t += 1000), phase, ...over });

describe('drone missions', () => {
  it('dispatch → logged and published → reports reach the dashboard → recall → docked, in the flight log, after a restart too', async () => {
    t = T0;
    server = await startTestServer({ clock });
    const drone = await droneDock(server);
    await telemetry();
    const { client, snapshot } = await server.connect({ actor: dispatcher });
    expect(snapshot.drones?.[0]).toMatchObject({ id: 'UAV-1', status: 'online', battery: 100, mission: null });

    const sent = await emit<MissionState>(client, 'drone:dispatch', { droneId: 'UAV-1', target: NEAR, action: 'orbit', loiterS: 120, note: '查看江堤' });
    if (!sent.ok) throw new Error(sent.message);
    const mission = sent.data;
    expect(mission).toMatchObject({ droneId: 'UAV-1', phase: 'pending', action: 'orbit', altM: 100, issuedBy: { id: 'd1', role: 'dispatcher' }, issuedAt: T0 });

    // Logged with actor and time, then published on the drone's command topic.
    const logged = (await server.app.store.readAfter(0, 1000)).filter((e) => e.type === 'drone:dispatched');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ subject: 'UAV-1', ts: T0, data: { mission: { id: mission.id, issuedBy: { id: 'd1' } } } });
    await expect.poll(() => drone.commands.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(drone.commands).toEqual([{ topic: 'linkage/cmd/drone/UAV-1', cmd: expect.objectContaining({ type: 'mission', id: mission.id, target: NEAR, loiterS: 120 }) }]);

    // Re-tasking a drone on a mission is refused with the reason.
    const again = await emit<MissionState>(client, 'drone:dispatch', { droneId: 'UAV-1', target: NEAR, action: 'hover', loiterS: 60 });
    expect(again).toMatchObject({ ok: false, code: 'REFUSED', message: expect.stringContaining(mission.id) });

    // Reports: a bad record is rejected by field, its neighbours are committed.
    const seen = nextDelta(client, (d) => d.drones?.some((v) => v.mission?.phase === 'on-station') ?? false);
    await drone.report([
      report(mission.id, 'takeoff'),
      { droneId: 'UAV-1', missionId: mission.id, ts: t, phase: 'flying' },
      report(mission.id, 'enroute'),
      report('M-NOPE', 'enroute'),
      report(mission.id, 'on-station'),
    ]);
    // The PUBACK came after the commit: the good records are in the projection already.
    expect(server.app.projector.drones.mission(mission.id)?.phase).toBe('on-station');
    await expect.poll(() => drone.rejections.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(drone.rejections[0]).toEqual([
      expect.objectContaining({ index: 1, field: '/phase', code: 'INVALID_RECORD' }),
      expect.objectContaining({ index: 3, field: '/missionId', code: 'NOT_FOUND' }),
    ]);
    const delta = await seen;
    expect(delta.drones![0].mission).toMatchObject({ id: mission.id, phase: 'on-station' });
    // Resent reports (QoS 1 is at least once) are acknowledged without a second event; skipping the way home is refused.
    await drone.report([report(mission.id, 'on-station'), report(mission.id, 'takeoff')]);
    await drone.report([report(mission.id, 'docked')]);
    await expect.poll(() => drone.rejections.length, { timeout: 5000, interval: 20 }).toBe(2);
    expect(drone.rejections[1]).toEqual([expect.objectContaining({ index: 0, field: '/phase', code: 'INVALID_TRANSITION' })]);

    // Telemetry from the air shows on the drone and its track.
    t += 1000;
    await telemetry({ lon: 117.01, lat: 30.505, alt: 100, speed: 10, battery: 90, heading: 45 });
    t += 1000;
    await telemetry({ lon: 117.02, lat: 30.51, alt: 100, speed: 10, battery: 88, heading: 45 });
    const listed = (await server.get('/api/drones')).body.data[0];
    expect(listed).toMatchObject({ id: 'UAV-1', alt: 100, battery: 88, speed: 10, mission: { phase: 'on-station' } });
    expect(listed.track).toHaveLength(2);

    // Recall over HTTP: logged, published, and the drone reports its way home.
    const recalled = await server.post('/api/drones/UAV-1/recall', { actor: dispatcher, note: '任务取消' });
    expect(recalled.status, JSON.stringify(recalled.body)).toBe(200);
    await expect.poll(() => drone.commands.length, { timeout: 5000, interval: 20 }).toBe(2);
    expect(drone.commands[1]).toEqual({ topic: 'linkage/cmd/drone/UAV-1', cmd: { type: 'recall', droneId: 'UAV-1', missionId: mission.id, at: t } });
    await drone.report([report(mission.id, 'returning', { reason: '调度员召回' }), report(mission.id, 'landing'), report(mission.id, 'docked')]);

    const flights = (await server.get('/api/drones/UAV-1/flights')).body.data as MissionState[];
    expect(flights).toHaveLength(1);
    expect(flights[0]).toMatchObject({ id: mission.id, phase: 'docked', reason: '调度员召回', recalledBy: { id: 'd1' }, note: '查看江堤' });
    expect(flights[0].history.map((h) => h.phase)).toEqual(['pending', 'takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked']);
    expect((await server.app.store.readAfter(0, 1000)).filter((e) => e.type === 'drone:mission-updated')).toHaveLength(6);

    // Rebuilt from the log after a restart.
    const dataDir = server.dataDir;
    await server.close(false);
    server = await startTestServer({ clock, dataDir });
    const rebuilt = (await server.get('/api/drones/UAV-1/flights')).body.data as MissionState[];
    expect(rebuilt).toEqual(flights);
    expect((await server.get('/api/drones')).body.data[0]).toMatchObject({ battery: 88, mission: { id: mission.id, phase: 'docked' } });
  });

  it("a drone's status change reaches screens at once; a new reading waits for the pace of the moves", async () => {
    t = T0;
    server = await startTestServer({ clock });
    await telemetry();
    const { client } = await server.connect();
    const deltas: Delta[] = [];
    client.on('delta:sent', (w) => deltas.push(decodeDelta(w)));
    // The clock stands still: the moves' pace came due at the first tick and does not again.
    await telemetry({ battery: 80 });
    const reported = nextEvent(client, 'case:reported', (c) => c.id === 'C-FENCE');
    expect((await server.post('/api/ingest/cases', { records: [{ id: 'C-FENCE', source: 'citizen', eventClass: '0102', title: '堆物', urgency: 'normal', lon: 117.01, lat: 30.52, reportedAt: t }] })).status).toBe(200);
    await reported;
    const fence = server.app.projector.lastSeq;
    await expect.poll(() => deltas.at(-1)?.seq ?? -1, { timeout: 5000 }).toBeGreaterThanOrEqual(fence);
    expect(deltas.flatMap((d) => d.drones ?? [])).toEqual([]);

    // A fault is news: the drone's view goes in the next delta, with the reading that waited.
    const fault = nextDelta(client, (d) => (d.drones ?? []).length > 0);
    await telemetry({ status: 'fault', battery: 70 });
    expect((await fault).drones).toEqual([expect.objectContaining({ id: 'UAV-1', status: 'fault', battery: 70 })]);
  });

  it('refuses unsafe missions and people who may not command, with the reason', async () => {
    t = T0;
    server = await startTestServer({ clock });
    const { client: display } = await server.connect();
    const displayTry = await emit(display, 'drone:dispatch', { droneId: 'UAV-1', target: NEAR, action: 'hover', loiterS: 60 });
    expect(displayTry).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('大屏') });
    const mission = (actor: Actor, body: Record<string, unknown>) => server.post('/api/drones/UAV-1/missions', { actor, action: 'hover', loiterS: 60, ...body });

    // Not heard from yet: offline.
    expect((await mission(dispatcher, { target: NEAR })).body).toMatchObject({ ok: false, code: 'REFUSED', message: expect.stringContaining('离线') });
    await telemetry({ battery: 12 });
    const low = await mission(dispatcher, { target: NEAR });
    expect(low.status).toBe(409);
    expect(low.body.message).toMatch(/电量不足.*当前 12%/);
    await telemetry({ battery: 100 });
    expect((await mission(dispatcher, { target: { lon: 117.3, lat: 30.5 } })).body.message).toContain('范围之外');
    expect((await mission(operator, { target: NEAR })).status).toBe(403);
    expect((await mission(townLeader, { target: { lon: 117.08, lat: 30.5 } })).body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('辖区') });
    expect((await mission(dispatcher, { target: NEAR, caseId: 'C-1' })).body.message).toContain('either');
    const badBody = await mission(dispatcher, { target: NEAR, action: 'circle' });
    expect(badBody).toMatchObject({ status: 422, body: { code: 'INVALID_COMMAND', message: expect.stringContaining('/action') } });
    expect((await server.post('/api/drones/UAV-9/missions', { actor: dispatcher, target: NEAR, action: 'hover', loiterS: 60 })).status).toBe(404);
    expect((await server.post('/api/drones/UAV-1/recall', { actor: dispatcher })).body.message).toContain('无需召回');
    // Nothing was logged or sent.
    expect((await server.app.store.readAfter(0, 1000)).filter((e) => e.type.startsWith('drone:'))).toHaveLength(0);
    expect(server.app.field.status().commandsPublished).toBe(0);

    // A township duty leader may send it inside the township, and to a case: the target is the case's location.
    const c = { id: 'C-1', source: 'citizen', eventClass: '0102', title: '堆物', urgency: 'normal', lon: 117.01, lat: 30.52, reportedAt: t };
    expect((await server.post('/api/ingest/cases', { records: [c] })).status).toBe(200);
    const toCase = await mission(townLeader, { caseId: 'C-1' });
    expect(toCase.status, JSON.stringify(toCase.body)).toBe(200);
    expect(toCase.body.data).toMatchObject({ caseId: 'C-1', target: { lon: 117.01, lat: 30.52 }, issuedBy: { id: 'l2' } });
  });
});
