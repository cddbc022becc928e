// The indicators slice of the live store: the server's KPIs, the events-per-second series for the
// line chart and the events counted. Pure updaters; knows nothing of the store that composes it.
import type { Kpis, KpisChange } from '../../../core/protocol.ts';
import type { CaseSummary } from '../../../core/domain.ts';
import { OPEN_STAGES } from '../../../core/cases/model.ts';
import { shanghaiDayStart, shanghaiHour } from '../../../core/time.ts';

/** Events-per-second samples kept for the line chart (one per second). */
export const RATE_SAMPLES = 300;

export interface KpisState {
  kpis: Kpis | null;
  /** Events per second samples: [serverTimeSecond, value]. */
  rate: { t: Float64Array; v: Float32Array; head: number; len: number };
  eventsTotal: number;
  version: { kpis: number };
}

export function initKpis(): KpisState {
  return { kpis: null, rate: { t: new Float64Array(RATE_SAMPLES), v: new Float32Array(RATE_SAMPLES), head: 0, len: 0 }, eventsTotal: 0, version: { kpis: 0 } };
}

function pushRate(s: KpisState, serverTime: number, value: number): void {
  const sec = Math.floor(serverTime / 1000) * 1000;
  const r = s.rate;
  const last = (r.head - 1 + RATE_SAMPLES) % RATE_SAMPLES;
  // Time ran backwards (a replay jumped back): the old samples belong to another timeline.
  if (r.len > 0 && sec < r.t[last]) resetRate(s);
  if (r.len > 0 && r.t[last] === sec) {
    r.v[last] = value; // same second: keep the latest reading
    return;
  }
  r.t[r.head] = sec;
  r.v[r.head] = value;
  r.head = (r.head + 1) % RATE_SAMPLES;
  if (r.len < RATE_SAMPLES) r.len++;
}

/** A snapshot's KPIs and their events-per-second sample. */
export function applySnapshot(s: KpisState, kpis: Kpis, serverTime: number): void {
  s.kpis = kpis;
  s.version.kpis++;
  pushRate(s, serverTime, kpis.eventsPerSecond);
}

/** A delta's KPI round (when it carries one: the parts that changed, and the rate) and the events it counted. */
export function applyDelta(s: KpisState, kpis: KpisChange | undefined, serverTime: number, events: number): void {
  if (kpis && s.kpis) {
    s.kpis = { ...s.kpis, ...kpis };
    s.version.kpis++;
    pushRate(s, serverTime, kpis.eventsPerSecond);
  }
  s.eventsTotal += events;
}

/**
 * Cases that entered the feed between two rounds of the server's KPIs (which come a few times a
 * second at most, and a new case goes out at once): counted here at the same moment, so 今日上报 never
 * lags the feed by a case. The server's next KPIs replace these counts; they were computed after
 * the case, so they include it. `serverTime`: the server's clock as last heard.
 */
export function countNewCases(s: KpisState, added: readonly CaseSummary[], serverTime: number): void {
  const k = s.kpis;
  if (!k || added.length === 0) return;
  const cases = { ...k.cases, byHour: [...k.cases.byHour], openBySource: { ...k.cases.openBySource } };
  for (const c of added) {
    // Today as the server counts it: reported since 00:00 Asia/Shanghai of the server's day.
    if (c.reportedAt >= shanghaiDayStart(Math.max(serverTime, c.reportedAt))) {
      cases.today++;
      cases.byHour[shanghaiHour(c.reportedAt)]++;
    }
    if (OPEN_STAGES.has(c.stage)) {
      cases.open++;
      cases.openBySource[c.source] = (cases.openBySource[c.source] ?? 0) + 1;
    }
  }
  s.kpis = { ...k, cases };
  s.version.kpis++;
}

export function reset(s: KpisState): void {
  s.kpis = null;
  s.version.kpis++;
}

/** Forgets the events-per-second samples (entering or leaving a replay starts another timeline). */
export function resetRate(s: Pick<KpisState, 'rate'>): void {
  s.rate.head = 0;
  s.rate.len = 0;
}

/** Rate samples oldest first. */
export function rateSeries(s: Pick<KpisState, 'rate'>): [number, number][] {
  const r = s.rate;
  const out: [number, number][] = [];
  const start = (r.head - r.len + RATE_SAMPLES) % RATE_SAMPLES;
  for (let i = 0; i < r.len; i++) {
    const j = (start + i) % RATE_SAMPLES;
    out.push([r.t[j], r.v[j]]);
  }
  return out;
}
