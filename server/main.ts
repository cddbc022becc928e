// Starts the server: configuration from the environment, the district dataset (generated on
// first start), then listen. SIGINT/SIGTERM/SIGHUP (or the end of the IPC channel of a parent that
// started it with one, e.g. scripts/stack.ts) close gracefully, once: stop taking requests, commit
// what was acknowledged, checkpoint the projections, close the store (no -wal file left), exit 0.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { leaveTsxRelay } from '../scripts/tsx-relay.ts';

// Under `npm run server` (the tsx CLI), the server runs as a child of an idle relay process.
await leaveTsxRelay(import.meta.filename);

/** A close that has not finished by then is reported and the process exits 1. */
const SHUTDOWN_TIMEOUT_MS = 60_000;

let app: FastifyInstance | null = null;
let stopRequested: string | null = null;
let closing = false;
const close = () => {
  if (closing || !app) return;
  closing = true;
  const server = app;
  server.log.info({ signal: stopRequested }, 'shutting down: committing acknowledged events');
  setTimeout(() => {
    server.log.error({ ms: SHUTDOWN_TIMEOUT_MS }, 'shutdown did not finish in time');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  server.close().then(
    () => process.exit(0),
    (error) => {
      server.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
// Registered before the app is built: a stop asked for during start-up runs once it is built.
const requestStop = (why: string) => {
  stopRequested ??= why;
  close();
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => requestStop(signal));
if (process.channel) {
  process.on('disconnect', () => requestStop('parent gone'));
  process.channel.unref();
}

/** Without GATEWAY_KEYS, a simulator key is generated once into DATA_DIR/gateway-keys.json (mode 600). */
function ensureGatewayKeys(dataDir: string, parse: (spec: string) => Map<string, string>): Map<string, string> {
  const file = path.join(dataDir, 'gateway-keys.json');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) {
    writeFileSync(file, JSON.stringify({ simulator: randomBytes(24).toString('base64url') }, null, 2) + '\n', { mode: 0o600 });
  }
  const entries = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  return parse(entries.map(([name, key]) => `${name}:${key}`).join(','));
}

// Imported here, not above: the relay process (leaveTsxRelay) never loads the server.
const { buildApp } = await import('./app.ts');
const { configFromEnv, parseGatewayKeys } = await import('./config.ts');
const { loadDistrict } = await import('./load-district.ts');

const config = configFromEnv();
if (config.gatewayKeys.size === 0) {
  config.gatewayKeys = ensureGatewayKeys(config.dataDir, parseGatewayKeys);
  // Keys from the file can be issued and revoked at run time (POST/DELETE /api/gateways).
  config.gatewayKeysFile = path.join(config.dataDir, 'gateway-keys.json');
}

const district = await loadDistrict(config.datasetDir);
app = await buildApp({ config, district });

if (stopRequested) close();
else {
  try {
    await app.listen({ port: config.port, host: config.host });
    app.log.info({ url: `http://${config.host}:${config.port}/`, dataDir: config.dataDir, datasetDir: config.datasetDir }, 'Linkage server ready');
  } catch (error) {
    // A stop that came during listen is already closing the app.
    if (!closing) {
      closing = true;
      app.log.error({ err: error }, 'could not start');
      await app.close().catch(() => {});
      process.exit(1);
    }
  }
}
