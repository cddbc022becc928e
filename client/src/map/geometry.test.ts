import { describe, expect, it } from 'vitest';
import { featureBBox, viewCone } from './geometry.ts';

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
