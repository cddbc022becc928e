// Browser test of decision analysis (issue 5), on a page of its own: the sheet's
// totals agree with the server for its window, a click on a total or a ranking row lists exactly
// the cases behind it, and a click on a case closes the sheet and opens that case on the map.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_VIEWPORTS, mapIdle } from './screenshot.ts';
import { closeFloating, useDashboard } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');

const get = useDashboard();

describe('decision analysis', () => {
  it('decision analysis: totals match the server, every figure drills down to its cases, a case opens on the map', async () => {
    const { page, url } = get();
    page.setDefaultTimeout(90_000);
    await closeFloating(page);
    await page.click('[data-testid="analysis-open"]');
    const sheet = page.locator('[data-testid="analysis"]');
    await sheet.waitFor();
    const [from, to, scope] = [Number(await sheet.getAttribute('data-from')), Number(await sheet.getAttribute('data-to')), await page.getAttribute('[data-testid="app"]', 'data-scope')];
    expect(to - from).toBe(7 * 86_400_000);
    await page.waitForSelector('[data-testid="an-total-reported"][data-value]:not([data-value="0"])');
    const api = (await (await fetch(`${url}/api/analysis?scope=${scope}&from=${from}&to=${to}`)).json()).data;
    // Read a moment apart while the simulator reports: the page polls each minute.
    const shown = Number(await page.getAttribute('[data-testid="an-total-reported"]', 'data-value'));
    expect(Math.abs(shown - api.trend.totals.current.reported)).toBeLessThanOrEqual(5);

    // A total lists its cases (up to 500).
    await page.click('[data-testid="an-total-reported"]');
    await page.waitForSelector('[data-testid="an-drill"][data-count]:not([data-count=""])');
    const listed = Number(await page.getAttribute('[data-testid="an-drill"]', 'data-count'));
    const reported = (await (await fetch(`${url}/api/analysis/cases?scope=${scope}&from=${from}&to=${to}&measure=reported`)).json()).data as unknown[];
    expect(listed).toBeGreaterThan(0);
    expect(Math.abs(listed - reported.length), `${listed} listed, ${reported.length} on the server`).toBeLessThanOrEqual(5);

    // A ranking row lists exactly its own cases.
    await page.click('[data-testid="an-by-township"]');
    const row = page.locator('[data-testid="an-row"]').first();
    await row.waitFor();
    const key = (await row.getAttribute('data-key'))!;
    await row.click();
    await page.waitForFunction((k) => [...document.querySelectorAll('[data-testid="an-case"]')].length > 0 && document.querySelector('[data-testid="an-drill"]')?.getAttribute('data-key') === k, key);
    const ids = await page.locator('[data-testid="an-case"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')!));
    const server = (await (await fetch(`${url}/api/analysis/cases?scope=${scope}&from=${from}&to=${to}&by=township&key=${key}`)).json()).data as Array<{ id: string; townshipCode: string }>;
    expect(server.every((c) => c.townshipCode === key)).toBe(true);
    // New reports may land between the two reads: every listed case is the server's, and few are missing.
    const serverIds = new Set(server.map((c) => c.id));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !serverIds.has(id))).toEqual([]);
    expect(server.length - ids.length).toBeLessThanOrEqual(5);

    mkdirSync(shots, { recursive: true });
    for (const v of FEATURE_VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await mapIdle(page);
      await page.screenshot({ path: path.join(shots, `analysis-${v.name}.png`) });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });

    // A case from the list opens on the map, the sheet gone.
    await page.locator('[data-testid="an-case"]').first().click();
    await sheet.waitFor({ state: 'detached' });
    await page.waitForSelector(`[data-testid="case-detail"][data-case-id="${ids[0]}"]`);
    await page.click('[data-testid="case-detail-close"]');

    // The hot-spot view on the map lists as many places as the server finds for the last 7 days.
    await page.click('[data-testid="layer-hotspots"]');
    await page.waitForFunction(() => (document.querySelector('[data-testid="hotspots-count"]')?.textContent ?? '') !== '');
    const spots = (await (await fetch(`${url}/api/analysis?scope=${scope}&from=${Date.now() - 7 * 86_400_000}&to=${Date.now()}`)).json()).data.hotspots as unknown[];
    expect(Math.abs(Number(await page.textContent('[data-testid="hotspots-count"]')) - spots.length)).toBeLessThanOrEqual(1);
    await page.click('[data-testid="layer-hotspots"]');

    // The case density (hexagons) counts the cases the server reports for the same 7 days, with a legend.
    await page.click('[data-testid="layer-density"]');
    await page.waitForFunction(() => (document.querySelector('[data-testid="density-count"]')?.getAttribute('data-value') ?? '') !== '');
    const points = (await (await fetch(`${url}/api/analysis/points?scope=${scope}&from=${Date.now() - 7 * 86_400_000}&to=${Date.now()}`)).json()).data as { count: number };
    expect(points.count).toBeGreaterThan(0);
    expect(Math.abs(Number(await page.getAttribute('[data-testid="density-count"]', 'data-value')) - points.count)).toBeLessThanOrEqual(5);
    await page.waitForSelector('[data-testid="density-legend"]');
    await mapIdle(page);
    await page.screenshot({ path: path.join(shots, 'density-1920x1080.png') });
    await page.click('[data-testid="layer-density"]');
    await page.waitForSelector('[data-testid="density-legend"]', { state: 'detached' });
    page.setDefaultTimeout(90_000);
  }, 300_000);
});
