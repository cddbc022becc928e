// Browser test of the emergency broadcast (issue 4), on the shared stack
// (server + simulator answering over MQTT), on a page of its own: a dispatcher
// draws an area on the map by clicking, sees the selected points, checks the preview (一般: no
// approval needed; 紧急/特急 approval is e2e/broadcast-approval.e2e.test.ts), sends, and watches the progress
// reach every selected point — the count computed here with the same core selectPoints.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { selectPoints, type BroadcastState } from '../core/broadcast.ts';
import type { DevicesFile } from '../core/dataset.ts';
import { FEATURE_VIEWPORTS, mapIdle } from './screenshot.ts';
import { closeFloating, goAs, useDashboard } from './support.ts';

const root = path.resolve(import.meta.dirname, '..');
const shots = path.join(root, 'screenshots');

/** Software WebGL on a loaded 2-core machine can hold the main thread for many seconds. */
const SLOW = { timeout: 120_000 };

async function attr(page: Page, selector: string, name: string): Promise<number> {
  return Number(await page.getAttribute(selector, name));
}

const get = useDashboard();

describe('emergency broadcast', () => {
  it('broadcast: draw an area on the map, send, and the progress reaches every selected point', async () => {
    const { page, url } = get();
    // Every step may wait on a main thread held by software WebGL (restored at the end).
    page.setDefaultTimeout(SLOW.timeout);
    await closeFloating(page);
    await goAs(page, '?as=dispatcher');
    await page.waitForFunction(() => {
      const s = (window as unknown as { __linkage: { store: { seq: number; session: { actor: { role: string } } | null } } }).__linkage.store;
      return s.seq >= 0 && s.session?.actor.role === 'dispatcher';
    }, null, { timeout: 90_000 });
    await page.click('[data-testid="tab-broadcast"]', SLOW);
    await page.click('[data-testid="bc-mode-area"]', SLOW);
    if ((await attr(page, '[data-testid="bc-vertices"]', 'data-value')) > 0) await page.click('[data-testid="bc-clear"]', SLOW);

    // A quadrilateral around the middle of the map, clicked vertex by vertex (slowly: not a double-click).
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    const cx = box.x + box.width * 0.5;
    const cy = box.y + box.height * 0.5;
    const w = box.width * 0.16;
    const h = box.height * 0.16;
    const clicks: [number, number][] = [[cx - w, cy - h], [cx + w, cy - h * 0.8], [cx + w * 0.9, cy + h], [cx - w * 1.1, cy + h * 0.9]];
    for (const [i, [x, y]] of clicks.entries()) {
      await page.mouse.click(x, y);
      // Each click handled before the next (clicks on different spots are never a double-click).
      await page.waitForFunction((n) => document.querySelector('[data-testid="bc-vertices"]')?.getAttribute('data-value') === String(n), i + 1, SLOW);
    }
    await page.click('[data-testid="bc-finish"]', SLOW);

    // Where those clicks are on the ground, and which points the same selectPoints finds there.
    const ring = await page.evaluate(
      ({ clicks, left, top }) => {
        const map = (window as unknown as { __linkageMap: { unproject(p: [number, number]): { lng: number; lat: number } } }).__linkageMap;
        return clicks.map(([x, y]) => {
          const ll = map.unproject([x - left, y - top]);
          return [ll.lng, ll.lat] as [number, number];
        });
      },
      { clicks, left: box.x, top: box.y },
    );
    const devices = JSON.parse(readFileSync(path.join(root, 'data', 'generated', 'devices.json'), 'utf8')) as DevicesFile;
    const points = devices.broadcast.map((p) => ({ id: p.id, lon: p.lon, lat: p.lat, townshipCode: p.townshipCode, communityCode: '' }));
    const expected = selectPoints({ mode: 'area', ring }, points);
    expect(expected.length, 'the drawn area should hold some broadcast points').toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelector('[data-testid="bc-selected"]')?.getAttribute('data-value') === String(n), expected.length, SLOW);

    await page.fill('[data-testid="bc-text"]', '  应急演练：请各广播点播放防汛转移通知  ', SLOW);
    await page.click('[data-testid="bc-priority-normal"]', SLOW);
    await page.fill('[data-testid="bc-repeat"]', '2', SLOW);
    await page.click('[data-testid="bc-send"]', SLOW);
    // Nothing goes out before the preview is confirmed: it shows the level, the text and the count.
    await page.waitForSelector('[data-testid="bc-preview"]', SLOW);
    expect(await attr(page, '[data-testid="bc-preview"]', 'data-points')).toBe(expected.length);
    expect(await page.getAttribute('[data-testid="bc-preview"]', 'data-priority')).toBe('normal');
    await expect(page.textContent('[data-testid="bc-preview-text"]')).resolves.toBe('应急演练：请各广播点播放防汛转移通知');
    await page.click('[data-testid="bc-confirm"]', SLOW);
    const sent = page.locator('[data-testid="bc-progress"]');
    await page.waitForFunction((n) => document.querySelector('[data-testid="bc-progress"]')?.getAttribute('data-targets') === String(n), expected.length, SLOW);
    const id = (await sent.getAttribute('data-id'))!;

    // Every point answers, fails, or is marked no-answer at the deadline (60 s plus playing time).
    await page.waitForFunction(
      (bid) => {
        const el = document.querySelector(`[data-testid="bc-progress"][data-id="${bid}"]`);
        return el?.getAttribute('data-pending') === '0' && el.getAttribute('data-status') === 'completed';
      },
      id,
      { timeout: 180_000, polling: 500 },
    );
    const n = (k: string) => attr(page, '[data-testid="bc-progress"]', k);
    const [delivered, failed, noAnswer] = [await n('data-delivered'), await n('data-failed'), await n('data-no-answer')];
    expect(delivered + failed + noAnswer).toBe(expected.length);
    expect(delivered, 'the simulator\'s points answered over MQTT').toBeGreaterThan(0);

    // The server agrees point by point, and the history names who sent it.
    const detail = (await (await fetch(`${url}/api/broadcasts/${id}`)).json()) as { data: BroadcastState };
    expect(Object.keys(detail.data.points).sort()).toEqual([...expected].sort());
    expect(detail.data.progress).toMatchObject({ targets: expected.length, delivered, failed, noAnswer, pending: 0 });
    expect(detail.data.message.text).toBe('应急演练：请各广播点播放防汛转移通知');
    const item = page.locator(`[data-testid="bc-item"][data-id="${id}"]`);
    await expect(item.textContent()).resolves.toContain(detail.data.actor.name);

    // Screenshots: the area, its highlighted points, the progress and the history.
    mkdirSync(shots, { recursive: true });
    for (const v of FEATURE_VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await page.waitForFunction((wd) => Math.abs(parseFloat(getComputedStyle(document.documentElement).fontSize) - (16 * wd) / 1920) < 0.5, v.width, SLOW);
      await mapIdle(page);
      await page.screenshot({ path: path.join(shots, `broadcast-${v.name}.png`), timeout: 240_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth);
      expect(overflow).toBe(false);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    page.setDefaultTimeout(90_000);
  }, 900_000);
});
