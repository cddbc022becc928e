// DroneBook: the projection of each drone — live telemetry (from its device records), the mission
// it flies, a bounded track and the recent flight log. Fed by the projector, rebuilt from the log.
import { distanceM } from '../../core/geo.ts';
import type { DroneDevice } from '../../core/dataset.ts';
import type { DeviceRecord } from '../../core/protocol.ts';
import { applyReport, isActive, type DroneNow, type DroneView, type Mission, type MissionReport, type MissionState } from '../../core/drones.ts';
import type { ActorRef } from '../../core/cases/model.ts';
import { PacedChanges, type PacedBook } from '../projections/paced-changes.ts';

/** Events of the drone context (type `drone:<type>`). */
export type DroneEvent =
  | { type: 'dispatched'; mission: Mission }
  | { type: 'recalled'; droneId: string; missionId: string | null; at: number; actor: ActorRef; note?: string }
  | { type: 'mission-updated'; report: MissionReport; gateway: string };

/** Track points kept per drone, and the spacing below which a new point replaces the last one. */
export const TRACK_MAX = 200;
const TRACK_STEP_M = 20;
/** Missions kept per drone in memory (the log keeps all of them). */
export const FLIGHTS_MAX = 50;

interface Entry {
  dev: DroneDevice;
  view: DroneView;
  track: [number, number][];
  flights: MissionState[]; // oldest first
}

export interface DroneBookCheckpoint {
  entries: Array<{ id: string; view: DroneView; track: [number, number][]; flights: MissionState[] }>;
}

export class DroneBook implements PacedBook<DroneView> {
  private readonly byId = new Map<string, Entry>();
  private readonly missions = new Map<string, MissionState>();
  /** Drones changed since the last take: a mission or a status change is discrete, a new reading telemetry (paced-changes.ts). */
  private readonly changed = new PacedChanges<string>();

  constructor(devices: readonly DroneDevice[]) {
    for (const dev of devices) {
      this.byId.set(dev.id, {
        dev,
        view: {
          id: dev.id, name: dev.name, base: { lon: dev.lon, lat: dev.lat }, baseName: dev.base, status: 'offline',
          lon: dev.lon, lat: dev.lat, alt: 0, heading: 0, speed: 0, battery: 0, reportedAt: 0, mission: null,
        },
        track: [],
        flights: [],
      });
    }
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  device(id: string): DroneDevice | undefined {
    return this.byId.get(id)?.dev;
  }

  view(id: string): DroneView | undefined {
    return this.byId.get(id)?.view;
  }

  views(): DroneView[] {
    return [...this.byId.values()].map((e) => e.view);
  }

  track(id: string): [number, number][] {
    return this.byId.get(id)?.track ?? [];
  }

  mission(id: string): MissionState | undefined {
    return this.missions.get(id);
  }

  /** Newest first. */
  flights(id: string): MissionState[] {
    return [...(this.byId.get(id)?.flights ?? [])].reverse();
  }

  /** What the safety check needs. */
  now(id: string): DroneNow | undefined {
    const e = this.byId.get(id);
    if (!e) return undefined;
    const v = e.view;
    return { id, name: v.name, base: v.base, maxFlightMin: e.dev.maxFlightMin, status: v.status, battery: v.battery, lon: v.lon, lat: v.lat, alt: v.alt, mission: v.mission };
  }

  telemetry(r: DeviceRecord): void {
    const e = this.byId.get(r.id);
    if (!e || r.ts < e.view.reportedAt) return;
    const v = { ...e.view, reportedAt: r.ts };
    const statusChanged = r.status !== undefined && r.status !== v.status;
    if (r.status !== undefined) v.status = r.status;
    if (r.lon !== undefined && r.lat !== undefined) {
      v.lon = r.lon;
      v.lat = r.lat;
    }
    if (r.alt !== undefined) v.alt = r.alt;
    if (r.heading !== undefined) v.heading = r.heading;
    if (r.speed !== undefined) v.speed = r.speed;
    if (r.battery !== undefined) v.battery = r.battery;
    e.view = v;
    if (v.alt > 0.5) this.addTrackPoint(e, v.lon, v.lat);
    if (statusChanged) this.changed.discrete(r.id);
    else this.changed.telemetry(r.id);
  }

  private addTrackPoint(e: Entry, lon: number, lat: number): void {
    const last = e.track[e.track.length - 1];
    const prev = e.track[e.track.length - 2];
    // Points closer than TRACK_STEP_M to the one before the last replace the last: a hovering drone does not fill the track.
    if (last && prev && distanceM(prev, [lon, lat]) < TRACK_STEP_M) e.track[e.track.length - 1] = [lon, lat];
    else e.track.push([lon, lat]);
    if (e.track.length > TRACK_MAX) e.track.splice(0, e.track.length - TRACK_MAX);
  }

  apply(ev: DroneEvent): void {
    if (ev.type === 'dispatched') {
      const e = this.byId.get(ev.mission.droneId);
      if (!e) return;
      const m: MissionState = { ...ev.mission, phase: 'pending', history: [{ phase: 'pending', at: ev.mission.issuedAt }], endedAt: null };
      e.flights.push(m);
      this.missions.set(m.id, m);
      if (e.flights.length > FLIGHTS_MAX) for (const old of e.flights.splice(0, e.flights.length - FLIGHTS_MAX)) this.missions.delete(old.id);
      e.view = { ...e.view, mission: m };
      e.track = [];
      this.changed.discrete(e.dev.id);
    } else if (ev.type === 'recalled') {
      const m = ev.missionId ? this.missions.get(ev.missionId) : undefined;
      if (m) this.replace({ ...m, recalledBy: ev.actor });
    } else if (ev.type === 'mission-updated') {
      const m = this.missions.get(ev.report.missionId);
      if (!m) return;
      const out = applyReport(m, ev.report);
      if (out.ok && out.changed) this.replace(out.next);
    }
  }

  private replace(m: MissionState): void {
    const e = this.byId.get(m.droneId);
    if (!e) return;
    this.missions.set(m.id, m);
    const i = e.flights.findIndex((f) => f.id === m.id);
    if (i >= 0) e.flights[i] = m;
    // The drone shows its newest mission (a finished one stays on screen until the next).
    if (e.view.mission?.id === m.id) e.view = { ...e.view, mission: m };
    this.changed.discrete(m.droneId);
  }

  /** The active mission of a drone, if any. */
  activeMission(droneId: string): MissionState | null {
    const m = this.byId.get(droneId)?.view.mission;
    return m && isActive(m.phase) ? m : null;
  }

  /** The drones to send: with `paceDue` every changed one, else those whose mission or status changed. */
  takeChanged(paceDue = true): DroneView[] {
    return this.changed.take(paceDue).map((id) => this.byId.get(id)!.view);
  }

  exportState(): DroneBookCheckpoint {
    return { entries: [...this.byId.values()].map((e) => ({ id: e.dev.id, view: e.view, track: e.track, flights: e.flights })) };
  }

  importState(cp: DroneBookCheckpoint): void {
    for (const c of cp.entries) {
      const e = this.byId.get(c.id);
      if (!e) continue;
      e.view = c.view;
      e.track = c.track;
      e.flights = c.flights;
      for (const m of c.flights) this.missions.set(m.id, m);
    }
  }
}
