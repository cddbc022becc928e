// Browser tests of the emergency resources (issue 14 item 4), on the shared stack and a page of
// their own: the layer toggles on and a shelter's and a depot's cards show what the dataset says;
// an urgent case's card lists the nearest shelters and teams (checked against distances this test
// computes itself) and shows one on the map.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { EmergencyResource } from '../core/resources.ts';
import { closeFloating, useDashboard } from './support.ts';
import { clickOnMap } from './map-pointer.ts';

type MapHandle = { jumpTo(o: { center: [number, number]; zoom: number }): void; project(ll: [number, number]): { x: number; y: number }; getCenter(): { lng: number; lat: number } };

const shared = useDashboard();

/** The dataset's file as the generator wrote it (not the route under test). */
async function datasetResources(url: string): Promise<EmergencyResource[]> {
  return (await (await fetch(`${url}/data/resources.json`)).json()) as EmergencyResource[];
}

/** Great-circle metres, written out here so the expected order does not come from core/resources.ts. */
function metres(a: [number, number], b: [number, number]): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** Zooms onto a resource and clicks its badge, once the hover tooltip names it (deck.gl drew the zoom). */
async function clickResource(page: Page, r: EmergencyResource): Promise<void> {
  await clickOnMap(page, { lonlat: [r.lon, r.lat], zoom: 18, named: { part: 'b', text: r.name } }, `[data-testid="resource-card"][data-resource="${r.id}"] [data-testid="detail-card"]`);
}

const caseTitle = (id: string) => `E2E 应急资源 ${id}`;

/** The case's own dot on the map (the feed's 60 newest may already be the simulator's). */
async function openCaseOnMap(page: Page, id: string, at: [number, number]): Promise<void> {
  await clickOnMap(page, { lonlat: at, zoom: 18, named: { part: 'b', text: caseTitle(id) } }, `[data-testid="case-detail"][data-case-id="${id}"]`);
}

async function reportCase(url: string, key: string, id: string, urgency: 'urgent' | 'normal', at: [number, number]): Promise<void> {
  const res = await fetch(`${url}/api/ingest/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gateway-key': key },
    body: JSON.stringify({ records: [{ id, source: 'citizen', eventClass: '0101', title: caseTitle(id), urgency, lon: at[0], lat: at[1], reportedAt: Date.now(), reporter: 'e2e-resources' }] }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const int = (n: number) => n.toLocaleString('en-US');

describe('emergency resources', () => {
  // First, while the layer is still off as a screen starts: 定位 turns it on.
  it("an urgent case's card lists the nearest shelters and teams, and shows one on the map", async () => {
    const { page, url, key } = shared();
    await closeFloating(page);
    const all = await datasetResources(url);
    // Beside a shelter: it must come first, a few metres away.
    const beside = all.filter((r) => r.kind === 'shelter')[7];
    const at: [number, number] = [beside.lon + 0.0002, beside.lat];
    const nearest = (kinds: string[]) =>
      all
        .filter((r) => kinds.includes(r.kind))
        .map((r) => ({ id: r.id, m: metres(at, [r.lon, r.lat]) }))
        .sort((a, b) => a.m - b.m)
        .slice(0, 3);
    const shelters = nearest(['shelter']);
    const teams = nearest(['team', 'fire']);
    expect(shelters[0].id).toBe(beside.id);

    const urgentId = `E2E-RES-U-${Date.now()}`;
    await reportCase(url, key, urgentId, 'urgent', at);
    await openCaseOnMap(page, urgentId, at);
    await page.waitForSelector(`[data-testid="case-detail"][data-case-id="${urgentId}"] [data-testid="nearest-resources"]`);
    const rows = (group: string) => page.locator(`[data-testid="nearest-${group}"] li`);
    await expect.poll(() => rows('shelters').count()).toBe(3);
    for (const [group, want] of [['shelters', shelters], ['teams', teams]] as const) {
      const got = await rows(group).evaluateAll((lis) => lis.map((li) => ({ id: li.getAttribute('data-resource'), m: Number(li.getAttribute('data-distance')) })));
      expect(got.map((g) => g.id), group).toEqual(want.map((w) => w.id));
      got.forEach((g, i) => expect(Math.abs(g.m - want[i].m), `${group} ${g.id} distance`).toBeLessThanOrEqual(1));
      // each row can be called
      for (let i = 0; i < 3; i++) expect(await rows(group).nth(i).locator('[data-testid="call"]').getAttribute('data-phone')).toBe(all.find((r) => r.id === want[i].id)!.phone);
    }
    expect(await rows('shelters').first().locator('.nearby-dist').textContent()).toMatch(/^\d+ m$/);

    // 定位: the map flies to the second team, with the layer on.
    const target = all.find((r) => r.id === teams[1].id)!;
    expect(await page.locator('[data-testid="layer-resources"]').isChecked()).toBe(false);
    await rows('teams').nth(1).locator('[data-testid="resource-fly"]').click();
    expect(await page.locator('[data-testid="layer-resources"]').isChecked()).toBe(true);
    await expect
      .poll(() => page.evaluate(() => { const c = (window as unknown as { __linkageMap: MapHandle }).__linkageMap.getCenter(); return [c.lng, c.lat]; }), { timeout: 30_000 })
      .toEqual([expect.closeTo(target.lon, 4), expect.closeTo(target.lat, 4)]);

    await page.click('[data-testid="case-detail-close"]');
    await page.waitForSelector('[data-testid="case-detail"]', { state: 'detached' });
  });

  it('the layer toggles off and on, and a shelter and a depot show their capacity, stock and duty phone', async () => {
    const { page, url } = shared();
    await closeFloating(page);
    const all = await datasetResources(url);
    expect(all.length).toBeGreaterThan(40);

    const toggle = page.locator('[data-testid="layer-resources"]');
    // On since the test before showed a resource: off, then on again.
    if (await toggle.isChecked()) await toggle.click();
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.locator('[data-testid="legend-resources"]').count()).toBe(0);
    await expect.poll(() => page.getAttribute('[data-testid="layer-count-resources"]', 'data-value')).toBe(String(all.length));
    await toggle.click();
    expect(await toggle.isChecked()).toBe(true);
    await expect(page.textContent('[data-testid="legend-resources"]')).resolves.toContain('避难场所');

    const shelter = all.find((r) => r.kind === 'shelter')!;
    await clickResource(page, shelter);
    const card = page.locator(`[data-testid="resource-card"][data-resource="${shelter.id}"]`);
    const text = await card.textContent();
    expect(text).toContain(shelter.name);
    expect(text).toContain(`${int(shelter.capacity!)} 人`);
    expect(text).toContain(`${int(shelter.areaM2!)} m²`);
    expect(await card.locator('[data-testid="call"]').getAttribute('data-phone')).toBe(shelter.phone);
    expect(await card.locator('[data-testid="call-dial"]').getAttribute('href')).toBe(`tel:${shelter.phone.replace(/-/g, '')}`);

    // Closed, so hovering shows a tooltip again.
    await card.locator('.detail-head button').click();
    const depot = all.find((r) => r.kind === 'depot')!;
    await clickResource(page, depot);
    const stock = page.locator(`[data-testid="resource-card"][data-resource="${depot.id}"] [data-testid="resource-stock"] li`);
    expect(await stock.count()).toBe(depot.stock!.length);
    for (const [i, s] of depot.stock!.entries()) {
      expect(await stock.nth(i).getAttribute('data-item')).toBe(s.item);
      expect(await stock.nth(i).textContent()).toContain(`${int(s.quantity)} ${s.unit}`);
    }
    await page.click('[data-testid="resource-card"] .detail-head button');
    await page.waitForSelector('[data-testid="resource-card"]', { state: 'detached' });
    expect(shared().pageErrors).toEqual([]);
  });
});
