// Browser test of the duty context (issue 5), on the shared stack and a page of its own: the title bar names who is on duty; the duty tab shows now/next; the
// duty leader writes an instruction; the previous shift's handover is opened, signed by its
// outgoing leader, then by the incoming one (the current shift's leader), and prints on its own.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DevicesFile } from '../core/dataset.ts';
import type { DutyPool, DutyShift, HandoverReport } from '../core/duty.ts';
import { closeFloating, DISPATCHER, goAs, useDashboard } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');

/** Switches to a duty leader's identity and waits for its snapshot. */
async function asLeader(page: Page, key: string): Promise<void> {
  await goAs(page, `?as=${key}`);
  await page.waitForFunction((id) => {
    const s = (window as unknown as { __linkage: { store: { seq: number; session: { actor: { id: string } } | null } } }).__linkage.store;
    return s.seq >= 0 && s.session?.actor.id === id;
  }, key.slice('leader:'.length));
}

const api = async <T>(url: string): Promise<T> => ((await (await fetch(url)).json()) as { data: T }).data;

/** A new case near the district's first community, filed and dispatched to `dept` over HTTP by the test dispatcher. */
async function dispatchedCase(url: string, dept: string): Promise<{ id: string; assignee: string | null }> {
  const manifest = (await (await fetch(`${url}/data/manifest.json`)).json()) as { communities: { center: [number, number] }[] };
  const [lon, lat] = manifest.communities[0].center;
  const post = async (route: string, body: unknown) => {
    const res = await fetch(`${url}/api${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: DISPATCHER, ...(body as object) }) });
    expect(res.ok, await res.clone().text()).toBe(true);
    return ((await res.json()) as { data: { id: string; assignee: string | null } }).data;
  };
  const id = `E2E-DUTY-${Date.now()}`;
  await post('/cases', { report: { id, source: 'citizen', eventClass: '0101', title: 'E2E 值班部门案件', urgency: 'normal', lon, lat, reportedAt: Date.now() } });
  await post(`/cases/${id}/commands`, { command: { type: 'file' } });
  return post(`/cases/${id}/commands`, { command: { type: 'dispatch', unit: dept } });
}

const get = useDashboard();

describe('duty', () => {
  it('duty: who is on duty, an instruction in the duty log, and the last shift handed over with both signatures and a print layout', async () => {
    const { page, url } = get();
    page.setDefaultTimeout(90_000);
    await closeFloating(page);
    const now = await api<{ current: DutyShift; next: DutyShift }>(`${url}/api/duty/now`);
    const prevStart = now.current.start - (now.current.end - now.current.start);
    const prev = await api<HandoverReport>(`${url}/api/duty/handovers/${prevStart}`);
    expect(prev.next.leader.id).toBe(now.current.leader.id);

    // The title bar names the shift's leader for everyone, the wall screen included.
    await expect(page.textContent('[data-testid="on-duty-leader"]')).resolves.toBe(now.current.leader.name);

    // The current leader records an instruction; it is in the log of the shift.
    await asLeader(page, `leader:${now.current.leader.id}`);
    await page.click('[data-testid="tab-duty"]');
    await expect(page.textContent('[data-testid="duty-current"]')).resolves.toContain(now.current.leader.name);
    await expect(page.textContent('[data-testid="duty-next"]')).resolves.toContain(now.next.leader.name);
    const text = `E2E 批示：加强夜间巡查 ${Date.now()}`;
    await page.click('[data-testid="duty-kind-instruction"]');
    await page.fill('[data-testid="duty-text"]', text);
    await page.click('[data-testid="duty-submit"]');
    await page.waitForSelector(`[data-testid="duty-note"]:has-text("${text}")`);
    await expect(page.textContent('[data-testid="duty-log"]')).resolves.toContain(now.current.leader.name);

    // The previous shift: its outgoing leader signs first.
    await asLeader(page, `leader:${prev.duty.leader.id}`);
    await page.click('[data-testid="tab-duty"]');
    await page.click(`[data-testid="duty-handover"][data-start="${prevStart}"] [data-testid="duty-handover-open"]`);
    await page.waitForSelector(`[data-testid="handover"][data-start="${prevStart}"] [data-testid="ho-period"]`);
    for (const s of ['reported', 'closed', 'alarms'] as const) {
      expect(Number(await page.getAttribute(`[data-testid="ho-count-${s}"]`, 'data-value')), s).toBe(prev.sections[s].length);
    }
    // Not the incoming side yet, and not for this person.
    expect(await page.locator('[data-testid="ho-sign-incoming-submit"]').count()).toBe(0);
    await page.fill('[data-testid="ho-note-outgoing"]', '交班：无遗留紧急事项');
    await page.click('[data-testid="ho-sign-outgoing-submit"]');
    await page.waitForSelector('[data-testid="ho-sign-outgoing"][data-signed="1"]');
    await page.waitForSelector('[data-testid="handover"][data-frozen="1"]');
    await page.click('[data-testid="ho-close"]');

    // The incoming leader (this shift's) signs the other side.
    await asLeader(page, `leader:${now.current.leader.id}`);
    await page.click('[data-testid="tab-duty"]');
    await page.click(`[data-testid="duty-handover"][data-start="${prevStart}"] [data-testid="duty-handover-open"]`);
    await page.click('[data-testid="ho-sign-incoming-submit"]');
    await page.waitForSelector('[data-testid="ho-sign-incoming"][data-signed="1"]');
    const signed = await api<HandoverReport>(`${url}/api/duty/handovers/${prevStart}`);
    expect(signed.signatures.map((s) => [s.role, s.actor.id])).toEqual([['outgoing', prev.duty.leader.id], ['incoming', now.current.leader.id]]);
    expect(signed.signatures[0].note).toBe('交班：无遗留紧急事项');

    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'duty-handover-1080p.png') });
    // Printed, the sheet stands alone: the dashboard is hidden, the sheet is black on white.
    await page.emulateMedia({ media: 'print' });
    const print = await page.evaluate(() => ({
      root: getComputedStyle(document.getElementById('root')!).display,
      sheet: getComputedStyle(document.querySelector('.ho-sheet')!).backgroundColor,
      buttons: getComputedStyle(document.querySelector('[data-testid="ho-print"]')!.parentElement!).display,
    }));
    expect(print).toEqual({ root: 'none', sheet: 'rgb(255, 255, 255)', buttons: 'none' });
    await page.screenshot({ path: path.join(shots, 'duty-handover-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.click('[data-testid="ho-close"]');
    await page.waitForSelector('[data-testid="handover"]', { state: 'detached' });
    await page.click('[data-testid="tab-duty"]');
    await page.waitForSelector(`[data-testid="duty-handover"][data-start="${prevStart}"][data-signatures="2"]`, { timeout: 60_000 });
    page.setDefaultTimeout(90_000);
  }, 300_000);

  it('call from the screen: the duty staff, a case\'s grid workers and its department\'s staff one click away, each call in the duty log', async () => {
    const { page, url } = get();
    await closeFloating(page);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    // The numbers as the center keeps them: its duty pool and the district's dataset, read here, not through the screen.
    const pool = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', 'data', 'duty-pool.json'), 'utf8')) as DutyPool;
    const phoneOf = new Map([...pool.leaders, ...pool.dispatchers, ...pool.stationed].map((p) => [p.id, p.phone]));
    const devices = await (await fetch(`${url}/data/devices.json`)).json() as DevicesFile;
    const workerPhone = new Map(devices.worker.map((w) => [w.id, w.phone]));
    const dial = (phone: string) => `tel:${phone.replace(/[\s-]/g, '')}`;

    await goAs(page, '?as=dispatcher');
    await page.waitForFunction(() => (window as unknown as { __linkage: { store: { session: { actor: { role: string } } | null } } }).__linkage.store.session?.actor.role === 'dispatcher');
    await page.click('[data-testid="tab-duty"]');
    const now = await api<{ current: DutyShift }>(`${url}/api/duty/now`);
    const staff = now.current.stationed[0];
    const person = page.locator(`[data-testid="duty-current"] [data-testid="duty-person"][data-id="${staff.id}"]`);
    await expect(person.locator('[data-testid="call-dial"]').getAttribute('href')).resolves.toBe(dial(phoneOf.get(staff.id)!));
    for (const d of now.current.dispatchers) {
      await expect(page.locator(`[data-testid="duty-person"][data-id="${d.id}"] [data-testid="call-dial"]`).getAttribute('href')).resolves.toBe(dial(phoneOf.get(d.id)!));
    }
    // Copy: the number is on the clipboard, and the call is in the duty log with whom it was to.
    await person.locator('[data-testid="call-copy"]').click();
    await page.waitForSelector(`[data-testid="duty-person"][data-id="${staff.id}"] [data-testid="call"][data-logged]`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(phoneOf.get(staff.id));
    await page.waitForSelector(`[data-testid="duty-note"]:has-text("${phoneOf.get(staff.id)}")`);
    const log = await api<Array<{ kind: string; contact?: { name: string; phone: string }; actor: { role: string } }>>(`${url}/api/duty/log?from=${now.current.start}&to=${now.current.end}`);
    expect(log.filter((n) => n.kind === 'call' && n.contact?.phone === phoneOf.get(staff.id))).toEqual([expect.objectContaining({ contact: { name: staff.name, phone: phoneOf.get(staff.id) }, actor: expect.objectContaining({ role: 'dispatcher' }) })]);

    // An open case handled by a department with staff on this shift: its card offers them and the nearest grid workers.
    const open = await api<Array<{ id: string; assignee: string | null }>>(`${url}/api/cases?open=1`);
    const depts = new Set(now.current.stationed.map((p) => p.dept));
    // The simulator's cases may all be with departments off this shift: then one is reported and dispatched to a department on duty, as a dispatcher would.
    const c = open.find((x) => x.assignee && depts.has(x.assignee)) ?? (await dispatchedCase(url, now.current.stationed.find((p) => p.dept)!.dept!));
    expect(c.assignee !== null && depts.has(c.assignee), 'an open case handled by a department on duty').toBe(true);
    await page.click('[data-testid="tab-cases"]');
    await page.click('[data-testid="filter-all"]');
    const card = page.locator(`[data-testid="case-detail"][data-case-id="${c.id}"]`);
    for (let attempt = 0; attempt < 4 && !(await card.count()); attempt++) {
      await page.click(`[data-testid="case-feed"] [data-case-id="${c.id}"]`);
      await card.waitFor({ timeout: 15_000 }).catch(() => undefined);
    }
    const deptStaff = now.current.stationed.filter((p) => p.dept === c.assignee);
    // The card's contacts come with the shift it reads: poll until they are drawn (a fresh-clone run read none).
    const deptDials = () => card.locator(`[data-testid="dept-contact"][data-dept="${c.assignee}"] [data-testid="call-dial"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    await expect.poll(deptDials, { timeout: 30_000 }).toEqual(deptStaff.map((p) => dial(phoneOf.get(p.id)!)));
    const nearby = await card.locator('[data-testid="nearby-workers"] li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-worker'), li.querySelector('[data-testid="call-dial"]')?.getAttribute('href')]));
    expect(nearby.length).toBeGreaterThan(0);
    for (const [id, href] of nearby) expect(href, `${id}'s number`).toBe(dial(workerPhone.get(id!)!));
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'call-from-case-1080p.png') });
  }, 300_000);
});
