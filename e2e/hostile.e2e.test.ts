// Browser test (issue 6): text from outside — a case title a resident typed, a reporter's name —
// is shown as text, never run as HTML.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../core/org.ts';
import { closeFloating, DISPATCHER, useDashboard } from './support.ts';

const HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>占道"\'&';

const get = useDashboard();

describe('hostile text', () => {
  it('hostile text in a case title is shown as text, not run as HTML', async () => {
    const { page, url } = get();
    await closeFloating(page);
    const id = `E2E-XSS-${Date.now()}`;
    const res = await fetch(`${url}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actor: DISPATCHER, report: { id, source: 'citizen', eventClass: '0101', title: HOSTILE, description: HOSTILE, urgency: 'normal', lon: 117.03, lat: 30.52, reportedAt: Date.now() } }),
    });
    expect(res.ok, await res.clone().text()).toBe(true);
    await page.click('[data-testid="tab-cases"]');
    const row = page.locator(`[data-testid="case-feed"] [data-case-id="${id}"]`);
    await row.waitFor();
    expect(await row.locator('.feed-title').textContent()).toContain(HOSTILE);
    expect(await row.locator('img, script').count()).toBe(0);
    // Its detail card shows the same text.
    await row.click();
    await page.waitForSelector(`[data-testid="case-detail"][data-case-id="${id}"]`);
    expect(await page.textContent('[data-testid="case-detail"]')).toContain(HOSTILE);
    expect(await page.locator('[data-testid="case-detail"] img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.click('[data-testid="case-detail-close"]');
  });
});
