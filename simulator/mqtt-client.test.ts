// The simulator's MQTT gateway against the server's embedded broker.
import { afterEach, expect, it } from 'vitest';
import net from 'node:net';
import { Aedes } from 'aedes';
import { commandFilter, commandTopic } from '../core/field.ts';
import { startTestServer, TEST_KEY, type TestServer } from '../server/test-support.ts';
import { MqttLink, MqttSender } from './mqtt-client.ts';

let server: TestServer | null = null;
let link: MqttLink | null = null;
afterEach(async () => {
  await link?.close();
  await server?.close();
  link = server = null;
});

const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);

it('delivers batches acknowledged after commit, counts the server-side rejections, and takes commands', async () => {
  server = await startTestServer();
  link = await MqttLink.connect({ url: server.mqttUrl, gateway: 'test', key: TEST_KEY });
  const sender = new MqttSender(link, 'devices', { maxBatch: 2, flushMs: 10 }).start();
  for (let i = 1; i <= 4; i++) sender.push({ kind: 'camera', id: `CAM-0000${i}`, ts: T0 + i, status: 'online' });
  sender.push({ kind: 'camera', id: 'CAM-NOPE', ts: T0, status: 'online' });
  expect(await sender.drain(5000)).toBe(true);
  expect(server.app.projector.devices.countsOf('camera').online).toBe(4);
  await expect.poll(() => sender.stats.rejected, { timeout: 2000, interval: 20 }).toBe(1);
  expect(sender.stats).toMatchObject({ sent: 5, accepted: 4, rejected: 1, requests: 3 });
  sender.stop();

  const got: Array<[string, unknown]> = [];
  link.onCommand('drone', (id, payload) => got.push([id, payload]));
  // onCommand subscribes without waiting for the grant: another subscription, awaited, is granted
  // after it (the broker handles a connection's packets in order).
  await link.client.subscribeAsync(commandFilter('broadcast'), { qos: 1 });
  await server.app.field.publish(commandTopic('drone', 'UAV-1'), { missionId: 'M-1' });
  await expect.poll(() => got, { timeout: 2000, interval: 20 }).toEqual([['UAV-1', { missionId: 'M-1' }]]);
});

it('refuses a wrong key with a message that names the setting to check', async () => {
  server = await startTestServer();
  await expect(MqttLink.connect({ url: server.mqttUrl, gateway: 'test', key: 'wrong-key-0123456789' })).rejects.toThrow(/GATEWAY_NAME and GATEWAY_KEY/);
});

it('closes promptly when the broker is gone with a message still awaiting its PUBACK (a stop must not hang)', async () => {
  server = await startTestServer();
  const l = await MqttLink.connect({ url: server.mqttUrl, gateway: 'test', key: TEST_KEY });
  const sender = new MqttSender(l, 'devices', { maxBatch: 1, flushMs: 10 }).start();
  await server.close();
  server = null;
  sender.push({ kind: 'camera', id: 'CAM-00001', ts: T0, status: 'online' });
  await expect.poll(() => sender.stats.sent, { timeout: 2000, interval: 20 }).toBe(1);
  expect(sender.stats.accepted).toBe(0);
  sender.stop();
  const t0 = Date.now();
  await l.close();
  expect(Date.now() - t0).toBeLessThan(6000);
}, 20_000);

it('closes within seconds when the broker is connected but never acknowledges (a stuck broker)', async () => {
  // A broker that takes the connection and the publish but never answers it with a PUBACK.
  const broker = await Aedes.createBroker({ authorizePublish: () => {} });
  const tcp = net.createServer(broker.handle);
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  try {
    const l = await MqttLink.connect({ url: `mqtt://127.0.0.1:${(tcp.address() as net.AddressInfo).port}`, gateway: 'test', key: TEST_KEY });
    const sender = new MqttSender(l, 'devices', { maxBatch: 1, flushMs: 10 }).start();
    sender.push({ kind: 'camera', id: 'CAM-00001', ts: T0, status: 'online' });
    await expect.poll(() => sender.stats.sent, { timeout: 2000, interval: 20 }).toBe(1);
    expect(l.client.connected).toBe(true);
    sender.stop();
    const t0 = Date.now();
    await l.close();
    expect(Date.now() - t0).toBeLessThan(7000);
    expect(l.client.stream.destroyed).toBe(true);
  } finally {
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => tcp.close(() => r()));
  }
}, 20_000);
