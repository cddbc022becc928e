import { describe, expect, it } from 'vitest';
import type { WeatherObservation } from '../../../core/weather.ts';
import { applyFloodDelta, applyFloodSnapshot, initFlood, latestObservations } from './state.ts';

const levels = { station: '安庆', datum: '吴淞高程', warning: 17, guarantee: 18.7, clearBelowM: 0.2, confirmReadings: 2, gauges: {} };
const obs = (ts: number, rainMmH = 0): WeatherObservation => ({ stationId: '58424', ts, rainMmH, windMs: 3, windDirDeg: 90, temperatureC: 20, humidityPct: 70, warnings: [] });
const g = (index: number, ts: number, value: number) => ({ index, ts, value, prevTs: null, prevValue: null });

describe('flood slice', () => {
  it('a snapshot replaces the levels, stages and observations', () => {
    const s = initFlood();
    applyFloodDelta(s, { gauges: [g(5, 1, 10)] });
    applyFloodSnapshot(s, { flood: { levels, gauges: [g(7, 10, 16.2)] }, weather: { stations: [{ id: '58424', name: '安庆', nameEn: 'Anqing', lon: 117, lat: 30.5 }], observations: [obs(20), obs(10)] } });
    expect(s.floodLevels?.warning).toBe(17);
    expect([...s.gauges.keys()]).toEqual([7]);
    expect(s.observations.get('58424')!.map((o) => o.ts)).toEqual([10, 20]);
  });

  it('a delta adds stages and observations; an older stage or a resent observation changes nothing', () => {
    const s = initFlood();
    applyFloodSnapshot(s, { flood: { levels, gauges: [g(7, 10, 16.2)] } });
    const v = s.floodVersion;
    applyFloodDelta(s, { gauges: [g(7, 30, 17.1), g(8, 30, 15)], weather: [obs(30, 12)] });
    applyFloodDelta(s, { gauges: [g(7, 20, 16.5)], weather: [obs(30, 99)] });
    expect(s.gauges.get(7)!.value).toBe(17.1);
    expect(s.gauges.get(8)!.value).toBe(15);
    expect(latestObservations(s).map((o) => o.rainMmH)).toEqual([12]);
    // A new list, so a selector of the series sees the change.
    const before = s.observations.get('58424');
    applyFloodDelta(s, { weather: [obs(40)] });
    expect(s.observations.get('58424')).not.toBe(before);
    expect(s.floodVersion).toBe(v + 3);
    applyFloodDelta(s, {});
    expect(s.floodVersion).toBe(v + 3);
  });

  it('keeps the last 48 observations of a station', () => {
    const s = initFlood();
    applyFloodDelta(s, { weather: Array.from({ length: 60 }, (_, i) => obs(i)) });
    const list = s.observations.get('58424')!;
    expect([list.length, list[0].ts, list[47].ts]).toEqual([48, 12, 59]);
  });
});
