// Loads (and on first start generates) the district dataset and builds the server's model of it.
import { GridLocator } from '../core/geo.ts';
import type { GridProps } from '../core/dataset.ts';
import { ensureDataset, loadDataset } from '../data/load.ts';
import { buildDistrict, type District } from './district.ts';

export async function loadDistrict(datasetDir: string): Promise<District> {
  await ensureDataset(datasetDir);
  const ds = await loadDataset(datasetDir);
  const locator = new GridLocator(ds.grids);
  return buildDistrict({
    manifest: ds.manifest,
    devices: ds.devices,
    components: ds.components,
    gridProps: ds.grids.features.map((f) => f.properties as GridProps),
    locate: (lon, lat) => locator.locate(lon, lat),
    gridGeometries: ds.grids.features.map((f) => f.geometry),
    resources: ds.resources,
    boundaries: ds.boundaries.features,
  });
}
