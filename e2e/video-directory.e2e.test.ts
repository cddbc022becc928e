// Browser test of the camera directory and the wall as a wall (issue 15 item 2): the directory
// finds a camera by id and plays it, a star keeps it in the screen's favourites, a 轮巡 of the
// favourites turns the tile to the next camera, the full-screen wall of 9 tiles fills the map area,
// the ◀ 回放 button is not on the wall's title bar, and a kiosk screen shows no wall control.
// Tiles are checked by their camera ids, not frames (playing is video.e2e.test.ts's part).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DevicesFile } from '../core/dataset.ts';
import { closeFloating, goAs, useDashboard } from './support.ts';

type Win = { __linkage: { store: { status: { camera: Uint8Array } } } };
type Box = { x: number; y: number; width: number; height: number };

const tile = (id: string, reason?: string) => `[data-testid="video-tile"][data-id="${id}"]${reason ? `[data-reason="${reason}"]` : ''}`;
const overlap = (a: Box, b: Box) => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;

/** Searches the directory for `id`: exactly that camera is listed; returns its row. */
async function search(page: Page, id: string) {
  await page.fill('[data-testid="vdir-search"]', id);
  await page.waitForSelector(`[data-testid="vdir-matches"][data-n="1"]`);
  const rows = page.locator('[data-testid="vdir-camera"]');
  await expect(rows.count()).resolves.toBe(1);
  await expect(rows.first().getAttribute('data-id')).resolves.toBe(id);
  return rows.first();
}

const get = useDashboard();

describe('camera directory', () => {
  let cams: { id: string; name: string }[] = [];

  it('finds a camera by id, plays it on the wall, stars it; the ◀ 回放 button is not on the wall', async () => {
    const { page, url } = get();
    await closeFloating(page);
    const devices = (await (await fetch(`${url}/data/devices.json`)).json()) as DevicesFile;
    const status = await page.evaluate(() => Array.from((window as unknown as Win).__linkage.store.status.camera));
    cams = devices.camera.filter((_, i) => i >= 10 && status[i] === 0).slice(0, 2);
    expect(cams.length, 'two online cameras').toBe(2);

    await page.click('[data-testid="video-wall-toggle"]');
    // No alarm may bring cameras up while the tiles are counted.
    const auto = page.locator('[data-testid="video-auto"]');
    if ((await auto.getAttribute('aria-pressed')) === 'true') await auto.click();
    await page.click('[data-testid="video-dir-toggle"]');
    await page.waitForSelector('[data-testid="video-directory"]');
    // The tree lists the district's townships, folded.
    expect(await page.locator('[data-testid="vdir-township"]').count()).toBeGreaterThanOrEqual(7);

    const row = await search(page, cams[0].id);
    await expect(row.locator('.vdir-name').textContent()).resolves.toBe(cams[0].name);
    await expect(row.getAttribute('data-online')).resolves.toBe('1');
    await row.locator('[data-testid="vdir-open"]').click();
    await page.waitForSelector(tile(cams[0].id, 'directory'));
    await row.locator('[data-testid="vdir-star"]').click();
    await expect(row.locator('[data-testid="vdir-star"]').getAttribute('aria-pressed')).resolves.toBe('true');
    await (await search(page, cams[1].id)).locator('[data-testid="vdir-star"]').click();
    // Remembered by this screen.
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('linkage.video.favourites') ?? '[]'))).toEqual(cams.map((c) => c.id));
    await page.click('[data-testid="vdir-view-favourites"]');
    await expect(page.locator('[data-testid="vdir-camera"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).resolves.toEqual(cams.map((c) => c.id));

    const replay = await page.locator('[data-testid="replay-open"]').boundingBox();
    const head = await page.locator('[data-testid="video-wall"] .vwall-head').boundingBox();
    expect(overlap(replay!, head!), '◀ 回放 on the wall title bar').toBe(false);
  }, 240_000);

  it('a tour of the favourites at 10 s turns the tile to the next camera and round again', async () => {
    const { page } = get();
    await page.click('[data-testid="video-layout-1"]');
    await page.click('[data-testid="vdir-interval-10"]');
    await page.click('[data-testid="vdir-tour-favourites"]');
    await page.waitForSelector('[data-testid="video-tour"]');
    await page.waitForSelector(tile(cams[0].id));
    // The next page after the interval, then the first again: one tile, the two cameras in turn.
    await page.waitForSelector(tile(cams[1].id, 'tour'), { timeout: 60_000 });
    await expect(page.locator('[data-testid="video-tile"]').count()).resolves.toBe(1);
    await page.waitForSelector(tile(cams[0].id, 'tour'), { timeout: 60_000 });
    await page.click('[data-testid="video-tour-stop"]');
    await page.waitForSelector('[data-testid="video-tour"]', { state: 'detached' });
  }, 240_000);

  it('the full-screen wall of 9 tiles fills the map area, and goes back to floating', async () => {
    const { page } = get();
    await page.click('[data-testid="video-dir-toggle"]'); // directory closed: the tiles alone
    await page.click('[data-testid="video-layout-9"]');
    await page.click('[data-testid="video-wall-full"]');
    await page.waitForSelector('[data-testid="video-wall"][data-full="1"]');
    const map = (await page.locator('[data-testid="map"]').boundingBox())!;
    const wall = (await page.locator('[data-testid="video-wall"]').boundingBox())!;
    for (const [k, d] of [['left', wall.x - map.x], ['top', wall.y - map.y], ['right', map.x + map.width - wall.x - wall.width], ['bottom', map.y + map.height - wall.y - wall.height]] as const) {
      expect(Math.abs(d), `the wall's ${k} edge is ${d} px from the map's`).toBeLessThanOrEqual(2);
    }
    const cells = await page.locator('[data-testid="video-grid"] > *').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(cells.length).toBe(9);
    // Three rows of three reaching the wall's bottom: the tiles use its height, not a 16:9 strip at the top.
    const grid = (await page.locator('[data-testid="video-grid"]').boundingBox())!;
    expect(new Set(cells.map((c) => Math.round(c.top))).size).toBe(3);
    expect(Math.max(...cells.map((c) => c.bottom))).toBeGreaterThan(grid.y + grid.height - 16);
    for (const c of cells) expect(c.width * 3).toBeGreaterThan(grid.width - 24);

    await page.click('[data-testid="video-wall-full"]');
    await page.waitForSelector('[data-testid="video-wall"][data-full="0"]');
    const floating = (await page.locator('[data-testid="video-wall"]').boundingBox())!;
    expect(floating.width).toBeLessThan(map.width - 100);
  }, 240_000);

  it('a kiosk screen shows the wall without any control', async () => {
    const { page } = get();
    await goAs(page, '?as=display&kiosk=1');
    try {
      await page.waitForSelector('[data-testid="app"].kiosk', { state: 'attached' });
      await page.waitForSelector('[data-testid="video-wall"] [data-testid="video-tile"]');
      const visible = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="video-wall"] button, [data-testid="video-wall"] input, [data-testid="video-wall-toggle"], [data-testid="replay-open"]')]
          .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().width > 0)
          .map((e) => e.getAttribute('data-testid') ?? e.textContent),
      );
      expect(visible, 'controls on a kiosk wall').toEqual([]);
      expect(await page.locator('[data-testid="video-wall"] .vwall-head').count()).toBe(0);
    } finally {
      await goAs(page, '?as=display');
      await page.waitForSelector('[data-testid="app"]:not(.kiosk)');
    }
  }, 120_000);
});
