import { describe, expect, it } from 'vitest';
import { hash32, Rng, stream } from './random.ts';

describe('Rng (mulberry32)', () => {
  it('keeps drawing the same sequence: the generated dataset depends on it', () => {
    const r = new Rng(1);
    // mulberry32(1), the first four 32-bit outputs.
    expect([r.next(), r.next(), r.next(), r.next()].map((x) => x * 4294967296)).toEqual([2693262067, 11749833, 2265367787, 4213581821]);
  });

  it('is reproducible from the seed, and different seeds differ', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    // The seed is taken as an unsigned 32-bit word.
    expect(draw(-1)).toEqual(draw(0xffffffff));
  });

  it('is uniform in [0, 1)', () => {
    const r = new Rng(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 10)]++;
    }
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('int, range, pick, chance, shuffle, weighted stay within their bounds', () => {
    const r = new Rng(3);
    const items = ['a', 'b', 'c'];
    const counts = [0, 0, 0];
    let heads = 0;
    for (let i = 0; i < 30_000; i++) {
      const n = r.int(5);
      expect(Number.isInteger(n) && n >= 0 && n < 5).toBe(true);
      const x = r.range(-2, 3);
      expect(x >= -2 && x < 3).toBe(true);
      expect(items).toContain(r.pick(items));
      if (r.chance(0.25)) heads++;
      counts[r.weighted([1, 0, 3])]++;
    }
    expect(heads / 30_000).toBeCloseTo(0.25, 1);
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeCloseTo(3, 0);
    expect(r.shuffle([1, 2, 3, 4, 5, 6]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('exp, normal, logNormal and poisson have the asked-for centre', () => {
    const r = new Rng(11);
    const n = 40_000;
    const mean = (f: () => number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f();
      return s / n;
    };
    expect(mean(() => r.exp(5))).toBeCloseTo(5, 0);
    expect(mean(() => r.normal(10, 2))).toBeCloseTo(10, 1);
    expect(mean(() => r.poisson(3))).toBeCloseTo(3, 1);
    expect(mean(() => r.poisson(100))).toBeCloseTo(100, 0);
    expect(r.poisson(0)).toBe(0);
    const ln = Array.from({ length: 10_001 }, () => r.logNormal(60, 0.5)).sort((a, b) => a - b);
    expect(ln[5000]).toBeGreaterThan(57);
    expect(ln[5000]).toBeLessThan(63);
  });

  it('fork gives an independent child: drawing from it does not move the parent', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const child = a.fork();
    b.next(); // the fork's one draw
    for (let i = 0; i < 10; i++) child.next();
    expect(a.next()).toBe(b.next());
  });
});

describe('stream', () => {
  it('gives each (seed, label) its own reproducible generator', () => {
    expect(stream(1, 'workers').next()).toBe(stream(1, 'workers').next());
    expect(stream(1, 'workers').next()).not.toBe(stream(1, 'cameras').next());
    expect(stream(1, 'workers').next()).not.toBe(stream(2, 'workers').next());
  });
});

describe('hash32', () => {
  it('is FNV-1a', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(0xe40c292c);
    expect(hash32('foobar')).toBe(0xbf9cf968);
  });
});
