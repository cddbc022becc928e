import { describe, expect, it } from 'vitest';
import { sparklineOption } from './deviceOptions.ts';

describe('sensor sparkline', () => {
  it('plots the readings and marks raise and clear, with both thresholds inside the y range', () => {
    const o = sparklineOption([{ ts: 1, value: 0.2 }, { ts: 2, value: 0.3 }], { direction: 'above', raise: 0.8, clear: 0.6 }, 2, { raise: '告警 0.8', clear: '恢复 0.6' }) as any;
    expect(o.series[0].data).toEqual([[1, 0.2], [2, 0.3]]);
    expect(o.series[0].markLine.data.map((d: { yAxis: number }) => d.yAxis)).toEqual([0.8, 0.6]);
    expect(o.series[0].markLine.data[0].label.formatter).toBe('告警 0.8');
    expect(o.yAxis.max).toBeGreaterThan(0.8);
    expect(o.yAxis.min).toBeLessThan(0.2);
    expect(o.series[0].lineStyle.width).toBeCloseTo(3.2);
  });
  it('puts the higher threshold\'s label above its line and the lower one\'s below, so close thresholds never overlap', () => {
    const positions = (o: any) => o.series[0].markLine.data.map((d: { label: { position: string } }) => d.label.position);
    // above: raise 0.8 over clear 0.75
    expect(positions(sparklineOption([], { direction: 'above', raise: 0.8, clear: 0.75 }, 1, { raise: 'r', clear: 'c' }))).toEqual(['insideEndTop', 'insideEndBottom']);
    // below (a low water level): raise 0.2 under clear 0.25
    expect(positions(sparklineOption([], { direction: 'below', raise: 0.2, clear: 0.25 }, 1, { raise: 'r', clear: 'c' }))).toEqual(['insideEndBottom', 'insideEndTop']);
  });
  it('copes with no rule and no readings', () => {
    const o = sparklineOption([], null, 1, { raise: '', clear: '' }) as any;
    expect(o.series[0].markLine).toBeUndefined();
    expect([o.yAxis.min, o.yAxis.max]).toEqual([-0.12, 1.13]);
  });
});
