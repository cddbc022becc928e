// Screenshots of the closed-loop views on a running stack, at 1920×1080 and 3840×2160, plus the
// grid worker's phone page at 390×844. One page is reused and resized (a fresh page load with
// software WebGL costs 20–40 s); identities are switched through the URL (the app follows popstate).
//   npx tsx e2e/tour.ts <url> <outdir>   (a stack serving the test build: STATIC_DIR=dist-test, npm run build:test)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launch, mapIdle } from './screenshot.ts';

type Live = { __linkage: { store: { seq: number; session: { actor: { role: string } } | null; cases: Map<string, { stage: string; whistleId: string | null }> } } };

async function go(p: Page, search: string): Promise<void> {
  await p.evaluate((s) => {
    history.pushState(null, '', `/${s}`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, search);
  const role = search.includes('dispatcher') ? 'dispatcher' : 'display';
  await p.waitForFunction((r) => {
    const s = (window as unknown as Live).__linkage.store;
    return s.seq >= 0 && s.session?.actor.role === r;
  }, role);
  await mapIdle(p);
}

/** A case in the visible feed with a long timeline (handled, whistled if possible). */
function richCase(p: Page): Promise<string | undefined> {
  return p.evaluate(() => {
    const s = (window as unknown as Live).__linkage.store;
    const ids = [...document.querySelectorAll('[data-testid=case-feed] [data-case-id]')].map((e) => e.getAttribute('data-case-id') ?? '');
    const rows = ids.map((id) => [id, s.cases.get(id)] as const).filter(([, c]) => c);
    const pick = rows.find(([, c]) => c!.stage === 'handled' && c!.whistleId) ?? rows.find(([, c]) => c!.stage === 'handled') ?? rows.find(([, c]) => c!.stage === 'handling') ?? rows[0];
    return pick?.[0];
  });
}

async function main(): Promise<void> {
  const [url, out = 'screenshots'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: npx tsx e2e/tour.ts <url> <outdir>');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const browser = await launch();
  try {
    const p = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    p.on('pageerror', (e) => console.error('page error:', e.message));
    const shot = async (name: string) => {
      await p.screenshot({ path: path.join(out, `${name}.png`) });
      console.log(`saved ${name}.png`);
    };
    await p.goto(`${url}/?as=display`, { waitUntil: 'domcontentloaded' });
    await p.waitForSelector('body[data-ready="1"]', { timeout: 150_000 });
    for (const [w, h] of [[1920, 1080], [3840, 2160]] as const) {
      const tag = `${w}x${h}`;
      await p.setViewportSize({ width: w, height: h });
      await p.waitForFunction((width) => Math.abs(parseFloat(getComputedStyle(document.documentElement).fontSize) - (16 * width) / 1920) < 0.5, w);
      await mapIdle(p);
      await go(p, '?as=display');
      await shot(`dashboard-${tag}-district-screen`);
      await go(p, '?as=dispatcher');
      const id = await richCase(p);
      if (id) {
        await p.click(`[data-case-id="${id}"]`);
        await p.waitForSelector('[data-testid=case-timeline]');
        await mapIdle(p);
        await shot(`dashboard-${tag}-dispatcher-case-detail`);
        await p.click('[data-testid=case-detail-close]');
      }
      await p.click('[data-testid=tab-whistle]');
      await p.waitForSelector('[data-testid=tab-whistle][aria-selected="true"]');
      await shot(`dashboard-${tag}-whistle-board`);
      await p.click('[data-testid=tab-kpi]');
      await p.waitForSelector('[data-testid=tab-kpi][aria-selected="true"]');
      await shot(`dashboard-${tag}-indicators`);
      await go(p, '?scope=340803001');
      await shot(`dashboard-${tag}-township-screen`);
    }
    await p.setViewportSize({ width: 1920, height: 1080 });
    await mapIdle(p);
    await go(p, '?as=dispatcher');
    await p.click('[data-testid=lang-en]');
    await p.click('[data-testid=report-open]');
    await p.selectOption('[data-testid=report-community]', { index: 3 });
    await mapIdle(p);
    await shot('dashboard-1920x1080-en-report-form');
    await p.click('[data-testid=lang-zh]');

    const m = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await m.goto(`${url}/m.html?as=worker:GW-0003`, { waitUntil: 'domcontentloaded' });
    await m.waitForSelector('[data-testid=m-app][data-ready="1"]');
    await m.click('[data-testid=m-tab-community]');
    await m.waitForSelector('[data-testid=m-tab-community].on');
    await m.screenshot({ path: path.join(out, 'mobile-390x844-community.png') });
    await m.click('[data-testid=m-tab-report]');
    await m.waitForSelector('[data-testid=m-tab-report].on');
    await m.screenshot({ path: path.join(out, 'mobile-390x844-report.png') });
    console.log('saved mobile-390x844-*.png');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
