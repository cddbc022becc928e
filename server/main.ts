// Starts the server: configuration from the environment, the district dataset (generated on
// first start), then listen. SIGINT/SIGTERM close gracefully: stop taking requests, commit what
// was acknowledged, close the store.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { configFromEnv, parseGatewayKeys } from './config.ts';
import { loadDistrict } from './load-district.ts';

/** Without GATEWAY_KEYS, a simulator key is generated once into DATA_DIR/gateway-keys.json (mode 600). */
function ensureGatewayKeys(dataDir: string): Map<string, string> {
  const file = path.join(dataDir, 'gateway-keys.json');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) {
    writeFileSync(file, JSON.stringify({ simulator: randomBytes(24).toString('base64url') }, null, 2) + '\n', { mode: 0o600 });
  }
  const entries = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  return parseGatewayKeys(entries.map(([name, key]) => `${name}:${key}`).join(','));
}

const config = configFromEnv();
if (config.gatewayKeys.size === 0) {
  config.gatewayKeys = ensureGatewayKeys(config.dataDir);
  // Keys from the file can be issued and revoked at run time (POST/DELETE /api/gateways).
  config.gatewayKeysFile = path.join(config.dataDir, 'gateway-keys.json');
}

const district = await loadDistrict(config.datasetDir);
const app = await buildApp({ config, district });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: committing acknowledged events');
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

try {
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ url: `http://${config.host}:${config.port}/`, dataDir: config.dataDir, datasetDir: config.datasetDir }, 'Linkage server ready');
} catch (error) {
  app.log.error({ err: error }, 'could not start');
  process.exit(1);
}
