import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random.ts';
import { PeriodicSchedule } from './schedule.ts';

describe('PeriodicSchedule', () => {
  it('reports every device once per period, evenly spread', () => {
    const rng = new Rng(1);
    const s = new PeriodicSchedule(3700, 60_000, () => rng.next());
    const seen = new Uint32Array(3700);
    let t = 1_800_000_000_000;
    s.due(t, () => {});
    const perSecond: number[] = [];
    for (let k = 0; k < 240; k++) {
      t += 250;
      let n = 0;
      s.due(t, (i) => {
        seen[i]++;
        n++;
      });
      perSecond.push(n);
    }
    // 60 s elapsed: every device exactly once
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(1);
    // no bursts: ~15 per 250 ms tick
    expect(Math.max(...perSecond)).toBeLessThan(40);
  });

  it('emits everyone once after a long pause', () => {
    const rng = new Rng(2);
    const s = new PeriodicSchedule(10, 1000, () => rng.next());
    s.due(0, () => {});
    const got: number[] = [];
    s.due(5000, (i) => got.push(i));
    expect(got.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
