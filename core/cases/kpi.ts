// Evaluation indicators (GB/T 30428.4 as commonly implemented, DOMAIN.md §3) and the hotline
// "three rates" (§4), as pure functions of case states. The caller filters by period and scope;
// `now` is a parameter, the wall clock is never read.
//
// | 中文        | English               | formula                                          |
// |-------------|-----------------------|--------------------------------------------------|
// | 结案率      | closureRate           | closed / dueToClose                              |
// | 按期结案率  | onTimeClosureRate     | closedOnTime / dueToClose                        |
// | 超期结案率  | lateClosureRate       | closedLate / dueToClose                          |
// | 处置率      | handlingRate          | handled / dueToHandle                            |
// | 按期处置率  | onTimeHandlingRate    | handledOnTime / dueToHandle                      |
// | 有效上报率  | validReportRate       | filed / decided                                  |
// | 按时派遣率  | onTimeDispatchRate    | dispatchedOnTime / dispatched                    |
// | 准确派遣率  | accurateDispatchRate  | (dispatched − returned) / dispatched             |
// | 返工率      | reworkRate            | reworked / dispatched                            |
// | 响应率      | responseRate          | respondedInTime / dueToRespond                   |
// | 解决率      | resolutionRate        | resolved / callbacks                             |
// | 满意率      | satisfactionRate      | satisfied (incl. 'basic') / rated                |
//
// Counters and the choices behind the denominators (an auditor's checklist):
// - reported: every case given. decided = filedAt or voidedAt set; cases still awaiting
//   verification do not count against 有效上报率. A case filed then voided counts as filed.
// - dispatched = dispatchedAt set (first dispatch; a re-dispatch after 回退 is the same case).
//   dispatchedOnTime: dispatchedAt ≤ dispatchDueAt (no due time = no limit = on time).
//   returned (returns > 0) and reworked (reworks > 0) count dispatched cases only, so the rates
//   stay in 0..1. 返工率 uses failed re-checks (reworks), not 回退 (which 准确派遣率 already counts).
// - dueToHandle: dispatched and (handled, or deadline ≤ now). handled/handledOnTime count
//   dispatched cases with handledAt (on time: handledAt ≤ deadline, none = on time).
// - dueToClose: not voided and (closed, or filed with deadline ≤ now). Every closed case is due,
//   so 结案率 ≤ 1 even for an on-the-spot closure (巡办合一) without filedAt.
//   closedOnTime: closed and (deadline null or closedAt ≤ deadline): on-the-spot closures have no
//   deadline and are on time. closedLate = closed − closedOnTime.
// - The deadline is the case's current one, so an approved extension (延期) moves it.
// - open: stage not closed/voided. overdue: open, clock running (dispatched/handling), now > deadline
//   (deferred and parked cases have no running clock, as isOverdue() in model.ts).
// - Hotline (hotline !== null): respondedAt = the earlier of filedAt and hotline.repliedAt.
//   dueToRespond: responded, or reportedAt + responseMs ≤ now (the window has run out).
//   respondedInTime: respondedAt − reportedAt ≤ responseMs (default 2 h). callbacks = callbackAt set;
//   resolved = those with resolved === true. rated = rating set; satisfied = 'satisfied' + 'basic'.
// - Rates are fractions 0..1, null when the denominator is 0. Average stage times (ms) are means
//   over the cases having both timestamps, null when none has.
import { isOverdue, OPEN_STAGES, type CaseState } from './model.ts';

export const DEFAULT_RESPONSE_MS = 2 * 3600_000;

export interface KpiCounts {
  reported: number; decided: number; filed: number; voided: number;
  dispatched: number; dispatchedOnTime: number; returned: number; reworked: number;
  dueToHandle: number; handled: number; handledOnTime: number;
  dueToClose: number; closed: number; closedOnTime: number; closedLate: number;
  open: number; overdue: number;
  hotline: number; dueToRespond: number; respondedInTime: number;
  callbacks: number; resolved: number; rated: number; satisfied: number;
}

export interface KpiRates {
  closureRate: number | null; onTimeClosureRate: number | null; lateClosureRate: number | null;
  handlingRate: number | null; onTimeHandlingRate: number | null;
  validReportRate: number | null; onTimeDispatchRate: number | null;
  accurateDispatchRate: number | null; reworkRate: number | null;
  responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null;
}

/** Mean durations in ms; null when no case has both ends. */
export interface StageTimes {
  reportToFile: number | null; fileToDispatch: number | null; dispatchToHandle: number | null;
  handleToClose: number | null; reportToClose: number | null;
}

export interface KpiSet { counts: KpiCounts; rates: KpiRates; avgMs: StageTimes }

export interface KpiOptions { responseMs?: number }

export type KpiGroupKey = 'township' | 'department' | 'source' | 'class';

/** Running totals for one group, allocated once per group, never per case. sum/n are indexed in
 *  StageTimes order: reportToFile, fileToDispatch, dispatchToHandle, handleToClose, reportToClose. */
interface Acc { c: KpiCounts; sum: number[]; n: number[] }

function newAcc(): Acc {
  const c: KpiCounts = {
    reported: 0, decided: 0, filed: 0, voided: 0, dispatched: 0, dispatchedOnTime: 0, returned: 0, reworked: 0,
    dueToHandle: 0, handled: 0, handledOnTime: 0, dueToClose: 0, closed: 0, closedOnTime: 0, closedLate: 0,
    open: 0, overdue: 0, hotline: 0, dueToRespond: 0, respondedInTime: 0, callbacks: 0, resolved: 0, rated: 0, satisfied: 0,
  };
  return { c, sum: [0, 0, 0, 0, 0], n: [0, 0, 0, 0, 0] };
}

function span(a: Acc, i: number, from: number | null, to: number | null): void {
  if (from === null || to === null) return;
  a.sum[i] += to - from;
  a.n[i]++;
}

function add(a: Acc, x: CaseState, now: number, responseMs: number): void {
  const c = a.c;
  c.reported++;
  const filed = x.filedAt !== null;
  const voided = x.voidedAt !== null;
  if (filed || voided) c.decided++;
  if (filed) c.filed++;
  if (voided) c.voided++;
  if (x.dispatchedAt !== null) {
    c.dispatched++;
    if (x.dispatchDueAt === null || x.dispatchedAt <= x.dispatchDueAt) c.dispatchedOnTime++;
    if (x.returns > 0) c.returned++;
    if (x.reworks > 0) c.reworked++;
    if (x.handledAt !== null || (x.deadline !== null && x.deadline <= now)) c.dueToHandle++;
    if (x.handledAt !== null) {
      c.handled++;
      if (x.deadline === null || x.handledAt <= x.deadline) c.handledOnTime++;
    }
  }
  const closed = x.closedAt !== null && !voided;
  if (x.closedAt !== null && !voided) { // (repeated so TS narrows closedAt)
    c.closed++;
    if (x.deadline === null || x.closedAt <= x.deadline) c.closedOnTime++;
    else c.closedLate++;
  }
  if (closed || (filed && !voided && x.deadline !== null && x.deadline <= now)) c.dueToClose++;
  if (OPEN_STAGES.has(x.stage)) {
    c.open++;
    if (isOverdue(x, now)) c.overdue++;
  }
  span(a, 0, x.reportedAt, x.filedAt);
  span(a, 1, x.filedAt, x.dispatchedAt);
  span(a, 2, x.dispatchedAt, x.handledAt);
  if (closed) {
    span(a, 3, x.handledAt, x.closedAt);
    span(a, 4, x.reportedAt, x.closedAt);
  }
  const h = x.hotline;
  if (h !== null) {
    c.hotline++;
    const respondedAt = x.filedAt === null ? h.repliedAt : h.repliedAt === null ? x.filedAt : Math.min(x.filedAt, h.repliedAt);
    if (respondedAt !== null || x.reportedAt + responseMs <= now) c.dueToRespond++;
    if (respondedAt !== null && respondedAt - x.reportedAt <= responseMs) c.respondedInTime++;
    if (h.callbackAt !== null) {
      c.callbacks++;
      if (h.resolved === true) c.resolved++;
    }
    if (h.rating !== null) {
      c.rated++;
      if (h.rating === 'satisfied' || h.rating === 'basic') c.satisfied++;
    }
  }
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

function finish(a: Acc): KpiSet {
  const c = a.c;
  const avg = (i: number): number | null => ratio(a.sum[i], a.n[i]);
  return {
    counts: c,
    rates: {
      closureRate: ratio(c.closed, c.dueToClose),
      onTimeClosureRate: ratio(c.closedOnTime, c.dueToClose),
      lateClosureRate: ratio(c.closedLate, c.dueToClose),
      handlingRate: ratio(c.handled, c.dueToHandle),
      onTimeHandlingRate: ratio(c.handledOnTime, c.dueToHandle),
      validReportRate: ratio(c.filed, c.decided),
      onTimeDispatchRate: ratio(c.dispatchedOnTime, c.dispatched),
      accurateDispatchRate: ratio(c.dispatched - c.returned, c.dispatched),
      reworkRate: ratio(c.reworked, c.dispatched),
      responseRate: ratio(c.respondedInTime, c.dueToRespond),
      resolutionRate: ratio(c.resolved, c.callbacks),
      satisfactionRate: ratio(c.satisfied, c.rated),
    },
    avgMs: { reportToFile: avg(0), fileToDispatch: avg(1), dispatchToHandle: avg(2), handleToClose: avg(3), reportToClose: avg(4) },
  };
}

/** All indicators over `cases`, in one pass. */
export function computeKpis(cases: Iterable<CaseState>, now: number, opts: KpiOptions = {}): KpiSet {
  const responseMs = opts.responseMs ?? DEFAULT_RESPONSE_MS;
  const a = newAcc();
  for (const x of cases) add(a, x, now, responseMs);
  return finish(a);
}

function keyOf(x: CaseState, key: KpiGroupKey): string | null {
  switch (key) {
    case 'township': return x.townshipCode; // '' = outside every grid, kept as its own row
    case 'department': return x.assignee; // never dispatched: in no unit's row
    case 'source': return x.source;
    case 'class': return x.eventClass;
  }
}

/** Indicators per township, unit (assignee: department or center), source or event class; sorted by key. */
export function kpisBy(cases: Iterable<CaseState>, now: number, key: KpiGroupKey, opts: KpiOptions = {}): Array<{ key: string; kpis: KpiSet }> {
  const responseMs = opts.responseMs ?? DEFAULT_RESPONSE_MS;
  const groups = new Map<string, Acc>();
  for (const x of cases) {
    const k = keyOf(x, key);
    if (k === null) continue;
    let a = groups.get(k);
    if (a === undefined) groups.set(k, (a = newAcc()));
    add(a, x, now, responseMs);
  }
  return [...groups.keys()].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0)).map((k) => ({ key: k, kpis: finish(groups.get(k)!) }));
}

/** Cases reported in [from, to). An array, so the result can be passed to several calls. */
export function inPeriod(cases: Iterable<CaseState>, from: number, to: number): CaseState[] {
  const out: CaseState[] = [];
  for (const x of cases) if (x.reportedAt >= from && x.reportedAt < to) out.push(x);
  return out;
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';

/** A ≥ 90 %, B ≥ 75 %, C ≥ 60 %, D ≥ 40 %, E below; null for no data. */
export function grade(rate: number | null): Grade | null {
  if (rate === null || Number.isNaN(rate)) return null;
  if (rate >= 0.9) return 'A';
  if (rate >= 0.75) return 'B';
  if (rate >= 0.6) return 'C';
  if (rate >= 0.4) return 'D';
  return 'E';
}

/**
 * Composite for rankings, 0..1 (so grade(score(k)) works):
 *   0.4 × 按期结案率 + 0.3 × 按期处置率 + 0.2 × 准确派遣率 + 0.1 × (1 − 返工率).
 * Null parts are skipped and the remaining weights renormalized (a unit with nothing due to close
 * is judged on the rest); null when every part is null.
 */
export function score(k: KpiSet): number | null {
  const r = k.rates;
  const parts: Array<[number, number | null]> = [
    [0.4, r.onTimeClosureRate],
    [0.3, r.onTimeHandlingRate],
    [0.2, r.accurateDispatchRate],
    [0.1, r.reworkRate === null ? null : 1 - r.reworkRate],
  ];
  let sum = 0;
  let weight = 0;
  for (const [w, v] of parts) {
    if (v === null) continue;
    sum += w * v;
    weight += w;
  }
  return weight === 0 ? null : sum / weight;
}
