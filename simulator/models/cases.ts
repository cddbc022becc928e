// Case intake (发现): new reports at the district's real rate, from the sources the simulator plays
// itself. Video-AI and sensor cases are opened by the server from alarms, and every later step of
// the loop is a command given by the simulated staff (simulator/loop/), so this model only reports.
import { shanghaiDayStart, shanghaiHour, type CaseSource, type Urgency } from '../../core/domain.ts';
import type { CaseRecord } from '../../core/protocol.ts';
import { EVENT_CLASSES, EVENT_CLASS_BY_CODE, type EventClass } from '../../core/taxonomy.ts';
import type { SimDataset } from '../dataset.ts';
import { randomPointIn, round6, type Pt } from '../geo.ts';
import type { Rng } from '../../core/random.ts';
import type { Model, Sink, TickContext } from '../types.ts';
import { shanghaiDate } from '../../core/time.ts';

/**
 * Reports per simulated day by source. With the server's ~12 video-AI and ~2 sensor cases a day
 * the district sees ~80 a day (DOMAIN.md §1): patrol 55%, 12345 20%, 12319 8%.
 */
export const CASE_RATES: Partial<Record<CaseSource, number>> = {
  patrol: 44, 'hotline-12345': 16, 'hotline-12319': 6.4, citizen: 1, 'city-brain': 0.6,
};

/** Chance that a report is urgent (急要件): emergencies (05xx) half the time, anything else rarely. */
export const URGENT_CHANCE = { emergency: 0.5, other: 0.05 };

/** Relative case intake by hour of day (Asia/Shanghai), normalized to mean 1 below. */
const HOURLY = [0.2, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.6, 1.9, 1.9, 1.6, 1.0, 1.2, 1.8, 1.9, 1.8, 1.4, 1.0, 0.8, 0.7, 0.5, 0.4, 0.3];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / 24;

export interface ReportInput {
  source: CaseSource;
  eventClass: string;
  at: Pt;
  gridIndex: number;
  description?: string;
}

export class CasesModel implements Model {
  readonly name = 'cases';
  private seq = 0;
  private hotlineSerial = new Map<string, number>();
  private readonly gridWeights: number[];
  private readonly workerIds: Set<string>;
  /** Counters for tests and logs. */
  readonly stats = { reported: 0, bySource: {} as Record<string, number> };

  constructor(
    private readonly ds: SimDataset,
    private readonly rng: Rng,
    private readonly runTag: string,
    readonly rates: Partial<Record<CaseSource, number>> = CASE_RATES,
  ) {
    this.gridWeights = ds.grids.map((g) => Math.max(1, g.props.residents || 1));
    this.workerIds = new Set(ds.devices.worker.map((w) => w.id));
  }

  start(): void {}

  tick(ctx: TickContext, out: Sink): void {
    const hourFactor = HOURLY[shanghaiHour(ctx.sim)] / HOURLY_MEAN;
    for (const [source, perDay] of Object.entries(this.rates) as [CaseSource, number][]) {
      const n = this.rng.poisson((perDay / 86_400) * hourFactor * ctx.dtSim);
      for (let k = 0; k < n; k++) this.reportRandom(ctx, source, out);
    }
  }

  private reportRandom(ctx: TickContext, source: CaseSource, out: Sink) {
    if (this.ds.grids.length === 0) return;
    const gridIndex = this.rng.weighted(this.gridWeights);
    const cls = this.pickClass(source);
    this.report(ctx, { source, eventClass: cls.code, at: randomPointIn(this.ds.grids[gridIndex].area, this.rng), gridIndex }, out);
  }

  private pickClass(source: CaseSource): EventClass {
    const pool = EVENT_CLASSES.filter((c) => {
      const big = c.code.slice(0, 2);
      if (source === 'patrol') return big !== '05'; // emergencies come in by phone and sensors
      if (source === 'hotline-12319') return big === '01' || big === '03' || big === '04' || big === '06';
      return true;
    });
    return this.rng.pick(pool);
  }

  private place(gridIndex: number, at: Pt): string {
    const grid = this.ds.grids[gridIndex];
    const code = grid?.props.communityCode;
    const community = code ? this.ds.manifest.communities.find((c) => c.code === code) : undefined;
    if (community) return community.name;
    let best = this.ds.manifest.communities[0];
    let bestD = Infinity;
    for (const c of this.ds.manifest.communities) {
      const d = (c.center[0] - at[0]) ** 2 + (c.center[1] - at[1]) ** 2;
      if (d < bestD) [best, bestD] = [c, d];
    }
    return best?.name ?? this.ds.manifest.district.name;
  }

  private hotlineNo(line: '12345' | '12319', now: number): string {
    const day = shanghaiDate(now).replaceAll('-', '');
    const key = line + day;
    const serial = (this.hotlineSerial.get(key) ?? this.rng.int(50)) + 1 + this.rng.int(12); // other districts' calls in between
    this.hotlineSerial.set(key, serial);
    return `${line}-${day}-${String(serial).padStart(6, '0')}`;
  }

  /** Reports a case now. A patrol report names the grid's worker: they may close it on the spot. */
  report(ctx: TickContext, input: ReportInput, out: Sink): CaseRecord {
    const cls = EVENT_CLASS_BY_CODE.get(input.eventClass) ?? EVENT_CLASSES[0];
    const place = this.place(input.gridIndex, input.at);
    const urgency: Urgency = this.rng.chance(cls.code.startsWith('05') ? URGENT_CHANCE.emergency : URGENT_CHANCE.other) ? 'urgent' : 'normal';
    const id = `SIM-${this.runTag}-${String(++this.seq).padStart(6, '0')}`;
    const rec: CaseRecord = {
      id, source: input.source, eventClass: cls.code, title: `${place}${cls.name}`,
      description: input.description ?? describe(input.source, place, cls),
      urgency, lon: round6(input.at[0]), lat: round6(input.at[1]), reportedAt: ctx.now,
    };
    const worker = this.ds.grids[input.gridIndex]?.props.workerId;
    if (input.source === 'patrol' && worker && this.workerIds.has(worker)) rec.reporter = worker;
    if (input.source === 'hotline-12345') rec.hotlineOrderNo = this.hotlineNo('12345', ctx.now);
    if (input.source === 'hotline-12319') rec.hotlineOrderNo = this.hotlineNo('12319', ctx.now);
    this.stats.reported++;
    this.stats.bySource[input.source] = (this.stats.bySource[input.source] ?? 0) + 1;
    out.case(rec);
    return rec;
  }
}

function describe(source: CaseSource, place: string, cls: EventClass): string {
  switch (source) {
    case 'patrol': return `网格员巡查发现${place}${cls.name}，已拍照上报。`;
    case 'hotline-12345': return `市民拨打12345热线反映${place}存在${cls.name}问题，请尽快处理。`;
    case 'hotline-12319': return `市民拨打12319城建热线反映${place}${cls.name}。`;
    case 'city-brain': return `安庆城市大脑推送：${place}${cls.name}。`;
    default: return `群众通过“慧治大观”反映${place}${cls.name}。`;
  }
}
