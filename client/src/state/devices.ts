// The devices slice of the live store: status bytes, their colours and counts per kind, the
// positions of moving devices and the drones' tracks. Pure updaters over typed arrays; knows
// nothing of the store that composes it (state/store.ts).
//
// Cost model: a status change is one byte write plus four colour bytes, a move is two doubles.
// Nothing here allocates per device; a delta with k changes costs O(k).
import { DEVICE_KINDS, MOVING_KINDS, countStatuses, type DeviceKind, type MovingKind, type StatusCounts } from '../../../core/domain.ts';
import { toTyped, type Delta, type Snapshot } from '../../../core/protocol.ts';
import { STATUS_RGBA } from './colors.ts';

/** Points kept per drone track. */
export const TRACK_POINTS = 120;

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

export interface DevicesState {
  /** Device counts per kind, taken from the dataset (status arrays are sized to these). */
  sizes: Record<DeviceKind, number>;
  status: Record<DeviceKind, Uint8Array>;
  /** RGBA per device, kept in step with `status`. Replaced by a copy when handed to the GPU. */
  colors: Record<DeviceKind, Uint8Array>;
  counts: Record<DeviceKind, StatusCounts>;
  moving: Record<MovingKind, MovingArrays>;
  tracks: Track[]; // one per drone
  /**
   * Indices that are not there: retired, or past the dataset and not provisioned at the moment
   * shown (state/registry.ts). Offline, transparent on the map, left out of the counts.
   */
  absent: Record<DeviceKind, Set<number>>;
  /** Bumped by kind when statuses / positions change, so renderers know what to refresh. */
  version: { status: Record<DeviceKind, number>; moving: Record<MovingKind, number> };
}

export function perKind<T>(f: (k: DeviceKind) => T): Record<DeviceKind, T> {
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

/** Every device offline; drones and workers at `initialPositions` (the dataset's) until a snapshot. */
export function initDevices(sizes: Record<DeviceKind, number>, initialPositions?: Partial<Record<MovingKind, Float64Array>>): DevicesState {
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
    sizes: { ...sizes },
    status,
    colors,
    counts: perKind((k) => countStatuses(status[k])),
    moving,
    tracks: Array.from({ length: sizes.drone }, () => ({ ring: new Float64Array(TRACK_POINTS * 2), head: 0, len: 0 })),
    absent: perKind(() => new Set<number>()),
    version: { status: perKind(() => 0), moving: perMoving(() => 0) },
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

/** Counts of the devices there: the absent ones are offline (hideAbsent) and count for nothing. */
function countPresent(st: Uint8Array, absent: Set<number>): StatusCounts {
  const c = countStatuses(st);
  c.total -= absent.size;
  c.offline -= absent.size;
  return c;
}

/** Absent devices: offline and transparent (their colour's alpha 0). */
function hideAbsent(s: DevicesState, kind: DeviceKind): void {
  const st = s.status[kind];
  const colors = s.colors[kind];
  for (const i of s.absent[kind]) {
    if (i >= st.length) continue;
    st[i] = 1;
    colors.fill(0, i * 4, i * 4 + 4);
  }
}

/**
 * A layer of `size` devices of which `absent` are not there (the registry changed): the arrays grow
 * (new devices offline until their status comes), never shrink (indices are for good).
 */
export function setPresence(s: DevicesState, kind: DeviceKind, size: number, absent: Set<number>): void {
  if (size > s.status[kind].length) {
    const status = new Uint8Array(size).fill(1);
    status.set(s.status[kind]);
    const colors = new Uint8Array(size * 4);
    paintAll(status, colors, STATUS_RGBA[kind]);
    s.status[kind] = status;
    s.colors[kind] = colors;
    s.sizes[kind] = size;
  } else {
    // Colours are repainted from the status (an index present again shows its colour).
    const fresh = new Uint8Array(s.colors[kind].length);
    paintAll(s.status[kind], fresh, STATUS_RGBA[kind]);
    s.colors[kind] = fresh;
  }
  s.absent[kind] = absent;
  hideAbsent(s, kind);
  s.counts[kind] = countPresent(s.status[kind], absent);
  s.version.status[kind]++;
}

/** Takes a snapshot's statuses and positions. Arrays of the wrong length are clipped or padded (offline). */
export function applySnapshot(s: DevicesState, snap: Pick<Snapshot, 'status' | 'moving'>): void {
  for (const k of DEVICE_KINDS) {
    const incoming = snap.status[k] ? toTyped(snap.status[k], Uint8Array) : new Uint8Array(0);
    const st = s.status[k];
    const n = Math.min(st.length, incoming.length);
    st.set(incoming.subarray(0, n));
    if (n < st.length) st.fill(1, n);
    const fresh = new Uint8Array(st.length * 4);
    paintAll(st, fresh, STATUS_RGBA[k]);
    s.colors[k] = fresh;
    hideAbsent(s, k);
    s.counts[k] = countPresent(st, s.absent[k]);
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
}

/** Applies a delta's status changes and moves in place (the store has checked its sequence). */
export function applyDelta(s: DevicesState, d: Pick<Delta, 'status' | 'moves'>): void {
  for (const k of DEVICE_KINDS) {
    const sd = d.status?.[k];
    if (!sd) continue;
    const idx = toTyped(sd.index, Uint32Array);
    const val = toTyped(sd.status, Uint8Array);
    const st = s.status[k];
    const colors = s.colors[k];
    const palette = STATUS_RGBA[k];
    const c = s.counts[k];
    const absent = s.absent[k];
    const n = Math.min(idx.length, val.length);
    let changed = false;
    for (let i = 0; i < n; i++) {
      const j = idx[i];
      if (j >= st.length || (absent.size > 0 && absent.has(j))) continue;
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
