// Node loader of the district dataset (the files named in core/dataset.ts DATASET_FILES), used by
// the server, the simulator and scripts/start.ts. ensureDataset() generates the dataset when the
// directory has none yet, so `npm start` works on a fresh clone.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DATASET_FILES,
  DATASET_VERSION,
  type BoundaryProps,
  type ComponentsFile,
  type DatasetManifest,
  type DevicesFile,
  type GridProps,
  type SurroundingProps,
  type WaterProps,
} from '../core/dataset.ts';
import type { PolygonGeometry } from '../core/geo.ts';
import { Compile } from 'typebox/compile';
import { EmergencyResourceSchema, kindOfId, type EmergencyResource } from '../core/resources.ts';

const resourceChecker = Compile(EmergencyResourceSchema);
import { DEFAULT_BOUNDARY_SOURCE } from './gen/types.ts';

export interface DatasetFeature<P> {
  type: 'Feature';
  properties: P;
  geometry: PolygonGeometry;
}
export interface DatasetFeatureCollection<P> {
  type: 'FeatureCollection';
  features: DatasetFeature<P>[];
}

/** The files of a dataset, parsed. */
export interface Dataset {
  dir: string;
  manifest: DatasetManifest;
  boundaries: DatasetFeatureCollection<BoundaryProps>;
  grids: DatasetFeatureCollection<GridProps>;
  water: DatasetFeatureCollection<WaterProps>;
  surroundings: DatasetFeatureCollection<SurroundingProps>;
  devices: DevicesFile;
  components: ComponentsFile;
  resources: EmergencyResource[];
}

export class DatasetError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`dataset file ${file}: ${problem}`);
    this.name = 'DatasetError';
  }
}

async function readJson<T>(dir: string, name: string): Promise<T> {
  const file = join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(file, code === 'ENOENT' ? 'missing (run `npm run data` to generate the dataset)' : (e as Error).message);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DatasetError(file, `not valid JSON: ${(e as Error).message}`);
  }
}

function check(cond: unknown, file: string, problem: string): asserts cond {
  if (!cond) throw new DatasetError(file, problem);
}

function checkCount(file: string, what: string, expected: number, actual: number): void {
  check(expected === actual, file, `${what}: manifest.counts says ${expected}, the file has ${actual}`);
}

/** A number a screen can dial: digits with an optional leading + and separators (0556-5501001, 13812345678). */
const PHONE = /^\+?[0-9][0-9 -]{2,19}$/;

/** Reads and checks a dataset directory. Throws DatasetError naming the file and the problem. */
export async function loadDataset(dir: string): Promise<Dataset> {
  // The manifest first: with the whole directory missing, the error names it every time rather than
  // whichever file's read failed first.
  const manifest = await readJson<DatasetManifest>(dir, DATASET_FILES.manifest);
  const [boundaries, grids, water, devices, components, resources, surroundings] = await Promise.all([
    readJson<DatasetFeatureCollection<BoundaryProps>>(dir, DATASET_FILES.boundaries),
    readJson<DatasetFeatureCollection<GridProps>>(dir, DATASET_FILES.grids),
    readJson<DatasetFeatureCollection<WaterProps>>(dir, DATASET_FILES.water),
    readJson<DevicesFile>(dir, DATASET_FILES.devices),
    readJson<ComponentsFile>(dir, DATASET_FILES.components),
    readJson<EmergencyResource[]>(dir, DATASET_FILES.resources),
    readJson<DatasetFeatureCollection<SurroundingProps>>(dir, DATASET_FILES.surroundings),
  ]);
  const f = (k: keyof typeof DATASET_FILES) => join(dir, DATASET_FILES[k]);

  check(manifest && typeof manifest === 'object', f('manifest'), 'not an object');
  check(manifest.version === DATASET_VERSION, f('manifest'), `version ${manifest.version} but this program reads version ${DATASET_VERSION} (regenerate with \`npm run data\`)`);
  check(manifest.counts && typeof manifest.counts === 'object', f('manifest'), 'counts missing');
  check(Array.isArray(manifest.townships) && Array.isArray(manifest.communities) && Array.isArray(manifest.centers), f('manifest'), 'townships/communities/centers must be arrays');

  for (const [k, fc] of [['boundaries', boundaries], ['grids', grids], ['water', water], ['surroundings', surroundings]] as const) {
    check(fc?.type === 'FeatureCollection' && Array.isArray(fc.features), f(k), 'not a GeoJSON FeatureCollection');
  }
  checkCount(f('grids'), 'grids', manifest.counts.grids, grids.features.length);
  grids.features.forEach((g, i) => check(g.properties?.index === i, f('grids'), `feature ${i} has properties.index ${g.properties?.index} (must equal its position)`));
  const households = grids.features.reduce((s, g) => s + g.properties.households, 0);
  const residents = grids.features.reduce((s, g) => s + g.properties.residents, 0);
  checkCount(f('grids'), 'households', manifest.counts.households, households);
  checkCount(f('grids'), 'residents', manifest.counts.residents, residents);

  for (const kind of ['camera', 'lookout', 'drone', 'broadcast', 'worker'] as const) {
    check(Array.isArray(devices?.[kind]), f('devices'), `layer '${kind}' missing`);
    checkCount(f('devices'), kind, manifest.counts[kind], devices[kind].length);
    const n = grids.features.length;
    for (const d of devices[kind]) check(Number.isInteger(d.gridIndex) && d.gridIndex >= -1 && d.gridIndex < n, f('devices'), `${d.id}: gridIndex ${d.gridIndex} out of range`);
  }
  for (const w of devices.worker) check(typeof w.phone === 'string' && PHONE.test(w.phone), f('devices'), `${w.id}: phone ${JSON.stringify(w.phone)} is not a phone number`);

  check(components && Number.isInteger(components.count), f('components'), 'count missing');
  checkCount(f('components'), 'component', manifest.counts.component, components.count);
  for (const col of ['code', 'classCode', 'lon', 'lat', 'gridIndex'] as const) {
    check(Array.isArray(components[col]) && components[col].length === components.count, f('components'), `column '${col}' must have ${components.count} rows, has ${components[col]?.length}`);
  }
  check(Array.isArray(components.sensorized), f('components'), "column 'sensorized' missing");

  check(Array.isArray(resources), f('resources'), 'not an array');
  checkCount(f('resources'), 'resource', manifest.counts.resource, resources.length);
  const ids = new Set<string>();
  resources.forEach((r, i) => {
    const problem = resourceChecker.Check(r) ? null : [...resourceChecker.Errors(r)].map((e) => `${(e as { instancePath: string }).instancePath || '/'} ${e.message}`)[0];
    check(problem === null, f('resources'), `entry ${i}: ${problem}`);
    check(kindOfId(r.id) === r.kind, f('resources'), `${r.id}: the id's prefix does not say ${r.kind}`);
    check(!ids.has(r.id), f('resources'), `${r.id} appears twice`);
    ids.add(r.id);
  });

  return { dir, manifest, boundaries, grids, water, devices, components, resources, surroundings };
}

/**
 * Makes sure dir holds a dataset: generates one (default seed, the generator's own boundaries) when
 * manifest.json is missing, or when it holds an older version of the generator's own output
 * (its own boundaries: the same seed makes it again, now in the current version). Never
 * overwrites a dataset made from a center's own boundaries.
 */
export async function ensureDataset(dir: string, log: (msg: string) => void = (m) => console.log(m)): Promise<void> {
  const manifestPath = join(dir, DATASET_FILES.manifest);
  let seed: number | undefined;
  if (existsSync(manifestPath)) {
    const old = JSON.parse(await readFile(manifestPath, 'utf8')) as Partial<DatasetManifest>;
    // 'synthetic' was the generator's own geometry before version 4
    const generated = old.boundarySource === 'synthetic' || old.boundarySource === DEFAULT_BOUNDARY_SOURCE;
    if (old.version === DATASET_VERSION || !generated) return;
    seed = old.seed;
    log(`dataset in ${dir} is version ${old.version}; generating version ${DATASET_VERSION} (seed ${seed})`);
  }
  const { generateDataset, writeDataset } = await import('./generate.ts');
  const t0 = performance.now();
  const ds = generateDataset(seed === undefined ? {} : { seed });
  writeDataset(dir, ds);
  log(`dataset generated into ${dir} in ${Math.round(performance.now() - t0)} ms`);
}
