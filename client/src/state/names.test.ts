import { describe, expect, it } from 'vitest';
import type { DatasetManifest } from '../../../core/dataset.ts';
import { EVENT_CLASSES } from '../../../core/taxonomy.ts';
import { makeNames } from './names.ts';

const manifest = {
  district: { code: '340803', name: '大观区' },
  townships: [{ code: '340803001', name: '德宽路街道' }],
  communities: [{ code: '340803001002', name: '马山社区' }],
  centers: [{ id: 'LC-340803001', code: '340803001', name: '德宽路街道联动中心' }],
} as unknown as DatasetManifest;
const grids = {
  type: 'FeatureCollection' as const,
  features: [{ type: 'Feature' as const, properties: { name: '马山社区第1网格' }, geometry: { type: 'Polygon' as const, coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2]]] } }],
};

describe('names', () => {
  it('names units, places, classes and grids', () => {
    const n = makeNames(manifest, grids, false);
    expect(n.unit('DEPT-CG')).toBe('区城管局');
    expect(n.unit('LC-340803001')).toBe('德宽路街道联动中心');
    expect(n.unit('LC-340803001002')).toBe('马山社区联动中心');
    expect(n.unit(null)).toBe('—');
    expect(n.place('340803001002')).toBe('马山社区');
    expect(n.eventClass('0502', true)).toBe('突发事件 · 0502 管道破裂');
    expect(n.grid(0)).toBe('马山社区第1网格');
    expect(n.grid(-1)).toBe('—');
    expect(n.gridCentre(0)).toEqual([1, 1]);
    expect(makeNames(manifest, grids, true).unit('DEPT-CG')).toBe('Urban Management Bureau');
  });
  it('names every event big class in English in English mode', () => {
    const en = makeNames(manifest, grids, true);
    expect(en.eventClass('0502', true)).toBe('Emergencies · 0502 Burst pipe');
    for (const c of EVENT_CLASSES) expect(en.bigClass(c.bigName), c.bigName).not.toMatch(/\p{Script=Han}/u);
  });
});
