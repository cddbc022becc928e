import { describe, expect, it } from 'vitest';
import {
  applyReport, batteryNeeded, canMove, commanderProblem, DEFAULT_MISSION_LIMITS, DRONE_FLIGHT, isTerminal, missionProblem, MISSION_PHASES, PHASE_TRANSITIONS,
  type DroneNow, type MissionPlan, type MissionState,
} from './drones.ts';
import type { Actor } from './org.ts';

const BASE = { lon: 117.0, lat: 30.5 };
const LIMITS = { ...DEFAULT_MISSION_LIMITS, bbox: [116.9, 30.4, 117.1, 30.6] as [number, number, number, number] };
const drone = (over: Partial<DroneNow> = {}): DroneNow => ({ id: 'UAV-1', name: '无人机1', base: BASE, maxFlightMin: 40, status: 'online', battery: 100, ...BASE, alt: 0, mission: null, ...over });
/** A point `m` metres east of the base (1° of longitude at 30.5° N ≈ 95.8 km). */
const east = (m: number) => ({ lon: BASE.lon + m / (111_320 * Math.cos((30.5 * Math.PI) / 180)), lat: BASE.lat });
const plan = (over: Partial<MissionPlan> = {}): MissionPlan => ({ target: east(3000), action: 'hover', loiterS: 120, altM: 100, ...over });

describe('the phase transition table', () => {
  it('runs the normal flight from pending to docked', () => {
    const path = ['pending', 'takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked'] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1], path[i]), `${path[i - 1]} → ${path[i]}`).toBe(true);
  });
  it('lets a patrolling drone go straight to enroute, and a recall cut the mission short', () => {
    expect(canMove('pending', 'enroute')).toBe(true);
    expect(canMove('takeoff', 'returning')).toBe(true);
    expect(canMove('enroute', 'returning')).toBe(true);
  });
  it('refuses steps backwards or skipping the return', () => {
    expect(canMove('on-station', 'enroute')).toBe(false);
    expect(canMove('enroute', 'docked')).toBe(false);
    expect(canMove('takeoff', 'refused')).toBe(false);
    expect(canMove('docked', 'takeoff')).toBe(false);
  });
  it('ends in docked, refused or aborted, and every phase can reach an end', () => {
    expect(MISSION_PHASES.filter(isTerminal)).toEqual(['docked', 'refused', 'aborted']);
    for (const p of MISSION_PHASES) {
      const seen = new Set([p]);
      const queue = [p];
      while (queue.length) for (const n of PHASE_TRANSITIONS[queue.shift()!]) if (!seen.has(n)) seen.add(n), queue.push(n);
      expect([...seen].some(isTerminal), p).toBe(true);
    }
  });
});

describe('missionProblem', () => {
  it('accepts a mission well inside range and battery', () => {
    expect(missionProblem(drone(), plan(), LIMITS)).toBeNull();
  });
  it('refuses an offline or faulty drone', () => {
    expect(missionProblem(drone({ status: 'offline' }), plan(), LIMITS)).toContain('离线');
    expect(missionProblem(drone({ status: 'fault' }), plan(), LIMITS)).toContain('故障');
  });
  it('refuses re-tasking a drone flying a mission, but not one whose mission ended', () => {
    expect(missionProblem(drone({ mission: { id: 'M-1', phase: 'on-station' } }), plan(), LIMITS)).toContain('M-1');
    expect(missionProblem(drone({ mission: { id: 'M-1', phase: 'docked' } }), plan(), LIMITS)).toBeNull();
  });
  it('refuses a target outside the district or beyond the range, at the boundary exactly', () => {
    expect(missionProblem(drone(), plan({ target: { lon: 117.2, lat: 30.5 } }), LIMITS)).toContain('范围之外');
    const limits = { ...LIMITS, maxRangeM: 5000 };
    expect(missionProblem(drone(), plan({ target: east(4990) }), limits)).toBeNull();
    expect(missionProblem(drone(), plan({ target: east(5010) }), limits)).toContain('作业半径');
  });
  it('refuses when the battery cannot cover the round trip, the loiter and the reserve', () => {
    const need = batteryNeeded(drone(), BASE, 40, plan());
    // 33 s climb + 600 s flight + 120 s loiter + 50 s descent = 803 s of 2400 s ≈ 33.5%, +10% reserve.
    expect(need).toBeCloseTo(((100 / 3 + 6000 / DRONE_FLIGHT.cruiseMps + 120 + 50) / 2400) * 100 + 10, 0);
    expect(missionProblem(drone({ battery: need + 0.1 }), plan(), LIMITS)).toBeNull();
    const p = missionProblem(drone({ battery: need - 0.1 }), plan(), LIMITS);
    expect(p).toContain('电量不足');
    expect(p).toContain(`${Math.ceil(need)}%`);
  });
  it('counts a longer loiter and the orbit against the battery', () => {
    const hover = batteryNeeded(drone(), BASE, 40, plan());
    expect(batteryNeeded(drone(), BASE, 40, plan({ action: 'orbit' }))).toBeGreaterThan(hover);
    expect(batteryNeeded(drone(), BASE, 40, plan({ loiterS: 1200 }))).toBeGreaterThan(hover + 40);
  });
});

describe('who may command a drone', () => {
  const a = (role: Actor['role'], org = '340803'): Actor => ({ id: 'x', name: 'x', role, org });
  it('dispatchers and duty leaders may', () => {
    expect(commanderProblem(a('dispatcher'))).toBeNull();
    expect(commanderProblem(a('duty-leader'))).toBeNull();
    expect(commanderProblem(a('duty-leader', '340803001'))).toBeNull();
  });
  it('displays, grid workers, operators and departments may not', () => {
    expect(commanderProblem(a('display'))).toContain('大屏');
    for (const role of ['grid-worker', 'township-operator', 'community-operator', 'department'] as const) expect(commanderProblem(a(role))).not.toBeNull();
  });
});

describe('applyReport', () => {
  const m: MissionState = {
    id: 'M-1', droneId: 'UAV-1', target: east(1000), action: 'hover', loiterS: 60, altM: 100, issuedAt: 1, issuedBy: { id: 'd', name: 'd', role: 'dispatcher', org: '340803' },
    phase: 'pending', history: [{ phase: 'pending', at: 1 }], endedAt: null,
  };
  const r = (phase: MissionState['phase'], ts = 2, reason?: string) => ({ droneId: 'UAV-1', missionId: 'M-1', ts: 1_800_000_000_000 + ts, phase, ...(reason ? { reason } : {}) });
  it('moves along the table and ends with endedAt', () => {
    let s = m;
    for (const p of ['takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked'] as const) {
      const out = applyReport(s, r(p));
      expect(out.ok).toBe(true);
      if (out.ok) s = out.next;
    }
    expect(s.phase).toBe('docked');
    expect(s.endedAt).not.toBeNull();
    expect(s.history.map((h) => h.phase)).toEqual(['pending', 'takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked']);
  });
  it('treats a resent report as applied and refuses an illegal one', () => {
    const t = applyReport(m, r('takeoff'));
    if (!t.ok) throw new Error(t.message);
    expect(applyReport(t.next, r('takeoff'))).toMatchObject({ ok: true, changed: false });
    expect(applyReport(t.next, r('docked'))).toMatchObject({ ok: false });
    expect(applyReport(m, { ...r('takeoff'), droneId: 'UAV-2' })).toMatchObject({ ok: false });
  });
  it('keeps the reason of a refusal', () => {
    const out = applyReport(m, r('refused', 3, '电量不足'));
    expect(out).toMatchObject({ ok: true, next: { phase: 'refused', reason: '电量不足' } });
  });
});
