// Emergency broadcast (应急广播): the message an operator sends, which points it goes to (by admin
// scope, by an area drawn on the map, or by a radius), who may send it, and its lifecycle as the
// points acknowledge. Pure: no I/O, no clock (times come in with the events).
import { Type, type Static } from 'typebox';
import { distanceM, pointInRing, ringSignedArea } from './geo.ts';
import { DISTRICT_CODE, levelOfCode, placeInScope, scopeOf, staffOf, type Actor } from './org.ts';
import type { ActorRef } from './cases/model.ts';

export const BROADCAST_PRIORITIES = ['normal', 'urgent', 'emergency'] as const;
export type BroadcastPriority = (typeof BROADCAST_PRIORITIES)[number];

export const MAX_TEXT = 500;
export const MAX_RADIUS_M = 10_000;
export const MIN_VERTICES = 3;
export const MAX_VERTICES = 200;

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Millis = Type.Integer({ minimum: 1_577_836_800_000, maximum: 4_102_444_800_000 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

export const BroadcastMessageSchema = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: MAX_TEXT }),
    priority: Type.Enum(BROADCAST_PRIORITIES),
    repeat: Type.Integer({ minimum: 1, maximum: 10 }),
  },
  { additionalProperties: false },
);
export type BroadcastMessage = Static<typeof BroadcastMessageSchema>;

const Vertex = Type.Tuple([Lon, Lat]);

export const SelectionSchema = Type.Union([
  Type.Object({ mode: Type.Literal('scope'), code: Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }) }, { additionalProperties: false }),
  // An unclosed ring is closed implicitly; a closing vertex equal to the first is allowed (+1).
  Type.Object({ mode: Type.Literal('area'), ring: Type.Array(Vertex, { minItems: MIN_VERTICES, maxItems: MAX_VERTICES + 1 }) }, { additionalProperties: false }),
  Type.Object(
    { mode: Type.Literal('radius'), lon: Lon, lat: Lat, radiusM: Type.Number({ exclusiveMinimum: 0, maximum: MAX_RADIUS_M }), caseId: Type.Optional(Id) },
    { additionalProperties: false },
  ),
]);
export type Selection = Static<typeof SelectionSchema>;
export type SelectionMode = Selection['mode'];

/** A send request: what to say and where. */
export const BroadcastSendSchema = Type.Object(
  { message: BroadcastMessageSchema, selection: SelectionSchema, broadcastId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type BroadcastSend = Static<typeof BroadcastSendSchema>;

/** One point's acknowledgement, from the broadcast platform on the 'broadcast-receipts' stream. */
export const BroadcastReceiptSchema = Type.Object(
  {
    broadcastId: Id,
    pointId: Id,
    ts: Millis,
    ok: Type.Boolean(),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type BroadcastReceipt = Static<typeof BroadcastReceiptSchema>;

/** What a point is sent on `linkage/cmd/broadcast/<pointId>`. */
export interface BroadcastCommand {
  broadcastId: string;
  text: string;
  priority: BroadcastPriority;
  repeat: number;
}

/** A broadcast point as selection needs it. */
export interface BroadcastTarget {
  id: string;
  lon: number;
  lat: number;
  townshipCode: string;
  communityCode: string;
}

// ---- message and selection ---------------------------------------------------------------

export type Problem = { field: string; message: string };

/** Trims the text and checks what the schema cannot; returns the message to send or the problem. */
export function normalizeMessage(m: BroadcastMessage): { ok: true; message: BroadcastMessage } | ({ ok: false } & Problem) {
  const text = m.text.trim();
  if (text.length === 0) return { ok: false, field: '/message/text', message: 'must not be blank' };
  if (text.length > MAX_TEXT) return { ok: false, field: '/message/text', message: `must be at most ${MAX_TEXT} characters` };
  return { ok: true, message: { ...m, text } };
}

const same = (a: number[], b: number[]) => a[0] === b[0] && a[1] === b[1];

/** The ring without its closing vertex. */
export function openRing(ring: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const r = ring.map((v) => [v[0], v[1]] as [number, number]);
  if (r.length > 1 && same(r[0], r[r.length - 1])) r.pop();
  return r;
}

function orient(a: number[], b: number[], c: number[]): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}
function onSegment(a: number[], b: number[], p: number[]): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}
function segmentsCross(a: number[], b: number[], c: number[], d: number[]): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/** Null when the ring drawn on the map is a usable simple polygon, else what is wrong with it. */
export function ringProblem(ring: ReadonlyArray<[number, number]>): string | null {
  const r = openRing(ring);
  if (r.length < MIN_VERTICES) return `needs at least ${MIN_VERTICES} distinct vertices`;
  if (r.length > MAX_VERTICES) return `has more than ${MAX_VERTICES} vertices`;
  for (const [x, y] of r) if (!Number.isFinite(x) || !Number.isFinite(y)) return 'has a vertex that is not a number';
  for (let i = 0; i < r.length; i++) if (same(r[i], r[(i + 1) % r.length])) return `repeats vertex ${i + 1}`;
  const n = r.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Adjacent edges share a vertex; only non-adjacent ones must not touch.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsCross(r[i], r[(i + 1) % n], r[j], r[(j + 1) % n])) return `crosses itself (edges ${i + 1} and ${j + 1})`;
    }
  }
  if (Math.abs(ringSignedArea(r)) < 1e-12) return 'encloses no area (its vertices lie on one line)';
  return null;
}

/** Null when the selection is usable, else the field and the problem (beyond what the schema checks). */
export function selectionProblem(s: Selection): Problem | null {
  if (s.mode === 'scope' && !levelOfCode(s.code)) return { field: '/selection/code', message: `"${s.code}" is not the district (${DISTRICT_CODE}) or one of its townships or communities` };
  if (s.mode === 'area') {
    const p = ringProblem(s.ring as Array<[number, number]>);
    if (p) return { field: '/selection/ring', message: `the drawn area ${p}` };
  }
  return null;
}

/** Ids of the points the selection reaches, in the points' order. Offline points are included: they are expected to fail. */
export function selectPoints(s: Selection, points: readonly BroadcastTarget[]): string[] {
  if (s.mode === 'scope') return points.filter((p) => placeInScope(s.code, p)).map((p) => p.id);
  if (s.mode === 'area') {
    const ring = openRing(s.ring as Array<[number, number]>);
    let w = Infinity, so = Infinity, e = -Infinity, n = -Infinity;
    for (const [x, y] of ring) {
      w = Math.min(w, x); e = Math.max(e, x); so = Math.min(so, y); n = Math.max(n, y);
    }
    return points.filter((p) => p.lon >= w && p.lon <= e && p.lat >= so && p.lat <= n && pointInRing(p.lon, p.lat, ring)).map((p) => p.id);
  }
  return points.filter((p) => distanceM([s.lon, s.lat], [p.lon, p.lat]) <= s.radiusM).map((p) => p.id);
}

// ---- who may send ------------------------------------------------------------------------

/**
 * District center staff (dispatcher, duty leader) may broadcast anywhere; township and community
 * center staff only to points inside their own area. Displays, grid workers, departments cannot.
 */
export function sendProblem(actor: Actor, targets: readonly BroadcastTarget[]): { code: 'FORBIDDEN'; message: string } | null {
  const scope = scopeOf(actor);
  if (!staffOf(actor, actor.org)) return { code: 'FORBIDDEN', message: `a ${actor.role} may not send broadcasts (only linkage center staff)` };
  if (scope === DISTRICT_CODE) return null;
  const outside = targets.filter((t) => !placeInScope(scope, t));
  if (outside.length > 0) return { code: 'FORBIDDEN', message: `${outside.length} of the ${targets.length} selected points lie outside your area (${scope}), e.g. ${outside[0].id}` };
  return null;
}

// ---- lifecycle ---------------------------------------------------------------------------

export const BROADCAST_STATUSES = ['sent', 'delivering', 'completed'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];
export const POINT_STATUSES = ['pending', 'delivered', 'failed', 'no-answer'] as const;
export type PointStatus = (typeof POINT_STATUSES)[number];

/** Allowed moves; anything else is ignored (a late or repeated receipt changes nothing). */
export const BROADCAST_TRANSITIONS: Record<BroadcastStatus, readonly BroadcastStatus[]> = {
  sent: ['delivering', 'completed'],
  delivering: ['completed'],
  completed: [],
};
export const POINT_TRANSITIONS: Record<PointStatus, readonly PointStatus[]> = {
  pending: ['delivered', 'failed', 'no-answer'],
  delivered: [],
  failed: [],
  'no-answer': [],
};

export interface PointState {
  status: PointStatus;
  at?: number;
  reason?: string;
}

export interface BroadcastProgress {
  targets: number;
  pending: number;
  delivered: number;
  failed: number;
  noAnswer: number;
}

/** What dashboards get in snapshots and deltas (per-point detail is fetched over HTTP). */
export interface BroadcastSummary {
  id: string;
  message: BroadcastMessage;
  selection: Selection;
  actor: ActorRef;
  sentAt: number;
  /** Points still pending at this time are marked no-answer. */
  deadline: number;
  status: BroadcastStatus;
  completedAt: number | null;
  /** Admin codes (community, or township when outside every community) the targets lie in, for scoping. */
  places: string[];
  progress: BroadcastProgress;
}

export interface BroadcastState extends BroadcastSummary {
  points: Record<string, PointState>;
}

export type BroadcastEvent =
  | { type: 'sent'; broadcastId: string; at: number; actor: ActorRef; message: BroadcastMessage; selection: Selection; targets: string[]; places: string[]; deadline: number }
  | { type: 'delivered'; broadcastId: string; at: number; receipts: Array<{ pointId: string; ts: number }> }
  | { type: 'failed'; broadcastId: string; at: number; receipts: Array<{ pointId: string; ts: number; reason: string }> }
  | { type: 'timed-out'; broadcastId: string; at: number; pointIds: string[] };

/** How long a point plays the message once: Chinese speech at about 4 characters a second, at least 2 s. */
export function playMs(text: string): number {
  return Math.max(2000, Math.ceil(text.length / 4) * 1000);
}

/** When still-pending points count as no-answer: the answer window plus the playing time of every repeat. */
export function deadlineFor(sentAt: number, message: BroadcastMessage, answerWindowMs: number): number {
  return sentAt + answerWindowMs + playMs(message.text) * message.repeat;
}

/** The distinct places of the targets (community code, else township code). */
export function placesOf(targets: readonly BroadcastTarget[]): string[] {
  return [...new Set(targets.map((t) => t.communityCode || t.townshipCode).filter(Boolean))].sort();
}

function setPoint(s: BroadcastState, id: string, next: PointState): void {
  const cur = s.points[id];
  if (!cur || !POINT_TRANSITIONS[cur.status].includes(next.status)) return;
  s.points[id] = next;
  s.progress.pending--;
  if (next.status === 'delivered') s.progress.delivered++;
  else if (next.status === 'failed') s.progress.failed++;
  else s.progress.noAnswer++;
}

function moveTo(s: BroadcastState, status: BroadcastStatus, at: number): void {
  if (!BROADCAST_TRANSITIONS[s.status].includes(status)) return;
  s.status = status;
  if (status === 'completed') s.completedAt = at;
}

/** Applies one logged event; returns a new state (the previous one is not mutated). */
export function evolve(prev: BroadcastState | null, e: BroadcastEvent): BroadcastState {
  if (e.type === 'sent') {
    const points: Record<string, PointState> = {};
    for (const id of e.targets) points[id] = { status: 'pending' };
    const n = Object.keys(points).length;
    const s: BroadcastState = {
      id: e.broadcastId, message: e.message, selection: e.selection, actor: e.actor, sentAt: e.at, deadline: e.deadline,
      status: 'sent', completedAt: null, places: e.places, points,
      progress: { targets: n, pending: n, delivered: 0, failed: 0, noAnswer: 0 },
    };
    if (n === 0) moveTo(s, 'completed', e.at);
    return s;
  }
  if (!prev) throw new Error(`broadcast ${e.broadcastId}: ${e.type} before sent`);
  const s: BroadcastState = { ...prev, points: { ...prev.points }, progress: { ...prev.progress } };
  if (e.type === 'delivered') for (const r of e.receipts) setPoint(s, r.pointId, { status: 'delivered', at: r.ts });
  else if (e.type === 'failed') for (const r of e.receipts) setPoint(s, r.pointId, { status: 'failed', at: r.ts, reason: r.reason });
  else for (const id of e.pointIds) setPoint(s, id, { status: 'no-answer', at: e.at });
  if (e.type !== 'timed-out') moveTo(s, 'delivering', e.at);
  if (s.progress.pending === 0) moveTo(s, 'completed', e.at);
  return s;
}

export function summarize(s: BroadcastState): BroadcastSummary {
  const { points: _points, ...summary } = s;
  return summary;
}

/** Is this receipt one the broadcast is waiting for? 'duplicate' for a point already answered (QoS 1 may redeliver). */
export function receiptProblem(s: BroadcastState | undefined, r: BroadcastReceipt): 'duplicate' | Problem | null {
  if (!s) return { field: '/broadcastId', message: `no broadcast "${r.broadcastId}"` };
  const p = s.points[r.pointId];
  if (!p) return { field: '/pointId', message: `point "${r.pointId}" is not a target of broadcast ${r.broadcastId}` };
  if (p.status !== 'pending') return 'duplicate';
  return null;
}

/** Points still pending once the deadline has passed (none before it). */
export function overduePoints(s: BroadcastState, now: number): string[] {
  if (s.status === 'completed' || now < s.deadline) return [];
  return Object.entries(s.points).filter(([, p]) => p.status === 'pending').map(([id]) => id);
}

/** A broadcast is shown to a screen whose scope holds one of its targets, or the sender's center. */
export function broadcastInScope(scope: string, b: Pick<BroadcastSummary, 'places' | 'actor'>): boolean {
  if (scope === DISTRICT_CODE) return true;
  return b.actor.org.startsWith(scope) || b.places.some((p) => p.startsWith(scope));
}
