// Video AI (视频智能分析): detections from the AI cameras, a few an hour. The server turns them into
// alarms and opens (or merges into) video-AI cases itself.
import { EVENT_CLASSES } from '../../core/taxonomy.ts';
import type { CameraDevice } from '../../core/dataset.ts';
import type { Rng } from '../../core/random.ts';
import type { Model, Sink, TickContext } from '../types.ts';

export interface VideoConfig {
  eventsPerHour: number; // district-wide, simulated
  minConfidence: number;
}
export const VIDEO: VideoConfig = { eventsPerHour: 3, minConfidence: 0.55 };

const AI_CLASSES = EVENT_CLASSES.filter((c) => c.videoAi);

export class VideoModel implements Model {
  readonly name = 'video';
  private readonly aiCameras: number[];
  private seq = 0;

  constructor(
    private readonly cameras: readonly CameraDevice[],
    private readonly isOnline: (i: number) => boolean,
    private readonly rng: Rng,
    private readonly runTag: string,
    readonly cfg: VideoConfig = VIDEO,
  ) {
    this.aiCameras = cameras.flatMap((c, i) => (c.ai ? [i] : []));
  }

  start(): void {}

  tick(ctx: TickContext, out: Sink): void {
    if (this.aiCameras.length === 0) return;
    const n = this.rng.poisson((this.cfg.eventsPerHour / 3600) * ctx.dtSim);
    for (let k = 0; k < n; k++) {
      const i = this.rng.pick(this.aiCameras);
      if (!this.isOnline(i)) continue;
      const cam = this.cameras[i];
      const cls = this.rng.pick(AI_CLASSES);
      const confidence = Math.round(this.rng.range(this.cfg.minConfidence, 0.99) * 100) / 100;
      const id = `VE-${this.runTag}-${String(++this.seq).padStart(6, '0')}`;
      out.video({ id, cameraId: cam.id, ts: ctx.now, eventClass: cls.code, confidence, note: `${cam.name} 识别到${cls.name}` });
    }
  }
}
