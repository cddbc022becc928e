import { describe, expect, it } from 'vitest';
import { median, percentileSorted, ratio, summarize } from './stats.ts';

describe('percentileSorted (nearest rank)', () => {
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it('picks the nearest-rank element', () => {
    expect(percentileSorted(xs, 50)).toBe(5);
    expect(percentileSorted(xs, 90)).toBe(9);
    expect(percentileSorted(xs, 99)).toBe(10);
    expect(percentileSorted(xs, 10)).toBe(1);
    expect(percentileSorted(xs, 11)).toBe(2);
  });
  it('handles the edges', () => {
    expect(percentileSorted(xs, 0)).toBe(1);
    expect(percentileSorted(xs, 100)).toBe(10);
    expect(percentileSorted([42], 99)).toBe(42);
    expect(percentileSorted([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts a copy numerically and reports the usual figures', () => {
    const input = [10, 2, 30, 4, 1000];
    const s = summarize(input);
    expect(input).toEqual([10, 2, 30, 4, 1000]);
    expect(s).toEqual({ samples: 5, min: 2, mean: 209.2, p50: 10, p90: 1000, p99: 1000, max: 1000 });
  });
  it('p99 of 1..1000 is 990', () => {
    const s = summarize(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(s.p50).toBe(500);
    expect(s.p90).toBe(900);
    expect(s.p99).toBe(990);
  });
  it('is NaN-filled when empty', () => {
    const s = summarize([]);
    expect(s.samples).toBe(0);
    expect(s.p50).toBeNaN();
  });
});

describe('median and ratio', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('ratio guards against missing values and zero', () => {
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
  });
});
