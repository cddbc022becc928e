import { describe, expect, it } from 'vitest';
import { binaryPoints, casePositions, DENSITY_MIN_TOP, DENSITY_RAMP, densityColorDomain, rampCss, samePositions } from './density.ts';

describe('case density: data', () => {
  it('turns lon,lat pairs into one interleaved lon/lat/0 Float64Array, leaving out pairs without a position', () => {
    const p = casePositions([117.01, 30.52, Number.NaN, 30.5, 117.02, 30.53]);
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
