// Soak: does the dashboard run for days without growing? A stack (scripts/stack.ts) with the
// simulator at full district rate, the built dashboard in headless Chromium at 1920×1080, and every
// BENCH_SOAK_SAMPLE_S seconds a forced GC then the JS heap (CDP Runtime.getHeapUsage), DOM nodes and
// listeners (Memory.getDOMCounters) and the page's store sizes. The baseline is the same page's
// first samples after warm-up; growth is reported as the least-squares slope (MB per hour) and the
// last-quarter mean over the first-quarter mean.
// `npx tsx bench/soak.ts` prints one JSON object; bench/run.ts runs it as a child.
// Env: BENCH_SOAK_MIN (minutes, default 30), BENCH_SOAK_SAMPLE_S (default 30), BENCH_SOAK_WARMUP_S
// (default 120), BENCH_SOAK_SIM (simulator args, default "--speed 60").
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import { startStack } from '../scripts/stack.ts';
import { ensureDataset } from '../data/load.ts';
import { launch } from '../e2e/screenshot.ts';
import { runAsBenchChild } from './exit.ts';

const root = path.resolve(import.meta.dirname, '..');
const MINUTES = Number(process.env.BENCH_SOAK_MIN ?? 30);
const SAMPLE_S = Number(process.env.BENCH_SOAK_SAMPLE_S ?? 30);
const WARMUP_S = Number(process.env.BENCH_SOAK_WARMUP_S ?? 120);
const SIM_ARGS = (process.env.BENCH_SOAK_SIM ?? '--speed 60').split(/\s+/).filter(Boolean);
const log = (m: string) => process.stderr.write(`[soak] ${m}\n`);

export interface SoakSample {
  /** Minutes since the end of the warm-up. */
  min: number;
  heapMB: number;
  domNodes: number;
  listeners: number;
  cases: number;
  seq: number;
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Growth figures of a soak run: slope per hour, and the last quarter over the first quarter. */
export function summarizeSoak(samples: SoakSample[]) {
  const q = Math.max(1, Math.floor(samples.length / 4));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const heap = samples.map((s) => s.heapMB);
  const mins = samples.map((s) => s.min);
  const first = mean(heap.slice(0, q));
  const last = mean(heap.slice(-q));
  return {
    samples: samples.length,
    minutes: Number((samples.at(-1)?.min ?? 0).toFixed(1)),
    heapMB: { baselineFirstQuarter: Number(first.toFixed(1)), lastQuarter: Number(last.toFixed(1)), max: Number(Math.max(...heap).toFixed(1)) },
    heapGrowthMBPerHour: Number((slope(mins, heap) * 60).toFixed(2)),
    heapLastOverFirst: Number((last / first).toFixed(3)),
    domNodes: { first: samples[0]?.domNodes ?? 0, last: samples.at(-1)?.domNodes ?? 0, max: Math.max(...samples.map((s) => s.domNodes)) },
    listeners: { first: samples[0]?.listeners ?? 0, last: samples.at(-1)?.listeners ?? 0 },
  };
}

export async function soak() {
  // The server serves STATIC_DIR as the dashboard: here the test build, whose page publishes its store and frame timings.
  const staticDir = process.env.STATIC_DIR || path.join(root, 'dist-test');
  if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error(`${staticDir} is missing: run \`npm run build:test\` first`);
  const datasetDir = path.join(root, 'data', 'generated');
  await ensureDataset(datasetDir);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linkage-soak-'));
  const stack = await startStack({ port: await freePort(), mqttPort: await freePort(), host: '127.0.0.1', dataDir, datasetDir, output: 'pipe', simulatorArgs: SIM_ARGS, serverEnv: { AUTH_MODE: 'declared', STATIC_DIR: staticDir } });
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  try {
    // Inside the try: a browser that cannot start (Chromium missing) must not leave the stack running.
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    const cdp = await page.context().newCDPSession(page);
    await page.goto(stack.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 150_000 });
    log(`dashboard ready; warming up ${WARMUP_S} s, then sampling every ${SAMPLE_S} s for ${MINUTES} min (simulator ${SIM_ARGS.join(' ')})`);
    await page.waitForTimeout(WARMUP_S * 1000);
    await cdp.send('HeapProfiler.enable');
    const samples: SoakSample[] = [];
    const t0 = Date.now();
    const end = t0 + MINUTES * 60_000;
    while (true) {
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
      const store = await page.evaluate(() => {
        const s = (window as unknown as { __linkage: { store: { seq: number; cases: Map<string, unknown> } } }).__linkage.store;
        return { seq: s.seq, cases: s.cases.size };
      });
      const sample = { min: Number(((Date.now() - t0) / 60_000).toFixed(2)), heapMB: Number((heap.usedSize / 1048576).toFixed(2)), domNodes: dom.nodes, listeners: dom.jsEventListeners, cases: store.cases, seq: store.seq };
      samples.push(sample);
      log(JSON.stringify(sample));
      if (Date.now() + SAMPLE_S * 1000 > end + 1000) break;
      await page.waitForTimeout(SAMPLE_S * 1000);
    }
    const first = samples[0];
    const last = samples.at(-1)!;
    return {
      viewport: '1920x1080',
      renderer: 'headless Chromium, --disable-gpu (software WebGL)',
      simulatorArgs: SIM_ARGS.join(' '),
      warmupSeconds: WARMUP_S,
      ...summarizeSoak(samples),
      pageEventsPerSec: Math.round((last.seq - first.seq) / Math.max(1, (last.min - first.min) * 60)),
      casesInStore: { first: first.cases, last: last.cases },
      what: 'JS heap after a forced GC (CDP), DOM nodes and listeners of the live dashboard page; baseline = its first quarter of samples after warm-up',
      series: samples.map((s) => [s.min, s.heapMB, s.domNodes]),
    };
  } finally {
    await browser?.close().catch((e) => log(`browser close failed: ${(e as Error).message}`));
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runAsBenchChild(import.meta.filename, soak, log);
