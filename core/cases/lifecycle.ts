// The case lifecycle as a transition table: for each command, the stages it may start from, who
// may give it, what it requires and where it leads. decide() checks a command against the table
// and returns the event to log (or a coded error, changing nothing); evolve() applies a logged
// event. Both are pure: deadlines come from the SLA functions in the context.
import { actsFor, DEPARTMENT_BY_ID, DISTRICT_CODE, inScope, isCenterUnit, codeOfCenter, levelOfCode, parentCode, staffOf, type Actor } from '../org.ts';
import { EVENT_CLASS_BY_CODE } from '../taxonomy.ts';
import type { ActorRef, CaseCommand, CaseCommandType, CaseEvent, CaseEventData, CaseReport, CaseSource, CaseStage, CaseState, Urgency } from './model.ts';
import { CLOCK_STAGES, FINAL_STAGES } from './model.ts';

export const CASE_ERRORS = {
  forbidden: 'FORBIDDEN',
  invalidTransition: 'INVALID_TRANSITION',
  invalidCommand: 'INVALID_COMMAND',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
} as const;
export type CaseErrorCode = (typeof CASE_ERRORS)[keyof typeof CASE_ERRORS];

export type Decision = { ok: true; event: CaseEvent } | { ok: false; code: CaseErrorCode; message: string };

/** Deadline arithmetic the lifecycle needs, bound to the working calendar and SLA config by the caller. */
export interface SlaPort {
  dispatchDueAt(urgency: Urgency, filedAt: number): number;
  handlingDeadline(c: Pick<CaseState, 'eventClass' | 'urgency'>, dispatchedAt: number): { deadline: number; warnAt: number };
  /** Time left on the clock at `at` (working or natural ms, as the case's limit is counted). */
  remainingMs(c: Pick<CaseState, 'eventClass' | 'urgency' | 'deadline'>, at: number): number;
  resume(c: Pick<CaseState, 'eventClass' | 'urgency'>, remainingMs: number, at: number): { deadline: number; warnAt: number };
  extend(c: Pick<CaseState, 'eventClass' | 'urgency' | 'deadline' | 'warnAt'>, hours: number): { deadline: number; warnAt: number };
}

export interface DecideContext {
  now: number;
  sla: SlaPort;
}

/** Who may give a command: staff of the owning center or a center above it, the assigned unit, the reporting grid worker, a grid worker of the case's community, the system. */
export type Who = 'owner' | 'assignee' | 'reporter' | 'community-worker' | 'system';

interface Rule {
  from: readonly CaseStage[];
  who: readonly Who[];
  /** The stage after the command ('same' keeps the current one). */
  to: CaseStage | 'same' | ((c: CaseState, cmd: CaseCommand) => CaseStage);
  /** Returns what is wrong with the command in this case, or null. */
  check?: (c: CaseState, cmd: CaseCommand, actor: Actor) => string | null;
  /** Facts computed at decision time and stored in the event. */
  data?: (c: CaseState, cmd: CaseCommand, ctx: DecideContext) => CaseEventData;
}

const need = (cond: boolean, message: string) => (cond ? null : message);
const hasNote = (cmd: CaseCommand) => need(typeof cmd.note === 'string' && cmd.note.trim().length > 0, `"${cmd.type}" needs a note saying why`);
const CLOCK: readonly CaseStage[] = ['dispatched', 'handling'];
const OPEN_BEFORE_CLOSE: readonly CaseStage[] = ['reported', 'filed', 'dispatched', 'handling', 'handled', 'rechecked', 'returned', 'deferred', 'parked'];

/** Can `unit` take a case located at `c`? Any department; a center whose area contains the case. */
function dispatchTargetProblem(c: CaseState, unit: string): string | null {
  if (DEPARTMENT_BY_ID.has(unit)) return null;
  if (isCenterUnit(unit)) {
    const code = codeOfCenter(unit);
    if (!levelOfCode(code)) return `unknown center "${unit}"`;
    const where = c.communityCode || c.townshipCode || DISTRICT_CODE;
    return need(inScope(code, where), `center "${unit}" does not cover the case's location (${where})`);
  }
  return `unknown unit "${unit}": expected a department id (DEPT-..) or a center id (LC-<admin code>)`;
}

export const TRANSITIONS: Record<CaseCommandType, Rule> = {
  file: { from: ['reported'], who: ['owner'], to: 'filed', data: (c, _cmd, ctx) => ({ dispatchDueAt: ctx.sla.dispatchDueAt(c.urgency, ctx.now) }) },
  void: { from: ['reported', 'filed', 'returned'], who: ['owner'], to: 'voided', check: (_c, cmd) => hasNote(cmd) },
  dispatch: {
    from: ['filed', 'returned'],
    who: ['owner'],
    to: 'dispatched',
    check: (c, cmd) => (cmd.type === 'dispatch' ? dispatchTargetProblem(c, cmd.unit) : null),
    data: (c, cmd, ctx) => ({ unit: (cmd as { unit: string }).unit, ...ctx.sla.handlingDeadline(c, ctx.now) }),
  },
  accept: { from: ['dispatched'], who: ['assignee'], to: 'handling' },
  return: { from: ['dispatched', 'handling'], who: ['assignee'], to: 'returned', check: (_c, cmd) => hasNote(cmd) },
  feedback: { from: ['handling'], who: ['assignee'], to: 'handled', check: (_c, cmd) => hasNote(cmd) },
  recheck: {
    from: ['handled'],
    who: ['owner', 'community-worker'],
    to: (_c, cmd) => ((cmd as { passed: boolean }).passed ? 'rechecked' : 'handling'),
    check: (_c, cmd) => (cmd.type === 'recheck' && !cmd.passed ? hasNote(cmd) : null),
    data: (_c, cmd) => ({ passed: (cmd as { passed: boolean }).passed }),
  },
  close: {
    from: ['rechecked'],
    who: ['owner'],
    to: 'closed',
    check: (c) => need(!c.hotline || c.hotline.repliedAt !== null, `hotline order ${c.hotline?.orderNo} must be replied to (答复) before it is closed`),
  },
  reply: {
    from: ['filed', 'dispatched', 'handling', 'handled', 'rechecked', 'returned', 'deferred', 'parked'],
    who: ['owner'],
    to: 'same',
    check: (c, cmd) => need(c.hotline !== null, 'only hotline orders are replied to') ?? hasNote(cmd),
  },
  callback: {
    from: ['closed'],
    who: ['owner'],
    to: 'same',
    check: (c) => need(c.hotline !== null, 'only hotline orders get a callback') ?? need(c.hotline?.callbackAt === null, 'the caller was already called back'),
    data: (_c, cmd) => (cmd.type === 'callback' ? { resolved: cmd.resolved, rating: cmd.rating } : {}),
  },
  'request-extension': {
    from: CLOCK,
    who: ['assignee'],
    to: 'same',
    check: (c, cmd) =>
      need(c.extension === null, 'an extension request is already waiting for a decision') ??
      need(cmd.type === 'request-extension' && Number.isInteger(cmd.hours) && cmd.hours >= 1 && cmd.hours <= 240, 'hours must be a whole number from 1 to 240') ??
      hasNote(cmd),
    data: (_c, cmd) => ({ hours: (cmd as { hours: number }).hours }),
  },
  'decide-extension': {
    from: CLOCK,
    who: ['owner'],
    to: 'same',
    check: (c) => need(c.extension !== null, 'no extension request is waiting'),
    data: (c, cmd, ctx) => {
      const approved = (cmd as { approved: boolean }).approved;
      return approved && c.extension ? { approved, ...ctx.sla.extend(c, c.extension.hours) } : { approved };
    },
  },
  defer: { from: CLOCK, who: ['owner'], to: 'deferred', check: (_c, cmd) => hasNote(cmd), data: (c, _cmd, ctx) => ({ pausedRemainingMs: ctx.sla.remainingMs(c, ctx.now) }) },
  park: {
    from: ['filed', 'dispatched', 'handling', 'returned'],
    who: ['owner'],
    to: 'parked',
    check: (_c, cmd) => hasNote(cmd),
    data: (c, _cmd, ctx) => ({ pausedRemainingMs: c.deadline !== null && CLOCK.includes(c.stage) ? ctx.sla.remainingMs(c, ctx.now) : null }),
  },
  resume: {
    from: ['deferred', 'parked'],
    who: ['owner'],
    to: (c) => c.resumeStage ?? 'filed',
    data: (c, _cmd, ctx) => (c.pausedRemainingMs !== null ? ctx.sla.resume(c, c.pausedRemainingMs, ctx.now) : {}),
  },
  'close-on-spot': {
    from: ['reported'],
    who: ['reporter'],
    to: 'closed',
    check: (c, cmd) =>
      need(c.source === 'patrol', 'only a grid worker’s own patrol report can be closed on the spot') ??
      need(c.urgency === 'normal' && !c.eventClass.startsWith('05'), 'urgent matters and emergencies (05xx) cannot be closed on the spot; file them') ??
      hasNote(cmd),
  },
  escalate: {
    from: OPEN_BEFORE_CLOSE.filter((s) => s !== 'parked'),
    who: ['system'],
    to: 'same',
    check: (c) => need(parentCode(c.owner) !== null, 'the case is already at the district center'),
    data: (c) => ({ owner: parentCode(c.owner) ?? DISTRICT_CODE }),
  },
};

/** Does the actor fill one of the rule's roles for this case? */
export function fills(who: Who, actor: Actor, c: CaseState): boolean {
  switch (who) {
    case 'owner':
      // Staff of the owning center or of any center above it (the district can take over anything).
      for (let code: string | null = c.owner; code; code = parentCode(code)) if (staffOf(actor, code)) return true;
      return false;
    case 'assignee':
      return c.assignee !== null && actsFor(actor, c.assignee);
    case 'reporter':
      return actor.role === 'grid-worker' && actor.id === c.reporter;
    case 'community-worker':
      return actor.role === 'grid-worker' && c.communityCode !== '' && actor.org === c.communityCode;
    case 'system':
      return actor.role === 'system';
  }
}

export const actorRef = (a: Actor): ActorRef => ({ id: a.id, name: a.name, role: a.role, org: a.org });

export function decide(c: CaseState | undefined, cmd: CaseCommand, actor: Actor, ctx: DecideContext, expectedVersion?: number): Decision {
  if (!c) return { ok: false, code: CASE_ERRORS.notFound, message: 'no such case' };
  const rule = TRANSITIONS[cmd.type];
  if (!rule) return { ok: false, code: CASE_ERRORS.invalidCommand, message: `unknown command "${(cmd as { type: string }).type}"` };
  if (expectedVersion !== undefined && expectedVersion !== c.version) {
    return { ok: false, code: CASE_ERRORS.conflict, message: `case ${c.id} changed since you saw it (version ${expectedVersion}, now ${c.version}): reload and try again` };
  }
  if (!rule.from.includes(c.stage)) {
    return { ok: false, code: CASE_ERRORS.invalidTransition, message: `cannot ${cmd.type} a case that is ${c.stage} (allowed from: ${rule.from.join(', ')})` };
  }
  if (!rule.who.some((w) => fills(w, actor, c))) {
    return { ok: false, code: CASE_ERRORS.forbidden, message: `${actor.role} ${actor.org} may not ${cmd.type} case ${c.id} (needs: ${rule.who.join(' or ')})` };
  }
  const problem = rule.check?.(c, cmd, actor) ?? null;
  if (problem) return { ok: false, code: CASE_ERRORS.invalidCommand, message: problem };
  const to = rule.to === 'same' ? c.stage : typeof rule.to === 'function' ? rule.to(c, cmd) : rule.to;
  const data = rule.data?.(c, cmd, ctx);
  const note = 'note' in cmd && cmd.note ? cmd.note.trim() : undefined;
  return { ok: true, event: { caseId: c.id, command: cmd.type, from: c.stage, to, at: ctx.now, actor: actorRef(actor), ...(note ? { note } : {}), ...(data ? { data } : {}) } };
}

/** Where a new case lands (its first owner): patrol and citizen reports at the community, sensing at the township, hotlines and the City Brain at the district. */
export function initialOwner(source: CaseSource, townshipCode: string, communityCode: string): string {
  if ((source === 'patrol' || source === 'citizen') && communityCode) return communityCode;
  if ((source === 'video-ai' || source === 'sensor') && townshipCode) return townshipCode;
  return DISTRICT_CODE;
}

export interface Place {
  gridIndex: number;
  townshipCode: string;
  communityCode: string;
}

/** Checks a new report; a known id is a duplicate (the sender's retry), not an error. */
export function decideReport(existing: CaseState | undefined, r: CaseReport, place: Place, actor: Actor): Decision | { ok: true; duplicate: true } {
  if (existing) return { ok: true, duplicate: true };
  if (!EVENT_CLASS_BY_CODE.has(r.eventClass)) return { ok: false, code: CASE_ERRORS.invalidCommand, message: `unknown event class "${r.eventClass}"` };
  const isHotline = r.source === 'hotline-12345' || r.source === 'hotline-12319';
  if (isHotline !== (r.hotlineOrderNo !== undefined)) {
    return { ok: false, code: CASE_ERRORS.invalidCommand, message: isHotline ? 'a hotline order needs its hotlineOrderNo' : 'hotlineOrderNo is only for hotline orders' };
  }
  const owner = initialOwner(r.source, place.townshipCode, place.communityCode);
  return {
    ok: true,
    event: { caseId: r.id, command: 'report', from: null, to: 'reported', at: r.reportedAt, actor: actorRef(actor), data: { report: { ...r, ...place, owner } } },
  };
}

function fresh(e: CaseEvent): CaseState {
  const r = e.data!.report!;
  const line = r.source === 'hotline-12345' ? '12345' : r.source === 'hotline-12319' ? '12319' : null;
  return {
    id: r.id, source: r.source, eventClass: r.eventClass, title: r.title, description: r.description ?? '', urgency: r.urgency,
    lon: r.lon, lat: r.lat, gridIndex: r.gridIndex, townshipCode: r.townshipCode, communityCode: r.communityCode,
    reportedAt: r.reportedAt, reporter: r.reporter ?? e.actor.id,
    hotline: line && r.hotlineOrderNo ? { line, orderNo: r.hotlineOrderNo, repliedAt: null, callbackAt: null, resolved: null, rating: null } : null,
    stage: 'reported', owner: r.owner, assignee: null, filedAt: null, dispatchDueAt: null, dispatchedAt: null, acceptedAt: null,
    handledAt: null, rechecked: false, closedAt: null, voidedAt: null, deadline: null, warnAt: null, pausedRemainingMs: null, resumeStage: null,
    extension: null, extensions: 0, returns: 0, reworks: 0, escalations: 0, onSpot: false, whistleId: null, alarms: 0, attachments: 0,
    updatedAt: e.at, version: 1,
  };
}

const ANNOTATIONS: ReadonlySet<CaseEvent['command']> = new Set(['merge-alarm', 'attach']);

/** Applies one logged event; returns a new state (the input is not changed). */
export function evolve(c: CaseState | undefined, e: CaseEvent): CaseState {
  if (e.command === 'report') return c ?? fresh(e);
  if (!c) throw new Error(`event ${e.command} for unknown case ${e.caseId}`);
  const d = e.data ?? {};
  // An annotation (an alarm merged, a file attached) is no transition: the stage it carries is what
  // its writer saw, possibly before another node's transition, and must not roll that back.
  const stage = ANNOTATIONS.has(e.command) ? c.stage : e.to;
  const n: CaseState = { ...c, stage, updatedAt: Math.max(c.updatedAt, e.at), version: c.version + 1 };
  switch (e.command) {
    case 'file': n.filedAt = e.at; n.dispatchDueAt = d.dispatchDueAt ?? null; break;
    case 'void': n.voidedAt = e.at; break;
    case 'dispatch':
      n.assignee = d.unit ?? null; n.dispatchedAt = c.dispatchedAt ?? e.at;
      n.deadline = d.deadline ?? null; n.warnAt = d.warnAt ?? null; n.extension = null; n.acceptedAt = null; break;
    case 'accept': n.acceptedAt = e.at; break;
    case 'return': n.returns++; n.assignee = null; n.deadline = null; n.warnAt = null; n.extension = null; break;
    case 'feedback': n.handledAt = e.at; break;
    case 'recheck': if (d.passed) n.rechecked = true; else n.reworks++; break;
    case 'close': n.closedAt = e.at; break;
    case 'close-on-spot': n.closedAt = e.at; n.handledAt = e.at; n.onSpot = true; break;
    case 'reply': if (n.hotline) n.hotline = { ...n.hotline, repliedAt: e.at }; break;
    case 'callback': if (n.hotline) n.hotline = { ...n.hotline, callbackAt: e.at, resolved: d.resolved ?? null, rating: d.rating ?? null }; break;
    case 'request-extension': n.extension = { hours: d.hours ?? 0, reason: e.note ?? '', by: e.actor.id, at: e.at }; break;
    case 'decide-extension':
      n.extension = null;
      if (d.approved) { n.extensions++; n.deadline = d.deadline ?? n.deadline; n.warnAt = d.warnAt ?? n.warnAt; }
      break;
    case 'defer': case 'park':
      n.resumeStage = c.stage; n.pausedRemainingMs = d.pausedRemainingMs ?? null; n.deadline = null; n.warnAt = null; break;
    case 'resume':
      n.resumeStage = null; n.pausedRemainingMs = null; n.deadline = d.deadline ?? null; n.warnAt = d.warnAt ?? null; break;
    case 'escalate': n.owner = d.owner ?? n.owner; n.escalations++; break;
    case 'merge-alarm': n.alarms++; break;
    case 'attach': n.attachments++; break;
    case 'whistle': n.whistleId = d.whistleId ?? n.whistleId; break;
  }
  // A pending extension request lapses when the clock stops (fed back, returned, paused).
  if (!CLOCK_STAGES.has(n.stage)) n.extension = null;
  return n;
}

export const isFinal = (c: Pick<CaseState, 'stage'>) => FINAL_STAGES.has(c.stage);
