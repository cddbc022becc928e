// The admin calls: accounts, the audit log and the device registry (admin only; the session cookie says who).
import type { AccountRole, AccountView } from '../../../core/accounts.ts';
import type { AuditEntry } from '../../../core/audit.ts';
import type { DeviceSpec, RegisteredDevice, RegistryKind } from '../../../core/registry.ts';
import type { LedgerCrs, LedgerFile, LedgerReport } from '../../../core/ledger.ts';
import type { ImportFormat, ImportPlan } from '../../../core/resources-import.ts';
import type { BoundaryFile, BoundaryReport } from '../../../core/boundaries.ts';
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

/** The device registry (core/registry.ts). */
export const listRegistry = () => send<RegisteredDevice[]>('GET', '/api/devices/registry');
export const provisionDevice = (d: DeviceSpec) => send<RegisteredDevice>('POST', '/api/devices', d);
export const retireDevice = (kind: RegistryKind, id: string, reason: string) =>
  send<RegisteredDevice>('POST', `/api/devices/${kind}/${encodeURIComponent(id)}/retire`, { reason });

/** A device ledger (core/ledger.ts): dry run, then apply with the dry run's token. */
export const ledgerDryRun = (f: LedgerFile) => send<LedgerReport>('POST', '/api/devices/import/dry-run', f);
export const ledgerApply = (f: LedgerFile, token: string) => send<LedgerReport>('POST', '/api/devices/import/apply', { ...f, token });

/** A boundary GeoJSON (core/boundaries.ts): dry run, then apply with the dry run's token. */
export const boundaryDryRun = (f: BoundaryFile) => send<BoundaryReport>('POST', '/api/boundaries/import/dry-run', f);
export const boundaryApply = (f: BoundaryFile, token: string) => send<BoundaryReport>('POST', '/api/boundaries/import/apply', { ...f, token });

/** An emergency resources file (core/resources-import.ts) and what its import answers. */
export interface ResourceImportFile { format: ImportFormat; text: string; source: string; crs: LedgerCrs }
export interface ResourceImportResult extends Omit<ImportPlan, 'apply'> { applied: boolean; seq: number | null; token: string }
/** `apply` false is the dry run; true needs its token. */
export const resourceImport = (f: ResourceImportFile, apply: boolean, token?: string) =>
  send<ResourceImportResult>('POST', '/api/resources/import', { ...f, apply, ...(token ? { token } : {}) });
