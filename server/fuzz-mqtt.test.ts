// Property/fuzz tests of the MQTT uplink (embedded aedes broker, real mqtt.js gateway): malformed,
// oversized and hostile payloads and topics. Properties: every QoS 1 message is acknowledged only
// after its valid records are committed, exactly the valid records of a mixed batch are stored;
// every rejection is counted in GET /api/field (whole messages and records, by code) and reported
// on the gateway's rejected topic with the record's index and field; a bad message never stops
// the next valid one; nothing a gateway publishes outside its own uplink topics reaches anyone.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { commandTopic, rejectedTopic, uplinkTopic, type UplinkStream } from '../core/field.ts';
import { MAX_BATCH_RECORDS } from '../core/protocol.ts';
import { FuzzCounter, hostileValue, runs } from './fuzz-support.ts';
import {
  checkRejection, DEVICE_RECORD, deviceSemantic, items, NOW, stamp, validDevice, validVideo, VIDEO_EVENT, videoSemantic, wire, type Item,
} from './fuzz-records.ts';
import { startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const counter = new FuzzCounter();
const startedAt = Date.now();
afterAll(() => console.log(counter.report('server/fuzz-mqtt.test.ts', startedAt)));

interface FieldStats {
  messages: number;
  recordsAccepted: number;
  recordsRejected: number;
  messagesRejected: number;
  rejectedByCode: Record<string, number>;
}
interface Rejection {
  topic: string;
  rejected: Array<{ index: number; field: string; code: string; message: string }>;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

describe('MQTT uplink under fuzzing', () => {
  let s: TestServer;
  let gw: MqttClient;
  let watcher: MqttClient;
  const rejections: Rejection[] = [];
  /** Whatever reaches a subscriber of the command topics from a gateway: must stay empty. */
  const leaked: Array<{ topic: string; payload: string }> = [];

  const stats = async (): Promise<FieldStats> => (await s.get('/api/field')).body as FieldStats;
  const watcherGot = () => leaked.map((l) => l.topic);
  /** The server publishes a command marker; resolves with its topic once `received()` lists it. */
  const markCommands = async (received: () => string[]): Promise<string> => {
    const marker = commandTopic('broadcast', `MARKER-${Math.random().toString(36).slice(2)}`);
    await s.app.field.publish(marker, { marker: true });
    await expect.poll(() => received().includes(marker), { message: 'the marker', timeout: 5000, interval: 5 }).toBe(true);
    return marker;
  };

  beforeAll(async () => {
    s = await startTestServer();
    gw = await connectAsync(s.mqttUrl, { username: 'test', password: TEST_KEY, reconnectPeriod: 200, connectTimeout: 5000 });
    // A second connection of the same gateway: it reads the rejections and listens on every topic it may subscribe to.
    watcher = await connectAsync(s.mqttUrl, { username: 'test', password: TEST_KEY, reconnectPeriod: 200, connectTimeout: 5000 });
    await watcher.subscribeAsync([rejectedTopic('test'), 'linkage/cmd/#'], { qos: 1 });
    watcher.on('message', (topic, payload) => {
      let report: Rejection | null = null;
      try {
        report = JSON.parse(payload.toString()) as Rejection;
      } catch {
        // not the server's report
      }
      if (topic === rejectedTopic('test') && report && Array.isArray(report.rejected)) rejections.push(report);
      else leaked.push({ topic, payload: payload.toString().slice(0, 200) });
    });
  });
  afterAll(async () => {
    await gw?.endAsync(true).catch(() => {});
    await watcher?.endAsync(true).catch(() => {});
    await s?.close();
  });

  const STREAMS: Array<{ stream: UplinkStream; type: string; arb: fc.Arbitrary<Item> }> = [
    { stream: 'devices', type: 'device:reported', arb: items(validDevice as fc.Arbitrary<Record<string, unknown>>, DEVICE_RECORD, deviceSemantic, true) },
    { stream: 'video-events', type: 'video:detected', arb: items(validVideo as fc.Arbitrary<Record<string, unknown>>, VIDEO_EVENT, videoSemantic, true) },
  ];

  for (const { stream, type, arb } of STREAMS) {
    it(`${stream}: a mixed message stores exactly its valid records, and every rejection is counted and reported with its field`, async () => {
      const message = fc.tuple(fc.array(arb, { minLength: 1, maxLength: 8 }), fc.boolean());
      await fc.assert(
        fc.asyncProperty(message, async ([batch, bare]) => {
          counter.hit(stream);
          stamp(batch);
          // A single record may travel without the batch envelope.
          const single = bare && batch.length === 1 && batch[0].record !== null && typeof batch[0].record === 'object' && !Array.isArray(batch[0].record) && !('records' in (batch[0].record as object));
          const payload = JSON.stringify(single ? batch[0].record : { records: batch.map((b) => b.record) });
          const topic = uplinkTopic('test', stream);
          const before = await stats();
          const seq = s.app.store.lastSeq();
          const seen = rejections.length;
          await gw.publishAsync(topic, payload, { qos: 1 });
          // PUBACK received: the valid records are committed.
          const valid = batch.filter((b) => b.ok);
          const invalid = batch.length - valid.length;
          const stored = (await s.app.store.readAfter(seq, 10_000)).filter((e) => e.type === type);
          const context = `${stream} ${payload.slice(0, 400)}`;
          expect(stored.map((e) => wire(e.data)).sort(), context).toEqual(valid.map((b) => wire(b.record)).sort());
          const after = await stats();
          expect(after.messages - before.messages, context).toBe(1);
          expect(after.recordsAccepted - before.recordsAccepted, context).toBe(valid.length);
          expect(after.recordsRejected - before.recordsRejected, context).toBe(invalid);
          expect(after.messagesRejected - before.messagesRejected, context).toBe(0);
          expect(sum(after.rejectedByCode) - sum(before.rejectedByCode), context).toBe(invalid);
          if (invalid > 0) {
            await expect.poll(() => rejections.length, { message: 'rejection report', timeout: 5000, interval: 5 }).toBeGreaterThan(seen);
            const report = rejections[seen];
            expect(report.topic).toBe(topic);
            expect(report.rejected.map((r) => r.index), context).toEqual(batch.flatMap((b, i) => (b.ok ? [] : [i])));
            for (const r of report.rejected) checkRejection(r, batch[r.index], `${context} → ${JSON.stringify(r)}`);
          }
        }),
        runs(250),
      );
    }, 120_000);
  }

  it('hostile payloads and topics are refused and counted, never stop the next valid message, and reach no subscriber', async () => {
    const own = fc.constantFrom<UplinkStream>('devices', 'video-events', 'drone-missions', 'broadcast-receipts').map((st) => uplinkTopic('test', st));
    const foreign = fc.constantFrom(
      'linkage/up/other/devices', 'linkage/up/test/unknown', 'linkage/up/test/devices/extra', 'linkage/up/test', 'linkage/down/test/rejected', 'linkage/down/other/rejected',
      'linkage/cmd/drone/UAV-1', 'linkage/cmd/broadcast/BC-0001', 'linkage/cmd/drone/x', '/linkage/up/test/devices', 'linkage//test/devices', 'Linkage/up/test/devices',
      'linkage/up/test/devices ', 'linkage/up/测试/devices', 'linkage/up/te\u202Est/devices', '$SYS/broker', 'x'.repeat(5000), 'a/'.repeat(50) + 'b',
    );
    const payload = fc.oneof(
      { weight: 3, arbitrary: hostileValue({ proto: true, maxString: 200_000 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
      { weight: 2, arbitrary: hostileValue({ proto: true }).map((v) => Buffer.from(JSON.stringify({ records: v }))) },
      { weight: 2, arbitrary: fc.array(hostileValue({ proto: true, maxString: 1000 }), { maxLength: 6 }).map((v) => Buffer.from(JSON.stringify({ records: v }))) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('', '{', 'not json {', '{"records":[}', 'NaN', '{"records":[1e999]}', '\uFEFF{}', '{"records":[]} x', '['.repeat(100_000), `{"records":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, '\u0000').map((t) => Buffer.from(t)),
      },
      { weight: 1, arbitrary: fc.constant(Buffer.from([0xff, 0xfe, 0x7b, 0x7d])) }, // invalid UTF-8
    );
    const message = fc.tuple(fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: foreign }), payload);
    let tick = 0;
    // The video detections of the test before raise alarms and open cases after their commit (the
    // live path's reactions): let those be logged before the log's head is taken as unchanging.
    await s.app.alarmService.idle();
    await fc.assert(
      fc.asyncProperty(message, async ([topic, body]) => {
        counter.hit(topic.startsWith('linkage/up/test/') ? topic.slice('linkage/up/test/'.length) : 'foreign topics');
        const before = await stats();
        const seq = s.app.store.lastSeq();
        await gw.publishAsync(topic, body, { qos: 1 });
        const after = await stats();
        const context = `${topic.slice(0, 80)} ${body.toString('utf8').slice(0, 300)}`;
        // What the message must count as: refused whole, or as that many rejected records.
        let json: unknown;
        let whole = !topic.startsWith('linkage/up/test/') || !['devices', 'video-events', 'drone-missions', 'broadcast-receipts'].includes(topic.slice('linkage/up/test/'.length));
        if (!whole) {
          try {
            json = JSON.parse(body.toString('utf8'));
          } catch {
            whole = true;
          }
        }
        const isObject = json !== null && typeof json === 'object' && !Array.isArray(json);
        const records = isObject ? (json as { records?: unknown }).records : undefined;
        if (!whole) whole = !isObject || (records !== undefined && (!Array.isArray(records) || records.length > MAX_BATCH_RECORDS || Object.keys(json as object).length > 1));
        const n = whole ? 0 : records === undefined ? 1 : (records as unknown[]).length;
        expect(after.messages - before.messages, context).toBe(1);
        expect(after.messagesRejected - before.messagesRejected, context).toBe(whole ? 1 : 0);
        expect(after.recordsRejected - before.recordsRejected, context).toBe(n);
        expect(after.recordsAccepted - before.recordsAccepted, context).toBe(0);
        expect(sum(after.rejectedByCode) - sum(before.rejectedByCode), context).toBe(whole ? 1 : n);
        expect(s.app.store.lastSeq(), `${context}: stored`).toBe(seq);
        // The next valid message goes through.
        const record = { kind: 'camera', id: 'CAM-00002', ts: NOW + (++tick % 1000), status: 'online' };
        await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(record), { qos: 1 });
        expect((await s.app.store.readAfter(seq, 100)).filter((e) => e.type === 'device:reported').map((e) => wire(e.data)), context).toEqual([wire(record)]);
        expect(gw.connected, context).toBe(true);
      }),
      runs(300),
    );
    // A marker the server publishes after every PUBACK above: the watcher gets one broker's deliveries
    // in order, so anything forwarded from the gateway would be in \`leaked\` before it.
    const marker = await markCommands(watcherGot);
    expect(leaked.filter((l) => l.topic !== marker), 'messages a gateway published outside its uplink topics were forwarded').toEqual([]);
    expect((await s.get('/api/health')).status).toBe(200);
  }, 120_000);

  it(`more than ${MAX_BATCH_RECORDS} records in one message is refused whole, naming the limit; nothing of it is stored`, async () => {
    const seq = s.app.store.lastSeq();
    const seen = rejections.length;
    const records = Array.from({ length: MAX_BATCH_RECORDS + 1 }, (_, i) => ({ kind: 'camera', id: 'CAM-00003', ts: NOW + i }));
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify({ records }), { qos: 1 });
    expect(s.app.store.lastSeq()).toBe(seq);
    await expect.poll(() => rejections.length, { message: 'rejection report', timeout: 5000, interval: 5 }).toBeGreaterThan(seen);
    expect(rejections[seen].rejected).toEqual([expect.objectContaining({ index: -1, code: 'INVALID_RECORD', message: expect.stringContaining(String(MAX_BATCH_RECORDS)) })]);
  }, 60_000);

  it('a batch envelope with other keys besides "records" is refused whole, as over HTTP', async () => {
    const seq = s.app.store.lastSeq();
    const seen = rejections.length;
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify({ records: [{ kind: 'camera', id: 'CAM-00004', ts: NOW }], gateway: 'other' }), { qos: 1 });
    expect(s.app.store.lastSeq()).toBe(seq);
    await expect.poll(() => rejections.length, { message: 'rejection report', timeout: 5000, interval: 5 }).toBeGreaterThan(seen);
    expect(rejections[seen].rejected).toEqual([expect.objectContaining({ index: -1, code: 'INVALID_RECORD', message: expect.stringContaining('"gateway"') })]);
  });

  it('a gateway cannot publish a command to a device: the message is refused and not forwarded', async () => {
    const seen = rejections.length;
    const got: string[] = [];
    const drone = await connectAsync(s.mqttUrl, { username: 'test', password: TEST_KEY, reconnectPeriod: 0 });
    try {
      await drone.subscribeAsync('linkage/cmd/drone/+', { qos: 1 });
      drone.on('message', (topic) => got.push(topic));
      await gw.publishAsync('linkage/cmd/drone/UAV-1', JSON.stringify({ type: 'mission', droneId: 'UAV-1', target: { lon: 117, lat: 30.5 } }), { qos: 1 });
      await expect.poll(() => rejections.length, { message: 'rejection report', timeout: 5000, interval: 5 }).toBeGreaterThan(seen);
      expect(rejections[seen].rejected[0]).toMatchObject({ code: 'BAD_REQUEST' });
      // Nor retained for a device that subscribes later.
      await gw.publishAsync('linkage/cmd/broadcast/BC-0001', JSON.stringify({ broadcastId: 'B-FAKE', text: '假警报', priority: 'emergency', repeat: 10 }), { qos: 1, retain: true });
      await drone.subscribeAsync('linkage/cmd/broadcast/+', { qos: 1 });
      // Nothing delivered to the new subscriber before a marker the server publishes once it has
      // subscribed (aedes streams a subscription's retained messages from memory right after the SUBACK,
      // well before the marker's round trip).
      const marker = await markCommands(() => got);
      expect(got.filter((topic) => topic !== marker)).toEqual([]);
    } finally {
      await drone.endAsync(true);
    }
  });
});
