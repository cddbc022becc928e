// Time limits (时限) of the closed loop: when a filed case must be dispatched, when handling is due
// and turns yellow, how deferral (缓办) pauses the clock, what an extension (延期) adds and when an
// overdue case escalates. Normal cases count working time (the calendar); urgent cases (急要件)
// count natural time, 24×7. Pure: the calendar and every instant (UTC ms) are passed in.
import { EVENT_CLASS_BY_CODE } from '../taxonomy.ts';
import { parentCode } from '../org.ts';
import type { WorkingCalendar } from './calendar.ts';
import type { Urgency } from './model.ts';
import type { SlaPort } from './lifecycle.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SlaConfig {
  /** Yellow after this fraction of the limit has elapsed (0 < f <= 1; 1 = no yellow phase). */
  warnFraction: number;
  /** Urgent cases get min(class limit, this) in NATURAL hours. */
  urgentNaturalHours: number;
  /** A filed normal case must be dispatched within this much working time. */
  dispatchWithinWorkingMinutes: number;
  /** A filed urgent case must be dispatched within this many natural minutes. */
  urgentDispatchWithinMinutes: number;
  /** Event class code → handling limit in working hours, replacing the taxonomy's limitHours. */
  classOverrides: Record<string, number>;
}

export const DEFAULT_SLA_CONFIG: SlaConfig = {
  warnFraction: 0.8,
  urgentNaturalHours: 2,
  dispatchWithinWorkingMinutes: 30,
  urgentDispatchWithinMinutes: 10,
  classOverrides: {},
};

type NumberField = Exclude<keyof SlaConfig, 'classOverrides'>;

/**
 * Validates an SLA configuration. Missing fields take their DEFAULT_SLA_CONFIG value (a
 * deployment usually changes one or two); unknown fields and unknown class codes are rejected.
 */
export function slaConfigFrom(cfg: unknown): SlaConfig {
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new Error('sla: expected an object');
  const rec = cfg as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (!(k in DEFAULT_SLA_CONFIG)) throw new Error(`sla.${k}: unknown field (expected ${Object.keys(DEFAULT_SLA_CONFIG).join(', ')})`);
  }
  const num = (k: NumberField, ok: (v: number) => boolean, what: string): number => {
    const v = rec[k] ?? DEFAULT_SLA_CONFIG[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new Error(`sla.${k}: expected ${what}, got ${JSON.stringify(v)}`);
    return v;
  };
  const positive = (v: number): boolean => v > 0;
  const overrides = rec.classOverrides ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error('sla.classOverrides: expected an object { "<event class code>": working hours }');
  }
  const classOverrides: Record<string, number> = {};
  for (const [code, h] of Object.entries(overrides)) {
    if (!EVENT_CLASS_BY_CODE.has(code)) throw new Error(`sla.classOverrides["${code}"]: unknown event class code`);
    if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0) {
      throw new Error(`sla.classOverrides["${code}"]: expected positive working hours, got ${JSON.stringify(h)}`);
    }
    classOverrides[code] = h;
  }
  return {
    warnFraction: num('warnFraction', (v) => v > 0 && v <= 1, 'a fraction in (0, 1]'),
    urgentNaturalHours: num('urgentNaturalHours', positive, 'positive hours'),
    dispatchWithinWorkingMinutes: num('dispatchWithinWorkingMinutes', positive, 'positive minutes'),
    urgentDispatchWithinMinutes: num('urgentDispatchWithinMinutes', positive, 'positive minutes'),
    classOverrides,
  };
}

/** Handling limit of an event class in working hours (override first, then the taxonomy). */
export function limitHoursFor(sla: SlaConfig, eventClass: string): number {
  const h = sla.classOverrides[eventClass] ?? EVENT_CLASS_BY_CODE.get(eventClass)?.limitHours;
  if (h === undefined) throw new Error(`unknown event class "${eventClass}"`);
  return h;
}

/** `ms` of working (or natural) time after `from`. */
function after(cal: WorkingCalendar, from: number, ms: number, natural: boolean): number {
  return natural ? from + ms : cal.addWorkingMs(from, ms);
}

export interface HandlingDeadline {
  deadline: number;
  /** Yellow from here on: warnFraction of the limit elapsed, in the same kind of time. */
  warnAt: number;
  /** The limit in ms (working ms, or natural ms when `natural`). */
  limitMs: number;
  /** Urgent cases: the limit runs in natural time. */
  natural: boolean;
}

/**
 * The handling deadline set on dispatch. Normal: the class limit in working hours (a dispatch
 * outside working time starts the clock at the next working period). Urgent: min(class limit,
 * urgentNaturalHours) in natural hours.
 */
export function handlingDeadline(cal: WorkingCalendar, sla: SlaConfig, c: { eventClass: string; urgency: Urgency }, dispatchedAt: number): HandlingDeadline {
  const hours = limitHoursFor(sla, c.eventClass);
  const natural = c.urgency === 'urgent';
  const limitMs = (natural ? Math.min(hours, sla.urgentNaturalHours) : hours) * HOUR;
  return {
    deadline: after(cal, dispatchedAt, limitMs, natural),
    warnAt: after(cal, dispatchedAt, Math.round(limitMs * sla.warnFraction), natural),
    limitMs,
    natural,
  };
}

/** When a case filed at `filedAt` must be dispatched by (按时派遣). */
export function dispatchDueAt(cal: WorkingCalendar, sla: SlaConfig, urgency: Urgency, filedAt: number): number {
  return urgency === 'urgent'
    ? filedAt + sla.urgentDispatchWithinMinutes * MINUTE
    : cal.addWorkingMs(filedAt, sla.dispatchWithinWorkingMinutes * MINUTE);
}

/**
 * Time left on the clock at `at` (working ms, or natural ms for urgent cases), 0 once past the
 * deadline. Stored as pausedRemainingMs when a case is deferred.
 */
export function remainingMs(cal: WorkingCalendar, c: { urgency: Urgency; deadline: number }, at: number, natural: boolean = c.urgency === 'urgent'): number {
  return natural ? Math.max(0, c.deadline - at) : cal.workingMsBetween(at, c.deadline);
}

/**
 * New deadline when a deferred case resumes with `remaining` ms on the clock. warnAt applies the
 * same fraction rule to the remaining time (resumedAt + warnFraction × remaining): the original
 * limit is not needed, at the price that a case deferred while yellow is green again for a while.
 */
export function resumeDeadline(cal: WorkingCalendar, sla: SlaConfig, c: { urgency: Urgency }, remaining: number, resumedAt: number): { deadline: number; warnAt: number } {
  const natural = c.urgency === 'urgent';
  return {
    deadline: after(cal, resumedAt, remaining, natural),
    warnAt: after(cal, resumedAt, Math.round(remaining * sla.warnFraction), natural),
  };
}

/** An approved extension adds `hours` of working (or natural) time to the current deadline. */
export function extendDeadline(cal: WorkingCalendar, deadline: number, hours: number, natural: boolean): number {
  if (!Number.isFinite(hours) || hours <= 0) throw new RangeError(`extension hours must be positive, got ${hours}`);
  return after(cal, deadline, hours * HOUR, natural);
}

/**
 * When an overdue case next escalates one level up (community → township → district): the first
 * time at the deadline, each further one another half of the original limit later, in natural
 * time (an ignored case keeps climbing over nights and weekends). null with no deadline, or
 * when the owner has no level above (the district '340803').
 */
export function escalationDueAt(c: { deadline: number | null; escalations: number; owner: string }, limitMs: number): number | null {
  if (c.deadline === null || parentCode(c.owner) === null) return null;
  return c.deadline + Math.round((c.escalations * limitMs) / 2);
}

/** The SLA functions bound to one calendar and config: what the case lifecycle needs (SlaPort), plus the limit for escalation timing. */
export interface BoundSla extends SlaPort {
  readonly calendar: WorkingCalendar;
  /** The handling limit of a case in ms (working or natural). */
  limitMs(c: { eventClass: string; urgency: Urgency }): number;
}

export function bindSla(cal: WorkingCalendar, sla: SlaConfig): BoundSla {
  return {
    calendar: cal,
    dispatchDueAt: (urgency, filedAt) => dispatchDueAt(cal, sla, urgency, filedAt),
    handlingDeadline: (c, at) => {
      const h = handlingDeadline(cal, sla, c, at);
      return { deadline: h.deadline, warnAt: h.warnAt };
    },
    remainingMs: (c, at) => (c.deadline === null ? 0 : remainingMs(cal, { urgency: c.urgency, deadline: c.deadline }, at)),
    resume: (c, remaining, at) => resumeDeadline(cal, sla, c, remaining, at),
    extend: (c, hours) => {
      const natural = c.urgency === 'urgent';
      const deadline = extendDeadline(cal, c.deadline ?? 0, hours, natural);
      return { deadline, warnAt: c.warnAt === null ? deadline : extendDeadline(cal, c.warnAt, hours, natural) };
    },
    limitMs: (c) => handlingDeadline(cal, sla, c, 0).limitMs,
  };
}
