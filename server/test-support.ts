// Test fixtures: a small hand-made district and a server on a temporary SQLite file, listening
// on a free port, so integration tests talk to it over real HTTP and socket.io-client. With
// LINKAGE_TEST_STORE=pg (the vitest project `pg`) each server gets DATABASE_URL instead: a fresh
// database on the run's test PostgreSQL (server/pg-global-setup.ts), the same one again for a
// server restarted on the same dataDir.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { vi } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { Clock } from '../core/domain.ts';
import { DATASET_VERSION, type DatasetManifest, type DevicesFile, type GridProps } from '../core/dataset.ts';
import { decodeDelta, decodeSnapshot, type ClientToServerEvents, type Delta, type ServerToClientEvents, type HandshakeAuth, type Session, type Snapshot } from '../core/protocol.ts';
import { buildApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { buildDistrict, type District } from './district.ts';

export const TEST_KEY = 'test-gateway-key-0123456789';

/** A read-only district screen's session (what a client without an actor gets). */
export const DISTRICT_SESSION: Session = { actor: { id: 'display-340803', name: '大屏', role: 'display', org: '340803' }, scope: '340803' };

const place = (i: number) => ({ lon: 117.0 + i * 0.001, lat: 30.5, gridIndex: i % 2, townshipCode: i % 2 ? '340803002' : '340803001' });

/** Two grids split at lon 117.05: grid 0 west (德宽路街道), grid 1 east (玉琳路街道). */
/** `gauges`: the last components are that many embankment water-level gauges (class 0601, ids 3408030601000001…). */
/** `geography`: grid codes and shapes, the district outline, two townships and two communities (boundary imports). */
export function smallDistrict(opts: { gauges?: number; geography?: boolean } = {}): District {
  const gauges = opts.gauges ?? 0;
  const isGauge = (i: number) => i >= 20 - gauges;
  const devices: DevicesFile = {
    camera: Array.from({ length: 10 }, (_, i) => ({ id: `CAM-${String(i + 1).padStart(5, '0')}`, name: `摄像机${i + 1}`, ai: i < 3, ...place(i) })),
    lookout: [{ id: 'LK-1', name: '瞭望1', heading: 90, fov: 60, rangeM: 4000, heightM: 80, ...place(0) }],
    drone: [{ id: 'UAV-1', name: '无人机1', base: '基地', patrol: [[117, 30.5], [117.01, 30.51]], maxFlightMin: 40, ...place(0) }],
    broadcast: Array.from({ length: 5 }, (_, i) => ({ id: `BC-${String(i + 1).padStart(4, '0')}`, name: `广播${i + 1}`, speakers: 2, ...place(i) })),
    // GW-0002 works in 玉琳路 (east), the others in 马山社区 (west).
    worker: Array.from({ length: 3 }, (_, i) => ({ id: `GW-000${i + 1}`, name: `网格员${i + 1}`, role: 'worker' as const, communityCode: i % 2 ? '340803002001' : '340803001002', phone: `1380000000${i + 1}`, ...place(i) })),
  };
  const manifest = {
    version: DATASET_VERSION,
    seed: 1,
    district: { code: '340803', name: '大观区', center: [117.03, 30.52], bbox: [116.9, 30.4, 117.1, 30.6] },
    townships: [],
    communities: [],
    centers: [
      { id: 'LC-340803', level: 'district', code: '340803', name: '大观区智慧联动中心', lon: 117.03, lat: 30.52 },
      { id: 'LC-340803001', level: 'township', code: '340803001', name: '德宽路街道联动中心', lon: 117.03, lat: 30.52 },
      { id: 'LC-340803001002', level: 'community', code: '340803001002', name: '马山社区联动中心', lon: 117.03, lat: 30.52 },
    ],
    counts: { grids: 2, households: 600, residents: 1200, camera: 10, lookout: 1, drone: 1, broadcast: 5, component: 20, worker: 3, resource: 3 },
    boundarySource: 'synthetic',
  } as DatasetManifest;
  const gridProps = [0, 1].map((index) => ({ index, townshipCode: index ? '340803002' : '340803001', communityCode: index ? '340803002001' : '340803001002' }) as GridProps);
  const square = (w: number, e: number) => ({ type: 'Polygon' as const, coordinates: [[[w, 30.4], [e, 30.4], [e, 30.6], [w, 30.6], [w, 30.4]]] });
  const area = (level: string, code: string, name: string, parentCode: string | null, w: number, e: number) => ({ properties: { level, code, name, parentCode }, geometry: square(w, e) });
  const geography = opts.geography
    ? {
        gridGeometries: [square(116.9, 117.05), square(117.05, 117.1)],
        boundaries: [
          area('district', '340803', '大观区', null, 116.9, 117.1),
          area('township', '340803001', '德宽路街道', '340803', 116.9, 117.05),
          area('township', '340803002', '玉琳路街道', '340803', 117.05, 117.1),
          area('community', '340803001002', '马山社区', '340803001', 116.9, 117.05),
          area('community', '340803002001', '玉琳社区', '340803002', 117.05, 117.1),
        ],
      }
    : {};
  if (opts.geography) gridProps.forEach((g) => Object.assign(g, { code: `${g.communityCode}001`, name: `${g.communityCode === '340803001002' ? '马山社区' : '玉琳社区'}第1网格` }));
  return buildDistrict({
    ...geography,
    manifest,
    devices,
    components: {
      count: 20,
      code: Array.from({ length: 20 }, (_, i) => (isGauge(i) ? `34080306010000${String(i - 19 + gauges).padStart(2, '0')}` : `34080301170000${String(i + 1).padStart(2, '0')}`)),
      classCode: Array.from({ length: 20 }, (_, i) => (isGauge(i) ? '0601' : '0117')),
      lon: Array.from({ length: 20 }, () => 117.01),
      lat: Array.from({ length: 20 }, () => 30.5),
      gridIndex: Array.from({ length: 20 }, () => 0),
      sensorized: [0, ...Array.from({ length: gauges }, (_, k) => 20 - gauges + k)],
    },
    gridProps,
    locate: (lon, lat) => (lat < 30.4 || lat > 30.6 ? -1 : lon < 117.05 ? 0 : 1),
    // A shelter on each side of the line and a team: a township reads its own shelter and the team.
    resources: [
      { id: 'SH-001', kind: 'shelter', name: '马山小学应急避难场所', lon: 117.02, lat: 30.5, townshipCode: '340803001', address: '德宽路街道马山社区', phone: '0556-5500001', capacity: 1200, areaM2: 2400 },
      { id: 'SH-002', kind: 'shelter', name: '玉琳路公园应急避难场所', lon: 117.08, lat: 30.5, townshipCode: '340803002', address: '玉琳路街道', phone: '0556-5500002', capacity: 5000, areaM2: 9000 },
      { id: 'RT-001', kind: 'team', name: '大观区水上救援队', lon: 117.06, lat: 30.51, townshipCode: '340803002', address: '玉琳路街道', phone: '0556-5500003', members: 24, specialty: 'water', equipment: ['冲锋舟'] },
    ],
  });
}

/** The event store the integration tests run against: SQLite (default) or PostgreSQL (project `pg`). */
export const TEST_STORE: 'sqlite' | 'pg' = process.env.LINKAGE_TEST_STORE === 'pg' ? 'pg' : 'sqlite';

/** dataDir → its PostgreSQL database, so a server restarted on the same dataDir finds its log again. */
const pgDatabases = new Map<string, { name: string; url: string }>();
let pgDatabaseCount = 0;

async function pgAdmin(sql: string): Promise<string> {
  // Imported here: bench/replay.ts uses this module outside vitest.
  const { inject } = await import('vitest');
  const adminUrl = inject('pgAdminUrl');
  if (!adminUrl) throw new Error('LINKAGE_TEST_STORE=pg but no test PostgreSQL: run the vitest project `pg` (its globalSetup starts one)');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
  return adminUrl;
}

/** The database of `dataDir` on the test PostgreSQL: created empty on first use, then the same. */
async function pgDatabaseFor(dataDir: string): Promise<string> {
  const known = pgDatabases.get(dataDir);
  if (known) return known.url;
  // Unique across the workers running files in parallel (and across pid reuse).
  const name = `linkage_${process.pid}_${++pgDatabaseCount}_${Math.random().toString(36).slice(2, 8)}`;
  const adminUrl = await pgAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  pgDatabases.set(dataDir, { name, url: url.toString() });
  return url.toString();
}

async function dropPgDatabaseOf(dataDir: string): Promise<void> {
  const known = pgDatabases.get(dataDir);
  if (!known) return;
  pgDatabases.delete(dataDir);
  await pgAdmin(`DROP DATABASE IF EXISTS ${known.name} WITH (FORCE)`);
}

export interface TestServer {
  app: FastifyInstance;
  url: string;
  dataDir: string;
  /** The PostgreSQL database holding the event log (project `pg`), or null on SQLite. */
  databaseUrl: string | null;
  /** The embedded MQTT broker (mqtt://127.0.0.1:<port>), or the external one the server subscribed to. */
  mqttUrl: string;
  post(pathname: string, body: unknown, key?: string): Promise<{ status: number; body: any }>;
  get(pathname: string): Promise<{ status: number; body: any }>;
  /** Connects a dashboard client; resolves once its first snapshot arrived. */
  connect(auth?: HandshakeAuth): Promise<{ client: TestClient; snapshot: Snapshot }>;
  /** Stops the server; keeps the data directory unless `remove`. */
  close(remove?: boolean): Promise<void>;
}

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function startTestServer(opts: {
  dataDir?: string; clock?: Clock; district?: District; tickMs?: number; checkpointEveryMs?: number; escalateEveryMs?: number;
  mqttUrl?: string; mqttUsername?: string; mqttPassword?: string; mqttClientId?: string; config?: Partial<ServerConfig>;
} = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'linkage-test-'));
  const config: ServerConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    datasetDir: dataDir,
    staticDir: path.join(dataDir, 'no-dashboard'),
    logLevel: 'silent',
    tickMs: opts.tickMs ?? 20,
    gatewayKeys: new Map([[TEST_KEY, 'test']]),
    sqliteSynchronous: 'NORMAL',
    checkpointEveryMs: opts.checkpointEveryMs ?? 0,
    calendarFile: path.resolve(import.meta.dirname, '..', 'data', 'calendar.json'),
    slaFile: null,
    escalateEveryMs: opts.escalateEveryMs ?? 3_600_000,
    videoCaseConfidence: 0.9,
    // Most tests act through declared identities; the accounts tests switch to 'accounts'.
    authMode: 'declared',
    // Tests send in bursts no person would: the limits are tested on their own (server/limits.test.ts).
    apiPerMinute: 0,
    ingestPerMinute: 0,
    commandsPerSecond: 0,
    mqtt: { port: 0, host: '127.0.0.1', url: opts.mqttUrl ?? null, shareGroup: 'linkage-test', username: opts.mqttUsername, password: opts.mqttPassword, clientId: opts.mqttClientId },
    databaseUrl: TEST_STORE === 'pg' && opts.config?.databaseUrl === undefined ? await pgDatabaseFor(dataDir) : null,
    ...opts.config,
  };
  // Strict: a reply with a field its route's schema does not list fails the test instead of losing the field.
  const app = await buildApp({ config, district: opts.district ?? smallDistrict(), clock: opts.clock, logger: false, strictResponses: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const clients: TestClient[] = [];
  const json = async (res: Response) => ({ status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() });
  const mqttStatus = app.field.status();
  const mqttUrl = mqttStatus.url ?? `mqtt://127.0.0.1:${mqttStatus.port}`;
  return {
    app,
    url,
    dataDir,
    databaseUrl: config.databaseUrl ?? null,
    mqttUrl,
    post: async (pathname, body, key = TEST_KEY) =>
      json(await fetch(url + pathname, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': key }, body: JSON.stringify(body) })),
    get: async (pathname) => json(await fetch(url + pathname)),
    connect: (auth?: HandshakeAuth) =>
      new Promise((resolve, reject) => {
        const client: TestClient = connect(url, { transports: ['websocket'], reconnection: false, ...(auth ? { auth: auth as Record<string, unknown> } : {}) });
        clients.push(client);
        // The server sends the snapshot right after the handshake: listen before connecting.
        client.once('snapshot:sent', (wire) => resolve({ client, snapshot: decodeSnapshot(wire) }));
        client.once('connect_error', reject);
      }),
    close: async (remove = true) => {
      for (const c of clients) c.disconnect();
      await app.close();
      if (remove) {
        rmSync(dataDir, { recursive: true, force: true });
        await dropPgDatabaseOf(dataDir);
      }
    },
  };
}

/**
 * The tests' one named polling wait, for what vi.waitFor / expect.poll do not say well: waits until
 * `probe` yields something truthy (vi.waitUntil) and returns it. A probe that throws counts as "not
 * yet" (a server still starting). On a timeout it fails naming `what`, with the probe's last error
 * and the tail of `detail()` (a child's log, say) appended.
 */
export async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  { timeout = 5000, interval = 50, detail }: { timeout?: number; interval?: number; detail?: () => string } = {},
): Promise<NonNullable<T>> {
  let lastError: unknown = null;
  const attempt = async () => {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
      return undefined;
    }
  };
  try {
    return (await vi.waitUntil(attempt, { timeout, interval })) as NonNullable<T>;
  } catch {
    const why = lastError ? ` (last error: ${(lastError as Error).message ?? String(lastError)})` : '';
    throw new Error(`${what}: not within ${timeout} ms${why}${detail ? `\n${detail().slice(-4000)}` : ''}`);
  }
}

/** Resolves with the first event of `name` that satisfies `predicate`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestClient,
  name: E,
  predicate: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(name, handler as never);
      reject(new Error(`no matching ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      socket.off(name, handler as never);
      resolve(args[0]);
    };
    socket.on(name, handler as never);
  });
}

/** Resolves with the first decoded delta that satisfies `predicate`. */
export function nextDelta(socket: TestClient, predicate: (d: Delta) => boolean = () => true, timeoutMs = 5000): Promise<Delta> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('delta:sent', handler);
      reject(new Error(`no matching delta within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler: ServerToClientEvents['delta:sent'] = (wire) => {
      const delta = decodeDelta(wire);
      if (!predicate(delta)) return;
      clearTimeout(timer);
      socket.off('delta:sent', handler);
      resolve(delta);
    };
    socket.on('delta:sent', handler);
  });
}
