import { describe, expect, it } from 'vitest';
import { rainChartOption, stageChartOption } from './options.ts';

type Opt = { yAxis: { min: number; max: number }; series: Array<{ data: unknown[]; markLine?: { data: Array<{ yAxis: number; label: { formatter: string } }> } }> };

describe('flood charts', () => {
  it('the stage chart draws the readings with the warning and guarantee levels as marklines, both in view', () => {
    const o = stageChartOption([{ ts: 1, value: 15.2 }, { ts: 2, value: 15.4 }], { warning: 17, guarantee: 18.7 }, 1, { warning: '警戒 17', guarantee: '保证 18.7' }) as unknown as Opt;
    expect(o.series[0].data).toEqual([[1, 15.2], [2, 15.4]]);
    const late = stageChartOption([{ ts: 2, value: 15.4 }, { ts: 1, value: 15.2 }], { warning: 17, guarantee: 18.7 }, 1, { warning: '', guarantee: '' }) as unknown as Opt;
    expect(late.series[0].data).toEqual([[1, 15.2], [2, 15.4]]);
    expect(o.series[0].markLine!.data.map((d) => [d.yAxis, d.label.formatter])).toEqual([[17, '警戒 17'], [18.7, '保证 18.7']]);
    // 15.2 … 18.7 padded by 8 % of 3.5 m, to the tenth: 14.9 … 19.0.
    expect([o.yAxis.min, o.yAxis.max]).toEqual([14.9, 19]);
    // 1.7 m apart the two labels would overlap at the right end: the warning's sits under its line.
    const positions = (o.series[0].markLine!.data as unknown as Array<{ label: { position: string } }>).map((d) => d.label.position);
    expect(positions).toEqual(['insideEndBottom', 'insideEndTop']);
  });

  it('the rain chart has one bar per observation', () => {
    const o = rainChartOption([{ ts: 1, rainMmH: 0 }, { ts: 2, rainMmH: 12.5 }], 2) as unknown as Opt;
    expect(o.series[0].data).toEqual([[1, 0], [2, 12.5]]);
    expect((o as unknown as { xAxis: { min: number; max: number } }).xAxis).toMatchObject({ min: 2 - 24 * 3_600_000, max: 2 });
  });
});
