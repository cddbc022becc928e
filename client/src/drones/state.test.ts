import { describe, expect, it } from 'vitest';
import type { DroneView, MissionState } from '../../../core/drones.ts';
import type { DeviceKind } from '../../../core/domain.ts';
import { createStore } from '../state/store.ts';
import { activeTargets, droneList, setDrones, upsertDrones } from './state.ts';

const sizes: Record<DeviceKind, number> = { camera: 1, lookout: 1, drone: 2, broadcast: 1, component: 1, worker: 1 };
const base = { lon: 117, lat: 30.5 };
const mission = (phase: MissionState['phase'], action: MissionState['action'] = 'orbit'): MissionState => ({
  id: 'M-1', droneId: 'UAV-1', target: { lon: 117.01, lat: 30.51 }, action, loiterS: 60, altM: 100, issuedAt: 1, issuedBy: { id: 'd', name: 'd', role: 'dispatcher', org: '340803' },
  phase, history: [{ phase: 'pending', at: 1 }, ...(phase === 'pending' ? [] : [{ phase, at: 2 }])], endedAt: phase === 'docked' ? 3 : null,
});
const view = (id: string, reportedAt: number, m: MissionState | null = null): DroneView => ({
  id, name: id, base, baseName: '机场', status: 'online', lon: 117, lat: 30.5, alt: 0, heading: 0, speed: 0, battery: 90, reportedAt, mission: m,
});

describe('drones in the live store', () => {
  it('takes the snapshot, then changed drones from deltas, never an older view over a newer one', () => {
    const s = createStore(sizes);
    setDrones(s, [view('UAV-1', 10), view('UAV-2', 10)]);
    expect(droneList(s).map((d) => d.id)).toEqual(['UAV-1', 'UAV-2']);
    const v0 = s.version.drones;
    upsertDrones(s, [view('UAV-1', 20, mission('enroute'))]);
    expect(s.drones.get('UAV-1')!.mission!.phase).toBe('enroute');
    expect(s.version.drones).toBe(v0 + 1);
    upsertDrones(s, [view('UAV-1', 15)]);
    expect(s.drones.get('UAV-1')!.reportedAt).toBe(20);
    expect(s.version.drones).toBe(v0 + 1);
  });

  it('draws targets of active missions only, with their orbit', () => {
    const s = createStore(sizes);
    setDrones(s, [view('UAV-1', 10, mission('on-station')), view('UAV-2', 10, { ...mission('docked', 'hover'), id: 'M-2', droneId: 'UAV-2' })]);
    expect(activeTargets(s)).toEqual([{ droneId: 'UAV-1', lon: 117.01, lat: 30.51, orbit: true, phase: 'on-station' }]);
  });
});
