// The duty context: the roster (rotation + logged assignments), the duty log and the shift handover.
// Every change is an event in the log (duty:assigned, duty:noted, duty:signed); a handover draft is
// computed from the shift's operational events and frozen into the log by the first signature.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../core/domain.ts';
import type { Shift } from '../../core/shifts.ts';
import { actorRef } from '../../core/cases/lifecycle.ts';
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import { DISTRICT_CODE, placeInScope, type Actor } from '../../core/org.ts';
import { broadcastInScope } from '../../core/broadcast.ts';
import {
  alarmText, assignProblem, confineReport, sectionCounts, type HandoverItem, type HandoverItemKind, draftHandover, dutyFor, dutyNow, noteProblem, rosterBetween, signProblem,
  type DutyAssign, type DutyNote, type HandoverListItem, type DutyNoteInput, type DutyPool, type DutyShift, type HandoverCase, type HandoverReport, type HandoverSignature,
} from '../../core/duty.ts';
import { shiftAt } from '../../core/shifts.ts';
import { randomBytes } from 'node:crypto';
import { decideAndAppend, type Decided } from '../store/decide-append.ts';
import { SerialQueue } from '../keyed-queue.ts';
import { type EventStore, type StoredEvent, type Unsubscribe } from '../store/event-store.ts';
import type { Projector } from '../projections/projector.ts';

/** The most operational events one handover reads (a shift of a busy district has a few thousand). */
const MAX_SHIFT_EVENTS = 200_000;

export class DutyService {
  private readonly assigned = new Map<number, DutyAssign>();
  /** Frozen reports by shift start, with the signatures so far. */
  private readonly signed = new Map<number, HandoverReport>();
  /** The last duty event taken in: the log read at start and the commits after it overlap. */
  private seenSeq = 0;
  /** When the log began (its first event, or this first start): shifts that ended before it had no one here to sign. */
  private goLive = 0;
  /** Signing reads then writes: one at a time on this node (and conditional across nodes). */
  private readonly signing = new SerialQueue();

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly clock: Clock,
    readonly shifts: readonly Shift[],
    readonly pool: DutyPool,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Reads the roster changes and signatures logged so far, then follows the log: on a cluster
   * another node's assignment or signature is this node's too. Subscribed before the read, so
   * nothing committed meanwhile is missed; what both deliver is taken once.
   */
  async load(): Promise<Unsubscribe> {
    let pending: StoredEvent[] | null = [];
    const unsubscribe = this.store.onCommit((events) => {
      for (const e of events) {
        if (!e.type.startsWith('duty:')) continue;
        if (pending) pending.push(e);
        else this.take(e);
      }
    });
    this.goLive = (await this.store.readAfter(0, 1))[0]?.ts ?? this.clock.now();
    for (const e of await this.store.readOfType('duty:', 1_000_000)) this.take(e);
    for (const e of pending) this.take(e);
    pending = null;
    return unsubscribe;
  }

  private take(e: StoredEvent): void {
    if (e.seq <= this.seenSeq) return;
    this.seenSeq = e.seq;
    this.absorb(e.type, e.data);
  }

  private absorb(type: string, data: unknown): void {
    if (type === 'duty:assigned') {
      const a = (data as { assign: DutyAssign }).assign;
      this.assigned.set(a.shiftStart, a);
    } else if (type === 'duty:signed') {
      const d = data as { report?: HandoverReport; start: number; signature: HandoverSignature };
      // The first signature carries the frozen report; later ones only add themselves to it.
      if (d.report) this.signed.set(d.start, { ...d.report, signatures: [] });
      this.signed.get(d.start)?.signatures.push(d.signature);
    }
  }

  now(): { current: DutyShift; next: DutyShift } {
    return dutyNow(this.clock.now(), this.shifts, this.pool, this.assigned);
  }

  roster(from: number, to: number): DutyShift[] {
    return rosterBetween(from, to, this.shifts, this.pool, this.assigned);
  }

  /** The shift that starts exactly at `start`, or null when no shift starts then. */
  shiftStarting(start: number): DutyShift | null {
    const s = shiftAt(start, this.shifts);
    return s.start === start ? dutyFor(start, this.shifts, this.pool, this.assigned) : null;
  }

  /** A pool member's name for an actor id, so the log names the person and not the console. */
  private signer(actor: Actor): Actor {
    const p = this.pool.leaders.find((x) => x.id === actor.id) ?? this.pool.dispatchers.find((x) => x.id === actor.id);
    return p ? { ...actor, name: p.name } : actor;
  }

  async assign(a: DutyAssign, actor: Actor): Promise<Ack<DutyShift>> {
    return decideAndAppend<DutyShift>(this.store, [String(a.shiftStart)], () => this.decideAssign(a, actor));
  }

  private decideAssign(a: DutyAssign, actor: Actor): Decided<DutyShift> {
    const shift = this.shiftStarting(a.shiftStart);
    if (!shift) return { ok: false, code: ERROR_CODES.invalidCommand, message: `no shift starts at ${new Date(a.shiftStart).toISOString()}: take shiftStart from GET /api/duty/roster` };
    const problem = assignProblem(actor, a, this.pool);
    if (problem) return { ok: false, code: actor.role === 'duty-leader' || actor.role === 'dispatcher' ? ERROR_CODES.invalidCommand : ERROR_CODES.forbidden, message: problem };
    if (shift.end <= this.clock.now()) return { ok: false, code: ERROR_CODES.conflict, message: 'this shift is over: the roster of a past shift is kept as it was' };
    const at = this.clock.now();
    return {
      events: [{ type: 'duty:assigned', subject: String(a.shiftStart), ts: at, data: { assign: a, actor: actorRef(this.signer(actor)), at } }],
      answer: () => ({ ok: true, data: this.shiftStarting(a.shiftStart)! }),
    };
  }

  async note(input: DutyNoteInput, actor: Actor): Promise<Ack<DutyNote>> {
    // A blank text is a bad note whoever writes it, not a permission problem.
    if (!input.text.trim()) return { ok: false, code: ERROR_CODES.invalidCommand, message: '/note/text is blank' };
    if ((input.kind === 'call') !== Boolean(input.contact)) return { ok: false, code: ERROR_CODES.invalidCommand, message: input.contact ? '/note/contact: only a call has a contact' : '/note/contact: a call names whom it was to' };
    const problem = noteProblem(actor, input);
    if (problem) return { ok: false, code: ERROR_CODES.forbidden, message: problem };
    if (input.caseId && !this.projector.cases.get(input.caseId)) return { ok: false, code: ERROR_CODES.notFound, message: `no case "${input.caseId}"` };
    const at = this.clock.now();
    // Random, not counted: two nodes noting in the same millisecond must not share an id.
    const note: DutyNote = { id: `DN-${at.toString(36)}-${randomBytes(4).toString('hex')}`, at, actor: actorRef(this.signer(actor)), kind: input.kind, text: input.text.trim(), ...(input.caseId ? { caseId: input.caseId } : {}), ...(input.contact ? { contact: input.contact } : {}) };
    await this.store.append([{ type: 'duty:noted', subject: input.caseId ?? note.id, ts: at, data: note }]);
    return { ok: true, data: note };
  }

  /** A note is seen in an area when its case lies there, or (no case) when someone of that area wrote it. */
  private noteIn(area: string): (n: DutyNote) => boolean {
    if (area === DISTRICT_CODE) return () => true;
    return (n) => {
      if (!n.caseId) return n.actor.org.startsWith(area);
      const c = this.projector.cases.get(n.caseId);
      return c !== undefined && placeInScope(area, c);
    };
  }

  /** Where a handover item lies, read from the projections; an item whose place cannot be told is the district's only. */
  private itemIn(area: string): (item: HandoverItem, kind: HandoverItemKind) => boolean {
    return (item, kind) => {
      if (item.caseId) {
        const c = this.projector.cases.get(item.caseId);
        return c !== undefined && placeInScope(area, c);
      }
      if (kind === 'alarms' || kind === 'activeAlarms') {
        const a = this.projector.alarms.get(item.subject);
        return a !== undefined && placeInScope(area, a);
      }
      if (kind === 'broadcasts') {
        const b = this.projector.broadcasts.get(item.subject);
        return b !== undefined && broadcastInScope(area, b);
      }
      // A drone flight to a point (no case): the district's drones fly for every screen.
      return kind === 'droneFlights';
    };
  }

  private confined(report: HandoverReport, area: string): HandoverReport {
    return area === DISTRICT_CODE ? report : confineReport(report, this.itemIn(area), this.noteIn(area));
  }

  /** Duty log entries with time in [from, to) that a reader of `area` may see, newest first, optionally of one case. */
  async notes(from: number, to: number, area: string, caseId?: string, limit = 500): Promise<DutyNote[]> {
    const out: DutyNote[] = [];
    const visible = this.noteIn(area);
    for (const e of await this.store.readOperations(from, to, MAX_SHIFT_EVENTS)) {
      if (e.type !== 'duty:noted') continue;
      const n = e.data as DutyNote;
      if ((!caseId || n.caseId === caseId) && visible(n)) out.push(n);
    }
    return out.reverse().slice(0, limit);
  }

  /** The report of the shift starting at `start` as a reader of `area` may see it: the frozen one once signed, else a fresh draft. */
  async handover(start: number, area: string): Promise<HandoverReport | null> {
    const report = await this.wholeHandover(start);
    return report && this.confined(report, area);
  }

  private async wholeHandover(start: number): Promise<HandoverReport | null> {
    const frozen = this.signed.get(start);
    if (frozen) return frozen;
    const duty = this.shiftStarting(start);
    if (!duty) return null;
    const now = this.clock.now();
    if (start > now) return null;
    const events = await this.store.readOperations(duty.start, duty.end, MAX_SHIFT_EVENTS);
    if (events.length === MAX_SHIFT_EVENTS) this.log.warn({ start }, 'handover: shift has more operational events than read');
    const cases = new Map<string, HandoverCase>();
    for (const c of this.projector.cases.all()) cases.set(c.id, c);
    const openWhistles = [...this.projector.whistles.all()].filter((w) => w.closedAt === null).map((w) => ({ id: w.id, caseId: w.caseId, kind: w.kind, blownAt: w.blownAt }));
    const activeAlarms = this.projector.alarms.visible(() => true, now).filter((a) => a.status === 'active').map((a) => ({ id: a.id, raisedAt: a.raisedAt, caseId: a.caseId, text: alarmText(a), eventClass: a.eventClass, deviceId: a.deviceId }));
    const next = dutyFor(duty.end, this.shifts, this.pool, this.assigned);
    return { ...draftHandover({ duty, next, events, cases, openWhistles, activeAlarms, now }), signatures: [] };
  }

  sign(start: number, role: HandoverSignature['role'], actor: Actor, area: string, note?: string): Promise<Ack<HandoverReport>> {
    // Decided on the log's latest; another node's signature logged meanwhile decides it again, once.
    return this.signing.run(() => decideAndAppend(this.store, [String(start)], () => this.decideSign(start, role, actor, area, note)));
  }

  private async decideSign(start: number, role: HandoverSignature['role'], actor: Actor, area: string, note?: string): Promise<Decided<HandoverReport>> {
    const report = await this.wholeHandover(start);
    if (!report) return { ok: false, code: ERROR_CODES.notFound, message: 'no shift starts then, or it has not started yet' };
    const now = this.clock.now();
    const problem = signProblem(actor, role, report, now);
    if (problem) return { ok: false, code: actor.role === 'duty-leader' ? ERROR_CODES.conflict : ERROR_CODES.forbidden, message: problem };
    const expected = role === 'outgoing' ? report.duty.leader : report.next.leader;
    if (actor.id !== expected.id) return { ok: false, code: ERROR_CODES.forbidden, message: `the ${role} leader of this handover is ${expected.name} (${expected.id})` };
    const signature: HandoverSignature = { role, actor: actorRef(this.signer(actor)), at: now, ...(note?.trim() ? { note: note.trim() } : {}) };
    const first = report.signatures.length === 0;
    return {
      events: [{ type: 'duty:signed', subject: String(start), ts: now, data: { start, signature, ...(first ? { report: { ...report, signatures: [] } } : {}) } }],
      // Taken in through the commit listener before the append resolves.
      answer: () => ({ ok: true, data: this.confined(this.signed.get(start)!, area) }),
    };
  }

  /** The recent shifts (newest first) with their signatures and, when frozen, their counts of what a reader of `area` may see. */
  handovers(limit: number, area: string): HandoverListItem[] {
    const now = this.clock.now();
    let start = shiftAt(now, this.shifts).start;
    const out: HandoverListItem[] = [];
    while (out.length < limit) {
      const duty = dutyFor(start, this.shifts, this.pool, this.assigned);
      const frozen = this.signed.get(start);
      out.push({
        start, end: duty.end, leader: duty.leader.name, signatures: frozen?.signatures ?? [],
        beforeGoLive: duty.end <= this.goLive,
        counts: frozen ? sectionCounts(this.confined(frozen, area)) : null,
      });
      start = shiftAt(start - 1, this.shifts).start;
    }
    return out;
  }
}
