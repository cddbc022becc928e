// Live device state: one status byte per device, positions of moving devices, and the set of
// indices changed since the realtime hub last took them. Rebuilt from the log at start.
import { DEVICE_KINDS, MOVING_KINDS, STATUS_CODE, type DeviceKind, type MovingKind, type StatusCounts } from '../../core/domain.ts';
import type { DeviceRecord, StatusDelta } from '../../core/protocol.ts';

/** A MoveDelta before encoding: its typed arrays. */
export interface MoveArrays {
  index: Uint32Array;
  lonlat: Float64Array;
  heading: Float32Array;
}

/** Tracks changed indices without duplicates: a flag per device plus the list of flagged ones. */
class DirtySet {
  private flags: Uint8Array;
  private list: number[] = [];
  constructor(size: number) {
    this.flags = new Uint8Array(size);
  }
  add(i: number): void {
    if (this.flags[i] === 0) {
      this.flags[i] = 1;
      this.list.push(i);
    }
  }
  get size(): number {
    return this.list.length;
  }
  /** Room for one more device (a provisioned one). */
  grow(size: number): void {
    if (size <= this.flags.length) return;
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
  }
  take(): number[] {
    const out = this.list;
    for (const i of out) this.flags[i] = 0;
    this.list = [];
    return out.sort((a, b) => a - b);
  }
}

export interface DeviceStateCheckpoint {
  status: Record<DeviceKind, string>; // base64 of the status bytes
  lonlat: Record<MovingKind, string>;
  heading: Record<MovingKind, string>;
}

export interface MovingStart {
  lon: number;
  lat: number;
}

export class DeviceState {
  readonly status: Record<DeviceKind, Uint8Array>;
  readonly lonlat: Record<MovingKind, Float64Array>;
  readonly heading: Record<MovingKind, Float32Array>;
  private readonly counts: Record<DeviceKind, number[]>;
  private readonly changed: Record<DeviceKind, DirtySet>;
  private readonly moved: Record<MovingKind, DirtySet>;
  /** Devices provisioned through the log (device-registry.ts), after the dataset's in each layer. */
  private readonly added: Record<DeviceKind, Map<string, number>>;
  /** Retired devices: offline for good, left out of the counts, refused by ingest. */
  private readonly retired: Record<DeviceKind, Set<number>>;

  constructor(
    private readonly index: Record<DeviceKind, ReadonlyMap<string, number>>,
    startPositions: Record<MovingKind, MovingStart[]>,
  ) {
    const make = <T>(f: (kind: DeviceKind, n: number) => T) =>
      Object.fromEntries(DEVICE_KINDS.map((k) => [k, f(k, index[k].size)])) as Record<DeviceKind, T>;
    // Until a device reports, it is counted offline: the screen must not claim what it has not heard.
    this.status = make((_, n) => new Uint8Array(n).fill(STATUS_CODE.offline));
    this.counts = make((_, n) => [0, n, 0, 0]);
    this.changed = make((_, n) => new DirtySet(n));
    this.added = make(() => new Map<string, number>());
    this.retired = make(() => new Set<number>());
    const makeMoving = <T>(f: (kind: MovingKind, n: number) => T) =>
      Object.fromEntries(MOVING_KINDS.map((k) => [k, f(k, index[k].size)])) as Record<MovingKind, T>;
    this.lonlat = makeMoving((k, n) => {
      const a = new Float64Array(n * 2);
      startPositions[k].forEach((p, i) => {
        a[i * 2] = p.lon;
        a[i * 2 + 1] = p.lat;
      });
      return a;
    });
    this.heading = makeMoving((_, n) => new Float32Array(n));
    this.moved = makeMoving((_, n) => new DirtySet(n));
  }

  indexOf(kind: DeviceKind, id: string): number | undefined {
    return this.index[kind].get(id) ?? this.added[kind].get(id);
  }

  /** Adds a provisioned fixed device at the end of its layer, offline until it reports; returns its index. */
  addDevice(kind: Exclude<DeviceKind, MovingKind>, id: string): number {
    const known = this.indexOf(kind, id);
    if (known !== undefined) return known;
    const i = this.status[kind].length;
    const status = new Uint8Array(i + 1);
    status.set(this.status[kind]);
    status[i] = STATUS_CODE.offline;
    this.status[kind] = status;
    this.counts[kind][STATUS_CODE.offline]++;
    this.changed[kind].grow(i + 1);
    this.added[kind].set(id, i);
    return i;
  }

  isRetired(kind: DeviceKind, index: number): boolean {
    return this.retired[kind].has(index);
  }

  /** Retires a device (it goes offline and out of the counts), or brings it back (`retired` false). */
  setRetired(kind: DeviceKind, index: number, retired: boolean): void {
    if (retired && !this.retired[kind].has(index)) {
      const statuses = this.status[kind];
      const before = statuses[index];
      if (before !== STATUS_CODE.offline) {
        statuses[index] = STATUS_CODE.offline;
        this.counts[kind][before]--;
        this.counts[kind][STATUS_CODE.offline]++;
        this.changed[kind].add(index);
      }
      this.retired[kind].add(index);
    } else if (!retired) this.retired[kind].delete(index);
  }

  /** Applies one validated record of a known device (`knownIndex` saves the id lookup when ingest already did it). */
  apply(r: DeviceRecord, knownIndex?: number): void {
    const i = knownIndex ?? this.index[r.kind].get(r.id);
    if (i === undefined) return;
    if (r.status !== undefined) {
      const code = STATUS_CODE[r.status];
      const statuses = this.status[r.kind];
      const before = statuses[i];
      if (before !== code) {
        statuses[i] = code;
        const counts = this.counts[r.kind];
        counts[before]--;
        counts[code]++;
        this.changed[r.kind].add(i);
      }
    }
    if (r.lon !== undefined && r.lat !== undefined && (r.kind === 'drone' || r.kind === 'worker')) {
      const pos = this.lonlat[r.kind];
      pos[i * 2] = r.lon;
      pos[i * 2 + 1] = r.lat;
      if (r.heading !== undefined) this.heading[r.kind][i] = r.heading;
      this.moved[r.kind].add(i);
    }
  }

  /** Current state for a checkpoint. */
  exportState(): DeviceStateCheckpoint {
    const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    return {
      status: Object.fromEntries(DEVICE_KINDS.map((k) => [k, b64(this.status[k])])) as Record<DeviceKind, string>,
      lonlat: Object.fromEntries(MOVING_KINDS.map((k) => [k, b64(this.lonlat[k])])) as Record<MovingKind, string>,
      heading: Object.fromEntries(MOVING_KINDS.map((k) => [k, b64(this.heading[k])])) as Record<MovingKind, string>,
    };
  }

  /** Restores a checkpoint taken with the same dataset; throws if its sizes do not match. */
  importState(cp: DeviceStateCheckpoint): void {
    const fill = (target: Uint8Array | Float64Array | Float32Array, b64: string, what: string) => {
      const bytes = Buffer.from(b64, 'base64');
      if (bytes.byteLength !== target.byteLength) throw new Error(`checkpoint ${what} has ${bytes.byteLength} bytes, expected ${target.byteLength}`);
      new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(bytes);
    };
    for (const k of DEVICE_KINDS) {
      fill(this.status[k], cp.status[k], `${k} status`);
      const counts = [0, 0, 0, 0];
      for (const v of this.status[k]) counts[v]++;
      this.counts[k] = counts;
    }
    for (const k of MOVING_KINDS) {
      fill(this.lonlat[k], cp.lonlat[k], `${k} positions`);
      fill(this.heading[k], cp.heading[k], `${k} headings`);
    }
  }

  countsOf(kind: DeviceKind): StatusCounts {
    const c = this.counts[kind];
    // Retired devices stay offline (ingest refuses them) and count for nothing.
    const gone = this.retired[kind].size;
    return { total: this.status[kind].length - gone, online: c[0], offline: c[1] - gone, fault: c[2], alarm: c[3] };
  }

  allCounts(): Record<DeviceKind, StatusCounts> {
    return Object.fromEntries(DEVICE_KINDS.map((k) => [k, this.countsOf(k)])) as Record<DeviceKind, StatusCounts>;
  }

  hasChanges(): boolean {
    return DEVICE_KINDS.some((k) => this.changed[k].size > 0) || MOVING_KINDS.some((k) => this.moved[k].size > 0);
  }

  /** Takes the status changes since the last call, as binary arrays with current values. */
  takeStatusDeltas(): Partial<Record<DeviceKind, StatusDelta>> {
    const out: Partial<Record<DeviceKind, StatusDelta>> = {};
    for (const kind of DEVICE_KINDS) {
      if (this.changed[kind].size === 0) continue;
      const indices = this.changed[kind].take();
      const index = Uint32Array.from(indices);
      const status = new Uint8Array(indices.length);
      const statuses = this.status[kind];
      for (let j = 0; j < indices.length; j++) status[j] = statuses[indices[j]];
      out[kind] = { index, status };
    }
    return out;
  }

  takeMoveDeltas(): Partial<Record<MovingKind, MoveArrays>> {
    const out: Partial<Record<MovingKind, MoveArrays>> = {};
    for (const kind of MOVING_KINDS) {
      if (this.moved[kind].size === 0) continue;
      const indices = this.moved[kind].take();
      const lonlat = new Float64Array(indices.length * 2);
      const heading = new Float32Array(indices.length);
      const pos = this.lonlat[kind];
      for (let j = 0; j < indices.length; j++) {
        const i = indices[j];
        lonlat[j * 2] = pos[i * 2];
        lonlat[j * 2 + 1] = pos[i * 2 + 1];
        heading[j] = this.heading[kind][i];
      }
      out[kind] = { index: Uint32Array.from(indices), lonlat, heading };
    }
    return out;
  }
}
