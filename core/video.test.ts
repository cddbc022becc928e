import { describe, expect, it } from 'vitest';
import { STATUS_CODE } from './domain.ts';
import { isVideoKind, nearestCameras } from './video.ts';

const { online, offline, fault, alarm } = STATUS_CODE;
// Cameras along a line east of the point, 100 m apart (at 30.5°N, 0.001° lon ≈ 96 m).
const cams = Array.from({ length: 10 }, (_, i) => ({ lon: 117 + (i + 1) * 0.001, lat: 30.5 }));

describe('nearestCameras', () => {
  it('returns the n nearest that can stream, nearest first', () => {
    const statuses = cams.map(() => online);
    expect(nearestCameras([117, 30.5], cams, statuses, 3)).toEqual([0, 1, 2]);
    expect(nearestCameras([117.0101, 30.5], cams, statuses, 2)).toEqual([9, 8]);
  });
  it('skips offline and faulty cameras but keeps alarming ones', () => {
    const statuses = cams.map(() => online);
    statuses[0] = offline;
    statuses[1] = fault;
    statuses[2] = alarm;
    expect(nearestCameras([117, 30.5], cams, statuses, 2)).toEqual([2, 3]);
  });
  it('ignores cameras beyond maxM and returns fewer when fewer qualify', () => {
    const statuses = cams.map(() => online);
    expect(nearestCameras([117, 30.5], cams, statuses, 5, { maxM: 250 })).toEqual([0, 1]);
    expect(nearestCameras([117, 30.5], cams, statuses, 0)).toEqual([]);
    expect(nearestCameras([117, 30.5], [], new Uint8Array(0), 4)).toEqual([]);
  });
  it('orders an unsorted list by distance', () => {
    const shuffled = [cams[5], cams[0], cams[9], cams[2]];
    expect(nearestCameras([117, 30.5], shuffled, new Uint8Array(4), 4)).toEqual([1, 3, 0, 2]);
  });
});

describe('isVideoKind', () => {
  it('knows cameras, lookouts and drones only', () => {
    expect(['camera', 'lookout', 'drone', 'broadcast', 'x'].map(isVideoKind)).toEqual([true, true, true, false, false]);
  });
});
