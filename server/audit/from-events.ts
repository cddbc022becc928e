// Which logged events are audited, and as what: every operational event with an acting person
// (case, whistle, alarm, drone, broadcast — with its request, approval and rejection — and duty actions). Telemetry, gateway receipts, drone
// mission reports and what the system decides by itself (escalation, alarms it raises or clears,
// cases it opens) are not: they have no person to answer for them, and they stay in the event log.
// An event type nobody mapped yet is audited as it is when it names a person (fromOther).
import type { AuditActor, AuditDraft } from '../../core/audit.ts';
import type { BroadcastEvent } from '../../core/broadcast.ts';
import type { BroadcastRequestEvent } from '../../core/broadcast-approval.ts';
import type { CaseEvent } from '../../core/cases/model.ts';
import type { DutyNote, HandoverSignature, DutyAssign } from '../../core/duty.ts';
import { DISTRICT_CODE, parentCode } from '../../core/org.ts';
import type { WhistleEvent } from '../../core/whistle.ts';
import type { DroneEvent } from '../drones/book.ts';
import type { AlarmEvent } from '../projections/alarm-book.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { RegistryEvent } from '../../core/registry.ts';
import type { BoundaryEvent } from '../../core/boundaries.ts';

/** Where things are, read from the projections (after the event was applied to them). */
export interface AuditPlaces {
  /** Admin code of a case's location (community, else township), or null when the case is unknown or outside every grid. */
  ofCase(caseId: string): string | null;
  ofWhistle(whistleId: string): { caseId: string; center: string } | null;
  ofAlarm(alarmId: string): { place: string | null; acknowledged: boolean } | null;
  at(lon: number, lat: number): string | null;
}

const isPerson = (a: unknown): a is AuditActor =>
  typeof a === 'object' && a !== null && typeof (a as AuditActor).id === 'string' && (a as AuditActor).role !== 'system';
/** The area an actor works in: departments act district-wide. */
const actorScope = (a: AuditActor) => (a.role === 'department' || !/^\d+$/.test(a.org) ? DISTRICT_CODE : a.org);
const placeCode = (p: { townshipCode: string; communityCode: string }) => p.communityCode || p.townshipCode || null;

/** The smallest area holding all the codes (community → township → district). */
export function commonScope(codes: readonly string[]): string | null {
  let common: string | null = codes[0] ?? null;
  for (const code of codes) while (common && !code.startsWith(common)) common = parentCode(common);
  return common ?? (codes.length ? DISTRICT_CODE : null);
}

type Draft = Omit<AuditDraft, 'at' | 'eventSeq'>;

function fromCase(c: CaseEvent, places: AuditPlaces): Draft | null {
  // A blow is audited once, from its whistle:blown event.
  if (!isPerson(c.actor) || typeof c.command !== 'string' || c.command === 'whistle') return null;
  const d = c.data ?? {};
  const r = d.report;
  const after = {
    stage: c.to,
    ...(r ? { source: r.source, eventClass: r.eventClass, urgency: r.urgency, title: r.title } : {}),
    unit: d.unit, owner: d.owner, deadline: d.deadline ?? undefined, passed: d.passed, approved: d.approved, hours: d.hours,
    resolved: d.resolved, rating: d.rating, alarmId: d.alarmId, attachment: d.attachment?.id, note: c.note,
  };
  return {
    actor: c.actor, action: `case:${c.command}`, subject: c.caseId,
    scope: (r ? placeCode(r) : places.ofCase(c.caseId)) ?? actorScope(c.actor),
    before: c.from === null ? null : { stage: c.from }, after,
  };
}

function fromWhistle(w: WhistleEvent, places: AuditPlaces): Draft | null {
  if (!isPerson(w.actor)) return null;
  const known = w.type === 'blown' ? { caseId: w.caseId, center: w.center } : places.ofWhistle(w.whistleId);
  const scope = (known && places.ofCase(known.caseId)) ?? known?.center ?? actorScope(w.actor);
  const base = { actor: w.actor, subject: w.whistleId, scope, before: null };
  switch (w.type) {
    case 'blown': return { ...base, action: 'whistle:blow', after: { caseId: w.caseId, kind: w.kind, lead: w.lead, supporting: w.supporting, deadline: w.deadline, note: w.note } };
    case 'reported-in': return { ...base, action: 'whistle:report-in', after: { unit: w.unit, note: w.note } };
    case 'closed': return { ...base, action: 'whistle:close', before: { closed: false }, after: { closed: true, forced: w.forced, ratings: w.ratings, note: w.note } };
  }
}

function fromAlarm(a: AlarmEvent, places: AuditPlaces): Draft | null {
  if (a.type !== 'acknowledged' && a.type !== 'cleared') return null;
  // Events logged before alarm actions carried the whole actor name only its id.
  const actor = a.actor ?? (a.by ? { id: a.by, name: a.by, role: '', org: '' } : null);
  if (!isPerson(actor) || a.by === 'system') return null;
  const known = places.ofAlarm(a.alarmId);
  const scope = known?.place ?? actorScope(actor);
  if (a.type === 'acknowledged') return { actor, action: 'alarm:acknowledge', subject: a.alarmId, scope, before: { status: 'active' }, after: { status: 'acknowledged', note: a.note } };
  return { actor, action: 'alarm:clear', subject: a.alarmId, scope, before: known ? { status: known.acknowledged ? 'acknowledged' : 'active' } : null, after: { status: 'cleared', note: a.note } };
}

function fromDrone(e: DroneEvent, subject: string, places: AuditPlaces): Draft | null {
  if (e.type === 'dispatched') {
    const m = e.mission;
    if (!isPerson(m.issuedBy)) return null;
    const scope = (m.caseId ? places.ofCase(m.caseId) : null) ?? places.at(m.target.lon, m.target.lat) ?? actorScope(m.issuedBy);
    return { actor: m.issuedBy, action: 'drone:dispatch', subject, scope, before: null, after: { missionId: m.id, action: m.action, target: m.target, caseId: m.caseId, altM: m.altM, loiterS: m.loiterS, note: m.note } };
  }
  if (e.type === 'recalled' && isPerson(e.actor)) {
    return { actor: e.actor, action: 'drone:recall', subject, scope: actorScope(e.actor), before: { missionId: e.missionId }, after: { missionId: null, note: e.note } };
  }
  return null;
}

function fromBroadcast(b: BroadcastEvent): Draft | null {
  if (b.type !== 'sent' || !isPerson(b.actor)) return null;
  return {
    actor: b.actor, action: 'broadcast:send', subject: b.broadcastId, scope: commonScope(b.places) ?? actorScope(b.actor), before: null,
    after: { text: b.message.text, priority: b.message.priority, repeat: b.message.repeat, mode: b.selection.mode, targets: b.targets.length, places: b.places },
  };
}

/** A request for an urgent broadcast, and a leader's approval or rejection (an expiry is the system's: not audited). */
function fromRequest(r: BroadcastRequestEvent): Draft | null {
  if (r.type === 'expired' || !isPerson(r.actor)) return null;
  const base = { actor: r.actor, subject: r.broadcastId, scope: commonScope(r.places) ?? actorScope(r.actor) };
  switch (r.type) {
    case 'requested': return { ...base, action: 'broadcast:request', before: null, after: { status: 'pending', text: r.message.text, priority: r.message.priority, repeat: r.message.repeat, mode: r.selection.mode, targets: r.targets.length, places: r.places, expiresAt: r.expiresAt } };
    case 'approved': return { ...base, action: 'broadcast:approve', before: { status: 'pending' }, after: { status: 'approved' } };
    case 'rejected': return { ...base, action: 'broadcast:reject', before: { status: 'pending' }, after: { status: 'rejected', reason: r.reason } };
  }
}

function fromDuty(e: StoredEvent, places: AuditPlaces): Draft | null {
  if (e.type === 'duty:assigned') {
    const { assign, actor } = e.data as { assign: DutyAssign; actor: AuditActor };
    if (!isPerson(actor)) return null;
    return { actor, action: 'duty:assign', subject: e.subject, scope: actorScope(actor), before: null, after: { leaderId: assign.leaderId, dispatcherIds: assign.dispatcherIds, note: assign.note } };
  }
  if (e.type === 'duty:noted') {
    const n = e.data as DutyNote;
    if (!isPerson(n.actor)) return null;
    return { actor: n.actor, action: 'duty:note', subject: e.subject, scope: (n.caseId ? places.ofCase(n.caseId) : null) ?? actorScope(n.actor), before: null, after: { kind: n.kind, text: n.text, caseId: n.caseId, ...(n.contact ? { contact: n.contact } : {}) } };
  }
  if (e.type === 'duty:signed') {
    const { signature } = e.data as { signature: HandoverSignature };
    if (!isPerson(signature?.actor)) return null;
    return { actor: signature.actor, action: 'duty:sign', subject: e.subject, scope: actorScope(signature.actor), before: null, after: { role: signature.role, note: signature.note } };
  }
  return null;
}

function fromRegistry(e: RegistryEvent, subject: string): Draft | null {
  if (!isPerson(e.actor)) return null;
  const base = { actor: e.actor, action: `device:${e.type === 'provisioned' ? 'provision' : e.type === 'updated' ? 'update' : 'retire'}`, subject, scope: DISTRICT_CODE };
  if (e.type === 'provisioned') return { ...base, before: null, after: { ...e.device, source: e.source } };
  if (e.type === 'updated') return { ...base, before: null, after: { ...e.changes, source: e.source } };
  return { ...base, before: { retired: false }, after: { retired: true, reason: e.reason, source: e.source } };
}

/** Any other event that names a person: audited under its own type, so a new kind of action is never silently missed. */
function fromOther(e: StoredEvent): Draft | null {
  const actor = (e.data as { actor?: unknown } | null)?.actor;
  if (!isPerson(actor)) return null;
  return { actor, action: e.type, subject: e.subject, scope: actorScope(actor), before: null, after: null };
}

// The event types the mappers above know (every case:* is a CaseEvent). Any other type goes to
// fromOther: a new kind of action with a person is audited before anyone writes a mapper for it.
const KNOWN: Record<string, (e: StoredEvent, places: AuditPlaces) => Draft | null> = {};
for (const t of ['blown', 'reported-in', 'closed']) KNOWN[`whistle:${t}`] = (e, p) => fromWhistle(e.data as WhistleEvent, p);
for (const t of ['raised', 'repeated', 'linked', 'acknowledged', 'cleared']) KNOWN[`alarm:${t}`] = (e, p) => fromAlarm(e.data as AlarmEvent, p);
for (const t of ['dispatched', 'recalled', 'mission-updated']) KNOWN[`drone:${t}`] = (e, p) => fromDrone(e.data as DroneEvent, e.subject, p);
for (const t of ['sent', 'delivered', 'failed', 'timed-out']) KNOWN[`broadcast:${t}`] = (e) => fromBroadcast(e.data as BroadcastEvent);
for (const t of ['requested', 'approved', 'rejected', 'expired']) KNOWN[`broadcast:${t}`] = (e) => fromRequest(e.data as BroadcastRequestEvent);
for (const t of ['assigned', 'noted', 'signed']) KNOWN[`duty:${t}`] = fromDuty;
// The device registry: what the admin (or an import, by its file) provisioned, changed or retired.
for (const t of ['provisioned', 'updated', 'retired']) KNOWN[`device:${t}`] = (e) => fromRegistry(e.data as RegistryEvent, e.subject);
// Boundaries an admin's import drew: which one, by which file (the shape stays in the log).
KNOWN['boundary:drawn'] = (e) => {
  const b = e.data as BoundaryEvent;
  if (!isPerson(b.actor)) return null;
  return { actor: b.actor, action: 'boundary:draw', subject: e.subject, scope: DISTRICT_CODE, before: null, after: { level: b.boundary.level, code: b.boundary.code, name: b.boundary.name, source: b.source } };
};
// Account actions are audited by the routes themselves (account:revoke, ...); the event only tells nodes.
KNOWN['auth:revoked'] = () => null;

/** The audit entry an event becomes, or null when it is not audited. */
export function auditDraftOf(e: StoredEvent, places: AuditPlaces): AuditDraft | null {
  if (e.type === 'device:reported' || e.type === 'video:detected' || e.type === 'weather:observed' || typeof e.data !== 'object' || e.data === null) return null;
  const map = e.type.startsWith('case:') ? (x: StoredEvent) => fromCase(x.data as CaseEvent, places) : (KNOWN[e.type] ?? fromOther);
  const draft = map(e, places);
  return draft ? { ...draft, at: e.recordedAt, eventSeq: e.seq } : null;
}
