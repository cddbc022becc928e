// `npm run cluster -- --nodes 3`: a local Linkage cluster for trying and testing, on existing
// engines only (scripts/cluster/index.ts): PostgreSQL, Mosquitto, N server nodes, HAProxy, and the
// simulator feeding through HAProxy and the broker. Ctrl+C stops them all, in order.
// package.json runs it as `exec node --import tsx`: no sh (Ctrl+C kills it, npm then says 130) and
// no tsx CLI (it SIGKILLs a child slow to acknowledge a signal: under load npm returned 130 while the
// cluster was still stopping).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDataset } from '../data/load.ts';
import { startCluster, type Cluster } from './cluster/index.ts';
import { leaveTsxRelay } from './tsx-relay.ts';

await leaveTsxRelay(import.meta.filename);

const root = path.resolve(import.meta.dirname, '..');
const usage = `usage: npm run cluster -- [--nodes N] [--port P] [--pg-port P] [--mqtt-port P] [--fresh] [--no-simulator] [--speed N] [--load N]
  --nodes N        server nodes (default 3), on ports P+1..P+N
  --port P         HAProxy, the URL to open (default 8080; 0: free ports everywhere)
  --pg-port P      the private PostgreSQL (default 55432)
  --mqtt-port P    Mosquitto (default 11883)
  --fresh          wipe var/cluster first (database, node data, secrets)
  --no-simulator   the cluster without the simulated field
  --speed N, --load N   simulator time acceleration / extra device events a second (default: real time, full scale)`;
const { values: a } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' }, port: { type: 'string', default: '8080' }, 'pg-port': { type: 'string', default: '55432' },
    'mqtt-port': { type: 'string', default: '11883' }, fresh: { type: 'boolean' }, 'no-simulator': { type: 'boolean' }, speed: { type: 'string' },
    load: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  },
});
if (a.help) {
  console.log(usage);
  process.exit(0);
}
const int = (name: string, v: string | undefined, min = 0) => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isInteger(x) || x < min || x > 65535) {
    console.error(`--${name} must be an integer from ${min}, got "${v}"\n${usage}`);
    process.exit(2);
  }
  return x;
};
const nodes = int('nodes', a.nodes, 1)!;
const speed = a.speed === undefined ? undefined : Number(a.speed);
if (speed !== undefined && !(speed > 0)) (console.error(`--speed must be a positive number\n${usage}`), process.exit(2));

// Ctrl+C, SIGTERM, a closed terminal: stop in order, once, exit 0 when every node closed cleanly.
// Listening from the start: a stop during start-up stops what was started.
let cluster: Cluster | null = null;
const stopping = new AbortController();
const stopAndExit = async (c: Cluster, fallback = 0) => {
  const codes = await c.stop();
  const unclean = Object.entries(codes).filter(([, code]) => code !== 0);
  for (const [name, code] of unclean) console.error(`${name} exited with ${code}: see ${path.join(c.logDir, `${name}.log`)}`);
  console.error('cluster stopped');
  process.exit(unclean.length ? 1 : fallback);
};
const shutdown = () => {
  if (stopping.signal.aborted) return;
  stopping.abort();
  if (cluster) void stopAndExit(cluster);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}
// The nodes serve the dashboard: build it when missing or older than its sources (as npm start).
const dist = path.join(root, 'dist', 'index.html');
if (process.env.BUILD !== 'off' && (!existsSync(dist) || statSync(dist).mtimeMs < Math.max(newestMtime(path.join(root, 'client')), newestMtime(path.join(root, 'core'))))) {
  console.log('Building the dashboard (vite build)…');
  execFileSync(path.join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
const datasetDir = path.resolve(process.env.DATASET_DIR || path.join(root, 'data', 'generated'));
await ensureDataset(datasetDir);
if (stopping.signal.aborted) process.exit(0);

const dir = path.join(root, 'var', 'cluster');
const port = int('port', a.port)!;
try {
  cluster = await startCluster({
    datasetDir, dir, nodes, port, pgPort: int('pg-port', a['pg-port']), mqttPort: int('mqtt-port', a['mqtt-port']), fresh: a.fresh,
    simulator: a['no-simulator'] ? false : { speed, load: int('load', a.load), mediaPort: process.env.MEDIA_PORT ? Number(process.env.MEDIA_PORT) : undefined },
    nodeEnv: process.env.AUTH_MODE ? { AUTH_MODE: process.env.AUTH_MODE } : {},
    say: (line) => console.log(`  ${line}`),
    signal: stopping.signal,
  });
} catch (error) {
  if (stopping.signal.aborted) process.exit(0); // stopped while starting: what was started is stopped
  console.error(`\ncluster did not start: ${(error as Error).message}`);
  process.exit(1);
}
if (stopping.signal.aborted) await stopAndExit(cluster);

const c = cluster;
const rel = (p: string) => path.relative(process.cwd(), p) || '.';
const pgShown = c.pgUrl.replace(/:[^:@/]+@/, ':***@');
console.log(`
  Linkage cluster is running: ${c.url}/   (HAProxy: health checks, roundrobin, cookie LKNODE stickiness)
${c.nodes.map((x) => `    ${x.name}      ${x.url}  pid ${x.pid}  data ${rel(path.join(c.dir, x.name))}`).join('\n')}
    PostgreSQL  ${pgShown}  data ${rel(path.join(c.dir, 'pg'))}  (the log of record; password in ${rel(path.join(c.dir, 'secrets.json'))})
    Mosquitto   ${c.mqttUrl}  nodes share $share/linkage-ingest/linkage/up/+/+
    simulator   ${a['no-simulator'] ? 'off (--no-simulator)' : `gateway "${c.gateway.name}": telemetry over MQTT, cases and staff over ${c.url}`}
    logs        ${rel(c.logDir)}/*.log   config ${rel(path.join(c.dir, 'haproxy.cfg'))}, ${rel(path.join(c.dir, 'mosquitto'))}/
  ${process.env.AUTH_MODE && process.env.AUTH_MODE !== 'declared' ? `AUTH_MODE=${process.env.AUTH_MODE}: every screen signs in (see deploy/README.md for where accounts live).` : 'AUTH_MODE=declared, as npm start\'s demo stack: the simulated staff act without signing in, and so may a screen (?as=).'}
  Ctrl+C stops the simulator, HAProxy, the nodes, Mosquitto and PostgreSQL, in that order.
`);

c.onExit((name, code, signal) => {
  const why = `${name} exited unexpectedly (${signal ?? `code ${code}`}): see ${rel(path.join(c.logDir, `${name}.log`))}`;
  if (name.startsWith('node-')) return console.error(`${why}; HAProxy sends its traffic to the other nodes`);
  if (name === 'simulator') return console.error(why);
  // Without the proxy or the broker the cluster is not one: stop the rest.
  console.error(`${why}; stopping the cluster`);
  if (!stopping.signal.aborted) {
    stopping.abort();
    void stopAndExit(c, 1);
  }
});
