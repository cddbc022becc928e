// The 值班 tab: who is on duty now and next, the duty log of the shift (instructions, decisions,
// notes, optionally about the selected case) and the recent handovers, each opening its report.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { WRITTEN_NOTE_KINDS, type DutyNoteKind, type DutyPerson, type DutyShift } from '../../../core/duty.ts';
import type { Ack } from '../../../core/protocol.ts';
import { useLinkage } from '../context.ts';
import { fmtDateTime, fmtHM } from '../i18n/format.ts';
import { AckError } from '../panels/CaseActions.tsx';
import { usePoll } from '../realtime/http.ts';
import { fetchDutyLog, fetchDutyNow, fetchHandovers, postNote } from './api.ts';
import { CallButton } from './CallButton.tsx';
import { HandoverView } from './HandoverView.tsx';
import { handoverState } from './handoverState.ts';
import './duty.css';

/** Someone on the shift, with their number one click away when the pool has one. */
function Person({ p, about }: { p: DutyPerson; about: string }) {
  return (
    <li data-testid="duty-person" data-id={p.id}>
      <span>{p.name}</span>
      {p.phone && <CallButton target={{ name: p.name, phone: p.phone, about }} />}
    </li>
  );
}

function ShiftCard({ s, label, testId, withPhones }: { s: DutyShift; label: string; testId: string; withPhones: boolean }) {
  const { t } = useTranslation();
  const { names } = useLinkage();
  return (
    <div className="duty-card" data-testid={testId} data-start={s.start}>
      <div className="duty-card-head">
        <span>{label}</span>
        <span className="duty-time">{t('duty.shift', { from: fmtDateTime(s.start), to: fmtHM(s.end) })}</span>
        {s.source === 'assigned' && <i className="duty-tag">{t('duty.assigned')}</i>}
      </div>
      <div className="duty-leader">
        <span>{t('duty.leader')}</span> <b>{s.leader.name}</b> <small>{s.leader.title}</small>
        {withPhones && s.leader.phone && <CallButton target={{ name: s.leader.name, phone: s.leader.phone, about: t('duty.call.dutyLeader') }} />}
      </div>
      {withPhones ? (
        <>
          <div className="duty-row">
            <span>{t('duty.dispatchers')}</span>
            <ul className="duty-people">
              {s.dispatchers.map((p) => (
                <Person key={p.id} p={p} about={t('duty.call.dispatcher')} />
              ))}
            </ul>
          </div>
          <div className="duty-row">
            <span>{t('duty.stationed')}</span>
            <ul className="duty-people">
              {s.stationed.map((p) => (
                <Person key={p.id} p={p} about={t('duty.call.stationed', { dept: p.dept ? names.unit(p.dept) : '' })} />
              ))}
            </ul>
          </div>
        </>
      ) : (
        <>
          <div className="duty-row">
            <span>{t('duty.dispatchers')}</span> {s.dispatchers.map((p) => p.name).join('、')}
          </div>
          <div className="duty-row">
            <span>{t('duty.stationed')}</span> {s.stationed.map((p) => p.name).join('、')}
          </div>
        </>
      )}
    </div>
  );
}

export function DutyPanel({ selectedCaseId }: { selectedCaseId: string | null }) {
  const { t } = useTranslation();
  const { actor } = useLinkage();
  const [refresh, setRefresh] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const now = usePoll((signal) => fetchDutyNow(signal), 60_000, []);
  const shift = now.value?.current ?? null;
  const log = usePoll((signal) => (shift ? fetchDutyLog(shift.start, shift.end, signal) : Promise.resolve([])), 10_000, [shift?.start, refresh]);
  const handovers = usePoll((signal) => fetchHandovers(6, signal), 30_000, [refresh]);
  const [kind, setKind] = useState<DutyNoteKind>(actor?.role === 'duty-leader' ? 'instruction' : 'decision');
  const [text, setText] = useState('');
  const [aboutCase, setAboutCase] = useState(true);
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const canWrite = !!actor && actor.role !== 'grid-worker';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!actor || !text.trim()) return;
    setBusy(true);
    const r = await postNote(actor, { kind, text, ...(aboutCase && selectedCaseId ? { caseId: selectedCaseId } : {}) });
    setBusy(false);
    setAck(r);
    if (r.ok) {
      setText('');
      setRefresh((n) => n + 1);
    }
  };

  return (
    <div className="duty-panel" data-testid="duty-panel">
      {now.value && (
        <div className="duty-cards">
          <ShiftCard s={now.value.current} label={t('duty.now')} testId="duty-current" withPhones />
          <ShiftCard s={now.value.next} label={t('duty.next')} testId="duty-next" withPhones={false} />
        </div>
      )}
      <h3>{t('duty.log')}</h3>
      {canWrite && (
        <form className="duty-form" onSubmit={submit} data-testid="duty-form">
          <div className="seg">
            {WRITTEN_NOTE_KINDS.map((k) => (
              <button type="button" key={k} className={kind === k ? 'on' : ''} onClick={() => setKind(k)} data-testid={`duty-kind-${k}`}>
                {t(`duty.kind.${k}`)}
              </button>
            ))}
          </div>
          <textarea value={text} maxLength={2000} rows={2} placeholder={t('duty.textPh')} onChange={(e) => setText(e.target.value)} data-testid="duty-text" />
          {selectedCaseId && (
            <label className="duty-check">
              <input type="checkbox" checked={aboutCase} onChange={(e) => setAboutCase(e.target.checked)} data-testid="duty-about-case" /> {t('duty.forCase', { id: selectedCaseId })}
            </label>
          )}
          <button type="submit" className="primary" disabled={busy || !text.trim()} data-testid="duty-submit">
            {t('duty.write')}
          </button>
          <AckError ack={ack} />
        </form>
      )}
      <ul className="duty-log" data-testid="duty-log">
        {(log.value ?? []).length === 0 && <li className="muted">{t('duty.logEmpty')}</li>}
        {(log.value ?? []).map((n) => (
          <li key={n.id} className={`duty-note duty-note-${n.kind}`} data-testid="duty-note" data-case-id={n.caseId ?? ''}>
            <span className="duty-note-time">{fmtHM(n.at)}</span>
            <i className="duty-tag">{t(`duty.kind.${n.kind}`)}</i>
            <span className="duty-note-text">
              {n.contact ? `${n.contact.name} ${n.contact.phone} · ` : ''}
              {n.text}
            </span>
            <span className="duty-note-by">
              {n.actor.name}
              {n.caseId ? ` · ${t('duty.caseRef', { id: n.caseId })}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <h3>{t('duty.handovers')}</h3>
      <ul className="duty-handovers" data-testid="duty-handovers">
        {(handovers.value ?? []).map((h) => {
          const state = handoverState(h);
          return (
            <li key={h.start} data-testid="duty-handover" data-start={h.start} data-signatures={h.signatures.length} data-state={state}>
              <span>{t('duty.shift', { from: fmtDateTime(h.start), to: fmtHM(h.end) })}</span>
              <span>{h.leader}</span>
              <i className={`duty-tag ${state}`}>{t(`duty.${state}`)}</i>
              <button type="button" onClick={() => setOpen(h.start)} data-testid="duty-handover-open">
                {t('duty.view')}
              </button>
            </li>
          );
        })}
      </ul>
      {open !== null && (
        <HandoverView
          start={open}
          onClose={() => {
            setOpen(null);
            setRefresh((n) => n + 1);
          }}
        />
      )}
    </div>
  );
}
