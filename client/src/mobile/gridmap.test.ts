import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { gridMap } from './gridmap.ts';

const square = (x: number, y: number, community: string, name: string) => ({
  type: 'Feature' as const,
  properties: { communityCode: community, name },
  geometry: { type: 'Polygon' as const, coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] },
});
const fc: FeatureCollection = { type: 'FeatureCollection', features: [square(117, 30.5, 'A', 'a1'), square(117.01, 30.5, 'A', 'a2'), square(118, 31, 'B', 'b1')] };

describe('gridMap', () => {
  it('fits only the community’s grids into the box, north up', () => {
    const m = gridMap(fc, 'A', 200)!;
    expect(m.shapes.map((s) => s.index)).toEqual([0, 1]);
    expect(m.width).toBe(200);
    // Two squares side by side: 2 × cos(30.5°) ≈ 1.72 times as wide as tall: (200 − 12) / 1.72 + 12 ≈ 121.
    expect(m.height).toBeGreaterThan(115);
    expect(m.height).toBeLessThan(127);
    const [, yNorth] = m.project(117, 30.51);
    const [, ySouth] = m.project(117, 30.5);
    expect(yNorth).toBeLessThan(ySouth);
    expect(m.shapes[1].d.startsWith('M')).toBe(true);
    expect(m.shapes[0].centre[0]).toBeCloseTo(117.004, 3); // mean of the ring (closing point included)
  });
  it('returns null for a community without grids', () => {
    expect(gridMap(fc, 'Z')).toBeNull();
  });
});
