// Case commands: each is checked by the pure lifecycle against the case's current state, appended
// to the log, and answered only after it is committed and projected. Commands on one case run one
// after another, so each is decided against the state its predecessor left.
import { decide, decideReport, type Decision } from '../../core/cases/lifecycle.ts';
import type { CaseCommand, CaseEvent, CaseReport, CaseState } from '../../core/cases/model.ts';
import { SYSTEM_ACTOR, type Actor } from '../../core/org.ts';
import type { Clock } from '../../core/domain.ts';
import type { Ack } from '../../core/protocol.ts';
import type { District } from '../district.ts';
import type { Projector } from '../projections/projector.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import { KeyedQueue } from '../keyed-queue.ts';
import { escalationDueAt, type BoundSla } from '../../core/cases/sla.ts';

/** Log event type of each case event: the past tense of its command. */
export const CASE_EVENT_TYPE: Record<CaseEvent['command'], NewEvent['type']> = {
  report: 'case:reported', file: 'case:filed', void: 'case:voided', dispatch: 'case:dispatched', accept: 'case:accepted',
  return: 'case:returned', feedback: 'case:fed-back', recheck: 'case:rechecked', close: 'case:closed', reply: 'case:replied',
  callback: 'case:called-back', 'request-extension': 'case:extension-requested', 'decide-extension': 'case:extension-decided',
  defer: 'case:deferred', park: 'case:parked', resume: 'case:resumed', 'close-on-spot': 'case:closed-on-spot',
  escalate: 'case:escalated', 'merge-alarm': 'case:alarm-merged', attach: 'case:attached', whistle: 'case:whistled',
};

export const caseEvent = (e: CaseEvent): NewEvent => ({ type: CASE_EVENT_TYPE[e.command], subject: e.caseId, ts: e.at, data: e });

/** What a command answers: the same discriminated ack the socket sends. */
export type Result<T> = Ack<T>;

export class CaseService {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly district: District,
    private readonly clock: Clock,
    readonly sla: BoundSla,
  ) {}

  /** Runs `fn` after every earlier task on the same case has finished. */
  serial<T>(caseId: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(caseId, fn);
  }

  /** Decides a new report: the event to log, a duplicate (known id), or an error. */
  decideReport(r: CaseReport, actor: Actor): ReturnType<typeof decideReport> {
    const place = this.district.resolvePlace(r.lon, r.lat);
    return decideReport(this.projector.cases.get(r.id), r, place, actor);
  }

  report(r: CaseReport, actor: Actor): Promise<Result<CaseState>> {
    return this.serial(r.id, () =>
      decideAndAppend(this.store, [r.id], () => {
        const d = this.decideReport(r, actor);
        if (!d.ok) return d;
        const state = () => ({ ok: true as const, data: this.projector.cases.get(r.id)! });
        return 'duplicate' in d ? state() : { events: [caseEvent(d.event)], answer: state };
      }),
    );
  }

  command(caseId: string, cmd: CaseCommand, actor: Actor, expectedVersion?: number, extra: NewEvent[] = []): Promise<Result<CaseState>> {
    return this.serial(caseId, () =>
      decideAndAppend(this.store, [caseId], () => {
        const d: Decision = decide(this.projector.cases.get(caseId), cmd, actor, { now: this.clock.now(), sla: this.sla }, expectedVersion);
        return d.ok ? { events: [caseEvent(d.event), ...extra], answer: () => ({ ok: true as const, data: this.projector.cases.get(caseId)! }) } : d;
      }),
    );
  }

  /** The case's timeline from the log. */
  async timeline(caseId: string): Promise<CaseEvent[]> {
    return (await this.store.readCaseEvents(caseId)).map((e) => e.data as CaseEvent).filter((e) => typeof e?.command === 'string');
  }

  /** Escalates every overdue case whose next escalation is due; returns how many moved up. */
  async escalateDue(): Promise<number> {
    const now = this.clock.now();
    const due: string[] = [];
    for (const c of this.projector.cases.running()) {
      const at = escalationDueAt(c, this.sla.limitMs(c));
      if (at !== null && now >= at) due.push(c.id);
    }
    let moved = 0;
    for (const id of due) {
      const r = await this.command(id, { type: 'escalate', note: '超期自动升级' }, SYSTEM_ACTOR);
      if (r.ok) moved++;
    }
    return moved;
  }
}
