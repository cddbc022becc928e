// A delta's device changes (status bytes and moves of every kind) in one compact binary part.
// At 20,000 device events/s these are most of what a screen receives, so each change costs what
// it must: device indices in ascending order as varints of the gap to the previous one (one or two
// bytes instead of four), a status as one byte, a position as two int32 micro-degrees (0.1 m,
// the precision devices report in) instead of two float64, a heading as uint16 centi-degrees. One
// part instead of two or three typed arrays per kind also drops their JSON references and part
// descriptors from every delta.
//
// Layout (little-endian): u8 version; u8 status kinds, then per kind: u8 kind (index in
// DEVICE_KINDS), varint n, n index varints, n status bytes; u8 moving kinds, then per kind: u8 kind
// (index in MOVING_KINDS), varint n, n index varints, n × (i32 lon, i32 lat) µdeg, n × u16 heading.
// A position the sender does not know (NaN) travels as INT32_MIN and comes back NaN.
import { DEVICE_KINDS, MOVING_KINDS, type DeviceKind, type MovingKind } from './domain.ts';

export const DEVICE_DELTA_VERSION = 1;

export interface StatusChanges {
  index: Uint32Array;
  status: Uint8Array;
}
export interface MoveChanges {
  index: Uint32Array;
  /** lon,lat pairs. */
  lonlat: Float64Array;
  heading: Float32Array;
}
export interface DeviceChanges {
  status: Partial<Record<DeviceKind, StatusChanges>>;
  moves: Partial<Record<MovingKind, MoveChanges>>;
}

const NO_POSITION = -0x80000000;

class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  n = 0;
  room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.n++] = v;
  }
  varint(v: number): void {
    this.room(5);
    while (v >= 0x80) {
      this.buf[this.n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.n++] = v;
  }
  /** Ascending indices as varints of the gap to the previous one. */
  indices(index: ArrayLike<number>): void {
    let prev = 0;
    for (let i = 0; i < index.length; i++) {
      this.varint(index[i] - prev);
      prev = index[i];
    }
  }
}

class Reader {
  private readonly view: DataView;
  n = 0;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(k: number): void {
    if (this.n + k > this.buf.length) throw new RangeError(`device delta cut at byte ${this.n} of ${this.buf.length}`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.n++];
  }
  varint(): number {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.u8();
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      if (shift > 28) throw new RangeError('device delta: varint too long');
    }
  }
  indices(count: number): Uint32Array {
    const out = new Uint32Array(count);
    let prev = 0;
    for (let i = 0; i < count; i++) out[i] = prev += this.varint();
    return out;
  }
  bytes(count: number): Uint8Array {
    this.need(count);
    const out = this.buf.slice(this.n, this.n + count);
    this.n += count;
    return out;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.n, true);
    this.n += 4;
    return v;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.n, true);
    this.n += 2;
    return v;
  }
}

/** The order that sorts `index` ascending, or null when it already is (the projections take changes sorted). */
function ascending(index: Uint32Array): number[] | null {
  for (let i = 1; i < index.length; i++) {
    if (index[i] < index[i - 1]) return Array.from(index.keys()).sort((a, b) => index[a] - index[b]);
  }
  return null;
}
const pick = (order: number[] | null, i: number) => (order ? order[i] : i);

const micro = (deg: number): number => (Number.isFinite(deg) ? Math.round(deg * 1e6) : NO_POSITION);
const centi = (heading: number): number => {
  if (!Number.isFinite(heading)) return 0;
  const c = Math.round((((heading % 360) + 360) % 360) * 100);
  return c >= 36000 ? 0 : c;
};

export function encodeDeviceChanges(d: DeviceChanges): Uint8Array {
  const w = new Writer();
  w.u8(DEVICE_DELTA_VERSION);
  const statusKinds = DEVICE_KINDS.filter((k) => d.status[k] && d.status[k].index.length > 0);
  w.u8(statusKinds.length);
  for (const k of statusKinds) {
    const { index, status } = d.status[k]!;
    if (status.length !== index.length) throw new RangeError(`status changes of ${k}: ${index.length} indices, ${status.length} statuses`);
    const order = ascending(index);
    w.u8(DEVICE_KINDS.indexOf(k));
    w.varint(index.length);
    w.indices(order ? order.map((i) => index[i]) : index);
    w.room(status.length);
    for (let i = 0; i < status.length; i++) w.buf[w.n++] = status[pick(order, i)];
  }
  const moveKinds = MOVING_KINDS.filter((k) => d.moves[k] && d.moves[k].index.length > 0);
  w.u8(moveKinds.length);
  for (const k of moveKinds) {
    const { index, lonlat, heading } = d.moves[k]!;
    if (lonlat.length !== index.length * 2 || heading.length !== index.length) throw new RangeError(`moves of ${k}: ${index.length} indices, ${lonlat.length} coordinates, ${heading.length} headings`);
    const order = ascending(index);
    w.u8(MOVING_KINDS.indexOf(k));
    w.varint(index.length);
    w.indices(order ? order.map((i) => index[i]) : index);
    w.room(index.length * 10);
    for (let i = 0; i < index.length; i++, w.n += 8) {
      const j = pick(order, i);
      w.view.setInt32(w.n, micro(lonlat[j * 2]), true);
      w.view.setInt32(w.n + 4, micro(lonlat[j * 2 + 1]), true);
    }
    for (let i = 0; i < index.length; i++, w.n += 2) w.view.setUint16(w.n, centi(heading[pick(order, i)]), true);
  }
  return w.buf.slice(0, w.n);
}

export function decodeDeviceChanges(bytes: Uint8Array): DeviceChanges {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== DEVICE_DELTA_VERSION) throw new RangeError(`device delta version ${version}, expected ${DEVICE_DELTA_VERSION}`);
  const out: DeviceChanges = { status: {}, moves: {} };
  for (let kinds = r.u8(); kinds > 0; kinds--) {
    const k = DEVICE_KINDS[r.u8()];
    if (!k) throw new RangeError('device delta: unknown device kind');
    const n = r.varint();
    const index = r.indices(n);
    out.status[k] = { index, status: r.bytes(n) };
  }
  for (let kinds = r.u8(); kinds > 0; kinds--) {
    const k = MOVING_KINDS[r.u8()];
    if (!k) throw new RangeError('device delta: unknown moving kind');
    const n = r.varint();
    const index = r.indices(n);
    const lonlat = new Float64Array(n * 2);
    for (let i = 0; i < n * 2; i++) {
      const v = r.i32();
      lonlat[i] = v === NO_POSITION ? Number.NaN : v / 1e6;
    }
    const heading = new Float32Array(n);
    for (let i = 0; i < n; i++) heading[i] = r.u16() / 100;
    out.moves[k] = { index, lonlat, heading };
  }
  return out;
}
