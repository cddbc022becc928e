// `npm run bench` leaves no process behind, whichever phase fails: a phase that fails after starting
// a stack stops it (before the fix, long-tasks with Chromium missing left its server and simulator
// running for the rest of the bench), what a phase does leave is found and killed after it, and
// Ctrl+C on bench takes everything it started along.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDataset } from '../data/load.ts';
import { leaks, reap, RUN_VAR, runPhase, runTag, tagged } from './procs.ts';

const root = path.resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-bench-cleanup-'));

beforeAll(() => ensureDataset(path.join(root, 'data', 'generated'), () => {}), 120_000);
afterAll(() => {
  reap();
  rmSync(tmp, { recursive: true, force: true });
});

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
};

describe('bench process cleanup', () => {
  it('the long-tasks phase with Chromium missing fails, having stopped its stack', async () => {
    // A stand-in dashboard: the phase checks for one before it starts the stack.
    const dashboard = mkdtempSync(path.join(tmp, 'dashboard-'));
    writeFileSync(path.join(dashboard, 'index.html'), '<!doctype html><title>stand-in</title>');
    // Its own TMPDIR: the phase's data dir must be gone after it (its finally ran, not only an exit hook).
    const phaseTmp = mkdtempSync(path.join(tmp, 'phase-tmp-'));
    const env = { CHROMIUM_PATH: path.join(tmp, 'no-chromium'), STATIC_DIR: dashboard, TMPDIR: phaseTmp, BENCH_LT_SIM: '--speed 60 --load 1000' };
    const r = await runPhase('longtasks.ts', process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'longtasks.ts')], 180_000, { env });
    expect(r.code).toBe(1);
    expect(r.stderrTail).toMatch(/no-chromium/);
    expect(r.left).toEqual([]);
    expect(tagged(runTag)).toEqual([]);
    expect(readdirSync(phaseTmp).filter((f) => f.startsWith('linkage-longtasks-'))).toEqual([]);
  }, 240_000);

  it('what a finished phase left running is reported, with its phase, and killed', async () => {
    const before = leaks.length;
    const leaver = `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // left-behind'], { detached: true, stdio: 'ignore' }).unref(); console.log('{}')`;
    const r = await runPhase('leaver', process.execPath, ['-e', leaver], 30_000);
    expect(r.code).toBe(0);
    expect(r.left).toHaveLength(1);
    expect(r.left[0]).toMatchObject({ phase: 'leaver' });
    expect(r.left[0].cmd).toContain('left-behind');
    expect(leaks.slice(before)).toEqual(r.left);
    await expect.poll(() => tagged(runTag), { message: 'the left-behind process killed', timeout: 10_000, interval: 100 }).toEqual([]);
  }, 60_000);

  it('Ctrl+C on npm run bench (SIGINT to its process group) stops every process it started', async () => {
    const tag = randomUUID();
    const bench = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['bench/run.ts', '--no-longtasks', '--no-replay', '--no-crash', '--no-slow', '--no-fuzz', '--no-soak'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, [RUN_VAR]: tag, BENCH_SECONDS: '30', BENCH_WARMUP: '1', BENCH_CONCURRENCY: '2' },
    });
    let err = '';
    bench.stderr!.on('data', (d) => (err = (err + d).slice(-8000)));
    const exit = new Promise<number | null>((r) => bench.once('exit', (code) => r(code)));
    try {
      // Mid-phase: the server and its load generator are running.
      await expect.poll(() => tagged(tag).map(cmdline).filter((c) => /server\/main\.ts|ingest-load\.ts/.test(c)).length, { message: 'the ingest phase running', timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      process.kill(-bench.pid!, 'SIGINT');
      expect(await exit, err).toBe(130);
      // A server's tsx compile service exits when its pipe to the server closes, a moment after
      // the server: nothing may be left once that has happened.
      await expect.poll(() => tagged(tag).map(cmdline), { message: 'processes the bench started, still running', timeout: 10_000, interval: 100 }).toEqual([]);
    } finally {
      for (const pid of tagged(tag)) process.kill(pid, 'SIGKILL');
    }
  }, 180_000);
});
