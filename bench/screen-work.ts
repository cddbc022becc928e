// The screen's own work (issue 16): main-thread JavaScript a dashboard page spends applying what the
// server sends, measured in headless Chromium on the test build (client/src/realtime/applyCost.ts).
// A stack without the simulator, so this bench alone changes the district: ROUNDS times it posts
// 2,000 component status flips in one HTTP batch (they reach the page as one delta, or two when
// the batch straddles a hub tick) and reads the page's decode + apply ms of those deltas and the
// map's layer rebuild; then it reloads the page SNAPSHOTS times and reads the snapshot's apply ms.
// Baseline, same page, same run: writing the same number of changes into typed arrays (the floor
// any store pays), and copying a snapshot's worth of device status bytes.
// `npx tsx bench/screen-work.ts` prints one JSON object; bench/run.ts runs it as a child.
// Env: BENCH_SW_ROUNDS (20), BENCH_SW_CHANGES (2000), BENCH_SW_SNAPSHOTS (3).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { freePort } from '../scripts/free-port.ts';
import { startStack } from '../scripts/stack.ts';
import { ensureDataset } from '../data/load.ts';
import { launch } from '../e2e/screenshot.ts';
import { runAsBenchChild } from './exit.ts';
import { summarize } from './stats.ts';

const root = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_SW_ROUNDS ?? 20);
const CHANGES = Number(process.env.BENCH_SW_CHANGES ?? 2000);
const SNAPSHOTS = Number(process.env.BENCH_SW_SNAPSHOTS ?? 3);
const log = (m: string) => process.stderr.write(`[screen-work] ${m}\n`);

interface PageCost {
  deltas: { changes: number; ms: number }[];
  snapshots: number[];
  layerMs: number[];
}
const readCost = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __linkage: { realtime: { stats: { cost: { deltas: { changes: number; ms: number }[]; snapshots: number[] } } } }; __linkagePerf: { layerMs: number[] } };
    const c = w.__linkage.realtime.stats.cost;
    return { deltas: c.deltas.slice(), snapshots: c.snapshots.slice(), layerMs: w.__linkagePerf.layerMs.slice() } as PageCost;
  });

async function ready(page: Page, url: string) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 150_000 });
}

export async function measureScreenWork() {
  const staticDir = process.env.STATIC_DIR || path.join(root, 'dist-test');
  if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error(`${staticDir} is missing: run \`npm run build:test\` first`);
  const datasetDir = path.join(root, 'data', 'generated');
  await ensureDataset(datasetDir);
  const components = (JSON.parse(readFileSync(path.join(datasetDir, 'components.json'), 'utf8')) as { code: string[] }).code;
  if (components.length < CHANGES) throw new Error(`the dataset has ${components.length} components, fewer than ${CHANGES}`);
  const key = randomBytes(18).toString('base64url');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linkage-screen-work-'));
  const stack = await startStack({
    port: await freePort(), mqttPort: await freePort(), host: '127.0.0.1', dataDir, datasetDir, output: 'pipe', withSimulator: false,
    serverEnv: { AUTH_MODE: 'declared', STATIC_DIR: staticDir, GATEWAY_KEYS: `bench:${key}` },
  });
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  try {
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    await ready(page, stack.url);
    // Every 25th component, so the flips spread over the district as field changes do.
    const ids = Array.from({ length: CHANGES }, (_, i) => components[(i * 25) % components.length]);
    for (let r = 0; r < ROUNDS; r++) {
      const before = (await readCost(page)).deltas.length;
      const status = r % 2 === 0 ? 'fault' : 'online';
      const ts = Date.now();
      const body = JSON.stringify({ records: ids.map((id) => ({ kind: 'component', id, ts, status })) });
      const res = await fetch(`${stack.url}/api/ingest/devices`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': key }, body });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      // Until the page applied deltas carrying all of this round's flips.
      await page.waitForFunction(
        ([n, want]) => {
          const d = (window as unknown as { __linkage: { realtime: { stats: { cost: { deltas: { changes: number }[] } } } } }).__linkage.realtime.stats.cost.deltas;
          return d.slice(n).reduce((a, x) => a + x.changes, 0) >= want;
        },
        [before, CHANGES] as const,
        { timeout: 60_000, polling: 100 },
      );
    }
    const live = await readCost(page);
    // The rounds' deltas: those carrying at least half a batch (a batch that straddles a tick comes as two).
    const big = live.deltas.filter((d) => d.changes >= CHANGES / 2);
    const per2000 = big.map((d) => (d.ms / d.changes) * 2000);
    // Floor, same page: the same number of (index, status) writes into the store's kind of arrays.
    const floor = await page.evaluate((n) => {
      const status = new Uint8Array(100_000);
      const index = Uint32Array.from({ length: n }, (_, i) => (i * 25) % 100_000);
      const value = Uint8Array.from({ length: n }, (_, i) => i % 3);
      const out: number[] = [];
      for (let k = 0; k < 50; k++) {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) status[index[i]] = value[i] ^ (k & 1);
        out.push(performance.now() - t0);
      }
      return out;
    }, CHANGES);
    const snapshots: number[] = [];
    for (let s = 0; s < SNAPSHOTS; s++) {
      await ready(page, stack.url);
      const c = await readCost(page);
      if (c.snapshots.length > 0) snapshots.push(c.snapshots[0]);
    }
    const snapshotFloor = await page.evaluate(() => {
      const w = window as unknown as { __linkage: { store: { status: Record<string, Uint8Array> } } };
      const arrays = Object.values(w.__linkage.store.status);
      const out: number[] = [];
      for (let k = 0; k < 20; k++) {
        const t0 = performance.now();
        for (const a of arrays) a.slice();
        out.push(performance.now() - t0);
      }
      return out;
    });
    return {
      viewport: '1920x1080',
      rounds: ROUNDS,
      changesPerRound: CHANGES,
      deltaApply: {
        ...summarize(big.map((d) => d.ms), 2),
        changes: summarize(big.map((d) => d.changes), 0),
        what: `decode + apply of each delta that carried a round's flips (≥ ${CHANGES / 2} changes), ms on the page's main thread`,
      },
      deltaApplyPer2000Changes: { ...summarize(per2000, 2), what: 'the same deltas scaled to 2,000 changes (target ≤ 5 ms)' },
      layerRebuildMs: { ...summarize(live.layerMs, 2), what: "the map's layer rebuild per push over the whole run (layers are pushed at most every 200 ms, slower on a slow renderer)" },
      snapshotApply: { ...summarize(snapshots, 1), what: 'decode + apply of the snapshot a page takes when it connects (target ≤ 50 ms)' },
      baseline: {
        typedArrayWrites: { ...summarize(floor, 3), what: `${CHANGES} (index, status) writes into a Uint8Array in the same page: the floor of any store` },
        snapshotBytesCopy: { ...summarize(snapshotFloor, 2), what: "copying the store's device status arrays in the same page" },
      },
    };
  } finally {
    await browser?.close().catch((e) => log(`browser close failed: ${(e as Error).message}`));
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runAsBenchChild(import.meta.filename, measureScreenWork, log);
