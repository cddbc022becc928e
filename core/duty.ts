// The duty rotation of the center (县干轮流坐班): who is on duty in each shift (a county-level duty
// leader, the dispatchers, the departments' stationed staff), the duty log (领导批示, decisions,
// instructions) and the shift handover report drafted from the log. Pure and clock-free.
import { Type, type Static } from 'typebox';
import { shiftAt, type Shift } from './shifts.ts';
import type { ActorRef } from './cases/model.ts';
import type { Actor } from './org.ts';
import { DISTRICT_CODE } from './org.ts';
import { EVENT_CLASS_BY_CODE } from './taxonomy.ts';
import { SHANGHAI_OFFSET_MS } from './time.ts';

const PersonSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    title: Type.Optional(Type.String({ maxLength: 60 })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    /** Department id (DEPT-*) for stationed staff. */
    dept: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);
export type DutyPerson = Static<typeof PersonSchema>;

/** The people who take turns: the roster rotates through each pool shift by shift. */
export const DutyPoolSchema = Type.Object(
  {
    leaders: Type.Array(PersonSchema, { minItems: 1, maxItems: 200 }),
    dispatchers: Type.Array(PersonSchema, { minItems: 1, maxItems: 500 }),
    /** Stationed staff of the departments (部门坐班); each department rotates through its own people. */
    stationed: Type.Array(PersonSchema, { maxItems: 1000 }),
    /** Dispatchers per shift. */
    dispatchersPerShift: Type.Integer({ minimum: 1, maximum: 10 }),
  },
  { additionalProperties: false },
);
export type DutyPool = Static<typeof DutyPoolSchema>;

/** An explicit assignment for one shift that overrides the rotation (logged as `duty:assigned`). */
export const DutyAssignSchema = Type.Object(
  {
    /** Start of the shift, UTC ms (as GET /api/duty/roster lists it). */
    shiftStart: Type.Integer({ minimum: 1_577_836_800_000, maximum: 4_102_444_800_000 }),
    leaderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    dispatcherIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 10 })),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type DutyAssign = Static<typeof DutyAssignSchema>;

export interface DutyShift {
  start: number;
  end: number;
  leader: DutyPerson;
  dispatchers: DutyPerson[];
  stationed: DutyPerson[];
  /** 'assigned' when someone changed the rotation for this shift. */
  source: 'rotation' | 'assigned';
}

const DAY_MS = 86_400_000;

/** A shift's number since the epoch: consecutive shifts get consecutive numbers. */
function shiftNumber(start: number, shifts: readonly Shift[]): number {
  const starts = shifts.map((s) => s.startMin).sort((a, b) => a - b);
  const local = start + SHANGHAI_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const minute = Math.round((local - day * DAY_MS) / 60_000);
  const i = starts.indexOf(minute);
  return day * starts.length + Math.max(0, i);
}

const pick = <T>(pool: readonly T[], n: number, k: number): T => pool[(((n * k) % pool.length) + pool.length) % pool.length];

/** Who is on duty in the shift starting at `start` by the rotation, with any later assignment applied. */
export function dutyFor(start: number, shifts: readonly Shift[], pool: DutyPool, assigned: ReadonlyMap<number, DutyAssign>): DutyShift {
  const { end } = shiftAt(start, shifts);
  const n = shiftNumber(start, shifts);
  const byId = new Map([...pool.leaders, ...pool.dispatchers].map((p) => [p.id, p]));
  let leader = pick(pool.leaders, n, 1);
  const count = Math.min(pool.dispatchersPerShift, pool.dispatchers.length);
  let dispatchers = Array.from({ length: count }, (_, i) => pool.dispatchers[(n * count + i) % pool.dispatchers.length]);
  const depts = [...new Set(pool.stationed.map((p) => p.dept ?? ''))];
  const stationed = depts.map((d) => pick(pool.stationed.filter((p) => (p.dept ?? '') === d), n, 1));
  const a = assigned.get(start);
  if (a) {
    if (a.leaderId && byId.has(a.leaderId)) leader = byId.get(a.leaderId)!;
    if (a.dispatcherIds) dispatchers = a.dispatcherIds.map((id) => byId.get(id)).filter((p): p is DutyPerson => !!p);
  }
  return { start, end, leader, dispatchers, stationed, source: a ? 'assigned' : 'rotation' };
}

/** The shift on duty at `now` and the one after it. */
export function dutyNow(now: number, shifts: readonly Shift[], pool: DutyPool, assigned: ReadonlyMap<number, DutyAssign>): { current: DutyShift; next: DutyShift } {
  const cur = shiftAt(now, shifts);
  return { current: dutyFor(cur.start, shifts, pool, assigned), next: dutyFor(cur.end, shifts, pool, assigned) };
}

/** The shifts whose start lies in [from, to), in order (at most `max`). */
export function rosterBetween(from: number, to: number, shifts: readonly Shift[], pool: DutyPool, assigned: ReadonlyMap<number, DutyAssign>, max = 200): DutyShift[] {
  const out: DutyShift[] = [];
  let start = shiftAt(from, shifts).start;
  if (start < from) start = shiftAt(start, shifts).end;
  while (start < to && out.length < max) {
    out.push(dutyFor(start, shifts, pool, assigned));
    start = shiftAt(start, shifts).end;
  }
  return out;
}

/** Why `problem` for someone changing the roster: district duty leaders and dispatchers only. */
export function assignProblem(actor: Actor, a: DutyAssign, pool: DutyPool): string | null {
  if (actor.org !== DISTRICT_CODE || (actor.role !== 'duty-leader' && actor.role !== 'dispatcher')) return 'only the district center\'s duty leaders and dispatchers change the duty roster';
  if (!a.leaderId && !a.dispatcherIds) return 'name a leaderId or dispatcherIds';
  if (a.leaderId && !pool.leaders.some((p) => p.id === a.leaderId)) return `leaderId "${a.leaderId}" is not in the duty pool's leaders`;
  const unknown = (a.dispatcherIds ?? []).filter((id) => !pool.dispatchers.some((p) => p.id === id));
  if (unknown.length) return `dispatcherIds ${unknown.join(', ')} are not in the duty pool's dispatchers`;
  return null;
}

// ---- duty log ------------------------------------------------------------------------------

/** 'call': someone on duty called a person from the screen (logged by the call button, not written). */
export const DUTY_NOTE_KINDS = ['instruction', 'decision', 'note', 'call'] as const;
export type DutyNoteKind = (typeof DUTY_NOTE_KINDS)[number];
/** The kinds a person writes in the duty log's form. */
export const WRITTEN_NOTE_KINDS = ['instruction', 'decision', 'note'] as const satisfies readonly DutyNoteKind[];

/** Whom a call was to: a name and the number dialled (0556-5501001, 13812345678). */
export const CallContactSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    phone: Type.String({ pattern: '^\\+?[0-9][0-9 -]{2,19}$' }),
  },
  { additionalProperties: false },
);
export type CallContact = Static<typeof CallContactSchema>;

export const DutyNoteSchema = Type.Object(
  {
    kind: Type.Enum(DUTY_NOTE_KINDS),
    /** What the note says; for a call, who the person is to the center (their role, their grid). */
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    /** The case the instruction or decision is about. */
    caseId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** A call's other end (kind 'call' only). */
    contact: Type.Optional(CallContactSchema),
  },
  { additionalProperties: false },
);
export type DutyNoteInput = Static<typeof DutyNoteSchema>;

export interface DutyNote extends DutyNoteInput {
  id: string;
  at: number;
  actor: ActorRef;
}

/** Who may write in the duty log: the centers' staff on duty, not screens, grid workers or departments. */
export function noteProblem(actor: Actor, note: DutyNoteInput): string | null {
  if (actor.role === 'display' || actor.role === 'grid-worker' || actor.role === 'system') return `a ${actor.role} does not write in the duty log`;
  if (note.kind === 'instruction' && actor.role !== 'duty-leader') return 'instructions (领导批示) are the duty leader\'s';
  if (note.kind === 'call' && !note.contact) return 'a call names whom it was to (contact: name and phone)';
  if (note.kind !== 'call' && note.contact) return 'only a call has a contact';
  if (!note.text.trim()) return 'the text is empty';
  return null;
}

// ---- shift handover ------------------------------------------------------------------------

/** An event of the log as the handover reads it (server StoredEvent has these fields). */
export interface LoggedEvent {
  seq: number;
  ts: number;
  type: string;
  subject: string;
  data: unknown;
}

export interface HandoverItem {
  seq: number;
  at: number;
  /** Case, whistle, alarm, mission or broadcast id. */
  subject: string;
  /** Case id the item is about, when there is one. */
  caseId: string | null;
  /** The item's data (a case title, a message): shown as is. Reports frozen before `facts` existed carry a whole sentence here. */
  text: string;
  /** Codes the screen words in its own language (a whistle's kind, a drone's action, ...), never shown raw. */
  facts?: HandoverFacts;
}

export interface HandoverFacts {
  whistleKind?: string;
  droneAction?: string;
  broadcastPoints?: number;
  eventClass?: string;
  deviceId?: string;
}

/** The case facts the report needs (the server's case book has them). */
export interface HandoverCase {
  id: string;
  title: string;
  stage: string;
  urgency: string;
  deadline: number | null;
  handledAt: number | null;
  closedAt: number | null;
  voidedAt: number | null;
  townshipCode: string;
}

export const HANDOVER_SECTIONS = ['reported', 'closed', 'overdue', 'escalated', 'whistles', 'alarms', 'droneFlights', 'broadcasts'] as const;
export type HandoverSection = (typeof HANDOVER_SECTIONS)[number];

export interface HandoverSignature {
  role: 'outgoing' | 'incoming';
  actor: ActorRef;
  at: number;
  note?: string;
}

export interface HandoverReport {
  shift: { start: number; end: number };
  duty: DutyShift;
  next: DutyShift;
  /** Per section, the events of the shift in time order. */
  sections: Record<HandoverSection, HandoverItem[]>;
  /** Still open when the report was drafted: what the incoming shift must watch. */
  attention: { overdueCases: HandoverItem[]; urgentCases: HandoverItem[]; openWhistles: HandoverItem[]; activeAlarms: HandoverItem[] };
  notes: DutyNote[];
  draftedAt: number;
  /** Signatures; the report is frozen from the first one on. */
  signatures: HandoverSignature[];
}

/** One shift in the list of handovers: its signatures and, once frozen, its counts per section. */
export interface HandoverListItem {
  start: number;
  end: number;
  leader: string;
  signatures: HandoverSignature[];
  /** The shift ended before the server's log began (its first start): never signable, not "unsigned". */
  beforeGoLive: boolean;
  counts: Record<string, number> | null;
}

export interface HandoverInput {
  duty: DutyShift;
  next: DutyShift;
  /** The operational events with ts in [duty.start, duty.end) (more are ignored). */
  events: readonly LoggedEvent[];
  cases: ReadonlyMap<string, HandoverCase>;
  openWhistles: ReadonlyArray<{ id: string; caseId: string; kind: string; blownAt: number }>;
  activeAlarms: ReadonlyArray<{ id: string; raisedAt: number; caseId: string | null; text: string; eventClass?: string; deviceId?: string }>;
  now: number;
}

const SECTION_OF: Record<string, HandoverSection> = {
  'case:reported': 'reported',
  'case:closed': 'closed',
  'case:closed-on-spot': 'closed',
  'case:escalated': 'escalated',
  'whistle:blown': 'whistles',
  'alarm:raised': 'alarms',
  'drone:dispatched': 'droneFlights',
  'broadcast:sent': 'broadcasts',
};

/** "门前脏乱 · CAM-0123" for an alarm (its event class and the device that raised it). */
export function alarmText(a: { eventClass?: unknown; deviceId?: unknown }): string {
  const cls = EVENT_CLASS_BY_CODE.get(String(a.eventClass ?? ''))?.name ?? String(a.eventClass ?? '');
  return `${cls} · ${String(a.deviceId ?? '')}`;
}

function describe(e: LoggedEvent, cases: ReadonlyMap<string, HandoverCase>): { caseId: string | null; text: string; facts?: HandoverFacts } {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const caseTitle = (id: string) => cases.get(id)?.title ?? id;
  if (e.type.startsWith('case:')) return { caseId: e.subject, text: caseTitle(e.subject) };
  if (e.type === 'whistle:blown') {
    const caseId = String(d.caseId ?? '');
    return { caseId: caseId || null, text: caseTitle(caseId), facts: { whistleKind: String(d.kind ?? '') } };
  }
  if (e.type === 'alarm:raised') {
    const a = (d.alarm ?? {}) as Record<string, unknown>;
    return { caseId: (a.caseId as string | null) ?? null, text: alarmText(a), facts: { eventClass: String(a.eventClass ?? ''), deviceId: String(a.deviceId ?? '') } };
  }
  if (e.type === 'drone:dispatched') {
    const m = (d.mission ?? {}) as Record<string, unknown>;
    const caseId = (m.caseId as string | undefined) ?? null;
    // The drone is the item's subject; the text is where it went (the case, or the operator's note).
    return { caseId, text: caseId ? caseTitle(caseId) : String(m.note ?? ''), facts: { droneAction: String(m.action ?? '') } };
  }
  if (e.type === 'broadcast:sent') {
    const msg = (d.message ?? {}) as Record<string, unknown>;
    const targets = Array.isArray(d.targets) ? d.targets.length : 0;
    return { caseId: null, text: String(msg.text ?? '').slice(0, 60), facts: { broadcastPoints: targets } };
  }
  return { caseId: null, text: e.subject };
}

/** Drafts the handover report of a shift from its log and the open items. Same input, same report. */
export function draftHandover(input: HandoverInput): Omit<HandoverReport, 'notes' | 'signatures'> & { notes: DutyNote[] } {
  const { duty, events, cases, now } = input;
  const sections = Object.fromEntries(HANDOVER_SECTIONS.map((s) => [s, [] as HandoverItem[]])) as Record<HandoverSection, HandoverItem[]>;
  const notes: DutyNote[] = [];
  const inShift = (t: number) => t >= duty.start && t < duty.end;
  for (const e of events) {
    if (!inShift(e.ts)) continue;
    if (e.type === 'duty:noted') {
      notes.push(e.data as DutyNote);
      continue;
    }
    const section = SECTION_OF[e.type];
    if (!section) continue;
    sections[section].push({ seq: e.seq, at: e.ts, subject: e.subject, ...describe(e, cases) });
  }
  // Overdue in this shift: the handling deadline fell inside it and the case was not handled by then.
  for (const c of cases.values()) {
    if (c.deadline === null || !inShift(c.deadline) || c.voidedAt !== null) continue;
    if (c.handledAt !== null && c.handledAt <= c.deadline) continue;
    sections.overdue.push({ seq: 0, at: c.deadline, subject: c.id, caseId: c.id, text: c.title });
  }
  sections.overdue.sort((a, b) => a.at - b.at || a.subject.localeCompare(b.subject));
  const open = [...cases.values()].filter((c) => c.closedAt === null && c.voidedAt === null);
  const item = (c: HandoverCase, at: number): HandoverItem => ({ seq: 0, at, subject: c.id, caseId: c.id, text: c.title });
  const attention = {
    overdueCases: open.filter((c) => c.deadline !== null && c.deadline <= now && (c.handledAt === null || c.handledAt > c.deadline)).map((c) => item(c, c.deadline!)).sort((a, b) => a.at - b.at),
    urgentCases: open.filter((c) => c.urgency === 'urgent').map((c) => item(c, c.deadline ?? 0)).sort((a, b) => a.subject.localeCompare(b.subject)),
    openWhistles: input.openWhistles.map((w) => ({ seq: 0, at: w.blownAt, subject: w.id, caseId: w.caseId, text: cases.get(w.caseId)?.title ?? w.caseId, facts: { whistleKind: w.kind } })),
    activeAlarms: input.activeAlarms.map((a) => ({ seq: 0, at: a.raisedAt, subject: a.id, caseId: a.caseId, text: a.text, ...(a.eventClass ? { facts: { eventClass: a.eventClass, deviceId: a.deviceId ?? '' } } : {}) })),
  };
  return { shift: { start: duty.start, end: duty.end }, duty, next: input.next, sections, attention, notes, draftedAt: now };
}

/** Who may sign which side: the district's duty leaders; outgoing first, each side once. */
export function signProblem(actor: Actor, role: HandoverSignature['role'], report: { shift: { end: number }; signatures: HandoverSignature[] }, now: number): string | null {
  if (actor.role !== 'duty-leader' || actor.org !== DISTRICT_CODE) return 'a handover is signed by the district duty leaders';
  if (now < report.shift.end - 3_600_000) return 'a shift is handed over in its last hour or after it ended';
  if (report.signatures.some((s) => s.role === role)) return `the ${role} leader has already signed`;
  if (role === 'incoming' && !report.signatures.some((s) => s.role === 'outgoing')) return 'the outgoing leader signs first';
  if (report.signatures.some((s) => s.actor.id === actor.id)) return 'the same person cannot sign both sides';
  return null;
}

// ---- reading confined to an area -----------------------------------------------------------

/** Which section an item came from, for deciding where it lies. */
export type HandoverItemKind = HandoverSection | keyof HandoverReport['attention'];

/**
 * The report as a reader confined to an area may see it: every item and note for which `visible`
 * says no is left out (the caller fails closed: an item whose place it cannot tell is not shown).
 */
export function confineReport(
  report: HandoverReport,
  visible: (item: HandoverItem, kind: HandoverItemKind) => boolean,
  noteVisible: (note: DutyNote) => boolean,
): HandoverReport {
  const sections = Object.fromEntries(HANDOVER_SECTIONS.map((s) => [s, report.sections[s].filter((i) => visible(i, s))])) as HandoverReport['sections'];
  const a = report.attention;
  const attention = {
    overdueCases: a.overdueCases.filter((i) => visible(i, 'overdueCases')),
    urgentCases: a.urgentCases.filter((i) => visible(i, 'urgentCases')),
    openWhistles: a.openWhistles.filter((i) => visible(i, 'openWhistles')),
    activeAlarms: a.activeAlarms.filter((i) => visible(i, 'activeAlarms')),
  };
  return { ...report, sections, attention, notes: report.notes.filter(noteVisible) };
}

/** Items per section of a report, as the list of handovers shows them. */
export const sectionCounts = (report: HandoverReport): Record<string, number> =>
  Object.fromEntries(Object.entries(report.sections).map(([k, v]) => [k, v.length]));
