// 决策分析: a sheet over the dashboard with the trend of the chosen period beside the previous one
// (环比), the breakdown by township / unit / source / class with grades, the hot spots, and under
// every figure the cases behind it: a click lists them, a click on a case shows it on the map.
// Beside the trend, the devices' online rate over the same window (DeviceHealthPanel).
import { useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { bucketFor } from '../../../core/analysis.ts';
import type { KpiGroupKey } from '../../../core/cases/kpi.ts';
import { useLinkage } from '../context.ts';
import { usePx } from '../hooks.ts';
import { fmtDateTime, fmtHM, fmtInt, fmtPct } from '../i18n/format.ts';
import { EChart } from '../panels/EChart.tsx';
import { GradeBadge } from '../panels/LoopKpis.tsx';
import { breakdownRows } from '../panels/kpiRows.ts';
import { fetchKpis, usePoll } from '../realtime/http.ts';
import { fetchAnalysis, fetchDrill, type Drill } from './api.ts';
import { changeRatio, trendOption } from './options.ts';
import { DeviceHealthPanel } from './DeviceHealthPanel.tsx';
import './analysis.css';

const PERIODS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
type Period = keyof typeof PERIODS;
const GROUPS: KpiGroupKey[] = ['township', 'department', 'source', 'class'];
const MEASURES = ['reported', 'closed', 'overdue'] as const;

export function AnalysisSheet({ onClose, onOpenCase }: { onClose: () => void; onOpenCase: (id: string) => void }) {
  const { t } = useTranslation();
  const { identity, names } = useLinkage();
  const px = usePx();
  const [period, setPeriod] = useState<Period>('7d');
  const [by, setBy] = useState<KpiGroupKey>('township');
  const [drill, setDrill] = useState<Drill | null>(null);
  // The window ends at the current minute: polls within a minute ask the same question.
  const [to] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  const from = to - PERIODS[period];
  const a = usePoll((signal) => fetchAnalysis(identity.scope, from, to, signal), 60_000, [identity.scope, from, to]);
  const kpis = usePoll((signal) => fetchKpis(identity.scope, by, from, to, signal), 60_000, [identity.scope, by, from, to]);
  const drilled = usePoll((signal) => (drill ? fetchDrill(identity.scope, drill, signal).then((list) => ({ drill, list })) : Promise.resolve(null)), 60_000, [identity.scope, drill]);
  // Until the new list arrives, show none rather than the previous figure's cases.
  const cases = { value: drilled.value && drilled.value.drill === drill ? drilled.value.list : null };
  const nameOf = (key: string) => (by === 'township' ? (key ? names.place(key) : '—') : by === 'department' ? names.unit(key) : by === 'source' ? t(`source.${key}`) : names.eventClass(key));
  const rows = useMemo(() => (kpis.value ? breakdownRows(kpis.value, nameOf) : null), [kpis.value, names]); // eslint-disable-line react-hooks/exhaustive-deps
  const trend = a.value?.trend ?? null;
  const fmtBucket = (s: number) => (trend?.bucket === 'hour' ? fmtHM(s) : fmtDateTime(s).slice(0, 5));
  const option = useMemo(
    () => (trend ? trendOption(trend, { reported: t('an.reported'), closed: t('an.closed'), overdue: t('an.overdue'), previous: t('an.previous') }, px, fmtBucket) : null),
    [trend, px, t], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const onChartClick = (i: number) => {
    const p = trend?.current[i];
    if (!p) return;
    const next = trend.current[i + 1]?.start ?? to;
    setDrill({ label: `${fmtDateTime(p.start)} ${t('an.reported')}`, from: p.start, to: next, measure: 'reported' });
  };

  return createPortal(
    <div className="an-backdrop" data-testid="analysis" data-from={from} data-to={to}>
      <div className="an-sheet">
        <header className="an-head">
          <h1>{t('an.title')}</h1>
          <span className="muted">{names.place(identity.scope)} · {t('an.window', { from: fmtDateTime(from), to: fmtDateTime(to) })}</span>
          <div className="seg">
            {(Object.keys(PERIODS) as Period[]).map((p) => (
              <button key={p} className={period === p ? 'on' : ''} onClick={() => { setPeriod(p); setDrill(null); }} data-testid={`an-period-${p}`}>
                {t(`an.periods.${p}`)}
              </button>
            ))}
          </div>
          <button className="an-close" onClick={onClose} data-testid="analysis-close">×</button>
        </header>
        {a.error && !a.value && <div className="ack-error">{a.error}</div>}
        <div className="an-body">
          <div className="an-main">
            <div className="an-totals">
              {MEASURES.map((m) => {
                const cur = trend?.totals.current[m] ?? 0;
                const ch = trend ? changeRatio(cur, trend.totals.previous[m]) : null;
                return (
                  <button key={m} className={`an-total an-${m}`} onClick={() => setDrill({ label: t(`an.${m}`), from, to, measure: m })} data-testid={`an-total-${m}`} data-value={cur}>
                    <span>{t(`an.${m}`)}</span>
                    <b>{trend ? fmtInt(cur) : '—'}</b>
                    <small className={ch === null ? '' : ch > 0 ? 'up' : 'down'}>
                      {t('an.vsPrevious')} {ch === null ? '—' : `${ch > 0 ? '+' : ''}${fmtPct(ch)}`}
                    </small>
                  </button>
                );
              })}
            </div>
            <div className="an-charts">
              <div className="an-chart">{option && <EChart option={option} testId="an-trend" onClick={onChartClick} />}</div>
              {/* The same bucket as the server picks for the case trend of this window. */}
              <DeviceHealthPanel from={from} to={to} bucket={bucketFor(to - from)} px={px} />
            </div>
            <section className="an-breakdown">
              <div className="an-row-head">
                <h2>{t('an.breakdown')}</h2>
                <div className="seg">
                  {GROUPS.map((g) => (
                    <button key={g} className={by === g ? 'on' : ''} onClick={() => setBy(g)} data-testid={`an-by-${g}`}>
                      {t(`loop.by.${g}`)}
                    </button>
                  ))}
                </div>
              </div>
              <table className="an-table" data-testid="an-breakdown">
                <thead>
                  <tr>
                    <th>{t('an.rank')}</th><th>{t(`loop.by.${by}`)}</th><th>{t('an.reported')}</th><th>{t('an.closed')}</th><th>{t('an.overdue')}</th><th>{t('an.onTime')}</th><th>{t('an.grade')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(rows ?? []).map((r, i) => (
                    <tr key={r.key} onClick={() => setDrill({ label: `${r.name} ${t('an.reported')}`, from, to, by, key: r.key })} data-testid="an-row" data-key={r.key} data-reported={r.reported}>
                      <td>{i + 1}</td><td>{r.name}</td><td>{fmtInt(r.reported)}</td><td>{fmtInt(r.closed)}</td><td className={r.overdue > 0 ? 'bad' : ''}>{fmtInt(r.overdue)}</td>
                      <td>{r.onTimeClosureRate === null ? '—' : fmtPct(r.onTimeClosureRate)}</td><td><GradeBadge g={r.grade} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <aside className="an-side">
            <section>
              <h2>{t('an.hotspots')}</h2>
              <ol className="an-spots" data-testid="an-hotspots">
                {(a.value?.hotspots ?? []).slice(0, 12).map((h) => (
                  <li key={h.caseIds[0]} onClick={() => setDrill({ label: `${t('an.hotspot')} ${names.place(h.communityCode || h.townshipCode)}`, from, to, ids: h.caseIds })} data-testid="an-hotspot" data-count={h.count}>
                    <b>{h.count}</b> <span>{names.place(h.communityCode || h.townshipCode)}</span> <small>{names.eventClass(h.eventClass)}</small>
                    {h.open > 0 && <i className="an-open">{t('an.openN', { n: h.open })}</i>}
                  </li>
                ))}
                {a.value && a.value.hotspots.length === 0 && <li className="muted">{t('an.noHotspots')}</li>}
              </ol>
            </section>
            <section className="an-drill" data-testid="an-drill" data-count={cases.value?.length ?? ''} data-key={drill?.key ?? drill?.measure ?? ''}>
              <h2>{drill ? `${drill.label}（${cases.value ? fmtInt(cases.value.length) : '…'}）` : t('an.drillHint')}</h2>
              <ul>
                {(cases.value ?? []).map((c) => (
                  <li key={c.id} onClick={() => onOpenCase(c.id)} data-testid="an-case" data-case-id={c.id}>
                    <span className="an-case-time">{fmtDateTime(c.reportedAt)}</span> <b>{c.title}</b> <small>{names.place(c.communityCode || c.townshipCode)} · {t(`stage.${c.stage}`)}</small>
                  </li>
                ))}
              </ul>
            </section>
          </aside>
        </div>
      </div>
    </div>,
    document.body,
  );
}
