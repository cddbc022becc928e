// Weather from the district's automatic station(s): one observation record each (rain, wind,
// temperature, humidity) with the official warnings in force (预警信号: type and colour, issued by
// the meteorological bureau and relayed by the station's gateway). The record's schema is the
// ingest edge's validation and its type; the rest is pure: rain and wind categories, which
// warnings are severe enough to alert a duty room.
import { Type, type Static } from 'typebox';

export const WARNING_TYPES = ['rainstorm', 'gale', 'thunder', 'heat', 'cold-wave', 'fog'] as const;
export type WarningType = (typeof WARNING_TYPES)[number];
/** Colours from least to most severe (预警信号 colours). */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

const StationId = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.:-]+$' });

export const WeatherWarningSchema = Type.Object(
  { type: Type.Enum(WARNING_TYPES), level: Type.Enum(WARNING_LEVELS) },
  { additionalProperties: false },
);
export type WeatherWarning = Static<typeof WeatherWarningSchema>;

/** One observation of a weather station (ingest record, POST /ingest/weather or MQTT …/weather). */
export const WeatherObservationSchema = Type.Object(
  {
    stationId: StationId,
    /** UTC milliseconds, between 2020 and 2100. */
    ts: Type.Integer({ minimum: 1_577_836_800_000, maximum: 4_102_444_800_000 }),
    /** Rain in the last hour, mm. */
    rainMmH: Type.Number({ minimum: 0, maximum: 300 }),
    /** 2-minute mean wind, m/s, and the direction it blows FROM, degrees from north. */
    windMs: Type.Number({ minimum: 0, maximum: 80 }),
    windDirDeg: Type.Number({ minimum: 0, maximum: 360 }),
    temperatureC: Type.Number({ minimum: -40, maximum: 50 }),
    humidityPct: Type.Number({ minimum: 0, maximum: 100 }),
    /** The warnings in force now (empty: none); each type at most once. */
    warnings: Type.Array(WeatherWarningSchema, { maxItems: WARNING_TYPES.length }),
  },
  { additionalProperties: false },
);
export type WeatherObservation = Static<typeof WeatherObservationSchema>;

/** A problem the schema cannot state (a warning type twice), or null. */
export function observationProblem(o: WeatherObservation): { field: string; message: string } | null {
  const seen = new Set<string>();
  for (let i = 0; i < o.warnings.length; i++) {
    if (seen.has(o.warnings[i].type)) return { field: `/warnings/${i}/type`, message: `warning type "${o.warnings[i].type}" is given twice` };
    seen.add(o.warnings[i].type);
  }
  return null;
}

/** Orange and red warnings call for the duty room's attention (an alert); blue and yellow are shown only. */
export function severeWarnings(o: Pick<WeatherObservation, 'warnings'>): WeatherWarning[] {
  return o.warnings.filter((w) => WARNING_LEVELS.indexOf(w.level) >= WARNING_LEVELS.indexOf('orange'));
}

export type RainCategory = 'none' | 'light' | 'moderate' | 'heavy' | 'storm';

/** Hourly rain categories of GB/T 28592-2012: 小雨 < 1.6, 中雨 < 7, 大雨 < 15, 暴雨 from 15 mm/h. */
export function rainCategory(mmH: number): RainCategory {
  if (mmH < 0.1) return 'none';
  if (mmH < 1.6) return 'light';
  if (mmH < 7) return 'moderate';
  if (mmH < 15) return 'heavy';
  return 'storm';
}

// Upper bounds (m/s) of Beaufort forces 0–11; 12 beyond the last.
const BEAUFORT = [0.3, 1.6, 3.4, 5.5, 8.0, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7];

/** Beaufort force (风力等级, GB/T 28591) of a wind speed. */
export function beaufort(ms: number): number {
  const k = BEAUFORT.findIndex((upper) => ms < upper);
  return k === -1 ? 12 : k;
}

/** One of 8 compass points (0 = N, 1 = NE, … 7 = NW) of a direction in degrees. */
export function compassPoint(deg: number): number {
  return Math.round((((deg % 360) + 360) % 360) / 45) % 8;
}

/** A station: its id, name and place (data/weather-stations.json). */
export interface WeatherStation {
  id: string;
  name: string;
  nameEn: string;
  lon: number;
  lat: number;
}

export const WeatherStationsSchema = Type.Array(
  Type.Object({ id: StationId, name: Type.String({ minLength: 1 }), nameEn: Type.String({ minLength: 1 }), lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }, { additionalProperties: false }),
  { minItems: 1 },
);
