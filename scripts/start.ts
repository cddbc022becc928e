// `npm start`: build the dashboard if needed, generate the district dataset on first run, start
// the server and the simulator at full district scale, and print the URL.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureDataset } from '../data/load.ts';
import { startStack, type Stack } from './stack.ts';
import { leaveTsxRelay } from './tsx-relay.ts';

// Under the tsx CLI (npm start), the runner runs as a child of an idle relay process.
await leaveTsxRelay(import.meta.filename);

// Ctrl+C (SIGINT to the whole foreground group: only this runner, its children are in their own
// groups), SIGTERM or a closed terminal (SIGHUP): the stack stops in order, once; exit 0 when the
// server closed cleanly. Listening from the start: a stop during start-up is not lost.
let stack: Stack | null = null;
const stopping = new AbortController();
const shutdown = () => {
  if (stopping.signal.aborted) return;
  stopping.abort();
  if (stack) void stopAndExit(stack);
};
const stopAndExit = (s: Stack) => s.stop().then(() => process.exit(s.server.exitCode === 0 ? 0 : 1));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);

const root = path.resolve(import.meta.dirname, '..');

/** --history-days N (or HISTORY_DAYS): the days of history a fresh data directory starts with (default 90, 0 for none). */
function historyDaysOf(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const i = argv.indexOf('--history-days');
  const raw = i >= 0 ? argv[i + 1] : env.HISTORY_DAYS;
  if (raw === undefined || raw === '') return 90;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 3660) throw new Error(`--history-days must be a whole number of days from 0 to 3660, got "${raw}"`);
  return n;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const dist = path.join(root, 'dist', 'index.html');
const sources = Math.max(newestMtime(path.join(root, 'client')), newestMtime(path.join(root, 'core')));
// BUILD=off: run the API on whatever dist/ holds (the stack's own tests need no dashboard).
if (process.env.BUILD !== 'off' && (!existsSync(dist) || statSync(dist).mtimeMs < sources)) {
  console.log('Building the dashboard (vite build)…');
  execFileSync(path.join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

const datasetDir = path.resolve(process.env.DATASET_DIR || path.join(root, 'data', 'generated'));
await ensureDataset(datasetDir);

const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';
// The simulator also plays the staff who work the cases, through the people's API without signing
// in: the demo stack therefore runs AUTH_MODE=declared unless told otherwise. A deployment runs the
// server on its own (npm run server), where signing in is required by default.
const withSimulator = process.env.SIMULATOR !== 'off';
const authMode = process.env.AUTH_MODE || (withSimulator ? 'declared' : 'accounts');
const dataDir = path.resolve(process.env.DATA_DIR || path.join(root, 'var'));
// A district with a past: on a fresh log, the last N days are played through the server first.
const historyDays = historyDaysOf(process.argv, process.env);
const freshLog = process.env.DATABASE_URL ? true : !existsSync(path.join(dataDir, 'linkage.db'));
if (historyDays > 0 && freshLog && !stopping.signal.aborted) {
  const { writeHistory } = await import('./history.ts');
  const r = await writeHistory({
    days: historyDays, seed: Number(process.env.SIM_SEED || 7), signal: stopping.signal,
    env: { ...process.env, DATA_DIR: dataDir, DATASET_DIR: datasetDir }, log: (line) => console.log(line),
  });
  if (r.written) console.log(`History written: ${r.stats.reported} cases over ${r.stats.days} days, ${r.stats.commands} commands, in ${r.seconds.toFixed(0)} s (--history-days 0 skips it).`);
}
if (stopping.signal.aborted) process.exit(0);
try {
  stack = await startStack({
    port,
    host,
    mqttPort: Number(process.env.MQTT_PORT || 1883),
    dataDir,
    datasetDir,
    output: 'inherit',
    withSimulator,
    mediaPort: Number(process.env.MEDIA_PORT || 8090),
    serverEnv: { AUTH_MODE: authMode },
    signal: stopping.signal,
  });
} catch (error) {
  // Stopped while starting: what was started is stopped already.
  if (stopping.signal.aborted) process.exit(0);
  throw error;
}
if (stopping.signal.aborted) await stopAndExit(stack);

const shown = host === '0.0.0.0' ? `http://localhost:${port}/` : `${stack.url}/`;
console.log(`\n  Linkage 大观区智慧联动中心 is running: ${shown}\n  (Ctrl+C stops the simulator and the server)\n`);
console.log(
  authMode === 'declared'
    ? '  AUTH_MODE=declared: the simulated staff act without signing in, and so may a screen (当前身份 / ?as=).\n  Signing in works too (the admin one-time password is printed above on a first start). AUTH_MODE=accounts requires it.\n'
    : `  AUTH_MODE=accounts: every screen signs in (the admin one-time password is printed above on a first start).${withSimulator ? '\n  The simulated staff cannot sign in: cases wait for people to work them.' : ''}\n`,
);

stack.server.once('exit', (code) => {
  if (!stopping.signal.aborted) {
    console.error(`server exited unexpectedly (code ${code})`);
    stopping.abort();
    stack!.stop().then(() => process.exit(1));
  }
});
