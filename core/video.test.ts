import { describe, expect, it } from 'vitest';
import { STATUS_CODE } from './domain.ts';
import { distanceM } from './geo.ts';
import { isVideoKind, nearestCameras, viewCone } from './video.ts';

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

describe('viewCone', () => {
  it('is a closed ring from the apex out to rangeM around the heading', () => {
    const ring = viewCone(117, 30.5, 90, 60, 4000, 12);
    expect(ring).toHaveLength(12 + 3);
    expect(ring[0]).toEqual([117, 30.5]);
    expect(ring.at(-1)).toEqual([117, 30.5]);
    for (const p of ring.slice(1, -1)) expect(distanceM([117, 30.5], p)).toBeGreaterThan(3980);
    for (const p of ring.slice(1, -1)) expect(distanceM([117, 30.5], p)).toBeLessThan(4020);
    // Looking east: the arc's middle lies due east, the edges at ±30°.
    const mid = ring[1 + 6];
    expect(mid[1]).toBeCloseTo(30.5, 6);
    expect(mid[0]).toBeGreaterThan(117.04);
    expect(ring[1][1]).toBeGreaterThan(30.5); // heading − 30° = 60°: north of east
    expect(ring[13][1]).toBeLessThan(30.5);
  });
  it('looks south for heading 180', () => {
    const ring = viewCone(117, 30.5, 180, 10, 1000, 2);
    expect(ring[2][0]).toBeCloseTo(117, 6);
    expect(ring[2][1]).toBeLessThan(30.5);
  });
});

describe('isVideoKind', () => {
  it('knows cameras, lookouts and drones only', () => {
    expect(['camera', 'lookout', 'drone', 'broadcast', 'x'].map(isVideoKind)).toEqual([true, true, true, false, false]);
  });
});
