// 吹哨报到 (DOMAIN.md §1, seed 001): a township or community center blows a whistle on a case in its
// area; "1+N" units are summoned (one lead, N supporting departments) and each department must report
// in (报到) within the kind's limit. The center closes the whistle only when the matter is done
// (事不完、人不撤) and rates every department's cooperation (配合度). Same event-sourcing shape as the
// case lifecycle: decide() turns a command into one event or a coded error, evolve() applies it.
// Pure: no I/O, time comes in as UTC ms.
import { DEPARTMENT_BY_ID, actorProblem, centerId, inScope, placeInScope, type Actor } from './org.ts';
import { OPEN_STAGES, type ActorRef, type CaseStage, type CaseState } from './cases/model.ts';

export type WhistleKind = 'quick' | 'emergency' | 'assault';
/** The three whistles and their report-in limits in natural minutes (not working time: a whistle is urgent). */
export const WHISTLE_KINDS: Readonly<Record<WhistleKind, { zh: string; en: string; limitMin: number }>> = {
  quick: { zh: '快捷哨', en: 'Quick whistle', limitMin: 30 },
  emergency: { zh: '应急哨', en: 'Emergency whistle', limitMin: 15 },
  assault: { zh: '攻坚哨', en: 'Assault whistle', limitMin: 120 },
};
export const WHISTLE_KIND_IDS = Object.keys(WHISTLE_KINDS) as WhistleKind[];
/** N of "1+N" is at most this many supporting departments. */
export const MAX_SUPPORTING = 12;
/** The matter is done (handled, or further): the whistle may close without force. */
export const MATTER_DONE_STAGES: ReadonlySet<CaseStage> = new Set(['handled', 'rechecked', 'closed']);
const MINUTE = 60_000;

export interface SummonedUnit { unit: string; reportedAt: number | null; by: string | null; rating: number | null }
export interface WhistleState {
  id: string;
  caseId: string;
  kind: WhistleKind;
  blownAt: number;
  blownBy: ActorRef;
  center: string; // admin code of the whistling center
  lead: string; // department id or 'LC-<center>'
  supporting: SummonedUnit[];
  deadline: number; // report-in deadline
  closedAt: number | null;
  note?: string; // note given when blowing
  closeNote?: string;
  forced?: boolean; // closed by a duty leader before the matter was done
  version: number; // events applied
}

export type WhistleCommand =
  | { type: 'blow'; whistleId: string; caseId: string; kind: WhistleKind; lead: string; supporting: string[]; note?: string }
  | { type: 'report-in'; note?: string }
  | { type: 'close'; ratings: Record<string, number>; force?: boolean; note?: string };

interface EventBase { whistleId: string; at: number; actor: ActorRef; note?: string }
/** Self-contained: the deadline is in the event, so replay never depends on today's limits. */
export type WhistleEvent =
  | (EventBase & { type: 'blown'; caseId: string; kind: WhistleKind; center: string; lead: string; supporting: string[]; deadline: number })
  | (EventBase & { type: 'reported-in'; unit: string })
  | (EventBase & { type: 'closed'; ratings: Record<string, number>; forced: boolean });

export const WHISTLE_ERROR_CODES = ['FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'INVALID_COMMAND'] as const;
export type WhistleErrorCode = (typeof WHISTLE_ERROR_CODES)[number];
export type WhistleDecision = { ok: true; event: WhistleEvent } | { ok: false; code: WhistleErrorCode; message: string };

export interface WhistleContext {
  now: number;
  caseOf: (caseId: string) => Pick<CaseState, 'id' | 'stage' | 'townshipCode' | 'communityCode'> | undefined;
  /** Report-in limits in minutes, overriding WHISTLE_KINDS. */
  limits?: Partial<Record<WhistleKind, number>>;
}

const fail = (code: WhistleErrorCode, message: string): WhistleDecision => ({ ok: false, code, message });
const refOf = (a: Actor): ActorRef => ({ id: a.id, name: a.name, role: a.role, org: a.org });
const iso = (ms: number) => new Date(ms).toISOString();
const withNote = (note: string | undefined) => (note === undefined ? {} : { note });

/** Why this actor may not blow (or close) a whistle for its own center; null when it may. */
function whistlerProblem(actor: Actor): string | null {
  if (actor.role !== 'township-operator' && actor.role !== 'community-operator' && actor.role !== 'duty-leader') {
    return `a ${actor.role} cannot blow or close a whistle: only township/community operators and duty leaders`;
  }
  return actorProblem(actor);
}


/** The report-in limit in ms for a kind, or the reason the configured limit is unusable. */
export function limitMs(kind: WhistleKind, limits?: Partial<Record<WhistleKind, number>>): number | string {
  const min = limits?.[kind] ?? WHISTLE_KINDS[kind].limitMin;
  if (!Number.isFinite(min) || min <= 0) return `the ${kind} whistle limit must be a positive number of minutes, got ${min}`;
  return min * MINUTE;
}

export function decide(state: WhistleState | null, cmd: WhistleCommand, actor: Actor, ctx: WhistleContext): WhistleDecision {
  if (!Number.isFinite(ctx.now)) return fail('INVALID_COMMAND', `now must be a UTC time in ms, got ${ctx.now}`);
  if (cmd.type === 'blow') return decideBlow(state, cmd, actor, ctx);
  if (!state) return fail('NOT_FOUND', `no whistle has been blown to ${cmd.type}`);
  if (state.closedAt !== null) return fail('INVALID_TRANSITION', `whistle ${state.id} was closed at ${iso(state.closedAt)}`);
  if (ctx.now < state.blownAt) return fail('INVALID_COMMAND', `time ${iso(ctx.now)} is before whistle ${state.id} was blown (${iso(state.blownAt)})`);
  return cmd.type === 'report-in' ? decideReportIn(state, cmd, actor, ctx) : decideClose(state, cmd, actor, ctx);
}

function decideBlow(state: WhistleState | null, cmd: Extract<WhistleCommand, { type: 'blow' }>, actor: Actor, ctx: WhistleContext): WhistleDecision {
  if (state) return fail('INVALID_TRANSITION', `whistle ${state.id} is already blown`);
  const who = whistlerProblem(actor);
  if (who) return fail('FORBIDDEN', who);
  if (typeof cmd.whistleId !== 'string' || cmd.whistleId === '') return fail('INVALID_COMMAND', 'whistleId must be a non-empty string');
  if (!Object.hasOwn(WHISTLE_KINDS, cmd.kind)) return fail('INVALID_COMMAND', `unknown whistle kind "${cmd.kind}" (expected ${WHISTLE_KIND_IDS.join(', ')})`);
  const limit = limitMs(cmd.kind, ctx.limits);
  if (typeof limit === 'string') return fail('INVALID_COMMAND', limit);
  const c = ctx.caseOf(cmd.caseId);
  if (!c) return fail('NOT_FOUND', `case ${cmd.caseId} does not exist`);
  const center = actor.org;
  if (!placeInScope(center, c)) {
    return fail('FORBIDDEN', `case ${c.id} (${c.communityCode || c.townshipCode || 'outside every grid'}) is outside the area of center ${center}`);
  }
  // Whistling summons people to an unfinished matter; a handled case needs no one to report in.
  if (!OPEN_STAGES.has(c.stage) || MATTER_DONE_STAGES.has(c.stage)) {
    return fail('INVALID_TRANSITION', `case ${c.id} is ${c.stage}: only an unfinished case can be whistled`);
  }
  if (!DEPARTMENT_BY_ID.has(cmd.lead) && cmd.lead !== centerId(center)) {
    return fail('INVALID_COMMAND', `lead "${cmd.lead}" must be a department or this center ${centerId(center)}`);
  }
  const sup = cmd.supporting;
  if (!Array.isArray(sup) || sup.length === 0) return fail('INVALID_COMMAND', '1+N needs at least one supporting department (N ≥ 1)');
  if (sup.length > MAX_SUPPORTING) return fail('INVALID_COMMAND', `at most ${MAX_SUPPORTING} supporting departments, got ${sup.length}`);
  const seen = new Set<string>();
  for (const unit of sup) {
    if (!DEPARTMENT_BY_ID.has(unit)) return fail('INVALID_COMMAND', `supporting unit "${unit}" is not a department`);
    if (unit === cmd.lead) return fail('INVALID_COMMAND', `${unit} is the lead and cannot also be a supporting department`);
    if (seen.has(unit)) return fail('INVALID_COMMAND', `department ${unit} is listed twice among the supporting`);
    seen.add(unit);
  }
  return {
    ok: true,
    event: {
      type: 'blown', whistleId: cmd.whistleId, at: ctx.now, actor: refOf(actor), caseId: c.id, kind: cmd.kind,
      center, lead: cmd.lead, supporting: [...sup], deadline: ctx.now + limit, ...withNote(cmd.note),
    },
  };
}

function decideReportIn(state: WhistleState, cmd: Extract<WhistleCommand, { type: 'report-in' }>, actor: Actor, ctx: WhistleContext): WhistleDecision {
  if (actor.role !== 'department') return fail('FORBIDDEN', `only department staff report in (报到), not a ${actor.role}`);
  const entry = state.supporting.find((s) => s.unit === actor.org);
  if (!entry) {
    if (actor.org === state.lead) return fail('FORBIDDEN', `${actor.org} leads whistle ${state.id}; only supporting departments report in`);
    return fail('FORBIDDEN', `${actor.org} is not summoned by whistle ${state.id} (summoned: ${state.supporting.map((s) => s.unit).join(', ')})`);
  }
  if (entry.reportedAt !== null) return fail('INVALID_TRANSITION', `${entry.unit} already reported in to whistle ${state.id} at ${iso(entry.reportedAt)}`);
  // Late report-ins are accepted (the people are still needed) and scored as late by the board.
  return { ok: true, event: { type: 'reported-in', whistleId: state.id, at: ctx.now, actor: refOf(actor), unit: entry.unit, ...withNote(cmd.note) } };
}

function decideClose(state: WhistleState, cmd: Extract<WhistleCommand, { type: 'close' }>, actor: Actor, ctx: WhistleContext): WhistleDecision {
  const force = cmd.force === true;
  if (force) {
    // Forcing overrides 事不完、人不撤, so it takes a duty leader of this center or one above it.
    if (actor.role !== 'duty-leader' || actorProblem(actor) || !inScope(actor.org, state.center)) {
      return fail('FORBIDDEN', `only a duty leader over center ${state.center} may force-close whistle ${state.id}`);
    }
    if (!cmd.note?.trim()) return fail('INVALID_COMMAND', `a forced close of whistle ${state.id} needs a note saying why`);
  } else if (whistlerProblem(actor) || actor.org !== state.center) {
    return fail('FORBIDDEN', `only the whistling center ${state.center} closes whistle ${state.id}`);
  }
  const ratings = cmd.ratings;
  if (typeof ratings !== 'object' || ratings === null) return fail('INVALID_COMMAND', 'ratings must map each supporting department to 1–5');
  const summoned = new Set(state.supporting.map((s) => s.unit));
  for (const unit of Object.keys(ratings)) {
    if (!summoned.has(unit)) return fail('INVALID_COMMAND', `rating for ${unit}, which is not a supporting department of whistle ${state.id}`);
    const r = ratings[unit];
    if (!Number.isInteger(r) || r < 1 || r > 5) return fail('INVALID_COMMAND', `rating for ${unit} must be an integer 1–5, got ${r}`);
  }
  const missing = [...summoned].filter((u) => !Object.hasOwn(ratings, u));
  if (missing.length) return fail('INVALID_COMMAND', `every summoned department must be rated; missing: ${missing.join(', ')}`);
  const c = ctx.caseOf(state.caseId);
  if (!force && !(c && MATTER_DONE_STAGES.has(c.stage))) {
    return fail('INVALID_TRANSITION', `case ${state.caseId} is ${c ? c.stage : 'unknown'}: 事不完、人不撤, close once it is handled or have a duty leader force it with a note`);
  }
  const copy: Record<string, number> = {};
  for (const u of summoned) copy[u] = ratings[u];
  return { ok: true, event: { type: 'closed', whistleId: state.id, at: ctx.now, actor: refOf(actor), ratings: copy, forced: force, ...withNote(cmd.note) } };
}

/** Applies one event; a new object every time. Throws only on a log decide() could not have produced. */
export function evolve(state: WhistleState | null, e: WhistleEvent): WhistleState {
  if (e.type === 'blown') {
    if (state) throw new Error(`whistle ${state.id} blown twice in the log`);
    return {
      id: e.whistleId, caseId: e.caseId, kind: e.kind, blownAt: e.at, blownBy: { ...e.actor }, center: e.center, lead: e.lead,
      supporting: e.supporting.map((unit) => ({ unit, reportedAt: null, by: null, rating: null })),
      deadline: e.deadline, closedAt: null, ...withNote(e.note), version: 1,
    };
  }
  if (!state) throw new Error(`${e.type} event for whistle ${e.whistleId} before it was blown`);
  if (e.type === 'reported-in') {
    const supporting = state.supporting.map((s) => (s.unit === e.unit ? { ...s, reportedAt: e.at, by: e.actor.id } : s));
    return { ...state, supporting, version: state.version + 1 };
  }
  const supporting = state.supporting.map((s) => ({ ...s, rating: e.ratings[s.unit] ?? null }));
  const closeNote = e.note === undefined ? {} : { closeNote: e.note };
  return { ...state, supporting, closedAt: e.at, ...closeNote, ...(e.forced ? { forced: true } : {}), version: state.version + 1 };
}

// ---- Derived views -------------------------------------------------------------------------------

export type UnitStatus = 'reported' | 'reported-late' | 'pending' | 'late';
export interface WhistleBoardRow {
  id: string; caseId: string; kind: WhistleKind; center: string; lead: string;
  blownAt: number; deadline: number; closedAt: number | null;
  units: Array<{ unit: string; status: UnitStatus; reportedAt: number | null; rating: number | null }>;
  counts: Record<UnitStatus, number>;
  overdue: boolean; // open, and someone has not reported in by the deadline
}

/** The time a whistle is judged at: a closed whistle stops the clock (no one is late after it ends). */
const judgedAt = (w: WhistleState, now: number) => (w.closedAt === null ? now : Math.min(now, w.closedAt));

export function unitStatus(w: WhistleState, s: SummonedUnit, now: number): UnitStatus {
  // Reporting exactly at the deadline is on time.
  if (s.reportedAt !== null) return s.reportedAt <= w.deadline ? 'reported' : 'reported-late';
  return judgedAt(w, now) > w.deadline ? 'late' : 'pending';
}

export function boardRow(w: WhistleState, now: number): WhistleBoardRow {
  const counts: Record<UnitStatus, number> = { reported: 0, 'reported-late': 0, pending: 0, late: 0 };
  const units = w.supporting.map((s) => {
    const status = unitStatus(w, s, now);
    counts[status]++;
    return { unit: s.unit, status, reportedAt: s.reportedAt, rating: s.rating };
  });
  return {
    id: w.id, caseId: w.caseId, kind: w.kind, center: w.center, lead: w.lead, blownAt: w.blownAt, deadline: w.deadline,
    closedAt: w.closedAt, units, counts, overdue: w.closedAt === null && counts.late > 0,
  };
}

export interface DepartmentScore {
  department: string;
  summoned: number; // whistles that summoned it
  due: number; // of those, the ones that count for the rate: answered, or deadline passed
  reportedIn: number;
  reportedOnTime: number;
  reportInRate: number | null; // 报到率 = reportedOnTime / due
  cooperation: number | null; // 配合度: mean rating over closed whistles
}

/** 报到率 and 配合度 per department, sorted by department id (only departments summoned at least once). */
export function departmentScores(whistles: Iterable<WhistleState>, now: number): DepartmentScore[] {
  const acc = new Map<string, DepartmentScore & { ratingSum: number; rated: number }>();
  for (const w of whistles) {
    for (const s of w.supporting) {
      let a = acc.get(s.unit);
      if (!a) acc.set(s.unit, (a = { department: s.unit, summoned: 0, due: 0, reportedIn: 0, reportedOnTime: 0, reportInRate: null, cooperation: null, ratingSum: 0, rated: 0 }));
      const status = unitStatus(w, s, now);
      a.summoned++;
      if (status !== 'pending') a.due++; // a whistle still running does not count against a unit yet
      if (s.reportedAt !== null) a.reportedIn++;
      if (status === 'reported') a.reportedOnTime++;
      if (s.rating !== null) { a.ratingSum += s.rating; a.rated++; }
    }
  }
  return [...acc.values()]
    .sort((x, y) => (x.department < y.department ? -1 : x.department > y.department ? 1 : 0))
    .map(({ ratingSum, rated, ...a }) => ({ ...a, reportInRate: a.due ? a.reportedOnTime / a.due : null, cooperation: rated ? ratingSum / rated : null }));
}
