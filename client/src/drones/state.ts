// The drones slice of the live store: pure updaters (snapshot, delta, a command's answer) and the
// small derivations the panel and the map use. Knows nothing of the store that composes it.
import type { DroneView, MissionPhase } from '../../../core/drones.ts';

export interface DronesState {
  /** Drones: telemetry and current mission (from the snapshot and deltas). */
  drones: Map<string, DroneView>;
  version: { drones: number };
}

export const initDrones = (): DronesState => ({ drones: new Map(), version: { drones: 0 } });

/** Replaces all drones (a snapshot). */
export function setDrones(s: DronesState, views: readonly DroneView[]): void {
  s.drones = new Map(views.map((v) => [v.id, v]));
  s.version.drones++;
}

/** Applies changed drones (a delta, or the view a recall returned). A view older than the one held is ignored. */
export function upsertDrones(s: DronesState, views: readonly DroneView[]): void {
  let changed = false;
  for (const v of views) {
    const had = s.drones.get(v.id);
    if (had && had.reportedAt > v.reportedAt && (had.mission?.history.length ?? 0) >= (v.mission?.history.length ?? 0)) continue;
    s.drones.set(v.id, v);
    changed = true;
  }
  if (changed) s.version.drones++;
}

/** Drones in dataset order. */
export function droneList(s: Pick<DronesState, 'drones'>): DroneView[] {
  return [...s.drones.values()];
}

/** Phases in which a drone is away on its mission (a target marker is drawn). */
export const FLYING_PHASES: ReadonlySet<MissionPhase> = new Set(['pending', 'takeoff', 'enroute', 'on-station', 'returning', 'landing']);

/** Missions whose target is worth drawing: active ones. */
export function activeTargets(s: Pick<DronesState, 'drones'>): Array<{ droneId: string; lon: number; lat: number; orbit: boolean; phase: MissionPhase }> {
  const out = [];
  for (const v of s.drones.values()) {
    const m = v.mission;
    if (m && FLYING_PHASES.has(m.phase)) out.push({ droneId: v.id, lon: m.target.lon, lat: m.target.lat, orbit: m.action === 'orbit', phase: m.phase });
  }
  return out;
}
