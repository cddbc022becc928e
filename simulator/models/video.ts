// Video AI (视频智能分析): detections from the AI cameras, a few an hour; some become cases.
import { EVENT_CLASSES } from '../../core/taxonomy.ts';
import type { CameraDevice } from '../../core/dataset.ts';
import { jitter } from '../geo.ts';
import type { Rng } from '../rng.ts';
import type { Model, Sink, TickContext } from '../types.ts';
import type { CasesModel } from './cases.ts';

export interface VideoConfig {
  eventsPerHour: number; // district-wide, simulated
  minConfidence: number;
  /** Chance that a confident detection (>= caseConfidence) is turned into a case by the dispatcher. */
  caseChance: number;
  caseConfidence: number;
}
// 6/h * 24 * P(conf >= 0.7 | U[0.55, 0.99]) * 0.1 ~= 9.5 video-ai cases a day (12% of 80).
export const VIDEO: VideoConfig = { eventsPerHour: 6, minConfidence: 0.55, caseChance: 0.1, caseConfidence: 0.7 };

const AI_CLASSES = EVENT_CLASSES.filter((c) => c.videoAi);

export class VideoModel implements Model {
  readonly name = 'video';
  private readonly aiCameras: number[];
  private seq = 0;

  constructor(
    private readonly cameras: readonly CameraDevice[],
    private readonly isOnline: (i: number) => boolean,
    private readonly cases: CasesModel | null,
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
      if (this.cases && confidence >= this.cfg.caseConfidence && this.rng.chance(this.cfg.caseChance)) {
        this.cases.report(ctx, {
          source: 'video-ai', eventClass: cls.code, at: jitter([cam.lon, cam.lat], 30, this.rng), gridIndex: cam.gridIndex,
          description: `视频智能分析（${cam.name}）识别到${cls.name}，置信度${confidence}，告警编号${id}。`,
        }, out);
      }
    }
  }
}
