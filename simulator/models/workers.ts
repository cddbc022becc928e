// Grid workers (网格员) walk their grid, leaders (网格长) their community, during working hours.
import { shanghaiDayStart } from '../../core/domain.ts';
import type { GridWorker } from '../../core/dataset.ts';
import type { SimDataset } from '../dataset.ts';
import { areaOf, bearingDeg, distanceM, inArea, jitter, moveToward, randomPointIn, round6, type Area, type Pt } from '../geo.ts';
import type { Rng } from '../../core/random.ts';
import type { Model, Sink, TickContext } from '../types.ts';

/** 'hours': on duty 08:30-17:30 Asia/Shanghai (simulated clock) with a few on night duty; 'always': never off. */
export type ShiftRule = 'hours' | 'always';

export interface WorkersConfig {
  walkMps: number;
  reportS: [number, number]; // wall seconds between position reports, per worker
  pauseMin: [number, number]; // simulated minutes spent at a waypoint
  shift: ShiftRule;
  shiftStartMin: number; // minutes after midnight
  shiftEndMin: number;
  nightDutyShare: number;
}
export const WORKERS: WorkersConfig = {
  walkMps: 1.2, reportS: [10, 30], pauseMin: [1, 10], shift: 'hours', shiftStartMin: 8 * 60 + 30, shiftEndMin: 17 * 60 + 30, nightDutyShare: 0.05,
};

interface Walker {
  w: GridWorker;
  area: Area;
  at: Pt;
  target: Pt;
  heading: number;
  moving: boolean;
  pauseUntil: number; // sim ms
  on: boolean;
  startMin: number;
  endMin: number;
  nightDuty: boolean;
  period: number; // wall ms
  nextReport: number; // wall ms
}

export class WorkersModel implements Model {
  readonly name = 'worker';
  readonly walkers: Walker[];

  constructor(
    ds: SimDataset,
    private readonly rng: Rng,
    readonly cfg: WorkersConfig = WORKERS,
  ) {
    const byCommunity = new Map<string, number[]>();
    ds.grids.forEach((g, i) => {
      const list = byCommunity.get(g.props.communityCode) ?? [];
      list.push(i);
      byCommunity.set(g.props.communityCode, list);
    });
    this.walkers = ds.devices.worker.map((w) => {
      let area: Area;
      const gridIdx = w.gridIndex >= 0 ? w.gridIndex : ds.grids.findIndex((g) => g.props.workerId === w.id);
      if (w.role === 'worker' && gridIdx >= 0) area = ds.grids[gridIdx].area;
      else {
        const grids = byCommunity.get(w.communityCode) ?? (gridIdx >= 0 ? [gridIdx] : []);
        area = grids.length > 0 ? areaOf(grids.flatMap((i) => ds.grids[i].area.polygons)) : areaOf([[[[w.lon, w.lat], [w.lon, w.lat], [w.lon, w.lat]]]]);
      }
      const at: Pt = [w.lon, w.lat];
      return {
        w, area, at, target: at, heading: 0, moving: false, pauseUntil: 0, on: true,
        startMin: cfg.shiftStartMin + rng.range(-15, 15), endMin: cfg.shiftEndMin + rng.range(-10, 20),
        nightDuty: rng.chance(cfg.nightDutyShare), period: rng.range(cfg.reportS[0], cfg.reportS[1]) * 1000, nextReport: 0,
      };
    });
  }

  onDuty(v: Walker, sim: number): boolean {
    if (this.cfg.shift === 'always' || v.nightDuty) return true;
    const min = (sim - shanghaiDayStart(sim)) / 60_000;
    return min >= v.startMin && min < v.endMin;
  }

  private pickTarget(v: Walker) {
    v.target = randomPointIn(v.area, this.rng);
  }

  private report(v: Walker, now: number, out: Sink) {
    v.nextReport = now + v.period;
    out.device({
      kind: 'worker', id: v.w.id, ts: now, status: v.on ? 'online' : 'offline', lon: round6(v.at[0]), lat: round6(v.at[1]),
      heading: Math.round(v.heading) % 360, speed: v.on && v.moving ? this.cfg.walkMps : 0,
    });
  }

  start(ctx: TickContext, out: Sink): void {
    for (const v of this.walkers) {
      // Start somewhere inside the area (the dataset position may be an office at the edge).
      if (!inArea(v.at, v.area)) v.at = randomPointIn(v.area, this.rng);
      v.at = inArea(v.at, v.area) ? v.at : jitter(v.area.center, 50, this.rng);
      this.pickTarget(v);
      v.on = this.onDuty(v, ctx.sim);
      this.report(v, ctx.now, out);
      v.nextReport = ctx.now + this.rng.next() * v.period; // spread the first reports
    }
  }

  tick(ctx: TickContext, out: Sink): void {
    for (const v of this.walkers) {
      const on = this.onDuty(v, ctx.sim);
      if (on !== v.on) {
        v.on = on;
        this.report(v, ctx.now, out); // clock in / clock out at once
      }
      if (!v.on) continue;
      v.moving = ctx.sim >= v.pauseUntil;
      if (v.moving) {
        let budget = this.cfg.walkMps * ctx.dtSim;
        while (budget > 0) {
          const d = distanceM(v.at, v.target);
          if (d > 0.5) v.heading = bearingDeg(v.at, v.target);
          const m = moveToward(v.at, v.target, budget);
          budget -= Math.min(budget, d);
          v.at = m.at;
          if (!m.arrived) break;
          // at the waypoint: stop a while (inspecting, talking to residents), then choose the next one
          v.pauseUntil = ctx.sim + this.rng.range(this.cfg.pauseMin[0], this.cfg.pauseMin[1]) * 60_000;
          this.pickTarget(v);
          break;
        }
      }
      if (ctx.now >= v.nextReport) this.report(v, ctx.now, out);
    }
  }
}
