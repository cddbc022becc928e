import { describe, expect, it } from 'vitest';
import { binaryPoints, casePositions, collectPages, DENSITY_MIN_TOP, DENSITY_RAMP, densityColorDomain, rampCss, samePositions } from './density.ts';

describe('case density: data', () => {
  it('turns cases into one interleaved lon/lat/0 Float64Array, leaving out cases without a position', () => {
    const p = casePositions([
      { lon: 117.01, lat: 30.52 },
      { lon: Number.NaN, lat: 30.5 },
      { lon: 117.02, lat: 30.53 },
    ]);
    expect(p).toBeInstanceOf(Float64Array);
    expect([...p]).toEqual([117.01, 30.52, 0, 117.02, 30.53, 0]);
    expect(casePositions([])).toHaveLength(0);
  });

  it('hands deck.gl binary data whose position attribute is the array itself', () => {
    const p = new Float64Array([1, 2, 0, 3, 4, 0, 5, 6, 0]);
    const d = binaryPoints(p);
    expect(d.length).toBe(3);
    expect(d.attributes.getPosition.value).toBe(p);
    expect(d.attributes.getPosition.size).toBe(3); // the size of HexagonLayer's position attribute
  });

  it('tells an unchanged refresh from a changed one', () => {
    expect(samePositions(new Float64Array([1, 2]), new Float64Array([1, 2]))).toBe(true);
    expect(samePositions(new Float64Array([1, 2]), new Float64Array([1, 3]))).toBe(false);
    expect(samePositions(new Float64Array([1, 2]), new Float64Array([1, 2, 3, 4]))).toBe(false);
  });
});

describe('case density: paging past the 500-case cap', () => {
  const T = Date.UTC(2026, 10, 24);
  /** A server like /api/analysis/cases: reportedAt < to, newest first (ties by id), at most `size`. */
  const server = (cases: { id: string; reportedAt: number }[], size: number) => {
    const calls: number[] = [];
    const page = async (to: number) => {
      calls.push(to);
      return cases
        .filter((c) => c.reportedAt < to)
        .sort((a, b) => b.reportedAt - a.reportedAt || a.id.localeCompare(b.id))
        .slice(0, size);
    };
    return { page, calls };
  };

  it('takes one request when the window holds less than a page', async () => {
    const s = server([{ id: 'a', reportedAt: T - 1 }, { id: 'b', reportedAt: T - 2 }], 5);
    const r = await collectPages(s.page, T, 5);
    expect(r.items.map((c) => c.id)).toEqual(['a', 'b']);
    expect(r.truncated).toBe(false);
    expect(s.calls).toEqual([T]);
  });

  it('pages back in time and gets every case once, ties at a page boundary included', async () => {
    // 23 cases, several sharing a millisecond, with pages of 5.
    const cases = Array.from({ length: 23 }, (_, i) => ({ id: `c${String(i).padStart(2, '0')}`, reportedAt: T - 1000 + Math.floor(i / 3) }));
    const s = server(cases, 5);
    const r = await collectPages(s.page, T, 5);
    expect(r.truncated).toBe(false);
    expect(r.items.map((c) => c.id).sort()).toEqual(cases.map((c) => c.id).sort());
    expect(new Set(r.items.map((c) => c.id)).size).toBe(23);
  });

  it('says when it was cut: too many pages, or more than a page in one millisecond', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `m${i}`, reportedAt: T - 100 + i }));
    const cut = await collectPages(server(many, 5).page, T, 5, 3);
    expect(cut.truncated).toBe(true);
    expect(cut.items).toHaveLength(13); // 5 + 4 + 4: each page starts again at the oldest case seen
    const same = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, reportedAt: T - 5 }));
    const stuck = await collectPages(server(same, 5).page, T, 5);
    expect(stuck.truncated).toBe(true);
    expect(stuck.items).toHaveLength(5);
  });
});

describe('case density: colours', () => {
  it('colours from 1 case to the biggest hexagon, never topping out below the floor', () => {
    expect(densityColorDomain(null)).toEqual([1, DENSITY_MIN_TOP]);
    expect(densityColorDomain([Infinity, -Infinity])).toEqual([1, DENSITY_MIN_TOP]);
    expect(densityColorDomain([1, 2])).toEqual([1, DENSITY_MIN_TOP]);
    expect(densityColorDomain([1, 17])).toEqual([1, 17]);
    expect(densityColorDomain([3, 16.2])).toEqual([1, 17]);
  });

  it('runs cool to hot, and the CSS gradient has the same stops as the layer', () => {
    const lum = (c: number[]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    const first = DENSITY_RAMP[0];
    const last = DENSITY_RAMP[DENSITY_RAMP.length - 1];
    expect(first[2]).toBeGreaterThan(first[0]); // blue end
    expect(last[0]).toBeGreaterThan(last[2]); // red end
    // Every colour stands out from the dark basemap (#050d1c-ish).
    for (const c of DENSITY_RAMP) expect(lum(c)).toBeGreaterThan(90);
    const css = rampCss();
    expect(css.startsWith('linear-gradient(90deg, rgb(50, 136, 189) 0%')).toBe(true);
    expect(css.endsWith('rgb(213, 62, 79) 100%)')).toBe(true);
    expect(css.match(/rgb\(/g)).toHaveLength(DENSITY_RAMP.length);
  });
});
