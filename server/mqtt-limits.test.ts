// The embedded MQTT broker's bounds (server/field/packet-guard.ts), over real TCP sockets: a packet
// larger than allowed is cut at its fixed header, before its body is buffered (before login: a
// CONNECT's size; after: an HTTP ingest body's), and so are connections that do not log in in time
// or do not speak MQTT. The server runs in this process, so its memory is measured here.
import net from 'node:net';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { uplinkTopic } from '../core/field.ts';
import { MAX_BATCH_RECORDS } from '../core/protocol.ts';
import { EmbeddedBroker } from './field/embedded.ts';
import { mqttFromEnv, type MqttConfig } from './config.ts';
import { MAX_PACKET_AFTER_LOGIN, MAX_PACKET_BEFORE_LOGIN } from './field/packet-guard.ts';
import { UplinkRouter } from './field/uplink.ts';
import { startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);
const MB = 1024 * 1024;
const cam = (i: number, ts: number) => ({ kind: 'camera', id: `CAM-${String(i).padStart(5, '0')}`, ts, status: 'online' });

let servers: TestServer[] = [];
let clients: MqttClient[] = [];
let sockets: net.Socket[] = [];
let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of clients) await c.endAsync(true).catch(() => {});
  for (const sock of sockets) sock.destroy();
  for (const s of servers) await s.close();
  for (const f of cleanups) await f();
  servers = [];
  clients = [];
  sockets = [];
  cleanups = [];
});

async function server(mqtt: Partial<MqttConfig> = {}): Promise<TestServer> {
  const s = await startTestServer({ config: { mqtt: { port: 0, host: '127.0.0.1', url: null, shareGroup: 'linkage-test', ...mqtt } } });
  servers.push(s);
  return s;
}

async function gateway(url: string): Promise<MqttClient> {
  const c = await connectAsync(url, { username: 'test', password: TEST_KEY, reconnectPeriod: 0, connectTimeout: 5000 });
  c.on('error', () => {}); // a cut shows as 'close'
  clients.push(c);
  return c;
}

/** A raw TCP connection to the broker; `closed` resolves when the server (or anything) closes it. */
async function raw(mqttUrl: string): Promise<{ socket: net.Socket; closed: Promise<void>; connectedAt: number }> {
  const port = Number(new URL(mqttUrl).port);
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {}); // ECONNRESET/EPIPE when cut mid-write
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed, connectedAt: Date.now() };
}

/** Waits for `p`, failing after `ms` (an upper bound, not a sleep). */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An MQTT fixed header: the type byte and the remaining length as a varint. */
function header(typeByte: number, length: number): Buffer {
  const bytes = [typeByte];
  do {
    let b = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) b |= 0x80;
    bytes.push(b);
  } while (length > 0);
  return Buffer.from(bytes);
}

/** Writes `total` junk body bytes after `head` as fast as the socket takes them, until done or closed; returns the bytes written. */
async function flood(socket: net.Socket, head: Buffer, total: number, onChunk: () => void): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x61); // one buffer, reused: the client side stays small
  socket.write(head);
  let sent = 0;
  while (sent < total && !socket.destroyed) {
    sent += chunk.length;
    onChunk();
    if (socket.write(chunk)) continue;
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }
  return sent;
}

const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
};

describe('embedded MQTT broker limits', () => {
  const DECLARED = 200 * MB;

  for (const [first, typeByte] of [['PUBLISH', 0x30], ['CONNECT', 0x10]] as const) {
    it(`cuts an unauthenticated client declaring a 200 MB ${first} at its header; memory stays flat under the flood`, async () => {
      const s = await server();

      // The header and 4 KB of body: the server closes without waiting for the other 199.99 MB.
      const a = await raw(s.mqttUrl);
      a.socket.write(Buffer.concat([header(typeByte, DECLARED), Buffer.alloc(4096, 0x61)]));
      await within(a.closed, 3000, 'cut after the header');

      // The same, writing the whole body as fast as the socket takes it: the server's heap and RSS
      // (this process) must not follow the declared size.
      const b = await raw(s.mqttUrl);
      const before = memory();
      const peak = { ...before };
      const sample = () => {
        const m = memory();
        peak.rss = Math.max(peak.rss, m.rss);
        peak.heap = Math.max(peak.heap, m.heap);
      };
      const sampler = setInterval(sample, 5);
      const sent = await flood(b.socket, header(typeByte, DECLARED), DECLARED, sample);
      await within(b.closed, 3000, 'cut under the flood');
      clearInterval(sampler);
      sample();
      const grew = { rss: (peak.rss - before.rss) / MB, heap: (peak.heap - before.heap) / MB };
      console.log(`${first} 200 MB flood: ${(sent / MB).toFixed(2)} MB written before the cut; peak growth rss ${grew.rss.toFixed(1)} MB, heap+external ${grew.heap.toFixed(1)} MB`);
      expect(sent).toBeLessThan(DECLARED);
      expect(grew.heap).toBeLessThan(8);
      expect(grew.rss).toBeLessThan(24);

      // The broker still serves gateways.
      const gw = await gateway(s.mqttUrl);
      await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(1, T0)), { qos: 1 });
      expect(s.app.field.status().recordsAccepted).toBe(1);
    });
  }

  it('after login: a full 10,000-record batch and a payload as large as an HTTP ingest body are acknowledged; a larger packet is cut', async () => {
    const s = await server();
    const gw = await gateway(s.mqttUrl);
    const batch = Array.from({ length: MAX_BATCH_RECORDS }, (_, i) => cam((i % 10) + 1, T0 + i));
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify({ records: batch }), { qos: 1 });
    expect(s.app.field.status().recordsAccepted).toBe(MAX_BATCH_RECORDS);
    // 32 MiB, the HTTP bodyLimit, passes: refused as unreadable JSON, but read and acknowledged.
    await gw.publishAsync(uplinkTopic('test', 'devices'), Buffer.alloc(32 * MB, 0x20), { qos: 1 });
    expect(s.app.field.status().messagesRejected).toBe(1);

    const big = await gateway(s.mqttUrl);
    const closed = new Promise<void>((resolve) => big.stream.once('close', () => resolve()));
    let acked = false;
    big.publish(uplinkTopic('test', 'devices'), Buffer.alloc(MAX_PACKET_AFTER_LOGIN, 0x20), { qos: 1 }, (error) => (acked = !error));
    await within(closed, 10_000, 'oversized publish cut');
    expect(acked).toBe(false);
    expect(s.app.field.status().messages).toBe(2); // the oversized one never reached the ingest

    // The other gateway is unaffected.
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(2, T0 + MAX_BATCH_RECORDS)), { qos: 1 });
    expect(s.app.field.status().recordsAccepted).toBe(MAX_BATCH_RECORDS + 1);
  });

  it('closes connections that do not log in within the CONNECT timeout (MQTT_CONNECT_TIMEOUT_MS), not logged-in gateways', async () => {
    // What `npm run server` does with MQTT_CONNECT_TIMEOUT_MS: read it into the config.
    const s = await server({ connectTimeoutMs: mqttFromEnv({ MQTT_CONNECT_TIMEOUT_MS: '300' }).connectTimeoutMs });
    const gw = await gateway(s.mqttUrl);
    const idle = await raw(s.mqttUrl);
    const partial = await raw(s.mqttUrl);
    partial.socket.write(Buffer.concat([header(0x10, 40), Buffer.from([0x00, 0x04])])); // a CONNECT that never finishes
    await within(idle.closed, 5000, 'idle connection closed');
    await within(partial.closed, 5000, 'half-sent CONNECT closed');
    const waited = Date.now() - idle.connectedAt;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3000);
    // The gateway logged in before them, so it is past 300 ms too, and still connected.
    expect(gw.connected).toBe(true);
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(3, T0)), { qos: 1 });
    expect(s.app.field.status().recordsAccepted).toBe(1);
  });

  it('cuts connections whose first bytes are not MQTT', async () => {
    const s = await server();
    const garbage = [
      Buffer.from('GET / HTTP/1.1\r\nHost: linkage\r\n\r\n'),
      Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]), // a TLS ClientHello
      Buffer.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x01]), // CONNECT with a 5-byte remaining length
      header(0x10, MAX_PACKET_BEFORE_LOGIN + 1), // a CONNECT just over the bound
    ];
    for (const bytes of garbage) {
      const c = await raw(s.mqttUrl);
      c.socket.write(bytes);
      await within(c.closed, 2000, `cut after ${bytes.toString('hex').slice(0, 20)}`);
    }
    const gw = await gateway(s.mqttUrl);
    await gw.publishAsync(uplinkTopic('test', 'devices'), JSON.stringify(cam(4, T0)), { qos: 1 });
    expect(s.app.field.status().recordsAccepted).toBe(1);
  });

  it('counts and logs each cut by reason', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) as unknown as FastifyBaseLogger;
    const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0, gatewayKeys: new Map([[TEST_KEY, 'test']]), router: new UplinkRouter(log), log, limits: { connectTimeoutMs: 200 } });
    const { port } = await broker.start();
    cleanups.push(() => broker.close());
    const url = `mqtt://127.0.0.1:${port}`;
    const garbage = await raw(url);
    garbage.socket.write('hello');
    const large = await raw(url);
    large.socket.write(header(0x10, DECLARED));
    const idle = await raw(url);
    await within(Promise.all([garbage.closed, large.closed, idle.closed]), 5000, 'all three cut');
    expect(broker.connectionsCut).toEqual({ notMqtt: 1, tooLarge: 1, connectTimeout: 1 });
    const cuts = lines.filter((l) => l.msg === 'MQTT connection cut');
    expect(cuts.map((l) => l.reason).sort()).toEqual(['connectTimeout', 'notMqtt', 'tooLarge']);
    expect(cuts.find((l) => l.reason === 'notMqtt')?.detail).toMatch(/first byte 0x68/);
  });

  it('refuses a bad MQTT_CONNECT_TIMEOUT_MS', () => {
    expect(mqttFromEnv({}).connectTimeoutMs).toBe(10_000);
    expect(mqttFromEnv({ MQTT_CONNECT_TIMEOUT_MS: '2500' }).connectTimeoutMs).toBe(2500);
    for (const bad of ['0', '-1', '1.5', 'soon']) expect(() => mqttFromEnv({ MQTT_CONNECT_TIMEOUT_MS: bad })).toThrow(/MQTT_CONNECT_TIMEOUT_MS/);
  });
});
