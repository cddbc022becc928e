import { describe, expect, it } from 'vitest';
import { parseCsv, planImport } from './resources-import.ts';
import type { EmergencyResource } from './resources.ts';

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes, CRLF, a BOM and skips blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n1,\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['1', '']]);
  });
});

describe('planImport', () => {
  const bbox = [117, 30.4, 117.1, 30.6] as [number, number, number, number];
  const have: EmergencyResource = { id: 'FS-1', kind: 'fire', name: '站', lon: 117.01, lat: 30.5, townshipCode: '340803001', address: '', phone: '119', members: 30 };
  const head = 'id,kind,name,lon,lat,township,phone,members,equipment';
  it('compares with what is there field by field', () => {
    const plan = planImport('csv', `${head}\nFS-1,fire,站,117.01,30.5,340803001,119,30,\nFS-2,fire,新站,117.02,30.5,340803002,119,20,水罐车、云梯车`, (id) => (id === 'FS-1' ? have : undefined), bbox);
    if ('fileError' in plan) throw new Error(plan.fileError);
    expect(plan.unchanged).toBe(1);
    expect(plan.added.map((a) => a.id)).toEqual(['FS-2']);
    expect(plan.apply[0].equipment).toEqual(['水罐车', '云梯车']);
    const moved = planImport('csv', `${head}\nFS-1,fire,站,117.011,30.5,340803001,119,31,`, () => have, bbox);
    if ('fileError' in moved) throw new Error(moved.fileError);
    expect(moved.changed).toEqual([{ row: 2, id: 'FS-1', name: '站', fields: ['lon', 'members'] }]);
  });
  it('names the row and column of what is wrong', () => {
    const plan = planImport('csv', `${head}\nFS-3,fire,站,117.01,30.5,3408030,119,0,\nFS-4,fire,,117.01,30.5,340803001,119,,`, () => undefined, bbox);
    if ('fileError' in plan) throw new Error(plan.fileError);
    expect(plan.errors).toMatchObject([
      { row: 2, column: 'township', reason: expect.stringContaining('"3408030" is not a township code') },
      { row: 3, column: 'name', reason: 'missing' },
    ]);
    expect(plan.apply).toEqual([]);
  });
  it('a shelter or depot must lie in its declared township; teams, fire stations and hospitals serve the district', () => {
    // West of 117.05 is 340803001, east 340803002, north of 30.58 no grid at all.
    const townshipAt = (lon: number, lat: number) => (lat > 30.58 ? '' : lon < 117.05 ? '340803001' : '340803002');
    const rows = [
      'id,kind,name,lon,lat,township,phone,capacity',
      'SH-1,shelter,西边避难所,117.01,30.5,340803001,0556-1,100',
      'SH-2,shelter,写错街道,117.08,30.5,340803001,0556-2,100',
      'DP-3,depot,无网格仓库,117.01,30.59,340803001,0556-3,',
      'FS-4,fire,跨街道消防站,117.08,30.5,340803001,119,',
    ].join('\n');
    const plan = planImport('csv', rows, () => undefined, bbox, { townshipAt });
    if ('fileError' in plan) throw new Error(plan.fileError);
    expect(plan.errors).toMatchObject([
      { row: 3, column: 'township', reason: 'its point lies in township 340803002, not 340803001', why: { key: 'townshipOther', values: { there: '340803002', named: '340803001' } } },
      { row: 4, column: 'township', reason: 'its point lies in no township\'s grids, so not in 340803001' },
    ]);
    expect(plan.added.map((a) => a.id)).toEqual(['SH-1', 'FS-4']);
  });
  it('reads a GCJ-02 file into WGS84 (about 0.005° west and 0.002° north at Anqing)', () => {
    const plan = planImport('csv', `${head}\nFS-9,fire,站,117.05,30.55,340803001,119,30,`, () => undefined, bbox, { crs: 'GCJ02' });
    if ('fileError' in plan) throw new Error(plan.fileError);
    const [r] = plan.apply;
    expect(r.lon).toBeGreaterThan(117.05 - 0.0065);
    expect(r.lon).toBeLessThan(117.05 - 0.004);
    expect(r.lat).toBeGreaterThan(30.55 + 0.001);
    expect(r.lat).toBeLessThan(30.55 + 0.003);
  });
  it('refuses a file it cannot read as a whole', () => {
    expect(planImport('geojson', '{"type":"Feature"}', () => undefined, bbox)).toEqual({ fileError: 'expected a GeoJSON FeatureCollection' });
    expect(planImport('csv', 'id,kind,name,lon,lat,township,phone,colour', () => undefined, bbox)).toEqual({ fileError: expect.stringContaining('unknown column(s) colour') });
  });
});
