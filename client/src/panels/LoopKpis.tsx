// The standard indicators of the closed loop for today / the last 30 days (from kpis.loop, live),
// graded A–E, the average time per stage, and a breakdown by township / unit / source / class
// (GET /api/kpis, refreshed every 30 s).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiGroupKey, KpiSet } from '../../../core/cases/kpi.ts';
import { fmtDuration, fmtInt, fmtPct } from '../i18n/format.ts';
import { fetchKpis, usePoll } from '../realtime/http.ts';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import { useNow } from '../clock.ts';
import { STAGE_TIMES, breakdownRows, indicatorRows, periods } from './kpiRows.ts';

const BREAKDOWN_EVERY_MS = 30_000;
const GROUPS: KpiGroupKey[] = ['township', 'department', 'source', 'class'];
type Period = 'today' | 'last30Days';

export function GradeBadge({ g }: { g: string | null }) {
  return <span className={`grade grade-${g ?? 'none'}`}>{g ?? '—'}</span>;
}

export function LoopKpis() {
  const { t } = useTranslation();
  const { names } = useLinkage();
  const [period, setPeriod] = useState<Period>('today');
  const k: KpiSet | null = useLive((s) => s.kpis?.loop?.[period] ?? null);
  const rows = useMemo(() => indicatorRows(k), [k]);
  return (
    <div className="loop-kpis" data-testid="loop-kpis">
      <div className="loop-head">
        <div className="seg" role="tablist">
          {(['today', 'last30Days'] as Period[]).map((p) => (
            <button key={p} className={period === p ? 'on' : ''} onClick={() => setPeriod(p)} data-testid={`loop-period-${p}`}>
              {t(p === 'today' ? 'loop.today' : 'loop.last30')}
            </button>
          ))}
        </div>
        <div className="loop-counts">
          {(['reported', 'closed', 'open', 'overdue'] as const).map((c) => (
            <span key={c} className={c === 'overdue' && k && k.counts.overdue > 0 ? 'bad' : ''}>
              {t(`loop.counts.${c}`)} <b data-testid={`loop-${c}`} data-value={k ? k.counts[c] : ''}>{k ? fmtInt(k.counts[c]) : '—'}</b>
            </span>
          ))}
        </div>
      </div>
      <div className="ind-grid">
        {rows.map((r) => (
          <div key={r.id} className="ind" data-testid={`ind-${r.id}`} data-value={r.value ?? ''}>
            <div className="ind-label">{t(`loop.rates.${r.id}`)}</div>
            <div className="ind-value">
              <b>{r.value === null ? '—' : fmtPct(r.value)}</b>
              <GradeBadge g={r.grade} />
            </div>
            {r.den !== undefined && (
              <div className="ind-of">
                {fmtInt(r.num ?? 0)}/{fmtInt(r.den)}
              </div>
            )}
          </div>
        ))}
      </div>
      <div className="stage-times">
        <span className="st-title">{t('loop.avg')}</span>
        {STAGE_TIMES.map((s) => (
          <span key={s} className="st">
            {t(`loop.stages.${s}`)} <b>{k?.avgMs[s] != null ? fmtDuration(k.avgMs[s]!, names.en) : '—'}</b>
          </span>
        ))}
      </div>
      <Breakdown period={period} />
    </div>
  );
}

function Breakdown({ period }: { period: Period }) {
  const { t } = useTranslation();
  const { identity, names } = useLinkage();
  const now = useNow(60_000);
  const [by, setBy] = useState<KpiGroupKey>('township');
  const minute = Math.floor(now / 60_000);
  const res = usePoll(
    (signal) => {
      const [from, to] = periods(Date.now())[period];
      return fetchKpis(identity.scope, by, from, to, signal);
    },
    BREAKDOWN_EVERY_MS,
    [identity.scope, by, period],
  );
  const nameOf = (key: string) => {
    if (by === 'township') return key ? names.place(key) : '—';
    if (by === 'department') return names.unit(key);
    if (by === 'source') return t(`source.${key}`);
    return names.eventClass(key);
  };
  const rows = useMemo(() => (res.value ? breakdownRows(res.value, nameOf) : null), [res.value, names, minute]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section className="breakdown">
      <div className="loop-head">
        <h3>{t('loop.breakdown')}</h3>
        <div className="seg">
          {GROUPS.map((g) => (
            <button key={g} className={by === g ? 'on' : ''} onClick={() => setBy(g)} data-testid={`breakdown-${g}`}>
              {t(`loop.by.${g}`)}
            </button>
          ))}
        </div>
      </div>
      {!rows ? (
        <div className="muted">{res.error ? t('loop.loadError', { msg: res.error }) : '…'}</div>
      ) : rows.length === 0 ? (
        <div className="muted">{t('loop.noData')}</div>
      ) : (
        <div className="table-scroll">
          <table className="score-table" data-testid="breakdown-table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('loop.cols.name')}</th>
                <th>{t('loop.cols.reported')}</th>
                <th>{t('loop.cols.closed')}</th>
                <th>{t('loop.cols.overdue')}</th>
                <th>{t('loop.cols.onTimeClosure')}</th>
                <th>{t('loop.cols.rework')}</th>
                <th>{t('loop.cols.score')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.key}>
                  <td>{i + 1}</td>
                  <td className="name">{r.name}</td>
                  <td>{fmtInt(r.reported)}</td>
                  <td>{fmtInt(r.closed)}</td>
                  <td className={r.overdue ? 'bad' : ''}>{fmtInt(r.overdue)}</td>
                  <td>{r.onTimeClosureRate === null ? '—' : fmtPct(r.onTimeClosureRate)}</td>
                  <td>{r.reworkRate === null ? '—' : fmtPct(r.reworkRate)}</td>
                  <td className="score">
                    <span className="score-bar" style={{ width: `${(r.score ?? 0) * 100}%` }} />
                    <span>{r.score === null ? '—' : (r.score * 100).toFixed(0)}</span>
                    <GradeBadge g={r.grade} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
