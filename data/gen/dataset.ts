// generateDataset: the pipeline, step by step. Each step draws from its own PRNG streams
// (core/random.ts), so the steps could run in any order; this one reads top-down like the files.

import { DATASET_VERSION, type DatasetManifest, type SurroundingProps, type WaterProps } from '../../core/dataset.ts';
import { loadAdminUnits } from './admin.ts';
import { boundaryFeatures, buildUnits } from './boundaries.ts';
import { placeCenters } from './centers.ts';
import { generateComponents } from './components.ts';
import { placeDevices } from './devices.ts';
import { kmToLL, lonLatBBox, mpCentroid, toGeometry } from './geometry.ts';
import { labelPoint, neighbourCounties, waterBodies } from './geography.ts';
import { gridFeatures, layOutGrids } from './grids.ts';
import { generateResources } from './resources.ts';
import { DEFAULT_SEED, DISTRICT_CODE, DISTRICT_NAME, type FeatureCollection, type GeneratedDataset, type GenerateOptions } from './types.ts';

export function generateDataset(options: GenerateOptions = {}): GeneratedDataset {
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const admin = options.admin ?? loadAdminUnits();
  const warnings: string[] = [];
  const units = buildUnits(admin, seed, options, warnings);
  const water = waterBodies(seed);
  const lakes = water.filter((w) => w.kind === 'lake').map((w) => w.poly);
  const townshipKind = new Map(admin.townships.map((t) => [t.code, t.kind]));
  const isUrban = (townshipCode: string) => townshipKind.get(townshipCode) === 'street';

  const grid = layOutGrids(seed, admin, units, lakes, isUrban);
  const { gridRecs, gridResidents, gridUrban, gridBoxes, gridPolys, locator, pointInGrid } = grid;
  const boundaries = boundaryFeatures(admin, units);
  const districtGeom = boundaries.features[0].geometry;
  const { townships, communities, centers, districtSeat } = placeCenters(seed, admin, units, grid);
  const devices = placeDevices({ seed, admin, units, grid, districtSeat });
  const grids = gridFeatures(admin, grid, devices.worker);
  const resources = generateResources(seed, admin, grid);

  // --- city components
  const comp = generateComponents(seed, gridRecs.map((g, gi) => ({ weight: g.households * (gridUrban[gi] ? 1 : 0.4) })), gridBoxes, gridPolys, locator, pointInGrid);

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
      camera: devices.camera.length,
      lookout: devices.lookout.length,
      drone: devices.drone.length,
      broadcast: devices.broadcast.length,
      component: comp.count,
      worker: devices.worker.length,
      resource: resources.length,
    },
    boundarySource: units.source,
  };
  const waterFc: FeatureCollection<WaterProps> = {
    type: 'FeatureCollection',
    features: water.map((w) => ({ type: 'Feature', properties: { name: w.name, kind: w.kind }, geometry: toGeometry(w.poly) })),
  };
  const surroundings: FeatureCollection<SurroundingProps> = {
    type: 'FeatureCollection',
    features: neighbourCounties().map((c) => ({ type: 'Feature', properties: { code: c.code, name: c.name, label: kmToLL(labelPoint(c.km, mpCentroid(units.district))) }, geometry: toGeometry(c.km) })),
  };
  return { manifest, boundaries, grids, water: waterFc, devices, components: comp, resources, surroundings, warnings };
}
