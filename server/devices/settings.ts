// Reads the sensor rules file (SENSOR_RULES_FILE, default data/sensor-rules.json), the flood levels
// of the embankment gauges (data/flood-levels.json), the weather stations (data/weather-stations.json)
// and the duty shifts (SHIFTS) for the device projections; a bad file stops the start with the field named.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sensorRulesFrom, type SensorRules } from '../../core/sensor-rules.ts';
import { Compile } from 'typebox/compile';
import { floodLevelsFrom, type FloodLevels } from '../../core/flood.ts';
import { WeatherStationsSchema, type WeatherStation } from '../../core/weather.ts';
import { DEFAULT_SHIFTS, parseShifts, type Shift } from '../../core/shifts.ts';

const dataFile = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'data', name);
export const DEFAULT_SENSOR_RULES_FILE = dataFile('sensor-rules.json');
export const DEFAULT_FLOOD_LEVELS_FILE = dataFile('flood-levels.json');
export const DEFAULT_WEATHER_STATIONS_FILE = dataFile('weather-stations.json');

function readChecked<T>(file: string, what: string, check: (json: unknown) => T): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return check(json);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

export function loadSensorRules(file: string = DEFAULT_SENSOR_RULES_FILE): SensorRules {
  return readChecked(file, 'sensor rules', sensorRulesFrom);
}

export function loadFloodLevels(file: string = DEFAULT_FLOOD_LEVELS_FILE): FloodLevels {
  return readChecked(file, 'flood levels', floodLevelsFrom);
}

const stationsCheck = Compile(WeatherStationsSchema);
export function loadWeatherStations(file: string = DEFAULT_WEATHER_STATIONS_FILE): WeatherStation[] {
  return readChecked(file, 'weather stations', (json) => {
    if (stationsCheck.Check(json)) return json;
    const e = [...stationsCheck.Errors(json)][0] as { instancePath: string; message: string } | undefined;
    throw new Error(`weatherStations${e?.instancePath ?? ''}: ${e?.message ?? 'invalid'}`);
  });
}

export interface DeviceSettings {
  sensorRules: SensorRules;
  floodLevels: FloodLevels;
  weatherStations: WeatherStation[];
  shifts: Shift[];
}

export function deviceSettings(opts: { sensorRulesFile?: string; floodLevelsFile?: string; shifts?: string } = {}): DeviceSettings {
  return {
    sensorRules: loadSensorRules(opts.sensorRulesFile),
    floodLevels: loadFloodLevels(opts.floodLevelsFile),
    weatherStations: loadWeatherStations(),
    shifts: parseShifts(opts.shifts || DEFAULT_SHIFTS),
  };
}
