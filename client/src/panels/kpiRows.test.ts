import { describe, expect, it } from 'vitest';
import { computeKpis } from '../../../core/cases/kpi.ts';
import { caseOf } from '../state/test-support.ts';
import { breakdownRows, gradeOf, indicatorRows, periods } from './kpiRows.ts';

const H = 3600_000;
const now = 1_800_000_000_000 + 20 * H;
const closedOnTime = caseOf('A', { stage: 'closed', filedAt: now - 9 * H, dispatchedAt: now - 8 * H, handledAt: now - 6 * H, closedAt: now - 5 * H, deadline: now - 4 * H });
const closedLate = caseOf('B', { stage: 'closed', filedAt: now - 9 * H, dispatchedAt: now - 8 * H, handledAt: now - 3 * H, closedAt: now - 2 * H, deadline: now - 4 * H, reworks: 1 });

describe('KPI rows', () => {
  it('grades rates, inverting the ones where lower is better', () => {
    expect(gradeOf({}, 0.95)).toBe('A');
    expect(gradeOf({}, 0.5)).toBe('D');
    expect(gradeOf({ lowerIsBetter: true }, 0.05)).toBe('A');
    expect(gradeOf({}, null)).toBeNull();
  });
  it('lists every indicator with its counts', () => {
    const rows = indicatorRows(computeKpis([closedOnTime, closedLate], now));
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by.closureRate).toMatchObject({ value: 1, grade: 'A', num: 2, den: 2 });
    expect(by.onTimeClosureRate).toMatchObject({ value: 0.5, grade: 'D' });
    expect(by.reworkRate).toMatchObject({ value: 0.5, grade: 'D', num: 1, den: 2 });
    expect(by.satisfactionRate).toMatchObject({ value: null, grade: null });
    expect(indicatorRows(null).every((r) => r.value === null)).toBe(true);
  });
  it('ranks groups by composite score', () => {
    const rows = breakdownRows(
      [
        { key: 'x', kpis: computeKpis([closedLate], now) },
        { key: 'y', kpis: computeKpis([closedOnTime], now) },
        { key: 'z', kpis: computeKpis([caseOf('C')], now) },
      ],
      (k) => k.toUpperCase(),
    );
    expect(rows.map((r) => r.key)).toEqual(['y', 'x', 'z']);
    expect(rows[0]).toMatchObject({ name: 'Y', closed: 1, grade: 'A' });
    expect(rows[2].score).toBeNull();
  });
  it('today starts at midnight in Shanghai', () => {
    const t = Date.UTC(2026, 2, 10, 1, 0); // 09:00 Shanghai
    const p = periods(t);
    expect(p.today[0]).toBe(Date.UTC(2026, 2, 9, 16, 0));
    expect(p.today[0] - p.last30Days[0]).toBe(29 * 86_400_000);
  });
});
