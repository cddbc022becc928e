import { describe, expect, it } from 'vitest';
import type { Delta } from '../../../core/protocol.ts';
import { ApplyCost, deltaChanges } from './applyCost.ts';

describe('deltaChanges', () => {
  it('counts each device status and move, and each case, patch, alarm and whistle', () => {
    const d = {
      seq: 2, prevSeq: 1, serverTime: 0, events: 9,
      status: { camera: { index: new Uint32Array([1, 2, 3]), status: new Uint8Array([0, 1, 0]) }, component: { index: new Uint32Array([7]), status: new Uint8Array([2]) } },
      moves: { worker: { index: new Uint32Array([4, 5]), lonlat: new Float64Array(4), heading: new Float32Array(2) } },
      cases: [{}, {}], casePatches: [{}], whistles: [], alarms: [{}],
    } as unknown as Delta;
    // 3 + 1 statuses, 2 moves, 2 cases, 1 patch, 1 alarm
    expect(deltaChanges(d)).toBe(10);
  });
});

describe('ApplyCost', () => {
  it('keeps the last samples only', () => {
    const c = new ApplyCost(2);
    c.delta(10, 1);
    c.delta(20, 2);
    c.delta(30, 3);
    c.snapshot(5);
    expect(c.deltas).toEqual([{ changes: 20, ms: 2 }, { changes: 30, ms: 3 }]);
    expect(c.snapshots).toEqual([5]);
  });
});
