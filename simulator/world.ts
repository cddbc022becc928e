// The whole field: every model wired together, driven by one tick.
import type { SensorMetric } from '../core/taxonomy.ts';
import type { SimDataset } from './dataset.ts';
import { jitter } from './geo.ts';
import { ComponentsModel, COMPONENTS } from './models/components.ts';
import { CasesModel, CASE_RATES } from './models/cases.ts';
import { DronesModel, DRONES } from './models/drones.ts';
import { BROADCAST, CAMERA, FixedDevicesModel, LOOKOUT } from './models/fixed.ts';
import { VideoModel } from './models/video.ts';
import { WorkersModel, WORKERS, type ShiftRule } from './models/workers.ts';
import { Rng } from './rng.ts';
import type { Model, Sink, TickContext } from './types.ts';

/** Sensor alarms that a dispatcher may turn into a case, and the event class they become. */
export const SENSOR_CASE_CLASS: Partial<Record<SensorMetric, string>> = {
  'water-level': '0503', 'cover-tilt': '0601', gas: '0502', 'lamp-power': '0602',
};
/** ~40 alarms a day * 0.06 ~= 2.4 sensor cases a day (3% of 80). */
export const SENSOR_CASE_CHANCE = 0.06;

export interface WorldOptions {
  seed: number;
  runTag: string;
  shift: ShiftRule;
}

export class World {
  readonly cameras: FixedDevicesModel;
  readonly lookouts: FixedDevicesModel;
  readonly broadcast: FixedDevicesModel;
  readonly components: ComponentsModel;
  readonly drones: DronesModel;
  readonly workers: WorkersModel;
  readonly cases: CasesModel;
  readonly video: VideoModel;
  readonly models: Model[];
  private pendingAlarms: { i: number; metric: SensorMetric }[] = [];

  constructor(ds: SimDataset, opts: WorldOptions) {
    const root = new Rng(opts.seed);
    const d = ds.devices;
    this.cameras = new FixedDevicesModel(d.camera.map((c) => c.id), CAMERA, root.fork());
    this.lookouts = new FixedDevicesModel(d.lookout.map((c) => c.id), { ...LOOKOUT, extra: (i) => ({ heading: d.lookout[i].heading % 360 }) }, root.fork());
    this.broadcast = new FixedDevicesModel(d.broadcast.map((c) => c.id), BROADCAST, root.fork());
    this.components = new ComponentsModel(ds, root.fork(), COMPONENTS);
    this.drones = new DronesModel(d.drone, root.fork(), { ...DRONES, daytimeOnly: opts.shift === 'hours' });
    this.workers = new WorkersModel(ds, root.fork(), { ...WORKERS, shift: opts.shift });
    this.cases = new CasesModel(ds, root.fork(), opts.runTag, CASE_RATES);
    this.video = new VideoModel(d.camera, (i) => this.cameras.isOnline(i), this.cases, root.fork(), opts.runTag);
    const caseRng = root.fork();
    this.components.onAlarm = (i, metric) => {
      if (SENSOR_CASE_CLASS[metric] && caseRng.chance(SENSOR_CASE_CHANCE)) this.pendingAlarms.push({ i, metric });
    };
    this.models = [this.cameras, this.lookouts, this.broadcast, this.components, this.drones, this.workers, this.video, this.cases];
    this.sensorCase = (ctx, out) => {
      for (const { i, metric } of this.pendingAlarms) {
        const c = ds.components;
        this.cases.report(ctx, {
          source: 'sensor', eventClass: SENSOR_CASE_CLASS[metric]!, at: jitter([c.lon[i], c.lat[i]], 5, caseRng), gridIndex: c.gridIndex[i],
          description: `物联感知设备${c.code[i]}（${metric}）超阈值报警，派员核查。`,
        }, out);
      }
      this.pendingAlarms = [];
    };
  }

  private readonly sensorCase: (ctx: TickContext, out: Sink) => void;

  start(ctx: TickContext, out: Sink) {
    for (const m of this.models) m.start(ctx, out);
  }

  tick(ctx: TickContext, out: Sink) {
    for (const m of this.models) m.tick(ctx, out);
    this.sensorCase(ctx, out);
  }
}
