// Starts a real stack for browser tests: server on a free port with a temporary data directory,
// the built dashboard (npm test builds it first), the generated dataset, and the simulator.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDataset } from '../data/load.ts';
import { freePort } from '../scripts/free-port.ts';
import { startStack as start } from '../scripts/stack.ts';

const root = path.resolve(import.meta.dirname, '..');

export async function startStack(options: { simulatorArgs?: string[] } = {}): Promise<{ url: string; key: string; logs(): string; stop(): Promise<void>; restartServer(signal: 'SIGKILL' | 'SIGTERM', whileDown: () => Promise<void>): Promise<void> }> {
  // The test build: the same dashboard with the hooks the tests read (client/src/test-hooks.ts).
  const staticDir = path.join(root, 'dist-test');
  if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error('dist-test/ is missing: run `npm run build:test` first (npm test does)');
  const datasetDir = path.join(root, 'data', 'generated');
  await ensureDataset(datasetDir);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linkage-e2e-'));
  const stack = await start({
    port: await freePort(),
    mqttPort: await freePort(),
    host: '127.0.0.1',
    dataDir,
    datasetDir,
    output: 'pipe',
    // The simulated staff leave the tests' own cases (reported as the dispatcher or e2e-…) to the tests.
    simulatorArgs: options.simulatorArgs ?? ['--speed', '60', '--leave-to-people', 'dispatcher-,e2e-'],
    // Points that never answer are marked at this deadline: 20 s instead of a minute keeps the broadcast test short.
    // AUTH_MODE=declared: the tests switch identities with ?as=; signing in is tested on its own (e2e/login.ts).
    // Every test page and the tests' own requests share one address: a wider API allowance than one screen's.
    // Checkpoints every minute: the simulator at 60× writes a large log, and a replay jump restores the
    // nearest checkpoint, so jumps stay short on a busy test machine.
    serverEnv: { STATIC_DIR: staticDir, BROADCAST_ANSWER_MS: '20000', AUTH_MODE: 'declared', RATE_LIMIT_PER_MIN: '6000', CHECKPOINT_EVERY_MS: '60000' },
  });
  // The gateway key the server generated, so tests can post device data like a gateway.
  const key = (JSON.parse(readFileSync(path.join(dataDir, 'gateway-keys.json'), 'utf8')) as Record<string, string>).simulator;
  return {
    url: stack.url,
    key,
    logs: stack.logs,
    restartServer: stack.restartServer,
    stop: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
