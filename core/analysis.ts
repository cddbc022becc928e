// Decision analysis (决策分析) computed from the cases: trends by hour/day/week with the previous
// period beside them, hot spots (places where cases repeat), and the drill-down from a figure to the
// cases behind it. Pure: time windows are given, buckets are Asia/Shanghai calendar units.
import type { CaseState } from './cases/model.ts';
import { distanceM } from './geo.ts';
import { DEPARTMENT_BY_ID } from './org.ts';
import { SHANGHAI_OFFSET_MS } from './time.ts';

export const BUCKETS = ['hour', 'day', 'week'] as const;
export type Bucket = (typeof BUCKETS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Start of the Asia/Shanghai hour, day or ISO week (Monday) containing t, as UTC ms. */
export function bucketStart(t: number, bucket: Bucket): number {
  if (bucket === 'hour') return Math.floor(t / HOUR) * HOUR;
  const local = t + SHANGHAI_OFFSET_MS;
  const day = Math.floor(local / DAY) * DAY;
  if (bucket === 'day') return day - SHANGHAI_OFFSET_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY - SHANGHAI_OFFSET_MS;
}

export function nextBucket(start: number, bucket: Bucket): number {
  return start + (bucket === 'hour' ? HOUR : bucket === 'day' ? DAY : 7 * DAY);
}

export interface TrendPoint {
  start: number;
  reported: number;
  closed: number;
  /** Cases whose handling deadline passed in the bucket without feedback by then. */
  overdue: number;
}

export interface Trend {
  bucket: Bucket;
  current: TrendPoint[];
  /** The same number of buckets right before, for comparison (环比). */
  previous: TrendPoint[];
  totals: { current: Omit<TrendPoint, 'start'>; previous: Omit<TrendPoint, 'start'> };
}

function series(cases: readonly CaseState[], from: number, to: number, bucket: Bucket): TrendPoint[] {
  const points: TrendPoint[] = [];
  const index = new Map<number, TrendPoint>();
  for (let s = bucketStart(from, bucket); s < to; s = nextBucket(s, bucket)) {
    const p = { start: s, reported: 0, closed: 0, overdue: 0 };
    points.push(p);
    index.set(s, p);
  }
  const at = (t: number | null) => (t !== null && t >= from && t < to ? index.get(bucketStart(t, bucket)) : undefined);
  for (const c of cases) {
    const r = at(c.reportedAt);
    if (r) r.reported++;
    const cl = at(c.closedAt);
    if (cl) cl.closed++;
    if (c.deadline !== null && c.voidedAt === null && (c.handledAt === null || c.handledAt > c.deadline)) {
      const o = at(c.deadline);
      if (o) o.overdue++;
    }
  }
  return points;
}

const sum = (ps: TrendPoint[]) => ps.reduce((a, p) => ({ reported: a.reported + p.reported, closed: a.closed + p.closed, overdue: a.overdue + p.overdue }), { reported: 0, closed: 0, overdue: 0 });

/** Cases reported, closed and gone overdue per bucket over [from, to), and over the period before it. */
export function trend(cases: readonly CaseState[], from: number, to: number, bucket: Bucket): Trend {
  const current = series(cases, from, to, bucket);
  const span = to - from;
  const previous = series(cases, from - span, from, bucket);
  return { bucket, current, previous, totals: { current: sum(current), previous: sum(previous) } };
}

/** The bucket that suits a window: hours up to two days, days up to ~2 months, weeks beyond. */
export function bucketFor(spanMs: number): Bucket {
  return spanMs <= 2 * DAY ? 'hour' : spanMs <= 62 * DAY ? 'day' : 'week';
}

export interface HotSpot {
  lon: number;
  lat: number;
  count: number;
  open: number;
  /** The most frequent event class there. */
  eventClass: string;
  townshipCode: string;
  communityCode: string;
  caseIds: string[];
}

/**
 * Places where cases repeat: cases within `radiusM` of a spot's first case join it (greedy, in
 * report order, on a grid of radius-sized cells so it stays linear); spots with at least
 * `minCases` are returned, biggest first.
 */
export function hotspots(cases: readonly CaseState[], radiusM = 100, minCases = 3, limit = 50): HotSpot[] {
  const cellDeg = radiusM / 111_320;
  const cells = new Map<string, Array<{ spot: HotSpot; classes: Map<string, number> }>>();
  const spots: Array<{ spot: HotSpot; classes: Map<string, number> }> = [];
  const key = (x: number, y: number) => `${x},${y}`;
  const sorted = [...cases].sort((a, b) => a.reportedAt - b.reportedAt || a.id.localeCompare(b.id));
  for (const c of sorted) {
    const cx = Math.floor(c.lon / cellDeg);
    const cy = Math.floor(c.lat / cellDeg);
    let best: { spot: HotSpot; classes: Map<string, number> } | null = null;
    let bestD = Infinity;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const s of cells.get(key(cx + dx, cy + dy)) ?? []) {
          const d = distanceM([s.spot.lon, s.spot.lat], [c.lon, c.lat]);
          if (d <= radiusM && d < bestD) {
            best = s;
            bestD = d;
          }
        }
      }
    }
    if (!best) {
      best = { spot: { lon: c.lon, lat: c.lat, count: 0, open: 0, eventClass: c.eventClass, townshipCode: c.townshipCode, communityCode: c.communityCode, caseIds: [] }, classes: new Map() };
      spots.push(best);
      const k = key(cx, cy);
      cells.set(k, [...(cells.get(k) ?? []), best]);
    }
    best.spot.count++;
    if (c.closedAt === null && c.voidedAt === null) best.spot.open++;
    best.spot.caseIds.push(c.id);
    best.classes.set(c.eventClass, (best.classes.get(c.eventClass) ?? 0) + 1);
  }
  return spots
    .filter((s) => s.spot.count >= minCases)
    .map(({ spot, classes }) => ({ ...spot, eventClass: [...classes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0] }))
    .sort((a, b) => b.count - a.count || a.caseIds[0].localeCompare(b.caseIds[0]))
    .slice(0, limit);
}

/** What a drill-down filters on: a breakdown row, a trend bucket, or a measure. */
export interface DrillFilter {
  by?: 'township' | 'department' | 'source' | 'class';
  key?: string;
  /** Only the cases that count for this measure in [from, to). */
  measure?: 'reported' | 'closed' | 'overdue' | 'open';
}

/** The cases behind a figure: those of [from, to) that match the filter, newest first. */
export function drill(cases: readonly CaseState[], from: number, to: number, f: DrillFilter, limit = 500): CaseState[] {
  const inWindow = (t: number | null) => t !== null && t >= from && t < to;
  const measure = f.measure ?? 'reported';
  const out = cases.filter((c) => {
    if (f.by && f.key !== undefined) {
      // The same keys as kpisBy (core/cases/kpi.ts): a case never dispatched is in no unit's row.
      const v = f.by === 'township' ? c.townshipCode : f.by === 'department' ? c.assignee : f.by === 'source' ? c.source : c.eventClass;
      if (v !== f.key) return false;
    }
    if (measure === 'reported') return inWindow(c.reportedAt);
    if (measure === 'closed') return inWindow(c.closedAt);
    if (measure === 'open') return c.reportedAt < to && (c.closedAt === null || c.closedAt >= to) && (c.voidedAt === null || c.voidedAt >= to);
    return c.deadline !== null && c.voidedAt === null && inWindow(c.deadline) && (c.handledAt === null || c.handledAt > c.deadline);
  });
  return out.sort((a, b) => b.reportedAt - a.reportedAt || a.id.localeCompare(b.id)).slice(0, limit);
}

/** A department id's name (for labels), or the id. */
export const unitName = (id: string): string => DEPARTMENT_BY_ID.get(id)?.name ?? id;
