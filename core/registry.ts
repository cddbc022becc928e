// The live device registry (issue 14 item 2): fixed devices are data in the log, not only the
// generated dataset. An admin (or a ledger import) provisions, updates and retires them; each is a
// `device:provisioned|updated|retired` event decided here, purely, against what the registry holds.
// A provisioned device takes the next index of its layer (dataset size + order of provisioning in
// the log), so every node and every replay numbers it the same.
import { Type, type Static } from 'typebox';
import type { BBox } from './dataset.ts';
import type { AuditActor } from './audit.ts';

/** Kinds that can be provisioned: the fixed devices (moving ones and components come with the dataset). */
export const REGISTRY_KINDS = ['camera', 'lookout', 'broadcast'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export const REGISTRY_ERRORS = {
  deviceExists: 'DEVICE_EXISTS',
  deviceRetired: 'DEVICE_RETIRED',
  outsideDistrict: 'OUTSIDE_DISTRICT',
} as const;

/** The same code ingest answers for an id it does not know (core/protocol.ts ERROR_CODES.unknownDevice). */
const UNKNOWN = 'UNKNOWN_DEVICE';

const DeviceId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'device id as gateways report it (a GB/T 28181 20-digit id for cameras of a national platform)' });
const Name = Type.String({ minLength: 1, maxLength: 64 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const StreamUrl = Type.String({ minLength: 1, maxLength: 500, pattern: '^(https?://|/)\\S+$', description: 'HLS playlist URL (absolute, or a path on this server)' });

/** What an admin gives to provision a device (WGS84 coordinates). */
export const DeviceSpecSchema = Type.Object(
  {
    kind: Type.Enum(REGISTRY_KINDS),
    id: DeviceId,
    name: Name,
    lon: Lon,
    lat: Lat,
    ai: Type.Optional(Type.Boolean({ description: 'the camera runs video AI analytics' })),
    streamUrl: Type.Optional(StreamUrl),
  },
  { additionalProperties: false },
);
export type DeviceSpec = Static<typeof DeviceSpecSchema>;

/** What `device:updated` may change. */
export const DeviceChangesSchema = Type.Object(
  { name: Type.Optional(Name), lon: Type.Optional(Lon), lat: Type.Optional(Lat), ai: Type.Optional(Type.Boolean()), streamUrl: Type.Optional(StreamUrl) },
  { additionalProperties: false, minProperties: 1 },
);
export type DeviceChanges = Static<typeof DeviceChangesSchema>;

/** A device as the registry holds it now: what screens are sent (snapshot `registry`, `devices:changed`). */
export interface RegisteredDevice {
  kind: RegistryKind;
  id: string;
  /** Its index in its layer (status arrays, map points). */
  index: number;
  name: string;
  lon: number;
  lat: number;
  ai: boolean;
  streamUrl: string | null;
  retired: boolean;
}

export type RegistryEvent =
  | { type: 'provisioned'; device: DeviceSpec; actor: AuditActor | null; source: string }
  | { type: 'updated'; kind: RegistryKind; id: string; changes: DeviceChanges; actor: AuditActor | null; source: string }
  | { type: 'retired'; kind: RegistryKind; id: string; reason: string; actor: AuditActor | null; source: string };

export type RegistryDecision = { ok: true; event: RegistryEvent } | { ok: false; code: (typeof REGISTRY_ERRORS)[keyof typeof REGISTRY_ERRORS] | typeof UNKNOWN; message: string };

/** What a decision reads: the device as the registry holds it (undefined when the id is unknown) and the district's extent. */
export interface RegistryView {
  get(kind: RegistryKind, id: string): RegisteredDevice | undefined;
  bbox: BBox;
}

/** Who did it and how (an admin's form, an import with its file hash). */
export interface RegistryOrigin {
  actor: AuditActor | null;
  source: string;
}

const inside = (bbox: BBox, lon: number, lat: number) => lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
const outside = (lon: number, lat: number) => ({ ok: false as const, code: REGISTRY_ERRORS.outsideDistrict, message: `/lon,/lat (${lon}, ${lat}) lies outside the district: check the coordinates and their system (WGS84)` });

/** A new device; a retired id comes back to life at its old index (a camera reinstalled). */
export function decideProvision(view: RegistryView, spec: DeviceSpec, origin: RegistryOrigin): RegistryDecision {
  const known = view.get(spec.kind, spec.id);
  if (known && !known.retired) return { ok: false, code: REGISTRY_ERRORS.deviceExists, message: `${spec.kind} "${spec.id}" exists already: update it instead` };
  if (!inside(view.bbox, spec.lon, spec.lat)) return outside(spec.lon, spec.lat);
  return { ok: true, event: { type: 'provisioned', device: spec, ...origin } };
}

/** Changes to a device in service; null when nothing would change (an import of the same ledger). */
export function decideUpdate(view: RegistryView, kind: RegistryKind, id: string, changes: DeviceChanges, origin: RegistryOrigin): RegistryDecision | null {
  const known = view.get(kind, id);
  if (!known) return { ok: false, code: UNKNOWN, message: `no ${kind} with id "${id}"` };
  if (known.retired) return { ok: false, code: REGISTRY_ERRORS.deviceRetired, message: `${kind} "${id}" is retired: provision it again first` };
  const lon = changes.lon ?? known.lon;
  const lat = changes.lat ?? known.lat;
  if ((changes.lon !== undefined || changes.lat !== undefined) && !inside(view.bbox, lon, lat)) return outside(lon, lat);
  const effective = diffDevice(known, changes);
  if (!effective) return null;
  return { ok: true, event: { type: 'updated', kind, id, changes: effective, ...origin } };
}

export function decideRetire(view: RegistryView, kind: RegistryKind, id: string, reason: string, origin: RegistryOrigin): RegistryDecision {
  const known = view.get(kind, id);
  if (!known) return { ok: false, code: UNKNOWN, message: `no ${kind} with id "${id}"` };
  if (known.retired) return { ok: false, code: REGISTRY_ERRORS.deviceRetired, message: `${kind} "${id}" is retired already` };
  return { ok: true, event: { type: 'retired', kind, id, reason, ...origin } };
}

/** The changes that differ from the device (coordinates compared to 1e-7°, about 1 cm), or null. */
export function diffDevice(known: RegisteredDevice, changes: DeviceChanges): DeviceChanges | null {
  const out: DeviceChanges = {};
  if (changes.name !== undefined && changes.name !== known.name) out.name = changes.name;
  if (changes.lon !== undefined && Math.abs(changes.lon - known.lon) > 1e-7) out.lon = changes.lon;
  if (changes.lat !== undefined && Math.abs(changes.lat - known.lat) > 1e-7) out.lat = changes.lat;
  if (changes.ai !== undefined && changes.ai !== known.ai) out.ai = changes.ai;
  if (changes.streamUrl !== undefined && changes.streamUrl !== (known.streamUrl ?? undefined)) out.streamUrl = changes.streamUrl;
  return Object.keys(out).length > 0 ? out : null;
}

/** The device after an event (`index` for a newly provisioned one). */
export function applyRegistryEvent(before: RegisteredDevice | undefined, e: RegistryEvent, index: number): RegisteredDevice | undefined {
  if (e.type === 'provisioned') {
    const d = e.device;
    return { kind: d.kind, id: d.id, index: before?.index ?? index, name: d.name, lon: d.lon, lat: d.lat, ai: d.ai ?? false, streamUrl: d.streamUrl ?? null, retired: false };
  }
  if (!before) return undefined;
  if (e.type === 'updated') {
    const c = e.changes;
    return { ...before, name: c.name ?? before.name, lon: c.lon ?? before.lon, lat: c.lat ?? before.lat, ai: c.ai ?? before.ai, streamUrl: c.streamUrl ?? before.streamUrl };
  }
  return { ...before, retired: true };
}

/** The event's subject and type in the log. */
export function registryEventType(e: RegistryEvent): 'device:provisioned' | 'device:updated' | 'device:retired' {
  return `device:${e.type}`;
}
export const registryEventKey = (e: RegistryEvent) => (e.type === 'provisioned' ? { kind: e.device.kind, id: e.device.id } : { kind: e.kind, id: e.id });
export const REGISTRY_EVENT_TYPES: readonly string[] = ['device:provisioned', 'device:updated', 'device:retired'];
