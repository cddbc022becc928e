// Browser test of issue 15, item 9: in replay the 回放模式 pill covers nothing of the title bar (the
// duty leader above all), in Chinese and in English at 1920×1080; and the identity selector groups
// community centers and grid workers by township instead of one list of ~170.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeFloating, useDashboard } from './support.ts';

type Box = { what: string; l: number; t: number; r: number; b: number };

/** The boxes of everything the title bar shows side by side (its left block and each item on its right), and the replay bar. */
const titleBoxes = (page: Page) =>
  page.evaluate(() => {
    const box = (what: string, el: Element) => {
      const r = el.getBoundingClientRect();
      return { what, l: r.left, t: r.top, r: r.right, b: r.bottom };
    };
    const items = [...document.querySelectorAll('.titlebar .title-left, .titlebar .title-right > *')].filter((el) => el.getBoundingClientRect().width > 0);
    return {
      items: items.map((el) => box(`${el.className || el.tagName}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}`, el)),
      header: box('titlebar', document.querySelector('.titlebar')!),
      bar: box('replay-bar', document.querySelector('[data-testid="replay-bar"]')!),
      // What a person sees at the middle of the leader's name: the name itself, not something over it.
      leaderOnTop: (() => {
        const el = document.querySelector('[data-testid="on-duty-leader"]');
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      })(),
    };
  });

const overlap = (a: Box, b: Box) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 0.5 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 0.5;

const get = useDashboard();

describe('title bar', () => {
  it('in replay the 回放模式 pill overlaps nothing in the title bar, in zh and en at 1920×1080', async () => {
    const { page } = get();
    await closeFloating(page);
    await page.waitForSelector('[data-testid="on-duty-leader"]');
    await page.click('[data-testid="replay-open"]');
    await page.waitForSelector('[data-testid="replay-bar"][data-at]');
    await page.waitForSelector('[data-testid="conn-status"][data-replaying]');
    try {
      for (const lang of ['zh', 'en']) {
        await page.click(`[data-testid="lang-${lang}"]`);
        await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), lang);
        const { items, header, bar, leaderOnTop } = await titleBoxes(page);
        expect(items.some((i) => i.what.includes('conn-status')), `${lang}: the pill is in the title bar`).toBe(true);
        const clashes = items.flatMap((a, i) => items.slice(i + 1).filter((b) => overlap(a, b)).map((b) => `${a.what} × ${b.what}`));
        expect(clashes, `${lang}: overlapping title-bar items`).toEqual([]);
        for (const i of items) expect(i.r, `${lang}: ${i.what} runs off the screen`).toBeLessThanOrEqual(1920.5);
        expect(leaderOnTop, `${lang}: the duty leader's name is covered`).toBe(true);
        expect(overlap(bar, header), `${lang}: the replay bar covers the title bar`).toBe(false);
        // The replayed moment's date in the screen's language (English had the Chinese weekday).
        const date = (await page.textContent('[data-testid="replay-when"] .replay-date')) ?? '';
        if (lang === 'en') expect(date, 'the replay date in English').toMatch(/^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
        else expect(date, 'the replay date in Chinese').toMatch(/周[一二三四五六日]/);
      }
    } finally {
      await page.click('[data-testid="lang-zh"]');
      await page.click('[data-testid="replay-live"]');
      await page.waitForSelector('[data-testid="replay-bar"]', { state: 'detached' });
    }
  }, 300_000);

  it('the identity selector groups community centers and grid workers by township', async () => {
    const { page } = get();
    const groups = await page.$$eval('[data-testid="identity-select"] optgroup', (gs) => gs.map((g) => ({ label: g.getAttribute('label') ?? '', n: g.querySelectorAll('option').length })));
    const all = groups.reduce((s, g) => s + g.n, 0);
    expect(all, 'identities offered').toBeGreaterThan(100);
    // No group a person must scroll through at length: the biggest is a township's communities.
    expect(Math.max(...groups.map((g) => g.n)), JSON.stringify(groups)).toBeLessThanOrEqual(30);
    for (const prefix of ['村社区中心 · ', '网格员 · ']) {
      const byTownship = groups.filter((g) => g.label.startsWith(prefix));
      expect(byTownship.length, `${prefix}groups`).toBeGreaterThanOrEqual(10);
      expect(byTownship.map((g) => g.label)).toContain(`${prefix}山口乡`);
    }
  }, 120_000);
});
