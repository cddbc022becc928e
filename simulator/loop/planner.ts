// The next thing the simulated staff do about a case, as a pure function of what the server last
// said about it (CaseState, WhistleState), its fate, and what we remember having done. Times are
// wall ms (the server's clock): anchors come from the server's state, simulated durations are
// divided by --speed, and windows the server sets (dispatch due time, handling deadline, whistle
// limit) are used as fractions, so "87% on time" is measured against the server's own deadlines.
import { TRANSITIONS } from '../../core/cases/lifecycle.ts';
import type { CaseCommand, CaseCommandType, CaseStage, CaseState } from '../../core/cases/model.ts';
import { centerId, defaultDepartment, type Actor } from '../../core/org.ts';
import { EVENT_CLASS_BY_CODE } from '../../core/taxonomy.ts';
import type { WhistleState } from '../../core/whistle.ts';
import type { Staff } from '../staff.ts';
import { MUCH_LATER_CAP, type Fate } from './fate.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** What the driver remembers about a case beyond its state. */
export interface Memo {
  /** Server time at which we last gave each case command (the answer's updatedAt). */
  done: Partial<Record<CaseCommandType, number>>;
  whistle: WhistleState | null;
  /** The whistle could not be blown (the case moved on first): do not try again. */
  whistleGaveUp: boolean;
}
export const newMemo = (): Memo => ({ done: {}, whistle: null, whistleGaveUp: false });

export type BlowCommand = { type: 'blow'; whistleId: string; caseId: string; kind: WhistleState['kind']; lead: string; supporting: string[]; note?: string };
export type WhistleStepCommand = { type: 'report-in'; note?: string } | { type: 'close'; ratings: Record<string, number>; note?: string };

export type Step =
  | { kind: 'case'; at: number; caseId: string; actor: Actor; command: CaseCommand }
  | { kind: 'blow'; at: number; caseId: string; actor: Actor; command: BlowCommand }
  | { kind: 'whistle'; at: number; caseId: string; whistleId: string; actor: Actor; command: WhistleStepCommand };

export interface PlanEnv {
  staff: Staff;
  speed: number;
}

/** The whistle may close once the matter is done (事不完、人不撤). */
const MATTER_DONE: ReadonlySet<CaseStage> = new Set(['handled', 'rechecked', 'closed']);
/** Decisions taken by the center's senior (the duty leader at the district). */
const SENIOR: ReadonlySet<CaseCommandType> = new Set(['decide-extension', 'defer', 'resume']);

const NOTES = {
  onSpot: '现场已处置（巡办合一）',
  void: '重复上报，经核实作废',
  wrong: '经核实不属于本单位职责，申请回退',
  feedback: '已按要求处置完毕，现场已恢复',
  rework: '复核未通过：现场问题仍存在，请返工',
  extension: '需协调多方，申请延期办理',
  defer: '受天气及施工条件影响，暂缓办理',
  reply: '已向来电人答复办理结果',
  callback: '回访来电人',
  blow: '事态紧急，吹哨召集相关部门',
  reportIn: '已到场报到',
  closeWhistle: '事项已办结，人员撤离',
};

/** Where the case should go: minor patrol matters to the community center itself, the rest to the class's department. */
export function rightUnit(c: Pick<CaseState, 'source' | 'urgency' | 'eventClass' | 'communityCode'>): string {
  const minor = c.source === 'patrol' && c.urgency === 'normal' && !c.eventClass.startsWith('05');
  return minor && c.communityCode ? centerId(c.communityCode) : defaultDepartment(c.eventClass);
}

/** Who gives `type` on this case, as TRANSITIONS says: the reporter, the assignee, a community worker or the owner's staff. */
export function actorFor(type: CaseCommandType, c: CaseState, f: Fate, staff: Staff): Actor | undefined {
  const who = TRANSITIONS[type].who;
  if (who.includes('reporter')) return staff.worker(c.reporter);
  if (who.includes('assignee')) return c.assignee ? staff.unit(c.assignee) : undefined;
  if (who.includes('community-worker') && f.recheckByWorker) {
    const ws = staff.communityWorkers(c.communityCode);
    if (ws.length > 0) return ws[Math.floor(f.pick * ws.length)];
  }
  if (who.includes('owner')) return SENIOR.has(type) ? staff.senior(c.owner) : staff.center(c.owner);
  return undefined;
}

/** The latest dispatch (after a return the case is dispatched again; dispatchedAt keeps the first). */
const lastDispatch = (c: CaseState, m: Memo) => m.done.dispatch ?? c.dispatchedAt ?? c.updatedAt;

/** The handling window the server gave: dispatch → deadline (or the class limit while there is no deadline). */
function handlingWindow(c: CaseState, t0: number): number {
  if (c.deadline !== null) return Math.max(MIN, c.deadline - t0);
  return (EVENT_CLASS_BY_CODE.get(c.eventClass)?.limitHours ?? 4) * HOUR;
}

/** Offset from t0 at a fraction of the window; lateness is capped so a "much later" case stays open days, not months. */
const offset = (frac: number, w: number) => (frac <= 1 ? frac * w : w + Math.min((frac - 1) * w, MUCH_LATER_CAP));

/** A post-feedback delay: its own duration, but within its slot of the time left when the case is on time. */
const post = (abs: number, slot: number, remaining: number) => (remaining > 0 ? Math.min(abs, slot * remaining) : abs);

function blowAt(c: CaseState, f: Fate, m: Memo, k: number): number | null {
  if (!f.whistle || m.whistle || m.whistleGaveUp || c.whistleId) return null;
  return lastDispatch(c, m) + f.whistle.blowDelay * k;
}

/** When the unit feeds back (first time, or after a failed re-check). */
function feedbackAt(c: CaseState, f: Fate, m: Memo, k: number): number {
  let at: number;
  if (c.reworks > 0) {
    const since = m.done.recheck ?? c.updatedAt;
    at = since + post(f.reworkDelay, 0.5, c.deadline === null ? 0 : c.deadline - since) * k;
  } else {
    const t0 = lastDispatch(c, m);
    at = t0 + offset(f.feedbackFrac, handlingWindow(c, t0)) * k;
  }
  const blow = blowAt(c, f, m, k);
  return blow === null ? at : Math.max(at, blow + 1); // the whistle is blown on an unfinished matter
}

type CaseMove = { at: number; command: CaseCommand };

function caseMove(c: CaseState, f: Fate, m: Memo, env: PlanEnv): CaseMove | null {
  const k = 1 / env.speed;
  switch (c.stage) {
    case 'reported':
      if (f.onSpot && c.source === 'patrol' && env.staff.worker(c.reporter)) return { at: c.reportedAt + f.onSpotDelay * k, command: { type: 'close-on-spot', note: NOTES.onSpot } };
      if (f.void) return { at: c.reportedAt + f.fileDelay * k, command: { type: 'void', note: NOTES.void } };
      return { at: c.reportedAt + f.fileDelay * k, command: { type: 'file' } };
    case 'filed': {
      const filedAt = c.filedAt ?? c.updatedAt;
      const w = Math.max(0, (c.dispatchDueAt ?? filedAt + 30 * MIN) - filedAt);
      // Late dispatches miss the due time by at most an hour's worth of the window.
      const late = f.dispatchFrac <= 1 ? f.dispatchFrac * w : w + (f.dispatchFrac - 1) * Math.min(w, HOUR);
      const unit = f.wrongUnit && c.returns === 0 ? f.wrongUnit : rightUnit(c);
      return { at: filedAt + late * k, command: { type: 'dispatch', unit } };
    }
    case 'returned':
      return { at: (m.done.return ?? c.updatedAt) + f.redispatchDelay * k, command: { type: 'dispatch', unit: rightUnit(c) } };
    case 'dispatched': {
      const t0 = lastDispatch(c, m);
      if (f.wrongUnit && c.assignee === f.wrongUnit && c.returns === 0) return { at: t0 + f.returnDelay * k, command: { type: 'return', note: NOTES.wrong } };
      return { at: t0 + Math.min(f.acceptDelay, 0.15 * handlingWindow(c, t0)) * k, command: { type: 'accept' } };
    }
    case 'handling': {
      if (c.extension) return { at: c.extension.at + (f.extension?.decideDelay ?? 30 * MIN) * k, command: { type: 'decide-extension', approved: f.extension?.approved ?? true } };
      const t0 = lastDispatch(c, m);
      const fb = feedbackAt(c, f, m, k);
      const first = c.reworks === 0;
      if (first && f.extension && m.done['request-extension'] === undefined) {
        return { at: t0 + f.extension.atFrac * (fb - t0), command: { type: 'request-extension', hours: f.extension.hours, note: NOTES.extension } };
      }
      if (first && f.defer && m.done.defer === undefined) return { at: t0 + f.defer.atFrac * (fb - t0), command: { type: 'defer', note: NOTES.defer } };
      return { at: fb, command: { type: 'feedback', note: NOTES.feedback } };
    }
    case 'deferred':
      return { at: (m.done.defer ?? c.updatedAt) + (f.defer?.forMs ?? 2 * HOUR) * k, command: { type: 'resume' } };
    case 'handled': {
      const t = c.handledAt ?? c.updatedAt;
      const passed = c.reworks >= f.recheckFails;
      const at = t + post(f.recheckDelay, f.slots[0], c.deadline === null ? 0 : c.deadline - t) * k;
      return { at, command: passed ? { type: 'recheck', passed } : { type: 'recheck', passed, note: NOTES.rework } };
    }
    case 'rechecked': {
      const t = m.done.recheck ?? c.updatedAt;
      const left = (from: number) => (c.deadline === null ? 0 : c.deadline - from);
      if (c.hotline && c.hotline.repliedAt === null) return { at: t + post(f.replyDelay, f.slots[1], left(t)) * k, command: { type: 'reply', note: NOTES.reply } };
      const from = Math.max(t, c.hotline?.repliedAt ?? 0);
      return { at: from + post(f.closeDelay, f.slots[2], left(from)) * k, command: { type: 'close' } };
    }
    case 'closed':
      if (c.hotline && c.hotline.callbackAt === null) {
        return { at: (c.closedAt ?? c.updatedAt) + f.callbackDelay * k, command: { type: 'callback', resolved: f.resolved, rating: f.rating, note: NOTES.callback } };
      }
      return null;
    default: // voided; parked (the simulated staff never park, and leave alone what someone else parked)
      return null;
  }
}

/** The next case command, with its actor; null when the loop is done with the case (or no one can act). */
export function planCase(c: CaseState, f: Fate, m: Memo, env: PlanEnv): Step | null {
  const mv = caseMove(c, f, m, env);
  if (!mv) return null;
  const actor = actorFor(mv.command.type, c, f, env.staff);
  return actor ? { kind: 'case', at: mv.at, caseId: c.id, actor, command: mv.command } : null;
}

export const whistleIdOf = (caseId: string) => `WH-${caseId}`;

/**
 * Whistle steps: blow after the dispatch, each department reports in, close once the matter is done
 * and everyone came. Departments also answer a whistle someone else blew (an operator on the
 * dashboard); closing that one is left to its blower.
 */
export function planWhistle(c: CaseState, f: Fate, m: Memo, env: PlanEnv): Step[] {
  const wf = f.whistle;
  const w = m.whistle;
  if (m.whistleGaveUp || (!wf && !w)) return [];
  const k = 1 / env.speed;
  if (!w) {
    if (!wf) return [];
    const at = blowAt(c, f, m, k);
    const blower = env.staff.center(c.townshipCode);
    if (at === null || !blower || (c.stage !== 'dispatched' && c.stage !== 'handling')) return [];
    const command: BlowCommand = { type: 'blow', whistleId: whistleIdOf(c.id), caseId: c.id, kind: wf.kind, lead: wf.lead, supporting: wf.supporting, note: NOTES.blow };
    return [{ kind: 'blow', at, caseId: c.id, actor: blower, command }];
  }
  if (w.closedAt !== null) return [];
  const ours = wf !== null && w.id === whistleIdOf(c.id);
  const steps: Step[] = [];
  const limit = w.deadline - w.blownAt;
  for (const [i, s] of w.supporting.entries()) {
    const actor = env.staff.department(s.unit);
    if (s.reportedAt !== null || !actor) continue;
    const frac = ours ? (wf.reportIn[wf.supporting.indexOf(s.unit)] ?? 0.5) : 0.2 + ((f.pick + i * 0.37) % 1) * 0.7;
    steps.push({ kind: 'whistle', at: w.blownAt + frac * limit * k, caseId: c.id, whistleId: w.id, actor, command: { type: 'report-in', note: NOTES.reportIn } });
  }
  const closer = env.staff.center(w.center);
  if (ours && steps.length === 0 && MATTER_DONE.has(c.stage) && closer) {
    const lastIn = Math.max(...w.supporting.map((s) => s.reportedAt ?? 0));
    const ratings = Object.fromEntries(w.supporting.map((s) => [s.unit, wf.ratings[wf.supporting.indexOf(s.unit)] ?? 4]));
    steps.push({ kind: 'whistle', at: Math.max(c.handledAt ?? 0, lastIn) + wf.closeDelay * k, caseId: c.id, whistleId: w.id, actor: closer, command: { type: 'close', ratings, note: NOTES.closeWhistle } });
  }
  return steps;
}

/** Every step the case is waiting for, in the order to take them when several are due (the whistle is blown first). */
export function plan(c: CaseState, f: Fate, m: Memo, env: PlanEnv): Step[] {
  const ws = planWhistle(c, f, m, env);
  const cs = planCase(c, f, m, env);
  const blow = ws.filter((s) => s.kind === 'blow');
  const rest = ws.filter((s) => s.kind !== 'blow');
  return [...blow, ...(cs ? [cs] : []), ...rest];
}

/** Is there nothing left to do about this case (final, called back, whistle closed)? */
export function finished(c: CaseState, f: Fate, m: Memo, env: PlanEnv): boolean {
  return (c.stage === 'closed' || c.stage === 'voided') && plan(c, f, m, env).length === 0;
}
