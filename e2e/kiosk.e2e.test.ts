// Browser test of the unattended wall screen (issue 5): ?kiosk=1 hides the controls, ?rotate=10
// turns the screen through the whole district, a township (the map zooms there), the case board
// and the video wall (cameras come up, and go away when the rotation moves on).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { FEATURE_VIEWPORTS, SHOTS_4K, mapIdle } from './screenshot.ts';
import { closeFloating, goAs, useDashboard } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');
type MapWin = { __linkageMap: { getCenter(): { lng: number; lat: number }; getZoom(): number } };

const viewKind = (page: Page) => page.getAttribute('[data-testid="rotation-view"]', 'data-kind');

/** Waits for the rotation to reach `kind`; a timeout says which views it went through (step, kind, scope). */
async function waitView(page: Page, kind: string, timeoutMs = 120_000): Promise<void> {
  const seen: string[] = [];
  await vi.waitFor(
    async () => {
      const now = await page.evaluate(() => {
        const v = document.querySelector('[data-testid="rotation-view"]');
        const app = document.querySelector('[data-testid="app"]');
        return { kind: v?.getAttribute('data-kind') ?? null, step: v?.getAttribute('data-step') ?? null, scope: app?.getAttribute('data-scope') ?? null, search: location.search };
      });
      const line = `${now.step}:${now.kind}@${now.scope}${now.search}`;
      if (seen[seen.length - 1] !== line) seen.push(line);
      if (now.kind !== kind) throw new Error(`the rotation did not reach ${kind} in ${timeoutMs / 1000} s; it showed ${seen.slice(-12).join(' → ')}`);
    },
    { timeout: timeoutMs, interval: 500 },
  );
}

const get = useDashboard();

describe('kiosk', () => {
  it('kiosk: no controls on an unattended screen; the rotation zooms to a township, holds the case board, brings cameras up and takes them away', async () => {
    const { page } = get();
    page.setDefaultTimeout(90_000);
    await closeFloating(page);
    // A case card left open before the screen went unattended (nobody would be there to close it).
    await goAs(page, '?as=display');
    await page.click('[data-testid="tab-cases"]');
    await page.click('[data-testid="case-feed"] [data-case-id]');
    await page.waitForSelector('[data-testid="case-detail"]');
    await goAs(page, '?as=display&kiosk=1&rotate=10');
    await waitView(page, 'area', 90_000);
    await page.waitForSelector('[data-testid="app"].kiosk', { state: 'attached' });
    await page.waitForSelector('[data-testid="case-detail"]', { state: 'detached' });
    for (const sel of ['[data-testid="identity"]', '[data-testid="lang-zh"]', '[data-testid="analysis-open"]', '[data-testid="layer-panel"]']) {
      expect(await page.locator(sel).first().isVisible(), `${sel} hidden`).toBe(false);
    }
    const zoomArea = await page.evaluate(() => (window as unknown as MapWin).__linkageMap.getZoom());

    await waitView(page, 'township');
    await page.waitForFunction((z) => (window as unknown as MapWin).__linkageMap.getZoom() > z + 0.3, zoomArea);
    expect(await page.textContent('[data-testid="rotation-view"]')).toMatch(/街道|乡|镇/);

    await waitView(page, 'cases');
    await page.waitForSelector('[data-testid="case-feed"]');

    await waitView(page, 'video');
    await page.waitForSelector('[data-testid="video-wall"] [data-testid="video-tile"]');
    mkdirSync(shots, { recursive: true });
    for (const v of FEATURE_VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await mapIdle(page);
      await page.screenshot({ path: path.join(shots, `kiosk-${v.name}.png`), timeout: 240_000 });
    }
    if (SHOTS_4K) {
      // The 32:9 video wall of the command room.
      await page.setViewportSize({ width: 7680, height: 2160 });
      await mapIdle(page);
      await page.screenshot({ path: path.join(shots, 'kiosk-7680x2160.png'), timeout: 300_000 });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });

    // The rotation moves on: the wall goes away.
    await page.waitForFunction(() => document.querySelector('[data-testid="rotation-view"]')?.getAttribute('data-kind') !== 'video', null, { timeout: 60_000 });
    await page.waitForSelector('[data-testid="video-wall"]', { state: 'detached' });
    expect(await viewKind(page)).not.toBe('video');

    await goAs(page, '?as=display');
    await page.waitForSelector('[data-testid="rotation-view"]', { state: 'detached' });
    expect(await page.locator('[data-testid="identity"]').isVisible()).toBe(true);
  }, 360_000);
});
