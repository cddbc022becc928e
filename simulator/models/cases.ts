// Cases (案件) at the district's real rate (~80 a day), each moved through its stages over
// realistic durations: reported -> filed -> dispatched (deadline) -> handling -> handled -> closed.
import { shanghaiDayStart, shanghaiHour, type CaseSource, type CaseStage, type Urgency } from '../../core/domain.ts';
import type { CaseRecord } from '../../core/protocol.ts';
import { EVENT_CLASSES, EVENT_CLASS_BY_CODE, type EventClass } from '../../core/taxonomy.ts';
import type { SimDataset } from '../dataset.ts';
import { randomPointIn, round6, type Pt } from '../geo.ts';
import type { Rng } from '../rng.ts';
import type { Model, Sink, TickContext } from '../types.ts';

/** Cases per simulated day that this model opens by itself; video-ai and sensor cases come from their models via report(). */
export const CASE_RATES: Partial<Record<CaseSource, number>> = {
  patrol: 44, 'hotline-12345': 16, 'hotline-12319': 6.4, citizen: 1, 'city-brain': 0.6,
};

/** Relative case intake by hour of day (Asia/Shanghai), normalized to mean 1 below. */
const HOURLY = [0.2, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.6, 1.9, 1.9, 1.6, 1.0, 1.2, 1.8, 1.9, 1.8, 1.4, 1.0, 0.8, 0.7, 0.5, 0.4, 0.3];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / 24;

export const OUTCOMES = { onTime: 0.87, late: 0.08, longOpen: 0.03, voided: 0.02 };
/** Share of patrol cases handled by the grid worker on the spot (巡办合一), closed within minutes. */
export const ON_THE_SPOT = 0.6;

const MIN = 60_000;
const NEXT: Record<CaseStage, CaseStage | null> = {
  reported: 'filed', filed: 'dispatched', dispatched: 'handling', handling: 'handled', handled: 'closed', closed: null, voided: null,
};

interface OpenCase {
  rec: CaseRecord;
  times: Partial<Record<CaseStage, number>>; // sim ms at which the case enters each later stage
  limitMs: number;
  lastWall: number;
}

export interface ReportInput {
  source: CaseSource;
  eventClass: string;
  at: Pt;
  gridIndex: number;
  description?: string;
}

export class CasesModel implements Model {
  readonly name = 'cases';
  readonly open = new Map<string, OpenCase>();
  private seq = 0;
  private hotlineSerial = new Map<string, number>();
  private readonly gridWeights: number[];
  /** Counters for tests and logs. */
  readonly stats = { reported: 0, closed: 0, closedLate: 0, voided: 0, bySource: {} as Record<string, number> };

  constructor(
    private readonly ds: SimDataset,
    private readonly rng: Rng,
    private readonly runTag: string,
    readonly rates: Partial<Record<CaseSource, number>> = CASE_RATES,
  ) {
    this.gridWeights = ds.grids.map((g) => Math.max(1, g.props.residents || 1));
  }

  start(): void {}

  tick(ctx: TickContext, out: Sink): void {
    const hourFactor = HOURLY[shanghaiHour(ctx.sim)] / HOURLY_MEAN;
    for (const [source, perDay] of Object.entries(this.rates) as [CaseSource, number][]) {
      const n = this.rng.poisson((perDay / 86_400) * hourFactor * ctx.dtSim);
      for (let k = 0; k < n; k++) this.reportRandom(ctx, source, out);
    }
    for (const c of this.open.values()) this.advance(c, ctx, out);
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
      if (source === 'patrol') return big !== '05';
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
    const day = new Date(shanghaiDayStart(now) + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
    const key = line + day;
    const serial = (this.hotlineSerial.get(key) ?? this.rng.int(50)) + 1 + this.rng.int(12); // other districts' calls in between
    this.hotlineSerial.set(key, serial);
    return `${line}-${day}-${String(serial).padStart(6, '0')}`;
  }

  /** Opens a case now (called by the video and sensor models too). */
  report(ctx: TickContext, input: ReportInput, out: Sink): CaseRecord {
    const cls = EVENT_CLASS_BY_CODE.get(input.eventClass) ?? EVENT_CLASSES[0];
    const place = this.place(input.gridIndex, input.at);
    const urgency: Urgency = this.rng.chance(cls.code.startsWith('05') ? 0.5 : 0.05) ? 'urgent' : 'normal';
    const id = `SIM-${this.runTag}-${String(++this.seq).padStart(6, '0')}`;
    const rec: CaseRecord = {
      id, source: input.source, eventClass: cls.code, title: `${place}${cls.name}`,
      description: input.description ?? describe(input.source, place, cls),
      stage: 'reported', urgency, lon: round6(input.at[0]), lat: round6(input.at[1]), reportedAt: ctx.now, updatedAt: ctx.now,
    };
    if (input.source === 'hotline-12345') rec.hotlineOrderNo = this.hotlineNo('12345', ctx.now);
    if (input.source === 'hotline-12319') rec.hotlineOrderNo = this.hotlineNo('12319', ctx.now);
    const c: OpenCase = { rec, times: this.plan(input.source, cls, ctx.sim), limitMs: cls.limitHours * 3_600_000, lastWall: ctx.now };
    this.open.set(id, c);
    this.stats.reported++;
    this.stats.bySource[input.source] = (this.stats.bySource[input.source] ?? 0) + 1;
    out.case({ ...rec });
    return rec;
  }

  /** Simulated times of every stage from `t0`, chosen so ~87% close on time, ~8% late, a few stay open long. */
  plan(source: CaseSource, cls: EventClass, t0: number): OpenCase['times'] {
    const r = this.rng;
    const limit = cls.limitHours * 3_600_000;
    if (source === 'patrol' && r.chance(ON_THE_SPOT)) {
      const filed = t0 + r.range(1, 3) * MIN;
      const dispatched = filed + r.range(0.5, 2) * MIN;
      const handling = dispatched + r.range(0.2, 1) * MIN;
      const handled = handling + r.range(4, Math.min(25, cls.limitHours * 30)) * MIN;
      return { filed, dispatched, handling, handled, closed: handled + r.range(2, 10) * MIN };
    }
    const u = r.next();
    if (u < OUTCOMES.voided) return { voided: t0 + r.logNormal(20 * MIN, 0.6) };
    const fast = source.startsWith('hotline') || source === 'sensor' || source === 'video-ai';
    const filed = t0 + Math.min(r.logNormal((fast ? 8 : 15) * MIN, 0.6), 90 * MIN);
    const dispatched = filed + Math.min(r.logNormal(10 * MIN, 0.6), 60 * MIN);
    const f = u < OUTCOMES.voided + OUTCOMES.onTime ? r.range(0.25, 0.95) : u < 1 - OUTCOMES.longOpen ? r.range(1.1, 2.5) : r.range(8, 30);
    const closed = dispatched + limit * f;
    const span = closed - dispatched;
    const handling = dispatched + span * r.range(0.05, 0.2);
    const handled = closed - span * r.range(0.03, 0.12);
    return { filed, dispatched, handling, handled, closed };
  }

  private advance(c: OpenCase, ctx: TickContext, out: Sink) {
    for (;;) {
      const next = c.rec.stage === 'reported' && c.times.voided !== undefined ? 'voided' : NEXT[c.rec.stage];
      if (!next) break;
      const at = c.times[next];
      if (at === undefined || at > ctx.sim) break;
      // wall time at which the stage was entered (within this tick), kept strictly increasing
      const wall = Math.max(c.lastWall + 1, Math.round(ctx.now - (ctx.sim - at) / ctx.speed));
      c.lastWall = wall;
      c.rec.stage = next;
      c.rec.updatedAt = wall;
      if (next === 'dispatched') c.rec.deadline = Math.round(wall + c.limitMs / ctx.speed);
      out.case({ ...c.rec });
      if (next === 'closed' || next === 'voided') {
        this.open.delete(c.rec.id);
        if (next === 'voided') this.stats.voided++;
        else {
          this.stats.closed++;
          if (c.rec.deadline !== undefined && wall > c.rec.deadline) this.stats.closedLate++;
        }
        break;
      }
    }
  }
}

function describe(source: CaseSource, place: string, cls: EventClass): string {
  switch (source) {
    case 'patrol': return `网格员巡查发现${place}${cls.name}，已拍照上报。`;
    case 'hotline-12345': return `市民拨打12345热线反映${place}存在${cls.name}问题，请尽快处理。`;
    case 'hotline-12319': return `市民拨打12319城建热线反映${place}${cls.name}。`;
    case 'video-ai': return `视频智能分析在${place}识别到${cls.name}。`;
    case 'sensor': return `物联感知设备在${place}报警：${cls.name}。`;
    case 'city-brain': return `安庆城市大脑推送：${place}${cls.name}。`;
    default: return `群众通过“慧治大观”反映${place}${cls.name}。`;
  }
}

