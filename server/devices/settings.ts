// Reads the sensor rules file (SENSOR_RULES_FILE, default data/sensor-rules.json) and the duty
// shifts (SHIFTS) for the device projections; a bad file stops the start with the field named.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sensorRulesFrom, type SensorRules } from '../../core/sensor-rules.ts';
import { DEFAULT_SHIFTS, parseShifts, type Shift } from '../../core/shifts.ts';

export const DEFAULT_SENSOR_RULES_FILE = path.resolve(import.meta.dirname, '..', '..', 'data', 'sensor-rules.json');

export function loadSensorRules(file: string = DEFAULT_SENSOR_RULES_FILE): SensorRules {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the sensor rules ${file}: ${(error as Error).message}`);
  }
  try {
    return sensorRulesFrom(json);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

export interface DeviceSettings {
  sensorRules: SensorRules;
  shifts: Shift[];
}

export function deviceSettings(opts: { sensorRulesFile?: string; shifts?: string } = {}): DeviceSettings {
  return { sensorRules: loadSensorRules(opts.sensorRulesFile), shifts: parseShifts(opts.shifts || DEFAULT_SHIFTS) };
}
