import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import type { Boundary } from '../../../core/boundaries.ts';
import { drawOver, initGeography, mergeBoundaries } from './geography.ts';

const square = (w: number, e: number) => ({ type: 'Polygon' as const, coordinates: [[[w, 30.4], [e, 30.4], [e, 30.6], [w, 30.6], [w, 30.4]]] });
const base: { boundaries: FeatureCollection; grids: FeatureCollection } = {
  boundaries: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square(116.9, 117.05), properties: { level: 'township', code: '340803001', name: '德宽路街道', parentCode: '340803' } }] },
  grids: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square(116.9, 117.05), properties: { index: 0, code: '340803001002001', name: '马山社区第1网格', communityCode: '340803001002', townshipCode: '340803001', households: 300, residents: 700, workerId: 'GW-0001' } }] },
};
const redrawn: Boundary = { level: 'grid', code: '340803001002001', name: '马山社区第1网格', parentCode: '340803001002', geometry: square(116.9, 117.02) };
const added: Boundary = { level: 'grid', code: '340803001002002', name: '马山社区第2网格', parentCode: '340803001002', geometry: square(117.02, 117.05) };
const township: Boundary = { level: 'township', code: '340803001', name: '德宽路街道（新）', parentCode: '340803', geometry: square(116.9, 117.06) };

describe('drawOver', () => {
  it('redraws a known grid in place, keeps its figures, and appends a new one with the next index', () => {
    const out = drawOver(base, [redrawn, added, township]);
    expect(out.grids.features.map((f) => [f.properties?.index, f.properties?.code, f.properties?.households])).toEqual([[0, '340803001002001', 300], [1, '340803001002002', 0]]);
    expect(out.grids.features[0].geometry).toEqual(square(116.9, 117.02));
    expect(out.boundaries.features).toHaveLength(1);
    expect(out.boundaries.features[0].properties).toEqual({ level: 'township', code: '340803001', name: '德宽路街道（新）', parentCode: '340803' });
    // The dataset's collections are not changed.
    expect(base.grids.features[0].geometry).toEqual(square(116.9, 117.05));
  });

  it('nothing drawn: the same collections', () => {
    expect(drawOver(base, []).grids).toBe(base.grids);
  });
});

describe('mergeBoundaries', () => {
  it('counts a change only when a boundary differs', () => {
    const s = initGeography();
    mergeBoundaries(s, [redrawn]);
    mergeBoundaries(s, [redrawn]);
    expect(s.version.boundaries).toBe(1);
    mergeBoundaries(s, [{ ...redrawn, name: '一网格' }]);
    expect(s.version.boundaries).toBe(2);
    expect([...s.drawn.keys()]).toEqual(['340803001002001']);
  });
});
