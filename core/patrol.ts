// Patrol analytics of grid workers, pure: coverage of a grid by a shift's tracks (the grid cut into
// ~100 m cells; coverage = cells visited / cells of the grid) and the workers nearest a point.
import { distanceM, pointInGeometry, geometryBBox, type PolygonGeometry } from './geo.ts';
import type { LonLat } from './dataset.ts';

const M_PER_DEG_LAT = 111_320;

/** Cells of about `cellM` metres over a grid polygon: a cell counts when its centre is inside. */
export interface GridCells {
  west: number;
  south: number;
  dLon: number;
  dLat: number;
  cols: number;
  /** Cell numbers (row * cols + col) inside the polygon. */
  inside: Set<number>;
}

export function gridCells(geometry: PolygonGeometry, cellM = 100): GridCells {
  const [w, s, e, n] = geometryBBox(geometry);
  const dLat = cellM / M_PER_DEG_LAT;
  const dLon = cellM / (M_PER_DEG_LAT * Math.cos((((s + n) / 2) * Math.PI) / 180));
  const cols = Math.max(1, Math.ceil((e - w) / dLon));
  const rows = Math.max(1, Math.ceil((n - s) / dLat));
  const inside = new Set<number>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (pointInGeometry(w + (c + 0.5) * dLon, s + (r + 0.5) * dLat, geometry)) inside.add(r * cols + c);
    }
  }
  // A sliver grid narrower than one cell still has one cell: its box's centre one.
  if (inside.size === 0) inside.add(Math.floor(rows / 2) * cols + Math.floor(cols / 2));
  return { west: w, south: s, dLon, dLat, cols, inside };
}

/** Share (0..1) of the grid's cells that contain at least one track point. */
export function coverage(cells: GridCells, points: Iterable<LonLat>): number {
  const visited = new Set<number>();
  for (const [lon, lat] of points) {
    const c = Math.floor((lon - cells.west) / cells.dLon);
    const r = Math.floor((lat - cells.south) / cells.dLat);
    if (c < 0 || c >= cells.cols || r < 0) continue;
    const cell = r * cells.cols + c;
    if (cells.inside.has(cell)) visited.add(cell);
  }
  return cells.inside.size === 0 ? 0 : visited.size / cells.inside.size;
}

export interface NearWorker {
  index: number;
  distanceM: number;
  status: number;
}

/**
 * The n workers nearest a point, nearest first, from flat positions (lon, lat per worker) and status
 * bytes. Workers at (0, 0) have no position yet and are skipped; online ones are not preferred here
 * (the panel shows the state), so a dispatcher sees who is truly closest.
 */
export function nearestWorkers(point: LonLat, lonlat: ArrayLike<number>, statuses: ArrayLike<number>, n: number): NearWorker[] {
  const out: NearWorker[] = [];
  if (n <= 0) return out;
  const count = Math.min(statuses.length, Math.floor(lonlat.length / 2));
  for (let i = 0; i < count; i++) {
    const lon = lonlat[i * 2];
    const lat = lonlat[i * 2 + 1];
    // 0,0: never reported; NaN: a worker outside the screen's area (its position is not sent).
    if ((lon === 0 && lat === 0) || !Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    const d = distanceM(point, [lon, lat]);
    if (out.length === n && d >= out[n - 1].distanceM) continue;
    out.push({ index: i, distanceM: d, status: statuses[i] });
    out.sort((a, b) => a.distanceM - b.distanceM || a.index - b.index);
    if (out.length > n) out.pop();
  }
  return out;
}
