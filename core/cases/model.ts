// The case (案件) as the closed loop sees it: its state, the commands people give it and the
// events those commands become in the log. The lifecycle (who may do what, when) is in lifecycle.ts.
import type { Actor } from '../org.ts';

export const CASE_SOURCES = ['patrol', 'hotline-12345', 'hotline-12319', 'video-ai', 'sensor', 'citizen', 'city-brain'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/**
 * GB/T 30428.8 stages: collection (reported) → filed → dispatched → handling (accepted by the unit)
 * → handled (feedback) → rechecked → closed; exceptions: returned (回退 by the unit, back to the
 * center for re-dispatch), deferred (缓办: SLA clock paused), parked (挂账: long-term, no clock),
 * voided (作废).
 */
export const CASE_STAGES = ['reported', 'filed', 'dispatched', 'handling', 'handled', 'rechecked', 'closed', 'returned', 'deferred', 'parked', 'voided'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const FINAL_STAGES: ReadonlySet<CaseStage> = new Set(['closed', 'voided']);
export const OPEN_STAGES: ReadonlySet<CaseStage> = new Set(CASE_STAGES.filter((s) => s !== 'closed' && s !== 'voided'));
/** Stages in which the handling clock runs (a deadline exists and counts). */
export const CLOCK_STAGES: ReadonlySet<CaseStage> = new Set(['dispatched', 'handling']);

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const RATINGS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export interface HotlineInfo {
  line: '12345' | '12319';
  orderNo: string;
  repliedAt: number | null; // 答复
  callbackAt: number | null; // 回访
  resolved: boolean | null; // the caller says the problem is solved
  rating: Rating | null; // 评价
}

export interface ExtensionRequest {
  hours: number; // working hours asked for
  reason: string;
  by: string; // actor id
  at: number;
}

/** The whole state of one case; also what the dashboard receives (the timeline is fetched on demand). */
export interface CaseState {
  id: string;
  source: CaseSource;
  eventClass: string; // 4-digit event class (taxonomy.ts)
  title: string;
  description: string;
  urgency: Urgency;
  lon: number;
  lat: number;
  gridIndex: number; // -1 outside every grid
  townshipCode: string; // '' outside every grid
  communityCode: string; // '' outside every grid
  reportedAt: number;
  reporter: string; // worker id, hotline line, camera id, gateway...
  hotline: HotlineInfo | null;
  stage: CaseStage;
  /** Admin code of the center whose queue holds the case (community → township → district on escalation). */
  owner: string;
  /** The unit handling it: a department id or a center id 'LC-<code>'; null before dispatch. */
  assignee: string | null;
  filedAt: number | null;
  /** When the case must be dispatched by (按时派遣), set on filing. */
  dispatchDueAt: number | null;
  dispatchedAt: number | null; // first dispatch
  acceptedAt: number | null;
  handledAt: number | null; // last feedback
  rechecked: boolean;
  closedAt: number | null;
  voidedAt: number | null;
  /** Handling deadline (counted in working time from dispatch); null before dispatch. */
  deadline: number | null;
  /** Yellow warning from here on. */
  warnAt: number | null;
  /** Working ms left on the clock while deferred. */
  pausedRemainingMs: number | null;
  /** Stage to go back to on resume from deferred/parked. */
  resumeStage: CaseStage | null;
  extension: ExtensionRequest | null;
  extensions: number; // approved extensions
  returns: number; // 回退 by units (against 准确派遣率)
  reworks: number; // failed re-checks (返工)
  escalations: number;
  onSpot: boolean; // 巡办合一: closed by the reporter on the spot
  whistleId: string | null;
  alarms: number; // sensor/video alarms merged into this case
  attachments: number;
  updatedAt: number;
  /** Number of events applied; a command may name the version it saw (optimistic concurrency). */
  version: number;
}

/** A new case as reported (by a gateway, a grid worker, a rule on alarms). */
export interface CaseReport {
  id: string;
  source: CaseSource;
  eventClass: string;
  title: string;
  description?: string;
  urgency: Urgency;
  lon: number;
  lat: number;
  reportedAt: number;
  reporter?: string;
  hotlineOrderNo?: string;
}

/** What people (and the system) can tell a case to do. */
export type CaseCommand =
  | { type: 'file'; note?: string }
  | { type: 'void'; note: string }
  | { type: 'dispatch'; unit: string; note?: string }
  | { type: 'accept'; note?: string }
  | { type: 'return'; note: string }
  | { type: 'feedback'; note: string }
  | { type: 'recheck'; passed: boolean; note?: string }
  | { type: 'close'; note?: string }
  | { type: 'reply'; note: string }
  | { type: 'callback'; resolved: boolean; rating: Rating; note?: string }
  | { type: 'request-extension'; hours: number; note: string }
  | { type: 'decide-extension'; approved: boolean; note?: string }
  | { type: 'defer'; note: string }
  | { type: 'park'; note: string }
  | { type: 'resume'; note?: string }
  | { type: 'close-on-spot'; note: string }
  | { type: 'escalate'; note?: string };
export type CaseCommandType = CaseCommand['type'];
export const CASE_COMMAND_TYPES = [
  'file', 'void', 'dispatch', 'accept', 'return', 'feedback', 'recheck', 'close', 'reply', 'callback',
  'request-extension', 'decide-extension', 'defer', 'park', 'resume', 'close-on-spot', 'escalate',
] as const satisfies readonly CaseCommandType[];

/** Actor as recorded in the log (no secrets, enough to show and to score). */
export type ActorRef = Pick<Actor, 'id' | 'name' | 'role' | 'org'>;

/**
 * One transition as stored in the log. Everything evolve() needs is in it (deadlines are computed
 * when the command is decided, with the working calendar of that moment), so replay never depends
 * on today's configuration.
 */
export interface CaseEvent {
  caseId: string;
  command: CaseCommandType | 'report' | 'merge-alarm' | 'attach' | 'whistle';
  from: CaseStage | null;
  to: CaseStage;
  at: number;
  actor: ActorRef;
  note?: string;
  /** Command-specific facts: unit, deadline, warnAt, owner, passed, rating, hours, report... */
  data?: CaseEventData;
}

export interface CaseEventData {
  report?: CaseReport & { gridIndex: number; townshipCode: string; communityCode: string; owner: string };
  unit?: string;
  deadline?: number | null;
  warnAt?: number | null;
  dispatchDueAt?: number;
  owner?: string;
  passed?: boolean;
  resolved?: boolean;
  rating?: Rating;
  hours?: number;
  approved?: boolean;
  pausedRemainingMs?: number | null;
  whistleId?: string;
  alarmId?: string;
  attachment?: { id: string; type: string; bytes: number };
}

export function isOverdue(c: Pick<CaseState, 'stage' | 'deadline'>, now: number): boolean {
  return CLOCK_STAGES.has(c.stage) && c.deadline !== null && now > c.deadline;
}

/** Yellow: the clock runs, the warning time has passed, the deadline has not. */
export function isWarning(c: Pick<CaseState, 'stage' | 'deadline' | 'warnAt'>, now: number): boolean {
  return CLOCK_STAGES.has(c.stage) && c.warnAt !== null && now >= c.warnAt && !isOverdue(c, now);
}
