import { describe, expect, it } from 'vitest';
import { featureBBox, fitPadding, viewCone } from './geometry.ts';

describe('viewCone', () => {
  it('points north for heading 0 and closes the ring at the apex', () => {
    const ring = viewCone(117, 30.5, 0, 60, 1000, 4);
    expect(ring[0]).toEqual([117, 30.5]);
    expect(ring[ring.length - 1]).toEqual([117, 30.5]);
    const mid = ring[3]; // centre of the arc
    expect(mid[0]).toBeCloseTo(117, 6);
    expect((mid[1] - 30.5) * 111_320).toBeCloseTo(1000, 0);
  });
  it('points east for heading 90', () => {
    const ring = viewCone(117, 30.5, 90, 10, 2000, 2);
    const mid = ring[2];
    expect(mid[1]).toBeCloseTo(30.5, 6);
    expect(mid[0]).toBeGreaterThan(117.01);
  });
});

describe('featureBBox', () => {
  it('spans every ring of the named feature', () => {
    const fc = {
      features: [
        { properties: { code: 'a' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] } },
        { properties: { code: 'b' }, geometry: { type: 'MultiPolygon', coordinates: [[[[2, 3], [4, 3], [4, 5]]], [[[10, -1], [11, 0], [10, 0]]]] } },
      ],
    };
    expect(featureBBox(fc, 'b')).toEqual([2, -1, 11, 5]);
    expect(featureBBox(fc, 'zz')).toBeNull();
  });
});

describe('fitPadding', () => {
  it('keeps 5% of the shorter side all round', () => {
    expect(fitPadding(1000, 800)).toEqual({ top: 40, bottom: 40, left: 40, right: 40 });
  });
  it('moves the district clear of a panel floating over the left of the map', () => {
    expect(fitPadding(1000, 800, 300)).toEqual({ top: 40, bottom: 40, left: 340, right: 40 });
  });
  it('ignores a panel that would leave the district less than half the map', () => {
    expect(fitPadding(600, 800, 300)).toEqual({ top: 30, bottom: 30, left: 30, right: 30 });
  });
});
