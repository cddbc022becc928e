// Requests for 紧急/特急 broadcasts (审批): each with its level, text, where, how many points and who
// asked; its status (待审批 / 已批准 / 已驳回 with the reason / 已过期). A duty leader who did not ask
// sees 批准 and 驳回 (with a required reason) on pending ones — the same rule the server applies
// (core/broadcast-approval.ts deciderProblem).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deciderProblem, type BroadcastRequestView } from '../../../core/broadcast-approval.ts';
import type { Actor } from '../../../core/org.ts';
import type { Ack } from '../../../core/protocol.ts';
import { useLinkage } from '../context.ts';
import { fmtClock, fmtInt } from '../i18n/format.ts';
import { AckError } from '../panels/CaseActions.tsx';
import { useWhere } from './useWhere.ts';

/** Decided requests kept in view besides the pending ones (the requester sees the outcome). */
const RECENT_DECIDED = 3;

export function visibleRequests(all: readonly BroadcastRequestView[]): BroadcastRequestView[] {
  const pending = all.filter((r) => r.status === 'pending');
  return [...pending, ...all.filter((r) => r.status !== 'pending').slice(0, RECENT_DECIDED)];
}

export function Requests({ list, onApproved }: { list: readonly BroadcastRequestView[]; onApproved: (id: string) => void }) {
  const { t } = useTranslation();
  const { actor } = useLinkage();
  if (list.length === 0) return null;
  return (
    <section className="bc-requests" data-testid="bc-requests">
      <h3 className="bc-sub">{t('bc.requests')}</h3>
      <div className="bc-requests-list">
        {list.map((r) => (
          <RequestItem key={r.id} r={r} actor={actor} onApproved={onApproved} />
        ))}
      </div>
    </section>
  );
}

const mayDecide = (actor: Actor | null, r: BroadcastRequestView): actor is Actor => actor !== null && r.status === 'pending' && deciderProblem(actor, r) === null;

function RequestItem({ r, actor, onApproved }: { r: BroadcastRequestView; actor: Actor | null; onApproved: (id: string) => void }) {
  const { t } = useTranslation();
  const { rt } = useLinkage();
  const where = useWhere();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const run = async (call: () => Promise<Ack<unknown>>) => {
    setBusy(true);
    const a = await call();
    setBusy(false);
    setAck(a);
    return a;
  };
  const approve = async () => {
    if (!rt) return;
    if ((await run(() => rt.approveBroadcast(r.id))).ok) onApproved(r.id);
  };
  const reject = async () => {
    if (!rt || !reason.trim()) return;
    if ((await run(() => rt.rejectBroadcast(r.id, reason.trim()))).ok) setRejecting(false);
  };
  const decider = r.decidedBy;
  return (
    <div className={`bc-request ${r.status}`} data-testid="bc-request" data-id={r.id} data-status={r.status}>
      <div className="bc-item-head">
        <span className={`bc-prio ${r.message.priority}`}>{t(`bc.priorities.${r.message.priority}`)}</span>
        <span className="bc-time">{fmtClock(r.requestedAt)}</span>
        <span className="bc-who" data-testid="bc-request-by">{t('bc.requestedBy', { name: r.requestedBy.name, role: t(`role.${r.requestedBy.role}`) })}</span>
        <span className={`bc-req-status ${r.status}`} data-testid="bc-request-status">{t(`bc.reqStatus.${r.status}`)}</span>
      </div>
      <div className="bc-text">{r.message.text}</div>
      <div className="bc-req-facts">
        {where(r.selection)} · {t('bc.points', { n: fmtInt(r.pointCount) })} · {t('bc.repeatN', { n: r.message.repeat })}
        {r.status === 'pending' && <> · {t('bc.expires', { time: fmtClock(r.expiresAt) })}</>}
      </div>
      {decider && (
        <div className="bc-req-decided" data-testid="bc-request-decided">
          {t('bc.decidedBy', { name: decider.name, status: t(`bc.reqStatus.${r.status}`) })}
          {r.decidedAt !== null && ` · ${fmtClock(r.decidedAt)}`}
          {r.reason && <> · {t('bc.reason', { reason: r.reason })}</>}
        </div>
      )}
      {mayDecide(actor, r) && !rejecting && (
        <div className="bc-row">
          <button type="button" className="act bc-approve-btn" disabled={busy} onClick={approve} data-testid="bc-approve">
            {t('bc.approve')}
          </button>
          <button type="button" className="act danger" disabled={busy} onClick={() => setRejecting(true)} data-testid="bc-reject">
            {t('bc.reject')}
          </button>
        </div>
      )}
      {mayDecide(actor, r) && rejecting && (
        <div className="bc-row">
          <input className="bc-reason" maxLength={200} placeholder={t('bc.rejectReason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="bc-reject-reason" />
          <button type="button" className="act danger" disabled={busy || !reason.trim()} onClick={reject} data-testid="bc-reject-confirm">
            {t('bc.confirmReject')}
          </button>
          <button type="button" className="act" disabled={busy} onClick={() => setRejecting(false)}>
            {t('bc.cancel')}
          </button>
        </div>
      )}
      <AckError ack={ack} />
    </div>
  );
}
