import { describe, expect, it } from 'vitest';
import { coverage, gridCells, nearestWorkers } from './patrol.ts';
import type { PolygonGeometry } from './geo.ts';

// A square about 1 km × 1 km at 30.5° N: 0.009 deg lat ≈ 1002 m, 0.0104 deg lon ≈ 997 m.
const square: PolygonGeometry = { type: 'Polygon', coordinates: [[[117, 30.5], [117.0104, 30.5], [117.0104, 30.509], [117, 30.509], [117, 30.5]]] };

describe('coverage', () => {
  const cells = gridCells(square, 100);
  it('cuts a 1 km square into about 100 cells of 100 m', () => {
    expect(cells.inside.size).toBeGreaterThanOrEqual(100);
    expect(cells.inside.size).toBeLessThanOrEqual(121);
  });
  it('is 0 with no track, counts each visited cell once, ignores points outside the grid', () => {
    expect(coverage(cells, [])).toBe(0);
    const one = coverage(cells, [[117.0005, 30.5005], [117.0006, 30.5006], [118, 31], [116, 30]]);
    expect(one).toBeCloseTo(1 / cells.inside.size, 6);
  });
  it('a walk along the bottom edge covers one row, a lawnmower walk covers everything', () => {
    const row = Array.from({ length: 200 }, (_, k) => [117 + (k / 200) * 0.0104, 30.5002] as [number, number]);
    expect(coverage(cells, row)).toBeCloseTo(cells.cols / cells.inside.size, 6);
    const all: [number, number][] = [];
    for (let y = 0; y < 60; y++) for (let x = 0; x < 60; x++) all.push([117 + ((x + 0.5) / 60) * 0.0104, 30.5 + ((y + 0.5) / 60) * 0.009]);
    expect(coverage(cells, all)).toBe(1);
  });
  it('only counts cells whose centre is inside a non-rectangular grid', () => {
    const triangle: PolygonGeometry = { type: 'Polygon', coordinates: [[[117, 30.5], [117.0104, 30.5], [117, 30.509], [117, 30.5]]] };
    const t = gridCells(triangle, 100);
    expect(t.inside.size).toBeGreaterThan(40);
    expect(t.inside.size).toBeLessThan(60);
    expect(coverage(t, [[117.0100, 30.5088]])).toBe(0); // the far corner of the box is outside
  });
});

describe('nearestWorkers', () => {
  const lonlat = [117.0, 30.5, 117.01, 30.5, 0, 0, 117.001, 30.5, 117.1, 30.6];
  const status = [1, 0, 0, 0, 0];
  it('returns the n nearest with distances, nearest first, skipping workers without a position', () => {
    const near = nearestWorkers([117.0, 30.5], lonlat, status, 3);
    expect(near.map((w) => w.index)).toEqual([0, 3, 1]);
    expect(near[0].distanceM).toBe(0);
    expect(near[1].distanceM).toBeGreaterThan(90);
    expect(near[1].distanceM).toBeLessThan(100);
    expect(near[0].status).toBe(1);
  });
  it('skips workers whose position a scoped screen is not sent (NaN)', () => {
    const hidden = [117.0, 30.5, Number.NaN, Number.NaN, 117.002, 30.5];
    expect(nearestWorkers([117.0, 30.5], hidden, [1, 1, 1], 3).map((w) => w.index)).toEqual([0, 2]);
  });
  it('copes with n larger than the workforce and n = 0', () => {
    expect(nearestWorkers([117, 30.5], lonlat, status, 10)).toHaveLength(4);
    expect(nearestWorkers([117, 30.5], lonlat, status, 0)).toEqual([]);
  });
});
