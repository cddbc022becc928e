// Sensor alarms decided by the server: readings over HTTP ingest cross the rule's raise threshold
// → alarm and case; readings between clear and raise keep it; a reading past clear clears it. The
// device detail returns the readings ring; a restart (from the checkpoint or from the whole log)
// gives the same alarm states. Grid workers' patrol tracks are sampled per shift.
import { afterEach, describe, expect, it } from 'vitest';
import { Projector } from './projections/projector.ts';
import { smallDistrict, startTestServer, type TestServer } from './test-support.ts';

// Monday 2026-11-23 21:00 Asia/Shanghai (night: lamps are on).
const T0 = Date.UTC(2026, 10, 23, 13, 0);
let t = T0;
const clock = { now: () => t };
let server: TestServer;
afterEach(async () => server?.close());

const LAMP = '3408030117000001'; // component 0: a sensorized street lamp (lamp-power: raise 200 W, clear 160 W)
const PLAIN = '3408030117000002'; // component 1: a lamp without a sensor

async function read(value: number, id = LAMP) {
  t += 60_000;
  const res = await server.post('/api/ingest/devices', { records: [{ kind: 'component', id, ts: t, status: 'online', metric: 'lamp-power', value }] });
  expect(res.status).toBe(200);
  await server.app.alarmService.idle();
}
const status = () => server.app.projector.devices.status.component[0];
const openAlarm = () => server.app.projector.alarms.openOfDevice(LAMP);

describe('sensor rules on the server', () => {
  it('raises on the crossing (alarm and case), holds between clear and raise, clears past clear; survives restarts', async () => {
    t = T0;
    server = await startTestServer({ clock });
    await read(120);
    expect(status()).toBe(0);
    expect(openAlarm()).toBeUndefined();
    await read(260);
    expect(status()).toBe(3);
    const alarm = openAlarm()!;
    expect(alarm).toMatchObject({ kind: 'sensor', metric: 'lamp-power', value: 260, eventClass: '0602', status: 'active' });
    expect(server.app.projector.cases.get(alarm.caseId!)).toMatchObject({ source: 'sensor', stage: 'reported' });
    await read(180); // between clear and raise: still in alarm, no second alarm
    await read(199);
    expect(status()).toBe(3);
    expect(openAlarm()!.id).toBe(alarm.id);
    await read(150);
    expect(status()).toBe(0);
    expect(server.app.projector.alarms.get(alarm.id)).toMatchObject({ status: 'cleared', clearedBy: 'system' });
    // The device no longer decides: a reported 'alarm' with a normal reading stays online…
    t += 60_000;
    await server.post('/api/ingest/devices', { records: [{ kind: 'component', id: LAMP, ts: t, status: 'alarm', metric: 'lamp-power', value: 110 }] });
    expect(status()).toBe(0);
    // …while a reported fault wins over the readings.
    await read(300);
    expect(status()).toBe(3);
    t += 60_000;
    await server.post('/api/ingest/devices', { records: [{ kind: 'component', id: LAMP, ts: t, status: 'fault', metric: 'lamp-power', value: 300 }] });
    expect(status()).toBe(2);
    await read(170); // back online, still past clear: the rule is raised
    expect(status()).toBe(3);
    // A component without a sensor ignores readings.
    await read(999, PLAIN);
    expect(server.app.projector.devices.status.component[1]).toBe(0);

    const detail = await server.get(`/api/devices/component/${LAMP}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ kind: 'component', id: LAMP, index: 0, status: 'alarm', info: { classCode: '0117', sensorized: true } });
    expect(detail.body.sensor.rule).toMatchObject({ direction: 'above', raise: 200, clear: 160 });
    expect(detail.body.sensor.readings.map((r: { value: number }) => r.value)).toEqual([120, 260, 180, 199, 150, 110, 300, 300, 170]);
    expect((await server.get('/api/devices/component/3408030117009999')).status).toBe(404);
    expect((await server.get('/api/devices/satellite/X')).status).toBe(400);

    // Restart from the checkpoint taken at close: same state, and the hysteresis state goes on.
    const dataDir = server.dataDir;
    const before = { status: status(), alarms: [...server.app.projector.alarms.open()].length };
    await server.close(false);
    server = await startTestServer({ clock, dataDir });
    expect(server.app.projectionStart.checkpointSeq).not.toBeNull();
    expect({ status: status(), alarms: [...server.app.projector.alarms.open()].length }).toEqual(before);
    expect((await server.get(`/api/devices/component/${LAMP}`)).body.sensor.readings).toHaveLength(9);
    await read(165); // still past clear
    expect(status()).toBe(3);

    // A rebuild from the whole log (no checkpoint) derives the same statuses and rule states.
    const rebuilt = new Projector(smallDistrict(), clock);
    for (let after = 0; ; ) {
      const page = (await server.app.store.readAfter(after, 1000));
      if (page.length === 0) break;
      rebuilt.apply(page, false);
      after = page[page.length - 1].seq;
    }
    expect([...rebuilt.devices.status.component]).toEqual([...server.app.projector.devices.status.component]);
    expect([...rebuilt.sensors.raised]).toEqual([...server.app.projector.sensors.raised]);
    expect(rebuilt.sensors.readings(0)).toEqual(server.app.projector.sensors.readings(0));
    await read(140);
    expect(status()).toBe(0);
    expect(openAlarm()).toBeUndefined();
  });

  it('samples a grid worker\'s patrol track every 30 s within the shift and starts afresh in the next', async () => {
    t = T0;
    server = await startTestServer({ clock });
    const at = (dt: number, lon: number) => ({ kind: 'worker', id: 'GW-0001', ts: T0 + dt, status: 'online', lon, lat: 30.5 });
    await server.post('/api/ingest/devices', { records: [at(0, 117.0), at(10_000, 117.001), at(31_000, 117.002), at(62_000, 117.003)] });
    t = T0 + 70_000;
    const d = (await server.get('/api/devices/worker/GW-0001')).body;
    expect(d.status).toBe('online');
    expect(d.track.map((p: { lon: number }) => p.lon)).toEqual([117.0, 117.002, 117.003]);
    expect(d.shift).toEqual({ start: Date.UTC(2026, 10, 23, 12), end: Date.UTC(2026, 10, 24, 0) });
    // 08:00 the next morning: a new shift, an empty track until the worker reports.
    t = Date.UTC(2026, 10, 24, 0, 1);
    expect((await server.get('/api/devices/worker/GW-0001')).body.track).toEqual([]);
    await server.post('/api/ingest/devices', { records: [{ ...at(0, 117.01), ts: t }] });
    expect((await server.get('/api/devices/worker/GW-0001')).body.track).toHaveLength(1);
  });

  it('patrol coverage per grid: the share of ~100 m cells of the grid its worker visited this shift', async () => {
    t = T0;
    const base = smallDistrict();
    // Grid 0: a square of about 1 km at the west (lon 117.00–117.0104), its worker GW-0001.
    const square = { type: 'Polygon' as const, coordinates: [[[117, 30.5], [117.0104, 30.5], [117.0104, 30.509], [117, 30.509], [117, 30.5]]] };
    const district = { ...base, gridGeometry: (g: number) => (g === 0 ? square : undefined), grid: (g: number) => (g === 0 ? { ...base.grid(0)!, code: '340803001002001', workerId: 'GW-0001' } : base.grid(g)) };
    server = await startTestServer({ clock, district });
    expect((await server.get('/api/workers/coverage')).body.grids).toEqual([{ index: 0, code: '340803001002001', workerId: 'GW-0001', coverage: 0, points: 0 }]);
    // A walk along the bottom row of cells, one position a minute.
    const records = Array.from({ length: 12 }, (_, k) => ({ kind: 'worker', id: 'GW-0001', ts: T0 + k * 60_000, status: 'online', lon: 117.0004 + k * 0.00087, lat: 30.5004 }));
    await server.post('/api/ingest/devices', { records });
    t = T0 + 13 * 60_000;
    const g = (await server.get('/api/workers/coverage')).body.grids[0];
    expect(g.points).toBe(12);
    expect(g.coverage).toBeGreaterThan(0.08);
    expect(g.coverage).toBeLessThan(0.12);
  });
});
