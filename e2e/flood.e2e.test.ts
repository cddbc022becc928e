// Browser test of the 防汛 tab (issue 15), on the shared stack: an embankment gauge's stage posted
// through ingest over its warning level shows in the tab (its row first and marked 超警戒, the tab's
// count, the chart with the 警戒/保证 lines), pops up as an alarm, and its row flies the map to the
// gauge; a red rainstorm warning posted as a weather observation shows in the weather block and pops
// up; a bad observation in the same batch is refused with the field named. Then the same in English.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComponentsFile } from '../core/dataset.ts';
import { closeFloating, goAs, useDashboard } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');
interface Hooks {
  __linkage: { store: { seq: number; session: { scope: string } | null } };
  __linkageMap: { getCenter(): { lng: number; lat: number } };
}
const row = (key: string) => `[data-testid="alert-row"][data-key="${key}"]`;

const get = useDashboard();

describe('flood season', () => {
  it('a gauge over its warning level and a red rainstorm warning, as a duty room sees them', async () => {
    const { page, url, key } = get();
    await closeFloating(page);
    const c = (await (await fetch(`${url}/data/components.json`)).json()) as ComponentsFile;
    const gi = c.sensorized.find((i) => c.classCode[i] === '0601')!;
    const gauge = c.code[gi];
    const post = (stream: string, records: unknown[]) =>
      fetch(`${url}/api/ingest/${stream}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': key }, body: JSON.stringify({ records }) });

    await page.click('[data-testid="lang-zh"]');
    await goAs(page, '?as=dispatcher');
    await page.waitForFunction(() => {
      const s = (window as unknown as Hooks).__linkage?.store;
      return !!s && s.seq >= 0 && s.session?.scope === '340803';
    }, undefined, { timeout: 90_000 });
    await page.waitForSelector('[data-testid="alert-dock"][data-scope="340803"]', { timeout: 30_000 });
    await page.click('[data-testid="tab-flood"]');
    await expect.poll(() => page.textContent('[data-testid="flood-levels"]')).toBe('安庆站 警戒 17.0 米 · 保证 18.7 米（吴淞高程）');

    // Two readings over the warning level in a row (the rule wants two): the gauge's alarm.
    const t2 = Date.now();
    const res = await post('devices', [
      { kind: 'component', id: gauge, ts: t2 - 1000, status: 'online', metric: 'water-level', value: 17.32 },
      { kind: 'component', id: gauge, ts: t2, status: 'online', metric: 'water-level', value: 17.41 },
    ]);
    expect(res.status).toBe(200);
    const gaugeRow = page.locator(`[data-testid="flood-row"][data-id="${gauge}"]`);
    await expect.poll(() => gaugeRow.getAttribute('data-stage'), { timeout: 60_000 }).toBe('warning');
    // The gauges over a level come first (the simulated river is far below them in December; another
    // file on this stack may have put a second gauge over 保证, which then leads).
    const order = await page.$$eval('[data-testid="flood-row"]', (rows) => rows.map((r) => [r.getAttribute('data-id'), r.getAttribute('data-stage')] as const));
    const at = order.findIndex(([id]) => id === gauge);
    expect(at, JSON.stringify(order)).toBeGreaterThanOrEqual(0);
    expect(order.slice(0, at + 1).map(([, stage]) => stage)).not.toContain('normal');
    expect(order.slice(at + 1).map(([, stage]) => stage), 'a gauge over 保证 listed after one over 警戒').not.toContain('guarantee');
    expect(await gaugeRow.textContent()).toContain('17.41');
    // Named by where it stands (its grid, read here from the dataset's grids) and its whole code.
    const grids = (await (await fetch(`${url}/data/grids.geojson`)).json()) as { features: { properties: { name: string } }[] };
    expect(await gaugeRow.locator('.flood-place').textContent()).toBe(grids.features[c.gridIndex[gi]].properties.name);
    expect(await gaugeRow.locator('.flood-code').textContent()).toBe(gauge);
    expect(await gaugeRow.locator('.flood-over').textContent()).toBe('+0.41');
    expect(Number(await page.getAttribute('[data-testid="flood-count-warning"]', 'data-n'))).toBeGreaterThanOrEqual(1);
    expect(Number(await page.textContent('[data-testid="flood-tab-over"]'))).toBeGreaterThanOrEqual(1);

    // The alarm pops up, saying the stage.
    const alarmRow = row(`alarm:SA-${gauge}-${t2}`);
    await page.waitForSelector(alarmRow, { timeout: 60_000 });
    expect(await page.textContent(alarmRow)).toContain('江堤水位 17.41 米 · 超警戒');

    // The row: the gauge's chart with both levels, its card, and the map flown to it.
    await gaugeRow.click();
    await expect.poll(() => page.getAttribute('[data-testid="flood-chart"]', 'data-gauge')).toBe(gauge);
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="flood-chart"]', 'data-readings')), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await page.waitForSelector('[data-testid="flood-stage-chart"] canvas');
    await expect.poll(() => page.textContent('[data-testid="detail-card"] .detail-sub'), { timeout: 60_000 }).toBe(gauge);
    await expect
      .poll(() => page.evaluate(() => { const m = (window as unknown as Hooks).__linkageMap.getCenter(); return [m.lng, m.lat]; }), { timeout: 30_000 })
      .toEqual([expect.closeTo(c.lon[gi], 3), expect.closeTo(c.lat[gi], 3)]);

    // Close the card (it sits below the alert pop-up in the map's right-hand stack).
    await page.click('[data-testid="detail-card"] .detail-head button');
    await page.waitForSelector('[data-testid="detail-card"]', { state: 'detached', timeout: 30_000 });

    // Weather: a red rainstorm warning, and a bad record beside it refused with the field named.
    const obs = { stationId: '58424', ts: Date.now(), rainMmH: 52.3, windMs: 11.2, windDirDeg: 45, temperatureC: 8.4, humidityPct: 97, warnings: [{ type: 'rainstorm', level: 'red' }] };
    const wx = await post('weather', [obs, { ...obs, ts: obs.ts - 1, humidityPct: 130 }]);
    expect(wx.status).toBe(207);
    expect((await wx.json()).rejected).toEqual([{ index: 1, field: '/humidityPct', code: 'INVALID_RECORD', message: 'must be <= 100' }]);
    const warning = '[data-testid="weather-warning"][data-type="rainstorm"][data-level="red"]';
    await page.waitForSelector(warning, { timeout: 60_000 });
    expect(await page.textContent(warning)).toBe('暴雨红色预警');
    expect(await page.textContent('[data-testid="weather-rain"]')).toBe('52.3 毫米/时');
    await page.waitForSelector(row('weather:58424:rainstorm:red'), { timeout: 30_000 });
    expect(await page.textContent(row('weather:58424:rainstorm:red'))).toContain('暴雨红色预警');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'e2e-flood-zh-1920x1080.png'), timeout: 120_000 });

    // In English.
    await page.click('[data-testid="lang-en"]');
    await expect.poll(() => page.textContent('[data-testid="tab-flood"]')).toMatch(/^Flood/);
    expect(await page.textContent('[data-testid="flood-levels"]')).toBe('安庆: warning 17.0 m · guarantee 18.7 m (吴淞高程)');
    expect(await page.textContent(warning)).toBe('Rainstorm red warning');
    expect(await page.textContent(row('weather:58424:rainstorm:red'))).toContain('Rainstorm red warning');
    await page.screenshot({ path: path.join(shots, 'e2e-flood-en-1920x1080.png'), timeout: 120_000 });
    await page.click('[data-testid="lang-zh"]');

    // Acknowledged here, the warning leaves the pop-up.
    await page.click(`${row('weather:58424:rainstorm:red')} [data-testid="alert-ack"]`);
    await page.waitForSelector(row('weather:58424:rainstorm:red'), { state: 'detached', timeout: 30_000 });
  }, 420_000);
});
