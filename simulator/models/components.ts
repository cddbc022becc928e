// City components (城市部件): damage reports and repairs district-wide, and readings from the
// sensorized ones (water level, cover tilt, smoke, gas, lamp power) with occasional alarms.
import { shanghaiHour } from '../../core/domain.ts';
import { COMPONENT_CLASS_BY_CODE, type SensorMetric } from '../../core/taxonomy.ts';
import type { SimDataset } from '../dataset.ts';
import type { Rng } from '../../core/random.ts';
import { PeriodicSchedule } from '../schedule.ts';
import { GAUGE_CLASS } from '../../core/flood.ts';
import { gaugeReading, riverStage } from './river.ts';
import type { Model, Sink, TickContext } from '../types.ts';

export interface ComponentsConfig {
  damagePerDay: number; // district-wide, simulated
  repairMedianH: number;
  readingS: number; // wall seconds between readings of one sensor
  alarmsPerDay: number; // district-wide sensor excursions, simulated
  alarmMedianMin: number;
}
export const COMPONENTS: ComponentsConfig = { damagePerDay: 100, repairMedianH: 6, readingS: 300, alarmsPerDay: 6, alarmMedianMin: 20 };

/**
 * Normal range, alarm threshold and alarm range of each metric (units in README). The server decides
 * alarms by its rules (data/sensor-rules.json): normal values stay below their clear thresholds and
 * excursion values above their raise thresholds, so each simulated excursion is one server alarm.
 */
export const SENSOR_RULES: Record<SensorMetric, { unit: string; normal: [number, number]; threshold: number; alarm: [number, number] }> = {
  'water-level': { unit: 'm', normal: [0.05, 0.4], threshold: 0.8, alarm: [0.9, 1.6] },
  'cover-tilt': { unit: 'deg', normal: [0, 3], threshold: 10, alarm: [15, 70] },
  smoke: { unit: '%obs/m', normal: [0, 0.8], threshold: 3, alarm: [4, 15] },
  gas: { unit: '%LEL', normal: [0, 3], threshold: 10, alarm: [20, 60] },
  'lamp-power': { unit: 'W', normal: [90, 130], threshold: 200, alarm: [250, 400] },
};

const ONLINE = 0, FAULT = 2, ALARM = 3;
// A sensor in an excursion still reports itself 'online': the alarm is the server's call from the value.
const STATUS = ['online', 'offline', 'fault', 'online'] as const;
/** Readings sent at the start of an excursion (the embankment rules want two in a row to raise). */
export const EXCURSION_READINGS = 2;

export type AlarmHook = (component: number, metric: SensorMetric, now: number) => void;

export class ComponentsModel implements Model {
  readonly name = 'component';
  readonly state: Uint8Array;
  private readonly repairAt = new Map<number, number>();
  private readonly alarmEnd = new Map<number, number>();
  private readonly sensors: Int32Array; // sensorized component indices
  private readonly metrics: (SensorMetric | undefined)[];
  private readonly schedule: PeriodicSchedule;
  onAlarm?: AlarmHook;
  /** Simulated time of the tick being played (the river's season). */
  private sim = 0;

  constructor(
    private readonly ds: SimDataset,
    private readonly rng: Rng,
    readonly cfg: ComponentsConfig = COMPONENTS,
  ) {
    const c = ds.components;
    this.state = new Uint8Array(c.count);
    this.sensors = Int32Array.from(c.sensorized.filter((i) => COMPONENT_CLASS_BY_CODE.get(c.classCode[i])?.sensor));
    this.metrics = Array.from(this.sensors, (i) => COMPONENT_CLASS_BY_CODE.get(c.classCode[i])?.sensor);
    this.schedule = new PeriodicSchedule(this.sensors.length, cfg.readingS * 1000, () => rng.next());
  }

  faultCount() {
    return this.repairAt.size;
  }
  alarmCount() {
    return this.alarmEnd.size;
  }

  private damage(i: number, sim: number, remaining = 1): boolean {
    if (this.state[i] === FAULT) return false;
    this.alarmEnd.delete(i);
    this.state[i] = FAULT;
    this.repairAt.set(i, sim + this.rng.logNormal(this.cfg.repairMedianH * 3_600_000, 0.8) * remaining);
    return true;
  }

  /** Readings of the embankment gauges (class 0601) are the river's stage, metres above the Wusong datum. */
  private isGauge(k: number): boolean {
    return this.ds.components.classCode[this.sensors[k]] === GAUGE_CLASS;
  }

  private value(k: number, now: number): number {
    if (this.isGauge(k)) return gaugeReading(riverStage(this.sim), k, this.rng.next());
    const metric = this.metrics[k]!;
    const rule = SENSOR_RULES[metric];
    const [lo, hi] = this.state[this.sensors[k]] === ALARM ? rule.alarm : rule.normal;
    if (metric === 'lamp-power' && this.state[this.sensors[k]] !== ALARM) {
      const h = shanghaiHour(now);
      if (h >= 6 && h < 18) return Math.round(this.rng.range(0, 2) * 10) / 10; // lamps off by day
    }
    return Math.round(this.rng.range(lo, hi) * 100) / 100;
  }

  private reading(k: number, now: number, out: Sink) {
    const i = this.sensors[k];
    out.device({ kind: 'component', id: this.ds.components.code[i], ts: now, status: STATUS[this.state[i]], metric: this.metrics[k], value: this.value(k, now) });
  }

  /** An excursion starts: a quick burst of readings past the threshold (a sensor reports faster when out of range). */
  private excursion(k: number, now: number, out: Sink) {
    for (let j = EXCURSION_READINGS - 1; j >= 0; j--) this.reading(k, now - j, out);
  }

  private status(i: number, now: number, out: Sink) {
    out.device({ kind: 'component', id: this.ds.components.code[i], ts: now, status: STATUS[this.state[i]] });
  }

  start(ctx: TickContext, out: Sink): void {
    this.sim = ctx.sim;
    const meanRepairH = this.cfg.repairMedianH * Math.exp(0.32);
    const initial = this.rng.poisson((this.cfg.damagePerDay / 24) * meanRepairH);
    for (let k = 0; k < initial; k++) this.damage(this.rng.int(this.state.length), ctx.sim, this.rng.next());
    const isSensor = new Map<number, number>();
    this.sensors.forEach((i, k) => isSensor.set(i, k));
    for (let i = 0; i < this.state.length; i++) {
      const k = isSensor.get(i);
      if (k === undefined) this.status(i, ctx.now, out);
      else this.reading(k, ctx.now, out);
    }
    this.schedule.due(ctx.now, () => {});
  }

  tick(ctx: TickContext, out: Sink): void {
    this.sim = ctx.sim;
    const perS = 1 / 86_400;
    const damages = this.rng.poisson(this.cfg.damagePerDay * perS * ctx.dtSim);
    for (let k = 0; k < damages; k++) {
      const i = this.rng.int(this.state.length);
      if (this.damage(i, ctx.sim)) this.status(i, ctx.now, out);
    }
    for (const [i, at] of this.repairAt) {
      if (at > ctx.sim) continue;
      this.repairAt.delete(i);
      this.state[i] = ONLINE;
      this.status(i, ctx.now, out);
    }
    if (this.sensors.length > 0) {
      const alarms = this.rng.poisson(this.cfg.alarmsPerDay * perS * ctx.dtSim);
      for (let a = 0; a < alarms; a++) {
        const k = this.rng.int(this.sensors.length);
        const i = this.sensors[k];
        // The river does not jump: gauges take no excursions.
        if (this.state[i] !== ONLINE || this.isGauge(k)) continue;
        this.state[i] = ALARM;
        this.alarmEnd.set(i, ctx.sim + this.rng.logNormal(this.cfg.alarmMedianMin * 60_000, 0.7));
        this.excursion(k, ctx.now, out);
        this.onAlarm?.(i, this.metrics[k]!, ctx.now);
      }
    }
    if (this.alarmEnd.size > 0) {
      const kOf = new Map<number, number>();
      for (const [i, at] of this.alarmEnd) {
        if (at > ctx.sim) continue;
        this.alarmEnd.delete(i);
        this.state[i] = ONLINE;
        kOf.set(i, -1);
      }
      if (kOf.size > 0) this.sensors.forEach((i, k) => kOf.has(i) && this.reading(k, ctx.now, out));
    }
    this.schedule.due(ctx.now, (k) => this.reading(k, ctx.now, out));
  }
}
