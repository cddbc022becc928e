import { describe, expect, it } from 'vitest';
import { DeviceState } from './device-state.ts';

function state() {
  const ids = (prefix: string, n: number) => new Map(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
  return new DeviceState(
    { camera: ids('C', 4), lookout: ids('L', 1), drone: ids('D', 2), broadcast: ids('B', 1), component: ids('P', 5), worker: ids('W', 3) },
    { drone: [{ lon: 117, lat: 30.5 }, { lon: 117.1, lat: 30.6 }], worker: [{ lon: 1, lat: 2 }, { lon: 3, lat: 4 }, { lon: 5, lat: 6 }] },
  );
}
const ts = 1_800_000_000_000;

describe('DeviceState', () => {
  it('starts every device offline and keeps counts in step with status changes', () => {
    const s = state();
    expect(s.countsOf('camera')).toEqual({ total: 4, online: 0, offline: 4, fault: 0, alarm: 0 });
    s.apply({ kind: 'camera', id: 'C1', ts, status: 'online' });
    s.apply({ kind: 'camera', id: 'C2', ts, status: 'fault' });
    s.apply({ kind: 'camera', id: 'C1', ts, status: 'alarm' });
    expect(s.countsOf('camera')).toEqual({ total: 4, online: 0, offline: 2, fault: 1, alarm: 1 });
  });

  it('coalesces repeated changes of one device into one delta entry with the latest value', () => {
    const s = state();
    s.apply({ kind: 'component', id: 'P3', ts, status: 'fault' });
    s.apply({ kind: 'component', id: 'P1', ts, status: 'online' });
    s.apply({ kind: 'component', id: 'P3', ts, status: 'online' });
    const d = s.takeStatusDeltas();
    expect([...(d.component!.index as Uint32Array)]).toEqual([1, 3]);
    expect([...(d.component!.status as Uint8Array)]).toEqual([0, 0]);
    expect(s.hasChanges()).toBe(false);
    expect(s.takeStatusDeltas()).toEqual({});
  });

  it('does not mark a heartbeat that repeats the current status as a change', () => {
    const s = state();
    s.apply({ kind: 'camera', id: 'C0', ts, status: 'online' });
    s.takeStatusDeltas();
    s.apply({ kind: 'camera', id: 'C0', ts, status: 'online' });
    s.apply({ kind: 'camera', id: 'C0', ts });
    expect(s.hasChanges()).toBe(false);
  });

  it('moves only drones and workers and reports their latest position and heading', () => {
    const s = state();
    expect([...s.lonlat.worker]).toEqual([1, 2, 3, 4, 5, 6]);
    s.apply({ kind: 'worker', id: 'W2', ts, lon: 117.01, lat: 30.51, heading: 90 });
    s.apply({ kind: 'worker', id: 'W2', ts, lon: 117.02, lat: 30.52, heading: 180 });
    s.apply({ kind: 'camera', id: 'C0', ts, lon: 117.5, lat: 30.5 });
    const m = s.takeMoveDeltas();
    expect(Object.keys(m)).toEqual(['worker']);
    expect([...(m.worker!.index as Uint32Array)]).toEqual([2]);
    expect([...(m.worker!.lonlat as Float64Array)]).toEqual([117.02, 30.52]);
    expect([...(m.worker!.heading as Float32Array)]).toEqual([180]);
  });
});
