// Browser test of the admin sheet (系统管理): runs after login.ts, which gave the admin the password
// 'e2e center passphrase'. The admin creates a community operator through the form, sees its
// one-time password once, disables it, and finds both changes in the audit log.
import { expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { closeFloating, goAs, type Shared } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');
/** The admin's password after e2e/login.ts. */
const PASSPHRASE = 'e2e center passphrase';

/** Signs the page in as the admin: with the sign-in test's passphrase, else the printed one-time password (changed to it). */
export async function signInAsAdmin(page: Page, adminPassword: string | null): Promise<void> {
  await page.click('[data-testid="sign-in-open"]');
  await page.fill('[data-testid="sign-in-id"]', 'admin');
  await page.fill('[data-testid="sign-in-password"]', PASSPHRASE);
  await page.click('[data-testid="sign-in-submit"]');
  const signedIn = await Promise.race([
    page.waitForSelector('[data-testid="account-badge"][data-account="admin"]').then(() => true),
    page.waitForSelector('[data-testid="sign-in-message"]').then(() => false),
  ]);
  if (!signedIn) {
    // Run without the sign-in test before it: the admin still has the printed one-time password.
    const printed = adminPassword;
    if (!printed) throw new Error('the admin password is neither the sign-in test\'s nor printed by the server');
    await page.fill('[data-testid="sign-in-password"]', printed);
    await page.click('[data-testid="sign-in-submit"]');
    await page.fill('[data-testid="pw-current"]', printed);
    await page.fill('[data-testid="pw-next"]', PASSPHRASE);
    await page.fill('[data-testid="pw-again"]', PASSPHRASE);
    await page.click('[data-testid="pw-save"]');
    await page.waitForSelector('[data-testid="account-badge"][data-account="admin"]');
  }
}

export function adminTests(get: () => Shared): void {
  it('admin page: the admin creates a community operator (one-time password shown), disables it, and sees both in the audit log', async () => {
    const { page, adminPassword } = get();
    // On the file's page, as the sign-in test (a second page would draw a second map in software).
    await closeFloating(page);
    await goAs(page, '?as=display');
    try {
      await signInAsAdmin(page, adminPassword);

      await page.click('[data-testid="admin-open"]');
      await page.waitForSelector('[data-testid="admin-sheet"]');
      await page.waitForSelector('[data-testid="admin-account-row"][data-id="admin"]');

      const id = 'co-e2e';
      const fillForm = async () => {
        await page.fill('[data-testid="admin-new-id"]', id);
        await page.fill('[data-testid="admin-new-name"]', '海口社区坐席');
        await page.selectOption('[data-testid="admin-new-role"]', 'community-operator');
        await page.fill('[data-testid="admin-new-org"]', '340803001002');
        await page.click('[data-testid="admin-create"]');
      };
      await fillForm();
      const oneTime = await page.waitForSelector(`[data-testid="admin-one-time"][data-id="${id}"]`);
      expect(((await oneTime.textContent()) ?? '').length).toBeGreaterThanOrEqual(10);
      const row = `[data-testid="admin-account-row"][data-id="${id}"]`;
      await page.waitForSelector(`${row}[data-status="mustChange"]`);

      // The same login name again: the server's refusal, as it says it.
      await fillForm();
      expect(await page.textContent('[data-testid="admin-error"]')).toBeTruthy();

      await page.click(`${row} [data-testid="admin-toggle"]`);
      await page.waitForSelector(`${row}[data-status="disabled"]`);
      expect(await page.locator('[data-testid="admin-error"]').count()).toBe(0);
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'admin-accounts-1920x1080.png') });

      await page.click('[data-testid="admin-tab-audit"]');
      await page.waitForSelector('[data-testid="audit-row"]');
      await page.selectOption('[data-testid="audit-action"]', 'account');
      await page.waitForSelector(`[data-testid="audit-row"][data-action="account:update"][data-subject="${id}"]`);
      await page.waitForSelector(`[data-testid="audit-row"][data-action="account:create"][data-subject="${id}"]`);
      // Only account actions, newest first: the update above the create.
      const rows = await page.$$eval('[data-testid="audit-row"]', (els) => els.map((e) => ({ action: e.getAttribute('data-action'), subject: e.getAttribute('data-subject') })));
      expect(rows.every((r) => r.action?.startsWith('account:'))).toBe(true);
      const mine = rows.filter((r) => r.subject === id).map((r) => r.action);
      expect(mine).toEqual(['account:update', 'account:create']);
      await page.screenshot({ path: path.join(shots, 'admin-audit-1920x1080.png') });
    } finally {
      if (await page.locator('[data-testid="admin-close"]').count()) await page.click('[data-testid="admin-close"]');
      if (await page.locator('[data-testid="sign-out"]').count()) await page.click('[data-testid="sign-out"]');
    }
  });
}
