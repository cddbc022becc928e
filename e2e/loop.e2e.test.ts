// Browser tests of the closed loop (issue 3) on one page of their own: a page load with software
// WebGL costs ~20 s, so identities are switched in place (the selector, or a pushed `?as=` URL).
import { deflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import type { CaseEvent } from '../core/cases/model.ts';
import { DISPATCHER, goAs, useDashboard } from './support.ts';

/** Waits until the store holds a snapshot for the given session. */
async function waitSession(page: Page, check: { role?: string; scope?: string }): Promise<void> {
  await page.waitForFunction(
    (c) => {
      const s = (window as unknown as { __linkage: { store: { seq: number; session: { actor: { role: string }; scope: string } | null } } }).__linkage.store;
      return s.seq >= 0 && !!s.session && (!c.role || s.session.actor.role === c.role) && (!c.scope || s.session.scope === c.scope);
    },
    check,
    { timeout: 90_000 },
  );
}

async function openCase(page: Page, id: string): Promise<void> {
  await page.click('[data-testid="tab-cases"]');
  await page.click('[data-testid="filter-all"]');
  await openFromFeed(page, id);
}

/** What the case card shows, for a timeout's message: the case, its stage, the buttons offered, who is acting. */
async function cardState(page: Page): Promise<string> {
  return page.evaluate(() => {
    const card = document.querySelector('[data-testid="case-detail"]');
    const buttons = [...document.querySelectorAll('[data-testid^="act-"]')].map((b) => b.getAttribute('data-testid'));
    const s = (window as unknown as { __linkage?: { store: { session: { actor: { role: string }; scope: string } | null; connection?: unknown } } }).__linkage?.store;
    return JSON.stringify({ case: card?.getAttribute('data-case-id'), stage: card?.getAttribute('data-stage'), buttons, session: s?.session?.actor.role, search: location.search, actions: card?.querySelector('.actions-empty')?.textContent });
  });
}

/**
 * Clicks a case in the feed until its card is the one open: under load the feed re-sorts between
 * finding the row and the click landing, and the click can open a neighbour.
 */
async function openFromFeed(page: Page, id: string): Promise<void> {
  const card = `[data-testid="case-detail"][data-case-id="${id}"]`;
  for (let attempt = 1; ; attempt++) {
    await page.click(`[data-testid="case-feed"] [data-case-id="${id}"]`);
    const opened = await page.waitForSelector(card, { timeout: 15_000 }).then(() => true, () => false);
    if (opened) return;
    if (attempt === 4) throw new Error(`case ${id} never opened from the feed: ${await cardState(page)}`);
  }
}

async function act(page: Page, id: string, command: string, stage: string, fill?: (p: Page) => Promise<void>): Promise<void> {
  await page.waitForSelector(`[data-testid="case-detail"][data-case-id="${id}"]`);
  await page.waitForSelector(`[data-testid="act-${command}"]`, { timeout: 90_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}\nthe card: ${await cardState(page)}`);
  });
  await page.click(`[data-testid="act-${command}"]`);
  if (fill) {
    await fill(page);
    await page.click('[data-testid="cmd-submit"]');
  }
  const err = page.locator('[data-testid="ack-error"]');
  await Promise.race([
    page.waitForSelector(`[data-testid="case-detail"][data-case-id="${id}"][data-stage="${stage}"]`, { timeout: 60_000 }),
    err.waitFor({ timeout: 60_000 }).then(async () => {
      throw new Error(`${command}: ${await err.textContent()}`);
    }),
  ]);
}

async function loopClosedToday(page: Page): Promise<number> {
  await page.click('[data-testid="tab-kpi"]');
  await page.click('[data-testid="loop-period-today"]');
  const v = await page.getAttribute('[data-testid="loop-closed"]', 'data-value');
  return Number(v);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A valid RGB PNG built from bytes: signature, IHDR, one IDAT (zlib of filter-0 rows), IEND. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc32(td), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set(pixel(x, y), y * (1 + width * 3) + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** Whether every <img> under `selector` has loaded with real pixels. */
const imagesLoaded = (p: Page, selector: string, n: number) =>
  p.waitForFunction(
    ([sel, count]) => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>(sel as string)];
      return imgs.length >= (count as number) && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    [selector, n] as const,
    { timeout: 60_000 },
  );

const get = useDashboard();

describe('closed loop', () => {
  it('a dispatcher registers, files and dispatches a case; the department accepts and feeds back; the dispatcher rechecks and closes', async () => {
    const { page } = get();
    await page.selectOption('[data-testid="identity-select"]', 'dispatcher');
    await waitSession(page, { role: 'dispatcher' });
    const closedBefore = await loopClosedToday(page);
    expect(closedBefore).toBeGreaterThanOrEqual(0);
    await page.click('[data-testid="tab-cases"]');

    // 登记案件: class, title, location = a community's centre (the map click is the other way).
    await page.click('[data-testid="report-open"]');
    await page.selectOption('[data-testid="report-class"]', '0601');
    await page.fill('[data-testid="report-title"]', 'E2E 人行道井盖破损');
    await page.selectOption('[data-testid="report-community"]', '340803001002');
    await page.click('[data-testid="report-submit"]');
    const detail = page.locator('[data-testid="case-detail"][data-stage="reported"]');
    await detail.waitFor({ timeout: 60_000 });
    const id = (await detail.getAttribute('data-case-id'))!;
    expect(id).toBeTruthy();
    // The feed shows it at once (from the ack), flashing as new.
    await page.waitForSelector(`[data-testid="case-feed"] [data-case-id="${id}"]`);

    await act(page, id, 'file', 'filed');
    await act(page, id, 'dispatch', 'dispatched', async (p) => {
      // The class's usual department is preselected.
      expect(await p.inputValue('[data-testid="dispatch-unit"]')).toBe('DEPT-CG');
    });

    // As the department, by URL.
    await goAs(page, '?as=dept:DEPT-CG');
    await waitSession(page, { role: 'department' });
    await page.waitForFunction((cid) => (window as never as { __linkage: { store: { cases: Map<string, unknown> } } }).__linkage.store.cases.has(cid), id);
    await page.click('[data-testid="filter-mine"]');
    await openFromFeed(page, id);
    await act(page, id, 'accept', 'handling');
    await act(page, id, 'feedback', 'handled', (p) => p.fill('[data-testid="cmd-note"]', '已更换井盖，现场恢复通行'));

    // Back to the dispatcher, with the selector.
    await page.selectOption('[data-testid="identity-select"]', 'dispatcher');
    await waitSession(page, { role: 'dispatcher' });
    await openCase(page, id);
    await act(page, id, 'recheck', 'rechecked', (p) => p.click('[data-testid="recheck-pass"]'));
    await act(page, id, 'close', 'closed');

    await expect(page.textContent('[data-testid="case-detail"] .detail-head')).resolves.toContain('已结案');
    await page.waitForSelector('[data-testid="case-timeline"][data-count="7"]');
    const steps = await page.$$eval('[data-testid="case-timeline"] li', (els) => els.map((e) => e.getAttribute('data-command')));
    expect(steps).toEqual(['report', 'file', 'dispatch', 'accept', 'feedback', 'recheck', 'close']);
    const timelineText = await page.textContent('[data-testid="case-timeline"]');
    expect(timelineText).toContain('区城管局'); // the unit it went to, by name
    expect(timelineText).toContain('已更换井盖');

    // The KPI panel's closed count moves (live kpis.loop).
    await page.click('[data-testid="case-detail-close"]');
    await expect.poll(() => loopClosedToday(page), { timeout: 60_000 }).toBeGreaterThan(closedBefore);
    await page.click('[data-testid="tab-cases"]');
  });

  it('a township screen (?scope=340803001) never shows a case of another township and zooms to its township', async () => {
    const { page, url } = get();
    // Cases in two townships, reported over HTTP as a gateway would.
    const manifest = (await (await fetch(`${url}/data/manifest.json`)).json()) as { communities: { code: string; townshipCode: string; center: [number, number] }[] };
    const here = manifest.communities.find((c) => c.townshipCode === '340803001')!;
    const there = manifest.communities.find((c) => c.townshipCode === '340803004')!;
    for (const [c, title] of [
      [here, 'E2E 本街道案件'],
      [there, 'E2E 外街道案件'],
    ] as const) {
      const res = await fetch(`${url}/api/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ actor: DISPATCHER, report: { id: `E2E-${c.code}-${Date.now()}`, source: 'citizen', eventClass: '0101', title, urgency: 'normal', lon: c.center[0], lat: c.center[1], reportedAt: Date.now() } }),
      });
      expect(res.ok, await res.clone().text()).toBe(true);
    }
    await goAs(page, '?scope=340803001');
    await waitSession(page, { role: 'display', scope: '340803001' });
    // Deltas arrive too: the screen applies one past the snapshot it switched with.
    const storeSeq = () => page.evaluate(() => (window as unknown as { __linkage: { store: { seq: number } } }).__linkage.store.seq);
    const atSwitch = await storeSeq();
    await vi.waitFor(async () => expect(await storeSeq()).toBeGreaterThan(atSwitch), { timeout: 90_000, interval: 250 });
    const seen = await page.evaluate(() => {
      const s = (window as unknown as { __linkage: { store: { cases: Map<string, { townshipCode: string; title: string }>; droppedOutOfScope: number } } }).__linkage.store;
      return { towns: [...new Set([...s.cases.values()].map((c) => c.townshipCode))], titles: [...s.cases.values()].map((c) => c.title), dropped: s.droppedOutOfScope };
    });
    expect(seen.towns).toEqual(['340803001']);
    expect(seen.titles).toContain('E2E 本街道案件');
    expect(seen.titles).not.toContain('E2E 外街道案件');
    expect(seen.dropped, 'cases of other townships reached the client').toBe(0);
    // The feed draws on the store's throttled notification, a moment after the store has the case.
    await page.waitForSelector('[data-testid="case-feed"] [data-case-id]', { timeout: 30_000 });
    const rows = await page.$$eval('[data-testid="case-feed"] [data-case-id]', (els) => els.map((e) => e.getAttribute('data-township')));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows)).toEqual(new Set(['340803001']));
    // A read-only screen offers no actions and no 登记案件.
    expect(await page.locator('[data-testid="report-open"]').count()).toBe(0);
    // The map shows the township, not the whole district.
    const zoom = await page.evaluate(() => (window as unknown as { __linkageMap: { getZoom(): number; getCenter(): { lng: number; lat: number } } }).__linkageMap.getZoom());
    await goAs(page, '?as=display');
    await waitSession(page, { role: 'display', scope: '340803' });
    const districtZoom = await page.evaluate(() => (window as unknown as { __linkageMap: { getZoom(): number } }).__linkageMap.getZoom());
    expect(zoom).toBeGreaterThan(districtZoom + 0.3);
  });

  it("a township screen is that township's: its center in the title, its devices on the tiles and in the layer panel, its row of online rates; a community with no open case says so in the source donut", async () => {
    const { page, url } = get();
    const T = '340803001';
    const load = async <J,>(name: string) => (await (await fetch(`${url}/data/${name}`)).json()) as J;
    type Placed = { townshipCode: string }[];
    const manifest = await load<{ townships: { code: string; name: string }[]; communities: { code: string; townshipCode: string }[]; centers: { code: string; name: string }[] }>('manifest.json');
    const devices = await load<Record<'camera' | 'lookout' | 'drone' | 'broadcast' | 'worker', Placed>>('devices.json');
    const grids = await load<{ features: { properties: { townshipCode: string; communityCode: string } }[] }>('grids.geojson');
    const components = await load<{ gridIndex: number[] }>('components.json');
    // The oracle: the dataset's own township field (components through their grid).
    const expected: Record<string, number> = { component: components.gridIndex.filter((g) => grids.features[g]?.properties.townshipCode === T).length };
    for (const [kind, list] of Object.entries(devices)) expected[kind] = list.filter((d) => d.townshipCode === T).length;
    expect(expected.camera).toBeGreaterThan(0);

    await goAs(page, `?scope=${T}`);
    await waitSession(page, { role: 'display', scope: T });
    const center = manifest.centers.find((c) => c.code === T)!.name;
    await vi.waitFor(async () => expect(await page.textContent('[data-testid="title"]')).toBe(`${center} · 城市运行实时监测`), { timeout: 30_000, interval: 250 });
    const shown = (kind: string) => page.textContent(`[data-testid="kpi-${kind}-total"]`).then((x) => Number((x ?? '').replace(/[^0-9]/g, '')));
    // The tiles redraw on the store's throttled notification after the switch: wait for them to settle.
    await vi.waitFor(async () => {
      for (const kind of Object.keys(expected)) expect(await shown(kind), kind).toBe(expected[kind]);
    }, { timeout: 30_000, interval: 250 });
    // The layer panel beside the map counts the same devices (its "/total" after the online count).
    const layerTotal = (kind: string) => page.textContent(`[data-testid="layer-count-${kind}"] i`).then((x) => Number((x ?? '').replace(/[^0-9]/g, '')));
    await vi.waitFor(async () => {
      for (const kind of Object.keys(expected)) expect(await layerTotal(kind), `layer ${kind}`).toBe(expected[kind]);
    }, { timeout: 30_000, interval: 250 });
    const rateRows = () => page.$$eval('[data-testid="township-rates"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-township'), tr.querySelector('td')?.textContent]));
    const town = manifest.townships.find((t) => t.code === T)!.name;
    await vi.waitFor(async () => expect(await rateRows()).toEqual([[T, town.replace(/(街道|镇|乡)$/, '')]]), { timeout: 30_000, interval: 250 });
    await page.click('[data-testid="lang-en"]');
    await vi.waitFor(async () => expect(await page.textContent('[data-testid="title"]')).toBe(`${town} Linkage Center · City Operations Live`), { timeout: 30_000, interval: 250 });
    await page.click('[data-testid="lang-zh"]');

    // The source donut of a screen with no open case: a community the server says has none.
    let quiet: string | undefined;
    for (const c of manifest.communities) {
      const open = (await (await fetch(`${url}/api/cases?scope=${c.code}&open=1`)).json()) as { ok: boolean; data: unknown[] };
      expect(open.ok).toBe(true);
      if (open.data.length === 0) {
        quiet = c.code;
        break;
      }
    }
    expect(quiet, 'every community has an open case').toBeDefined();
    await goAs(page, `?scope=${quiet}`);
    await waitSession(page, { role: 'display', scope: quiet });
    await page.click('[data-testid="tab-cases"]');
    await vi.waitFor(async () => expect(await page.getAttribute('[data-testid="kpi-cases-open"]', 'data-value')).toBe('0'), { timeout: 30_000, interval: 250 });
    await vi.waitFor(async () => expect(await page.textContent('[data-testid="by-source-empty"]')).toBe('暂无数据'), { timeout: 30_000, interval: 250 });
    await page.click('[data-testid="lang-en"]');
    await vi.waitFor(async () => expect(await page.textContent('[data-testid="by-source-empty"]')).toBe('No data'), { timeout: 30_000, interval: 250 });
    await page.click('[data-testid="lang-zh"]');
  });

  it('a dispatcher acknowledges and clears a video alarm from the alarm box', async () => {
    const { page, url, key } = get();
    await goAs(page, '?as=dispatcher');
    await waitSession(page, { role: 'dispatcher', scope: '340803' });
    const id = `E2E-V-${Date.now()}`;
    // A doubtful detection (confidence below 0.9) raises an alarm without opening a case. Stamped a
    // minute ahead so the simulator's own detections do not push it out of the three shown.
    const res = await fetch(`${url}/api/ingest/video-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gateway-key': key },
      body: JSON.stringify({ records: [{ id, cameraId: 'CAM-00008', ts: Date.now() + 60_000, eventClass: '0107', confidence: 0.6 }] }),
    });
    expect(res.status).toBe(200);
    const row = page.locator(`[data-testid="alarm-strip"] [data-alarm="AL-${id}"]`);
    await row.waitFor({ timeout: 60_000 });
    await row.locator('[data-testid="alarm-ack"]').click();
    await page.waitForSelector(`[data-alarm="AL-${id}"].acknowledged`, { timeout: 60_000 });
    await row.locator('[data-testid="alarm-clear"]').click();
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    const alarm = await (await fetch(`${url}/api/alarms`)).json();
    expect(alarm.data.find((a: { id: string }) => a.id === `AL-${id}`)).toMatchObject({ status: 'cleared', ackBy: 'dispatcher-340803' });
  });

  it('the mobile page at 390×844: a grid worker reports a case with a photo, adds another, and closes it on the spot', async () => {
    const { browser, url } = get();
    const p = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await p.goto(`${url}/m.html?as=worker:GW-0001`, { waitUntil: 'domcontentloaded' });
      await p.waitForSelector('[data-testid="m-app"][data-ready="1"]', { timeout: 90_000 });
      await p.click('[data-testid="m-tab-report"]');
      await p.selectOption('[data-testid="m-report-class"]', '0102');
      await p.fill('[data-testid="m-report-title"]', 'E2E 巡查：污水井盖松动');
      // Tap a grid on the little map (the worker's own is preselected; take another one).
      const grids = p.locator('[data-testid="m-gridmap"] [data-testid^="m-grid-"]');
      expect(await grids.count()).toBeGreaterThan(1);
      await grids.nth(1).click();
      // A photo (a 1×1 PNG), previewed; a file over 5 MB is refused on the phone, before any upload.
      await p.setInputFiles('[data-testid="m-photo-input"]', { name: 'e2e-1x1.png', mimeType: 'image/png', buffer: png(1, 1, () => [200, 60, 40]) });
      await imagesLoaded(p, '[data-testid="m-photo"] img', 1);
      await p.setInputFiles('[data-testid="m-photo-input"]', { name: 'big.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(5.5 * 1024 * 1024, 0xff) });
      await expect(p.textContent('[data-testid="m-photo-refused"]')).resolves.toBe('「big.jpg」有 5.5 MB，超过 5 MB 上限，未添加：请压缩或换一张');
      expect(await p.locator('[data-testid="m-photo"]').count()).toBe(1);
      await p.click('[data-testid="m-report-submit"]');
      // Reported, the photo uploaded, then the new case opens in 我的 with the photo from the server.
      const card = p.locator('[data-testid^="m-case-"][data-stage="reported"]').filter({ hasText: 'E2E 巡查' });
      await card.waitFor({ timeout: 60_000 });
      const id = (await card.getAttribute('data-testid'))!.replace(/^m-case-/, '');
      const got = (await (await fetch(`${url}/api/cases/${encodeURIComponent(id)}`)).json()) as { data: { timeline: CaseEvent[] } };
      const attached = got.data.timeline.filter((e) => e.command === 'attach');
      expect(attached).toHaveLength(1);
      expect(attached[0]).toMatchObject({ note: 'e2e-1x1.png', actor: { id: 'GW-0001' }, data: { attachment: { type: 'image/png' } } });
      await imagesLoaded(p, `[data-testid="m-case-${id}"] [data-testid="m-card-photos"] img`, 1);
      // 补充照片 on the open card.
      await p.setInputFiles('[data-testid="m-add-photo"]', { name: 'e2e-more.png', mimeType: 'image/png', buffer: png(2, 2, (x, y) => [40, 120 + 60 * x, 200 - 80 * y]) });
      await imagesLoaded(p, `[data-testid="m-case-${id}"] [data-testid="m-card-photos"] img`, 2);
      expect(await p.locator('[data-testid="m-photo-error"]').count()).toBe(0);
      const addH = await p.locator('[data-testid="m-add-photo-button"]').evaluate((e) => e.getBoundingClientRect().height);
      expect(addH).toBeGreaterThanOrEqual(44);
      await p.click('[data-testid="m-act-close-on-spot"]');
      await p.fill('[data-testid="m-note"]', '已现场紧固井盖');
      await p.click('[data-testid="m-submit"]');
      await p.locator('[data-testid^="m-case-"][data-stage="closed"]').filter({ hasText: 'E2E 巡查' }).waitFor({ timeout: 60_000 });
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth > innerWidth);
      expect(overflow).toBe(false);
      // Touch targets: the main buttons are at least 44 px tall.
      const h = await p.locator('[data-testid="m-tab-report"]').evaluate((e) => e.getBoundingClientRect().height);
      expect(h).toBeGreaterThanOrEqual(44);

      // The dashboard page already open (no new load): the detail's timeline shows both thumbnails,
      // and the dispatcher (a center above the owner) may add more.
      const { page } = get();
      await goAs(page, '?as=dispatcher');
      await waitSession(page, { role: 'dispatcher' });
      await page.waitForFunction((cid) => (window as never as { __linkage: { store: { cases: Map<string, unknown> } } }).__linkage.store.cases.has(cid), id);
      await openCase(page, id);
      await imagesLoaded(page, '[data-testid="case-timeline"] li[data-command="attach"] [data-testid="attachment"] img', 2);
      expect(await page.locator('[data-testid="attach-input"]').count()).toBe(1);
      await page.click('[data-testid="case-detail-close"]');
    } finally {
      await p.close();
    }
  });
});
