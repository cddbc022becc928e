// Browser test of the live device registry: the admin provisions a camera in 系统管理 › 设备登记;
// the screen's camera count grows at once, a gateway's report of it is accepted and shown, and the
// map draws it where it was placed (hovered at street level, the tooltip names it). Retired, it
// leaves the count. Then a ledger import: dry run (the new camera, the bad row), confirm, counted.
// Runs after admin.ts (the admin's passphrase).
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeFloating, goAs, type Shared } from './support.ts';
import { signInAsAdmin } from './admin.ts';
import { hoverUntilNamed } from './map-pointer.ts';
import path from 'node:path';
import { mkdirSync } from 'node:fs';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');
mkdirSync(shots, { recursive: true });

type StoreView = { seq: number; status: { camera: Uint8Array }; registry: Map<string, { index: number }> };

const cameraTotal = (page: Page) => page.getAttribute('[data-testid="kpi-camera-total"]', 'data-value').then(Number);

export function registryTests(get: () => Shared): void {
  it('device registry: the admin provisions a camera; the count grows at once, its report is accepted, the map draws it; retired, it leaves the count', async () => {
    const { page, adminPassword, url, key } = get();
    await closeFloating(page);
    await goAs(page, '?as=display');
    try {
      await signInAsAdmin(page, adminPassword);
      await page.waitForFunction(() => ((window as unknown as { __linkage?: { store: StoreView } }).__linkage?.store.seq ?? -1) >= 0);
      // The tiles show the snapshot's counts a moment after it (panels refresh at a calm rate).
      await expect.poll(() => cameraTotal(page), { timeout: 30_000 }).toBeGreaterThan(0);
      const before = await cameraTotal(page);
      // GB/T 28181: 340803 (大观区) 00 · industry 00 · type 132 (IPC) · a serial of this run.
      const id = `3408030000132${String(Date.now() % 10_000_000).padStart(7, '0')}`;
      const center = await page.evaluate(async () => ((await (await fetch('/data/manifest.json')).json()) as { district: { center: [number, number] } }).district.center);
      const ll: [number, number] = [Math.round((center[0] + 0.0031) * 1e6) / 1e6, Math.round((center[1] - 0.0017) * 1e6) / 1e6];

      await page.click('[data-testid="admin-open"]');
      await page.click('[data-testid="admin-tab-devices"]');
      await page.waitForSelector('[data-testid="admin-provision-form"]');
      await page.selectOption('[data-testid="device-kind"]', 'camera');
      await page.fill('[data-testid="device-id"]', id);
      await page.fill('[data-testid="device-name"]', '新装枪机(测试)');
      await page.fill('[data-testid="device-lon"]', String(ll[0]));
      await page.fill('[data-testid="device-lat"]', String(ll[1]));
      await page.check('[data-testid="device-ai"]');
      await page.click('[data-testid="device-provision"]');
      await page.waitForSelector(`[data-testid="admin-device-row"][data-id="${id}"][data-retired="0"]`);
      expect(await page.locator('[data-testid="admin-error"]').count()).toBe(0);
      await page.click('[data-testid="admin-close"]');

      // The screen counts it at once (offline until it reports).
      await expect.poll(() => cameraTotal(page), { timeout: 30_000 }).toBe(before + 1);
      const index = await page.evaluate((i) => (window as unknown as { __linkage: { store: StoreView } }).__linkage.store.registry.get(`camera:${i}`)?.index, id);
      expect(index).toBeGreaterThanOrEqual(before);
      if (index === undefined) throw new Error('no registry entry');
      const res = await fetch(`${url}/api/ingest/devices`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-key': key }, body: JSON.stringify({ records: [{ kind: 'camera', id, ts: Date.now(), status: 'online' }] }) });
      expect(res.status).toBe(200);
      await page.waitForFunction((i) => (window as unknown as { __linkage: { store: StoreView } }).__linkage.store.status.camera[i] === 0, index);
      await hoverUntilNamed(page, { lonlat: ll, zoom: 19, named: { part: 'span', text: id } });

      // Retired from the admin page: the count drops back.
      page.once('dialog', (d) => void d.accept('测试拆除'));
      await page.click('[data-testid="admin-open"]');
      await page.click('[data-testid="admin-tab-devices"]');
      await page.click(`[data-testid="admin-device-row"][data-id="${id}"] [data-testid="admin-retire"]`);
      await page.waitForSelector(`[data-testid="admin-device-row"][data-id="${id}"][data-retired="1"]`);
      await page.click('[data-testid="admin-close"]');
      await expect.poll(() => cameraTotal(page), { timeout: 30_000 }).toBe(before);
    } finally {
      if (await page.locator('[data-testid="admin-close"]').count()) await page.click('[data-testid="admin-close"]');
      if (await page.locator('[data-testid="sign-out"]').count()) await page.click('[data-testid="sign-out"]');
    }
  });

  it('ledger import: the admin uploads a CSV in GCJ-02; the dry run lists the new camera and the bad rows (row, column, and why in the screen\'s language) and changes nothing; confirmed, the screen counts the camera', async () => {
    const { page, adminPassword } = get();
    await closeFloating(page);
    await goAs(page, '?as=display');
    try {
      await signInAsAdmin(page, adminPassword);
      await expect.poll(() => cameraTotal(page), { timeout: 30_000 }).toBeGreaterThan(0);
      const before = await cameraTotal(page);
      const center = await page.evaluate(async () => ((await (await fetch('/data/manifest.json')).json()) as { district: { center: [number, number] } }).district.center);
      const id = `3408030000131${String((Date.now() + 1) % 10_000_000).padStart(7, '0')}`;
      const csv = [
        '设备编码,设备名称,经度,纬度,类型,所属街道',
        `${id},台账导入球机,${(center[0] + 0.006).toFixed(6)},${(center[1] - 0.003).toFixed(6)},球机,`,
        '3408030000131000001,编码少一位,117.05,30.52,摄像机,',
        `${id.slice(0, -1)}${(Number(id.slice(-1)) + 1) % 10},街道写错,${center[0].toFixed(6)},${center[1].toFixed(6)},摄像机,不存在街道`,
      ].join('\n');
      await page.click('[data-testid="admin-open"]');
      await page.click('[data-testid="admin-tab-import"]');
      await page.setInputFiles('[data-testid="import-file"]', { name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.selectOption('[data-testid="import-crs"]', 'GCJ02');
      await page.click('[data-testid="import-dry-run"]');
      await page.waitForSelector('[data-testid="import-counts"][data-new="1"][data-bad="2"]');
      await page.waitForSelector(`[data-testid="import-change"][data-action="new"][data-id="${id}"]`);
      // Each bad row with its column and why, in the screen's language.
      expect(await page.textContent('[data-testid="import-bad"][data-row="3"]')).toMatch(/设备编码.*不是 GB\/T 28181 编码：应为 20 位数字，实为 19 位/);
      expect(await page.textContent('[data-testid="import-bad"][data-row="4"]')).toMatch(/所属街道.*“不存在街道”不是本区的街道\/乡镇（.*街道/);
      await page.screenshot({ path: path.join(shots, 'admin-import-1920x1080.png') });
      // The dry run changed nothing.
      expect(await cameraTotal(page)).toBe(before);
      await page.click('[data-testid="import-apply"]');
      await page.waitForSelector('[data-testid="import-applied"][data-applied="1"]');
      await page.click('[data-testid="admin-close"]');
      await expect.poll(() => cameraTotal(page), { timeout: 30_000 }).toBe(before + 1);
    } finally {
      if (await page.locator('[data-testid="admin-close"]').count()) await page.click('[data-testid="admin-close"]');
      if (await page.locator('[data-testid="sign-out"]').count()) await page.click('[data-testid="sign-out"]');
    }
  });
}
