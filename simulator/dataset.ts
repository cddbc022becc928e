// The simulator's view of the district dataset. Reads the files named in core/dataset.ts directly
// (DATASET_FILES); when data/load.ts exists it can replace readDatasetFiles without touching the models.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASET_FILES, type ComponentsFile, type DatasetManifest, type DevicesFile, type GridProps } from '../core/dataset.ts';
import { areaOf, type Area, type Rings } from './geo.ts';

interface GeoFeature<P> {
  type: 'Feature';
  properties: P;
  geometry: { type: 'Polygon'; coordinates: Rings } | { type: 'MultiPolygon'; coordinates: Rings[] };
}
export interface GridsFile {
  type: 'FeatureCollection';
  features: GeoFeature<GridProps>[];
}

/** Everything the models need, already loaded. Tests build small ones by hand. */
export interface SimDataset {
  manifest: Pick<DatasetManifest, 'district' | 'townships' | 'communities'>;
  devices: DevicesFile;
  components: Pick<ComponentsFile, 'count' | 'code' | 'classCode' | 'lon' | 'lat' | 'gridIndex' | 'sensorized'>;
  grids: { props: GridProps; area: Area }[];
}

export function gridsFromGeoJson(file: GridsFile): SimDataset['grids'] {
  return file.features.map((f) => {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return { props: f.properties, area: areaOf(polys) };
  });
}

async function readJson<T>(dir: string, name: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, name), 'utf8')) as T;
}

export async function loadSimDataset(dir: string): Promise<SimDataset> {
  const [manifest, devices, components, grids] = await Promise.all([
    readJson<DatasetManifest>(dir, DATASET_FILES.manifest),
    readJson<DevicesFile>(dir, DATASET_FILES.devices),
    readJson<ComponentsFile>(dir, DATASET_FILES.components),
    readJson<GridsFile>(dir, DATASET_FILES.grids),
  ]);
  return { manifest, devices, components, grids: gridsFromGeoJson(grids) };
}
