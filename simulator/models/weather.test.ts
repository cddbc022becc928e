import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { Rng } from '../../core/random.ts';
import { WeatherObservationSchema } from '../../core/weather.ts';
import { CollectingSink } from '../types.ts';
import { simulatedWarnings, WeatherModel, WEATHER } from './weather.ts';
import { gaugeReading, riverStage } from './river.ts';

describe('simulated weather station', () => {
  it('the bureau’s warnings follow the rain and wind of the moment', () => {
    expect(simulatedWarnings(5, 3)).toEqual([]);
    expect(simulatedWarnings(12, 3)).toEqual([{ type: 'rainstorm', level: 'blue' }]);
    expect(simulatedWarnings(36, 21)).toEqual([{ type: 'rainstorm', level: 'orange' }, { type: 'gale', level: 'orange' }]);
    expect(simulatedWarnings(60, 30)).toEqual([{ type: 'rainstorm', level: 'red' }, { type: 'gale', level: 'red' }]);
  });

  it('observes at start and then every 5 minutes of wall time, each a valid ingest record; a rainy week rains', () => {
    const m = new WeatherModel(new Rng(7), { ...WEATHER, rainEpisodesPerDay: 3 });
    const out = new CollectingSink();
    const t0 = Date.UTC(2026, 6, 1);
    m.start({ now: t0, sim: t0, dtWall: 0, dtSim: 0, speed: 60 }, out);
    // A week of simulated time at speed 60, ticked every wall second.
    for (let s = 1; s <= 7 * 86_400 / 60; s++) m.tick({ now: t0 + s * 1000, sim: t0 + s * 60_000, dtWall: 1, dtSim: 60, speed: 60 }, out);
    const check = Compile(WeatherObservationSchema);
    expect(out.observations.length).toBe(1 + Math.floor((7 * 86_400) / 60 / 300));
    expect(out.observations.every((o) => check.Check(o))).toBe(true);
    expect(out.observations.some((o) => o.rainMmH > 0)).toBe(true);
    // July at Anqing: warm.
    expect(Math.min(...out.observations.map((o) => o.temperatureC))).toBeGreaterThan(15);
  });
});

describe('river stage', () => {
  it('is low in winter and high in July, each gauge within 6 cm of the reach', () => {
    expect(riverStage(Date.UTC(2026, 0, 15))).toBeLessThan(9);
    expect(riverStage(Date.UTC(2026, 6, 15))).toBeGreaterThan(15.8);
    for (const g of [0, 1, 57, 197]) {
      for (const noise of [0, 0.5, 1]) expect(Math.abs(gaugeReading(15, g, noise) - 15)).toBeLessThanOrEqual(0.0601);
    }
  });
});
