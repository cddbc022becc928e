// The static district model the server needs from the dataset: device ids → layer indices,
// where moving devices start, and which grid/township a point falls in.
import { DEVICE_KINDS, type DeviceKind, type MovingKind } from '../core/domain.ts';
import type { ComponentsFile, DatasetManifest, DevicesFile, DroneDevice, GridProps } from '../core/dataset.ts';
import type { PolygonGeometry } from '../core/geo.ts';
import type { EmergencyResource } from '../core/resources.ts';
import type { MovingStart } from './projections/device-state.ts';

export interface DistrictSource {
  manifest: DatasetManifest;
  devices: DevicesFile;
  components: ComponentsFile;
  gridProps: GridProps[];
  /** Grid index containing a point, -1 outside every grid. */
  locate(lon: number, lat: number): number;
  /** Grid polygons in grid order (patrol coverage); absent in small test districts. */
  gridGeometries?: PolygonGeometry[];
  /** The dataset's emergency resources (resources.json); none in small test districts unless given. */
  resources?: EmergencyResource[];
}

/** Where a point lies: its grid, township and community ('' and -1 outside every grid). */
export interface PlaceResolver {
  (lon: number, lat: number): { gridIndex: number; townshipCode: string; communityCode: string };
}

export interface District {
  manifest: DatasetManifest;
  index: Record<DeviceKind, ReadonlyMap<string, number>>;
  startPositions: Record<MovingKind, MovingStart[]>;
  resolvePlace: PlaceResolver;
  gridCount: number;
  /** The dataset's emergency resources, before any import (server/resources/book.ts). */
  resources: readonly EmergencyResource[];
  /** Any placed device (not components) by kind and layer index. */
  placedDevice(kind: Exclude<DeviceKind, 'component'>, index: number): { id: string; name: string; lon: number; lat: number } | undefined;
  component(index: number): { id: string; classCode: string; lon: number; lat: number };
  /** Name of a township or community by admin code ('大观区' for the district or an unknown code). */
  placeName(code: string): string;
  /** The drones with their bases and endurance (dataset order). */
  drones: readonly DroneDevice[];
  /** A device's dataset entry (name, place, kind-specific fields), or undefined for a bad index. */
  deviceInfo(kind: DeviceKind, index: number): DeviceInfo | undefined;
  /** The area a grid worker belongs to (their community and township), whose readers may see where they are. */
  workerPlace(index: number): { townshipCode: string; communityCode: string } | undefined;
  /** A grid's properties (code, name, township, worker). */
  grid(index: number): GridProps | undefined;
  /** A grid's polygon, when the dataset carries geometry. */
  gridGeometry(index: number): PolygonGeometry | undefined;
  /** Identifies the dataset (seed, version, counts, boundary source) for projection checkpoints. */
  fingerprint: string;
}

/** A component's dataset entry (components.json is columnar; this is one row of it). */
export interface ComponentInfo { id: string; classCode: string; lon: number; lat: number; gridIndex: number; townshipCode: string; sensorized: boolean }
/** One device's dataset entry, as its kind's list (or the component columns) holds it. */
export type DeviceInfo = DevicesFile[Exclude<DeviceKind, 'component'>][number] | ComponentInfo;

export function buildDistrict(src: DistrictSource): District {
  const ids: Record<DeviceKind, readonly string[]> = {
    camera: src.devices.camera.map((d) => d.id),
    lookout: src.devices.lookout.map((d) => d.id),
    drone: src.devices.drone.map((d) => d.id),
    broadcast: src.devices.broadcast.map((d) => d.id),
    worker: src.devices.worker.map((d) => d.id),
    component: src.components.code,
  };
  const index = Object.fromEntries(
    DEVICE_KINDS.map((k) => [k, new Map(ids[k].map((id, i) => [id, i]))]),
  ) as unknown as Record<DeviceKind, ReadonlyMap<string, number>>;
  for (const k of DEVICE_KINDS) {
    if (index[k].size !== ids[k].length) throw new Error(`dataset has duplicate ${k} ids`);
  }
  const names = new Map<string, string>([...src.manifest.townships, ...src.manifest.communities].map((u) => [u.code, u.name]));
  const sensorized = new Set(src.components.sensorized);
  const townshipOfGrid = src.gridProps.map((g) => g.townshipCode);
  const communityOfGrid = src.gridProps.map((g) => g.communityCode ?? '');
  return {
    manifest: src.manifest,
    index,
    resources: src.resources ?? [],
    startPositions: {
      drone: src.devices.drone.map((d) => ({ lon: d.lon, lat: d.lat })),
      worker: src.devices.worker.map((d) => ({ lon: d.lon, lat: d.lat })),
    },
    resolvePlace(lon, lat) {
      const gridIndex = src.locate(lon, lat);
      return gridIndex >= 0 ? { gridIndex, townshipCode: townshipOfGrid[gridIndex], communityCode: communityOfGrid[gridIndex] } : { gridIndex, townshipCode: '', communityCode: '' };
    },
    gridCount: src.gridProps.length,
    placedDevice: (kind, i) => src.devices[kind][i],
    component: (i) => ({ id: src.components.code[i], classCode: src.components.classCode[i], lon: src.components.lon[i], lat: src.components.lat[i] }),
    drones: src.devices.drone,
    deviceInfo: (kind, i) => {
      if (kind !== 'component') return src.devices[kind][i];
      const c = src.components;
      if (i < 0 || i >= c.count) return undefined;
      const gridIndex = c.gridIndex[i];
      return { id: c.code[i], classCode: c.classCode[i], lon: c.lon[i], lat: c.lat[i], gridIndex, townshipCode: townshipOfGrid[gridIndex] ?? '', sensorized: sensorized.has(i) };
    },
    workerPlace: (i) => {
      const w = src.devices.worker[i];
      return w && { townshipCode: w.townshipCode, communityCode: w.communityCode };
    },
    grid: (i) => src.gridProps[i],
    gridGeometry: (i) => src.gridGeometries?.[i],
    placeName: (code) => names.get(code) ?? src.manifest.district.name,
    fingerprint: JSON.stringify([src.manifest.version, src.manifest.seed, src.manifest.boundarySource, DEVICE_KINDS.map((k) => ids[k].length), src.gridProps.length]),
  };
}
