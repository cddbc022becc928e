// Planar geometry helpers on lon/lat coordinates, shared by server, client, simulator and the data
// generator. Pure: no I/O, no Node or DOM imports. At district scale (20 km) treating lon/lat as a
// plane is exact enough for point-in-polygon tests; distances use the haversine formula.

import type { BBox, LonLat } from './dataset.ts';

export type Position = [number, number] | number[];
export type Ring = Position[];
/** A polygon: outer ring first, then holes. Rings may be closed (first = last) or not. */
export type PolygonCoords = Ring[];

export type PolygonGeometry =
  | { type: 'Polygon'; coordinates: PolygonCoords }
  | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };

export interface PolygonFeature<P = unknown> {
  type?: 'Feature';
  properties?: P;
  geometry: PolygonGeometry;
}

/** Even-odd ray casting test of a point against one ring. */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when (lon, lat) is inside the polygon's outer ring and outside all its holes. */
export function pointInPolygon(lon: number, lat: number, polygon: PolygonCoords): boolean {
  if (polygon.length === 0 || !pointInRing(lon, lat, polygon[0])) return false;
  for (let h = 1; h < polygon.length; h++) if (pointInRing(lon, lat, polygon[h])) return false;
  return true;
}

/** Point-in-polygon for a GeoJSON Polygon or MultiPolygon geometry. */
export function pointInGeometry(lon: number, lat: number, geometry: PolygonGeometry): boolean {
  if (geometry.type === 'Polygon') return pointInPolygon(lon, lat, geometry.coordinates);
  for (const p of geometry.coordinates) if (pointInPolygon(lon, lat, p)) return true;
  return false;
}

/** The polygons of a geometry as a list (a Polygon is a list of one). */
export function polygonsOf(geometry: PolygonGeometry): PolygonCoords[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Bounding box [west, south, east, north] of a geometry's outer rings. */
export function geometryBBox(geometry: PolygonGeometry): BBox {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const poly of polygonsOf(geometry)) {
    for (const [x, y] of poly[0] ?? []) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  }
  return [w, s, e, n];
}

/** Signed area of a ring in squared coordinate units (positive = counter-clockwise). */
export function ringSignedArea(ring: Ring): number {
  let a = 0;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return a / 2;
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in meters. */
export function distanceM(a: LonLat, b: LonLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Resolves a point to the index of the polygon feature containing it (for the district: the grid
 * index, i.e. the feature order of grids.geojson). Uses a uniform bucket grid over the features'
 * bounding boxes, so a lookup tests only the few polygons whose box covers the point's bucket.
 */
export class GridLocator {
  readonly bbox: BBox;
  private readonly geoms: PolygonGeometry[];
  private readonly boxes: Float64Array;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly bucketStart: Uint32Array;
  private readonly bucketItems: Uint32Array;

  constructor(features: ReadonlyArray<PolygonFeature> | { features: ReadonlyArray<PolygonFeature> }) {
    const list = 'features' in features ? features.features : features;
    this.geoms = list.map((f) => f.geometry);
    const n = this.geoms.length;
    this.boxes = new Float64Array(n * 4);
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let nn = -Infinity;
    for (let i = 0; i < n; i++) {
      const b = geometryBBox(this.geoms[i]);
      this.boxes.set(b, i * 4);
      if (b[0] < w) w = b[0];
      if (b[1] < s) s = b[1];
      if (b[2] > e) e = b[2];
      if (b[3] > nn) nn = b[3];
    }
    if (n === 0) {
      w = s = e = nn = 0;
    }
    this.bbox = [w, s, e, nn];
    // About 4 buckets per feature, shaped like the overall box.
    const width = Math.max(e - w, 1e-9);
    const height = Math.max(nn - s, 1e-9);
    const target = Math.max(1, n * 4);
    this.cols = Math.max(1, Math.round(Math.sqrt((target * width) / height)));
    this.rows = Math.max(1, Math.round(target / this.cols));
    this.cellW = width / this.cols;
    this.cellH = height / this.rows;
    const buckets = this.cols * this.rows;
    const counts = new Uint32Array(buckets + 1);
    const forEachBucket = (i: number, fn: (b: number) => void) => {
      const c0 = this.col(this.boxes[i * 4]);
      const r0 = this.row(this.boxes[i * 4 + 1]);
      const c1 = this.col(this.boxes[i * 4 + 2]);
      const r1 = this.row(this.boxes[i * 4 + 3]);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) fn(r * this.cols + c);
    };
    for (let i = 0; i < n; i++) forEachBucket(i, (b) => counts[b + 1]++);
    for (let b = 0; b < buckets; b++) counts[b + 1] += counts[b];
    this.bucketStart = counts.slice();
    this.bucketItems = new Uint32Array(counts[buckets]);
    const fill = counts.slice();
    for (let i = 0; i < n; i++) forEachBucket(i, (b) => (this.bucketItems[fill[b]++] = i));
  }

  get size(): number {
    return this.geoms.length;
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.bbox[0]) / this.cellW)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.bbox[1]) / this.cellH)));
  }

  /** Index of the first feature containing (lon, lat), or -1. */
  locate(lon: number, lat: number): number {
    const [w, s, e, n] = this.bbox;
    if (!(lon >= w && lon <= e && lat >= s && lat <= n)) return -1;
    const b = this.row(lat) * this.cols + this.col(lon);
    const boxes = this.boxes;
    for (let k = this.bucketStart[b], end = this.bucketStart[b + 1]; k < end; k++) {
      const i = this.bucketItems[k];
      const o = i * 4;
      if (lon < boxes[o] || lon > boxes[o + 2] || lat < boxes[o + 1] || lat > boxes[o + 3]) continue;
      if (pointInGeometry(lon, lat, this.geoms[i])) return i;
    }
    return -1;
  }
}
