// Leader approval (审批) of urgent broadcasts: a 紧急 (urgent) or 特急 (emergency) broadcast is first
// *requested*, then approved by a duty leader other than the requester, rejected with a reason, or
// left to expire; only an approved request is sent (as broadcast:sent, under the request's id).
// Pure: no I/O; time comes in as a Clock or with the events.
import { Type, type Static } from 'typebox';
import type { Clock } from './domain.ts';
import { DISTRICT_CODE, scopeOf, staffOf, type Actor } from './org.ts';
import type { ActorRef } from './cases/model.ts';
import type { BroadcastMessage, BroadcastPriority, Selection } from './broadcast.ts';

/** The levels that need a leader's approval before anything is played. */
export const APPROVAL_PRIORITIES: readonly BroadcastPriority[] = ['urgent', 'emergency'];
export const needsApproval = (p: BroadcastPriority): boolean => APPROVAL_PRIORITIES.includes(p);

export const MAX_REASON = 200;

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_COMMANDS = ['approve', 'reject', 'expire'] as const;
export type RequestCommandType = (typeof REQUEST_COMMANDS)[number];

/**
 * The transition table: from each status, which command leads where. Only a pending request can
 * be decided, once; what is not in the table is refused as INVALID_TRANSITION.
 */
export const REQUEST_TRANSITIONS: Record<RequestStatus, Partial<Record<RequestCommandType, RequestStatus>>> = {
  pending: { approve: 'approved', reject: 'rejected', expire: 'expired' },
  approved: {},
  rejected: {},
  expired: {},
};

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
export const ApproveRequestSchema = Type.Object({ broadcastId: Id }, { additionalProperties: false });
export const RejectRequestSchema = Type.Object(
  { broadcastId: Id, reason: Type.String({ minLength: 1, maxLength: MAX_REASON }) },
  { additionalProperties: false },
);
export type ApproveRequest = Static<typeof ApproveRequestSchema>;
export type RejectRequest = Static<typeof RejectRequestSchema>;

export interface BroadcastRequestState {
  /** The id the broadcast is sent under once approved. */
  id: string;
  message: BroadcastMessage;
  selection: Selection;
  /** Point ids resolved when requested: what the leader approves is what goes out. */
  targets: string[];
  places: string[];
  requestedBy: ActorRef;
  requestedAt: number;
  /** Undecided at this time, the request expires. */
  expiresAt: number;
  status: RequestStatus;
  decidedBy: ActorRef | null;
  decidedAt: number | null;
  /** Why it was rejected. */
  reason: string | null;
}

/** What screens get: the request without the point list (its count instead). */
export type BroadcastRequestView = Omit<BroadcastRequestState, 'targets'> & { pointCount: number };

export type BroadcastRequestEvent =
  | { type: 'requested'; broadcastId: string; at: number; actor: ActorRef; message: BroadcastMessage; selection: Selection; targets: string[]; places: string[]; expiresAt: number }
  | { type: 'approved'; broadcastId: string; at: number; actor: ActorRef; places: string[] }
  | { type: 'rejected'; broadcastId: string; at: number; actor: ActorRef; places: string[]; reason: string }
  | { type: 'expired'; broadcastId: string; at: number; places: string[] };

/** The log's event types of requests (the rest of broadcast:* belongs to sent broadcasts). */
export const REQUEST_EVENT_TYPES: readonly string[] = ['broadcast:requested', 'broadcast:approved', 'broadcast:rejected', 'broadcast:expired'];

export type RequestCommand = { type: 'approve' } | { type: 'reject'; reason: string } | { type: 'expire' };
export type RequestRefusal = { ok: false; code: 'FORBIDDEN' | 'INVALID_TRANSITION' | 'INVALID_COMMAND'; message: string };
export type RequestDecision = { ok: true; event: BroadcastRequestEvent } | RequestRefusal;

const ref = (a: Actor): ActorRef => ({ id: a.id, name: a.name, role: a.role, org: a.org });

/** Has the request's time run out (as the clock says now)? Decided requests never expire. */
export function requestExpired(r: Pick<BroadcastRequestState, 'status' | 'expiresAt'>, clock: Clock): boolean {
  return r.status === 'pending' && clock.now() >= r.expiresAt;
}

/** The request's expiry time, `windowMs` after it is made. */
export const expiresAtFor = (requestedAt: number, windowMs: number): number => requestedAt + windowMs;

/**
 * Who may decide: a duty leader of a center whose area holds every target, and never the one who
 * asked (a second pair of eyes is the point of approval). Null when allowed, else why not.
 */
export function deciderProblem(actor: Actor, r: Pick<BroadcastRequestState, 'requestedBy' | 'places'>): string | null {
  if (actor.role !== 'duty-leader' || !staffOf(actor, actor.org)) return `only a duty leader may approve or reject a broadcast, not a ${actor.role}`;
  if (actor.id === r.requestedBy.id) return 'the requester may not approve or reject their own broadcast request';
  const scope = scopeOf(actor);
  if (scope !== DISTRICT_CODE && !r.places.every((p) => p.startsWith(scope))) return `the broadcast reaches points outside your area (${scope})`;
  return null;
}

/** Decides a command on a request by the transition table; the event to log, or why not. */
export function decideRequest(r: BroadcastRequestState, cmd: RequestCommand, actor: Actor, clock: Clock): RequestDecision {
  const to = REQUEST_TRANSITIONS[r.status][cmd.type];
  if (!to) return { ok: false, code: 'INVALID_TRANSITION', message: `broadcast request ${r.id} is ${r.status}: it cannot be ${cmd.type}d` };
  const at = clock.now();
  const expired = requestExpired(r, clock);
  if (cmd.type === 'expire') {
    if (actor.role !== 'system') return { ok: false, code: 'FORBIDDEN', message: 'only the system expires a broadcast request' };
    if (!expired) return { ok: false, code: 'INVALID_TRANSITION', message: `broadcast request ${r.id} has time until ${new Date(r.expiresAt).toISOString()}` };
    return { ok: true, event: { type: 'expired', broadcastId: r.id, at, places: r.places } };
  }
  if (expired) return { ok: false, code: 'INVALID_TRANSITION', message: `broadcast request ${r.id} expired at ${new Date(r.expiresAt).toISOString()} without a decision` };
  const who = deciderProblem(actor, r);
  if (who) return { ok: false, code: 'FORBIDDEN', message: who };
  if (cmd.type === 'approve') return { ok: true, event: { type: 'approved', broadcastId: r.id, at, actor: ref(actor), places: r.places } };
  const reason = cmd.reason.trim();
  if (reason.length === 0) return { ok: false, code: 'INVALID_COMMAND', message: '/reason must say why the broadcast is rejected' };
  return { ok: true, event: { type: 'rejected', broadcastId: r.id, at, actor: ref(actor), places: r.places, reason: reason.slice(0, MAX_REASON) } };
}

const STATUS_AFTER: Record<Exclude<BroadcastRequestEvent['type'], 'requested'>, RequestStatus> = { approved: 'approved', rejected: 'rejected', expired: 'expired' };

/** Applies one logged event; returns a new state. A decision on a request that is no longer pending changes nothing. */
export function evolveRequest(prev: BroadcastRequestState | null, e: BroadcastRequestEvent): BroadcastRequestState {
  if (e.type === 'requested') {
    return {
      id: e.broadcastId, message: e.message, selection: e.selection, targets: e.targets, places: e.places, requestedBy: e.actor,
      requestedAt: e.at, expiresAt: e.expiresAt, status: 'pending', decidedBy: null, decidedAt: null, reason: null,
    };
  }
  if (!prev) throw new Error(`broadcast request ${e.broadcastId}: ${e.type} before requested`);
  if (prev.status !== 'pending') return prev;
  return {
    ...prev, status: STATUS_AFTER[e.type], decidedAt: e.at,
    decidedBy: e.type === 'expired' ? null : e.actor,
    reason: e.type === 'rejected' ? e.reason : null,
  };
}

export function requestView(r: BroadcastRequestState): BroadcastRequestView {
  const { targets, ...rest } = r;
  return { ...rest, pointCount: targets.length };
}
