// Emergency resources (应急资源): shelters, supply depots, rescue teams, fire stations, hospitals —
// the base layer a linkage center keeps for an urgent case. One TypeBox schema gives the dataset
// file's type, the route's response and the import's row check. Pure: no I/O, no clock.
import { Type, type Static } from 'typebox';
import type { LonLat } from './dataset.ts';
import { distanceM } from './geo.ts';
import { DISTRICT_CODE } from './org.ts';

export const RESOURCE_KINDS = ['shelter', 'depot', 'team', 'fire', 'hospital'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Id prefix of each kind (SH-001, DP-001, RT-001, FS-001, HO-001). */
export const RESOURCE_ID_PREFIX: Record<ResourceKind, string> = { shelter: 'SH', depot: 'DP', team: 'RT', fire: 'FS', hospital: 'HO' };

/**
 * Shelters and depots belong to a township (it opens them and evacuates its residents into them);
 * teams, fire stations and hospitals serve the whole district wherever they stand.
 */
export const TOWNSHIP_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['shelter', 'depot']);

export const TEAM_SPECIALTIES = ['general', 'fire', 'water', 'power', 'flood', 'gas', 'medical', 'municipal'] as const;
export type TeamSpecialty = (typeof TEAM_SPECIALTIES)[number];

export const StockItemSchema = Type.Object(
  {
    item: Type.String({ minLength: 1, maxLength: 40 }),
    quantity: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    unit: Type.String({ minLength: 1, maxLength: 8 }),
  },
  { additionalProperties: false },
);
export type StockItem = Static<typeof StockItemSchema>;

export const RESOURCE_ID_PATTERN = '^(SH|DP|RT|FS|HO)-[A-Za-z0-9_-]{1,32}$';

export const EmergencyResourceSchema = Type.Object(
  {
    id: Type.String({ pattern: RESOURCE_ID_PATTERN, description: 'kind prefix + serial, e.g. SH-001' }),
    kind: Type.Enum(RESOURCE_KINDS),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    /** The township it stands in (9 digits). */
    townshipCode: Type.String({ pattern: '^\\d{9}$' }),
    address: Type.String({ maxLength: 80 }),
    /** The duty phone (值班电话). */
    phone: Type.String({ pattern: '^\\+?[0-9][0-9 -]{2,19}$' }),
    /** Shelter: people it holds. */
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    /** Shelter: usable area in m². */
    areaM2: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
    /** Depot: what it holds. */
    stock: Type.Optional(Type.Array(StockItemSchema, { maxItems: 40 })),
    /** Team or fire station: people on its roll. */
    members: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    specialty: Type.Optional(Type.Enum(TEAM_SPECIALTIES)),
    equipment: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 40 })),
    /** Hospital: beds. */
    beds: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type EmergencyResource = Static<typeof EmergencyResourceSchema>;

/** A kind's prefix matches its id: SH-… is a shelter, nothing else. */
export function kindOfId(id: string): ResourceKind | undefined {
  return RESOURCE_KINDS.find((k) => id.startsWith(RESOURCE_ID_PREFIX[k] + '-'));
}

/**
 * What an area reads: the district all; a township or community its township's shelters and
 * depots, and every team, fire station and hospital (they serve the whole district).
 */
export function resourceInArea(area: string, r: Pick<EmergencyResource, 'kind' | 'townshipCode'>): boolean {
  if (area === DISTRICT_CODE || !TOWNSHIP_KINDS.has(r.kind)) return true;
  return r.townshipCode === area.slice(0, 9);
}

export interface NearResource {
  resource: EmergencyResource;
  distanceM: number;
}

/**
 * The `n` resources of the given kinds nearest to a point, nearest first (great-circle distance;
 * ties by id, so the order never depends on the input's order).
 */
export function nearestResources(resources: readonly EmergencyResource[], at: LonLat, kinds: readonly ResourceKind[], n: number): NearResource[] {
  const wanted = new Set(kinds);
  return resources
    .filter((r) => wanted.has(r.kind))
    .map((r) => ({ resource: r, distanceM: distanceM(at, [r.lon, r.lat]) }))
    .sort((a, b) => a.distanceM - b.distanceM || (a.resource.id < b.resource.id ? -1 : a.resource.id > b.resource.id ? 1 : 0))
    .slice(0, Math.max(0, n));
}
