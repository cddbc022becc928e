// City components (100,000 points in columnar form): evenly along the embankment for flood
// facilities, in short straight runs along streets for lamps, trees and rails, scattered otherwise.

import type { BBox, ComponentsFile, LonLat } from '../../core/dataset.ts';
import { pointInPolygon, type GridLocator, type PolygonCoords } from '../../core/geo.ts';
import { COMPONENT_CLASSES, componentCode } from '../../core/taxonomy.ts';
import { lerpAt, r6, toLonLat } from './geometry.ts';
import { bankLine } from './geography.ts';
import { stream, type Rng } from '../../core/random.ts';
import { allocate } from './allocate.ts';
import { DISTRICT_CODE, KM_PER_DEG_LAT, KM_PER_DEG_LON, TARGETS } from './types.ts';

/** Classes placed in runs along a street: spacing between neighbours and run length. */
const LINED: Record<string, { spacingKm: number; run: [number, number] }> = {
  '0117': { spacingKm: 0.035, run: [6, 24] }, // street lamps
  '0402': { spacingKm: 0.012, run: [8, 30] }, // street trees
  '0210': { spacingKm: 0.02, run: [5, 20] }, // guard rails
};
/** Street direction: along the river (~20° north of east) or across it. */
const STREET_ANGLES = [20, 110].map((d) => (d * Math.PI) / 180);

export function generateComponents(
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
      const line = bankLine(0.05);
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
          const gi = rng.weighted(weights);
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
