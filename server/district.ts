// The static district model the server needs from the dataset: device ids → layer indices,
// where moving devices start, and which grid/township a point falls in.
import { DEVICE_KINDS, type DeviceKind, type MovingKind } from '../core/domain.ts';
import type { ComponentsFile, DatasetManifest, DevicesFile, GridProps } from '../core/dataset.ts';
import type { MovingStart } from './projections/device-state.ts';
import type { PlaceResolver } from './projections/case-board.ts';

export interface DistrictSource {
  manifest: DatasetManifest;
  devices: DevicesFile;
  components: ComponentsFile;
  gridProps: GridProps[];
  /** Grid index containing a point, -1 outside every grid. */
  locate(lon: number, lat: number): number;
}

export interface District {
  manifest: DatasetManifest;
  index: Record<DeviceKind, ReadonlyMap<string, number>>;
  startPositions: Record<MovingKind, MovingStart[]>;
  resolvePlace: PlaceResolver;
  gridCount: number;
  /** Identifies the dataset (seed, version, counts, boundary source) for projection checkpoints. */
  fingerprint: string;
}

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
  const townshipOfGrid = src.gridProps.map((g) => g.townshipCode);
  return {
    manifest: src.manifest,
    index,
    startPositions: {
      drone: src.devices.drone.map((d) => ({ lon: d.lon, lat: d.lat })),
      worker: src.devices.worker.map((d) => ({ lon: d.lon, lat: d.lat })),
    },
    resolvePlace(lon, lat) {
      const gridIndex = src.locate(lon, lat);
      return { gridIndex, townshipCode: gridIndex >= 0 ? townshipOfGrid[gridIndex] : '' };
    },
    gridCount: src.gridProps.length,
    fingerprint: JSON.stringify([src.manifest.version, src.manifest.seed, src.manifest.boundarySource, DEVICE_KINDS.map((k) => ids[k].length), src.gridProps.length]),
  };
}
