// The admin calls: accounts and the audit log (admin only; the session cookie says who).
import type { AccountRole, AccountView } from '../../../core/accounts.ts';
import type { AuditEntry } from '../../../core/audit.ts';
import { send } from '../auth/api.ts';

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
