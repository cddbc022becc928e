// Fixed devices that heartbeat and occasionally drop out: cameras, lookouts, broadcast points.
import type { DeviceKind, DeviceStatus } from '../../core/domain.ts';
import type { Rng } from '../../core/random.ts';
import { PeriodicSchedule } from '../schedule.ts';
import type { Model, Sink, TickContext } from '../types.ts';

export interface FixedConfig {
  kind: Extract<DeviceKind, 'camera' | 'lookout' | 'broadcast'>;
  heartbeatS: number;
  /** Chance per hour (simulated) that an online device fails. */
  failPerHour: number;
  /** Median outage, simulated minutes (log-normal: from minutes to hours). */
  outageMedianMin: number;
  /** Share of failures reported as 'fault' (device up, function broken) rather than 'offline'. */
  faultShare: number;
  /** Extra fields sent with every heartbeat (e.g. a lookout's heading). */
  extra?: (i: number) => Record<string, number>;
}

export const CAMERA: Omit<FixedConfig, 'extra'> = { kind: 'camera', heartbeatS: 60, failPerHour: 0.02, outageMedianMin: 70, faultShare: 0.1 };
export const LOOKOUT: Omit<FixedConfig, 'extra'> = { kind: 'lookout', heartbeatS: 60, failPerHour: 0.004, outageMedianMin: 40, faultShare: 0.2 };
export const BROADCAST: Omit<FixedConfig, 'extra'> = { kind: 'broadcast', heartbeatS: 60, failPerHour: 0.003, outageMedianMin: 120, faultShare: 0.2 };

const ONLINE = 0, DOWN = 1;

export class FixedDevicesModel implements Model {
  readonly name: string;
  private readonly state: Uint8Array;
  private readonly downStatus: DeviceStatus[];
  private readonly upAt = new Map<number, number>(); // device -> sim ms it comes back
  private readonly schedule: PeriodicSchedule;
  private online: number;

  constructor(
    readonly ids: readonly string[],
    readonly cfg: FixedConfig,
    private readonly rng: Rng,
  ) {
    this.name = cfg.kind;
    this.state = new Uint8Array(ids.length);
    this.downStatus = new Array(ids.length).fill('offline');
    this.online = ids.length;
    this.schedule = new PeriodicSchedule(ids.length, cfg.heartbeatS * 1000, () => rng.next());
  }

  status(i: number): DeviceStatus {
    return this.state[i] === ONLINE ? 'online' : this.downStatus[i];
  }
  isOnline(i: number): boolean {
    return this.state[i] === ONLINE;
  }
  downCount(): number {
    return this.ids.length - this.online;
  }

  private medianOutageMs() {
    return this.cfg.outageMedianMin * 60_000;
  }

  private fail(i: number, sim: number, remainingFraction = 1) {
    if (this.state[i] !== ONLINE) return false;
    this.state[i] = DOWN;
    this.online--;
    this.downStatus[i] = this.rng.chance(this.cfg.faultShare) ? 'fault' : 'offline';
    this.upAt.set(i, sim + this.rng.logNormal(this.medianOutageMs(), 1) * remainingFraction);
    return true;
  }

  private record(i: number, now: number) {
    return { kind: this.cfg.kind, id: this.ids[i], ts: now, status: this.status(i), ...this.cfg.extra?.(i) };
  }

  start(ctx: TickContext, out: Sink): void {
    // Steady state: share down = rate * mean outage / (1 + rate * mean outage).
    const meanH = (this.medianOutageMs() * Math.exp(0.5)) / 3_600_000;
    const down = (this.cfg.failPerHour * meanH) / (1 + this.cfg.failPerHour * meanH);
    for (let i = 0; i < this.ids.length; i++) if (this.rng.chance(down)) this.fail(i, ctx.sim, this.rng.next());
    for (let i = 0; i < this.ids.length; i++) out.device(this.record(i, ctx.now));
    this.schedule.due(ctx.now, () => {});
  }

  tick(ctx: TickContext, out: Sink): void {
    const failures = this.rng.poisson((this.cfg.failPerHour / 3600) * this.online * ctx.dtSim);
    for (let k = 0; k < failures; k++) {
      const i = this.rng.int(this.ids.length);
      if (this.fail(i, ctx.sim)) out.device(this.record(i, ctx.now));
    }
    for (const [i, at] of this.upAt) {
      if (at > ctx.sim) continue;
      this.upAt.delete(i);
      this.state[i] = ONLINE;
      this.online++;
      out.device(this.record(i, ctx.now));
    }
    this.schedule.due(ctx.now, (i) => out.device(this.record(i, ctx.now)));
  }
}
