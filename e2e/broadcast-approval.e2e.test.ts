// Browser test of the leader's approval of an urgent broadcast (issue 15 item 4), on the shared
// stack: a dispatcher writes a 特急 broadcast to a township, checks its preview, asks for approval
// and sees 待审批 with their own name and no approve button; the screen then acts as the district
// duty leader (?as=leader), who approves it, and the broadcast shows as sent under the request's id.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { BroadcastState } from '../core/broadcast.ts';
import { closeFloating, goAs, useDashboard } from './support.ts';

/** Software WebGL on a loaded 2-core machine can hold the main thread for many seconds. */
const SLOW = { timeout: 120_000 };

const get = useDashboard();

async function actingAs(page: Page, role: string): Promise<void> {
  await page.waitForFunction((r) => {
    const s = (window as unknown as { __linkage: { store: { seq: number; session: { actor: { role: string } } | null } } }).__linkage.store;
    return s.seq >= 0 && s.session?.actor.role === r;
  }, role, SLOW);
}

describe('approval of an urgent broadcast', () => {
  it('a dispatcher asks for a 特急 broadcast and sees 待审批; the duty leader approves it and it is sent', async () => {
    const { page, url } = get();
    page.setDefaultTimeout(SLOW.timeout);
    await closeFloating(page);
    await goAs(page, '?as=dispatcher');
    await actingAs(page, 'dispatcher');
    await page.click('[data-testid="tab-broadcast"]');
    await page.click('[data-testid="bc-mode-scope"]');

    // A township (9-digit code) of the unit list: some of the district's points, not all 500.
    const townships = await page.$$eval('[data-testid="bc-scope"] option', (os) => os.map((o) => ({ code: (o as HTMLOptionElement).value, name: o.textContent!.trim() })).filter((o) => o.code.length === 9));
    expect(townships.length).toBeGreaterThan(0);
    const township = townships[0];
    await page.selectOption('[data-testid="bc-scope"]', township.code);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="bc-selected"]')?.getAttribute('data-value')) > 0);
    const points = Number(await page.getAttribute('[data-testid="bc-selected"]', 'data-value'));

    const text = `特急演练 ${Date.now().toString(36)}：请沿江低洼地带居民立即转移`;
    await page.fill('[data-testid="bc-text"]', text);
    await page.click('[data-testid="bc-priority-emergency"]');
    await page.click('[data-testid="bc-send"]');

    // The preview: level, text, where and how many points; confirming asks for approval.
    await page.waitForSelector('[data-testid="bc-preview"]');
    expect(await page.getAttribute('[data-testid="bc-preview"]', 'data-priority')).toBe('emergency');
    expect(Number(await page.getAttribute('[data-testid="bc-preview"]', 'data-points'))).toBe(points);
    await expect(page.textContent('[data-testid="bc-preview-level"]')).resolves.toBe('特急');
    await expect(page.textContent('[data-testid="bc-preview-text"]')).resolves.toBe(text);
    await expect(page.textContent('[data-testid="bc-preview-where"]')).resolves.toContain(township.name);
    await expect(page.textContent('[data-testid="bc-confirm"]')).resolves.toBe('提交领导审批');
    await page.click('[data-testid="bc-confirm"]');

    // Pending: 待审批, asked by the dispatcher, and no approve button on the requester's own screen.
    const request = page.locator('[data-testid="bc-request"]', { hasText: text });
    await request.waitFor();
    const id = (await request.getAttribute('data-id'))!;
    const mine = `[data-testid="bc-request"][data-id="${id}"]`;
    expect(await page.getAttribute(mine, 'data-status')).toBe('pending');
    await expect(page.textContent(`${mine} [data-testid="bc-request-status"]`)).resolves.toBe('待审批');
    await expect(page.textContent(`${mine} [data-testid="bc-request-by"]`)).resolves.toContain('派遣员');
    expect(await page.locator(`${mine} [data-testid="bc-approve"]`).count()).toBe(0);
    await page.waitForSelector('[data-testid="bc-requested"]');
    // Not sent: no broadcast of that id, on screen or on the server.
    expect(await page.locator(`[data-testid="bc-item"][data-id="${id}"]`).count()).toBe(0);
    expect((await fetch(`${url}/api/broadcasts/${id}`)).status).toBe(404);

    // The same screen as the district duty leader: approve.
    await goAs(page, '?as=leader');
    await actingAs(page, 'duty-leader');
    if ((await page.locator('[data-testid="bc-panel"]').count()) === 0) await page.click('[data-testid="tab-broadcast"]');
    await page.click(`${mine} [data-testid="bc-approve"]`);

    // Sent under the request's id; the request shows who approved it.
    await page.waitForSelector(`[data-testid="bc-item"][data-id="${id}"]`);
    expect(['sent', 'delivering', 'completed']).toContain(await page.getAttribute(`[data-testid="bc-item"][data-id="${id}"]`, 'data-status'));
    await page.waitForSelector(`${mine}[data-status="approved"]`);
    await expect(page.textContent(`${mine} [data-testid="bc-request-decided"]`)).resolves.toContain('值班领导');
    const detail = (await (await fetch(`${url}/api/broadcasts/${id}`)).json()) as { data: BroadcastState };
    expect(detail.data).toMatchObject({ id, message: { text, priority: 'emergency' }, actor: { role: 'dispatcher' }, progress: { targets: points } });
    page.setDefaultTimeout(90_000);
  }, 600_000);
});
