import { describe, expect, it } from 'vitest';
import { countMembers, rowsInScope, scopeCenter, scopeMembers, type ScopeSource } from './scopeDevices.ts';
import type { DatasetManifest } from '../../../core/dataset.ts';
import { makeNames } from './names.ts';

const T1 = '340803001';
const T2 = '340803002';
const src: ScopeSource = {
  grids: [
    { townshipCode: T1, communityCode: `${T1}001` },
    { townshipCode: T1, communityCode: `${T1}002` },
    { townshipCode: T2, communityCode: `${T2}001` },
  ],
  devices: {
    camera: [{ gridIndex: 0, townshipCode: T1 }, { gridIndex: 2, townshipCode: T2 }, { gridIndex: 1, townshipCode: T1 }],
    lookout: [{ gridIndex: 2, townshipCode: T2 }],
    drone: [],
    broadcast: [{ gridIndex: 1, townshipCode: T1 }],
    worker: [{ gridIndex: 0, townshipCode: T1 }],
  },
  componentGrid: [2, 0, 1, 2, 0],
};

describe('scopeMembers', () => {
  it('is null on the district screen: every device counts', () => {
    expect(scopeMembers(src, '340803')).toBeNull();
  });
  it('picks the devices of a township by their township, components by their grid', () => {
    const m = scopeMembers(src, T1)!;
    expect([...m.camera]).toEqual([0, 2]);
    expect([...m.lookout]).toEqual([]);
    expect([...m.broadcast]).toEqual([0]);
    expect([...m.component]).toEqual([1, 2, 4]);
  });
  it('picks the devices of a community by their grid', () => {
    const m = scopeMembers(src, `${T1}002`)!;
    expect([...m.camera]).toEqual([2]);
    expect([...m.worker]).toEqual([]);
    expect([...m.component]).toEqual([2]);
  });
});

describe('countMembers', () => {
  it('counts only the members, by status', () => {
    const status = Uint8Array.from([0, 3, 1, 0, 2]);
    expect(countMembers(status, Uint32Array.from([0, 1, 4]))).toEqual({ total: 3, online: 1, offline: 0, fault: 1, alarm: 1 });
    expect(countMembers(status, new Uint32Array(0)).total).toBe(0);
  });
});

describe('rowsInScope', () => {
  const rows = [{ code: T1 }, { code: T2 }, { code: '' }];
  it('lists every township and the total on the district screen', () => {
    expect(rowsInScope(rows, '340803')).toEqual(rows);
  });
  it("lists only the scope's township on a township or community screen", () => {
    expect(rowsInScope(rows, T2)).toEqual([{ code: T2 }]);
    expect(rowsInScope(rows, `${T1}002`)).toEqual([{ code: T1 }]);
  });
});

describe('scopeCenter', () => {
  const manifest = {
    district: { code: '340803', name: '大观区' },
    townships: [{ code: T1, name: '德宽路街道' }],
    communities: [{ code: `${T1}002`, name: '马山社区' }],
    centers: [{ code: '340803', name: '大观区智慧联动中心' }, { code: T1, name: '德宽路街道联动中心' }],
  } as unknown as DatasetManifest;
  const names = makeNames(manifest, { type: 'FeatureCollection', features: [] }, false);
  it("names the scope's center from the dataset, none for the district", () => {
    expect(scopeCenter('340803', names)).toBeNull();
    expect(scopeCenter(T1, names)).toEqual({ name: '德宽路街道联动中心', place: '德宽路街道' });
    expect(scopeCenter(`${T1}002`, names)).toEqual({ name: '马山社区联动中心', place: '马山社区' });
  });
});
