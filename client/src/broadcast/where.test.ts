import { describe, expect, it } from 'vitest';
import { whereOf } from './where.ts';

const names = (code: string) => ({ '340803': '大观区', '340803001': '德宽路街道' })[code] ?? code;
const center = { case: (id: string) => `案件 ${id}`, point: '地图点' };

describe('where a broadcast goes, in words', () => {
  it('a scope by its name, an area by its vertices (a closing vertex not counted), a radius with its centre', () => {
    expect(whereOf({ mode: 'scope', code: '340803001' }, names, center)).toEqual({ key: 'whereScope', values: { name: '德宽路街道' } });
    expect(whereOf({ mode: 'area', ring: [[117, 30.5], [117.01, 30.5], [117.01, 30.51], [117, 30.5]] }, names, center)).toEqual({ key: 'whereArea', values: { n: 3 } });
    expect(whereOf({ mode: 'radius', lon: 117, lat: 30.5, radiusM: 1500, caseId: 'C-9' }, names, center)).toEqual({ key: 'whereRadius', values: { r: '1.5 km', center: '案件 C-9' } });
    expect(whereOf({ mode: 'radius', lon: 117, lat: 30.5, radiusM: 800 }, names, center)).toEqual({ key: 'whereRadius', values: { r: '800 m', center: '地图点' } });
  });
});
