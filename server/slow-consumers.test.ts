// Reliability (issue 6): ten clients that stop reading do not raise the delivery latency of the
// others or grow server memory without bound. Two normal clients measure delta delivery latency
// (receive − delta.serverTime) under steady ingest, first alone, then with ten more clients whose
// websocket stops reading (ws.pause(): the TCP socket is no longer read, so the server's queue for
// them fills). The queue per slow connection stays under the watchdog's limit
// (server/realtime/backpressure.ts), which cuts it; a cut client reconnects by snapshot. To reach
// the limit within seconds, the slow clients also ask for a few snapshots they never read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { decodeDelta, type ClientToServerEvents, type ServerToClientEvents } from '../core/protocol.ts';
import { backpressureLimits, backpressureStats, queuedBytes } from './realtime/backpressure.ts';
import { startTestServer, type TestServer } from './test-support.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const PHASE_MS = 8000;
const LIMIT = 256 * 1024;
const DEFAULTS = { ...backpressureLimits };

let server: TestServer;
const sockets: Client[] = [];

beforeAll(async () => {
  // Tight limits so ten seconds of test traffic reach them (production: 16 MB / 30 s).
  backpressureLimits.maxBufferedBytes = LIMIT;
  backpressureLimits.maxStalledMs = 3000;
  server = await startTestServer({ tickMs: 50 });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
  Object.assign(backpressureLimits, DEFAULTS);
});

function connect(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c: Client = io(server.url, { transports: ['websocket'], reconnection: false });
    sockets.push(c);
    c.once('snapshot:sent', () => resolve(c));
    c.once('connect_error', reject);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

/** Posts batches of cases (and device changes) for `ms`: ~400 cases/s, each in the next deltas. */
async function drive(ms: number, tag: string): Promise<void> {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) {
    const now = Date.now();
    const records = Array.from({ length: 20 }, () => {
      n++;
      return { id: `${tag}-${n}`, source: 'citizen', eventClass: '0102', title: `案件${tag}-${n}：${'描述'.repeat(40)}`, urgency: 'normal', lon: 117.0 + (n % 90) * 0.001, lat: 30.5, reportedAt: now };
    });
    const res = await server.post('/api/ingest/cases', { records });
    expect(res.status).toBe(200);
    await server.post('/api/ingest/devices', { records: Array.from({ length: 10 }, (_, i) => ({ kind: 'camera', id: `CAM-${String(i + 1).padStart(5, '0')}`, ts: now, status: (n + i) % 2 ? 'online' : 'fault' })) });
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Phase { p50: number; p99: number; deltas: number; maxQueuedSlow: number; rssGrowthMb: number; cut: number }

async function phase(slow: number, tag: string): Promise<Phase> {
  const fast = [await connect(), await connect()];
  const slowSockets: Client[] = [];
  for (let i = 0; i < slow; i++) {
    const c = await connect();
    // Stop reading: ws pauses its TCP socket, so the server's writes back up.
    (c.io.engine.transport as unknown as { ws: { pause(): void } }).ws.pause();
    slowSockets.push(c);
  }
  const slowIds = new Set(slowSockets.map((c) => c.id));
  // Loopback TCP buffers take megabytes before the server sees any backpressure: the slow clients
  // also ask for a few snapshots (all open cases) during the first seconds and never read the answers.
  let asked = 0;
  const asking = setInterval(() => {
    if (++asked > 8) return;
    for (const c of slowSockets) if (c.connected) c.emit('snapshot:request', () => {});
  }, 500);
  const latencies: number[] = [];
  for (const c of fast) c.on('delta:sent', (wire) => latencies.push(Date.now() - decodeDelta(wire).serverTime));
  let maxQueuedSlow = 0;
  const cutBefore = backpressureStats.cut;
  const rss0 = process.memoryUsage().rss;
  let rssMax = rss0;
  const sampler = setInterval(() => {
    for (const s of server.app.io.of('/').sockets.values()) if (slowIds.has(s.id)) maxQueuedSlow = Math.max(maxQueuedSlow, queuedBytes(s.conn));
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }, 100);
  await drive(PHASE_MS, tag);
  clearInterval(sampler);
  clearInterval(asking);
  for (const c of [...fast, ...slowSockets]) c.disconnect();
  return {
    p50: pct(latencies, 50), p99: pct(latencies, 99), deltas: latencies.length, maxQueuedSlow,
    rssGrowthMb: Math.round((rssMax - rss0) / 1e5) / 10, cut: backpressureStats.cut - cutBefore,
  };
}

describe('slow consumers', () => {
  it('ten clients that stop reading neither slow the others nor grow the server queue without bound', async () => {
    const alone = await phase(0, 'A');
    const withSlow = await phase(10, 'S');
    console.log(JSON.stringify({ alone, withSlow }));
    expect(alone.deltas).toBeGreaterThan(50);
    expect(withSlow.deltas).toBeGreaterThan(50);
    // No stall for the others. Unit test files run side by side on the CI's two cores, so only a
    // gross slowdown is asserted here; the bench (faults.slowConsumers) measures the ratio.
    expect(withSlow.p99).toBeLessThanOrEqual(Math.max(3 * alone.p99 + 50, 1000));
    // Queued bytes per slow connection stay within the limit plus what one check interval can add
    // (a snapshot or two here); without the watchdog they grow by megabytes a second until the heartbeat gives up.
    expect(withSlow.maxQueuedSlow).toBeLessThanOrEqual(LIMIT + 4 * 1024 * 1024);
    expect(withSlow.cut).toBeGreaterThanOrEqual(1);
    expect(withSlow.rssGrowthMb).toBeLessThan(256);
  }, 60_000);
});
