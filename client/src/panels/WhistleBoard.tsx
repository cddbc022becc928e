// 吹哨报到 board: running whistles with kind, case, report-in time left, lead unit and each summoned
// department as reported / late / pending; actions for the summoned departments (report in) and the
// whistling center (end, rating each department); report-in rate and cooperation per department.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { boardRow, type WhistleState } from '../../../core/whistle.ts';
import type { Ack } from '../../../core/protocol.ts';
import { actsFor, type Actor } from '../../../core/org.ts';
import { openWhistles } from '../state/store.ts';
import { fetchWhistleScores, usePoll } from '../realtime/http.ts';
import { fmtDuration, fmtHM, fmtPct } from '../i18n/format.ts';
import { useLinkage } from '../context.ts';
import { useLive, useLiveMemo } from '../live.ts';
import { useNow } from '../clock.ts';
import { AckError } from './CaseActions.tsx';

const SCORES_EVERY_MS = 30_000;

export function WhistleBoard() {
  const { t } = useTranslation();
  const { identity } = useLinkage();
  const open = useLiveMemo((s) => s.version.whistles, openWhistles);
  const recent = useLiveMemo(
    (s) => s.version.whistles,
    (s) => [...s.whistles.values()].filter((w) => w.closedAt !== null).sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0)).slice(0, 4),
  );
  const scores = usePoll((signal) => fetchWhistleScores(identity.scope, signal), SCORES_EVERY_MS, [identity.scope]);
  return (
    <div className="whistle-board" data-testid="whistle-board">
      <div className="wb-list">
        {open.length === 0 && <div className="feed-empty">{t('whistle.none')}</div>}
        {open.map((w) => (
          <WhistleCard key={w.id} w={w} />
        ))}
        {recent.length > 0 && <h3>{t('whistle.closedRecent')}</h3>}
        {recent.map((w) => (
          <WhistleCard key={w.id} w={w} compact />
        ))}
      </div>
      <section className="wb-scores">
        <h3>{t('whistle.scores')}</h3>
        <ScoreTable rows={scores.value} error={scores.error} />
      </section>
    </div>
  );
}

function WhistleCard({ w, compact }: { w: WhistleState; compact?: boolean }) {
  const { t } = useTranslation();
  const { names, actor, rt, openCase } = useLinkage();
  const now = useNow(1000);
  const row = boardRow(w, now);
  const c = useLive((s) => s.cases.get(w.caseId));
  const left = w.deadline - now;
  const [closing, setClosing] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const mine = myPendingUnit(actor, w);
  // The whistling center ends its whistle; a duty leader above it may force it (事不完、人不撤 otherwise).
  const isCenter = !!actor && actor.org === w.center && actor.role !== 'department' && actor.role !== 'grid-worker';
  const canForce = !!actor && actor.role === 'duty-leader' && w.center.startsWith(actor.org);
  const canClose = w.closedAt === null && (isCenter || canForce);
  return (
    <div className={`wb-card kind-${w.kind} ${row.overdue ? 'overdue' : ''} ${compact ? 'compact' : ''}`} data-testid="whistle-card" data-whistle-id={w.id}>
      <div className="wb-head">
        <span className={`wb-kind wk-${w.kind}`}>{t(`whistle.kinds.${w.kind}`)}</span>
        <button className="linkish wb-case" onClick={() => openCase(w.caseId)}>
          {c?.title ?? w.caseId}
        </button>
        {w.closedAt === null && row.counts.pending + row.counts.late === 0 ? (
          <span className="wb-left good">{t('whistle.allIn')}</span>
        ) : w.closedAt === null ? (
          <span className={`wb-left ${left < 0 ? 'bad' : left < 5 * 60_000 ? 'warn' : ''}`}>{left >= 0 ? t('whistle.timeLeft', { t: fmtDuration(left, names.en) }) : t('whistle.lateBy', { t: fmtDuration(-left, names.en) })}</span>
        ) : (
          <span className="wb-left muted">{fmtHM(w.closedAt)}</span>
        )}
      </div>
      <div className="wb-meta">
        {names.place(w.center)} · {fmtHM(w.blownAt)} · {t('whistle.lead')} <b>{names.unit(w.lead)}</b>
      </div>
      <div className="wb-units">
        {row.units.map((u) => (
          <span key={u.unit} className={`unit-chip us-${u.status}`} data-status={u.status} title={u.reportedAt ? fmtHM(u.reportedAt) : ''}>
            {names.unit(u.unit)}
            <i>{u.rating ? `★${u.rating}` : t(`whistle.unit.${u.status}`)}</i>
          </span>
        ))}
      </div>
      {(mine || canClose) && !compact && (
        <div className="wb-actions">
          {mine && (
            <button
              className="act"
              data-testid="whistle-report-in"
              onClick={async () => {
                if (rt) setAck(await rt.reportIn({ whistleId: w.id }));
              }}
            >
              {t('whistle.reportIn')} · {names.unit(mine)}
            </button>
          )}
          {canClose && !closing && (
            <button className="act" onClick={() => setClosing(true)} data-testid="whistle-close">
              {isCenter ? t('whistle.closeW') : t('whistle.force')}
            </button>
          )}
        </div>
      )}
      {closing && <CloseForm w={w} forceOnly={!isCenter} onDone={() => setClosing(false)} />}
      <AckError ack={ack} />
    </div>
  );
}

/** The summoned department this actor acts for that has not reported in yet. */
function myPendingUnit(actor: Actor | null, w: WhistleState): string | null {
  if (!actor || w.closedAt !== null) return null;
  return w.supporting.find((s) => s.reportedAt === null && actsFor(actor, s.unit))?.unit ?? null;
}

function CloseForm({ w, forceOnly, onDone }: { w: WhistleState; forceOnly: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const { rt, names, actor } = useLinkage();
  const [ratings, setRatings] = useState<Record<string, number>>(() => Object.fromEntries(w.supporting.map((s) => [s.unit, s.reportedAt ? 5 : 3])));
  const [force, setForce] = useState(forceOnly);
  const [note, setNote] = useState('');
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  return (
    <form
      className="cmd-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!rt) return;
        const r = await rt.closeWhistle({ whistleId: w.id, ratings, ...(force ? { force } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
        setAck(r);
        if (r.ok) onDone();
      }}
    >
      <div className="muted">{t('whistle.rate')}</div>
      {w.supporting.map((s) => (
        <label key={s.unit} className="field rating-row">
          <span>{names.unit(s.unit)}</span>
          <select value={ratings[s.unit]} onChange={(e) => setRatings((r) => ({ ...r, [s.unit]: Number(e.target.value) }))}>
            {[5, 4, 3, 2, 1].map((n) => (
              <option key={n} value={n}>
                {'★'.repeat(n)}
              </option>
            ))}
          </select>
        </label>
      ))}
      {actor?.role === 'duty-leader' && !forceOnly && (
        <label className="field check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> {t('whistle.force')}
        </label>
      )}
      <label className="field">
        <span>{force ? t('form.noteRequired') : t('form.note')}</span>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="form-buttons">
        <button type="submit" className="primary">
          {t('whistle.closeW')}
        </button>
        <button type="button" onClick={onDone}>
          {t('form.cancel')}
        </button>
      </div>
      <AckError ack={ack} />
    </form>
  );
}

type ScoreRow = { unit?: string; department?: string; summoned: number; reportInRate: number | null; cooperation: number | null };

function ScoreTable({ rows, error }: { rows: ScoreRow[] | null; error: string | null }) {
  const { t } = useTranslation();
  const { names } = useLinkage();
  const sorted = useMemo(
    () => [...(rows ?? [])].sort((a, b) => (b.cooperation ?? -1) - (a.cooperation ?? -1) || (b.reportInRate ?? -1) - (a.reportInRate ?? -1)),
    [rows],
  );
  if (!rows) return <div className="muted">{error ? t('loop.loadError', { msg: error }) : '…'}</div>;
  if (sorted.length === 0) return <div className="muted">{t('whistle.noScores')}</div>;
  return (
    <table className="score-table" data-testid="whistle-scores">
      <thead>
        <tr>
          <th>#</th>
          <th>{t('loop.cols.name')}</th>
          <th>{t('whistle.summoned')}</th>
          <th>{t('whistle.reportInRate')}</th>
          <th>{t('whistle.cooperation')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r, i) => {
          const unit = r.unit ?? r.department ?? '';
          return (
            <tr key={unit}>
              <td>{i + 1}</td>
              <td>{names.unit(unit)}</td>
              <td>{r.summoned}</td>
              <td className={r.reportInRate !== null && r.reportInRate < 0.8 ? 'warn' : ''}>{r.reportInRate === null ? '—' : fmtPct(r.reportInRate)}</td>
              <td>{r.cooperation === null ? '—' : `★${r.cooperation.toFixed(1)}`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
