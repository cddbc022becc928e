// The whole field: every model wired together, driven by one tick. Sensor excursions (readings
// past the rules' thresholds) and video-AI detections are only reported: the server turns them
// into alarms and cases, and the simulated staff (loop/) find those cases in their queues.
import type { SimDataset } from './dataset.ts';
import { ComponentsModel, COMPONENTS } from './models/components.ts';
import { CasesModel, CASE_RATES } from './models/cases.ts';
import { DronesModel, DRONES } from './models/drones.ts';
import { BROADCAST, CAMERA, FixedDevicesModel, LOOKOUT } from './models/fixed.ts';
import { VideoModel } from './models/video.ts';
import { WeatherModel, WEATHER } from './models/weather.ts';
import { WorkersModel, WORKERS, type ShiftRule } from './models/workers.ts';
import { Rng } from '../core/random.ts';
import type { Model, Sink, TickContext } from './types.ts';
import { BroadcastCommandsModel } from './models/broadcast-commands.ts';
import type { FieldChannel } from './field.ts';

export interface WorldOptions {
  seed: number;
  runTag: string;
  shift: ShiftRule;
  /** The MQTT field channel: drones take missions from it and report on it (none: patrols only). */
  field?: FieldChannel | null;
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
  readonly weather: WeatherModel;
  readonly models: Model[];
  /** Answers broadcast commands once a field channel (MQTT) is attached. */
  broadcastAnswers: BroadcastCommandsModel | null = null;
  private readonly answerRng: Rng;

  constructor(ds: SimDataset, opts: WorldOptions) {
    const root = new Rng(opts.seed);
    const d = ds.devices;
    this.cameras = new FixedDevicesModel(d.camera.map((c) => c.id), CAMERA, root.fork());
    this.lookouts = new FixedDevicesModel(d.lookout.map((c) => c.id), { ...LOOKOUT, extra: (i) => ({ heading: d.lookout[i].heading % 360 }) }, root.fork());
    this.broadcast = new FixedDevicesModel(d.broadcast.map((c) => c.id), BROADCAST, root.fork());
    this.components = new ComponentsModel(ds, root.fork(), COMPONENTS);
    this.drones = new DronesModel(d.drone, root.fork(), { ...DRONES, daytimeOnly: opts.shift === 'hours' }, opts.field ?? null);
    this.workers = new WorkersModel(ds, root.fork(), { ...WORKERS, shift: opts.shift });
    this.cases = new CasesModel(ds, root.fork(), opts.runTag, CASE_RATES);
    this.video = new VideoModel(d.camera, (i) => this.cameras.isOnline(i), root.fork(), opts.runTag);
    this.answerRng = root.fork();
    // Forked last, so the other models' streams stay what they were.
    this.weather = new WeatherModel(root.fork(), WEATHER);
    this.models = [this.cameras, this.lookouts, this.broadcast, this.components, this.drones, this.workers, this.video, this.cases, this.weather];
  }

  /** Broadcast points take their commands from the field channel and acknowledge there (offline points stay silent). */
  attachField(field: FieldChannel, speed: number): void {
    this.broadcastAnswers = new BroadcastCommandsModel(field, this.broadcast.ids, (i) => this.broadcast.status(i), this.answerRng, speed);
  }

  start(ctx: TickContext, out: Sink) {
    for (const m of this.models) m.start(ctx, out);
  }

  tick(ctx: TickContext, out: Sink) {
    for (const m of this.models) m.tick(ctx, out);
  }
}
