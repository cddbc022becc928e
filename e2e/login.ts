// Browser test of signing in (issue 5's display-only login, issue 6's accounts). The test stack
// runs AUTH_MODE=declared, where signing in is offered but optional; a signed-in account wins.
// The first start's one-time admin password is read from the server's output, as an operator would.
import { expect, it } from 'vitest';
import { request, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { closeFloating, goAs, type Shared } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');
/** Progress on stdout: where the time goes when a step is slow on a loaded machine. */
const step = (t0: number, what: string) => console.log(`[sign-in e2e] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

async function signInThroughForm(page: Page, id: string, password: string): Promise<void> {
  await page.click('[data-testid="sign-in-open"]');
  await page.fill('[data-testid="sign-in-id"]', id);
  await page.fill('[data-testid="sign-in-password"]', password);
  await page.click('[data-testid="sign-in-submit"]');
}

export function loginTests(get: () => Shared): void {
  it('sign-in: the one-time admin chooses a password; a display screen signs in read-only to its township and is cut off when revoked', async () => {
    const { page, url, adminPassword } = get();
    const printed = adminPassword;
    if (!printed) throw new Error('the server printed no one-time admin password (this test needs the test stack, not LINKAGE_E2E_URL)');
    // On the file's page, its map already drawn: a second page would draw a second map in software
    // on the same two cores. Signing in where it is optional keeps the page and switches who it is.
    await closeFloating(page);
    await goAs(page, '?as=display');
    const t0 = Date.now();
    try {
      await page.waitForSelector('[data-testid="sign-in-open"]');
      await signInThroughForm(page, 'admin', 'not the password');
      expect(await page.textContent('[data-testid="sign-in-message"]')).toContain('wrong login name or password');
      await page.fill('[data-testid="sign-in-password"]', printed);
      await page.click('[data-testid="sign-in-submit"]');
      // A one-time password must be replaced first.
      await page.waitForSelector('[data-testid="new-password"]');
      step(t0, 'signed in with the one-time password');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'sign-in-new-password-1920x1080.png') });
      await page.fill('[data-testid="pw-current"]', printed);
      await page.fill('[data-testid="pw-next"]', 'short');
      await page.fill('[data-testid="pw-again"]', 'short');
      await page.click('[data-testid="pw-save"]');
      expect(await page.textContent('[data-testid="pw-message"]')).toMatch(/at least 10/);
      await page.fill('[data-testid="pw-next"]', 'e2e center passphrase');
      await page.fill('[data-testid="pw-again"]', 'e2e center passphrase');
      await page.click('[data-testid="pw-save"]');
      await page.waitForSelector('[data-testid="account-badge"][data-account="admin"]');
      step(t0, 'password changed');
      // The admin makes an account for the township's wall screen (the API an admin panel calls).
      const made = await page.request.post(`${url}/api/accounts`, { data: { id: 'wall-e2e', name: '德宽路大屏', role: 'display', org: '340803001', password: 'wall screen e2e 1' } });
      expect(made.status(), await made.text()).toBe(200);
      await page.click('[data-testid="sign-out"]');
      await page.waitForSelector('[data-testid="sign-in-open"]');

      // The screen signs in once: its township, read-only, live.
      await signInThroughForm(page, 'wall-e2e', 'wall screen e2e 1');
      await page.waitForSelector('[data-testid="account-badge"][data-account="wall-e2e"]');
      await page.waitForSelector('[data-testid="app"][data-scope="340803001"]');
      await page.waitForSelector('[data-testid="conn-status"][data-state="connected"]');
      step(t0, 'the display signed in and live');
      expect(await page.locator('[data-testid="report-open"]').count()).toBe(0);
      expect(await page.locator('[data-testid="identity"]').count()).toBe(0);
      const session = await page.evaluate(() => (window as unknown as { __linkage: { store: { session: { actor: { role: string; id: string }; scope: string } } } }).__linkage.store.session);
      expect(session).toMatchObject({ actor: { role: 'display', id: 'wall-e2e' }, scope: '340803001' });
      await page.screenshot({ path: path.join(shots, 'sign-in-display-1920x1080.png') });

      // Revoked from elsewhere: the screen is cut off at once and stops being the account.
      const admin = await request.newContext({ baseURL: url });
      expect((await admin.post('/api/auth/login', { data: { id: 'admin', password: 'e2e center passphrase' } })).status()).toBe(200);
      const revoked = await admin.post('/api/accounts/wall-e2e/revoke');
      expect((await revoked.json()).data.sessionsEnded).toBe(1);
      await admin.dispose();
      await page.waitForSelector('[data-testid="account-badge"][data-account="wall-e2e"]', { state: 'detached' });
      expect((await page.request.get(`${url}/api/auth/session`).then((r) => r.json())).data.account).toBeNull();
    } finally {
      // Whatever happened, the page goes on as the declared display it was.
      if (await page.locator('[data-testid="sign-out"]').count()) await page.click('[data-testid="sign-out"]');
    }
  });
}
