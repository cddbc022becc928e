// Flood season over the public ingest: an embankment gauge's stage readings over HTTP cross the
// warning level (安庆 17.0 m, two readings in a row) → a sensor alarm raised and sent to screens,
// the gauge's stage in the realtime delta and the snapshot; weather observations over MQTT are
// stored, projected and sent; bad records are refused with the field named and their neighbours kept.
import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { rejectedTopic, uplinkTopic } from '../core/field.ts';
import { nextDelta, nextEvent, smallDistrict, startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 6, 12, 2, 0); // flood season, 10:00 Asia/Shanghai
const GAUGE = '3408030601000002'; // component 19
const OTHER = '3408030601000001'; // component 18
let server: TestServer;
let gw: MqttClient | null = null;
afterEach(async () => {
  await gw?.endAsync(true).catch(() => {});
  gw = null;
  await server?.close();
});

const stage = (id: string, ts: number, value: unknown) => ({ kind: 'component', id, ts, status: 'online', metric: 'water-level', value });
const obs = (over: Record<string, unknown> = {}) => ({ stationId: '58424', ts: T0, rainMmH: 32.5, windMs: 12.4, windDirDeg: 45, temperatureC: 26.1, humidityPct: 96, warnings: [{ type: 'rainstorm', level: 'red' }], ...over });

describe('flood gauges and weather over ingest', () => {
  it('a gauge crossing its warning level raises an alarm the screen is sent; a bad reading is refused, its neighbour kept', async () => {
    server = await startTestServer({ district: smallDistrict({ gauges: 2 }) });
    const { client, snapshot } = await server.connect();
    expect(snapshot.flood?.levels).toMatchObject({ station: '安庆', warning: 17, guarantee: 18.7 });
    expect(snapshot.flood?.gauges).toEqual([]);

    const below = await server.post('/api/ingest/devices', { records: [stage(GAUGE, T0, 16.85), stage(OTHER, T0, 15.2)] });
    expect(below.status).toBe(200);
    const once = await server.post('/api/ingest/devices', { records: [stage(GAUGE, T0 + 600_000, 17.05)] });
    expect(once.status).toBe(200);
    await server.app.alarmService.idle();
    // One reading at the warning level is not yet an alarm: the rule wants two in a row.
    expect(server.app.projector.alarms.openOfDevice(GAUGE)).toBeUndefined();

    const raised = nextEvent(client, 'alarm:raised', (a) => a.deviceId === GAUGE, 10_000);
    const delta = nextDelta(client, (d) => (d.gauges ?? []).some((g) => g.index === 19 && g.value === 17.2), 10_000);
    const mixed = await server.post('/api/ingest/devices', { records: [stage(OTHER, T0 + 1_200_000, 'high'), stage(GAUGE, T0 + 1_200_000, 17.2)] });
    expect(mixed.status).toBe(207);
    expect(mixed.body.rejected).toEqual([{ index: 0, id: OTHER, field: '/value', code: 'INVALID_RECORD', message: 'must be number' }]);
    expect(mixed.body.accepted).toBe(1);

    const alarm = await raised;
    // A river flood alarm (江河水位超警戒), not a storm drain's 道路积水 (0503).
    expect(alarm).toMatchObject({ kind: 'sensor', metric: 'water-level', value: 17.2, status: 'active', deviceId: GAUGE, eventClass: '0506' });
    const d = await delta;
    expect(d.gauges!.find((g) => g.index === 19)).toEqual({ index: 19, ts: T0 + 1_200_000, value: 17.2, prevTs: T0 + 600_000, prevValue: 17.05 });
    // The gauge's rule is its warning level, and the detail keeps its readings.
    const detail = await server.get(`/api/devices/component/${GAUGE}`);
    expect(detail.body.sensor.rule).toMatchObject({ raise: 17, clear: 16.8, consecutive: 2 });
    expect(detail.body.sensor.readings.map((r: { value: number }) => r.value)).toEqual([16.85, 17.05, 17.2]);

    // A new screen starts from the latest stage of each gauge that reported.
    const again = await server.connect();
    expect(again.snapshot.flood!.gauges.map((g) => [g.index, g.value]).sort()).toEqual([[18, 15.2], [19, 17.2]]);
    expect(again.snapshot.alarms.map((a) => a.deviceId)).toContain(GAUGE);
  });

  it('crossing the guarantee level raises its own 超保证 alarm and case on top of the 超警戒 one; falling back clears each at its own level', async () => {
    server = await startTestServer({ district: smallDistrict({ gauges: 2 }) });
    const { client } = await server.connect();
    const post = async (ts: number, value: number) => expect((await server.post('/api/ingest/devices', { records: [stage(GAUGE, ts, value)] })).status).toBe(200);
    const open = () => server.app.projector.alarms.openAllOfDevice(GAUGE).map((a) => a.eventClass).sort();

    const warning = nextEvent(client, 'alarm:raised', (a) => a.deviceId === GAUGE, 10_000);
    await post(T0, 17.4);
    await post(T0 + 600_000, 18.0);
    expect(await warning).toMatchObject({ eventClass: '0506', value: 18.0 });
    await post(T0 + 1_200_000, 18.75); // once at the guarantee level: not yet confirmed
    await server.app.alarmService.idle();
    expect(open()).toEqual(['0506']);

    const guarantee = nextEvent(client, 'alarm:raised', (a) => a.deviceId === GAUGE && a.eventClass === '0507', 10_000);
    await post(T0 + 1_800_000, 18.9);
    const severe = await guarantee;
    expect(severe).toMatchObject({ kind: 'sensor', value: 18.9, status: 'active' });
    await server.app.alarmService.idle();
    expect(open()).toEqual(['0506', '0507']);
    // Each opened its own urgent case, titled by its class.
    const cases = [...server.app.projector.cases.all()].filter((c) => c.reporter === GAUGE).map((c) => [c.eventClass, c.urgency, c.title.endsWith(c.eventClass === '0507' ? '江河水位超保证' : '江河水位超警戒')]).sort();
    expect(cases).toEqual([['0506', 'urgent', true], ['0507', 'urgent', true]]);

    // 18.5 is 0.2 m below the guarantee level: the 超保证 alarm clears, the 超警戒 one stays.
    await post(T0 + 2_400_000, 18.5);
    await server.app.alarmService.idle();
    expect(open()).toEqual(['0506']);
    expect(server.app.projector.alarms.get(severe.id)).toMatchObject({ status: 'cleared', clearedBy: 'system' });
    await post(T0 + 3_000_000, 16.8);
    await server.app.alarmService.idle();
    expect(open()).toEqual([]);
  });

  it('a gauge that reports a fault above 保证 loses both alarms; its next high reading brings both back', async () => {
    server = await startTestServer({ district: smallDistrict({ gauges: 2 }) });
    const post = async (ts: number, record: Record<string, unknown>) => expect((await server.post('/api/ingest/devices', { records: [record] })).status).toBe(200);
    const open = async () => {
      await server.app.alarmService.idle();
      return server.app.projector.alarms.openAllOfDevice(GAUGE).map((a) => a.eventClass).sort();
    };
    await post(T0, stage(GAUGE, T0, 18.8));
    await post(T0, stage(GAUGE, T0 + 600_000, 18.9));
    expect(await open()).toEqual(['0506', '0507']);
    // The gauge reports a fault: its readings cannot be trusted, so neither alarm stands.
    await post(T0, { kind: 'component', id: GAUGE, ts: T0 + 900_000, status: 'fault' });
    expect(await open()).toEqual([]);
    // Working again and still above 保证: both come back at once, as they stood before the fault.
    await post(T0, stage(GAUGE, T0 + 1_200_000, 18.95));
    expect(await open()).toEqual(['0506', '0507']);
  });

  it('weather observations over MQTT are stored and sent; an unknown station or a colour that is none is refused, the rest kept', async () => {
    server = await startTestServer();
    const { client } = await server.connect();
    gw = await connectAsync(server.mqttUrl, { username: 'test', password: TEST_KEY, reconnectPeriod: 200, connectTimeout: 5000 });
    await gw.subscribeAsync(rejectedTopic('test'), { qos: 1 });
    const rejections: Array<{ rejected: Array<{ index: number; field: string; code: string; message: string }> }> = [];
    gw.on('message', (t, p) => t === rejectedTopic('test') && rejections.push(JSON.parse(p.toString())));

    const delta = nextDelta(client, (d) => (d.weather ?? []).length > 0, 10_000);
    const bad = [obs({ stationId: '99999', ts: T0 + 1 }), obs({ ts: T0 + 2, warnings: [{ type: 'rainstorm', level: 'purple' }] }), obs({ ts: T0 + 3, warnings: [{ type: 'gale', level: 'blue' }, { type: 'gale', level: 'red' }] })];
    await gw.publishAsync(uplinkTopic('test', 'weather'), JSON.stringify({ records: [obs(), ...bad] }), { qos: 1 });
    // Acknowledged (PUBACK) only after the commit: the good one is in the projection already.
    expect(server.app.projector.weather.latest('58424')).toMatchObject({ ts: T0, rainMmH: 32.5, warnings: [{ type: 'rainstorm', level: 'red' }] });
    expect((await delta).weather).toEqual([obs()]);
    await expect.poll(() => rejections.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(rejections[0].rejected.map((r) => [r.index, r.field, r.code])).toEqual([[1, '/stationId', 'UNKNOWN_DEVICE'], [2, '/warnings/0/level', 'INVALID_RECORD'], [3, '/warnings/1/type', 'INVALID_RECORD']]);
    expect(rejections[0].rejected[1].message).toBe('must be one of: blue, yellow, orange, red');

    // The same shape over HTTP; a restart from the checkpoint keeps what was observed.
    const http = await server.post('/api/ingest/weather', { records: [obs({ ts: T0 + 1_800_000, rainMmH: 8, warnings: [] })] });
    expect(http.status).toBe(200);
    const dataDir = server.dataDir;
    await server.close(false);
    server = await startTestServer({ dataDir, config: { checkpointEveryMs: 0 } });
    const { snapshot } = await server.connect();
    expect(snapshot.weather!.stations.map((s) => s.id)).toEqual(['58424']);
    expect(snapshot.weather!.observations.map((o) => [o.ts, o.rainMmH])).toEqual([[T0, 32.5], [T0 + 1_800_000, 8]]);
  });
});
