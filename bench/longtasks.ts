// Browser main-thread cost of the live dashboard: a stack (scripts/stack.ts) with the simulator at
// full rate, the built dashboard in headless Chromium, and PerformanceObserver 'longtask' entries
// (main-thread tasks over 50 ms) over a window with live updates, then over a window on the same
// page after the simulator is stopped (the in-run baseline: same page, same map, no updates).
// `npx tsx bench/longtasks.ts` prints one JSON object; bench/run.ts runs it as a child.
// Env: BENCH_LT_SECONDS (window, default 30), BENCH_LT_SIM (simulator args, default
// "--speed 60 --load 5000"), BENCH_LT_SETTLE (seconds after load before measuring, default 5).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { freePort } from '../scripts/free-port.ts';
import { startStack } from '../scripts/stack.ts';
import { ensureDataset } from '../data/load.ts';
import { launch } from '../e2e/screenshot.ts';
import { runAsBenchChild } from './exit.ts';

const root = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_LT_SECONDS ?? 30);
const SETTLE = Number(process.env.BENCH_LT_SETTLE ?? 5);
const SIM_ARGS = (process.env.BENCH_LT_SIM ?? '--speed 60 --load 5000').split(/\s+/).filter(Boolean);
const log = (m: string) => process.stderr.write(`[longtasks] ${m}\n`);

export interface LongTaskWindow {
  seconds: number;
  count: number;
  totalMs: number;
  maxMs: number;
  /** Share of the window's wall time spent in long tasks. */
  shareOfWall: number;
  /** Events per second the page saw (its store's sequence number advancing). */
  pageEventsPerSec: number;
}

/** Summarizes long task durations observed over `ms` of wall time. */
export function summarizeLongTasks(durations: number[], ms: number, seqDelta: number): LongTaskWindow {
  const total = durations.reduce((a, b) => a + b, 0);
  return {
    seconds: Math.round(ms / 100) / 10,
    count: durations.length,
    totalMs: Math.round(total),
    maxMs: Math.round(Math.max(0, ...durations)),
    shareOfWall: Number((total / ms).toFixed(3)),
    pageEventsPerSec: Math.round(seqDelta / (ms / 1000)),
  };
}

async function measureWindow(page: Page, seconds: number): Promise<LongTaskWindow> {
  const r = await page.evaluate(async (ms) => {
    const w = window as unknown as { __linkage: { store: { seq: number } } };
    const durations: number[] = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) durations.push(e.duration);
    });
    obs.observe({ type: 'longtask', buffered: false });
    const seq0 = w.__linkage.store.seq;
    const t0 = performance.now();
    await new Promise((res) => setTimeout(res, ms));
    // Entries are delivered asynchronously: give the last ones a moment.
    await new Promise((res) => setTimeout(res, 200));
    obs.disconnect();
    return { durations, ms: performance.now() - t0 - 200, seqDelta: w.__linkage.store.seq - seq0 };
  }, seconds * 1000);
  return summarizeLongTasks(r.durations, r.ms, r.seqDelta);
}

export async function measureLongTasks() {
  // The server serves STATIC_DIR as the dashboard: here the test build, whose page publishes its store and frame timings.
  const staticDir = process.env.STATIC_DIR || path.join(root, 'dist-test');
  if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error(`${staticDir} is missing: run \`npm run build:test\` first`);
  const datasetDir = path.join(root, 'data', 'generated');
  await ensureDataset(datasetDir);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linkage-longtasks-'));
  const stack = await startStack({ port: await freePort(), mqttPort: await freePort(), host: '127.0.0.1', dataDir, datasetDir, output: 'pipe', simulatorArgs: SIM_ARGS, serverEnv: { AUTH_MODE: 'declared', STATIC_DIR: staticDir } });
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  try {
    // Inside the try: a browser that cannot start (Chromium missing) must not leave the stack running.
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    const t = Date.now();
    await page.goto(stack.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 150_000 });
    const loadS = (Date.now() - t) / 1000;
    log(`dashboard ready in ${loadS.toFixed(1)} s; settling ${SETTLE} s`);
    await page.waitForTimeout(SETTLE * 1000);
    log(`measuring ${SECONDS} s with live updates (simulator ${SIM_ARGS.join(' ')})`);
    const live = await measureWindow(page, SECONDS);
    log(`live: ${JSON.stringify(live)}; stopping the simulator`);
    // SIGTERM: the simulator delivers its queue and exits (the server keeps running).
    const sim = stack.simulator;
    if (sim && sim.exitCode === null) {
      sim.kill('SIGTERM');
      await Promise.race([new Promise((r) => sim.once('exit', r)), new Promise((r) => setTimeout(r, 15_000))]);
    }
    // The page may still be working through queued deltas: wait until its sequence number rests.
    await page.waitForFunction(
      () => {
        const w = window as unknown as { __linkage: { store: { seq: number } }; __ltRest?: { seq: number; at: number } };
        const seq = w.__linkage.store.seq;
        if (!w.__ltRest || w.__ltRest.seq !== seq) w.__ltRest = { seq, at: performance.now() };
        return performance.now() - w.__ltRest.at > 3000;
      },
      undefined,
      { timeout: 90_000, polling: 500 },
    ).catch(() => log('the page kept receiving events for 90 s after the simulator stopped'));
    log(`measuring ${SECONDS} s on the same page without updates`);
    const idle = await measureWindow(page, SECONDS);
    log(`baseline: ${JSON.stringify(idle)}`);
    return {
      viewport: '1920x1080',
      renderer: 'headless Chromium, --disable-gpu (software WebGL)',
      simulatorArgs: SIM_ARGS.join(' '),
      pageReadySeconds: Number(loadS.toFixed(1)),
      live,
      baselineNoUpdates: idle,
      extraShareOfWall: Number((live.shareOfWall - idle.shareOfWall).toFixed(3)),
      what: 'PerformanceObserver longtask entries (main-thread tasks > 50 ms) in the dashboard page; baseline = the same page after the simulator was stopped',
    };
  } finally {
    await browser?.close().catch((e) => log(`browser close failed: ${(e as Error).message}`));
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runAsBenchChild(import.meta.filename, measureLongTasks, log);
