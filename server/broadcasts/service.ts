// Emergency broadcasts: a send is checked by core/broadcast.ts, logged with its resolved targets,
// then each point gets its command over the field link; receipts from the broadcast platform are
// checked one by one and logged in batches; a sweep marks points that never answered.
import { randomBytes } from 'node:crypto';
import { Compile } from 'typebox/compile';
import {
  BroadcastMessageSchema, BroadcastReceiptSchema, BroadcastSendSchema, SelectionSchema, deadlineFor, normalizeMessage, overduePoints, placesOf, receiptProblem, selectionProblem,
  selectPoints, sendProblem, summarize, type BroadcastCommand, type BroadcastEvent, type BroadcastMessage, type BroadcastSummary, type BroadcastTarget, type Selection,
} from '../../core/broadcast.ts';
import { commandTopic } from '../../core/field.ts';
import { actorRef } from '../../core/cases/lifecycle.ts';
import { placeInScope, scopeOf, type Actor } from '../../core/org.ts';
import { ERROR_CODES, type Ack, type ErrorCode, type RecordError } from '../../core/protocol.ts';
import { needsApproval } from '../../core/broadcast-approval.ts';
import type { ActorRef } from '../../core/cases/model.ts';
import type { Clock } from '../../core/domain.ts';
import type { District } from '../district.ts';
import type { FieldLink, UplinkResult } from '../field/link.ts';
import type { Projector } from '../projections/projector.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import { describeErrors, recordChecker, unionProblem, type SchemaError } from '../ingest/record-check.ts';

export interface BroadcastOptions {
  /** How long a point has to answer, on top of the playing time of every repeat. */
  answerWindowMs: number;
}

/** A send or request that passed every check, with its targets. */
export interface Resolved {
  ok: true;
  id: string;
  message: BroadcastMessage;
  selection: Selection;
  targetIds: string[];
  places: string[];
}
export type Refusal = { ok: false; code: ErrorCode; message: string };

export interface Logger {
  warn(obj: object, msg: string): void;
}

const checkSend = Compile(BroadcastSendSchema);
const checkReceipt = recordChecker(BroadcastReceiptSchema);

export const broadcastEvent = (e: BroadcastEvent): NewEvent => ({ type: `broadcast:${e.type}`, subject: e.broadcastId, ts: e.at, data: e });

const checkMessage = Compile(BroadcastMessageSchema);
/** Checked against the mode it names, so an error names the field of THAT mode rather than of the union. */
const selectionShapeProblem = unionProblem(SelectionSchema, 'mode');

function fieldProblem(check: { Check(v: unknown): boolean; Errors(v: unknown): Iterable<unknown> }, value: unknown, at: string): string | null {
  if (check.Check(value)) return null;
  const [first] = describeErrors([...check.Errors(value)] as SchemaError[]);
  return `${at}${first?.field ?? ''} ${first?.message ?? 'is invalid'}`.trim();
}

/** What is wrong with the shape of a send (as the refusal says it), or null. */
export function broadcastSendProblem(body: unknown): string | null {
  if (checkSend.Check(body)) return null;
  const b = (body && typeof body === 'object' ? body : {}) as { message?: unknown; selection?: unknown };
  return fieldProblem(checkMessage, b.message, '/message') ?? selectionShapeProblem(b.selection, '/selection') ?? fieldProblem(checkSend, body, '') ?? 'payload is an invalid broadcast';
}

export class BroadcastService {
  private serialNo = 0;

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly district: District,
    private readonly field: FieldLink,
    private readonly clock: Clock,
    private readonly options: BroadcastOptions,
    private readonly log: Logger,
  ) {}

  /**
   * The points in service now, with their places: the dataset's and those an admin provisioned,
   * less the retired (the registry's view), so a point installed last week can be reached at once.
   */
  points(): BroadcastTarget[] {
    // Placed on every send (a grid lookup per point, rare human actions): an imported boundary or a
    // moved point is then always where the district now says.
    return this.projector.registry.inService('broadcast').map((d) => {
      const place = this.district.resolvePlace(d.lon, d.lat);
      return { id: d.id, lon: d.lon, lat: d.lat, townshipCode: place.townshipCode, communityCode: place.communityCode };
    });
  }

  newId(): string {
    // The random part keeps two nodes of a cluster from naming two broadcasts alike in one millisecond.
    return `B-${this.clock.now().toString(36).toUpperCase()}-${++this.serialNo}${randomBytes(2).toString('hex').toUpperCase()}`;
  }

  /**
   * Checks a send or a request (shape, text, selection, who may reach those points) and resolves
   * its targets; the refusal otherwise, naming the field.
   */
  resolve(body: unknown, actor: Actor): Resolved | Refusal {
    const invalid = (field: string, message: string) => ({ ok: false as const, code: ERROR_CODES.invalidCommand, message: `${field || 'payload'} ${message}` });
    const schema = broadcastSendProblem(body);
    if (schema) return { ok: false, code: ERROR_CODES.invalidCommand, message: schema };
    const req = body as { message: BroadcastMessage; selection: Selection; broadcastId?: string };
    const msg = normalizeMessage(req.message);
    if (!msg.ok) return invalid(msg.field, msg.message);
    const selProblem = selectionProblem(req.selection);
    if (selProblem) return invalid(selProblem.field, selProblem.message);
    let selection = req.selection;
    if (selection.mode === 'radius' && selection.caseId !== undefined) {
      // Around a case: its recorded location is the center, whatever the client sent.
      const c = this.projector.cases.get(selection.caseId);
      if (!c || !placeInScope(scopeOf(actor), c)) return { ok: false, code: ERROR_CODES.notFound, message: `no case "${selection.caseId}" in your area` };
      selection = { ...selection, lon: c.lon, lat: c.lat };
    }
    const points = this.points();
    const targetIds = selectPoints(selection, points);
    if (targetIds.length === 0) return invalid('/selection', 'reaches no broadcast point');
    const byId = new Map(points.map((p) => [p.id, p]));
    const targets = targetIds.map((id) => byId.get(id)!);
    const forbidden = sendProblem(actor, targets);
    if (forbidden) return { ok: false, code: ERROR_CODES.forbidden, message: forbidden.message };
    return { ok: true, id: req.broadcastId ?? this.newId(), message: msg.message, selection, targetIds, places: placesOf(targets) };
  }

  /** The sent event of a resolved broadcast, at `now` (also what an approval sends). */
  sentEvent(id: string, actor: ActorRef, r: Pick<Resolved, 'message' | 'selection' | 'targetIds' | 'places'>, now: number): NewEvent {
    return broadcastEvent({
      type: 'sent', broadcastId: id, at: now, actor, message: r.message, selection: r.selection, targets: r.targetIds,
      places: r.places, deadline: deadlineFor(now, r.message, this.options.answerWindowMs),
    });
  }

  /** Validates, authorizes, logs and publishes one broadcast; answers once it is logged. 紧急/特急 must be requested instead. */
  async send(body: unknown, actor: Actor): Promise<Ack<BroadcastSummary>> {
    const r = this.resolve(body, actor);
    if (!r.ok) return r;
    if (needsApproval(r.message.priority)) {
      return { ok: false, code: ERROR_CODES.forbidden, message: `a ${r.message.priority} broadcast needs a duty leader's approval: request it (broadcast:request, POST /api/broadcasts/requests)` };
    }
    return decideAndAppend<BroadcastSummary>(this.store, [r.id], () => {
      // Decided again on a caught-up projection: a retried broadcastId sent to two nodes is sent once.
      if (this.taken(r.id)) return { ok: false, code: ERROR_CODES.conflict, message: `broadcast ${r.id} was already sent or requested` };
      return {
        events: [this.sentEvent(r.id, actorRef(actor), r, this.clock.now())],
        answer: () => this.published(r.id),
      };
    });
  }

  /** Is the id in use, by a broadcast or a request? */
  taken(id: string): boolean {
    return this.projector.broadcasts.get(id) !== undefined || this.projector.broadcastRequests.get(id) !== undefined;
  }

  /** Once a sent event is committed: publishes its commands and answers its summary. */
  published(id: string): Ack<BroadcastSummary> {
    const b = this.projector.broadcasts.get(id)!;
    void this.publish(id, b.message, Object.keys(b.points));
    return { ok: true, data: summarize(b) };
  }

  /** One command per point; a point whose command cannot be handed to the broker simply never answers (no-answer at the deadline). */
  private async publish(broadcastId: string, m: BroadcastMessage, targets: string[]): Promise<void> {
    const command: BroadcastCommand = { broadcastId, text: m.text, priority: m.priority, repeat: m.repeat };
    const results = await Promise.allSettled(targets.map((id) => this.field.publish(commandTopic('broadcast', id), command)));
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) this.log.warn({ broadcastId, failed: failed.length, err: (failed[0] as PromiseRejectedResult).reason }, 'broadcast commands not published');
  }

  /** UplinkHandler for 'broadcast-receipts': checks each record, logs the good ones batched per broadcast and outcome. */
  async receipts(records: unknown[]): Promise<UplinkResult> {
    const rejected: RecordError[] = [];
    const delivered = new Map<string, Array<{ pointId: string; ts: number }>>();
    const failed = new Map<string, Array<{ pointId: string; ts: number; reason: string }>>();
    const seen = new Set<string>();
    let accepted = 0;
    records.forEach((raw, index) => {
      const checked = checkReceipt(raw, index);
      if (!checked.ok) return void rejected.push(checked.error);
      const r = checked.value;
      const problem = receiptProblem(this.projector.broadcasts.get(r.broadcastId), r);
      if (problem && problem !== 'duplicate') {
        return void rejected.push({ index, id: r.pointId, field: problem.field, code: ERROR_CODES.invalidRecord, message: problem.message });
      }
      accepted++;
      const key = `${r.broadcastId}\n${r.pointId}`;
      if (problem === 'duplicate' || seen.has(key)) return; // already answered: acknowledged, nothing to log
      seen.add(key);
      if (r.ok) push(delivered, r.broadcastId, { pointId: r.pointId, ts: r.ts });
      else push(failed, r.broadcastId, { pointId: r.pointId, ts: r.ts, reason: r.reason ?? '未说明原因' });
    });
    const now = this.clock.now();
    const events: NewEvent[] = [];
    for (const [broadcastId, receipts] of delivered) events.push(broadcastEvent({ type: 'delivered', broadcastId, at: now, receipts }));
    for (const [broadcastId, receipts] of failed) events.push(broadcastEvent({ type: 'failed', broadcastId, at: now, receipts }));
    if (events.length > 0) await this.store.append(events);
    return { accepted, rejected };
  }

  /** Marks the points of every broadcast past its deadline as no-answer (which completes it). Returns how many points. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const events: NewEvent[] = [];
    let points = 0;
    for (const b of this.projector.broadcasts.openOnes()) {
      const pointIds = overduePoints(b, now);
      if (pointIds.length === 0) continue;
      points += pointIds.length;
      events.push(broadcastEvent({ type: 'timed-out', broadcastId: b.id, at: now, pointIds }));
    }
    if (events.length > 0) await this.store.append(events);
    return points;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
