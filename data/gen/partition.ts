// Splitting a region into k parts of similar size (Voronoi + Lloyd relaxation), with an optional
// smooth warp so the shared edges look like drawn boundaries rather than straight survey lines.
// Used for synthetic townships, communities and grids.

import { Delaunay } from 'd3-delaunay';
import type { BBox } from '../../core/dataset.ts';
import { clipRingConvex, inMp, inter, mpBBox, normalize, openRing, randomPointIn, ringCentroid } from './geometry.ts';
import type { Rng } from '../../core/random.ts';
import type { MPoly, Pair, Ring } from './types.ts';

/** Centroid of (m ∩ convex cell), computed with Sutherland–Hodgman (fast, for Lloyd steps). */
export function clippedCentroid(m: MPoly, cell: Ring): { area: number; c: Pair } {
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

export function voronoiCells(seeds: Pair[], bbox: BBox): Ring[] {
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
export function warpCell(ring: Ring, amp: number, step = 0.15, scale = 1): Ring {
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

/**
 * Partition m into k parts: Voronoi cells of k seeds clipped to m, seeds moved by Lloyd
 * relaxation so the parts come out of similar size. Returns the parts in seed order.
 */
export function partition(m: MPoly, k: number, rng: Rng, iters: number, initial?: Pair[], warp = 0): MPoly[] {
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
