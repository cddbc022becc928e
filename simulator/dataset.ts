// The simulator's view of the district dataset, loaded with data/load.ts (which checks the files).
import { loadDataset } from '../data/load.ts';
import { type ComponentsFile, type DatasetManifest, type DevicesFile, type GridProps } from '../core/dataset.ts';
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

/** Reads and checks the dataset with the shared loader (data/load.ts), then prepares grid areas. */
export async function loadSimDataset(dir: string): Promise<SimDataset> {
  const ds = await loadDataset(dir);
  return { manifest: ds.manifest, devices: ds.devices, components: ds.components, grids: gridsFromGeoJson(ds.grids as GridsFile) };
}
