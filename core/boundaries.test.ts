import { describe, expect, it } from 'vitest';
import { checkGeometry, outsideShare, planBoundaries, type Boundary, type BoundaryContext } from './boundaries.ts';
import type { PolygonGeometry } from './geo.ts';

// A made-up district 340803: the square 117.0–117.1 E, 30.5–30.6 N, one township and one community in it.
const square = (w: number, s: number, e: number, n: number): PolygonGeometry => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const outline = square(117.0, 30.5, 117.1, 30.6);
const known: Record<string, Pick<Boundary, 'level' | 'name' | 'geometry' | 'parentCode'>> = {
  '340803001': { level: 'township', name: '德宽路街道', parentCode: '340803', geometry: square(117.0, 30.5, 117.05, 30.6) },
  '340803001002': { level: 'community', name: '马山社区', parentCode: '340803001', geometry: square(117.0, 30.5, 117.02, 30.52) },
  '340803001002001': { level: 'grid', name: '马山社区第1网格', parentCode: '340803001002', geometry: square(117.0, 30.5, 117.01, 30.51) },
};
const ctx: BoundaryContext = { districtCode: '340803', outline, known: (c) => known[c] };
const grid = (code: string, name: string, geometry: unknown, community = code.slice(0, 12)) => ({ type: 'Feature', properties: { code, name, community }, geometry });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('planBoundaries', () => {
  it('tells new, redrawn and unchanged grids apart', () => {
    const r = planBoundaries(fc(
      grid('340803001002001', '马山社区第1网格', square(117.0, 30.5, 117.01, 30.51)),
      grid('340803001002002', '马山社区第2网格', square(117.01, 30.5, 117.02, 30.51)),
      grid('340803001002001', '马山社区第1网格', square(117.0, 30.5, 117.012, 30.51)),
    ), 'grid', 'WGS84', ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.changes.map((c) => [c.feature, c.code, c.action])).toEqual([
      [0, '340803001002001', 'unchanged'],
      [1, '340803001002002', 'new'],
    ]);
    // The same code twice in one file: the second is bad, the first stands.
    expect(r.plan.bad).toMatchObject([{ feature: 2, field: 'code', reason: '340803001002001 is already feature 1 of this file' }]);
    expect(r.plan.draw.map((b) => [b.code, b.parentCode])).toEqual([['340803001002002', '340803001002']]);
  });

  it('a new name or a new shape is a redraw', () => {
    const r = planBoundaries(fc(
      grid('340803001002001', '马山一网格', square(117.0, 30.5, 117.01, 30.51)),
    ), 'grid', 'WGS84', ctx);
    expect(r.ok && r.plan.changes[0]).toMatchObject({ action: 'redrawn', changed: ['name'] });
    const t = planBoundaries(fc({ type: 'Feature', properties: { code: '340803001', name: '德宽路街道' }, geometry: square(117.0, 30.5, 117.06, 30.6) }), 'township', 'WGS84', ctx);
    expect(t.ok && t.plan.changes[0]).toMatchObject({ action: 'redrawn', changed: ['geometry'] });
  });

  it('reports every bad feature with its field and reason and keeps the good ones', () => {
    const bowtie = { type: 'Polygon', coordinates: [[[117.0, 30.5], [117.01, 30.51], [117.01, 30.5], [117.0, 30.51], [117.0, 30.5]]] };
    const open = { type: 'Polygon', coordinates: [[[117.0, 30.5], [117.01, 30.5], [117.01, 30.51], [117.0, 30.51]]] };
    const r = planBoundaries(fc(
      grid('340803001002003', '点', { type: 'Point', coordinates: [117.0, 30.5] }),
      grid('340803001002004', '开口', open),
      grid('340803001002005', '交叉', bowtie),
      grid('340803001009001', '无社区', square(117.0, 30.5, 117.01, 30.51)),
      grid('340803001002006', '错社区', square(117.0, 30.5, 117.01, 30.51), '340803001003'),
      grid('340804001002001', '外区', square(117.0, 30.5, 117.01, 30.51)),
      grid('340803001002007', '区外', square(117.2, 30.5, 117.21, 30.51)),
      grid('3408030010020', '短码', square(117.0, 30.5, 117.01, 30.51)),
      grid('340803001002008', '', square(117.0, 30.5, 117.01, 30.51)),
      grid('340803001002009', '好的', square(117.02, 30.5, 117.03, 30.51)),
    ), 'grid', 'WGS84', ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.bad).toMatchObject([
      { feature: 0, field: 'geometry', reason: 'a boundary is a Polygon or MultiPolygon, not Point' },
      { feature: 1, field: 'geometry', reason: 'the ring is not closed (its last position must repeat its first)' },
      { feature: 2, field: 'geometry', reason: 'a ring crosses itself (near 117.00500, 30.50500)' },
      { feature: 3, field: 'community', reason: 'its community 340803001009 is neither in the district nor earlier in this file' },
      { feature: 4, field: 'community', reason: 'grid 340803001002006 lies in community 340803001002 by its code, not 340803001003' },
      { feature: 5, field: 'code', reason: '340804001002001 is not an admin code of this district (340803)' },
      { feature: 6, field: 'geometry', reason: '100% of its outline lies outside the district (check the coordinate system: WGS84)' },
      { feature: 7, field: 'code', reason: 'a grid code has 15 digits, not "3408030010020"', why: { key: 'codeDigits', values: { level: 'grid', digits: 15, code: '3408030010020' } } },
      { feature: 8, field: 'name', reason: 'a boundary has a name' },
    ]);
    expect(r.plan.changes).toEqual([{ feature: 9, code: '340803001002009', name: '好的', action: 'new', changed: [] }]);
  });

  it('a community may come with its new township in the same file, not before it', () => {
    const tw = { type: 'Feature', properties: { code: '340803002', name: '新街道' }, geometry: square(117.05, 30.5, 117.1, 30.6) };
    const cm = { type: 'Feature', properties: { code: '340803002001', name: '新社区' }, geometry: square(117.05, 30.5, 117.07, 30.52) };
    // Levels are imported one file each: a township file cannot hold communities.
    const communities = planBoundaries(fc(cm), 'community', 'WGS84', ctx);
    expect(communities.ok && communities.plan.bad).toMatchObject([{ feature: 0, field: 'code', reason: 'its township 340803002 is neither in the district nor earlier in this file' }]);
    const withTownship: BoundaryContext = { ...ctx, known: (c) => (c === '340803002' ? { level: 'township', name: '新街道', parentCode: '340803', geometry: tw.geometry } : known[c]) };
    const again = planBoundaries(fc(cm), 'community', 'WGS84', withTownship);
    expect(again.ok && again.plan.changes.map((c) => c.action)).toEqual(['new']);
  });

  it('refuses a file that is not a FeatureCollection', () => {
    expect(planBoundaries({ type: 'Feature' }, 'grid', 'WGS84', ctx)).toEqual({ ok: false, message: 'the file is not a GeoJSON FeatureCollection' });
    expect(planBoundaries(fc(), 'grid', 'WGS84', ctx)).toEqual({ ok: false, message: 'the FeatureCollection has no features' });
  });
});

describe('checkGeometry', () => {
  it('converts a GCJ-02 file to WGS84 (about 0.005° west and 0.002° north of its GCJ-02 numbers at Anqing)', () => {
    const g = checkGeometry(square(117.05, 30.55, 117.06, 30.56), 'GCJ02');
    expect(g.ok).toBe(true);
    if (!g.ok || g.geometry.type !== 'Polygon') return;
    const [lon, lat] = g.geometry.coordinates[0][0];
    expect(lon).toBeGreaterThan(117.05 - 0.0065);
    expect(lon).toBeLessThan(117.05 - 0.004);
    expect(lat).toBeGreaterThan(30.55 + 0.001);
    expect(lat).toBeLessThan(30.55 + 0.003);
  });

  it('accepts a MultiPolygon and a polygon with a hole', () => {
    const holed = { type: 'Polygon', coordinates: [square(117.0, 30.5, 117.04, 30.54).coordinates[0], [[117.01, 30.51], [117.01, 30.52], [117.02, 30.52], [117.02, 30.51], [117.01, 30.51]]] };
    expect(checkGeometry(holed, 'WGS84').ok).toBe(true);
    expect(checkGeometry({ type: 'MultiPolygon', coordinates: [square(117.0, 30.5, 117.01, 30.51).coordinates, square(117.02, 30.5, 117.03, 30.51).coordinates] }, 'WGS84').ok).toBe(true);
  });
});

describe('outsideShare', () => {
  it('counts the outline vertices outside the district', () => {
    // Two of its four corners lie east of 117.1.
    expect(outsideShare(square(117.09, 30.55, 117.11, 30.56), outline)).toBe(0.5);
    expect(outsideShare(square(117.01, 30.51, 117.02, 30.52), outline)).toBe(0);
    // A grid in the district's corner shares its edge and corner: all inside.
    expect(outsideShare(square(117.09, 30.59, 117.1, 30.6), outline)).toBe(0);
  });
});
