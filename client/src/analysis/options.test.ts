import { describe, expect, it } from 'vitest';
import { trend } from '../../../core/analysis.ts';
import { changeRatio, trendOption } from './options.ts';

describe('analysis trend chart', () => {
  it('draws this period beside the previous one, bucket by bucket', () => {
    const H = 3_600_000;
    const T = Date.UTC(2026, 10, 22, 16);
    const c = (id: string, reportedAt: number) => ({ id, reportedAt, closedAt: null, deadline: null, handledAt: null, voidedAt: null }) as never;
    const t = trend([c('a', T + H), c('b', T + H + 1), c('p', T - 2 * H)], T, T + 3 * H, 'hour');
    const o = trendOption(t, { reported: '上报', closed: '结案', overdue: '超期', previous: '上期' }, 2, (s) => String((s - T) / H)) as { xAxis: { data: string[] }; series: Array<{ name: string; data: Array<number | null> }> };
    expect(o.xAxis.data).toEqual(['0', '1', '2']);
    expect(o.series.map((s) => s.name)).toEqual(['上报', '结案', '超期', '上期']);
    expect(o.series[0].data).toEqual([0, 2, 0]);
    expect(o.series[3].data).toEqual([0, 1, 0]);
  });
  it('compares with the previous period only when there was one', () => {
    expect(changeRatio(12, 10)).toBeCloseTo(0.2);
    expect(changeRatio(5, 0)).toBeNull();
  });
});
