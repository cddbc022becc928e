// Small geo helpers for the models (WGS84 lon/lat, metres on a local flat approximation).
import type { Rng } from '../core/random.ts';
import { distanceM, pointInPolygon } from '../core/geo.ts';

export { distanceM };

export type Pt = [number, number];
/** A polygon as rings of [lon, lat] (first ring outer, the rest holes). */
export type Rings = Pt[][];

const M_PER_DEG_LAT = 111_320;
const mPerDegLon = (lat: number) => M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

/** Compass bearing from a to b in degrees [0, 360). */
export function bearingDeg(a: Pt, b: Pt): number {
  const dx = (b[0] - a[0]) * mPerDegLon((a[1] + b[1]) / 2);
  const dy = (b[1] - a[1]) * M_PER_DEG_LAT;
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return (deg + 360) % 360;
}

/** Moves from a toward b by at most `m` metres; returns the new point and whether b was reached. */
export function moveToward(a: Pt, b: Pt, m: number): { at: Pt; arrived: boolean } {
  const d = distanceM(a, b);
  if (d <= m || d === 0) return { at: [b[0], b[1]], arrived: true };
  const f = m / d;
  return { at: [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f], arrived: false };
}

export function inPolygon(p: Pt, rings: Rings): boolean {
  return pointInPolygon(p[0], p[1], rings);
}

export interface Area {
  polygons: Rings[];
  bbox: [number, number, number, number];
  center: Pt;
}

export function areaOf(polygons: Rings[]): Area {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const poly of polygons)
    for (const [x, y] of poly[0] ?? []) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  const center: Pt = [(w + e) / 2, (s + n) / 2];
  return { polygons, bbox: [w, s, e, n], center };
}

export function inArea(p: Pt, area: Area): boolean {
  const [w, s, e, n] = area.bbox;
  if (p[0] < w || p[0] > e || p[1] < s || p[1] > n) return false;
  return area.polygons.some((poly) => inPolygon(p, poly));
}

/** A uniformly random point inside the area (rejection sampling in the bbox; falls back to the centre). */
export function randomPointIn(area: Area, rng: Rng): Pt {
  const [w, s, e, n] = area.bbox;
  for (let i = 0; i < 50; i++) {
    const p: Pt = [rng.range(w, e), rng.range(s, n)];
    if (inArea(p, area)) return p;
  }
  return [area.center[0], area.center[1]];
}

/** A point within `radiusM` of p (uniform over the disc). */
export function jitter(p: Pt, radiusM: number, rng: Rng): Pt {
  const r = radiusM * Math.sqrt(rng.next());
  const t = rng.next() * 2 * Math.PI;
  return [p[0] + (r * Math.sin(t)) / mPerDegLon(p[1]), p[1] + (r * Math.cos(t)) / M_PER_DEG_LAT];
}

export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
