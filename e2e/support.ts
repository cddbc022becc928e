// What every browser test file shares: the stack started once for the run (e2e/global-setup.ts), a
// browser and a 1920×1080 dashboard page of the file's own, and the checks every page must pass
// (no request leaves localhost, the Content-Security-Policy is never violated).
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../core/org.ts';
import { launch } from './screenshot.ts';

export interface Shared {
  url: string;
  /** A gateway key, to post device data as a gateway would. */
  key: string;
  /** The one-time admin password the server printed at its first start (null against LINKAGE_E2E_URL). */
  adminPassword: string | null;
  page: Page;
  browser: Browser;
  /** Uncaught errors of this file's pages. */
  pageErrors: string[];
  /** Only with `ownStack`: crashes or stops the server and starts it again on the same data. */
  restartServer?: (signal: 'SIGKILL' | 'SIGTERM', whileDown: () => Promise<void>) => Promise<void>;
}

export const DISPATCHER: Actor = { id: 'e2e-dispatcher', name: '测试派遣员', role: 'dispatcher', org: '340803' };

function isLocal(u: string): boolean {
  if (!/^(https?|wss?):/.test(u)) return true; // data:, blob:
  const host = new URL(u).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/**
 * A browser and a dashboard page for this file's tests, opened before them and closed after; after
 * them too, every request the file's pages made is checked to have stayed on localhost and within
 * the server's Content-Security-Policy. `ownStack` starts a stack for this file alone (a test that
 * crashes the server must not take the other files' server with it).
 */
export function useDashboard(options: { ownStack?: boolean } = {}): () => Shared {
  let shared: Shared | undefined;
  let stopStack = async () => {};
  const foreign: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  beforeAll(async () => {
    let stack = inject('e2eStack');
    let restartServer: Shared['restartServer'];
    if (options.ownStack) {
      const own = await (await import('./harness.ts')).startStack();
      stack = { url: own.url, key: own.key, adminPassword: null };
      stopStack = own.stop;
      restartServer = own.restartServer;
    }
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    // Software WebGL on two shared cores can hold the page's main thread for many seconds.
    page.setDefaultTimeout(90_000);
    const watch = (p: Page) => {
      p.on('websocket', (ws) => {
        if (!isLocal(ws.url())) foreign.push(ws.url());
      });
      p.on('pageerror', (e) => pageErrors.push(e.message));
      p.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
    };
    watch(page);
    page.context().on('page', watch);
    page.context().on('request', (r) => {
      if (!isLocal(r.url())) foreign.push(r.url());
    });
    await page.goto(stack.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 150_000 });
    shared = { ...stack, page, browser, pageErrors, restartServer };
  }, 240_000);
  afterAll(async () => {
    await shared?.browser.close();
    await stopStack();
    expect(foreign, 'requests outside localhost').toEqual([]);
    expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
  });
  return () => {
    if (!shared) throw new Error('the dashboard page is not open (its beforeAll failed)');
    return shared;
  };
}

/**
 * Puts the shared page back to its resting state (1920×1080, no form floating over the map), so a
 * test that failed half-way does not leave a form that swallows the next test's clicks.
 */
export async function closeFloating(page: Page): Promise<void> {
  const size = page.viewportSize();
  if (size?.width !== 1920 || size.height !== 1080) await page.setViewportSize({ width: 1920, height: 1080 });
  // A replay left open (a test that failed half-way) would cover the map's buttons: back to live.
  const live = page.locator('[data-testid="replay-live"]');
  if (await live.count()) {
    await live.click();
    await page.waitForSelector('[data-testid="replay-bar"]', { state: 'detached' });
  }
  // A kiosk test that failed half-way must not leave the next tests a screen without controls.
  if (await page.evaluate(() => new URLSearchParams(location.search).has('kiosk'))) {
    await page.evaluate(() => {
      history.pushState(null, '', '/?as=display');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.waitForSelector('[data-testid="app"]:not(.kiosk)');
  }
  for (const form of ['drone-form', 'report-form']) {
    const cancel = page.locator(`[data-testid="${form}"] .form-buttons button[type="button"]`);
    if (await cancel.count()) await cancel.first().click();
  }
}

/** Sets the video wall's automatic bring-up on or off (opening the wall to reach the switch), then leaves the wall open. */
export async function setVideoAuto(page: Page, on: boolean): Promise<void> {
  if (await page.locator('[data-testid="video-wall-toggle"]').count()) await page.click('[data-testid="video-wall-toggle"]');
  const sw = page.locator('[data-testid="video-auto"]');
  if ((await sw.getAttribute('aria-pressed')) !== String(on)) await sw.click();
  await expect(sw.getAttribute('aria-pressed')).resolves.toBe(String(on));
}

/** Switches identity the way a bookmarked URL would, without reloading (the app follows popstate). */
export async function goAs(page: Page, search: string): Promise<void> {
  await page.evaluate((s) => {
    history.pushState(null, '', `/${s}`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, search);
}
