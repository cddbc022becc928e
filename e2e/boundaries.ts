// Browser tests of the admin's geography imports. The boundary import: the admin uploads a GeoJSON of one grid in 系统管理 › 边界导入;
// the dry run lists it as redrawn and a bad feature with its field and reason, changes nothing; once
// confirmed, the screen's map draws the grid's new outline without a reload. The new outline is the
// old one with a vertex added in the middle of every edge: the same area, so the shared stack's other
// tests find every point in the grid it was in. The resources import: a dry run in 资源导入 (a new
// hospital and a bad row, not applied: the shared stack's resources test counts the dataset's); then
// an applied import that renames one hospital (the count stays), which the screen names at once,
// and a replay of the hour before names as it was.
// Runs after admin.ts (the admin's passphrase).
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeFloating, goAs, type Shared } from './support.ts';
import { signInAsAdmin } from './admin.ts';
import { hoverUntilNamed } from './map-pointer.ts';
import type { EmergencyResource } from '../core/resources.ts';

type Ring = [number, number][];
type Feature = { properties: { code: string }; geometry: { type: string; coordinates: unknown } };
type MapHandle = { getStyle(): { sources: Record<string, { data?: { features?: Feature[] } }> } };

/**
 * The outline vertices of grid `code` in what the map was last given to draw (its style's grid
 * source; the tiles it cuts from it simplify straight edges, so they cannot tell), 0 when absent.
 */
const drawnVertices = (page: Page, code: string) =>
  page.evaluate((c) => {
    const map = (window as unknown as { __linkageMap: MapHandle }).__linkageMap;
    const f = map.getStyle().sources.grids?.data?.features?.find((x) => x.properties.code === c);
    return f && f.geometry.type === 'Polygon' ? (f.geometry.coordinates as Ring[])[0].length : 0;
  }, code);

export function boundaryTests(get: () => Shared) {
  it('boundary import: the admin uploads a grid GeoJSON; the dry run lists it redrawn and the bad feature; confirmed, the map draws the new outline at once', async () => {
    const { page, adminPassword } = get();
    await closeFloating(page);
    await goAs(page, '?as=display');
    try {
      await signInAsAdmin(page, adminPassword);
      const grid = await page.evaluate(async () => {
        const fc = (await (await fetch('/data/grids.geojson')).json()) as { features: Array<{ properties: { code: string; name: string; communityCode: string }; geometry: { type: string; coordinates: unknown } }> };
        return fc.features.find((f) => f.geometry.type === 'Polygon')!;
      });
      const ring = (grid.geometry.coordinates as Ring[])[0];
      const dense: Ring = ring.slice(0, -1).flatMap((p, i) => [p, [(p[0] + ring[i + 1][0]) / 2, (p[1] + ring[i + 1][1]) / 2] as [number, number]]);
      dense.push(dense[0]);
      const file = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: grid.properties.code, name: grid.properties.name, community: grid.properties.communityCode }, geometry: { type: 'Polygon', coordinates: [dense] } },
          { type: 'Feature', properties: { code: grid.properties.code.slice(0, 12) + '999', name: '点', community: grid.properties.communityCode }, geometry: { type: 'Point', coordinates: ring[0] } },
        ],
      };
      await expect.poll(() => drawnVertices(page, grid.properties.code), { timeout: 60_000 }).toBe(ring.length);
      await page.click('[data-testid="admin-open"]');
      await page.click('[data-testid="admin-tab-boundaries"]');
      await page.setInputFiles('[data-testid="boundary-file"]', { name: '网格.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(file)) });
      await page.click('[data-testid="boundary-dry-run"]');
      await page.waitForSelector('[data-testid="boundary-counts"][data-redrawn="1"][data-bad="1"]');
      await page.waitForSelector(`[data-testid="boundary-change"][data-action="redrawn"][data-code="${grid.properties.code}"]`);
      expect(await page.textContent('[data-testid="boundary-bad"][data-feature="1"]')).toMatch(/geometry.*边界须为 Polygon 或 MultiPolygon，而不是 Point/);
      // The dry run changed nothing on the map.
      expect(await drawnVertices(page, grid.properties.code)).toBe(ring.length);
      await page.click('[data-testid="boundary-apply"]');
      await page.waitForSelector('[data-testid="boundary-applied"][data-applied="1"]');
      await page.click('[data-testid="admin-close"]');
      await expect.poll(() => drawnVertices(page, grid.properties.code), { timeout: 30_000 }).toBe(dense.length);
    } finally {
      if (await page.locator('[data-testid="admin-close"]').count()) await page.click('[data-testid="admin-close"]');
      if (await page.locator('[data-testid="sign-out"]').count()) await page.click('[data-testid="sign-out"]');
    }
  });
}

export function resourceImportTests(get: () => Shared) {
  // A dry run only: the shared stack's other files count the resources, so nothing is stored here
  // (server/resources.test.ts applies, re-applies and checks the token over HTTP).
  it('resources import: the admin uploads a CSV; the dry run lists the new hospital and the shelter outside its declared township (row, column, reason)', async () => {
    const { page, adminPassword } = get();
    await closeFloating(page);
    await goAs(page, '?as=display');
    try {
      await signInAsAdmin(page, adminPassword);
      const [a, b] = await page.evaluate(async () => ((await (await fetch('/data/manifest.json')).json()) as { townships: Array<{ code: string; center: [number, number] }> }).townships.slice(0, 2));
      const csv = [
        'id,kind,name,lon,lat,township,phone,capacity,beds',
        `HO-901,hospital,导入测试医院,${a.center[0]},${a.center[1]},${a.code},0556-5509001,,40`,
        `SH-901,shelter,街道不符避难所,${a.center[0]},${a.center[1]},${b.code},0556-5509002,300,`,
      ].join('\n');
      await page.click('[data-testid="admin-open"]');
      await page.click('[data-testid="admin-tab-resources"]');
      await page.setInputFiles('[data-testid="resources-file"]', { name: '应急资源.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.click('[data-testid="resources-dry-run"]');
      await page.waitForSelector('[data-testid="resources-counts"][data-added="1"][data-bad="1"]');
      await page.waitForSelector('[data-testid="resources-change"][data-action="added"][data-id="HO-901"]');
      expect(await page.textContent('[data-testid="resources-bad"][data-row="3"]')).toMatch(new RegExp(`township.*点位位于街道/乡镇 ${a.code}，不在 ${b.code}`));
      expect(await page.isEnabled('[data-testid="resources-apply"]')).toBe(true);
    } finally {
      if (await page.locator('[data-testid="admin-close"]').count()) await page.click('[data-testid="admin-close"]');
      if (await page.locator('[data-testid="sign-out"]').count()) await page.click('[data-testid="sign-out"]');
    }
  });
}

/** One resource as a CSV row of the import's columns (core/resources-import.ts), written out here. */
const HOSPITAL_COLUMNS = 'id,kind,name,lon,lat,township,address,phone,beds';
const hospitalRow = (h: EmergencyResource, name: string) => [h.id, h.kind, name, h.lon, h.lat, h.townshipCode, h.address, h.phone, h.beds].join(',');

export function resourceRenameTests(get: () => Shared) {
  it('resources import applied: a renamed hospital is named so on the map without a reload; a replay of the hour before names it as it was', async () => {
    const { page, url, adminPassword } = get();
    await closeFloating(page);
    await goAs(page, '?as=display');
    // The generator's file, not the route under test; hospitals serve the whole district.
    const hospital = ((await (await fetch(`${url}/data/resources.json`)).json()) as EmergencyResource[]).filter((r) => r.kind === 'hospital').at(-1)!;
    const renamed = `${hospital.name}（更名）`;
    const at = { lonlat: [hospital.lon, hospital.lat] as [number, number], zoom: 18 };
    // Progress on stdout: where the time goes when a step is slow on a loaded machine.
    const t0 = Date.now();
    const step = (what: string) => console.log(`[resources rename e2e] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
    try {
      await signInAsAdmin(page, adminPassword);
      await page.click('[data-testid="admin-open"]');
      await page.click('[data-testid="admin-tab-resources"]');
      const csv = [HOSPITAL_COLUMNS, hospitalRow(hospital, renamed)].join('\n');
      await page.setInputFiles('[data-testid="resources-file"]', { name: '医院更名.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.click('[data-testid="resources-dry-run"]');
      await page.waitForSelector('[data-testid="resources-counts"][data-added="0"][data-changed="1"][data-bad="0"]');
      expect(await page.textContent(`[data-testid="resources-change"][data-action="changed"][data-id="${hospital.id}"]`)).toContain('name');
      await page.click('[data-testid="resources-apply"]');
      await page.waitForSelector('[data-testid="resources-applied"][data-changed="1"]');
      // Committed by now (this machine's clock is the server's).
      const appliedBy = Date.now();
      step('applied');
      await page.click('[data-testid="admin-close"]');

      // The layer on (it may be from an earlier test on this page): the new name, without a reload.
      const toggle = page.locator('[data-testid="layer-resources"]');
      if (!(await toggle.isChecked())) await toggle.click();
      await hoverUntilNamed(page, { ...at, named: { part: 'b', text: renamed } });
      step('the map names it anew');

      // Replay opens at the start of the last hour, before the import: the old name.
      await page.click('[data-testid="replay-open"]');
      await page.waitForSelector('[data-testid="replay-bar"][data-at]');
      step('replay open');
      await hoverUntilNamed(page, { ...at, named: { part: 'b', text: hospital.name } });
      step('the replay names it as it was');
      expect(Number(await page.getAttribute('[data-testid="replay-bar"]', 'data-at'))).toBeLessThan(appliedBy);
      // The window's end is after it: the new name again.
      await page.locator('[data-testid="replay-scrub"]').press('End');
      await page.waitForFunction((t) => Number(document.querySelector('[data-testid="replay-bar"]')?.getAttribute('data-at')) >= t, appliedBy, { timeout: 150_000 });
      step('replay at the window\'s end');
      await hoverUntilNamed(page, { ...at, named: { part: 'b', text: renamed } });
      step('the replay names it anew');
      await page.click('[data-testid="replay-live"]');
      await page.waitForSelector('[data-testid="replay-bar"]', { state: 'detached' });
    } finally {
      if (await page.locator('[data-testid="replay-live"]').count()) await page.click('[data-testid="replay-live"]');
      if (await page.locator('[data-testid="admin-close"]').count()) await page.click('[data-testid="admin-close"]');
      if (await page.locator('[data-testid="sign-out"]').count()) await page.click('[data-testid="sign-out"]');
    }
  });
}
