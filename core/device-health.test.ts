import { describe, expect, it } from 'vitest';
import { healthSeries, samplesSeries, tallyOf, windowHealth, type HealthSample, type HealthTally } from './device-health.ts';
import type { DeviceKind } from './domain.ts';

const M = 60_000;
const H = 60 * M;
const MON = Date.UTC(2026, 10, 22, 16); // Monday 00:00 Asia/Shanghai

/** A sample of `total` devices, `online` of them online, plus fault/alarm counts. */
const s = (ts: number, online: number, total = 10, fault = 0, alarm = 0, kind: DeviceKind = 'camera'): HealthSample => ({
  ts, kind, counts: { total, online, fault, alarm, offline: total - online - fault - alarm },
});

describe('device health series', () => {
  it('averages each hour, keeps its minimum, and says a gap has no data', () => {
    const samples = [s(MON, 10), s(MON + 30 * M, 8, 10, 1, 1), s(MON + H - 1, 6, 10, 2, 0), s(MON + H, 9), s(MON + 3 * H + 5 * M, 5, 10, 0, 3)];
    const cam = samplesSeries(samples, MON, MON + 4 * H, 'hour', ['camera']).camera!;
    expect(cam.map((p) => p.t)).toEqual([MON, MON + H, MON + 2 * H, MON + 3 * H]);
    expect(cam[0]).toEqual({ t: MON, onlineRate: expect.closeTo(0.8, 12), minOnlineRate: 0.6, fault: 1, alarm: 1 / 3, samples: 3 });
    expect(cam[1]).toMatchObject({ onlineRate: 0.9, minOnlineRate: 0.9, samples: 1 }); // 01:00 sharp opens the next hour
    expect(cam[2]).toEqual({ t: MON + 2 * H, onlineRate: null, minOnlineRate: null, fault: null, alarm: null, samples: 0 });
    expect(cam[3]).toMatchObject({ onlineRate: 0.5, alarm: 3, samples: 1 });
  });

  it('cuts days at Shanghai midnight and weeks on Monday', () => {
    const lastMinuteSunday = MON - 1;
    const samples = [s(lastMinuteSunday, 2), s(MON, 10), s(MON + 23 * H + 59 * M, 8)];
    const days = samplesSeries(samples, MON - 2 * 24 * H, MON + 24 * H, 'day', ['camera']).camera!;
    expect(days.map((p) => [p.t, p.onlineRate])).toEqual([
      [MON - 2 * 24 * H, null],
      [MON - 24 * H, 0.2],
      [MON, 0.9],
    ]);
    const weeks = samplesSeries(samples, MON - 7 * 24 * H, MON + 7 * 24 * H, 'week', ['camera']).camera!;
    expect(weeks.map((p) => [p.t, p.samples, p.minOnlineRate])).toEqual([
      [MON - 7 * 24 * H, 1, 0.2],
      [MON, 2, 0.8],
    ]);
  });

  it('counts only samples inside [from, to), though the first bucket starts earlier', () => {
    const samples = [s(MON + 10 * M, 0), s(MON + 20 * M, 10), s(MON + 2 * H, 0)];
    const cam = samplesSeries(samples, MON + 15 * M, MON + 2 * H, 'hour', ['camera']).camera!;
    expect(cam.map((p) => [p.t, p.onlineRate, p.samples])).toEqual([
      [MON, 1, 1],
      [MON + H, null, 0],
    ]);
  });

  it('keeps kinds apart and gives a kind without devices no rate', () => {
    const samples = [s(MON, 5, 10), s(MON, 0, 0, 0, 0, 'drone'), s(MON + M, 1, 2, 0, 0, 'drone')];
    const series = samplesSeries(samples, MON, MON + H, 'hour', ['camera', 'drone', 'lookout']);
    expect(series.camera![0]).toMatchObject({ onlineRate: 0.5, samples: 1 });
    expect(series.drone![0]).toMatchObject({ onlineRate: 0.5, minOnlineRate: 0.5, samples: 2 });
    expect(series.lookout![0].samples).toBe(0);
    expect(Object.keys(series)).toEqual(['camera', 'drone', 'lookout']);
    expect(samplesSeries([s(MON, 0, 0)], MON, MON + H, 'hour', ['camera']).camera![0]).toMatchObject({ onlineRate: null, minOnlineRate: null, fault: 0, samples: 1 });
  });

  it('gives the same days from hourly tallies as from the samples themselves', () => {
    const samples = Array.from({ length: 3 * 24 * 6 }, (_, i) => s(MON + i * 10 * M + 7 * M, (i * 7) % 11, 10, i % 3, i % 2));
    const hourly = new Map<number, HealthTally>();
    for (const x of samples.map(tallyOf)) {
      const h = Math.floor(x.ts / H);
      const a = hourly.get(h);
      if (!a) hourly.set(h, { ...x });
      else Object.assign(a, { samples: a.samples + 1, rated: a.rated + x.rated, rateSum: a.rateSum + x.rateSum, rateMin: Math.min(a.rateMin!, x.rateMin!), faultSum: a.faultSum + x.faultSum, alarmSum: a.alarmSum + x.alarmSum });
    }
    const from = MON + 5 * H;
    const to = MON + 60 * H;
    const direct = samplesSeries(samples, from, to, 'day', ['camera']).camera!;
    const merged = healthSeries(hourly.values(), from, to, 'day', ['camera']).camera!;
    expect(merged.map((p) => p.samples)).toEqual(direct.map((p) => p.samples));
    merged.forEach((p, i) => {
      expect(p.onlineRate).toBeCloseTo(direct[i].onlineRate!, 12);
      expect(p.minOnlineRate).toBe(direct[i].minOnlineRate);
      expect(p.fault).toBeCloseTo(direct[i].fault!, 12);
    });
  });

  it('sums a window up: average weighted by samples, the lowest minimum, gaps left out', () => {
    const cam = samplesSeries([s(MON, 10), s(MON + M, 10), s(MON + 2 * M, 10), s(MON + 2 * H, 4)], MON, MON + 3 * H, 'hour', ['camera']).camera!;
    expect(windowHealth(cam)).toEqual({ onlineRate: (3 * 1 + 0.4) / 4, minOnlineRate: 0.4, samples: 4 });
    expect(windowHealth(samplesSeries([], MON, MON + H, 'hour', ['camera']).camera!)).toEqual({ onlineRate: null, minOnlineRate: null, samples: 0 });
  });
});
