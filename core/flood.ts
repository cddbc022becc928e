// Flood season on the Yangtze: the embankment gauges (component class 0601 水位监测点) read the
// river stage in metres above the Wusong datum; each gauge has a warning level (警戒水位) and a
// guarantee level (保证水位), the station's unless the levels file gives the gauge its own. A gauge
// has two alarms, each its own threshold rule (core/sensor-rules.ts): 江河水位超警戒 raised at the
// warning level, and the more severe 江河水位超保证 raised at the guarantee level on top of it.
// Pure: thresholds are data, stages and trends are functions of the readings.
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { SensorRule } from './sensor-rules.ts';

export const GAUGE_CLASS = '0601';

const Metres = Type.Number({ minimum: -10, maximum: 60 });
const GaugeLevelsSchema = Type.Object({ warning: Metres, guarantee: Metres }, { additionalProperties: false });
export type GaugeLevels = Static<typeof GaugeLevelsSchema>;

export const FloodLevelsSchema = Type.Object(
  {
    /** The hydrological station the levels are of (安庆). */
    station: Type.String({ minLength: 1, maxLength: 40 }),
    /** Height datum of every figure (吴淞高程). */
    datum: Type.String({ minLength: 1, maxLength: 40 }),
    warning: Metres,
    guarantee: Metres,
    /** The alarm clears once the stage is this far back below the warning level. */
    clearBelowM: Type.Number({ minimum: 0, maximum: 2 }),
    /** Readings in a row at or above the warning level before the alarm is raised. */
    confirmReadings: Type.Integer({ minimum: 1, maximum: 20 }),
    /** Gauges with levels of their own, by component id. */
    gauges: Type.Record(Type.String({ pattern: '^[0-9]{16}$' }), GaugeLevelsSchema),
  },
  { additionalProperties: false },
);
export type FloodLevels = Static<typeof FloodLevelsSchema>;

const checker = Compile(FloodLevelsSchema);

/** Validates a levels document; throws naming the first bad field (`floodLevels.gauges.…warning: …`). */
export function floodLevelsFrom(json: unknown): FloodLevels {
  if (!checker.Check(json)) {
    const e = ([...checker.Errors(json)] as Array<{ instancePath: string; message: string }>)[0];
    const field = (e?.instancePath ?? '').split('/').filter(Boolean).join('.');
    throw new Error(`floodLevels${field ? '.' + field : ''}: ${e?.message ?? 'invalid'}`);
  }
  const cfg = json as FloodLevels;
  const check = (where: string, l: GaugeLevels) => {
    if (l.guarantee <= l.warning) throw new Error(`floodLevels${where}.guarantee: must be above the warning level (${l.warning}), got ${l.guarantee}`);
  };
  check('', cfg);
  for (const [id, l] of Object.entries(cfg.gauges)) check(`.gauges.${id}`, l);
  return cfg;
}

/** The levels of one gauge: its own, else the station's. */
export function levelsOf(cfg: FloodLevels, gaugeId: string): GaugeLevels {
  return cfg.gauges[gaugeId] ?? { warning: cfg.warning, guarantee: cfg.guarantee };
}

/** The threshold rule (core/sensor-rules.ts) that raises a gauge's alarm at its warning level. */
export function floodAlarmRule(cfg: FloodLevels, levels: GaugeLevels): SensorRule {
  return { direction: 'above', raise: levels.warning, clear: levels.warning - cfg.clearBelowM, consecutive: cfg.confirmReadings, unit: 'm' };
}

/** The guarantee level's rule: a second, more severe alarm with the same confirmation and margin. */
export function floodGuaranteeRule(cfg: FloodLevels, levels: GaugeLevels): SensorRule {
  return { direction: 'above', raise: levels.guarantee, clear: levels.guarantee - cfg.clearBelowM, consecutive: cfg.confirmReadings, unit: 'm' };
}

/** Event classes (core/taxonomy.ts) of a gauge's alarms: a river flood, not 道路积水 (0503). */
export const FLOOD_EVENT_CLASS = { warning: '0506', guarantee: '0507' } as const;

export type FloodStage = 'normal' | 'warning' | 'guarantee';

/** 超保证 at or above the guarantee level, 超警戒 at or above the warning level, else normal. */
export function stageOf(levels: GaugeLevels, value: number): FloodStage {
  if (value >= levels.guarantee) return 'guarantee';
  if (value >= levels.warning) return 'warning';
  return 'normal';
}

export interface StageReading {
  ts: number;
  value: number;
}

/**
 * The rise (+) or fall (−) in metres an hour between the first and the last reading inside the
 * `windowMs` before the last one; null with fewer than two readings there or no time between them.
 */
export function trendMPerH(readings: readonly StageReading[], windowMs = 6 * 3_600_000): number | null {
  if (readings.length < 2) return null;
  const last = readings[readings.length - 1];
  const first = readings.find((r) => r.ts >= last.ts - windowMs)!;
  const hours = (last.ts - first.ts) / 3_600_000;
  return hours > 0 ? (last.value - first.value) / hours : null;
}

/** Readings closer than this give no trend: a second apart, a 9 cm step would read as 324 m/h. */
export const TREND_MIN_SPAN_MS = 10 * 60_000;

/** The reading a trend is measured from: the latest one at least `minSpanMs` before the last (in time order), or null. */
export function trendBase<R extends StageReading>(readings: readonly R[], minSpanMs = TREND_MIN_SPAN_MS): R | null {
  const last = readings.at(-1);
  if (!last) return null;
  for (let k = readings.length - 2; k >= 0; k--) if (readings[k].ts <= last.ts - minSpanMs) return readings[k];
  return null;
}

/** The latest reading of a gauge and the one its trend is measured from (trendBase; the dashboard's list shows the rise since). */
export interface GaugeReading {
  /** Component index in the dataset. */
  index: number;
  ts: number;
  value: number;
  prevTs: number | null;
  prevValue: number | null;
}

export interface GaugeRow {
  index: number;
  id: string;
  value: number;
  ts: number;
  levels: GaugeLevels;
  stage: FloodStage;
  /** Metres above (+) or below (−) the warning level. */
  overWarning: number;
  /** m/h from the last two readings; null without a previous one. */
  trend: number | null;
}

/** One row per gauge that has reported, the most threatened first (highest above its warning level). */
export function gaugeRows(cfg: FloodLevels, readings: Iterable<GaugeReading>, idOf: (index: number) => string): GaugeRow[] {
  const rows: GaugeRow[] = [];
  for (const r of readings) {
    const id = idOf(r.index);
    const levels = levelsOf(cfg, id);
    const trend = r.prevTs !== null && r.prevValue !== null ? trendMPerH([{ ts: r.prevTs, value: r.prevValue }, r]) : null;
    rows.push({ index: r.index, id, value: r.value, ts: r.ts, levels, stage: stageOf(levels, r.value), overWarning: r.value - levels.warning, trend });
  }
  return rows.sort((a, b) => b.overWarning - a.overWarning || a.id.localeCompare(b.id));
}

/** How many gauges stand at each stage. */
export function stageCounts(rows: readonly Pick<GaugeRow, 'stage'>[]): Record<FloodStage, number> {
  const out: Record<FloodStage, number> = { normal: 0, warning: 0, guarantee: 0 };
  for (const r of rows) out[r.stage]++;
  return out;
}
