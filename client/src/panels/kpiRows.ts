// The standard indicators (DOMAIN.md §3, §4) as rows for the KPI panel, with grades A–E, and the
// breakdown table by township / department / source / class. Pure.
import { grade, score, type Grade, type KpiRates, type KpiSet, type StageTimes } from '../../../core/cases/kpi.ts';
import { DAY_MS, shanghaiDayStart } from '../../../core/time.ts';

export interface IndicatorDef {
  id: keyof KpiRates;
  /** A lower value is better (graded on 1 − rate). */
  lowerIsBetter?: boolean;
  /** The count behind the rate, shown small beside it: [numerator, denominator] count keys. */
  of?: [keyof KpiSet['counts'], keyof KpiSet['counts']];
}

export const INDICATORS: IndicatorDef[] = [
  { id: 'closureRate', of: ['closed', 'dueToClose'] },
  { id: 'onTimeClosureRate', of: ['closedOnTime', 'dueToClose'] },
  { id: 'handlingRate', of: ['handled', 'dueToHandle'] },
  { id: 'onTimeHandlingRate', of: ['handledOnTime', 'dueToHandle'] },
  { id: 'reworkRate', lowerIsBetter: true, of: ['reworked', 'dispatched'] },
  { id: 'onTimeDispatchRate', of: ['dispatchedOnTime', 'dispatched'] },
  { id: 'accurateDispatchRate' },
  { id: 'validReportRate', of: ['filed', 'decided'] },
  { id: 'responseRate', of: ['respondedInTime', 'dueToRespond'] },
  { id: 'resolutionRate', of: ['resolved', 'callbacks'] },
  { id: 'satisfactionRate', of: ['satisfied', 'rated'] },
];

export const STAGE_TIMES: (keyof StageTimes)[] = ['reportToFile', 'fileToDispatch', 'dispatchToHandle', 'handleToClose', 'reportToClose'];

export interface IndicatorRow {
  id: keyof KpiRates;
  value: number | null;
  grade: Grade | null;
  num?: number;
  den?: number;
}

export function gradeOf(def: Pick<IndicatorDef, 'lowerIsBetter'>, value: number | null): Grade | null {
  return grade(value === null ? null : def.lowerIsBetter ? 1 - value : value);
}

export function indicatorRows(k: KpiSet | null | undefined): IndicatorRow[] {
  return INDICATORS.map((d) => {
    const value = k ? k.rates[d.id] : null;
    const row: IndicatorRow = { id: d.id, value, grade: gradeOf(d, value) };
    if (k && d.of) {
      row.num = k.counts[d.of[0]];
      row.den = k.counts[d.of[1]];
    }
    return row;
  });
}

export interface BreakdownRow {
  key: string;
  name: string;
  reported: number;
  closed: number;
  overdue: number;
  onTimeClosureRate: number | null;
  onTimeHandlingRate: number | null;
  reworkRate: number | null;
  score: number | null;
  grade: Grade | null;
}

/** One row per group, best composite score first (groups without a score last, busiest first). */
export function breakdownRows(rows: Array<{ key: string; kpis: KpiSet }>, nameOf: (key: string) => string): BreakdownRow[] {
  return rows
    .map(({ key, kpis }) => {
      const s = score(kpis);
      return {
        key,
        name: nameOf(key),
        reported: kpis.counts.reported,
        closed: kpis.counts.closed,
        overdue: kpis.counts.overdue,
        onTimeClosureRate: kpis.rates.onTimeClosureRate,
        onTimeHandlingRate: kpis.rates.onTimeHandlingRate,
        reworkRate: kpis.rates.reworkRate,
        score: s,
        grade: grade(s),
      };
    })
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.reported - a.reported || (a.key < b.key ? -1 : 1));
}

/** [from, to) of "today" (Asia/Shanghai) and of the last 30 days, in UTC ms. */
export function periods(now: number): { today: [number, number]; last30Days: [number, number] } {
  const start = shanghaiDayStart(now);
  return { today: [start, now + 1], last30Days: [start - 29 * DAY_MS, now + 1] };
}
