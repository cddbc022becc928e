// Clean stops of the real processes, started the way npm starts them (tsx CLI) and stopped the way
// a terminal or a service manager does, while they are busy: Ctrl+C on `npm start` (SIGINT to the
// whole process group) and SIGTERM to `npm run server` alone. Each must exit 0 having checkpointed
// the projections up to the log's last event and closed every connection to the SQLite file (no
// -wal file left), with no process left behind. Before the fix, tsx SIGKILLed the busy server
// mid-shutdown: no checkpoint, a WAL of megabytes left.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDataset } from '../data/load.ts';
import { makePoster } from '../bench/http.ts';
import { tagged } from '../bench/procs.ts';
import { RecordGenerator } from '../bench/records.ts';
import { freePort } from '../scripts/free-port.ts';
import { until } from './test-support.ts';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const DATASET_DIR = path.join(root, 'data', 'generated');
const TAG = 'LINKAGE_TEST_RUN';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-shutdown-test-'));
const started: ChildProcess[] = [];

beforeAll(() => ensureDataset(DATASET_DIR, () => {}), 120_000);
afterAll(() => {
  for (const c of started) if (c.pid && c.exitCode === null && c.signalCode === null) process.kill(-c.pid, 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** `tsx <script>` in its own process group (as a terminal's foreground job), every descendant tagged. */
function launch(script: string, env: Record<string, string>) {
  const tag = randomUUID();
  const child = spawn(tsx, [script], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info', ...env, [TAG]: tag } });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  const exit = new Promise<number | null>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? -1 : null))));
  return { child, exit, logs: () => out, left: () => tagged(tag, TAG) };
}

const seqOf = async (url: string) => ((await (await fetch(`${url}/api/summary`)).json()) as { seq: number }).seq;
const answers = async (url: string) => (await fetch(`${url}/api/health`).catch(() => null))?.ok === true;

/** The SQLite file after the processes are gone, read-only. */
function storeState(dataDir: string) {
  const wal = path.join(dataDir, 'linkage.db-wal');
  const db = new Database(path.join(dataDir, 'linkage.db'), { readonly: true, fileMustExist: true });
  try {
    const last = (db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null }).s;
    const checkpoint = (db.prepare('SELECT max(seq) AS s FROM checkpoints').get() as { s: number | null }).s;
    return { walBytes: existsSync(wal) ? statSync(wal).size : 0, last, checkpoint };
  } finally {
    db.close();
  }
}

/** Exit 0, no process of the run left, the WAL folded into the file, a checkpoint at the last event. */
async function expectCleanExit(p: ReturnType<typeof launch>, dataDir: string): Promise<void> {
  expect(await p.exit, p.logs().slice(-4000)).toBe(0);
  expect(p.left()).toEqual([]);
  const state = storeState(dataDir);
  expect(state.walBytes).toBe(0);
  expect(state.last).toBeGreaterThan(20_000);
  expect(state.checkpoint).toBe(state.last);
}

describe('shutdown of the real processes', () => {
  it('Ctrl+C on npm start (SIGINT to the process group) stops the simulator, then the server: checkpoint, store closed, exit 0', async () => {
    const dataDir = path.join(tmp, 'stack');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // BUILD=off: no dashboard build; the simulator at 60× plus 5,000 device events/s keeps the server busy.
    const p = launch('scripts/start.ts', { BUILD: 'off', HISTORY_DAYS: '0', DATA_DIR: dataDir, DATASET_DIR, PORT: String(port), MQTT_PORT: String(await freePort()), MEDIA_PORT: '0', SIM_SPEED: '60', SIM_LOAD: '5000' });
    await until('the stack answering', () => answers(url), { timeout: 120_000, interval: 100, detail: p.logs });
    await until('20,000 events in the log', async () => (await seqOf(url)) > 20_000, { timeout: 120_000, interval: 100, detail: p.logs });
    process.kill(-p.child.pid!, 'SIGINT');
    await expectCleanExit(p, dataDir);
  }, 300_000);

  it('SIGTERM to npm run server alone, under ingest load: checkpoint, store closed, exit 0', async () => {
    const dataDir = path.join(tmp, 'server');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const key = 'shutdown-test-gateway-key-0123456789';
    const p = launch('server/main.ts', { DATA_DIR: dataDir, DATASET_DIR, PORT: String(port), MQTT_PORT: String(await freePort()), HOST: '127.0.0.1', GATEWAY_KEYS: `test:${key}`, AUTH_MODE: 'declared' });
    await until('the server answering', () => answers(url), { timeout: 120_000, interval: 100, detail: p.logs });
    // Closed-loop senders until the process is gone: the signal finds the server busy.
    let gone = false;
    void p.exit.then(() => (gone = true));
    const senders = [1, 2, 3, 4].map(async (seed) => {
      const gen = new RecordGenerator(DATASET_DIR, seed);
      const poster = makePoster(url, { 'x-gateway-key': key }, 1);
      for (let ts = Date.now(); !gone; ts++) await poster.post('/api/ingest/devices', gen.body(5000, ts, []), 20_000).catch(() => null);
      poster.close();
    });
    await until('20,000 events in the log', async () => (await seqOf(url)) > 20_000, { timeout: 120_000, interval: 100, detail: p.logs });
    process.kill(p.child.pid!, 'SIGTERM'); // the npm run server process only, not its group
    await expectCleanExit(p, dataDir);
    await Promise.all(senders);
  }, 300_000);
});
