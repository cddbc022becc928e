// The admin calls: accounts and the audit log (admin only; the session cookie says who).
import type { AccountRole, AccountView } from '../../../core/accounts.ts';
import type { AuditEntry } from '../../../core/audit.ts';

export type Answer<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

async function send<T>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  try {
    const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    const json = (await res.json().catch(() => null)) as Answer<T> | { message?: string } | null;
    if (json && 'ok' in json) return json as Answer<T>;
    return { ok: false, code: String(res.status), message: (json as { message?: string } | null)?.message ?? `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, code: 'UNAVAILABLE', message: `the server cannot be reached: ${(e as Error).message}` };
  }
}

export interface NewAccount {
  id: string;
  name: string;
  role: AccountRole;
  org: string;
  password?: string;
}

export const listAccounts = () => send<AccountView[]>('GET', '/api/accounts');
export const createAccount = (a: NewAccount) => send<{ account: AccountView; oneTimePassword?: string }>('POST', '/api/accounts', a);
export const updateAccount = (id: string, patch: { name?: string; role?: AccountRole; org?: string; disabled?: boolean }) =>
  send<AccountView>('PATCH', `/api/accounts/${encodeURIComponent(id)}`, patch);
export const resetPassword = (id: string) => send<{ oneTimePassword: string }>('POST', `/api/accounts/${encodeURIComponent(id)}/reset-password`);
export const revokeAccount = (id: string) => send<{ sessionsEnded: number }>('POST', `/api/accounts/${encodeURIComponent(id)}/revoke`);
/** `query` from helpers.auditQuery. */
export const fetchAudit = (query: string) => send<{ entries: AuditEntry[]; next: number | null }>('GET', `/api/audit${query}`);
