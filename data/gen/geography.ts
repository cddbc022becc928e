// Geography in the km plane: the real outline of 大观区 and its neighbours (anqing.ts), the Yangtze
// along the district's real riverside edge, and hand-placed township seats, urban core and lakes.

import type { LonLat, WaterProps } from '../../core/dataset.ts';
import { anqingCounties, gcjToWgs, type County } from './anqing.ts';
import { diff, inMp, inter, mpBBox, mpCentroid, normalize, openRing, toKm, unionAll } from './geometry.ts';
import { stream, type Rng } from '../../core/random.ts';
import { DISTRICT_CODE, type MPoly, type Pair, type Ring } from './types.ts';

const countyKm = (c: County): MPoly => normalize(c.polygons.map((p) => p.map((r) => r.map(([lon, lat]) => toKm(lon, lat)))));
/** Hand-placed points are read off web maps, in GCJ-02 like the source outline, and converted alike. */
const gcjKm = (p: LonLat): Pair => toKm(...gcjToWgs(p));

let cached: { outline: MPoly; neighbours: Array<{ code: string; name: string; km: MPoly }>; bank: Ring; cityBank: Ring; land: MPoly } | null = null;
function geo() {
  if (cached) return cached;
  const counties = anqingCounties();
  const own = counties.find((c) => c.code === DISTRICT_CODE);
  if (!own) throw new Error(`anqing counties: no feature ${DISTRICT_CODE}`);
  const outline = countyKm(own);
  const neighbours = counties.filter((c) => c !== own).map((c) => ({ code: c.code, name: c.name, km: countyKm(c) }));
  const land = unionAll([outline, ...neighbours.map((n) => n.km)]);
  // The district's riverside edge: the longest run of its outline shared with no other county
  // (the city's boundary there is the Yangtze, across which lies 池州).
  const others = neighbours.map((n) => n.km);
  const bank = longestRun(outline[0][0], (p) => others.every((m) => distToBoundary(p, m) > 0.25));
  // The city's riverside edge, for drawing the river past the neighbours too: the stretch of the
  // city outline between 望江县 and the east of 迎江区.
  const cityRing = land.reduce((a, b) => (Math.abs(ringAreaOf(b[0])) > Math.abs(ringAreaOf(a[0])) ? b : a))[0];
  const [w, s] = toKm(116.84, 30.28);
  const [e, n] = toKm(117.23, 30.52);
  const cityBank = longestRun(cityRing, ([x, y]) => x >= w && x <= e && y >= s && y <= n);
  cached = { outline, neighbours, bank, cityBank, land };
  return cached;
}

function ringAreaOf(r: Ring): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2;
}

function distToSegment(p: Pair, a: Pair, b: Pair): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
function distToBoundary(p: Pair, m: MPoly): number {
  let d = Infinity;
  for (const poly of m) for (const r of poly) for (let i = 0, j = r.length - 1; i < r.length; j = i++) d = Math.min(d, distToSegment(p, r[j], r[i]));
  return d;
}
/** Longest cyclic run of consecutive ring vertices passing the test, in ring order. */
function longestRun(ring: Ring, test: (p: Pair) => boolean): Ring {
  const ok = ring.map(test);
  const n = ring.length;
  const start = ok.indexOf(false);
  if (start < 0) return ring.slice();
  let best: Ring = [];
  let cur: Ring = [];
  for (let k = 1; k <= n; k++) {
    const i = (start + k) % n;
    if (ok[i]) cur.push(ring[i]);
    else {
      if (cur.length > best.length) best = cur;
      cur = [];
    }
  }
  return best;
}

/** 大观区 as in the source (km plane, outer ring CCW). */
export function districtOutline(): MPoly {
  return geo().outline;
}
/** The other counties of 安庆市 (迎江区, 宜秀区, 怀宁县, …), for the dimmed surroundings. */
export function neighbourCounties(): Array<{ code: string; name: string; km: MPoly }> {
  return geo().neighbours;
}

/** The district's Yangtze bank, upstream (the south tip by 皖河) to downstream (迎江区); land on the left. */
export function bankLine(step = 0.05): Ring {
  return resample(geo().bank, step);
}
function resample(line: Ring, step: number): Ring {
  const out: Ring = [line[0]];
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step));
    for (let k = 1; k <= n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

/** Point of the bank `d` km from its upstream end, and the unit normal pointing inland. */
export function alongBank(d: number): { p: Pair; inland: Pair } {
  const line = geo().bank;
  let acc = 0;
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (acc + len >= d || i === line.length - 1) {
      const t = len ? Math.max(0, Math.min(1, (d - acc) / len)) : 0;
      return { p: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], inland: [-(b[1] - a[1]) / len, (b[0] - a[0]) / len] };
    }
    acc += len;
  }
  throw new Error('empty river bank');
}
export function bankLength(): number {
  const line = geo().bank;
  let acc = 0;
  for (let i = 1; i < line.length; i++) acc += Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  return acc;
}

/** Distance (km) from the district's river bank: how riverside a point is. */
export function bankDist(p: Pair): number {
  const line = geo().bank;
  let d = Infinity;
  for (let i = 1; i < line.length; i++) d = Math.min(d, distToSegment(p, line[i - 1], line[i]));
  return d;
}
/** The point on the river just off the bank nearest to p (what a riverside lookout watches). */
export function riverPointNear(p: Pair, offKm: number): Pair {
  const line = geo().bank;
  let best = { d: Infinity, q: line[0], out: [0, 0] as Pair };
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (!len) continue;
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / (len * len)));
    const q: Pair = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    const d = Math.hypot(p[0] - q[0], p[1] - q[1]);
    if (d < best.d) best = { d, q, out: [(b[1] - a[1]) / len, -(b[0] - a[0]) / len] };
  }
  return [best.q[0] + best.out[0] * offKm, best.q[1] + best.out[1] * offKm];
}

/** A point inside m, at least `margin` km from its edge, as near `to` as possible (within 25 km);
 *  where its name goes so that it shows beside the district. */
export function labelPoint(m: MPoly, to: Pair, margin = 2.5): Pair {
  const candidates: Pair[] = [];
  for (let i = -50; i <= 50; i++) for (let j = -50; j <= 50; j++) candidates.push([to[0] + i * 0.5, to[1] + j * 0.5]);
  candidates.sort((a, b) => Math.hypot(a[0] - to[0], a[1] - to[1]) - Math.hypot(b[0] - to[0], b[1] - to[1]) || a[0] - b[0] || a[1] - b[1]);
  const [w, s, e, n] = mpBBox(m);
  for (const p of candidates) if (p[0] > w && p[0] < e && p[1] > s && p[1] < n && inMp(m, p[0], p[1]) && distToBoundary(p, m) >= margin) return p;
  return mpCentroid(m);
}

/** The urban core (7 streets) at the district's northeast end, by 迎江区. GCJ-02, hand-placed. */
export const URBAN_CORE: Ring = ([
  [116.981, 30.47], [117.075, 30.47], [117.075, 30.6], [117.03, 30.6], [117.022, 30.562], [117.008, 30.557], [116.996, 30.552],
  [116.99, 30.541], [116.981, 30.536], [116.985, 30.522], [116.975, 30.51], [116.982, 30.495],
] as LonLat[]).map(gcjKm);

/** Seats (town halls) of the townships; seeds of the partition. GCJ-02, approximate. */
export const TOWNSHIP_SEATS: Record<string, Pair> = Object.fromEntries(
  Object.entries({
    '340803001': [117.044, 30.514], // 德宽路: old centre by the river
    '340803002': [117.028, 30.507], // 玉琳路: riverside, west of 德宽路
    '340803003': [117.05, 30.532], // 龙山路: east, by 迎江区
    '340803004': [117.036, 30.527], // 菱湖: around 菱湖
    '340803005': [117.033, 30.55], // 集贤路: north of the core
    '340803006': [116.995, 30.508], // 石化路: west, by the refinery
    '340803007': [117.013, 30.528], // 花亭路
    '340803100': [116.915, 30.45], // 海口镇: southwest along the river
    '340803200': [117.005, 30.572], // 十里铺乡: north
    '340803201': [116.93, 30.548], // 山口乡: northwest
  } as Record<string, LonLat>).map(([k, p]) => [k, gcjKm(p)]),
);

export function ellipse(cx: number, cy: number, rx: number, ry: number, rotDeg: number, n: number, wobble: number, rng: Rng): Ring {
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

/** The Yangtze: a 1.6 km band off the city's riverside edge (never over land); the lakes (shapes
 *  synthetic, positions approximate) inside the district. */
export function waterBodies(seed: number): Array<{ name: string; kind: WaterProps['kind']; poly: MPoly }> {
  const rng = stream(seed, 'water');
  const { cityBank, land, outline } = geo();
  const WIDTH = 1.6;
  const pieces: MPoly[] = [];
  let prevOut: Pair | null = null;
  for (let i = 1; i < cityBank.length; i++) {
    const [a, b] = [cityBank[i - 1], cityBank[i]];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (!len) continue;
    const out: Pair = [((b[1] - a[1]) / len) * WIDTH, (-(b[0] - a[0]) / len) * WIDTH];
    pieces.push([[openRing([a, b, [b[0] + out[0], b[1] + out[1]], [a[0] + out[0], a[1] + out[1]]], true)]]);
    // fill the wedge between consecutive segments' offsets at a convex bend
    if (prevOut) pieces.push([[openRing([a, [a[0] + prevOut[0], a[1] + prevOut[1]], [a[0] + out[0], a[1] + out[1]]], true)]]);
    prevOut = out;
  }
  const river = diff(unionAll(pieces.filter((p) => Math.abs(ringAreaOf(p[0][0])) > 1e-9)), land);
  const lake = (c: LonLat, rx: number, ry: number, rot: number, n: number, wobble: number): MPoly => {
    const [x, y] = gcjKm(c);
    return inter([[openRing(ellipse(x, y, rx, ry, rot, n, wobble, rng), true)]], outline);
  };
  return [
    { name: '长江', kind: 'river', poly: river },
    { name: '菱湖', kind: 'lake', poly: lake([117.04, 30.532], 0.55, 0.3, 20, 28, 0.08) },
    { name: '石塘湖', kind: 'lake', poly: lake([116.915, 30.535], 1.4, 0.6, -30, 36, 0.12) },
  ];
}
