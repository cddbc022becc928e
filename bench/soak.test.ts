import { describe, expect, it } from 'vitest';
import { slope, summarizeSoak, type SoakSample } from './soak.ts';

const sample = (min: number, heapMB: number): SoakSample => ({ min, heapMB, domNodes: 1000 + min, listeners: 50, cases: 10, seq: min * 100 });

describe('soak figures', () => {
  it('fits the heap slope per hour and compares the last quarter with the first', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
    expect(slope([5], [1])).toBe(0);
    const growing = summarizeSoak(Array.from({ length: 8 }, (_, i) => sample(i * 5, 40 + i * 2.5)));
    expect(growing.heapGrowthMBPerHour).toBeCloseTo(30, 1); // 2.5 MB per 5 min
    expect(growing.heapMB).toEqual({ baselineFirstQuarter: 41.3, lastQuarter: 56.3, max: 57.5 });
    expect(growing.heapLastOverFirst).toBeCloseTo(56.25 / 41.25, 2);
    const flat = summarizeSoak(Array.from({ length: 8 }, (_, i) => sample(i * 5, 40 + (i % 2))));
    expect(Math.abs(flat.heapGrowthMBPerHour)).toBeLessThan(1);
    expect(flat.domNodes).toEqual({ first: 1000, last: 1035, max: 1035 });
  });
});
