import { describe, expect, it } from 'vitest';
import { trend } from '../../../core/analysis.ts';
import { samplesSeries } from '../../../core/device-health.ts';
import { cssColor } from '../state/colors.ts';
import { changeRatio, deviceHealthOption, trendOption } from './options.ts';

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

describe('device health chart', () => {
  const H = 3_600_000;
  const T = Date.UTC(2026, 10, 22, 16);
  const sample = (ts: number, kind: 'camera' | 'drone', online: number, total: number) => ({ ts, kind, counts: { total, online, offline: total - online, fault: 0, alarm: 0 } });
  const fmt = { kind: (k: string) => `K:${k}`, bucket: (s: number) => String((s - T) / H), rate: (r: number) => `${(r * 100).toFixed(1)}%` };
  type Option = {
    xAxis: { data: string[] };
    yAxis: { min: number; max: number; axisLabel: { fontSize: number; formatter: (v: number) => string } };
    tooltip: { valueFormatter: (v: unknown) => string };
    series: Array<{ name: string; data: Array<number | null>; connectNulls: boolean; itemStyle: { color: string }; symbolSize: number }>;
  };

  it('draws one line per kind in its colour, broken where there were no samples', () => {
    const series = samplesSeries([sample(T, 'camera', 9, 10), sample(T + 2 * H, 'camera', 7, 10), sample(T, 'drone', 2, 2)], T, T + 3 * H, 'hour', ['drone', 'camera']);
    const o = deviceHealthOption(series, fmt, 2) as Option;
    expect(o.xAxis.data).toEqual(['0', '1', '2']);
    // Kinds in the dashboard's kind order, whatever order the series came in.
    expect(o.series.map((s) => s.name)).toEqual(['K:camera', 'K:drone']);
    expect(o.series[0].data).toEqual([0.9, null, 0.7]);
    expect(o.series[0].connectNulls).toBe(false);
    expect(o.series[1].data).toEqual([1, null, null]);
    expect(o.series[0].itemStyle.color).toBe(cssColor('camera'));
    expect(o.series[0].symbolSize).toBe(10);
    expect(o.yAxis).toMatchObject({ min: 0.7, max: 1, axisLabel: { fontSize: 26 } });
    expect(o.yAxis.axisLabel.formatter(0.85)).toBe('85%');
    expect(o.tooltip.valueFormatter(0.9)).toBe('90.0%');
    expect(o.tooltip.valueFormatter(null)).toBe('—');
  });

  it('keeps a readable axis with full health or no data at all', () => {
    const o = deviceHealthOption(samplesSeries([], T, T + H, 'hour', ['camera']), fmt, 1) as Option;
    expect(o.series[0].data).toEqual([null]);
    expect(o.yAxis).toMatchObject({ min: 0.9, max: 1 });
  });
});
