// Geometry in the local km plane (areas, centroids, point sampling, boolean operations) and the
// projection to the rounded lon/lat GeoJSON that is written out. Work is done in km so distances
// and areas are isotropic; rounding to 6 decimals happens only at the lon/lat boundary.

import polygonClipping from 'polygon-clipping';
import type { BBox, LonLat } from '../../core/dataset.ts';
import { pointInPolygon, type PolygonGeometry } from '../../core/geo.ts';
import type { Rng } from '../../core/random.ts';
import { KM_PER_DEG_LAT, KM_PER_DEG_LON, ORIGIN, type MPoly, type Pair, type Poly, type Ring } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Projection between the local km plane and lon/lat

export const r6 = (v: number) => Math.round(v * 1e6) / 1e6 + 0; // +0 turns -0 into 0
export const toLonLat = (x: number, y: number): LonLat => [r6(ORIGIN[0] + x / KM_PER_DEG_LON), r6(ORIGIN[1] + y / KM_PER_DEG_LAT)];
export const toKm = (lon: number, lat: number): Pair => [(lon - ORIGIN[0]) * KM_PER_DEG_LON, (lat - ORIGIN[1]) * KM_PER_DEG_LAT];
export const kmToLL = (p: Pair) => toLonLat(p[0], p[1]);

// ---------------------------------------------------------------------------------------------
// Planar polygon helpers (km plane)

export function ringArea(r: Ring): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2;
}
export function polyArea(p: Poly): number {
  let a = Math.abs(ringArea(p[0]));
  for (let h = 1; h < p.length; h++) a -= Math.abs(ringArea(p[h]));
  return a;
}
export function mpArea(m: MPoly): number {
  return m.reduce((s, p) => s + polyArea(p), 0);
}
export function ringCentroid(r: Ring): { a: number; x: number; y: number } {
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
export function mpCentroid(m: MPoly): Pair {
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
export function mpBBox(m: MPoly): BBox {
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
export function inMp(m: MPoly, x: number, y: number): boolean {
  for (const p of m) if (pointInPolygon(x, y, p)) return true;
  return false;
}
export function randomPointIn(m: MPoly, rng: Rng, bbox: BBox = mpBBox(m)): Pair {
  for (let i = 0; i < 10_000; i++) {
    const x = rng.range(bbox[0], bbox[2]);
    const y = rng.range(bbox[1], bbox[3]);
    if (inMp(m, x, y)) return [x, y];
  }
  throw new Error('randomPointIn: polygon too thin or empty');
}
/** Drop slivers below minArea km². */
export function clean(m: MPoly, minArea = 1e-4): MPoly {
  return m.filter((p) => polyArea(p) >= minArea);
}
export const inter = (a: MPoly, ...b: MPoly[]): MPoly => clean(polygonClipping.intersection(a, ...b) as MPoly);
export const diff = (a: MPoly, ...b: MPoly[]): MPoly => (b.length ? clean(polygonClipping.difference(a, ...b) as MPoly) : a);
export const unionAll = (ms: MPoly[]): MPoly => (ms.length === 0 ? [] : ms.length === 1 ? ms[0] : clean(polygonClipping.union(ms[0], ...ms.slice(1)) as MPoly));

/** Sutherland–Hodgman: clip one ring by a convex polygon (CCW). Area/centroid stay exact. */
export function clipRingConvex(ring: Ring, clip: Ring): Ring {
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
export const lerpAt = (p: Pair, q: Pair, t: number): Pair => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];

/** Open ring (last != first) with the given orientation. */
export function openRing(r: Ring, ccw: boolean): Ring {
  const out = r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r.slice(0, -1) : r.slice();
  if (ringArea(out) > 0 !== ccw) out.reverse();
  return out;
}

/** Normalize a multipolygon's orientation (outer CCW, holes CW) and open its rings. */
export function normalize(m: MPoly): MPoly {
  return m.map((p) => p.map((r, k) => openRing(r, k === 0)));
}

export const dist2 = (a: Pair, b: Pair) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

/** p if inside m, else the nearest of a few hundred random points of m. */
export function nearestInside(m: MPoly, p: Pair, rng: Rng): Pair {
  if (inMp(m, p[0], p[1])) return p;
  let best: Pair = randomPointIn(m, rng);
  for (let i = 0; i < 300; i++) {
    const q = randomPointIn(m, rng);
    if (dist2(q, p) < dist2(best, p)) best = q;
  }
  return best;
}

/** Compass bearing (0 = north, clockwise), whole degrees, from a to b in the km plane. */
export function bearing(a: Pair, b: Pair): number {
  const d = (Math.atan2(b[0] - a[0], b[1] - a[1]) * 180) / Math.PI;
  return Math.round((d + 360) % 360) % 360;
}

// ---------------------------------------------------------------------------------------------
// Output geometry (lon/lat, rounded, outer rings CCW, holes CW, rings closed)

export function toGeometry(m: MPoly): PolygonGeometry {
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

export function lonLatBBox(geoms: PolygonGeometry[]): BBox {
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
