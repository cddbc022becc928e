// The emergency broadcast tab (应急广播): select points (by scope, by an area drawn on the map, by a
// radius around the selected case or a map point), write the message, check its preview, then send
// (一般) or ask the duty leader's approval (紧急/特急); the approval list; a live progress bar and the
// history of who sent what when. A read-only screen sees approvals, progress and history only.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BROADCAST_PRIORITIES, MAX_RADIUS_M, MAX_TEXT, type BroadcastPriority, type BroadcastSummary } from '../../../core/broadcast.ts';
import { DISTRICT_CODE, scopeOf, staffOf, type Actor } from '../../../core/org.ts';
import type { Ack } from '../../../core/protocol.ts';
import type { CommunityInfo, TownshipInfo } from '../../../core/dataset.ts';
import { useLinkage } from '../context.ts';
import { useLive, useLiveMemo } from '../live.ts';
import { broadcastList, requestList } from '../state/broadcasts.ts';
import { needsApproval } from '../../../core/broadcast-approval.ts';
import { ConfirmSend, type BroadcastPreview } from './ConfirmSend.tsx';
import { Requests, visibleRequests } from './Requests.tsx';
import { fmtClock, fmtInt } from '../i18n/format.ts';
import { AckError } from '../panels/CaseActions.tsx';
import type { BroadcastDraft } from './draft.ts';
import './broadcast.css';

export const canBroadcast = (actor: Actor | null): actor is Actor => actor !== null && staffOf(actor, actor.org);

export function BroadcastPanel({ draft, townships, communities, selectedCaseId }: { draft: BroadcastDraft; townships: TownshipInfo[]; communities: CommunityInfo[]; selectedCaseId: string | null }) {
  const { t } = useTranslation();
  const { store, actor } = useLinkage();
  const { setActive } = draft;
  // The draft shows on the map only while this tab is open.
  useEffect(() => {
    setActive(true);
    return () => setActive(false);
  }, [setActive]);
  const list = useLiveMemo((s) => s.broadcastsVersion, broadcastList);
  const requests = useLiveMemo((s) => s.broadcastsVersion, (s) => visibleRequests(requestList(s)));
  const [shownId, setShownId] = useState<string | null>(null);
  const shown = (shownId ? store.broadcasts.get(shownId) : undefined) ?? list[0];
  return (
    <div className="bc-panel" data-testid="bc-panel">
      <Requests list={requests} onApproved={setShownId} />
      {canBroadcast(actor) ? (
        <SendForm draft={draft} actor={actor} townships={townships} communities={communities} selectedCaseId={selectedCaseId} onSent={(b) => setShownId(b.id)} />
      ) : (
        <div className="muted bc-readonly">{t('bc.readonly')}</div>
      )}
      {shown && <Progress b={shown} big />}
      <h3 className="bc-sub">{t('bc.history')}</h3>
      <div className="bc-history" data-testid="bc-history">
        {list.length === 0 && <div className="muted">{t('bc.none')}</div>}
        {list.map((b) => (
          <button key={b.id} className={`bc-item ${b.id === shown?.id ? 'on' : ''}`} onClick={() => setShownId(b.id)} data-testid="bc-item" data-id={b.id} data-status={b.status}>
            <div className="bc-item-head">
              <span className={`bc-prio ${b.message.priority}`}>{t(`bc.priorities.${b.message.priority}`)}</span>
              <span className="bc-time">{fmtClock(b.sentAt)}</span>
              <span className="bc-who">{t('bc.by', { name: b.actor.name, role: t(`role.${b.actor.role}`) })}</span>
              <span className={`bc-status ${b.status}`}>{t(`bc.status.${b.status}`)}</span>
            </div>
            <div className="bc-text">{b.message.text}</div>
            <Progress b={b} />
          </button>
        ))}
      </div>
    </div>
  );
}

function Progress({ b, big = false }: { b: BroadcastSummary; big?: boolean }) {
  const { t } = useTranslation();
  const p = b.progress;
  const pct = (n: number) => `${p.targets ? (100 * n) / p.targets : 0}%`;
  const segs = [
    ['delivered', p.delivered],
    ['failed', p.failed],
    ['noAnswer', p.noAnswer],
  ] as const;
  return (
    <div className={`bc-progress ${big ? 'big' : ''}`} data-testid={big ? 'bc-progress' : undefined} data-id={b.id} data-status={b.status}
      data-targets={p.targets} data-delivered={p.delivered} data-failed={p.failed} data-no-answer={p.noAnswer} data-pending={p.pending}>
      {big && (
        <div className="bc-progress-head">
          <b>{t('bc.progress')}</b> <span className="bc-text-inline">{b.message.text}</span>
          <span className={`bc-status ${b.status}`}>{t(`bc.status.${b.status}`)}</span>
        </div>
      )}
      <div className="bc-bar" role="progressbar" aria-valuemin={0} aria-valuemax={p.targets} aria-valuenow={p.targets - p.pending}>
        {segs.map(([k, n]) => (n > 0 ? <i key={k} className={`bc-seg ${k}`} style={{ width: pct(n) }} /> : null))}
      </div>
      <div className="bc-counts">
        {segs.map(([k, n]) => (
          <span key={k} className={k}>
            {t(`bc.${k}`)} <b>{fmtInt(n)}</b>
          </span>
        ))}
        <span className="pending">
          {t('bc.pending')} <b>{fmtInt(p.pending)}</b>
        </span>
        <span className="total">{t('bc.of', { n: fmtInt(p.targets) })}</span>
      </div>
    </div>
  );
}

function SendForm({ draft, actor, townships, communities, selectedCaseId, onSent }: {
  draft: BroadcastDraft; actor: Actor; townships: TownshipInfo[]; communities: CommunityInfo[]; selectedCaseId: string | null; onSent: (b: BroadcastSummary) => void;
}) {
  const { t } = useTranslation();
  const { rt } = useLinkage();
  const [text, setText] = useState('');
  const [priority, setPriority] = useState<BroadcastPriority>('urgent');
  const [repeat, setRepeat] = useState(2);
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  // Set by 预览并发送: nothing goes out before the preview is confirmed.
  const [preview, setPreview] = useState<BroadcastPreview | null>(null);
  const [requested, setRequested] = useState(false);
  const area = scopeOf(actor);
  const units = useMemo(
    () => [
      ...(area === DISTRICT_CODE ? [{ code: DISTRICT_CODE, name: '大观区', depth: 0 }] : []),
      ...townships.filter((x) => x.code.startsWith(area)).map((x) => ({ code: x.code, name: x.name, depth: 1 })),
      ...communities.filter((x) => x.code.startsWith(area)).map((x) => ({ code: x.code, name: x.name, depth: 2 })),
    ].sort((a, b) => (a.code < b.code ? -1 : 1)),
    [area, townships, communities],
  );
  const selectedCase = useLive((s) => (selectedCaseId ? s.cases.get(selectedCaseId) : undefined));
  const n = draft.selectedIds.length;
  const ready = draft.selection !== null && n > 0 && text.trim().length > 0 && !busy;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.selection || !ready) return;
    setAck(null);
    setRequested(false);
    setPreview({ message: { text: text.trim(), priority, repeat }, selection: draft.selection, points: n });
  };

  const confirm = async () => {
    if (!rt || !preview) return;
    setBusy(true);
    const send = { message: preview.message, selection: preview.selection };
    const approval = needsApproval(preview.message.priority);
    const r = approval ? await rt.requestBroadcast(send) : await rt.sendBroadcast(send);
    setBusy(false);
    setAck(r);
    if (!r.ok) return;
    // A sent or requested message is cleared, so a second press cannot repeat it by accident.
    setText('');
    setPreview(null);
    if ('progress' in r.data) onSent(r.data);
    else setRequested(true);
  };

  if (preview) {
    return (
      <div className="cmd-form bc-form" data-testid="bc-form">
        <ConfirmSend preview={preview} busy={busy} onConfirm={confirm} onBack={() => setPreview(null)} />
        <AckError ack={ack} />
      </div>
    );
  }

  return (
    <form className="cmd-form bc-form" onSubmit={submit} data-testid="bc-form">
      <div className="field choice">
        {(['scope', 'area', 'radius'] as const).map((m) => (
          <button type="button" key={m} className={draft.mode === m ? 'on' : ''} onClick={() => draft.setMode(m)} data-testid={`bc-mode-${m}`}>
            {t(`bc.modes.${m}`)}
          </button>
        ))}
      </div>
      {draft.mode === 'scope' && (
        <label className="field">
          <span>{t('bc.scope')}</span>
          <select value={draft.scopeCode} onChange={(e) => draft.setScopeCode(e.target.value)} data-testid="bc-scope">
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {'　'.repeat(u.depth)}
                {u.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {draft.mode === 'area' && (
        <div className="field">
          <span>{t('bc.area')}</span>
          <div className="bc-row">
            <span className="bc-vertices" data-testid="bc-vertices" data-value={draft.ring.length}>{t('bc.vertices', { n: draft.ring.length })}</span>
            {!draft.closed && (
              <button type="button" className="act" onClick={draft.finish} disabled={draft.ring.length < 3} data-testid="bc-finish">
                {t('bc.finish')}
              </button>
            )}
            <button type="button" className="act" onClick={draft.undo} disabled={draft.ring.length === 0}>
              {t('bc.undo')}
            </button>
            <button type="button" className="act" onClick={draft.clear} disabled={draft.ring.length === 0} data-testid="bc-clear">
              {draft.closed ? t('bc.redraw') : t('bc.clear')}
            </button>
          </div>
          {draft.problem && <div className="ack-error">{t('bc.invalidRing', { msg: draft.problem })}</div>}
        </div>
      )}
      {draft.mode === 'radius' && (
        <div className="field">
          <span>{t('bc.center')}</span>
          <div className="bc-row">
            <span className="bc-center">
              {draft.center ? (draft.center.caseId ? t('bc.caseCenter', { id: draft.center.caseId }) : t('bc.pointCenter', { lon: draft.center.lon.toFixed(4), lat: draft.center.lat.toFixed(4) })) : t('bc.noCenter')}
            </span>
            <button type="button" className="act" disabled={!selectedCase} onClick={() => selectedCase && draft.useCase(selectedCase)} data-testid="bc-use-case">
              {t('bc.useCase')}
            </button>
            <button type="button" className={`act ${draft.pickingCenter ? 'on' : ''}`} onClick={() => draft.setPickingCenter(!draft.pickingCenter)} data-testid="bc-pick-center">
              {t('bc.pickCenter')}
            </button>
          </div>
          <label className="bc-row">
            <span>{t('bc.radius')}</span>
            <input type="range" min={100} max={MAX_RADIUS_M} step={100} value={draft.radiusM} onChange={(e) => draft.setRadiusM(Number(e.target.value))} data-testid="bc-radius" />
            <b className="bc-radius-value">{draft.radiusM >= 1000 ? `${(draft.radiusM / 1000).toFixed(1)} km` : `${draft.radiusM} m`}</b>
          </label>
        </div>
      )}
      <div className="bc-selected">
        {t('bc.selected')} <b data-testid="bc-selected" data-value={n}>{t('bc.points', { n: fmtInt(n) })}</b>
        {draft.selection && n === 0 && <span className="muted"> · {t('bc.empty')}</span>}
      </div>
      <label className="field">
        <span>
          {t('bc.message')} <small className="muted">{t('bc.chars', { n: text.trim().length, max: MAX_TEXT })}</small>
        </span>
        <textarea rows={3} maxLength={MAX_TEXT} value={text} onChange={(e) => setText(e.target.value)} data-testid="bc-text" />
      </label>
      <div className="bc-row">
        <span className="muted">{t('bc.priority')}</span>
        <div className="field choice">
          {BROADCAST_PRIORITIES.map((p) => (
            <button type="button" key={p} className={`${priority === p ? 'on' : ''} bc-prio-btn ${p}`} onClick={() => setPriority(p)} data-testid={`bc-priority-${p}`}>
              {t(`bc.priorities.${p}`)}
            </button>
          ))}
        </div>
        <label className="bc-repeat">
          <span className="muted">{t('bc.repeat')}</span>
          <input type="number" min={1} max={10} value={repeat} onChange={(e) => setRepeat(Math.min(10, Math.max(1, Math.round(Number(e.target.value) || 1))))} data-testid="bc-repeat" />
        </label>
      </div>
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={!ready} data-testid="bc-send">
          {t('bc.review')}
        </button>
      </div>
      {requested && <div className="bc-notice" data-testid="bc-requested">{t('bc.requested')}</div>}
      <AckError ack={ack} />
    </form>
  );
}
