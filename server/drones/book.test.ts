import { describe, expect, it } from 'vitest';
import type { DroneDevice } from '../../core/dataset.ts';
import type { Mission } from '../../core/drones.ts';
import { DroneBook, FLIGHTS_MAX, TRACK_MAX } from './book.ts';

const dev: DroneDevice = { id: 'UAV-1', name: '无人机1', lon: 117, lat: 30.5, gridIndex: 0, townshipCode: '340803001', base: '机场', patrol: [], maxFlightMin: 40 };
const T = 1_800_000_000_000;
const mission = (id: string): Mission => ({ id, droneId: 'UAV-1', target: { lon: 117.01, lat: 30.5 }, action: 'hover', loiterS: 60, altM: 100, issuedAt: T, issuedBy: { id: 'd', name: 'd', role: 'dispatcher', org: '340803' } });

describe('DroneBook', () => {
  it('keeps a bounded track of distinct points while airborne, none on the dock', () => {
    const b = new DroneBook([dev]);
    b.telemetry({ kind: 'drone', id: 'UAV-1', ts: T, alt: 0, lon: 117, lat: 30.5 });
    expect(b.track('UAV-1')).toHaveLength(0);
    for (let i = 0; i < TRACK_MAX + 50; i++) b.telemetry({ kind: 'drone', id: 'UAV-1', ts: T + i, alt: 100, lon: 117 + i * 0.001, lat: 30.5 });
    expect(b.track('UAV-1')).toHaveLength(TRACK_MAX);
    // Hovering: points closer than 20 m replace the last one.
    const n = b.track('UAV-1').length;
    for (let i = 0; i < 10; i++) b.telemetry({ kind: 'drone', id: 'UAV-1', ts: T + 1000 + i, alt: 100, lon: 117.3, lat: 30.5 + i * 1e-6 });
    expect(b.track('UAV-1').length).toBeLessThanOrEqual(n + 1);
    // An older record does not move the drone back.
    b.telemetry({ kind: 'drone', id: 'UAV-1', ts: T, alt: 5, lon: 117, lat: 30.5 });
    expect(b.view('UAV-1')!.alt).toBe(100);
  });

  it('keeps the last FLIGHTS_MAX missions and survives a checkpoint', () => {
    const b = new DroneBook([dev]);
    for (let i = 0; i < FLIGHTS_MAX + 3; i++) b.apply({ type: 'dispatched', mission: mission(`M-${i}`) });
    expect(b.flights('UAV-1')).toHaveLength(FLIGHTS_MAX);
    expect(b.mission('M-0')).toBeUndefined();
    b.apply({ type: 'mission-updated', report: { droneId: 'UAV-1', missionId: `M-${FLIGHTS_MAX + 2}`, ts: T + 5, phase: 'takeoff' }, gateway: 'g' });
    expect(b.activeMission('UAV-1')!.phase).toBe('takeoff');
    const copy = new DroneBook([dev]);
    copy.importState(JSON.parse(JSON.stringify(b.exportState())));
    expect(copy.flights('UAV-1')).toEqual(b.flights('UAV-1'));
    expect(copy.view('UAV-1')!.mission!.phase).toBe('takeoff');
  });
});
