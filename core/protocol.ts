// The wire protocol shared by server, client and simulator: ingest record schemas (one TypeBox
// schema per shape gives both validation and the TypeScript type), the typed Socket.IO event maps,
// the realtime snapshot/delta shapes and the error codes.
import { Type, type Static } from 'typebox';
import { DEVICE_KINDS, DEVICE_STATUSES, type CaseSummary, type DeviceKind, type MovingKind, type StatusCounts } from './domain.ts';
import type { AlarmState } from './alarms.ts';
import type { CaseCommand, CaseCommandType, CaseEvent } from './cases/model.ts';
import type { KpiSet } from './cases/kpi.ts';
import type { Actor } from './org.ts';
import type { CalendarConfig } from './cases/calendar.ts';
import type { WhistleState } from './whistle.ts';
import { CaseReportSchema, type CaseReportInput } from './cases/schemas.ts';
import { CASE_ERRORS } from './cases/lifecycle.ts';
import { DRONE_ERRORS, type DispatchRequest, type DroneView, type MissionState, type RecallRequest } from './drones.ts';
import type { BroadcastSend, BroadcastSummary } from './broadcast.ts';
import type { ApproveRequest, BroadcastRequestView, RejectRequest } from './broadcast-approval.ts';
import type { FloodLevels, GaugeReading } from './flood.ts';
import { WeatherObservationSchema, type WeatherObservation, type WeatherStation } from './weather.ts';
import { REGISTRY_ERRORS, type RegisteredDevice } from './registry.ts';
import type { Boundary } from './boundaries.ts';
import { decodeDeviceChanges, encodeDeviceChanges, type DeviceChanges } from './device-delta.ts';
import type { CasePatch } from './cases/patch.ts';

// 3: a delta's device changes travel as one compact binary part (core/device-delta.ts).
export const PROTOCOL_VERSION = 3;

/** Largest batch one ingest request may carry; bigger batches get 413-style rejection. */
export const MAX_BATCH_RECORDS = 10_000;


const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
/** UTC milliseconds, between 2020 and 2100. */
const Millis = Type.Integer({ minimum: 1_577_836_800_000, maximum: 4_102_444_800_000 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

/** One device report: heartbeat, status change, position or sensor reading. */
export const DeviceRecordSchema = Type.Object(
  {
    kind: Type.Enum(DEVICE_KINDS),
    id: Id,
    ts: Millis,
    status: Type.Optional(Type.Enum(DEVICE_STATUSES)),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    alt: Type.Optional(Type.Number({ minimum: -100, maximum: 10_000 })),
    heading: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
    speed: Type.Optional(Type.Number({ minimum: 0, maximum: 500 })),
    battery: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    metric: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    value: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type DeviceRecord = Static<typeof DeviceRecordSchema>;

/** A video AI detection from a camera's analytics. */
export const VideoEventSchema = Type.Object(
  {
    id: Id,
    cameraId: Id,
    ts: Millis,
    eventClass: Type.String({ pattern: '^\\d{4}$' }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type VideoEvent = Static<typeof VideoEventSchema>;

/** A weather station's observation with the warnings in force (core/weather.ts). */
export { WeatherObservationSchema };

/** A new case from a gateway (grid app, hotline platform, City Brain); later steps are commands. */
export { CaseReportSchema };
export type CaseRecord = CaseReportInput;

/** Every ingest endpoint takes `{ records: [...] }`; records are validated one by one. */
export const IngestBatchSchema = Type.Object(
  { records: Type.Array(Type.Unknown(), { maxItems: MAX_BATCH_RECORDS }) },
  { additionalProperties: false },
);

export const RecordErrorSchema = Type.Object({
  index: Type.Integer({ description: 'position of the record in the batch' }),
  id: Type.Optional(Type.String()),
  field: Type.String({ description: 'JSON pointer of the offending field, "" for the whole record' }),
  code: Type.String(),
  message: Type.String(),
});
export type RecordError = Static<typeof RecordErrorSchema>;

export const IngestResultSchema = Type.Object({
  accepted: Type.Integer(),
  rejected: Type.Array(RecordErrorSchema),
  lastSeq: Type.Integer({ description: 'sequence number of the last committed event' }),
});
export type IngestResult = Static<typeof IngestResultSchema>;

export const ERROR_CODES = {
  invalidRecord: 'INVALID_RECORD',
  unknownDevice: 'UNKNOWN_DEVICE',
  unknownClass: 'UNKNOWN_CLASS',
  unauthorized: 'UNAUTHORIZED',
  badRequest: 'BAD_REQUEST',
  unavailable: 'UNAVAILABLE',
  // Replay: too many screens replaying at once (each holds a copy of the district in memory).
  replayBusy: 'REPLAY_BUSY',
  // A command sent from a screen that shows a replayed moment, not the live district.
  replaying: 'REPLAYING',
  // Too many commands or requests from one connection, account or gateway: slow down.
  rateLimited: 'RATE_LIMITED',
  // What a refused case, whistle or alarm command says (core/cases/lifecycle.ts).
  ...CASE_ERRORS,
  // A drone mission refused as unsafe (core/drones.ts missionProblem): the message says why.
  ...DRONE_ERRORS,
  // The device registry (core/registry.ts): a provisioned id that exists, a retired device reporting, ...
  ...REGISTRY_ERRORS,
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export type Ack<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string };

// ---- realtime ----------------------------------------------------------------------------

/** Binary arrays travel as Socket.IO binary attachments: typed arrays on send, ArrayBuffer (browser) or Buffer (Node) on receipt. */
export type Bytes = ArrayBuffer | ArrayBufferView;

export interface CaseCounts {
  today: number; // reported since 00:00 Asia/Shanghai
  open: number;
  overdue: number;
  closedToday: number;
  /** Cases reported in each hour (Asia/Shanghai) of today, 24 entries. */
  byHour: number[];
  /** Open cases per source. */
  openBySource: Record<string, number>;
}

/** Standard indicators (core/cases/kpi.ts) of the client's scope, for today and the last 30 days. */
export interface LoopKpis {
  today: KpiSet;
  last30Days: KpiSet;
}

export interface Kpis {
  devices: Record<DeviceKind, StatusCounts>;
  cases: CaseCounts;
  loop: LoopKpis;
  /** Events committed per second over the last 10 s. */
  eventsPerSecond: number;
}

/** The KPI parts of a round that changed since the round before (the rate always). */
export type KpisChange = Partial<Kpis> & Pick<Kpis, 'eventsPerSecond'>;

export interface MovingState {
  /** lon,lat pairs (Float64 as 2 numbers per device). */
  lonlat: Bytes;
  /** heading in degrees per device. */
  heading: Bytes;
}

export interface Snapshot {
  protocol: number;
  seq: number;
  serverTime: number;
  /** One status byte per device, in dataset order. */
  status: Record<DeviceKind, Bytes>;
  moving: Record<MovingKind, MovingState>;
  /** Cases in the client's scope: every open one plus those reported or closed in the last 24 h. */
  cases: CaseSummary[];
  /** Whistles in scope: open ones plus those closed in the last 24 h. */
  whistles: WhistleState[];
  /** Alarms in scope: active and acknowledged ones plus those cleared in the last hour. */
  alarms: AlarmState[];
  /** Who this connection acts as and the area it sees. */
  session: Session;
  /** The working calendar the server counts deadlines in, so countdowns on screen agree with it. */
  calendar: CalendarConfig;
  kpis: Kpis;
  /** The drones: telemetry and current mission (core/drones.ts). */
  drones?: DroneView[];
  /** Emergency broadcasts in scope: open ones plus those sent in the last 24 h (per-point detail: GET /api/broadcasts/:id). */
  broadcasts?: BroadcastSummary[];
  /** Requests for urgent broadcasts in scope: pending ones plus those made in the last 24 h (core/broadcast-approval.ts). */
  broadcastRequests?: BroadcastRequestView[];
  /** The embankment gauges' levels and latest stages: the river is the whole district's, every scope sees it. */
  flood?: { levels: FloodLevels; gauges: GaugeReading[] };
  /** The weather stations and their recent observations (district-wide, like the river). */
  weather?: { stations: WeatherStation[]; observations: WeatherObservation[] };
  /** Devices provisioned, updated or retired since the dataset (core/registry.ts); absent when none. */
  registry?: RegisteredDevice[];
}

export interface Session {
  actor: Actor;
  scope: string;
}

export interface StatusDelta {
  index: Bytes; // Uint32Array of device indices
  status: Bytes; // Uint8Array of their new status codes
}

export interface MoveDelta {
  index: Bytes; // Uint32Array
  lonlat: Bytes; // Float64Array, 2 per index
  heading: Bytes; // Float32Array, 1 per index
}

/** Changes coalesced over one hub tick. `prevSeq` equals the seq of the previous delta or snapshot. */
export interface Delta {
  seq: number;
  prevSeq: number;
  serverTime: number;
  /** Events committed in this tick (all kinds, including heartbeats that changed nothing). */
  events: number;
  status: Partial<Record<DeviceKind, StatusDelta>>;
  moves: Partial<Record<MovingKind, MoveDelta>>;
  /**
   * Cases the screen receives whole: those that became visible to it (reported before the scope's
   * screens were sent them by case:reported, or changed after they had left its snapshot's window).
   */
  cases: CaseSummary[];
  /** Every other changed case as the fields that changed since the version the screen holds (core/cases/patch.ts). */
  casePatches?: CasePatch[];
  whistles: WhistleState[];
  alarms: AlarmState[];
  /** Present in a KPI round (a few times a second): the parts that changed since the round before, and always eventsPerSecond. */
  kpis?: KpisChange;
  /** Drones that changed: a mission or status change in the next delta, new readings at the pace of the moves (a few times a second). */
  drones?: DroneView[];
  /** Broadcasts in scope whose progress changed in this tick (present when any did). */
  broadcasts?: BroadcastSummary[];
  /** Broadcast requests in scope that were made or decided in this tick (present when any were). */
  broadcastRequests?: BroadcastRequestView[];
  /** Gauges that reported a stage in this tick (present when any did). */
  gauges?: GaugeReading[];
  /** Weather observations logged in this tick (present when any were). */
  weather?: WeatherObservation[];
}


/**
 * On the wire, the typed arrays of a snapshot or delta travel packed into ONE binary attachment
 * (`blob`), each replaced by `{ $bin: i }` pointing into `parts`. One attachment instead of up to
 * 18 means far fewer websocket frames per client and tick, and it stays under socket.io-parser's
 * default limit of 10 attachments per packet. Decode with decodeSnapshot/decodeDelta.
 */
export interface WirePacked {
  parts: Array<{ t: number; o: number; n: number }>;
  blob: Bytes;
}
export type WireSnapshot = Omit<Snapshot, 'status' | 'moving'> & WirePacked & { status: unknown; moving: unknown };
/** A delta on the wire: its device changes (status and moves) in one compact binary part (core/device-delta.ts). */
export type WireDelta = Omit<Delta, 'status' | 'moves'> & { devices: Bytes };

export interface ServerToClientEvents {
  'snapshot:sent': (snapshot: WireSnapshot) => void;
  'delta:sent': (delta: WireDelta) => void;
  /** A new case in the client's scope (the next deltas carry only its later changes, as patches). */
  'case:reported': (c: CaseSummary) => void;
  /** A new alarm in the client's scope; the deltas carry it only once it changes. */
  'alarm:raised': (a: AlarmState) => void;
  /** A whistle blown on a case in the client's scope; the deltas carry it only once it changes. */
  'whistle:blown': (w: WhistleState) => void;
  /** Devices provisioned, updated or retired (every screen with device layers: devices are district-wide; not a cases-only feed); later deltas may index them. */
  'devices:changed': (devices: RegisteredDevice[]) => void;
  /** Townships, communities or grids an admin's import drew (every screen: boundaries are district-wide); screens redraw them. */
  'boundaries:redrawn': (boundaries: Boundary[]) => void;
  /** An admin's import changed the emergency resources (committed at `since`, UTC ms): screens ask for their area's list again. */
  'resources:changed': (change: { since: number }) => void;
}

/** Payload of a case command over the socket: the command's fields plus the case and, optionally, the version the operator saw. */
export type CaseCommandPayload<K extends CaseCommandType> = Omit<Extract<CaseCommand, { type: K }>, 'type'> & { caseId: string; expectedVersion?: number };
/** Case commands a dashboard may send (`escalate` is the system's alone). */
export type OperatorCaseCommand = Exclude<CaseCommandType, 'escalate'>;
type CaseCommandEvents = {
  [K in OperatorCaseCommand as `case:${K}`]: (payload: CaseCommandPayload<K>, ack: (r: Ack<CaseSummary>) => void) => void;
};

export interface CaseDetail {
  case: CaseSummary;
  timeline: CaseEvent[];
}

export type WhistleBlowPayload = { whistleId?: string; caseId: string; kind: WhistleState['kind']; lead: string; supporting: string[]; note?: string };

export interface ClientToServerEvents extends CaseCommandEvents {
  /** Ask for a fresh snapshot (on connect, after reconnect, or when a seq gap is seen). */
  'snapshot:request': (ack: (r: Ack<{ seq: number }>) => void) => void;
  /** Report a new case (an operator taking a call, a grid worker in the field). The id is assigned by the server when omitted. */
  'case:report': (report: Omit<CaseReportInput, 'id' | 'reportedAt'> & { id?: string }, ack: (r: Ack<CaseSummary>) => void) => void;
  'case:detail': (q: { caseId: string }, ack: (r: Ack<CaseDetail>) => void) => void;
  'whistle:blow': (p: WhistleBlowPayload, ack: (r: Ack<WhistleState>) => void) => void;
  'whistle:report-in': (p: { whistleId: string; note?: string }, ack: (r: Ack<WhistleState>) => void) => void;
  'whistle:close': (p: { whistleId: string; ratings: Record<string, number>; force?: boolean; note?: string }, ack: (r: Ack<WhistleState>) => void) => void;
  'alarm:acknowledge': (p: { alarmId: string; note?: string }, ack: (r: Ack<AlarmState>) => void) => void;
  'alarm:clear': (p: { alarmId: string; note?: string }, ack: (r: Ack<AlarmState>) => void) => void;
  /** Send a drone to a point or a case (core/drones.ts); refused with a reason when unsafe or not allowed. */
  'drone:dispatch': (p: DispatchRequest, ack: (r: Ack<MissionState>) => void) => void;
  /** Call a drone back to its base (its mission, or a patrol flight). */
  'drone:recall': (p: RecallRequest, ack: (r: Ack<DroneView>) => void) => void;
  /** Send an emergency broadcast to the selected points (core/broadcast.ts); acknowledged once logged. */
  'broadcast:send': (p: BroadcastSend, ack: (r: Ack<BroadcastSummary>) => void) => void;
  /** Ask for an urgent (紧急/特急) broadcast: pending until a duty leader approves it (core/broadcast-approval.ts). */
  'broadcast:request': (p: BroadcastSend, ack: (r: Ack<BroadcastRequestView>) => void) => void;
  /** A duty leader (not the requester) approves a request: it is sent at once; the answer is the sent broadcast. */
  'broadcast:approve': (p: ApproveRequest, ack: (r: Ack<BroadcastSummary>) => void) => void;
  /** A duty leader (not the requester) rejects a request, saying why; nothing is sent. */
  'broadcast:reject': (p: RejectRequest, ack: (r: Ack<BroadcastRequestView>) => void) => void;
  /** Show the district as it was at `at`: the answer is a full snapshot of then (live deltas keep coming; the client sets them aside). */
  'replay:seek': (p: { at: number }, ack: (r: Ack<ReplayFrame>) => void) => void;
  /** The span a replay can show. */
  'replay:range': (ack: (r: Ack<ReplayRange>) => void) => void;
  /** Back to live: the server drops this connection's replay state. */
  'replay:stop': (ack: (r: Ack<null>) => void) => void;
}

/**
 * Replay (time travel): the district as it was at `at` (UTC ms), in the connection's scope: the
 * live snapshot that would have been sent then, rebuilt from the log. Its serverTime is `at`.
 */
export interface ReplayFrame {
  at: number;
  seq: number;
  snapshot: WireSnapshot;
}

/** The span of the log a replay can show (commit times of the first and last event, UTC ms). */
export interface ReplayRange {
  first: number;
  last: number;
}

/** Socket.IO handshake `auth`: who the dashboard acts as (issue 6 binds this to a login) and, for display screens, the area to show. */
export interface HandshakeAuth {
  actor?: Actor;
  scope?: string;
  /**
   * What the connection follows: 'all' (default) or 'cases' (a phone: cases, whistles, alarms,
   * broadcasts, KPIs, the river's gauges and the weather; no device layers, so no status bytes,
   * positions, drones, device registry or devices:changed).
   */
  feed?: Feed;
}
export const FEEDS = ['all', 'cases'] as const;
export type Feed = (typeof FEEDS)[number];

const ARRAY_TYPES = [Uint8Array, Uint32Array, Float32Array, Float64Array] as const;

type PackableArray = Uint8Array | Uint32Array | Float32Array | Float64Array;
const isPackable = (v: unknown): v is PackableArray => ARRAY_TYPES.some((C) => v instanceof C);

/** Packs typed arrays, wherever they sit in the values walked, into one buffer; done() gives the parts and the buffer. */
function packer() {
  const parts: WirePacked['parts'] = [];
  const views: PackableArray[] = [];
  let size = 0;
  const walk = (v: unknown): unknown => {
    if (isPackable(v)) {
      size = Math.ceil(size / 8) * 8; // keep every part aligned for any element size
      parts.push({ t: ARRAY_TYPES.findIndex((C) => v instanceof C), o: size, n: v.length });
      views.push(v);
      size += v.byteLength;
      return { $bin: parts.length - 1 };
    }
    if (ArrayBuffer.isView(v)) throw new TypeError('only Uint8/Uint32/Float32/Float64 arrays can be packed');
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const done = (): WirePacked => {
    const blob = new Uint8Array(size);
    views.forEach((v, i) => blob.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), parts[i].o));
    return { parts, blob };
  };
  return { walk, done };
}

/** Restores the typed arrays a packer replaced by `{ $bin: i }`. */
function unpacker({ parts, blob }: WirePacked) {
  const bytes = toTyped(blob, Uint8Array);
  const walk = (v: unknown): unknown => {
    if (v && typeof v === 'object') {
      const ref = '$bin' in v ? v.$bin : undefined;
      if (typeof ref === 'number') {
        const part = parts[ref];
        const Ctor = part ? ARRAY_TYPES[part.t] : undefined;
        if (!part || !Ctor) throw new TypeError(`bad binary reference ${ref}`);
        return toTyped<PackableArray>(bytes.subarray(part.o, part.o + part.n * Ctor.BYTES_PER_ELEMENT), Ctor);
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk;
}

export function encodeSnapshot(s: Snapshot): WireSnapshot {
  const { status, moving, ...rest } = s;
  const p = packer();
  return { ...rest, status: p.walk(status), moving: p.walk(moving), ...p.done() };
}
export function decodeSnapshot(w: WireSnapshot): Snapshot {
  const { parts, blob, status, moving, ...rest } = w;
  const walk = unpacker({ parts, blob });
  // The typed arrays come back where encodeSnapshot found them.
  return { ...rest, status: walk(status) as Snapshot['status'], moving: walk(moving) as Snapshot['moving'] };
}
export function encodeDelta(d: Delta): WireDelta {
  const { status, moves, ...rest } = d;
  const changes: DeviceChanges = { status: {}, moves: {} };
  for (const [k, v] of Object.entries(status) as Array<[DeviceKind, StatusDelta]>) changes.status[k] = { index: toTyped(v.index, Uint32Array), status: toTyped(v.status, Uint8Array) };
  for (const [k, v] of Object.entries(moves) as Array<[MovingKind, MoveDelta]>) changes.moves[k] = { index: toTyped(v.index, Uint32Array), lonlat: toTyped(v.lonlat, Float64Array), heading: toTyped(v.heading, Float32Array) };
  return { ...rest, devices: encodeDeviceChanges(changes) };
}
/** The delta as sent, its device changes as typed arrays (positions rounded to 1e-6°, headings to 0.01°). */
export function decodeDelta(w: WireDelta): Delta {
  const { devices, ...rest } = w;
  const { status, moves } = decodeDeviceChanges(toTyped(devices, Uint8Array));
  return { ...rest, status, moves };
}

/** Converts a received binary attachment (ArrayBuffer, Buffer or typed array) to a typed array, copying when misaligned. */
export function toTyped<T extends Uint8Array | Uint32Array | Float32Array | Float64Array>(
  bytes: Bytes,
  Ctor: { new (buffer: ArrayBuffer, byteOffset?: number, length?: number): T; new (length: number): T; BYTES_PER_ELEMENT: number },
): T {
  if (bytes instanceof ArrayBuffer) return new Ctor(bytes, 0, Math.floor(bytes.byteLength / Ctor.BYTES_PER_ELEMENT));
  const view = bytes as ArrayBufferView;
  const length = Math.floor(view.byteLength / Ctor.BYTES_PER_ELEMENT);
  if (view.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 && view.buffer instanceof ArrayBuffer) {
    return new Ctor(view.buffer, view.byteOffset, length);
  }
  const copy = new Uint8Array(length * Ctor.BYTES_PER_ELEMENT);
  copy.set(new Uint8Array(view.buffer, view.byteOffset, copy.length));
  return new Ctor(copy.buffer, 0, length);
}

// ---- HTTP read models ----------------------------------------------------------------------

export interface Summary {
  seq: number;
  devices: Record<DeviceKind, StatusCounts>;
  grids: number;
  residents: number;
  centers: { district: number; township: number; community: number; total: number };
  cases: { open: number; today: number; overdue: number };
}

export interface Health {
  status: 'ok' | 'degraded';
  /** The sequence number this node has applied. */
  seq: number;
  uptimeS: number;
  protocol: number;
  /** Which node answered (NODE_NAME). */
  node: string;
  /** Whether it runs what must run once (sweeps, checkpoints, reactions). */
  leader: boolean;
  /** The log's head in the store of record, and how far behind it this node is. */
  head: number;
  lag: number;
}
