// The static district model the server needs from the dataset: device ids → layer indices,
// where moving devices start, and which grid/township a point falls in.
import { DEVICE_KINDS, type DeviceKind, type MovingKind } from '../core/domain.ts';
import type { ComponentsFile, DatasetManifest, DevicesFile, DroneDevice, GridProps } from '../core/dataset.ts';
import type { Boundary } from '../core/boundaries.ts';
import { geometryBBox, pointInGeometry, type PolygonGeometry } from '../core/geo.ts';
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
  /** The district outline, townships and communities (boundaries.geojson); absent in small test districts. */
  boundaries?: Array<{ properties: { level: string; code: string; name: string; parentCode: string | null }; geometry: PolygonGeometry }>;
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
  /** The district's outline (boundaries.geojson), null in small test districts. */
  outline: PolygonGeometry | null;
  /** A township, community or grid as the district draws it now (dataset or import). */
  boundary(code: string): Boundary | undefined;
  /** Draws an imported boundary: a redrawn grid is located by its new shape at once, a new grid gets the next index. */
  drawBoundary(b: Boundary): void;
  /** The boundaries imported so far, in the order drawn (the projection checkpoint holds them). */
  drawnBoundaries(): Boundary[];
  /** Back to the dataset's boundaries (before a rebuild from the log). */
  resetBoundaries(): void;
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
  // The geography an import can redraw: grids (props and shapes, by index), townships and
  // communities by code. Imported grids are few, so they are tested before the dataset's locator.
  let gridProps: GridProps[] = [];
  let gridGeoms: (PolygonGeometry | undefined)[] = [];
  let gridByCode = new Map<string, number>();
  let drawn = new Map<string, Boundary>();
  let drawnGrids: Array<{ index: number; geometry: PolygonGeometry; bbox: number[] }> = [];
  const baseAreas = new Map<string, Boundary>();
  let outline: PolygonGeometry | null = null;
  for (const f of src.boundaries ?? []) {
    const p = f.properties;
    if (p.level === 'district') outline = f.geometry;
    else if (p.level === 'township' || p.level === 'community') baseAreas.set(p.code, { level: p.level, code: p.code, name: p.name, parentCode: p.parentCode ?? '', geometry: f.geometry });
  }
  const resetBoundaries = () => {
    gridProps = src.gridProps.slice();
    gridGeoms = src.gridGeometries?.slice() ?? [];
    gridByCode = new Map(gridProps.map((g, i) => [g.code, i]));
    drawn = new Map();
    drawnGrids = [];
  };
  resetBoundaries();
  const locate = (lon: number, lat: number): number => {
    for (const g of drawnGrids) {
      if (lon >= g.bbox[0] && lon <= g.bbox[2] && lat >= g.bbox[1] && lat <= g.bbox[3] && pointInGeometry(lon, lat, g.geometry)) return g.index;
    }
    const i = src.locate(lon, lat);
    // A redrawn grid is where its new shape is, no longer where the dataset drew it.
    return i >= 0 && drawn.has(gridProps[i]?.code) ? -1 : i;
  };
  return {
    manifest: src.manifest,
    index,
    resources: src.resources ?? [],
    startPositions: {
      drone: src.devices.drone.map((d) => ({ lon: d.lon, lat: d.lat })),
      worker: src.devices.worker.map((d) => ({ lon: d.lon, lat: d.lat })),
    },
    resolvePlace(lon, lat) {
      const gridIndex = locate(lon, lat);
      const g = gridProps[gridIndex];
      return g ? { gridIndex, townshipCode: g.townshipCode, communityCode: g.communityCode ?? '' } : { gridIndex: -1, townshipCode: '', communityCode: '' };
    },
    get gridCount() {
      return gridProps.length;
    },
    placedDevice: (kind, i) => src.devices[kind][i],
    component: (i) => ({ id: src.components.code[i], classCode: src.components.classCode[i], lon: src.components.lon[i], lat: src.components.lat[i] }),
    drones: src.devices.drone,
    deviceInfo: (kind, i) => {
      if (kind !== 'component') return src.devices[kind][i];
      const c = src.components;
      if (i < 0 || i >= c.count) return undefined;
      const gridIndex = c.gridIndex[i];
      return { id: c.code[i], classCode: c.classCode[i], lon: c.lon[i], lat: c.lat[i], gridIndex, townshipCode: gridProps[gridIndex]?.townshipCode ?? '', sensorized: sensorized.has(i) };
    },
    workerPlace: (i) => {
      const w = src.devices.worker[i];
      return w && { townshipCode: w.townshipCode, communityCode: w.communityCode };
    },
    grid: (i) => gridProps[i],
    gridGeometry: (i) => gridGeoms[i],
    placeName: (code) => drawn.get(code)?.name ?? names.get(code) ?? src.manifest.district.name,
    outline,
    boundary(code) {
      const d = drawn.get(code);
      if (d) return d;
      const i = gridByCode.get(code);
      if (i !== undefined) {
        const g = gridProps[i];
        const geometry = gridGeoms[i];
        return geometry && { level: 'grid', code, name: g.name, parentCode: g.communityCode, geometry };
      }
      return baseAreas.get(code);
    },
    drawBoundary(b) {
      drawn.set(b.code, b);
      if (b.level !== 'grid') return;
      let index = gridByCode.get(b.code);
      const township = b.parentCode.slice(0, 9);
      if (index === undefined) {
        index = gridProps.length;
        gridByCode.set(b.code, index);
        gridProps.push({ index, code: b.code, name: b.name, communityCode: b.parentCode, townshipCode: township, households: 0, residents: 0, workerId: '' });
      } else gridProps[index] = { ...gridProps[index], name: b.name };
      gridGeoms[index] = b.geometry;
      drawnGrids = drawnGrids.filter((g) => g.index !== index);
      drawnGrids.push({ index, geometry: b.geometry, bbox: geometryBBox(b.geometry) });
    },
    drawnBoundaries: () => [...drawn.values()],
    resetBoundaries,
    fingerprint: JSON.stringify([src.manifest.version, src.manifest.seed, src.manifest.boundarySource, DEVICE_KINDS.map((k) => ids[k].length), src.gridProps.length]),
  };
}
