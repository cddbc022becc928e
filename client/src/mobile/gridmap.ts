// A tiny map of one community's grids for the phone: grid polygons projected to an SVG box
// (equirectangular, x scaled by cos(lat) so shapes are not stretched). Pure.
import type { FeatureCollection } from 'geojson';

export interface GridShape {
  index: number; // feature index = grid index
  name: string;
  d: string; // SVG path
  centre: [number, number]; // lon, lat
  label: [number, number]; // SVG x, y
}

export interface GridMap {
  width: number;
  height: number;
  shapes: GridShape[];
  /** SVG x, y of a lon/lat. */
  project(lon: number, lat: number): [number, number];
}

function outerRings(g: unknown): number[][][] {
  const geom = g as { type?: string; coordinates?: unknown } | null;
  if (geom?.type === 'Polygon') return [(geom.coordinates as number[][][])[0]];
  if (geom?.type === 'MultiPolygon') return (geom.coordinates as number[][][][]).map((p) => p[0]);
  return [];
}

/** Grids of `communityCode` fitted into a box `width` wide (height follows the shape). */
export function gridMap(grids: FeatureCollection, communityCode: string, width = 340): GridMap | null {
  const picked = grids.features
    .map((f, index) => ({ f, index }))
    .filter(({ f }) => (f.properties as { communityCode?: string } | null)?.communityCode === communityCode);
  if (picked.length === 0) return null;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { f } of picked) for (const ring of outerRings(f.geometry)) for (const [x, y] of ring) [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  const kx = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const spanX = Math.max(1e-9, (e - w) * kx);
  const spanY = Math.max(1e-9, n - s);
  const pad = 6;
  const scale = (width - 2 * pad) / spanX;
  const height = Math.round(spanY * scale + 2 * pad);
  const project = (lon: number, lat: number): [number, number] => [pad + (lon - w) * kx * scale, pad + (n - lat) * scale];
  const shapes = picked.map(({ f, index }) => {
    const rings = outerRings(f.geometry);
    const d = rings.map((r) => r.map(([x, y], i) => `${i ? 'L' : 'M'}${project(x, y).map((v) => v.toFixed(1)).join(',')}`).join('') + 'Z').join('');
    const pts = rings[0] ?? [];
    const centre: [number, number] = pts.length ? [pts.reduce((a, p) => a + p[0], 0) / pts.length, pts.reduce((a, p) => a + p[1], 0) / pts.length] : [w, s];
    return { index, name: (f.properties as { name?: string } | null)?.name ?? String(index), d, centre, label: project(centre[0], centre[1]) };
  });
  return { width, height, shapes, project };
}
