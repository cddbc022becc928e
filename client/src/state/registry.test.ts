import { describe, expect, it } from 'vitest';
import type { RegisteredDevice } from '../../../core/registry.ts';
import { DEFAULT_CALENDAR_CONFIG } from '../../../core/cases/calendar.ts';
import { DEVICE_KINDS, countStatuses } from '../../../core/domain.ts';
import { emptyKpiSet } from './test-support.ts';
import type { Delta, Snapshot } from '../../../core/protocol.ts';
import { applyDelta, applyDevicesChanged, applySnapshot, createStore, deviceCounts } from './store.ts';
import { registeredAt } from './registry.ts';

const sizes = { camera: 3, lookout: 0, drone: 0, broadcast: 0, component: 0, worker: 0 };
const placed = { camera: Float64Array.of(117, 30.5, 117.01, 30.5, 117.02, 30.5), lookout: new Float64Array(0), broadcast: new Float64Array(0) };
const cam = (over: Partial<RegisteredDevice> = {}): RegisteredDevice => ({ kind: 'camera', id: 'NEW', index: 3, name: '新', lon: 117.05, lat: 30.55, ai: false, streamUrl: null, retired: false, ...over });

function snapshot(camera: number[], registry?: RegisteredDevice[], seq = 1): Snapshot {
  const none = new Uint8Array(0);
  return {
    protocol: 2, seq, serverTime: 1, status: { camera: Uint8Array.from(camera), lookout: none, drone: none, broadcast: none, component: none, worker: none },
    moving: { drone: { lonlat: new Float64Array(0), heading: new Float32Array(0) }, worker: { lonlat: new Float64Array(0), heading: new Float32Array(0) } },
    cases: [], whistles: [], alarms: [], session: { actor: { id: 'd', name: 'd', role: 'display', org: '340803' }, scope: '340803' },
    calendar: DEFAULT_CALENDAR_CONFIG,
    kpis: {
      devices: Object.fromEntries(DEVICE_KINDS.map((k) => [k, countStatuses(new Uint8Array(0))])) as Snapshot['kpis']['devices'],
      eventsPerSecond: 0,
      cases: { today: 0, open: 0, overdue: 0, closedToday: 0, byHour: new Array(24).fill(0), openBySource: {} },
      loop: { today: emptyKpiSet(), last30Days: emptyKpiSet() },
    },
    ...(registry ? { registry } : {}),
  };
}
const statusDelta = (index: number, status: number, seq: number, prevSeq: number): Delta => ({
  seq, prevSeq, serverTime: 2, events: 1, status: { camera: { index: Uint32Array.of(index), status: Uint8Array.of(status) } }, moves: {}, cases: [], whistles: [], alarms: [],
});

describe('registry slice', () => {
  it('a provisioned camera grows the layer at once; its status delta then lands at its index', () => {
    const s = createStore(sizes, undefined, '340803', placed);
    applySnapshot(s, snapshot([0, 0, 1]));
    const v = s.version.status.camera;
    applyDevicesChanged(s, [cam()]);
    expect(s.placed.camera.length).toBe(8);
    expect([...s.placed.camera.subarray(6)]).toEqual([117.05, 30.55]);
    expect(s.status.camera.length).toBe(4);
    expect(s.colors.camera.length).toBe(16);
    expect(s.version.status.camera).toBeGreaterThan(v);
    expect(deviceCounts(s).camera).toMatchObject({ total: 4, online: 2, offline: 2 });
    expect(applyDelta(s, statusDelta(3, 0, 2, 1))).toBe('applied');
    expect(deviceCounts(s).camera).toMatchObject({ total: 4, online: 3, offline: 1 });
    expect(registeredAt(s, 'camera', 3)?.name).toBe('新');
  });

  it('a retired camera is absent: transparent, not drawn, not counted; a moved one moves', () => {
    const s = createStore(sizes, undefined, '340803', placed);
    applySnapshot(s, snapshot([0, 0, 0, 0], [cam()]));
    expect(deviceCounts(s).camera).toMatchObject({ total: 4, online: 4 });
    applyDevicesChanged(s, [{ ...cam(), id: 'CAM-2', index: 1, lon: 117.011, lat: 30.501, name: '二' }, cam({ retired: true })]);
    expect([...s.placed.camera.subarray(2, 4)]).toEqual([117.011, 30.501]);
    expect(Number.isNaN(s.placed.camera[6])).toBe(true);
    expect(s.colors.camera[3 * 4 + 3]).toBe(0);
    expect(s.colors.camera[1 * 4 + 3]).toBeGreaterThan(0);
    expect(deviceCounts(s).camera).toMatchObject({ total: 3, online: 3, offline: 0 });
    // The server's late status change for the retired one changes nothing.
    applyDelta(s, statusDelta(3, 0, 2, 1));
    expect(deviceCounts(s).camera).toMatchObject({ total: 3, online: 3 });
  });

  it('a replayed moment before the camera existed has none: the layer keeps its size, the index is absent', () => {
    const s = createStore(sizes, undefined, '340803', placed);
    applySnapshot(s, snapshot([0, 0, 0, 0], [cam()]));
    applySnapshot(s, snapshot([0, 1, 0], undefined, 5));
    expect(s.status.camera.length).toBe(4);
    expect(Number.isNaN(s.placed.camera[6])).toBe(true);
    expect(deviceCounts(s).camera).toMatchObject({ total: 3, online: 2, offline: 1 });
  });
});
