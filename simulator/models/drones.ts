// Drones: several patrol flights a day from their base along the dataset's patrol route, and
// missions the duty cadre sends over the field channel (linkage/cmd/drone/<id>): take off, fly to
// the target, hover or orbit for the loiter time, come home, land — reporting each phase on the
// 'drone-missions' stream. A mission pre-empts a patrol; the battery is checked before take-off
// (refused with the reason) and all the way (home early when the way back needs it). Flight
// performance comes from core/drones.ts, the same model the server's safety check uses.
import { shanghaiHour } from '../../core/domain.ts';
import type { DroneDevice } from '../../core/dataset.ts';
import { batteryNeeded, batteryToReturn, DRONE_FLIGHT, type MissionAction, type MissionPhase, type MissionReport } from '../../core/drones.ts';
import { bearingDeg, distanceM, moveToward, round6, type Pt } from '../geo.ts';
import type { FieldChannel } from '../field.ts';
import type { Rng } from '../../core/random.ts';
import type { Model, Sink, TickContext } from '../types.ts';

export interface DroneConfig {
  cruiseMps: number;
  climbMps: number;
  descendMps: number;
  altRange: [number, number];
  meanGapH: number; // mean simulated time between flights
  rechargeMin: number; // empty to full at base
  reservePct: number; // battery kept on top of what the way home needs
  reportFlyingS: number; // wall seconds
  reportBaseS: number;
  daytimeOnly: boolean; // fly 07:00-19:00 Asia/Shanghai (simulated) only
  orbitRadiusM: number;
  orbitMps: number;
}
export const DRONES: DroneConfig = {
  cruiseMps: DRONE_FLIGHT.cruiseMps, climbMps: DRONE_FLIGHT.climbMps, descendMps: DRONE_FLIGHT.descendMps, altRange: [80, 120], meanGapH: 4, rechargeMin: 60,
  reservePct: DRONE_FLIGHT.reservePct, reportFlyingS: 1, reportBaseS: 30, daytimeOnly: true, orbitRadiusM: DRONE_FLIGHT.orbitRadiusM, orbitMps: 6,
};

type Phase = 'base' | 'takeoff' | 'cruise' | 'loiter' | 'landing';

interface ActiveMission {
  id: string;
  target: Pt;
  action: MissionAction;
  loiterS: number;
  loiterLeft: number;
  angle: number; // orbit position, radians from east
  stage: MissionPhase;
}

interface Drone {
  dev: DroneDevice;
  base: Pt;
  at: Pt;
  alt: number;
  cruiseAlt: number;
  heading: number;
  battery: number;
  phase: Phase;
  targets: Pt[]; // remaining waypoints, last one is the base
  nextFlight: number; // sim ms
  lastReport: number; // wall ms
  flights: number;
  mission: ActiveMission | null;
  missions: number;
}

interface MissionCommand {
  type: 'mission';
  id: string;
  target: { lon: number; lat: number };
  action: MissionAction;
  loiterS: number;
  altM: number;
}
type Command = MissionCommand | { type: 'recall'; missionId: string | null };

const M_PER_DEG_LAT = 111_320;

/** The point `r` metres from `c` at `angle` (radians from east). */
function offset(c: Pt, r: number, angle: number): Pt {
  const mx = M_PER_DEG_LAT * Math.cos((c[1] * Math.PI) / 180);
  return [c[0] + (r * Math.cos(angle)) / mx, c[1] + (r * Math.sin(angle)) / M_PER_DEG_LAT];
}

function parseCommand(payload: unknown): Command | null {
  if (!payload || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  if (p.type === 'recall') return { type: 'recall', missionId: typeof p.missionId === 'string' ? p.missionId : null };
  const t = p.target as { lon?: unknown; lat?: unknown } | undefined;
  if (p.type !== 'mission' || typeof p.id !== 'string' || typeof t?.lon !== 'number' || typeof t?.lat !== 'number') return null;
  if ((p.action !== 'hover' && p.action !== 'orbit') || typeof p.loiterS !== 'number' || typeof p.altM !== 'number') return null;
  return { type: 'mission', id: p.id, target: { lon: t.lon, lat: t.lat }, action: p.action, loiterS: p.loiterS, altM: p.altM };
}

export class DronesModel implements Model {
  readonly name = 'drone';
  readonly drones: Drone[];
  private readonly inbox: Array<{ id: string; cmd: Command }> = [];
  private outbox: MissionReport[] = [];
  private sending: Promise<void> = Promise.resolve();
  /** Reports the channel could not deliver (logged by the caller; the model carries on). */
  lostReports = 0;

  constructor(
    devices: readonly DroneDevice[],
    private readonly rng: Rng,
    readonly cfg: DroneConfig = DRONES,
    private readonly channel: FieldChannel | null = null,
  ) {
    this.drones = devices.map((dev) => ({
      dev, base: [dev.lon, dev.lat], at: [dev.lon, dev.lat], alt: 0, cruiseAlt: 100, heading: 0, battery: 100,
      phase: 'base', targets: [], nextFlight: 0, lastReport: -Infinity, flights: 0, mission: null, missions: 0,
    }));
    // Commands arrive between ticks; they are carried out at the next tick, in simulated time.
    channel?.onCommand('drone', (id, payload) => {
      const cmd = parseCommand(payload);
      if (cmd) this.inbox.push({ id, cmd });
    });
  }

  /** Resolves once every report queued so far was published (tests). */
  flushed(): Promise<void> {
    return this.sending;
  }

  private drainPerS(d: Drone) {
    return 100 / (d.dev.maxFlightMin * 60);
  }

  private speedOf(d: Drone): number {
    if (d.phase === 'cruise') return this.cfg.cruiseMps;
    if (d.phase === 'loiter' && d.mission?.action === 'orbit') return this.cfg.orbitMps;
    return 0;
  }

  private report(d: Drone, now: number, out: Sink) {
    d.lastReport = now;
    out.device({
      kind: 'drone', id: d.dev.id, ts: now, status: 'online', lon: round6(d.at[0]), lat: round6(d.at[1]),
      alt: Math.round(d.alt * 10) / 10, heading: Math.round(d.heading * 10) / 10 % 360,
      speed: this.speedOf(d), battery: Math.round(d.battery * 10) / 10,
    });
  }

  private phaseReport(d: Drone, missionId: string, phase: MissionPhase, now: number, reason?: string) {
    this.outbox.push({ droneId: d.dev.id, missionId, ts: now, phase, battery: Math.round(d.battery * 10) / 10, ...(reason ? { reason } : {}) });
  }

  /** Moves the mission to a new stage and reports it. */
  private stage(d: Drone, stage: MissionPhase, now: number, reason?: string) {
    const m = d.mission;
    if (!m || m.stage === stage) return;
    m.stage = stage;
    this.phaseReport(d, m.id, stage, now, reason);
    if (stage === 'docked' || stage === 'aborted') d.mission = null;
  }

  start(ctx: TickContext, out: Sink): void {
    for (const d of this.drones) {
      d.nextFlight = ctx.sim + this.rng.range(0, 20) * 60_000;
      this.report(d, ctx.now, out);
    }
  }

  private canFly(sim: number) {
    if (!this.cfg.daytimeOnly) return true;
    const h = shanghaiHour(sim);
    return h >= 7 && h < 19;
  }

  private handle(d: Drone, cmd: Command, now: number) {
    if (cmd.type === 'recall') {
      if (d.phase === 'base' || d.phase === 'landing') return;
      const m = d.mission;
      if (m && cmd.missionId !== null && cmd.missionId !== m.id) return; // an old recall
      d.targets = [d.base];
      if (d.phase === 'loiter') d.phase = 'cruise';
      if (m) this.stage(d, 'returning', now, '调度员召回');
      return;
    }
    if (d.mission) return this.phaseReport(d, cmd.id, 'refused', now, `正在执行任务 ${d.mission.id}`);
    const target: Pt = [cmd.target.lon, cmd.target.lat];
    const c = this.cfg;
    const flight = { cruiseMps: c.cruiseMps, climbMps: c.climbMps, descendMps: c.descendMps, reservePct: c.reservePct, orbitRadiusM: c.orbitRadiusM };
    const need = batteryNeeded({ lon: d.at[0], lat: d.at[1], alt: d.alt }, { lon: d.base[0], lat: d.base[1] }, d.dev.maxFlightMin, { target: cmd.target, action: cmd.action, loiterS: cmd.loiterS, altM: cmd.altM }, flight);
    if (d.battery < need) return this.phaseReport(d, cmd.id, 'refused', now, `电量不足：需 ${Math.ceil(need)}%，当前 ${Math.floor(d.battery)}%`);
    d.missions++;
    d.mission = { id: cmd.id, target, action: cmd.action, loiterS: cmd.loiterS, loiterLeft: cmd.loiterS, angle: 0, stage: 'pending' };
    d.cruiseAlt = cmd.altM;
    // The mission pre-empts a patrol: straight to the target from wherever the drone is.
    d.targets = [target];
    if (d.phase === 'base') {
      d.phase = 'takeoff';
      this.stage(d, 'takeoff', now);
    } else {
      if (d.phase === 'landing') d.phase = 'takeoff'; // climb back to the mission's altitude
      else d.phase = d.alt < d.cruiseAlt ? 'takeoff' : 'cruise';
      this.stage(d, d.phase === 'takeoff' ? 'takeoff' : 'enroute', now);
    }
  }

  private step(d: Drone, sim: number, dt: number, now: number) {
    const c = this.cfg;
    if (d.phase === 'base') {
      d.battery = Math.min(100, d.battery + (100 / (c.rechargeMin * 60)) * dt);
      if (sim >= d.nextFlight && d.battery >= 95 && this.canFly(sim)) {
        d.phase = 'takeoff';
        d.cruiseAlt = this.rng.range(c.altRange[0], c.altRange[1]);
        d.targets = [...d.dev.patrol.map((p) => [p[0], p[1]] as Pt), d.base];
        d.flights++;
      } else if (sim >= d.nextFlight && !this.canFly(sim)) d.nextFlight = sim + 30 * 60_000;
      return;
    }
    d.battery = Math.max(0, d.battery - this.drainPerS(d) * dt);
    const m = d.mission;
    const homeNeeds = () => batteryToReturn({ lon: d.at[0], lat: d.at[1], alt: d.alt }, { lon: d.base[0], lat: d.base[1] }, d.dev.maxFlightMin, { ...DRONE_FLIGHT, cruiseMps: c.cruiseMps, descendMps: c.descendMps, reservePct: c.reservePct });
    if (d.phase === 'takeoff') {
      d.alt += c.climbMps * dt;
      if (d.alt >= d.cruiseAlt) {
        d.alt = d.cruiseAlt;
        d.phase = 'cruise';
        if (m && m.stage === 'takeoff') this.stage(d, 'enroute', now);
      }
    } else if (d.phase === 'loiter' && m) {
      if (d.battery <= homeNeeds()) {
        d.phase = 'cruise';
        d.targets = [d.base];
        this.stage(d, 'returning', now, '电量不足，提前返航');
        return;
      }
      m.loiterLeft -= dt;
      if (m.action === 'orbit') {
        m.angle += (c.orbitMps / c.orbitRadiusM) * dt;
        const prev = d.at;
        d.at = offset(m.target, c.orbitRadiusM, m.angle);
        d.heading = bearingDeg(prev, d.at);
      }
      if (m.loiterLeft <= 0) {
        d.phase = 'cruise';
        d.targets = [d.base];
        this.stage(d, 'returning', now);
      }
    } else if (d.phase === 'cruise') {
      let budget = c.cruiseMps * dt;
      while (budget > 0 && d.targets.length > 0) {
        const target = d.targets[0];
        const headingHome = d.targets.length === 1 && target === d.base;
        if (!headingHome && d.battery <= homeNeeds()) {
          d.targets = [d.base]; // head home now
          if (m) this.stage(d, 'returning', now, '电量不足，提前返航');
          continue;
        }
        const dist = distanceM(d.at, target);
        if (dist > 0) d.heading = bearingDeg(d.at, target);
        const mv = moveToward(d.at, target, budget);
        budget -= Math.min(budget, dist);
        d.at = mv.at;
        if (mv.arrived) d.targets.shift();
        // On the mission's target: hover, or move out onto the orbit and circle.
        if (mv.arrived && m && m.stage === 'enroute' && target === m.target) {
          d.phase = 'loiter';
          if (m.action === 'orbit') {
            m.angle = 0;
            d.at = offset(m.target, c.orbitRadiusM, 0);
          }
          this.stage(d, 'on-station', now);
          return;
        }
      }
      if (d.targets.length === 0) {
        d.phase = 'landing';
        if (m) this.stage(d, 'landing', now);
      }
    } else if (d.phase === 'landing') {
      d.alt -= c.descendMps * dt;
      if (d.alt <= 0) {
        d.alt = 0;
        d.at = [d.base[0], d.base[1]];
        d.phase = 'base';
        d.nextFlight = sim + this.rng.exp(c.meanGapH * 3_600_000);
        if (m) this.stage(d, 'docked', now);
      }
    }
  }

  tick(ctx: TickContext, out: Sink): void {
    for (const { id, cmd } of this.inbox.splice(0)) {
      const d = this.drones.find((x) => x.dev.id === id);
      if (d) this.handle(d, cmd, ctx.now);
    }
    for (const d of this.drones) {
      // Sub-steps of at most 5 simulated seconds keep climb/landing and the battery check accurate.
      const steps = Math.max(1, Math.ceil(ctx.dtSim / 5));
      for (let s = 1; s <= steps; s++) this.step(d, ctx.sim - ctx.dtSim * 1000 * (1 - s / steps), ctx.dtSim / steps, ctx.now);
      const period = (d.phase === 'base' ? this.cfg.reportBaseS : this.cfg.reportFlyingS) * 1000;
      if (ctx.now - d.lastReport >= period - 1) this.report(d, ctx.now, out);
    }
    this.flush();
  }

  /** Publishes the phase reports of this tick, in order after the previous ones. */
  private flush() {
    if (this.outbox.length === 0 || !this.channel) return;
    const batch = this.outbox;
    this.outbox = [];
    const channel = this.channel;
    this.sending = this.sending.then(
      () => channel.publish('drone-missions', batch).catch(() => void (this.lostReports += batch.length)),
    );
  }
}
