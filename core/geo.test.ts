import { describe, expect, it } from 'vitest';
import { distanceM, geometryBBox, GridLocator, pointInGeometry, pointInPolygon, ringSignedArea, type PolygonGeometry } from './geo.ts';

const square = (x: number, y: number, s: number): number[][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

describe('pointInPolygon', () => {
  it('handles outer ring and holes', () => {
    const poly = [square(0, 0, 10), square(4, 4, 2).reverse()];
    expect(pointInPolygon(1, 1, poly)).toBe(true);
    expect(pointInPolygon(5, 5, poly)).toBe(false); // in the hole
    expect(pointInPolygon(11, 5, poly)).toBe(false);
    expect(pointInPolygon(-0.001, 5, poly)).toBe(false);
  });

  it('handles concave polygons and open rings', () => {
    // U shape, ring not closed
    const u = [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]]];
    expect(pointInPolygon(0.5, 2, u)).toBe(true);
    expect(pointInPolygon(1.5, 2, u)).toBe(false);
    expect(pointInPolygon(2.5, 2, u)).toBe(true);
  });

  it('handles MultiPolygon geometries', () => {
    const g: PolygonGeometry = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]] };
    expect(pointInGeometry(0.5, 0.5, g)).toBe(true);
    expect(pointInGeometry(5.5, 5.5, g)).toBe(true);
    expect(pointInGeometry(3, 3, g)).toBe(false);
    expect(geometryBBox(g)).toEqual([0, 0, 6, 6]);
  });
});

describe('helpers', () => {
  it('ring orientation and distance', () => {
    expect(ringSignedArea(square(0, 0, 2))).toBeCloseTo(4);
    expect(ringSignedArea(square(0, 0, 2).reverse())).toBeCloseTo(-4);
    // 0.01 deg latitude ~ 1.11 km
    expect(distanceM([117.03, 30.52], [117.03, 30.53])).toBeGreaterThan(1100);
    expect(distanceM([117.03, 30.52], [117.03, 30.53])).toBeLessThan(1125);
  });
});

describe('GridLocator', () => {
  // 40 x 40 checkerboard of unit squares near the district, one with a hole
  const features = [] as { geometry: PolygonGeometry }[];
  const N = 40;
  const s = 0.005;
  for (let r = 0; r < N; r++)
    for (let c = 0; c < N; c++) features.push({ geometry: { type: 'Polygon', coordinates: [square(117 + c * s, 30.4 + r * s, s)] } });
  features[0] = { geometry: { type: 'Polygon', coordinates: [square(117, 30.4, s), square(117 + s / 4, 30.4 + s / 4, s / 2).reverse()] } };
  const loc = new GridLocator(features);

  it('finds the containing square or -1', () => {
    expect(loc.size).toBe(N * N);
    expect(loc.locate(117 + 3.5 * s, 30.4 + 7.5 * s)).toBe(7 * N + 3);
    expect(loc.locate(117 + 0.1 * s, 30.4 + 0.1 * s)).toBe(0);
    expect(loc.locate(117 + 0.5 * s, 30.4 + 0.5 * s)).toBe(-1); // in the hole
    expect(loc.locate(116.9, 30.5)).toBe(-1);
    expect(loc.locate(117.5, 30.5)).toBe(-1);
  });

  it('accepts a FeatureCollection and agrees with brute force', () => {
    const loc2 = new GridLocator({ features });
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const x = 116.99 + rnd() * 0.22;
      const y = 30.39 + rnd() * 0.22;
      const brute = features.findIndex((f) => pointInGeometry(x, y, f.geometry));
      expect(loc2.locate(x, y)).toBe(brute);
    }
  });

  // How fast is the bench's to measure (dataset phase, buildIndexMs), not a unit test's.
  it('locates 100k points spread over the district', () => {
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (loc.locate(117 + ((i * 7919) % 1000) / 5000, 30.4 + ((i * 104729) % 1000) / 5000) >= 0) hits++;
    expect(hits).toBeGreaterThan(90_000);
  });

  it('handles an empty list', () => {
    expect(new GridLocator([]).locate(117, 30)).toBe(-1);
  });
});
