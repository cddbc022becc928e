// The district dataset's file format (data/README.md describes it for operators).
// Files live in one directory (data/generated/ by default, DATASET_DIR to override) and are
// served to the dashboard read-only under /data/.

// 2: grid workers and community leaders carry a phone number (拨打 from the screen).
// 3: resources.json, the emergency resources (shelters, depots, teams, fire stations, hospitals).
// 4: the real outline of 大观区 (townships, grids, devices laid out inside it, the Yangtze along
//    its real bank); surroundings.geojson, the other counties of 安庆市, drawn dimmed around it.
export const DATASET_VERSION = 4;

export const DATASET_FILES = {
  manifest: 'manifest.json',
  boundaries: 'boundaries.geojson',
  grids: 'grids.geojson',
  water: 'water.geojson',
  devices: 'devices.json',
  components: 'components.json',
  resources: 'resources.json',
  surroundings: 'surroundings.geojson',
} as const;

export type LonLat = [number, number];
export type BBox = [number, number, number, number]; // west, south, east, north

export type CenterLevel = 'district' | 'township' | 'community';

export interface TownshipInfo {
  code: string; // 9 digits, e.g. 340803001
  name: string; // 德宽路街道
  kind: 'street' | 'town' | 'township';
  center: LonLat;
}

export interface CommunityInfo {
  code: string; // 12 digits, e.g. 340803001002
  name: string; // 马山社区
  townshipCode: string;
  kind: 'community' | 'village';
  center: LonLat;
}

export interface LinkageCenter {
  id: string; // 'LC-' + admin code
  level: CenterLevel;
  code: string; // admin code of the unit it serves
  name: string; // e.g. 德宽路街道联动中心
  lon: number;
  lat: number;
}

export interface DatasetManifest {
  version: number;
  seed: number;
  district: { code: string; name: string; center: LonLat; bbox: BBox };
  townships: TownshipInfo[];
  communities: CommunityInfo[];
  centers: LinkageCenter[];
  /** Number of records of each kind, to check a dataset after loading. */
  counts: {
    grids: number;
    households: number;
    residents: number;
    camera: number;
    lookout: number;
    drone: number;
    broadcast: number;
    component: number;
    worker: number;
    /** Emergency resources (resources.json). */
    resource: number;
  };
  /** Where the boundaries came from: 'synthetic' or the path of the real GeoJSON used. */
  boundarySource: string;
}

/** boundaries.geojson feature properties. */
export interface BoundaryProps {
  level: CenterLevel;
  code: string;
  name: string;
  parentCode: string | null;
}

/** grids.geojson feature properties. The feature order is the grid index. */
export interface GridProps {
  index: number;
  code: string; // community code + 3-digit serial, e.g. 340803001002001
  name: string; // 马山社区第1网格
  communityCode: string;
  townshipCode: string;
  households: number;
  residents: number;
  workerId: string;
}

/** water.geojson feature properties (the Yangtze, lakes). */
/** surroundings.geojson feature properties: a neighbouring county of 安庆市 (context only). */
export interface SurroundingProps {
  code: string; // 6-digit county code, e.g. 340802
  name: string; // 迎江区
  /** Where its name is drawn: inside it, as near the district as room allows. */
  label: LonLat;
}

export interface WaterProps {
  name: string;
  kind: 'river' | 'lake';
}

interface PlacedDevice {
  id: string;
  name: string;
  lon: number;
  lat: number;
  gridIndex: number; // -1 when outside every grid
  townshipCode: string;
}

export type CameraDevice = PlacedDevice & { ai: boolean };
export type LookoutDevice = PlacedDevice & { heading: number; fov: number; rangeM: number; heightM: number };
export type DroneDevice = PlacedDevice & { base: string; patrol: LonLat[]; maxFlightMin: number };
export type BroadcastPoint = PlacedDevice & { speakers: number };
/** A grid worker or community leader; `phone` is the mobile number the center calls them on. */
export type GridWorker = PlacedDevice & { role: 'worker' | 'leader'; communityCode: string; phone: string };

/** devices.json: every device list; the array position is the device's index in its layer. */
export interface DevicesFile {
  camera: CameraDevice[];
  lookout: LookoutDevice[];
  drone: DroneDevice[];
  broadcast: BroadcastPoint[];
  worker: GridWorker[];
}

/**
 * components.json is columnar (100,000 rows): row i of every array describes component i.
 * lon/lat are rounded to 6 decimals.
 */
export interface ComponentsFile {
  count: number;
  code: string[]; // 16-digit component code
  classCode: string[]; // 4-digit class code (taxonomy.ts COMPONENT_CLASSES)
  lon: number[];
  lat: number[];
  gridIndex: number[];
  /** Indices of the components that carry a sensor (metric by class, see taxonomy.ts). */
  sensorized: number[];
}
