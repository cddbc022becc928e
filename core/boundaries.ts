// Import of a center's own townships, communities or grids (GeoJSON): every feature checked on its
// own — a bad one is reported as (feature, field, reason) and costs only itself — converted to WGS84
// and compared with the boundary the district has, so a dry run lists what is new, redrawn or
// unchanged, and importing the same file again changes nothing. Pure: the caller logs the events.
import kinks from '@turf/kinks';
import type { AuditActor } from './audit.ts';
import { pointInGeometry, type PolygonGeometry, type Position } from './geo.ts';
import { toWgs84, type LedgerCrs } from './ledger.ts';
import { explained, why, type ImportWhy } from './import-why.ts';

export const BOUNDARY_LEVELS = ['township', 'community', 'grid'] as const;
export type BoundaryLevel = (typeof BOUNDARY_LEVELS)[number];

/** One township, community or grid as the district draws it (WGS84). */
export interface Boundary {
  level: BoundaryLevel;
  code: string;
  name: string;
  /** The township of a community, the community of a grid. */
  parentCode: string;
  geometry: PolygonGeometry;
}

/** The log's record of a boundary drawn by an import (new or redrawn). */
export interface BoundaryEvent {
  type: 'drawn';
  boundary: Boundary;
  actor: AuditActor | null;
  source: string;
}

/** The log's type of a BoundaryEvent. */
export const BOUNDARY_EVENT_TYPE = 'boundary:drawn';

export interface BoundaryProblem {
  /** 0-based position of the feature in the file's `features`. */
  feature: number;
  field: string;
  /** In English; `why` is the same as a key with values, for a screen to say in its language. */
  reason: string;
  why: ImportWhy;
}

export interface BoundaryChange {
  feature: number;
  code: string;
  name: string;
  action: 'new' | 'redrawn' | 'unchanged';
  /** What differs from the district's boundary ('geometry', 'name'); empty when new or unchanged. */
  changed: string[];
}

/** What the plan needs of the district as it is now. */
export interface BoundaryContext {
  districtCode: string;
  /** The district's outline: a feature largely outside it is refused. */
  outline: PolygonGeometry | null;
  /** The boundary the district has for a code (dataset or an earlier import), if any. */
  known(code: string): Pick<Boundary, 'level' | 'name' | 'geometry' | 'parentCode'> | undefined;
}

export interface BoundaryPlan {
  changes: BoundaryChange[];
  bad: BoundaryProblem[];
  /** The boundaries to log: the new and the redrawn. */
  draw: Boundary[];
}

const CODE_DIGITS: Record<BoundaryLevel, number> = { township: 9, community: 12, grid: 15 };
/** A feature is refused when more than this share of its outline's vertices lie outside the district. */
export const MAX_OUTSIDE_SHARE = 0.5;

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** The same shape in the same numbers: coordinates compared at 1e-7° (about 1 cm). */
export function sameGeometry(a: PolygonGeometry, b: PolygonGeometry): boolean {
  const norm = (g: PolygonGeometry) => JSON.stringify([g.type, (g.coordinates as unknown[]).flat(Infinity as 1).map((v) => round7(v as number))]);
  return norm(a) === norm(b);
}

/** The problem of one ring (closed, 4 positions or more, finite lon/lat), or null. */
function ringProblem(ring: unknown): ImportWhy | null {
  if (!Array.isArray(ring) || ring.length < 4) return why('ringTooShort');
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return why('positionNotPair');
    if (Math.abs(p[0] as number) > 180 || Math.abs(p[1] as number) > 90) return why('positionNotLonLat', { lon: p[0] as number, lat: p[1] as number });
  }
  const [a, z] = [ring[0] as number[], ring[ring.length - 1] as number[]];
  if (a[0] !== z[0] || a[1] !== z[1]) return why('ringNotClosed');
  return null;
}

/** The geometry in WGS84 (rounded to 1e-7°), or why it cannot be a district boundary. */
export function checkGeometry(geometry: unknown, crs: LedgerCrs): { ok: true; geometry: PolygonGeometry } | { ok: false; why: ImportWhy } {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return { ok: false, why: why('notPolygon', { type: g ? String(g.type) : 'nothing' }) };
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
  if (!Array.isArray(polygons) || polygons.length === 0) return { ok: false, why: why('noCoordinates') };
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) return { ok: false, why: why('noRings') };
    for (const ring of poly) {
      const p = ringProblem(ring);
      if (p) return { ok: false, why: p };
    }
  }
  const convert = (ring: Position[]) => ring.map(([lon, lat]) => toWgs84(lon, lat, crs));
  const converted = (polygons as Position[][][]).map((poly) => poly.map(convert));
  const out: PolygonGeometry = g.type === 'Polygon' ? { type: 'Polygon', coordinates: converted[0] } : { type: 'MultiPolygon', coordinates: converted };
  const crossings = kinks(out as Parameters<typeof kinks>[0]).features;
  if (crossings.length > 0) {
    const [x, y] = crossings[0].geometry.coordinates;
    return { ok: false, why: why('ringCrosses', { lon: x.toFixed(5), lat: y.toFixed(5) }) };
  }
  return { ok: true, geometry: out };
}

/** Within about 10 cm of the outline counts as inside: real grids share their vertices with the district's edge. */
const NEAR = 1e-6;
const nearlyIn = (x: number, y: number, outline: PolygonGeometry) =>
  pointInGeometry(x, y, outline) || [[NEAR, NEAR], [NEAR, -NEAR], [-NEAR, NEAR], [-NEAR, -NEAR]].some(([dx, dy]) => pointInGeometry(x + dx, y + dy, outline));

/** Share of the outline vertices of `g` outside `outline`. */
export function outsideShare(g: PolygonGeometry, outline: PolygonGeometry): number {
  const rings = g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
  let n = 0;
  let out = 0;
  for (const ring of rings) {
    for (const [x, y] of ring.slice(1)) {
      n++;
      if (!nearlyIn(x, y, outline)) out++;
    }
  }
  return n === 0 ? 1 : out / n;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/**
 * Plans a FeatureCollection of one level: which features are new, redrawn or unchanged, and every
 * bad feature. A parent (a community's township, a grid's community) may be in the district or
 * earlier in the same file.
 */
export function planBoundaries(file: unknown, level: BoundaryLevel, crs: LedgerCrs, ctx: BoundaryContext): { ok: true; plan: BoundaryPlan } | { ok: false; message: string } {
  const fc = file as { type?: unknown; features?: unknown } | null;
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { ok: false, message: 'the file is not a GeoJSON FeatureCollection' };
  if (fc.features.length === 0) return { ok: false, message: 'the FeatureCollection has no features' };
  const plan: BoundaryPlan = { changes: [], bad: [], draw: [] };
  const seen = new Map<string, number>();
  const parentLevel: BoundaryLevel | 'district' = level === 'township' ? 'district' : level === 'community' ? 'township' : 'community';
  fc.features.forEach((f: unknown, feature: number) => {
    const bad = (field: string, w: ImportWhy) => void plan.bad.push({ feature, field, ...explained(w) });
    const props = ((f as { properties?: unknown } | null)?.properties ?? {}) as Record<string, unknown>;
    const code = text(props.code);
    const name = text(props.name);
    if (!new RegExp(`^\\d{${CODE_DIGITS[level]}}$`).test(code)) return bad('code', why('codeDigits', { level, digits: CODE_DIGITS[level], code }));
    if (!code.startsWith(ctx.districtCode)) return bad('code', why('notDistrictCode', { code, district: ctx.districtCode }));
    const parentCode = level === 'township' ? ctx.districtCode : code.slice(0, CODE_DIGITS[parentLevel as BoundaryLevel]);
    if (level === 'grid') {
      const community = text(props.community);
      if (community === '') return bad('community', why('gridNoCommunity'));
      if (community !== parentCode) return bad('community', why('gridCommunity', { code, parent: parentCode, community }));
    }
    if (parentLevel !== 'district' && ctx.known(parentCode)?.level !== parentLevel && !plan.draw.some((b) => b.code === parentCode)) {
      return bad(level === 'grid' ? 'community' : 'code', why('parentUnknown', { parentLevel, parent: parentCode }));
    }
    if (name === '') return bad('name', why('noName'));
    // Counted as a person counts the file's features (the first is 1), as the admin page lists them.
    if (seen.has(code)) return bad('code', why('featureRepeated', { code, feature: seen.get(code)! + 1 }));
    const known = ctx.known(code);
    if (known && known.level !== level) return bad('code', why('otherLevel', { code, known: known.level, level }));
    const g = checkGeometry((f as { geometry?: unknown } | null)?.geometry, crs);
    if (!g.ok) return bad('geometry', g.why);
    if (ctx.outline) {
      const share = outsideShare(g.geometry, ctx.outline);
      if (share > MAX_OUTSIDE_SHARE) return bad('geometry', why('outsideShare', { percent: Math.round(share * 100), crs }));
    }
    seen.set(code, feature);
    const boundary: Boundary = { level, code, name, parentCode, geometry: g.geometry };
    if (!known) {
      plan.changes.push({ feature, code, name, action: 'new', changed: [] });
      plan.draw.push(boundary);
      return;
    }
    const changed = [...(sameGeometry(known.geometry, g.geometry) ? [] : ['geometry']), ...(known.name === name ? [] : ['name'])];
    plan.changes.push({ feature, code, name, action: changed.length ? 'redrawn' : 'unchanged', changed });
    if (changed.length) plan.draw.push(boundary);
  });
  return { ok: true, plan };
}

/** A boundary file as the admin page sends it (server/geography/boundary-import.ts validates it). */
export interface BoundaryFile {
  /** The GeoJSON FeatureCollection as text. */
  file: string;
  filename: string;
  level: BoundaryLevel;
  crs: LedgerCrs;
}

/** A dry run's (or an apply's) answer. */
export interface BoundaryReport {
  token: string;
  filename: string;
  level: BoundaryLevel;
  counts: { new: number; redrawn: number; unchanged: number; bad: number };
  changes: BoundaryChange[];
  bad: BoundaryProblem[];
  applied?: number;
}
