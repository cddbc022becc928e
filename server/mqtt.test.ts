// The MQTT field link over real brokers: the embedded aedes broker, and Debian's Mosquitto (started
// here) as an external broker with a shared subscription split across two ingest nodes.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { commandFilter, commandTopic, rejectedTopic, uplinkTopic } from '../core/field.ts';
import { freePort } from '../scripts/free-port.ts';
import { StoreUnavailableError } from './store/event-store.ts';
import { startTestServer, TEST_KEY, until, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);
const cam = (i: number, ts = T0) => ({ kind: 'camera', id: `CAM-${String(i).padStart(5, '0')}`, ts, status: 'online' });

let servers: TestServer[] = [];
let clients: MqttClient[] = [];
let mosquitto: ChildProcess | null = null;
afterEach(async () => {
  for (const c of clients) await c.endAsync(true).catch(() => {});
  for (const s of servers) await s.close();
  mosquitto?.kill('SIGKILL');
  servers = [];
  clients = [];
  mosquitto = null;
});

async function server(opts: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(opts);
  servers.push(s);
  return s;
}

async function gateway(url: string, username = 'test', password = TEST_KEY, extra: object = {}): Promise<MqttClient> {
  const c = await connectAsync(url, { username, password, reconnectPeriod: 200, connectTimeout: 5000, ...extra });
  clients.push(c);
  return c;
}

/** Events of one device id in the log. */
async function logged(s: TestServer, id: string): Promise<number> {
  return (await s.app.store.readAfter(0, 100_000)).filter((e) => e.subject === id).length;
}

function collect(c: MqttClient, topic: string): unknown[] {
  const got: unknown[] = [];
  c.on('message', (t, payload) => t === topic && got.push(JSON.parse(payload.toString())));
  return got;
}


describe('embedded MQTT broker', () => {
  it('acknowledges a QoS 1 batch only once its records are committed and projected', async () => {
    const s = await server();
    const gw = await gateway(s.mqttUrl);
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify({ records: [cam(1), cam(2, T0 + 1)] }), { qos: 1 });
    // The PUBACK has arrived: both records must be in the log and in the projection already.
    expect((await logged(s, 'CAM-00001')) + (await logged(s, 'CAM-00002'))).toBe(2);
    expect(s.app.projector.devices.countsOf('camera').online).toBe(2);
    // A single record without the batch envelope works too.
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(3)), { qos: 1 });
    expect((await logged(s, 'CAM-00003'))).toBe(1);
  });

  it('refuses unknown gateways and wrong keys at connect', async () => {
    const s = await server();
    await expect(gateway(s.mqttUrl, 'test', 'wrong-key-0123456789', { reconnectPeriod: 0 })).rejects.toThrow(/username or password|Not authorized/i);
    await expect(gateway(s.mqttUrl, 'nobody', TEST_KEY, { reconnectPeriod: 0 })).rejects.toThrow(/username or password|Not authorized/i);
    await expect(connectAsync(s.mqttUrl, { reconnectPeriod: 0 })).rejects.toThrow(/username or password/i); // anonymous
  });

  it('rejects bad payloads with a counted, reported reason and keeps the valid neighbours', async () => {
    const s = await server();
    const gw = await gateway(s.mqttUrl);
    await gw.subscribeAsync(rejectedTopic('test'), { qos: 1 });
    const rejections = collect(gw, rejectedTopic('test')) as Array<{ topic: string; rejected: Array<{ index: number; field: string; code: string; message: string }> }>;
    await gw.publishAsync(uplinkTopic('test', 'devices'), 'not json {', { qos: 1 });
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify({ records: 'nope' }), { qos: 1 });
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify({ records: [cam(4), { ...cam(5), status: 'exploded' }, { ...cam(6), id: 'CAM-99999' }, cam(7)] }), { qos: 1 });
    expect((await logged(s, 'CAM-00004')) + (await logged(s, 'CAM-00007'))).toBe(2);
    expect((await logged(s, 'CAM-00005')) + (await logged(s, 'CAM-99999'))).toBe(0);
    await expect.poll(() => rejections.length, { timeout: 5000, interval: 20 }).toBe(3);
    expect(rejections[0].rejected[0].message).toMatch(/not JSON/);
    expect(rejections[1].rejected[0].message).toMatch(/"records" must be an array/);
    expect(rejections[2].rejected.map((r) => [r.index, r.field, r.code])).toEqual([[1, '/status', 'INVALID_RECORD'], [2, '/id', 'UNKNOWN_DEVICE']]);
    const status = (await s.get('/api/field')).body;
    expect(status).toMatchObject({ mode: 'embedded', messagesRejected: 2, recordsRejected: 2, recordsAccepted: 2 });
    expect(status.rejectedByCode).toEqual({ INVALID_RECORD: 3, UNKNOWN_DEVICE: 1 });
    // The broker and the ingest are still fine.
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(8)), { qos: 1 });
    expect((await logged(s, 'CAM-00008'))).toBe(1);
  });

  it('a record carrying __proto__ or constructor.prototype costs only itself, named, as over HTTP', async () => {
    const s = await server();
    const gw = await gateway(s.mqttUrl);
    await gw.subscribeAsync(rejectedTopic('test'), { qos: 1 });
    const rejections = collect(gw, rejectedTopic('test')) as Array<{ rejected: Array<{ index: number; field: string; code: string }> }>;
    const rec = (i: number) => JSON.stringify(cam(i)).slice(0, -1);
    const payload = `{"records":[${rec(1)}},${rec(2)},"__proto__":{"isAdmin":true}},${rec(3)},"constructor":{"prototype":{"isAdmin":true}}},${rec(4)}}]}`;
    await gw.publishAsync(uplinkTopic('test', 'devices'), payload, { qos: 1 });
    expect((await logged(s, 'CAM-00001')) + (await logged(s, 'CAM-00004'))).toBe(2);
    expect((await logged(s, 'CAM-00002')) + (await logged(s, 'CAM-00003'))).toBe(0);
    await expect.poll(() => rejections.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(rejections[0].rejected.map((r) => [r.index, r.field, r.code])).toEqual([[1, '/__proto__', 'INVALID_RECORD'], [2, '/constructor', 'INVALID_RECORD']]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    // One record alone, without the batch envelope, is refused the same way.
    await gw.publishAsync(uplinkTopic('test', 'devices'), `${rec(5)},"__proto__":{"isAdmin":true}}`, { qos: 1 });
    await expect.poll(() => rejections.length, { timeout: 5000, interval: 20 }).toBe(2);
    expect(rejections[1].rejected).toEqual([expect.objectContaining({ index: 0, field: '/__proto__', code: 'INVALID_RECORD' })]);
    expect(await logged(s, 'CAM-00005')).toBe(0);
  });

  it('lets a gateway publish only under its own name and subscribe only to its own and command topics', async () => {
    const s = await server();
    const gw = await gateway(s.mqttUrl, 'test', TEST_KEY, { reconnectPeriod: 0 });
    await expect(gw.subscribeAsync('linkage/down/other/rejected', { qos: 1 })).rejects.toThrow(/Subscribe error/); // SUBACK 128
    const gw2 = await gateway(s.mqttUrl);
    const granted = await gw2.subscribeAsync(commandFilter('drone'), { qos: 1 });
    expect(granted[0].qos).toBe(1);
    await gw2.subscribeAsync(rejectedTopic('test'), { qos: 1 });
    const rejections = collect(gw2, rejectedTopic('test')) as Array<{ rejected: Array<{ code: string; message: string }> }>;
    await gw2.publishAsync(uplinkTopic('other', 'devices'), JSON.stringify(cam(9)), { qos: 1 });
    await expect.poll(() => rejections.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(rejections[0].rejected[0]).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('only under linkage/up/test/') });
    expect((await logged(s, 'CAM-00009'))).toBe(0);
  });

  it('does not acknowledge what the store could not commit; the gateway resends it and it is committed once', async () => {
    const s = await server();
    const gw = await gateway(s.mqttUrl);
    const append = s.app.store.append.bind(s.app.store);
    let failures = 1;
    s.app.store.append = (events) => (failures-- > 0 ? Promise.reject(new StoreUnavailableError('disk full (test)')) : append(events));
    const acked = gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(10)), { qos: 1 });
    await acked; // after a reconnect, mqtt.js resends the unacknowledged message
    expect(failures).toBe(-1);
    expect((await logged(s, 'CAM-00010'))).toBe(1);
    expect((await s.get('/api/field')).body.notCommitted).toBe(1);
  });

  it('publishes device commands that subscribed gateways receive', async () => {
    const s = await server();
    const gw = await gateway(s.mqttUrl);
    await gw.subscribeAsync(commandFilter('broadcast'), { qos: 1 });
    const got = collect(gw, commandTopic('broadcast', 'BC-0001'));
    await s.app.field.publish(commandTopic('broadcast', 'BC-0001'), { broadcastId: 'B1', text: '测试' });
    await expect.poll(() => got.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(got[0]).toEqual({ broadcastId: 'B1', text: '测试' });
    expect((await s.get('/api/field')).body.commandsPublished).toBe(1);
  });
});

describe('external broker (Mosquitto)', () => {
  const MOSQUITTO = '/usr/sbin/mosquitto';

  async function startMosquitto(): Promise<{ url: string }> {
    if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} is missing: install Debian's mosquitto (apt-get install mosquitto; .ci/run does)`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-mosquitto-'));
    const port = await freePort();
    const passwd = path.join(dir, 'passwd');
    writeFileSync(passwd, '');
    execFileSync('mosquitto_passwd', ['-b', passwd, 'linkage-server', 'server-secret-0123456789']);
    execFileSync('mosquitto_passwd', ['-b', passwd, 'test', TEST_KEY]);
    // The ACL from the README: gateways publish under their own name; the server reads every uplink.
    writeFileSync(path.join(dir, 'acl'), [
      'user linkage-server', 'topic read linkage/up/#', 'topic write linkage/down/#', 'topic write linkage/cmd/#', '',
      'pattern write linkage/up/%u/#', 'pattern read linkage/down/%u/#', 'pattern read linkage/cmd/#', '',
    ].join('\n'));
    writeFileSync(path.join(dir, 'mosquitto.conf'), [
      `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwd}`, `acl_file ${path.join(dir, 'acl')}`, 'persistence false', '',
    ].join('\n'));
    // Started as root, mosquitto drops to its own user, which must be able to read these files.
    chmodSync(dir, 0o755);
    for (const f of ['passwd', 'acl', 'mosquitto.conf']) chmodSync(path.join(dir, f), 0o644);
    let output = '';
    mosquitto = spawn(MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    mosquitto.stdout?.on('data', (d) => (output += d));
    mosquitto.stderr?.on('data', (d) => (output += d));
    mosquitto.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const url = `mqtt://127.0.0.1:${port}`;
    // Until a client gets in.
    await until('mosquitto accepting a client', async () => {
      const probe = await connectAsync(url, { username: 'test', password: TEST_KEY, reconnectPeriod: 0, connectTimeout: 1000 });
      await probe.endAsync();
      return true;
    }, { timeout: 10_000, interval: 100, detail: () => output });
    return { url };
  }

  const node = (url: string, clientId: string) => server({ mqttUrl: url, mqttUsername: "linkage-server", mqttPassword: "server-secret-0123456789", mqttClientId: clientId });

  it('ingests through a shared subscription split across two nodes, each message acknowledged after its commit, bad ones reported', async () => {
    const { url } = await startMosquitto();
    const a = await node(url, 'linkage-ingest-a');
    const b = await node(url, 'linkage-ingest-b');
    const gw = await gateway(url);
    await gw.subscribeAsync(rejectedTopic('test'), { qos: 1 });
    const rejections = collect(gw, rejectedTopic('test'));
    for (let i = 1; i <= 40; i++) await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam((i % 10) + 1, T0 + i)), { qos: 1 });
    await gw.publishAsync(uplinkTopic('test', 'devices'), '{broken', { qos: 1 });
    const total = () => a.app.field.status().recordsAccepted + b.app.field.status().recordsAccepted;
    await vi.waitFor(() => {
      expect(total()).toBe(40);
      expect(rejections).toHaveLength(1);
    }, { timeout: 5000, interval: 20 });
    // Every node took part, and every message was taken by exactly one node.
    expect(a.app.field.status().recordsAccepted).toBeGreaterThan(0);
    expect(b.app.field.status().recordsAccepted).toBeGreaterThan(0);
    expect(a.app.store.lastSeq() + b.app.store.lastSeq()).toBe(40);
    expect(a.app.field.status().messagesRejected + b.app.field.status().messagesRejected).toBe(1);
  });

  it('delivers commands through the external broker, and the broker ACL stops a gateway publishing as another', async () => {
    const { url } = await startMosquitto();
    const s = await node(url, 'linkage-ingest-c');
    const gw = await gateway(url);
    await gw.subscribeAsync(commandFilter('drone'), { qos: 1 });
    const got = collect(gw, commandTopic('drone', 'UAV-1'));
    await s.app.field.publish(commandTopic('drone', 'UAV-1'), { missionId: 'M1' });
    await expect.poll(() => got.length, { timeout: 5000, interval: 20 }).toBe(1);
    // Mosquitto drops a publish outside the ACL silently: nothing reaches the server.
    await gw.publishAsync(uplinkTopic('other', 'devices'), JSON.stringify(cam(1)), { qos: 1 });
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(2)), { qos: 1 });
    await expect.poll(() => s.app.field.status().recordsAccepted, { timeout: 5000, interval: 20 }).toBe(1);
    // No wait for stragglers: the broker delivers one client's publishes in order, so had the
    // out-of-ACL message been forwarded it would have been counted before the one accepted above.
    expect(s.app.field.status().messages).toBe(1);
    expect((await logged(s, 'CAM-00001'))).toBe(0);
  });
});
