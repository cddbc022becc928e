// Emergency broadcasts over real HTTP, socket.io-client and MQTT (a mqtt.js client plays the
// broadcast platform's gateway) against a temporary SQLite file: a send is logged with its actor
// and targets, each target gets its command on linkage/cmd/broadcast/<point>, receipts
// move the progress that dashboards see in snapshots and deltas, a bad receipt is rejected without
// dropping its neighbours, and the sweep marks points that never answered.
import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Actor } from '../core/org.ts';
import type { BroadcastState, BroadcastSummary } from '../core/broadcast.ts';
import { commandFilter, commandTopic, rejectedTopic, uplinkTopic } from '../core/field.ts';
import { nextDelta, smallDistrict, startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
let t = T0;
const clock = { now: () => t };

/** The broadcast platform's gateway over MQTT: takes every broadcast command, answers on its uplink. */
class Gateway {
  commands: Array<{ topic: string; payload: any }> = [];
  rejected: any[] = [];
  constructor(readonly client: MqttClient) {
    client.on('message', (topic, buf) => {
      const payload = JSON.parse(buf.toString());
      if (topic === rejectedTopic('test')) this.rejected.push(payload);
      else this.commands.push({ topic, payload });
    });
  }
  static async connect(url: string): Promise<Gateway> {
    const g = new Gateway(await connectAsync(url, { username: 'test', password: TEST_KEY, reconnectPeriod: 200, connectTimeout: 5000 }));
    await g.client.subscribeAsync([commandFilter('broadcast'), rejectedTopic('test')], { qos: 1 });
    return g;
  }
  /** Resolves on the PUBACK, which the server sends after the accepted receipts are committed. */
  answer(records: unknown[]) {
    return this.client.publishAsync(uplinkTopic('test', 'broadcast-receipts'), JSON.stringify({ records }), { qos: 1 });
  }
}

/** Points 1–3 in the west (德宽路街道 / 马山社区), 4–5 in the east (玉琳路街道). */
function district() {
  const d = smallDistrict();
  const point = (i: number) => ({ ...d.placedDevice('broadcast', i)!, lon: i < 3 ? 117.01 + i * 0.001 : 117.08 + i * 0.001, lat: 30.5 });
  const placedDevice: typeof d.placedDevice = (kind, i) => (kind === 'broadcast' ? point(i) : d.placedDevice(kind, i));
  return { ...d, placedDevice };
}

const A = {
  dispatcher: { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' },
  township2: { id: 't2', name: '玉琳路坐席', role: 'township-operator', org: '340803002' },
  display: { id: 'screen', name: '大屏', role: 'display', org: '340803' },
  worker: { id: 'GW-0001', name: '网格员1', role: 'grid-worker', org: '340803001002' },
} satisfies Record<string, Actor>;

// 一般 (normal): sent at once. 紧急/特急 wait for a leader's approval (server/broadcast-approval.test.ts).
const MESSAGE = { text: '  防汛紧急通知：请低洼地带居民立即转移  ', priority: 'normal', repeat: 2 } as const;

let server: TestServer;
let gw: Gateway | null = null;

afterEach(async () => {
  await gw?.client.endAsync(true).catch(() => {});
  gw = null;
  await server?.close();
});

async function start(dataDir?: string) {
  server = await startTestServer({ clock, district: district(), ...(dataDir ? { dataDir } : {}) });
  gw = await Gateway.connect(server.mqttUrl);
}

describe('emergency broadcast', () => {
  it('send → logged with actor → one command per target → receipts and the sweep complete it, live on the dashboard', async () => {
    t = T0;
    await start();
    const { client, snapshot } = await server.connect({ actor: A.dispatcher });
    expect(snapshot.broadcasts).toEqual([]);

    const ack = await client.emitWithAck('broadcast:send', { message: MESSAGE, selection: { mode: 'scope', code: '340803' } });
    if (!ack.ok) throw new Error(ack.message);
    const b = ack.data;
    expect(b).toMatchObject({ status: 'sent', actor: { id: 'd1', role: 'dispatcher' }, message: { text: '防汛紧急通知：请低洼地带居民立即转移' }, progress: { targets: 5, pending: 5 } });

    // Logged with actor, message, selection and the resolved targets.
    const sent = (await server.app.store.readAfter(0, 100)).filter((e) => e.type === 'broadcast:sent');
    expect(sent).toHaveLength(1);
    expect(sent[0].data).toMatchObject({ actor: { id: 'd1' }, at: T0, selection: { mode: 'scope', code: '340803' }, targets: ['BC-0001', 'BC-0002', 'BC-0003', 'BC-0004', 'BC-0005'] });

    // One command per target on linkage/cmd/broadcast/<point>.
    await expect.poll(() => gw!.commands.length, { timeout: 5000, interval: 20 }).toBe(5);
    expect(gw!.commands.map((p) => p.topic).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `linkage/cmd/broadcast/BC-000${i}`));
    expect(gw!.commands[0].payload).toEqual({ broadcastId: b.id, text: '防汛紧急通知：请低洼地带居民立即转移', priority: 'normal', repeat: 2 });

    // Receipts: two delivered, one failed, one malformed and one for a point not targeted — the good ones are kept.
    const progressed = nextDelta(client, (d) => (d.broadcasts ?? []).some((x) => x.id === b.id && x.progress.pending === 2));
    await gw!.answer([
      { broadcastId: b.id, pointId: 'BC-0001', ts: T0 + 2000, ok: true },
      { broadcastId: b.id, pointId: 'BC-0002', ts: T0 + 2100, ok: 'yes' },
      { broadcastId: b.id, pointId: 'BC-0002', ts: T0 + 2200, ok: true },
      { broadcastId: b.id, pointId: 'BC-0003', ts: T0 + 2300, ok: false, reason: '功放故障' },
      { broadcastId: b.id, pointId: 'BC-9999', ts: T0 + 2300, ok: true },
      { broadcastId: 'B-NOPE', pointId: 'BC-0004', ts: T0 + 2300, ok: true },
    ]);
    await expect.poll(() => gw!.rejected.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(gw!.rejected[0].rejected.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual([[1, '/ok'], [4, '/pointId'], [5, '/broadcastId']]);
    const d1 = await progressed;
    expect(d1.broadcasts!.find((x) => x.id === b.id)).toMatchObject({ status: 'delivering', progress: { targets: 5, delivered: 2, failed: 1, noAnswer: 0, pending: 2 } });
    // Logged batched per message: one delivered event with both points, one failed event.
    const logged = (await server.app.store.readAfter(0, 100)).filter((e) => e.type.startsWith('broadcast:'));
    expect(logged.map((e) => e.type)).toEqual(['broadcast:sent', 'broadcast:delivered', 'broadcast:failed']);
    expect((logged[1].data as { receipts: unknown[] }).receipts).toHaveLength(2);

    // A redelivered receipt (QoS 1) is acknowledged and changes nothing.
    await gw!.answer([{ broadcastId: b.id, pointId: 'BC-0001', ts: T0 + 2000, ok: true }]);
    expect((await server.app.store.readAfter(0, 100)).filter((e) => e.type.startsWith('broadcast:'))).toHaveLength(3);
    expect(gw!.rejected).toHaveLength(1);

    // Before the deadline the sweep leaves pending points alone; after it they are no-answer and the broadcast completes.
    t = b.deadline - 1;
    expect(await server.app.broadcastService.sweep()).toBe(0);
    const completed = nextDelta(client, (d) => (d.broadcasts ?? []).some((x) => x.id === b.id && x.status === 'completed'));
    t = b.deadline;
    expect(await server.app.broadcastService.sweep()).toBe(2);
    const done = (await completed).broadcasts!.find((x) => x.id === b.id)!;
    expect(done.progress).toEqual({ targets: 5, pending: 0, delivered: 2, failed: 1, noAnswer: 2 });
    expect(done.progress.delivered + done.progress.failed + done.progress.noAnswer).toBe(done.progress.targets);
    expect(done.completedAt).toBe(b.deadline);

    // Per-point detail over HTTP; history lists it with who sent it.
    const detail = await server.get(`/api/broadcasts/${b.id}`);
    expect(detail.status).toBe(200);
    const points = (detail.body.data as BroadcastState).points;
    expect(points['BC-0003']).toEqual({ status: 'failed', at: T0 + 2300, reason: '功放故障' });
    expect(points['BC-0005'].status).toBe('no-answer');
    const history = await server.get('/api/broadcasts');
    expect((history.body.data as BroadcastSummary[]).map((x) => [x.id, x.actor.name])).toEqual([[b.id, '区派遣员']]);

    // A new dashboard gets it in its snapshot; a township screen sees it because it reached its points.
    expect((await server.connect()).snapshot.broadcasts?.[0]).toMatchObject({ id: b.id, status: 'completed' });
    expect((await server.connect({ scope: '340803002' })).snapshot.broadcasts?.map((x) => x.id)).toEqual([b.id]);

    // The projection is rebuilt from the log after a restart.
    const dir = server.dataDir;
    await gw!.client.endAsync(true);
    await server.close(false);
    await start(dir);
    const again = await server.get(`/api/broadcasts/${b.id}`);
    expect(again.body.data.progress).toEqual(done.progress);
  });

  it('who may send: district staff anywhere, township staff only in their area, displays and grid workers never; bad input names its field', async () => {
    t = T0;
    await start();
    const post = (actor: Actor, selection: unknown, message: unknown = MESSAGE) => server.post('/api/broadcasts', { actor, message, selection });
    const east = { mode: 'area', ring: [[117.07, 30.49], [117.1, 30.49], [117.1, 30.51], [117.07, 30.51]] };
    const ok = await post(A.township2, east);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.data.progress.targets).toBe(2);

    const outside = await post(A.township2, { mode: 'scope', code: '340803' });
    expect(outside.status).toBe(403);
    expect(outside.body.message).toMatch(/3 of the 5 selected points lie outside your area/);
    expect((await post(A.display, east)).status).toBe(403);
    expect((await post(A.worker, { mode: 'radius', lon: 117.01, lat: 30.5, radiusM: 500 })).status).toBe(403);

    const bowTie = await post(A.dispatcher, { mode: 'area', ring: [[117, 30.5], [117.01, 30.51], [117.01, 30.5], [117, 30.51]] });
    expect(bowTie.status).toBe(422);
    expect(bowTie.body.message).toMatch(/\/selection\/ring the drawn area crosses itself/);
    expect((await post(A.dispatcher, { mode: 'radius', lon: 117.01, lat: 30.5, radiusM: 20_000 })).body.message).toMatch(/radiusM/);
    expect((await post(A.dispatcher, east, { ...MESSAGE, text: '   ' })).body.message).toMatch(/\/message\/text must not be blank/);
    expect((await post(A.dispatcher, east, { ...MESSAGE, priority: 'loud' })).body.message).toMatch(/\/message\/priority must be one of: normal, urgent, emergency/);
    expect((await post(A.dispatcher, { mode: 'radius', lon: 118, lat: 31, radiusM: 100 })).body.message).toMatch(/reaches no broadcast point/);

    // Over the socket: a display is refused with a coded error.
    const { client } = await server.connect();
    const refused = await client.emitWithAck('broadcast:send', { message: MESSAGE, selection: east as never });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    // Only the one allowed send was logged and published.
    expect((await server.app.store.readAfter(0, 100)).filter((e) => e.type === 'broadcast:sent')).toHaveLength(1);
    // A marker published by the server after the refusals: the gateway gets the server's commands in
    // the order they were published, so any command a refusal had sent would arrive before it.
    await server.app.field.publish(commandTopic('broadcast', 'MARKER'), { marker: true });
    const marker = commandTopic('broadcast', 'MARKER');
    await expect.poll(() => gw!.commands.some((c) => c.topic === marker), { timeout: 5000, interval: 20 }).toBe(true);
    expect(gw!.commands.map((c) => c.topic).filter((topic) => topic !== marker).sort()).toEqual(['linkage/cmd/broadcast/BC-0004', 'linkage/cmd/broadcast/BC-0005']);
  });
});
