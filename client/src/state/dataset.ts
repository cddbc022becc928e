// Loads the district dataset served under /data/ and turns it into what the map needs:
// typed position arrays per device kind (dataset order = index in the status arrays).
import type { DeviceKind, MovingKind } from '../../../core/domain.ts';
import { DATASET_FILES, type ComponentsFile, type DatasetManifest, type DevicesFile } from '../../../core/dataset.ts';
import type { FeatureCollection } from 'geojson';

export interface LoadedDataset {
  manifest: DatasetManifest;
  boundaries: FeatureCollection;
  grids: FeatureCollection;
  water: FeatureCollection;
  /** The other counties of 安庆市, drawn dimmed around the district. */
  surroundings: FeatureCollection;
  devices: DevicesFile;
  components: ComponentsFile;
  /** lon,lat pairs per kind, in dataset order. */
  positions: Record<DeviceKind, Float64Array>;
  sizes: Record<DeviceKind, number>;
  townshipName: Map<string, string>;
}

async function getJson<T>(name: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(`/data/${name}`, { signal });
  if (!res.ok) throw new Error(`GET /data/${name}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

function placed(list: { lon: number; lat: number }[]): Float64Array {
  const out = new Float64Array(list.length * 2);
  for (let i = 0; i < list.length; i++) {
    out[i * 2] = list[i].lon;
    out[i * 2 + 1] = list[i].lat;
  }
  return out;
}

export function componentPositions(c: ComponentsFile): Float64Array {
  const n = c.lon.length;
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[i * 2] = c.lon[i];
    out[i * 2 + 1] = c.lat[i];
  }
  return out;
}

export async function loadDataset(signal?: AbortSignal): Promise<LoadedDataset> {
  const [manifest, boundaries, grids, water, devices, components, surroundings] = await Promise.all([
    getJson<DatasetManifest>(DATASET_FILES.manifest, signal),
    getJson<FeatureCollection>(DATASET_FILES.boundaries, signal),
    getJson<FeatureCollection>(DATASET_FILES.grids, signal),
    getJson<FeatureCollection>(DATASET_FILES.water, signal),
    getJson<DevicesFile>(DATASET_FILES.devices, signal),
    getJson<ComponentsFile>(DATASET_FILES.components, signal),
    getJson<FeatureCollection>(DATASET_FILES.surroundings, signal),
  ]);
  const positions: Record<DeviceKind, Float64Array> = {
    camera: placed(devices.camera),
    lookout: placed(devices.lookout),
    drone: placed(devices.drone),
    broadcast: placed(devices.broadcast),
    worker: placed(devices.worker),
    component: componentPositions(components),
  };
  const sizes = Object.fromEntries(Object.entries(positions).map(([k, v]) => [k, v.length / 2])) as Record<DeviceKind, number>;
  return {
    manifest,
    boundaries,
    grids,
    water,
    surroundings,
    devices,
    components,
    positions,
    sizes,
    townshipName: new Map(manifest.townships.map((t) => [t.code, t.name])),
  };
}

export function movingSeeds(d: LoadedDataset): Record<MovingKind, Float64Array> {
  return { drone: d.positions.drone, worker: d.positions.worker };
}

/** What the mobile page needs: places, grids and grid workers (not the 100,000 components). */
export interface Gazetteer {
  manifest: DatasetManifest;
  grids: FeatureCollection;
  workers: DevicesFile['worker'];
  sizes: Record<DeviceKind, number>;
}

export async function loadGazetteer(signal?: AbortSignal): Promise<Gazetteer> {
  const [manifest, grids, devices] = await Promise.all([
    getJson<DatasetManifest>(DATASET_FILES.manifest, signal),
    getJson<FeatureCollection>(DATASET_FILES.grids, signal),
    getJson<DevicesFile>(DATASET_FILES.devices, signal),
  ]);
  const c = manifest.counts;
  // Device arrays sized from the manifest: the snapshot carries every status byte even if unused here.
  const sizes: Record<DeviceKind, number> = { camera: c.camera, lookout: c.lookout, drone: c.drone, broadcast: c.broadcast, component: c.component, worker: c.worker };
  return { manifest, grids, workers: devices.worker, sizes };
}
