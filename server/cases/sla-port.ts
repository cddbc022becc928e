// Binds the pure SLA functions to the configured working calendar and time limits.
import type { WorkingCalendar } from '../../core/cases/calendar.ts';
import type { SlaPort } from '../../core/cases/lifecycle.ts';
import type { CaseState } from '../../core/cases/model.ts';
import { dispatchDueAt, extendDeadline, handlingDeadline, remainingMs, resumeDeadline, type SlaConfig } from '../../core/cases/sla.ts';

export interface ServerSla extends SlaPort {
  readonly calendar: WorkingCalendar;
  /** The handling limit of a case in ms (working or natural), for escalation timing. */
  limitMs(c: Pick<CaseState, 'eventClass' | 'urgency'>): number;
}

export function bindSla(cal: WorkingCalendar, sla: SlaConfig): ServerSla {
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
