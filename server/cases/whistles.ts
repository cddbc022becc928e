// Whistle-and-report (吹哨报到) commands: decided by core/whistle.ts, logged, answered after commit.
// Blowing a whistle also marks the case (a `case:whistled` event in the same commit), so the case's
// timeline shows it.
import { randomBytes } from 'node:crypto';
import { actorRef } from '../../core/cases/lifecycle.ts';
import type { Actor } from '../../core/org.ts';
import type { Clock } from '../../core/domain.ts';
import { decide, type WhistleCommand, type WhistleEvent, type WhistleState } from '../../core/whistle.ts';
import type { Projector } from '../projections/projector.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import { caseEvent, type CaseService, type Result } from './service.ts';

export const whistleEvent = (e: WhistleEvent): NewEvent => ({ type: `whistle:${e.type}`, subject: e.whistleId, ts: e.at, data: e });

export class WhistleService {
  private serialNo = 0;

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly cases: CaseService,
    private readonly clock: Clock,
  ) {}

  /** A fresh whistle id: W-<time base36>-<n>. */
  newId(): string {
    // The random part keeps two nodes of a cluster from naming two whistles alike in one millisecond.
    return `W-${this.clock.now().toString(36).toUpperCase()}-${++this.serialNo}${randomBytes(2).toString('hex').toUpperCase()}`;
  }

  command(whistleId: string, cmd: WhistleCommand, actor: Actor): Promise<Result<WhistleState>> {
    // Whistle commands share the case's queue when they touch it, so the case stage they check is current.
    const key = cmd.type === 'blow' ? cmd.caseId : (this.projector.whistles.get(whistleId)?.caseId ?? whistleId);
    return this.cases.serial(key, () =>
      decideAndAppend(this.store, [whistleId, key], () => {
        const now = this.clock.now();
        const state = this.projector.whistles.get(whistleId) ?? null;
        const d = decide(state, cmd.type === 'blow' ? { ...cmd, whistleId } : cmd, actor, { now, caseOf: (id) => this.projector.cases.get(id) });
        if (!d.ok) return d;
        const events = [whistleEvent(d.event)];
        if (d.event.type === 'blown') {
          const c = this.projector.cases.get(d.event.caseId)!;
          events.push(caseEvent({ caseId: c.id, command: 'whistle', from: c.stage, to: c.stage, at: now, actor: actorRef(actor), note: d.event.note, data: { whistleId } }));
        }
        return { events, answer: () => ({ ok: true as const, data: this.projector.whistles.get(whistleId)! }) };
      }),
    );
  }
}
