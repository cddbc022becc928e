// Pure helpers of the admin sheet: the audit query string, the compact before→after text, an
// account's status. No React, no fetch.
import type { AccountView } from '../../../core/accounts.ts';

export const AUDIT_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type AuditWindow = keyof typeof AUDIT_WINDOWS;
/** Action prefixes the filter offers ('' = every action). */
export const AUDIT_PREFIXES = ['', 'auth', 'account', 'case', 'whistle', 'alarm', 'drone', 'broadcast', 'duty', 'device'] as const;

export interface AuditFilter {
  window: AuditWindow;
  action: string;
  actor: string;
  subject: string;
}

/** The `?…` of GET /api/audit for a filter at `now`, paging back with `before` (the previous `next`). */
export function auditQuery(f: AuditFilter, now: number, opts: { limit?: number; before?: number | null } = {}): string {
  const q = new URLSearchParams();
  q.set('from', String(Math.max(0, Math.floor(now - AUDIT_WINDOWS[f.window]))));
  if (f.action) q.set('action', f.action);
  const actor = f.actor.trim();
  if (actor) q.set('actor', actor);
  const subject = f.subject.trim();
  if (subject) q.set('subject', subject);
  q.set('limit', String(opts.limit ?? 50));
  if (opts.before != null) q.set('before', String(opts.before));
  return `?${q.toString()}`;
}

const MAX_VALUE = 40;
function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? 'null';
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/**
 * before/after as one compact line: only what changed, "disabled: false→true; role: a→b";
 * with only an after (a create, a sign-in), "role=display, org=340803001"; nothing: "".
 */
export function diffText(before: unknown, after: unknown): string {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (before == null && after == null) return '';
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    return changed.map((k) => `${k}: ${k in before ? short(before[k]) : '∅'}→${k in after ? short(after[k]) : '∅'}`).join('; ');
  }
  if (before == null && isObj(after)) return Object.entries(after).map(([k, v]) => `${k}=${short(v)}`).join(', ');
  if (after == null && isObj(before)) return Object.entries(before).map(([k, v]) => `${k}=${short(v)}`).join(', ') + ' →∅';
  return `${before == null ? '∅' : short(before)}→${after == null ? '∅' : short(after)}`;
}

export type AccountStatus = 'disabled' | 'locked' | 'mustChange' | 'active';
/** One status per account, the most important first: 停用 > 锁定 > 待改密 > 正常. */
export function accountStatus(a: Pick<AccountView, 'disabled' | 'locked' | 'mustChangePassword'>): AccountStatus {
  if (a.disabled) return 'disabled';
  if (a.locked) return 'locked';
  if (a.mustChangePassword) return 'mustChange';
  return 'active';
}
