// Browser test of replay (issue 5): the screen shows the district as it was, says so plainly,
// drops what happened after the moment, refuses commands, plays forward, and is live again in
// one click.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import type { Actor } from '../core/org.ts';
import { FEATURE_VIEWPORTS, mapIdle } from './screenshot.ts';
import { closeFloating, goAs, DISPATCHER, useDashboard } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');
type Win = { __linkage: { store: { seq: number; serverTime: number; session: { scope: string } | null; cases: Map<string, { reportedAt: number }> }; realtime: { report(r: unknown): Promise<{ ok: boolean; code?: string }> } } };

const shownAt = async (page: Page) => Number(await page.getAttribute('[data-testid="replay-bar"]', 'data-at'));

/** Waits until the moment shown passes `ok`; fails at once with the bar's error if the server refused the seek. */
async function waitShown(page: Page, ok: (at: number) => boolean, what: string, timeoutMs = 150_000): Promise<number> {
  const state = await vi.waitFor(
    async () => {
      const now = await page.evaluate(() => {
        const bar = document.querySelector('[data-testid="replay-bar"]');
        const scrub = document.querySelector<HTMLInputElement>('[data-testid="replay-scrub"]');
        return { at: Number(bar?.getAttribute('data-at')), loading: bar?.hasAttribute('data-loading') ?? false, error: bar?.getAttribute('data-error') ?? null, scrub: scrub?.value ?? null };
      });
      if (ok(now.at) || now.error) return now;
      throw new Error(`replay did not reach ${what} in ${timeoutMs / 1000} s: shown ${Number.isFinite(now.at) ? new Date(now.at).toISOString() : 'nothing'}, loading ${now.loading}, scrubber at ${now.scrub}/1000`);
    },
    { timeout: timeoutMs, interval: 250 },
  );
  if (!ok(state.at)) throw new Error(`replay refused (${what}): ${state.error}`);
  return state.at;
}
/** Resolves once `n` live deltas have gone out to a screen watching the district (a client of its own). */
async function liveDeltasSent(url: string, n: number): Promise<void> {
  const watcher = io(url, { transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      watcher.on('delta:sent', () => ++seen >= n && resolve());
      watcher.on('connect_error', reject);
    });
  } finally {
    watcher.disconnect();
  }
}

/** Moves the scrubber as a person does (real input events): End for the window's end, else a click at `fraction` of its length. */
async function scrubTo(page: Page, fraction: number): Promise<void> {
  const scrub = page.locator('[data-testid="replay-scrub"]');
  if (fraction >= 1) {
    await scrub.press('End');
    return;
  }
  const box = await scrub.boundingBox();
  if (!box) throw new Error('the replay scrubber is not on screen');
  await scrub.click({ position: { x: Math.min(box.width - 4, Math.max(4, box.width * fraction)), y: box.height / 2 } });
}
const row = (id: string) => `[data-testid="case-feed"] [data-case-id="${id}"]`;

const get = useDashboard();

describe('replay', () => {
  it('replay: the screen shows a past moment and says so; a later case is absent, commands are refused, play moves forward, live is one click away', async () => {
    const { page, url } = get();
    await closeFloating(page);
    await goAs(page, '?as=display');
    await page.waitForFunction(() => {
      const s = (window as unknown as Win).__linkage.store;
      return s.seq >= 0 && s.session?.scope === '340803';
    });
    // A case reported now, as a dispatcher taking a call would.
    const manifest = (await (await fetch(`${url}/data/manifest.json`)).json()) as { communities: { code: string; center: [number, number] }[] };
    const place = manifest.communities[3];
    const id = `E2E-REPLAY-${Date.now()}`;
    const res = await fetch(`${url}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actor: DISPATCHER, report: { id, source: 'citizen', eventClass: '0101', title: 'E2E 回放案件', urgency: 'normal', lon: place.center[0], lat: place.center[1], reportedAt: Date.now() } }),
    });
    expect(res.ok, await res.clone().text()).toBe(true);
    const reportedAt = ((await res.json()) as { data: { reportedAt: number } }).data.reportedAt;
    await page.click('[data-testid="tab-cases"]');
    await page.waitForSelector(row(id));

    // Replay opens on the last hour, at its start: before the case.
    await page.click('[data-testid="replay-open"]');
    await page.waitForSelector('[data-testid="replay-bar"][data-at]');
    const start = await shownAt(page);
    expect(start).toBeLessThan(reportedAt);
    await page.waitForSelector(row(id), { state: 'detached' });
    expect(await page.getAttribute('[data-testid="conn-status"]', 'data-replaying')).toBe('true');
    expect(await page.textContent('[data-testid="conn-status"]')).toContain('回放模式');
    expect(await page.textContent('[data-testid="replay-when"]')).toMatch(/\d{2}:\d{2}:\d{2}/);
    // The whole picture is of then: the store's time is the moment, and it holds no later case.
    const seen = await page.evaluate(() => {
      const s = (window as unknown as Win).__linkage.store;
      return { time: s.serverTime, seq: s.seq, latest: Math.max(0, ...[...s.cases.values()].map((c) => c.reportedAt)) };
    });
    expect(seen.time).toBe(start);
    expect(seen.latest).toBeLessThanOrEqual(start);
    // Live deltas keep going out to screens (the simulator runs) but do not move the picture.
    await liveDeltasSent(url, 2);
    expect(await page.evaluate(() => (window as unknown as Win).__linkage.store.seq)).toBe(seen.seq);
    // A command from a replaying screen is refused with a reason.
    const refused = await page.evaluate(() => (window as unknown as Win).__linkage.realtime.report({ source: 'citizen', eventClass: '0101', title: 'x', urgency: 'normal', lon: 117, lat: 30.5 }));
    expect(refused).toMatchObject({ ok: false, code: 'REPLAYING' });

    // The end of the window is after the report: the case is there.
    await scrubTo(page, 1);
    await waitShown(page, (at) => at >= reportedAt, 'the end of the window');
    await page.waitForSelector(row(id));

    // Play from the middle at 600×: the moment moves forward.
    await scrubTo(page, 0.3);
    const mid = await waitShown(page, (at) => at < reportedAt, '30 % of the window');
    await page.selectOption('[data-testid="replay-speed"]', '600');
    await page.click('[data-testid="replay-play"]');
    await waitShown(page, (at) => at > mid, 'a later moment while playing');
    mkdirSync(shots, { recursive: true });
    for (const v of FEATURE_VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await mapIdle(page);
      await page.screenshot({ path: path.join(shots, `replay-${v.name}.png`), timeout: 240_000 });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });

    // Back to live in one click: the bar goes, the case is back, the store is current again.
    await page.click('[data-testid="replay-live"]');
    await page.waitForSelector('[data-testid="replay-bar"]', { state: 'detached' });
    await page.waitForSelector(row(id));
    await page.waitForFunction((t) => (window as unknown as Win).__linkage.store.serverTime > t, reportedAt);
    expect(await page.getAttribute('[data-testid="conn-status"]', 'data-replaying')).toBeNull();
    expect(await page.getAttribute('[data-testid="conn-status"]', 'data-state')).toBe('connected');
  });
});
