// Leader approval of urgent broadcasts: a 紧急/特急 broadcast is checked and resolved as a send is,
// then logged as requested; a duty leader's approval logs the decision and the sent broadcast in
// one append (so an approved request is never left unsent), a rejection only the decision. The
// rules are core/broadcast-approval.ts; a sweep expires requests nobody decided in time.
import {
  decideRequest, expiresAtFor, needsApproval, requestView, type BroadcastRequestEvent, type BroadcastRequestView, type RequestCommand,
} from '../../core/broadcast-approval.ts';
import type { BroadcastSummary } from '../../core/broadcast.ts';
import { actorRef } from '../../core/cases/lifecycle.ts';
import type { Clock } from '../../core/domain.ts';
import { SYSTEM_ACTOR, scopeOf, type Actor } from '../../core/org.ts';
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import type { Projector } from '../projections/projector.ts';
import { requestInScope } from '../projections/broadcast-request-book.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import type { BroadcastService, Refusal } from './service.ts';

export const requestEvent = (e: BroadcastRequestEvent): NewEvent => ({ type: `broadcast:${e.type}`, subject: e.broadcastId, ts: e.at, data: e });

export interface ApprovalOptions {
  /** How long a request waits for a decision before it expires. */
  approvalWindowMs: number;
}

export class BroadcastApprovals {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly broadcasts: BroadcastService,
    private readonly clock: Clock,
    private readonly options: ApprovalOptions,
  ) {}

  /** Asks for an urgent broadcast: checked as a send is, logged as pending; nothing is played yet. */
  async request(body: unknown, actor: Actor): Promise<Ack<BroadcastRequestView>> {
    const r = this.broadcasts.resolve(body, actor);
    if (!r.ok) return r;
    if (!needsApproval(r.message.priority)) {
      return { ok: false, code: ERROR_CODES.invalidCommand, message: `/message/priority ${r.message.priority} needs no approval: send it (broadcast:send)` };
    }
    return decideAndAppend<BroadcastRequestView>(this.store, [r.id], () => {
      if (this.broadcasts.taken(r.id)) return { ok: false, code: ERROR_CODES.conflict, message: `broadcast ${r.id} was already sent or requested` };
      const at = this.clock.now();
      const event: BroadcastRequestEvent = {
        type: 'requested', broadcastId: r.id, at, actor: actorRef(actor), message: r.message, selection: r.selection,
        targets: r.targetIds, places: r.places, expiresAt: expiresAtFor(at, this.options.approvalWindowMs),
      };
      return { events: [requestEvent(event)], answer: () => this.viewOf(r.id) };
    });
  }

  /** A duty leader approves: the decision and the broadcast itself are logged together, then the points get it. */
  approve(broadcastId: string, actor: Actor): Promise<Ack<BroadcastSummary>> {
    return decideAndAppend<BroadcastSummary>(this.store, [broadcastId], () => {
      const d = this.decide(broadcastId, { type: 'approve' }, actor);
      if (!d.ok) return d;
      const r = this.projector.broadcastRequests.get(broadcastId)!;
      const sent = this.broadcasts.sentEvent(broadcastId, r.requestedBy, { message: r.message, selection: r.selection, targetIds: r.targets, places: r.places }, d.event.at);
      return {
        events: [requestEvent(d.event), sent],
        answer: () => this.broadcasts.published(broadcastId),
      };
    });
  }

  /** A duty leader rejects, saying why: logged, nothing sent. */
  reject(broadcastId: string, reason: string, actor: Actor): Promise<Ack<BroadcastRequestView>> {
    return decideAndAppend<BroadcastRequestView>(this.store, [broadcastId], () => {
      const d = this.decide(broadcastId, { type: 'reject', reason }, actor);
      if (!d.ok) return d;
      return { events: [requestEvent(d.event)], answer: () => this.viewOf(broadcastId) };
    });
  }

  /** Expires every pending request whose time has run out; returns how many. */
  async expireDue(): Promise<number> {
    const events: NewEvent[] = [];
    for (const r of this.projector.broadcastRequests.pending()) {
      const d = decideRequest(r, { type: 'expire' }, SYSTEM_ACTOR, this.clock);
      if (d.ok) events.push(requestEvent(d.event));
    }
    if (events.length > 0) await this.store.append(events);
    return events.length;
  }

  /** The request as the actor may see it (NOT_FOUND outside their area), decided by core's table. */
  private decide(broadcastId: string, cmd: RequestCommand, actor: Actor): Refusal | { ok: true; event: BroadcastRequestEvent } {
    const r = this.projector.broadcastRequests.get(broadcastId);
    if (!r || !requestInScope(scopeOf(actor), r)) return { ok: false, code: ERROR_CODES.notFound, message: `no broadcast request "${broadcastId}" in your area` };
    return decideRequest(r, cmd, actor, this.clock);
  }

  private viewOf(id: string): Ack<BroadcastRequestView> {
    return { ok: true, data: requestView(this.projector.broadcastRequests.get(id)!) };
  }
}
