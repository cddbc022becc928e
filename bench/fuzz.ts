// Fuzz figures (child of bench/run.ts; prints one JSON line): runs the three property/fuzz test
// files (server/fuzz.test.ts: HTTP ingest and API bodies; server/fuzz-socket.test.ts: socket.io
// commands; server/fuzz-mqtt.test.ts: MQTT uplinks) with vitest, FUZZ_SCALE (default 1) times their
// usual run counts, and reads the case count each file prints at its end
// ("[fuzz] server/fuzz.test.ts: N cases in S s (...)", server/fuzz-support.ts FuzzCounter.report),
// plus whether every test passed (vitest's exit code) and how long the run took.
// Env: FUZZ_SCALE (1), FUZZ_SEED (optional, reproduces a run).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { exitAfterOutput } from './exit.ts';

const root = path.resolve(import.meta.dirname, '..');
const FILES = { http: 'server/fuzz.test.ts', socket: 'server/fuzz-socket.test.ts', mqtt: 'server/fuzz-mqtt.test.ts' } as const;
const scale = Number(process.env.FUZZ_SCALE ?? 1) || 1;
const t0 = Date.now();

const child = spawn(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', '--project', 'unit', ...Object.values(FILES)], {
  cwd: root,
  env: { ...process.env, FUZZ_SCALE: String(scale), FORCE_COLOR: '0', NO_COLOR: '1', CI: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
const keep = (d: Buffer) => {
  out += d;
  process.stderr.write(d);
};
child.stdout.on('data', keep);
child.stderr.on('data', keep);
const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
const seconds = Math.round((Date.now() - t0) / 100) / 10;

const cases: Record<keyof typeof FILES, number | null> & { total: number } = { http: null, socket: null, mqtt: null, total: 0 };
const perFileSeconds: Record<string, number | null> = {};
for (const [k, file] of Object.entries(FILES) as Array<[keyof typeof FILES, string]>) {
  const m = new RegExp(`\\[fuzz\\] ${file.replace(/[.]/g, '\\.')}: (\\d+) cases in ([\\d.]+) s`).exec(out);
  cases[k] = m ? Number(m[1]) : null;
  perFileSeconds[k] = m ? Number(m[2]) : null;
  cases.total += cases[k] ?? 0;
}
const tests = /Tests\s+(.+?)\s*\n/.exec(out)?.[1] ?? null;
process.stdout.write(
  JSON.stringify({
    cases,
    passed: code === 0 && cases.http !== null && cases.socket !== null && cases.mqtt !== null,
    seconds,
    perFileSeconds,
    tests,
    exitCode: code,
    fuzzScale: scale,
    what: 'fast-check cases run (shrinking included) by server/fuzz.test.ts (HTTP), server/fuzz-socket.test.ts (socket.io commands) and server/fuzz-mqtt.test.ts (MQTT uplinks), as each file prints; passed = vitest exited 0 and every file reported; seconds = the whole vitest run',
  }) + '\n',
);
exitAfterOutput(0);
