// What the current actor may do with a case, from the same transition table the server enforces
// (core/cases/lifecycle.ts), and the feed filters built on it. Pure.
import { TRANSITIONS, fills } from '../../../core/cases/lifecycle.ts';
import { CLOCK_STAGES, isOverdue, isWarning, type CaseCommand, type CaseState } from '../../../core/cases/model.ts';
import { DEFAULT_CALENDAR, type WorkingCalendar } from '../../../core/cases/calendar.ts';
import { DEPARTMENTS, centerId, defaultDepartment, levelOfCode, parentCode, type Actor } from '../../../core/org.ts';
import type { OperatorCaseCommand } from '../../../core/protocol.ts';

/** Commands in the order their buttons appear (the main path first). */
export const COMMAND_ORDER: OperatorCaseCommand[] = [
  'file', 'dispatch', 'accept', 'feedback', 'recheck', 'close', 'close-on-spot', 'reply', 'callback',
  'request-extension', 'decide-extension', 'return', 'defer', 'park', 'resume', 'void',
];

/** A command with plausible fields, to run the rule's state checks (which depend on the case, not on what the operator types). */
function sample(type: OperatorCaseCommand, c: CaseState): CaseCommand {
  switch (type) {
    case 'dispatch': return { type, unit: defaultDepartment(c.eventClass) };
    case 'recheck': return { type, passed: true };
    case 'callback': return { type, resolved: true, rating: 'satisfied' };
    case 'request-extension': return { type, hours: 1, note: '·' };
    case 'decide-extension': return { type, approved: true };
    default: return { type, note: '·' } as CaseCommand;
  }
}

/**
 * The commands `actor` may give `c` now: the stage is one the rule starts from, the actor fills one
 * of its roles, and the case itself passes the rule's check (e.g. `close` waits for a hotline reply,
 * `callback` only for hotline orders). Fields the operator enters are checked by the server.
 */
export function allowedCommands(actor: Actor | null, c: CaseState): OperatorCaseCommand[] {
  if (!actor || actor.role === 'display') return [];
  return COMMAND_ORDER.filter((type) => {
    const rule = TRANSITIONS[type];
    if (!rule.from.includes(c.stage)) return false;
    if (!rule.who.some((w) => fills(w, actor, c))) return false;
    return !rule.check || rule.check(c, sample(type, c), actor) === null;
  });
}

/** Commands whose form needs a note (the server rejects them without one). */
export function needsNote(type: OperatorCaseCommand, passed?: boolean): boolean {
  return ['void', 'return', 'feedback', 'reply', 'request-extension', 'defer', 'park', 'close-on-spot'].includes(type) || (type === 'recheck' && passed === false);
}

export const FEED_FILTERS = ['all', 'mine', 'overdue', 'supervised'] as const;
export type FeedFilter = (typeof FEED_FILTERS)[number];

/**
 * 督办 (supervised): cases the center is pressing: escalated a level up for being overdue, or with a
 * whistle blown on them.
 */
export const isSupervised = (c: CaseState) => c.escalations > 0 || c.whistleId !== null;

export function matchesFilter(f: FeedFilter, c: CaseState, actor: Actor | null, now: number): boolean {
  switch (f) {
    case 'all': return true;
    case 'mine': return allowedCommands(actor, c).length > 0;
    case 'overdue': return isOverdue(c, now);
    case 'supervised': return isSupervised(c);
  }
}

/** Feed rows for a filter, newest report first. */
export function filterCases(cases: Iterable<CaseState>, f: FeedFilter, actor: Actor | null, now: number, max = 100): CaseState[] {
  const out: CaseState[] = [];
  for (const c of cases) if (matchesFilter(f, c, actor, now)) out.push(c);
  out.sort((a, b) => b.reportedAt - a.reportedAt || (a.id < b.id ? 1 : -1));
  return out.length > max ? out.slice(0, max) : out;
}

export function filterCounts(cases: Iterable<CaseState>, actor: Actor | null, now: number): Record<FeedFilter, number> {
  const n: Record<FeedFilter, number> = { all: 0, mine: 0, overdue: 0, supervised: 0 };
  for (const c of cases) for (const f of FEED_FILTERS) if (matchesFilter(f, c, actor, now)) n[f]++;
  return n;
}

export type ClockState = 'none' | 'ok' | 'warning' | 'overdue' | 'paused';

/**
 * Where the case stands against its deadline. `ms` is the time left (working time for normal
 * cases by the server's calendar, natural for urgent ones: close to what the server counts) or, when
 * overdue, the natural time since the deadline.
 */
export function clockOf(c: CaseState, now: number, calendar: WorkingCalendar = DEFAULT_CALENDAR): { state: ClockState; ms: number } {
  if (c.stage === 'deferred' || c.stage === 'parked') return { state: 'paused', ms: c.pausedRemainingMs ?? 0 };
  if (!CLOCK_STAGES.has(c.stage) || c.deadline === null) return { state: 'none', ms: 0 };
  if (isOverdue(c, now)) return { state: 'overdue', ms: now - c.deadline };
  const ms = c.urgency === 'urgent' ? c.deadline - now : calendar.workingMsBetween(now, c.deadline);
  return { state: isWarning(c, now) ? 'warning' : 'ok', ms };
}

export interface UnitOption {
  unit: string;
  kind: 'department' | 'center';
  /** Department id, or the admin code of the center. */
  ref: string;
}

/**
 * Units a case can be dispatched to: every department (the class's usual one first) and the centers
 * whose area contains the case (its community's and township's; the district dispatches, it is not
 * a target).
 */
export function dispatchTargets(c: Pick<CaseState, 'eventClass' | 'townshipCode' | 'communityCode'>): { options: UnitOption[]; preselected: string } {
  const preselected = defaultDepartment(c.eventClass);
  const depts = [...DEPARTMENTS].sort((a, b) => Number(b.id === preselected) - Number(a.id === preselected));
  const options: UnitOption[] = depts.map((d) => ({ unit: d.id, kind: 'department', ref: d.id }));
  const centers: string[] = [];
  for (let code: string | null = c.communityCode || c.townshipCode || null; code && levelOfCode(code) && levelOfCode(code) !== 'district'; code = parentCode(code)) centers.push(code);
  for (const code of centers.reverse()) options.push({ unit: centerId(code), kind: 'center', ref: code });
  return { options, preselected };
}
