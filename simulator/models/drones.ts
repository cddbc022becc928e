// Drones: several patrol flights a day from their base along the dataset's patrol route.
import { shanghaiHour } from '../../core/domain.ts';
import type { DroneDevice } from '../../core/dataset.ts';
import { bearingDeg, distanceM, moveToward, round6, type Pt } from '../geo.ts';
import type { Rng } from '../rng.ts';
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
}
export const DRONES: DroneConfig = {
  cruiseMps: 10, climbMps: 3, descendMps: 2, altRange: [80, 120], meanGapH: 4, rechargeMin: 60,
  reservePct: 10, reportFlyingS: 1, reportBaseS: 30, daytimeOnly: true,
};

type Phase = 'base' | 'takeoff' | 'cruise' | 'landing';

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
}

export class DronesModel implements Model {
  readonly name = 'drone';
  readonly drones: Drone[];

  constructor(
    devices: readonly DroneDevice[],
    private readonly rng: Rng,
    readonly cfg: DroneConfig = DRONES,
  ) {
    this.drones = devices.map((dev) => ({
      dev, base: [dev.lon, dev.lat], at: [dev.lon, dev.lat], alt: 0, cruiseAlt: 100, heading: 0, battery: 100,
      phase: 'base', targets: [], nextFlight: 0, lastReport: -Infinity, flights: 0,
    }));
  }

  private drainPerS(d: Drone) {
    return 100 / (d.dev.maxFlightMin * 60);
  }

  private report(d: Drone, now: number, out: Sink) {
    d.lastReport = now;
    out.device({
      kind: 'drone', id: d.dev.id, ts: now, status: 'online', lon: round6(d.at[0]), lat: round6(d.at[1]),
      alt: Math.round(d.alt * 10) / 10, heading: Math.round(d.heading * 10) / 10 % 360,
      speed: d.phase === 'cruise' ? this.cfg.cruiseMps : 0, battery: Math.round(d.battery * 10) / 10,
    });
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

  private step(d: Drone, sim: number, dt: number) {
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
    if (d.phase === 'takeoff') {
      d.alt += c.climbMps * dt;
      if (d.alt >= d.cruiseAlt) {
        d.alt = d.cruiseAlt;
        d.phase = 'cruise';
      }
    } else if (d.phase === 'cruise') {
      let budget = c.cruiseMps * dt;
      while (budget > 0 && d.targets.length > 0) {
        const target = d.targets[0];
        const needed = (distanceM(d.at, d.base) / c.cruiseMps + d.alt / c.descendMps) * this.drainPerS(d) + c.reservePct;
        if (d.targets.length > 1 && d.battery <= needed) {
          d.targets = [d.base]; // head home now
          continue;
        }
        const dist = distanceM(d.at, target);
        if (dist > 0) d.heading = bearingDeg(d.at, target);
        const m = moveToward(d.at, target, budget);
        budget -= Math.min(budget, dist);
        d.at = m.at;
        if (m.arrived) d.targets.shift();
      }
      if (d.targets.length === 0) d.phase = 'landing';
    } else if (d.phase === 'landing') {
      d.alt -= c.descendMps * dt;
      if (d.alt <= 0) {
        d.alt = 0;
        d.at = [d.base[0], d.base[1]];
        d.phase = 'base';
        d.nextFlight = sim + this.rng.exp(c.meanGapH * 3_600_000);
      }
    }
  }

  tick(ctx: TickContext, out: Sink): void {
    for (const d of this.drones) {
      // Sub-steps of at most 5 simulated seconds keep climb/landing and the battery check accurate.
      const steps = Math.max(1, Math.ceil(ctx.dtSim / 5));
      for (let s = 1; s <= steps; s++) this.step(d, ctx.sim - ctx.dtSim * 1000 * (1 - s / steps), ctx.dtSim / steps);
      const period = (d.phase === 'base' ? this.cfg.reportBaseS : this.cfg.reportFlyingS) * 1000;
      if (ctx.now - d.lastReport >= period - 1) this.report(d, ctx.now, out);
    }
  }
}
