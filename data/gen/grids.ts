// Grids: each community split into its share of the 351 grids, with households and residents,
// plus the lookups (locator, boxes, point sampling) that device and component placement share.

import type { BBox, GridProps, GridWorker, LonLat } from '../../core/dataset.ts';
import { GridLocator, pointInPolygon, type PolygonCoords, type PolygonGeometry } from '../../core/geo.ts';
import type { Units } from './boundaries.ts';
import { diff, lonLatBBox, mpArea, mpCentroid, r6, toGeometry } from './geometry.ts';
import { partition } from './partition.ts';
import { stream, type Rng } from '../../core/random.ts';
import { allocate } from './allocate.ts';
import { TARGETS, type AdminUnits, type FeatureCollection, type MPoly } from './types.ts';

export interface GridRec {
  km: MPoly;
  geometry: PolygonGeometry;
  communityIdx: number;
  households: number;
}

/** Grids in output order (community by community, serial order within each) and their lookups. */
export interface GridLayout {
  gridRecs: GridRec[];
  /** Grid indices of each community, in serial order. */
  commGridIdx: number[][];
  gridResidents: number[];
  locator: GridLocator;
  gridBoxes: BBox[];
  gridPolys: PolygonCoords[][];
  gridTownship: string[];
  gridUrban: boolean[];
  /** A random rounded lon/lat point inside grid gi (checked against the rounded polygon). */
  pointInGrid: (gi: number, rng: Rng) => LonLat;
  inGrid: (gi: number, lon: number, lat: number) => boolean;
}

export function layOutGrids(seed: number, admin: AdminUnits, units: Units, lakes: MPoly[], isUrban: (townshipCode: string) => boolean): GridLayout {
  // --- households and grid counts per community
  const hrng = stream(seed, 'households');
  const hWeights = admin.communities.map((c) =>
    isUrban(c.townshipCode) ? hrng.range(2600, 4000) : c.kind === 'community' ? hrng.range(1500, 2300) : hrng.range(700, 1300),
  );
  const commHouseholds = allocate(TARGETS.households, hWeights);
  const commGrids = allocate(TARGETS.grids, commHouseholds, 1);

  // --- grid polygons
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
  return { gridRecs, commGridIdx, gridResidents, locator, gridBoxes, gridPolys, gridTownship, gridUrban, pointInGrid, inGrid };
}

/** grids.geojson: one feature per grid, with its code, counts and grid worker. */
export function gridFeatures(admin: AdminUnits, { gridRecs, commGridIdx, gridResidents }: GridLayout, workers: GridWorker[]): FeatureCollection<GridProps> {
  return {
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
}
