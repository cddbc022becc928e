// Browser tests of the dashboard as a whole against the shared stack (server + simulator + built
// dist/): it loads, draws, counts, updates live, speaks both languages and fits every screen size.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { DEVICE_KINDS } from '../core/domain.ts';
import type { Summary } from '../core/protocol.ts';
import { VIEWPORTS, mapIdle } from './screenshot.ts';
import { useDashboard } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');

const get = useDashboard();

async function num(p: Page, testId: string): Promise<number> {
  const v = await p.getAttribute(`[data-testid="${testId}"]`, 'data-value');
  return v === null || v === '' ? NaN : Number(v);
}

describe('dashboard', () => {
  it('loads with the title, a live connection and no page errors', async () => {
    const { page, pageErrors } = get();
    await expect(page.title()).resolves.toContain('大观区智慧联动中心');
    await expect(page.textContent('.title')).resolves.toContain('城市运行实时监测');
    await page.waitForSelector('[data-testid="conn-status"][data-state="connected"]', { timeout: 90_000 });
    const overflow = await page.evaluate(() => ({ x: document.documentElement.scrollWidth > innerWidth, y: document.documentElement.scrollHeight > innerHeight }));
    expect(overflow).toEqual({ x: false, y: false });
    expect(pageErrors).toEqual([]);
  });

  it('draws the map: WebGL canvases exist and the map area is not blank', async () => {
    const { page } = get();
    const canvases = await page.locator('[data-testid="map"] canvas').count();
    expect(canvases).toBeGreaterThanOrEqual(2); // MapLibre + deck.gl
    const png = (await page.locator('[data-testid="map"]').screenshot()).toString('base64');
    const stats = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set<number>();
      let nonBg = 0;
      const [r0, g0, b0] = [d[0], d[1], d[2]];
      for (let i = 0; i < d.length; i += 16) {
        colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        if (Math.abs(d[i] - r0) + Math.abs(d[i + 1] - g0) + Math.abs(d[i + 2] - b0) > 30) nonBg++;
      }
      return { colours: colours.size, nonBgShare: nonBg / (d.length / 16) };
    }, png);
    expect(stats.colours).toBeGreaterThan(200);
    expect(stats.nonBgShare).toBeGreaterThan(0.05);
  });

  it('shows device counts equal to GET /api/summary', async () => {
    const { page, url } = get();
    const summary = (await (await fetch(`${url}/api/summary`)).json()) as Summary;
    for (const kind of DEVICE_KINDS) {
      expect(await num(page, `kpi-${kind}-total`), `${kind} total`).toBe(summary.devices[kind].total);
      const online = await num(page, `kpi-${kind}-online`);
      // The page and the summary are read a moment apart while the simulator runs.
      const tolerance = Math.max(3, Math.ceil(summary.devices[kind].total * 0.02));
      expect(Math.abs(online - summary.devices[kind].online), `${kind} online ${online} vs ${summary.devices[kind].online}`).toBeLessThanOrEqual(tolerance);
    }
  });

  it('updates KPIs from the realtime feed while the simulator runs', async () => {
    const { page } = get();
    // An unattended screen turns its right column through the tabs every 30 s; a click holds 案件.
    await page.click('[data-testid="tab-cases"]');
    const ids = ['seq', 'kpi-cases-today', 'kpi-cases-open', 'kpi-events-rate', 'kpi-component-online', 'kpi-camera-online', 'kpi-worker-online'];
    const before = await Promise.all(ids.map((id) => num(page, id)));
    await vi.waitFor(
      async () => {
        const after = await Promise.all(ids.map((id) => num(page, id)));
        expect(after[0]).toBeGreaterThan(before[0]);
        expect(after.slice(1), `KPIs before ${before.slice(1)} after ${after.slice(1)}`).not.toEqual(before.slice(1));
      },
      { timeout: 90_000, interval: 1000 },
    );
  });

  it('switches language to English and back', async () => {
    const { page } = get();
    await page.click('[data-testid="lang-en"]');
    await expect(page.textContent('.title')).resolves.toContain('Daguan');
    await page.click('[data-testid="lang-zh"]');
    await expect(page.textContent('.title')).resolves.toContain('大观区');
  });

  it('takes screenshots at 1920×1080 and 3840×2160', async () => {
    const { page } = get();
    mkdirSync(shots, { recursive: true });
    for (const v of VIEWPORTS) {
      // The same page, resized: a fresh page load with software WebGL at 4K costs ~40 s.
      const p = page;
      await p.setViewportSize({ width: v.width, height: v.height });
      await p.waitForFunction((w) => Math.abs(parseFloat(getComputedStyle(document.documentElement).fontSize) - (16 * w) / 1920) < 0.5, v.width);
      await mapIdle(p);
      const file = path.join(shots, `e2e-${v.name}.png`);
      await p.screenshot({ path: file, timeout: 240_000 });
      const rootPx = await p.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
      expect(rootPx).toBeCloseTo((16 * v.width) / 1920, 0); // type scales with the screen
      const overflow = await p.evaluate(() => document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth);
      expect(overflow).toBe(false);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  it('on a 7680×2160 video wall docks the case board, the indicators and the whistles beside a wide map', async () => {
    const { page } = get();
    await page.setViewportSize({ width: 7680, height: 2160 });
    await page.waitForSelector('[data-testid="col-case-board"] [data-testid="case-feed"], [data-testid="col-case-board"] .feed-empty');
    await page.waitForSelector('[data-testid="col-indicators"]');
    const layout = await page.evaluate(() => {
      const w = (s: string) => document.querySelector(s)?.getBoundingClientRect().width ?? 0;
      return {
        rootPx: parseFloat(getComputedStyle(document.documentElement).fontSize),
        map: w('.map-wrap'), board: w('[data-testid="col-case-board"]'), indicators: w('[data-testid="col-indicators"]'),
        tabs: [...document.querySelectorAll('.col-right [role="tab"]')].map((e) => e.getAttribute('data-testid')),
        overflow: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
      };
    });
    expect(layout.rootPx).toBeCloseTo(32, 0); // type sized by the wall's height, as at 3840×2160
    expect(layout.map).toBeGreaterThan(3 * layout.board);
    expect(layout.board).toBeGreaterThan(800);
    expect(layout.indicators).toBeGreaterThan(800);
    // What has a column of its own is not a tab any more (cases, whistles, indicators); the rest stay tabs.
    expect(layout.tabs).toEqual(['tab-flood', 'tab-drones', 'tab-broadcast', 'tab-duty']);
    expect(layout.overflow).toBe(false);
    await mapIdle(page);
    await page.screenshot({ path: path.join(shots, 'e2e-7680x2160.png'), timeout: 300_000 });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForSelector('[data-testid="col-case-board"]', { state: 'detached' });
  });
});
