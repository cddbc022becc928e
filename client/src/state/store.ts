// The live state of the district as typed arrays, and the pure-ish updaters that apply the
// server's snapshot and deltas to it. No DOM, no socket: unit-tested in node.
//
// Cost model: a status change is one byte write plus four colour bytes, a move is two doubles.
// Nothing here allocates per device; a delta with k changes costs O(k).
import {
  DEVICE_KINDS,
  MOVING_KINDS,
  countStatuses,
  emptyStatusCounts,
  type CaseSummary,
  type DeviceKind,
  type MovingKind,
  type StatusCounts,
} from '../../../core/domain.ts';
import { toTyped, type Delta, type Kpis, type Session, type Snapshot } from '../../../core/protocol.ts';
import type { AlarmState } from '../../../core/alarms.ts';
import { calendarFromConfig, DEFAULT_CALENDAR, type WorkingCalendar } from '../../../core/cases/calendar.ts';
import type { WhistleState } from '../../../core/whistle.ts';
import { STATUS_RGBA } from './colors.ts';
import { placeInScope } from '../../../core/org.ts';
import type { DroneView } from '../../../core/drones.ts';
import { setDrones, upsertDrones } from '../drones/state.ts';
import type { BroadcastSummary } from '../../../core/broadcast.ts';
import { mergeBroadcasts, replaceBroadcasts } from './broadcasts.ts';

/** Points kept per drone track. */
export const TRACK_POINTS = 120;
/** Events-per-second samples kept for the line chart (one per second). */
export const RATE_SAMPLES = 300;
/** Feed entries kept. */
export const FEED_MAX = 60;
/** A case that arrived live (not in a snapshot) is "new" for this long. */
export const FRESH_MS = 12_000;

export interface MovingArrays {
  lonlat: Float64Array; // 2 per device
  heading: Float32Array; // 1 per device
}

export interface Track {
  /** Ring of lon,lat pairs; `len` valid points ending at `head - 1`. */
  ring: Float64Array;
  head: number;
  len: number;
}

export interface LiveStore {
  /** seq of the last snapshot or delta applied; -1 before the first snapshot. */
  seq: number;
  serverTime: number;
  /** Device counts per kind, taken from the dataset (status arrays are sized to these). */
  sizes: Record<DeviceKind, number>;
  status: Record<DeviceKind, Uint8Array>;
  /** RGBA per device, kept in step with `status`. Replaced by a copy when handed to the GPU. */
  colors: Record<DeviceKind, Uint8Array>;
  counts: Record<DeviceKind, StatusCounts>;
  moving: Record<MovingKind, MovingArrays>;
  tracks: Track[]; // one per drone
  cases: Map<string, CaseSummary>;
  /** Case ids newest report first (feed order), capped at FEED_MAX. */
  feed: string[];
  /** Client time a case first arrived live (after the snapshot), for the feed's flash. */
  arrivedAt: Map<string, number>;
  whistles: Map<string, WhistleState>;
  alarms: Map<string, AlarmState>;
  /** Drones: telemetry and current mission (from the snapshot and deltas). */
  drones: Map<string, DroneView>;
  /** Who the server says this connection acts as, and the area it sees (from the snapshot). */
  session: Session | null;
  /** The server's working calendar (from the snapshot), for countdowns in working time. */
  calendar: WorkingCalendar;
  /** The area asked for in the handshake; anything outside it is dropped (and counted: the server should never send it). */
  scope: string;
  droppedOutOfScope: number;
  kpis: Kpis | null;
  /** Events per second samples: [serverTimeSecond, value]. */
  rate: { t: Float64Array; v: Float32Array; head: number; len: number };
  eventsTotal: number;
  /** Bumped by kind when statuses / positions change, so renderers know what to refresh. */
  version: { status: Record<DeviceKind, number>; moving: Record<MovingKind, number>; cases: number; whistles: number; alarms: number; kpis: number; drones: number };
  lastMessageAt: number; // client clock, ms
  /** Emergency broadcasts in scope (state/broadcasts.ts), and a counter bumped when they change. */
  broadcasts: Map<string, BroadcastSummary>;
  broadcastsVersion: number;
}

function perKind<T>(f: (k: DeviceKind) => T): Record<DeviceKind, T> {
  return Object.fromEntries(DEVICE_KINDS.map((k) => [k, f(k)])) as Record<DeviceKind, T>;
}
function perMoving<T>(f: (k: MovingKind) => T): Record<MovingKind, T> {
  return Object.fromEntries(MOVING_KINDS.map((k) => [k, f(k)])) as Record<MovingKind, T>;
}

/** Paints `colors` (RGBA) for every device from its status byte. */
export function paintAll(status: Uint8Array, colors: Uint8Array, palette: Uint8Array): void {
  for (let i = 0; i < status.length; i++) {
    const o = status[i] * 4;
    const j = i * 4;
    colors[j] = palette[o];
    colors[j + 1] = palette[o + 1];
    colors[j + 2] = palette[o + 2];
    colors[j + 3] = palette[o + 3];
  }
}

/**
 * Creates an empty store sized from the dataset. `initialPositions` seeds drones and workers
 * with their dataset positions until the first snapshot arrives. Every device starts offline.
 */
export function createStore(
  sizes: Record<DeviceKind, number>,
  initialPositions?: Partial<Record<MovingKind, Float64Array>>,
  scope = '340803',
): LiveStore {
  const status = perKind((k) => new Uint8Array(sizes[k]).fill(1));
  const colors = perKind((k) => new Uint8Array(sizes[k] * 4));
  for (const k of DEVICE_KINDS) paintAll(status[k], colors[k], STATUS_RGBA[k]);
  const moving = perMoving((k) => {
    const lonlat = new Float64Array(sizes[k] * 2);
    const seed = initialPositions?.[k];
    if (seed) lonlat.set(seed.subarray(0, lonlat.length));
    return { lonlat, heading: new Float32Array(sizes[k]) };
  });
  return {
    seq: -1,
    serverTime: 0,
    sizes: { ...sizes },
    status,
    colors,
    counts: perKind((k) => countStatuses(status[k])),
    moving,
    tracks: Array.from({ length: sizes.drone }, () => ({ ring: new Float64Array(TRACK_POINTS * 2), head: 0, len: 0 })),
    cases: new Map(),
    feed: [],
    arrivedAt: new Map(),
    whistles: new Map(),
    alarms: new Map(),
    drones: new Map(),
    session: null,
    calendar: DEFAULT_CALENDAR,
    scope,
    droppedOutOfScope: 0,
    kpis: null,
    rate: { t: new Float64Array(RATE_SAMPLES), v: new Float32Array(RATE_SAMPLES), head: 0, len: 0 },
    eventsTotal: 0,
    version: { status: perKind(() => 0), moving: perMoving(() => 0), cases: 0, whistles: 0, alarms: 0, kpis: 0, drones: 0 },
    lastMessageAt: 0,
    broadcasts: new Map(),
    broadcastsVersion: 0,
  };
}

function pushTrack(t: Track, lon: number, lat: number): void {
  // Skip a point identical to the last one (heartbeats).
  if (t.len > 0) {
    const p = ((t.head - 1 + TRACK_POINTS) % TRACK_POINTS) * 2;
    if (t.ring[p] === lon && t.ring[p + 1] === lat) return;
  }
  t.ring[t.head * 2] = lon;
  t.ring[t.head * 2 + 1] = lat;
  t.head = (t.head + 1) % TRACK_POINTS;
  if (t.len < TRACK_POINTS) t.len++;
}

/** Track points oldest first, as [lon, lat][] (a drone track is at most TRACK_POINTS long). */
export function trackPath(t: Track): [number, number][] {
  const out: [number, number][] = [];
  const start = (t.head - t.len + TRACK_POINTS) % TRACK_POINTS;
  for (let i = 0; i < t.len; i++) {
    const p = ((start + i) % TRACK_POINTS) * 2;
    out.push([t.ring[p], t.ring[p + 1]]);
  }
  return out;
}

function pushRate(s: LiveStore, serverTime: number, value: number): void {
  const sec = Math.floor(serverTime / 1000) * 1000;
  const r = s.rate;
  const last = (r.head - 1 + RATE_SAMPLES) % RATE_SAMPLES;
  // Time ran backwards (a replay jumped back): the old samples belong to another timeline.
  if (r.len > 0 && sec < r.t[last]) resetRate(s);
  if (r.len > 0 && r.t[last] === sec) {
    r.v[last] = value; // same second: keep the latest reading
    return;
  }
  r.t[r.head] = sec;
  r.v[r.head] = value;
  r.head = (r.head + 1) % RATE_SAMPLES;
  if (r.len < RATE_SAMPLES) r.len++;
}

/** Forgets the events-per-second samples (entering or leaving a replay starts another timeline). */
export function resetRate(s: LiveStore): void {
  s.rate.head = 0;
  s.rate.len = 0;
}

/** Rate samples oldest first. */
export function rateSeries(s: LiveStore): [number, number][] {
  const r = s.rate;
  const out: [number, number][] = [];
  const start = (r.head - r.len + RATE_SAMPLES) % RATE_SAMPLES;
  for (let i = 0; i < r.len; i++) {
    const j = (start + i) % RATE_SAMPLES;
    out.push([r.t[j], r.v[j]]);
  }
  return out;
}

/** Inserts or replaces a case; an older version never replaces a newer one (acks and deltas race). Returns whether anything changed. */
function upsertCase(s: LiveStore, c: CaseSummary, now: number): boolean {
  if (!placeInScope(s.scope, c)) {
    s.droppedOutOfScope++;
    return false;
  }
  const had = s.cases.get(c.id);
  if (had && had.version > c.version) return false;
  s.cases.set(c.id, c);
  if (!had) {
    s.arrivedAt.set(c.id, now);
    s.feed.unshift(c.id);
    if (s.feed.length > FEED_MAX) s.feed.length = FEED_MAX;
  }
  return true;
}

function upsertWhistle(s: LiveStore, w: WhistleState): boolean {
  const had = s.whistles.get(w.id);
  if (had && had.version > w.version) return false;
  s.whistles.set(w.id, w);
  return true;
}

function upsertAlarm(s: LiveStore, a: AlarmState): boolean {
  if (!placeInScope(s.scope, a)) return false;
  const had = s.alarms.get(a.id);
  if (had && had.updatedAt > a.updatedAt) return false;
  s.alarms.set(a.id, a);
  return true;
}

/** Forgets everything live (on an identity change: the next snapshot is of another scope). Device arrays stay sized. */
export function resetStore(s: LiveStore, scope: string): void {
  s.seq = -1;
  s.scope = scope;
  s.session = null;
  s.cases = new Map();
  s.feed = [];
  s.arrivedAt = new Map();
  s.whistles = new Map();
  s.alarms = new Map();
  s.kpis = null;
  s.droppedOutOfScope = 0;
  s.version.cases++;
  s.version.whistles++;
  s.version.alarms++;
  s.version.kpis++;
  replaceBroadcasts(s, []);
}

function rebuildFeed(s: LiveStore): void {
  const all = [...s.cases.values()].sort((a, b) => b.reportedAt - a.reportedAt || (a.id < b.id ? 1 : -1));
  s.feed = all.slice(0, FEED_MAX).map((c) => c.id);
}

/** Replaces the whole live state with a snapshot. Arrays of the wrong length are clipped or padded (offline). */
export function applySnapshot(s: LiveStore, snap: Snapshot, now = Date.now()): void {
  for (const k of DEVICE_KINDS) {
    const incoming = snap.status[k] ? toTyped(snap.status[k], Uint8Array) : new Uint8Array(0);
    const st = s.status[k];
    const n = Math.min(st.length, incoming.length);
    st.set(incoming.subarray(0, n));
    if (n < st.length) st.fill(1, n);
    const fresh = new Uint8Array(st.length * 4);
    paintAll(st, fresh, STATUS_RGBA[k]);
    s.colors[k] = fresh;
    s.counts[k] = countStatuses(st);
    s.version.status[k]++;
  }
  for (const k of MOVING_KINDS) {
    const m = snap.moving?.[k];
    if (!m) continue;
    const ll = toTyped(m.lonlat, Float64Array);
    const hd = toTyped(m.heading, Float32Array);
    const dst = s.moving[k];
    dst.lonlat.set(ll.subarray(0, Math.min(ll.length, dst.lonlat.length)));
    dst.heading.set(hd.subarray(0, Math.min(hd.length, dst.heading.length)));
    s.version.moving[k]++;
  }
  for (let d = 0; d < s.tracks.length; d++) {
    const t = s.tracks[d];
    t.head = 0;
    t.len = 0;
    pushTrack(t, s.moving.drone.lonlat[d * 2], s.moving.drone.lonlat[d * 2 + 1]);
  }
  s.session = snap.session ?? null;
  if (snap.calendar) {
    try {
      s.calendar = calendarFromConfig(snap.calendar);
    } catch (e) {
      console.warn(`[store] the server's calendar is unusable, counting with the default: ${(e as Error).message}`);
    }
  }
  s.cases = new Map();
  for (const c of snap.cases) {
    if (placeInScope(s.scope, c)) s.cases.set(c.id, c);
    else s.droppedOutOfScope++;
  }
  s.arrivedAt = new Map();
  rebuildFeed(s);
  s.version.cases++;
  s.whistles = new Map((snap.whistles ?? []).map((w) => [w.id, w]));
  s.version.whistles++;
  s.alarms = new Map();
  for (const a of snap.alarms ?? []) upsertAlarm(s, a);
  s.version.alarms++;
  if (snap.drones) setDrones(s, snap.drones);
  s.kpis = snap.kpis;
  s.version.kpis++;
  replaceBroadcasts(s, snap.broadcasts ?? []);
  s.seq = snap.seq;
  s.serverTime = snap.serverTime;
  s.lastMessageAt = now;
  pushRate(s, snap.serverTime, snap.kpis.eventsPerSecond);
}

export type DeltaResult = 'applied' | 'gap' | 'stale';

/**
 * Applies one delta in place. Returns 'gap' (nothing applied) when delta.prevSeq is not the
 * store's seq, so the caller asks for a fresh snapshot; 'stale' when the delta is older than
 * the state (a late delta after a snapshot), which is ignored.
 */
export function applyDelta(s: LiveStore, d: Delta, now = Date.now()): DeltaResult {
  if (s.seq >= 0 && d.seq <= s.seq) return 'stale';
  if (d.prevSeq !== s.seq) return 'gap';
  for (const k of DEVICE_KINDS) {
    const sd = d.status?.[k];
    if (!sd) continue;
    const idx = toTyped(sd.index, Uint32Array);
    const val = toTyped(sd.status, Uint8Array);
    const st = s.status[k];
    const colors = s.colors[k];
    const palette = STATUS_RGBA[k];
    const c = s.counts[k];
    const n = Math.min(idx.length, val.length);
    let changed = false;
    for (let i = 0; i < n; i++) {
      const j = idx[i];
      if (j >= st.length) continue;
      const nv = val[i] > 3 ? 1 : val[i];
      const ov = st[j];
      if (ov === nv) continue;
      st[j] = nv;
      decrement(c, ov);
      increment(c, nv);
      const o = nv * 4;
      const q = j * 4;
      colors[q] = palette[o];
      colors[q + 1] = palette[o + 1];
      colors[q + 2] = palette[o + 2];
      colors[q + 3] = palette[o + 3];
      changed = true;
    }
    if (changed) s.version.status[k]++;
  }
  for (const k of MOVING_KINDS) {
    const md = d.moves?.[k];
    if (!md) continue;
    const idx = toTyped(md.index, Uint32Array);
    const ll = toTyped(md.lonlat, Float64Array);
    const hd = toTyped(md.heading, Float32Array);
    const dst = s.moving[k];
    const size = dst.heading.length;
    for (let i = 0; i < idx.length; i++) {
      const j = idx[i];
      if (j >= size) continue;
      dst.lonlat[j * 2] = ll[i * 2];
      dst.lonlat[j * 2 + 1] = ll[i * 2 + 1];
      if (i < hd.length) dst.heading[j] = hd[i];
      if (k === 'drone' && s.tracks[j]) pushTrack(s.tracks[j], ll[i * 2], ll[i * 2 + 1]);
    }
    if (idx.length) s.version.moving[k]++;
  }
  if (d.cases?.length) {
    let changed = false;
    for (const c of d.cases) changed = upsertCase(s, c, now) || changed;
    if (changed) s.version.cases++;
  }
  if (d.whistles?.length) {
    for (const w of d.whistles) upsertWhistle(s, w);
    s.version.whistles++;
  }
  if (d.alarms?.length) {
    for (const a of d.alarms) upsertAlarm(s, a);
    s.version.alarms++;
  }
  if (d.drones?.length) upsertDrones(s, d.drones);
  if (d.kpis) {
    s.kpis = d.kpis;
    s.version.kpis++;
    pushRate(s, d.serverTime, d.kpis.eventsPerSecond);
  }
  if (d.broadcasts?.length) mergeBroadcasts(s, d.broadcasts);
  s.eventsTotal += d.events ?? 0;
  s.seq = d.seq;
  s.serverTime = d.serverTime;
  s.lastMessageAt = now;
  return 'applied';
}

function decrement(c: StatusCounts, code: number): void {
  if (code === 0) c.online--;
  else if (code === 1) c.offline--;
  else if (code === 2) c.fault--;
  else c.alarm--;
}
function increment(c: StatusCounts, code: number): void {
  if (code === 0) c.online++;
  else if (code === 1) c.offline++;
  else if (code === 2) c.fault++;
  else c.alarm++;
}

/**
 * A case reported between ticks, or the state a command's ack returned (the next delta carries it
 * again; upsert is idempotent and keeps the newest version).
 */
export function applyCaseReported(s: LiveStore, c: CaseSummary, now = Date.now()): void {
  if (upsertCase(s, c, now)) s.version.cases++;
}
export const applyCase = applyCaseReported;

export function applyWhistle(s: LiveStore, w: WhistleState): void {
  if (upsertWhistle(s, w)) s.version.whistles++;
}

export function applyAlarm(s: LiveStore, a: AlarmState): void {
  if (upsertAlarm(s, a)) s.version.alarms++;
}

/** Active and acknowledged alarms, newest first. */
export function openAlarms(s: LiveStore): AlarmState[] {
  return [...s.alarms.values()].filter((a) => a.status !== 'cleared').sort((a, b) => b.raisedAt - a.raisedAt);
}

/** Whistles still open, the one closest to its report-in deadline first. */
export function openWhistles(s: LiveStore): WhistleState[] {
  return [...s.whistles.values()].filter((w) => w.closedAt === null).sort((a, b) => a.deadline - b.deadline);
}

/** Whether a case arrived live within FRESH_MS (the feed flashes it). */
export const isFresh = (s: LiveStore, id: string, now: number) => now - (s.arrivedAt.get(id) ?? -Infinity) < FRESH_MS;

/** Device counts to show: the store's own (exact, in dataset order), falling back to server KPIs. */
export function deviceCounts(s: LiveStore): Record<DeviceKind, StatusCounts> {
  if (s.seq < 0 && s.kpis) return s.kpis.devices;
  if (s.seq < 0) return perKind(() => emptyStatusCounts());
  return s.counts;
}

/** The newest feed cases. */
export function feedCases(s: LiveStore): CaseSummary[] {
  const out: CaseSummary[] = [];
  for (const id of s.feed) {
    const c = s.cases.get(id);
    if (c) out.push(c);
  }
  return out;
}
