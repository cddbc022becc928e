import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { beaufort, compassPoint, observationProblem, rainCategory, severeWarnings, WeatherObservationSchema, type WeatherObservation } from './weather.ts';

const obs = (over: Partial<WeatherObservation> = {}): WeatherObservation => ({ stationId: '58424', ts: Date.UTC(2026, 6, 1), rainMmH: 0, windMs: 2, windDirDeg: 90, temperatureC: 28, humidityPct: 80, warnings: [], ...over });

describe('weather observation', () => {
  it('the schema takes a plain observation and refuses an unknown colour or a negative rain', () => {
    const check = Compile(WeatherObservationSchema);
    expect(check.Check(obs({ warnings: [{ type: 'rainstorm', level: 'orange' }] }))).toBe(true);
    expect(check.Check({ ...obs(), warnings: [{ type: 'rainstorm', level: 'purple' }] })).toBe(false);
    expect(check.Check(obs({ rainMmH: -1 }))).toBe(false);
    expect(check.Check({ ...obs(), extra: 1 })).toBe(false);
  });

  it('a warning type given twice is a problem naming the second', () => {
    expect(observationProblem(obs({ warnings: [{ type: 'gale', level: 'blue' }, { type: 'rainstorm', level: 'yellow' }, { type: 'gale', level: 'red' }] }))).toEqual({ field: '/warnings/2/type', message: 'warning type "gale" is given twice' });
    expect(observationProblem(obs({ warnings: [{ type: 'gale', level: 'blue' }] }))).toBeNull();
  });

  it('orange and red warnings are severe, blue and yellow are not', () => {
    const w = obs({ warnings: [{ type: 'rainstorm', level: 'blue' }, { type: 'gale', level: 'yellow' }, { type: 'thunder', level: 'orange' }, { type: 'heat', level: 'red' }] });
    expect(severeWarnings(w)).toEqual([{ type: 'thunder', level: 'orange' }, { type: 'heat', level: 'red' }]);
  });
});

describe('categories', () => {
  it('hourly rain: 小雨 below 1.6, 中雨 below 7, 大雨 below 15, 暴雨 from 15 mm/h', () => {
    expect([0, 0.1, 1.5, 1.6, 6.9, 7, 14.9, 15, 80].map(rainCategory)).toEqual(['none', 'light', 'light', 'moderate', 'moderate', 'heavy', 'heavy', 'storm', 'storm']);
  });

  it('Beaufort force from m/s', () => {
    expect([0, 0.3, 3.3, 5.5, 10.7, 17.2, 32.6, 32.7, 50].map(beaufort)).toEqual([0, 1, 2, 4, 5, 8, 11, 12, 12]);
  });

  it('compass points of directions', () => {
    expect([0, 22, 23, 90, 180, 315, 338, 360, -45].map(compassPoint)).toEqual([0, 0, 1, 2, 4, 7, 0, 0, 7]);
  });
});
