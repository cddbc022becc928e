// A shift's handover report as a sheet over the dashboard: the shift's events by section, what the
// incoming shift must watch, the duty log, and the two signatures. It prints on its own (A4, black
// on white) through the browser's print dialog, which also saves it as PDF.
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { HANDOVER_SECTIONS, type HandoverItem, type HandoverReport, type HandoverSignature } from '../../../core/duty.ts';
import type { Ack } from '../../../core/protocol.ts';
import { useLinkage } from '../context.ts';
import { fmtDateTime, fmtHM } from '../i18n/format.ts';
import { AckError } from '../panels/CaseActions.tsx';
import { usePoll } from '../realtime/http.ts';
import { fetchHandover, postSign } from './api.ts';
import { itemText } from './itemText.ts';

/** Items listed per section on screen and paper; the rest are counted. */
const SHOWN = 30;

function Items({ items, testId }: { items: HandoverItem[]; testId: string }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{t('duty.report.none')}</p>;
  return (
    <ol className="ho-items" data-testid={testId} data-count={items.length}>
      {items.slice(0, SHOWN).map((i) => (
        <li key={`${i.subject}-${i.seq}-${i.at}`} data-subject={i.subject}>
          <span className="ho-time">{fmtHM(i.at)}</span> <span className="ho-id">{i.subject}</span> <span className="ho-text">{itemText(i, t, i18n.language === 'en')}</span>
        </li>
      ))}
      {items.length > SHOWN && <li className="muted">{t('duty.report.more', { n: items.length - SHOWN })}</li>}
    </ol>
  );
}

function SignBox({ report, role, onSigned }: { report: HandoverReport; role: HandoverSignature['role']; onSigned: (r: HandoverReport) => void }) {
  const { t } = useTranslation();
  const { actor } = useLinkage();
  const [note, setNote] = useState('');
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const sig = report.signatures.find((s) => s.role === role);
  const who = role === 'outgoing' ? report.duty.leader : report.next.leader;
  const ready = role === 'outgoing' || report.signatures.some((s) => s.role === 'outgoing');
  const sign = async () => {
    if (!actor) return;
    setBusy(true);
    const r = await postSign(report.shift.start, actor, role, note);
    setBusy(false);
    setAck(r);
    if (r.ok) onSigned(r.data);
  };
  return (
    <div className="ho-sign" data-testid={`ho-sign-${role}`} data-signed={sig ? '1' : '0'}>
      <div className="ho-sign-role">{t(`duty.report.${role}`)}</div>
      <div className="ho-sign-name">{who.name}</div>
      {sig ? (
        <div className="ho-signed">
          ✔ {sig.actor.name} · {fmtDateTime(sig.at)}
          {sig.note && <div className="ho-sign-note">{sig.note}</div>}
        </div>
      ) : actor?.id === who.id && ready ? (
        <div className="ho-sign-form no-print">
          <input value={note} maxLength={500} placeholder={t('duty.report.signNote')} onChange={(e) => setNote(e.target.value)} data-testid={`ho-note-${role}`} />
          <button type="button" className="primary" disabled={busy} onClick={sign} data-testid={`ho-sign-${role}-submit`}>
            {t('duty.report.sign')}
          </button>
          <AckError ack={ack} />
        </div>
      ) : (
        <div className="muted no-print">{ready ? t('duty.report.signAs', { name: who.name }) : ''}</div>
      )}
    </div>
  );
}

export function HandoverView({ start, onClose }: { start: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [signed, setSigned] = useState<HandoverReport | null>(null);
  const polled = usePoll((signal) => fetchHandover(start, signal), 15_000, [start]);
  const report = signed && (!polled.value || polled.value.signatures.length <= signed.signatures.length) ? signed : polled.value;
  const frozen = !!report && report.signatures.length > 0;
  return createPortal(
    <div className="ho-backdrop" data-testid="handover" data-start={start} data-frozen={frozen ? '1' : '0'}>
      <article className="ho-sheet">
        <header className="ho-head">
          <h1>{t('duty.report.title')}</h1>
          <div className="ho-actions no-print">
            <button type="button" onClick={() => window.print()} data-testid="ho-print">
              {t('duty.report.print')}
            </button>
            <button type="button" onClick={onClose} data-testid="ho-close">
              {t('duty.report.close')}
            </button>
          </div>
        </header>
        {polled.error && !report && <div className="ack-error">{polled.error}</div>}
        {report && (
          <>
            <table className="ho-meta">
              <tbody>
                <tr>
                  <th>{t('duty.report.period')}</th>
                  <td data-testid="ho-period">{t('duty.shift', { from: fmtDateTime(report.shift.start), to: fmtDateTime(report.shift.end) })}</td>
                  <th>{t('duty.report.duty')}</th>
                  <td>
                    {report.duty.leader.name}（{report.duty.leader.title}）；{t('duty.dispatchers')} {report.duty.dispatchers.map((p) => p.name).join('、')}
                  </td>
                </tr>
                <tr>
                  <th>{t('duty.report.nextDuty')}</th>
                  <td>{report.next.leader.name}（{report.next.leader.title}）</td>
                  <th />
                  <td className="muted">
                    {t('duty.report.drafted', { time: fmtDateTime(report.draftedAt) })} · {frozen ? t('duty.report.frozen') : t('duty.report.draft')}
                  </td>
                </tr>
              </tbody>
            </table>
            <div className="ho-counts">
              {HANDOVER_SECTIONS.map((s) => (
                <div key={s} className="ho-count" data-testid={`ho-count-${s}`} data-value={report.sections[s].length}>
                  <b>{report.sections[s].length}</b>
                  <span>{t(`duty.report.sections.${s}`)}</span>
                </div>
              ))}
            </div>
            <div className="ho-grid">
              {HANDOVER_SECTIONS.map((s) => (
                <section key={s}>
                  <h2>
                    {t(`duty.report.sections.${s}`)} <small>{report.sections[s].length}</small>
                  </h2>
                  <Items items={report.sections[s]} testId={`ho-${s}`} />
                </section>
              ))}
            </div>
            <section className="ho-attention">
              <h2>{t('duty.report.attention')}</h2>
              <div className="ho-grid">
                {(['overdueCases', 'urgentCases', 'openWhistles', 'activeAlarms'] as const).map((k) => (
                  <section key={k}>
                    <h3>
                      {t(`duty.report.${k}`)} <small>{report.attention[k].length}</small>
                    </h3>
                    <Items items={report.attention[k]} testId={`ho-${k}`} />
                  </section>
                ))}
              </div>
            </section>
            <section>
              <h2>{t('duty.report.notes')}</h2>
              {report.notes.length === 0 ? (
                <p className="muted">{t('duty.report.none')}</p>
              ) : (
                <ol className="ho-items" data-testid="ho-notes">
                  {report.notes.map((n) => (
                    <li key={n.id}>
                      <span className="ho-time">{fmtHM(n.at)}</span> [{t(`duty.kind.${n.kind}`)}] {n.text} —— {n.actor.name}
                      {n.caseId ? `（${n.caseId}）` : ''}
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section className="ho-signatures">
              <h2>{t('duty.report.signatures')}</h2>
              <div className="ho-sign-row">
                <SignBox report={report} role="outgoing" onSigned={setSigned} />
                <SignBox report={report} role="incoming" onSigned={setSigned} />
              </div>
            </section>
          </>
        )}
      </article>
    </div>,
    document.body,
  );
}
