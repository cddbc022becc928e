// 系统管理: a sheet over the dashboard for an admin — the accounts (create, disable/enable, reset
// password, sign out everywhere), the devices (DevicesTab.tsx), the ledger import (ImportTab.tsx), the boundary import (BoundaryTab.tsx), the emergency resources import (ResourcesTab.tsx) and the audit log (filtered, newest first, paged back).
// Server refusals are shown as the server words them.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { AccountRole, AccountView } from '../../../core/accounts.ts';
import type { AuditEntry } from '../../../core/audit.ts';
import { useLinkage } from '../context.ts';
import { fmtClock, fmtDateTime } from '../i18n/format.ts';
import { createAccount, fetchAudit, listAccounts, resetPassword, revokeAccount, updateAccount } from './api.ts';
import { accountStatus, AUDIT_PREFIXES, AUDIT_WINDOWS, auditQuery, diffText, type AuditFilter, type AuditWindow } from './helpers.ts';
import { DevicesTab } from './DevicesTab.tsx';
import { ImportTab } from './ImportTab.tsx';
import { BoundaryTab } from './BoundaryTab.tsx';
import { ResourcesTab } from './ResourcesTab.tsx';
import { useAdminCall } from './useAdminCall.ts';
import './admin.css';

const ROLES: AccountRole[] = ['admin', 'duty-leader', 'dispatcher', 'department', 'township-operator', 'community-operator', 'grid-worker', 'display'];
type Tab = 'accounts' | 'devices' | 'import' | 'boundaries' | 'resources' | 'audit';

export function AdminSheet({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('accounts');
  return createPortal(
    <div className="adm-backdrop" data-testid="admin-sheet" data-tab={tab}>
      <div className="adm-sheet">
        <header className="adm-head">
          <h1>{t('adm.title')}</h1>
          <div className="adm-tabs">
            {(['accounts', 'devices', 'import', 'boundaries', 'resources', 'audit'] as Tab[]).map((k) => (
              <button key={k} className={tab === k ? 'on' : ''} onClick={() => setTab(k)} data-testid={`admin-tab-${k}`}>
                {t(`adm.tabs.${k}`)}
              </button>
            ))}
          </div>
          <button className="adm-close" onClick={onClose} data-testid="admin-close" aria-label="close">×</button>
        </header>
        {tab === 'accounts' ? <Accounts /> : tab === 'devices' ? <DevicesTab /> : tab === 'import' ? <ImportTab /> : tab === 'boundaries' ? <BoundaryTab /> : tab === 'resources' ? <ResourcesTab /> : <Audit />}
      </div>
    </div>,
    document.body,
  );
}

/** An area code (or department id) by name, with the code beside it. */
function useAreaName() {
  const { names } = useLinkage();
  return (org: string) => {
    const unit = names.unit(org);
    const name = unit !== org ? unit : names.place(org);
    return name === org ? org : `${name}（${org}）`;
  };
}

type Notice = { kind: 'oneTime'; id: string; password: string } | { kind: 'info'; text: string };

function Accounts() {
  const { t } = useTranslation();
  const area = useAreaName();
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [form, setForm] = useState({ id: '', name: '', role: 'community-operator' as AccountRole, org: '', password: '' });

  const load = useCallback(async () => {
    const r = await listAccounts();
    if (r.ok) setAccounts(r.data);
    else setError(r.message);
  }, []);
  const { busy, error, setError, run } = useAdminCall(() => void load());
  useEffect(() => {
    void load();
  }, [load]);

  /** Runs a call; on failure shows the server's message, on success what `done` says and reloads. */
  const act = <T,>(call: Promise<{ ok: true; data: T } | { ok: false; message: string }>, done: (data: T) => Notice | null) => run(call, (d) => setNotice(done(d)));

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const body = { id: form.id.trim(), name: form.name.trim(), role: form.role, org: form.org.trim(), ...(form.password ? { password: form.password } : {}) };
    const ok = await act(createAccount(body), (d) => (d.oneTimePassword ? { kind: 'oneTime', id: d.account.id, password: d.oneTimePassword } : { kind: 'info', text: t('adm.created', { id: d.account.id }) }));
    if (ok) setForm((f) => ({ ...f, id: '', name: '', password: '' }));
  };

  return (
    <div className="adm-body adm-accounts">
      <section className="adm-main">
        {error && <div className="adm-error" data-testid="admin-error">{error}</div>}
        {notice?.kind === 'oneTime' && (
          <div className="adm-one-time">
            <span>{t('adm.oneTime', { id: notice.id })}</span>
            <code data-testid="admin-one-time" data-id={notice.id} onFocus={(e) => window.getSelection()?.selectAllChildren(e.currentTarget)} tabIndex={0}>{notice.password}</code>
            <button onClick={() => setNotice(null)}>{t('adm.dismiss')}</button>
          </div>
        )}
        {notice?.kind === 'info' && (
          <div className="adm-info" data-testid="admin-info">
            <span>{notice.text}</span>
            <button onClick={() => setNotice(null)}>{t('adm.dismiss')}</button>
          </div>
        )}
        <div className="adm-count">{accounts ? t('adm.count', { n: accounts.length }) : t('adm.loading')}</div>
        <div className="adm-scroll">
          <table className="adm-table" data-testid="admin-accounts">
            <thead>
              <tr>
                <th>{t('adm.cols.id')}</th><th>{t('adm.cols.name')}</th><th>{t('adm.cols.role')}</th><th>{t('adm.cols.org')}</th><th>{t('adm.cols.status')}</th><th>{t('adm.cols.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(accounts ?? []).map((a) => {
                const status = accountStatus(a);
                return (
                  <tr key={a.id} data-testid="admin-account-row" data-id={a.id} data-status={status}>
                    <td className="adm-mono">{a.id}</td>
                    <td>{a.name}</td>
                    <td>{t(`auth.role.${a.role}`)}</td>
                    <td>{area(a.org)}</td>
                    <td><span className={`adm-status adm-${status}`}>{t(`adm.status.${status}`)}</span></td>
                    <td className="adm-actions">
                      <button disabled={busy} onClick={() => void act(updateAccount(a.id, { disabled: !a.disabled }), (d) => ({ kind: 'info', text: t('adm.updated', { id: d.id }) }))} data-testid="admin-toggle">
                        {a.disabled ? t('adm.enable') : t('adm.disable')}
                      </button>
                      <button disabled={busy} onClick={() => void act(resetPassword(a.id), (d) => ({ kind: 'oneTime', id: a.id, password: d.oneTimePassword }))} data-testid="admin-reset">
                        {t('adm.reset')}
                      </button>
                      <button disabled={busy} onClick={() => void act(revokeAccount(a.id), (d) => ({ kind: 'info', text: t('adm.revoked', { id: a.id, n: d.sessionsEnded }) }))} data-testid="admin-revoke">
                        {t('adm.revoke')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <form className="adm-form" onSubmit={(e) => void create(e)} data-testid="admin-create-form">
        <h2>{t('adm.create')}</h2>
        <label>
          {t('adm.cols.id')}
          <input value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} required data-testid="admin-new-id" />
        </label>
        <label>
          {t('adm.cols.name')}
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required data-testid="admin-new-name" />
        </label>
        <label>
          {t('adm.cols.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as AccountRole })} data-testid="admin-new-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>{t(`auth.role.${r}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('adm.cols.org')}
          <input value={form.org} onChange={(e) => setForm({ ...form, org: e.target.value })} required data-testid="admin-new-org" />
          <small>{form.org.trim() ? area(form.org.trim()) : t('adm.orgHint')}</small>
        </label>
        <label>
          {t('adm.password')}
          <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} data-testid="admin-new-password" />
          <small>{t('adm.passwordHint')}</small>
        </label>
        <button type="submit" disabled={busy} data-testid="admin-create">{t('adm.createSubmit')}</button>
      </form>
    </div>
  );
}

function Audit() {
  const { t } = useTranslation();
  const { names } = useLinkage();
  const [filter, setFilter] = useState<AuditFilter>({ window: '24h', action: '', actor: '', subject: '' });
  // The window is fixed when the filter is applied, so "load more" pages back through the same question.
  const [asked, setAsked] = useState(() => ({ filter, now: Date.now() }));
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const page = useCallback(async (before: number | null) => {
    setBusy(true);
    const r = await fetchAudit(auditQuery(asked.filter, asked.now, { before }));
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setError(null);
    setEntries((prev) => (before === null ? r.data.entries : [...(prev ?? []), ...r.data.entries]));
    setNext(r.data.next);
  }, [asked]);
  useEffect(() => {
    setEntries(null);
    void page(null);
  }, [page]);
  // Select changes apply at once; the text fields on Enter or leaving them.
  const apply = (f: AuditFilter) => {
    setFilter(f);
    setAsked({ filter: f, now: Date.now() });
  };

  return (
    <div className="adm-body adm-audit">
      <form className="adm-filters" onSubmit={(e) => { e.preventDefault(); apply(filter); }}>
        <div className="adm-tabs">
          {(Object.keys(AUDIT_WINDOWS) as AuditWindow[]).map((w) => (
            <button type="button" key={w} className={filter.window === w ? 'on' : ''} onClick={() => apply({ ...filter, window: w })} data-testid={`audit-window-${w}`}>
              {t(`adm.audit.window.${w}`)}
            </button>
          ))}
        </div>
        <label>
          {t('adm.audit.action')}
          <select value={filter.action} onChange={(e) => apply({ ...filter, action: e.target.value })} data-testid="audit-action">
            {AUDIT_PREFIXES.map((p) => (
              <option key={p} value={p}>{p ? `${t(`adm.audit.prefixes.${p}`)} (${p})` : t('adm.audit.all')}</option>
            ))}
          </select>
        </label>
        <label>
          {t('adm.audit.actor')}
          <input value={filter.actor} onChange={(e) => setFilter({ ...filter, actor: e.target.value })} onBlur={() => apply(filter)} data-testid="audit-actor" />
        </label>
        <label>
          {t('adm.audit.subject')}
          <input value={filter.subject} onChange={(e) => setFilter({ ...filter, subject: e.target.value })} onBlur={() => apply(filter)} data-testid="audit-subject" />
        </label>
        <button type="submit" hidden />
        <span className="adm-count">{entries ? t('adm.audit.shown', { n: entries.length }) : t('adm.loading')}</span>
      </form>
      {error && <div className="adm-error" data-testid="admin-error">{error}</div>}
      <div className="adm-scroll">
        <table className="adm-table adm-audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th>{t('adm.audit.cols.at')}</th><th>{t('adm.audit.cols.actor')}</th><th>{t('adm.audit.cols.action')}</th><th>{t('adm.audit.cols.scope')}</th><th>{t('adm.audit.cols.subject')}</th><th>{t('adm.audit.cols.change')}</th>
            </tr>
          </thead>
          <tbody>
            {(entries ?? []).map((e) => {
              const change = diffText(e.before, e.after);
              return (
                <tr key={e.seq} data-testid="audit-row" data-action={e.action} data-subject={e.subject} data-seq={e.seq}>
                  <td className="adm-mono">{fmtDateTime(e.at).slice(0, 5)} {fmtClock(e.at)}</td>
                  <td>{e.actor ? <>{e.actor.name} <small>{t(`role.${e.actor.role}`, { defaultValue: e.actor.role })} · {e.actor.id}</small></> : <small>{t('adm.audit.system')}</small>}</td>
                  <td className="adm-mono">{e.action}</td>
                  <td>{names.place(e.scope)}</td>
                  <td className="adm-mono">{e.subject}</td>
                  <td className="adm-change" title={change}>{change || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {entries && entries.length === 0 && <div className="adm-empty">{t('adm.audit.empty')}</div>}
        {entries && entries.length > 0 && (next !== null ? (
          <button className="adm-more" disabled={busy} onClick={() => void page(next)} data-testid="audit-more">{t('adm.audit.more')}</button>
        ) : (
          <div className="adm-empty">{t('adm.audit.end')}</div>
        ))}
      </div>
    </div>
  );
}
