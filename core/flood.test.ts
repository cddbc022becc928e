import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { floodAlarmRule, floodGuaranteeRule, floodLevelsFrom, gaugeRows, levelsOf, stageCounts, stageOf, trendBase, trendMPerH, TREND_MIN_SPAN_MS, type FloodLevels } from './flood.ts';
import { runRule } from './sensor-rules.ts';

const H = 3_600_000;
const cfg: FloodLevels = { station: '安庆', datum: '吴淞', warning: 17, guarantee: 18.7, clearBelowM: 0.2, confirmReadings: 2, gauges: { '3408030601000009': { warning: 16.8, guarantee: 18.5 } } };

describe('flood levels', () => {
  it('the shipped file is valid and holds the Anqing station figures', () => {
    const file = floodLevelsFrom(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', 'data', 'flood-levels.json'), 'utf8')));
    expect(file).toMatchObject({ warning: 17, guarantee: 18.7 });
  });

  it('a gauge has its own levels when given, else the station’s', () => {
    expect(levelsOf(cfg, '3408030601000009')).toEqual({ warning: 16.8, guarantee: 18.5 });
    expect(levelsOf(cfg, '3408030601000001')).toEqual({ warning: 17, guarantee: 18.7 });
  });

  it('refuses a guarantee level at or below the warning level, naming the field', () => {
    expect(() => floodLevelsFrom({ ...cfg, guarantee: 17 })).toThrow('floodLevels.guarantee: must be above the warning level (17), got 17');
    expect(() => floodLevelsFrom({ ...cfg, gauges: { '3408030601000002': { warning: 18, guarantee: 17.5 } } })).toThrow('floodLevels.gauges.3408030601000002.guarantee');
    expect(() => floodLevelsFrom({ ...cfg, clearBelowM: -1 })).toThrow(/^floodLevels\.clearBelowM: /);
  });
});

describe('stageOf', () => {
  it('is normal below the warning level, 超警戒 from it, 超保证 from the guarantee level', () => {
    const l = { warning: 17, guarantee: 18.7 };
    expect([16.99, 17, 18.69, 18.7, 19.2].map((v) => stageOf(l, v))).toEqual(['normal', 'warning', 'warning', 'guarantee', 'guarantee']);
  });
});

describe('floodAlarmRule', () => {
  it('raises at the warning level after two readings and clears 0.2 m below it', () => {
    const rule = floodAlarmRule(cfg, { warning: 17, guarantee: 18.7 });
    expect(rule).toEqual({ direction: 'above', raise: 17, clear: 16.8, consecutive: 2, unit: 'm' });
    // 17.05 once: not yet; twice: raised; 16.9 holds it; 16.8 clears it.
    expect(runRule(rule, [16.5, 17.05, 16.9, 17.05, 17.1, 16.9, 16.8]).map((s) => s.raised)).toEqual([false, false, false, false, true, true, false]);
  });
});

describe('floodGuaranteeRule', () => {
  it('raises a second alarm at the guarantee level after two readings and clears it 0.2 m below, the warning one raised throughout', () => {
    const levels = { warning: 17, guarantee: 18.7 };
    expect(floodGuaranteeRule(cfg, levels)).toEqual({ direction: 'above', raise: 18.7, clear: 18.5, consecutive: 2, unit: 'm' });
    const stages = [16.9, 17.3, 17.9, 18.72, 18.8, 18.6, 18.5, 17.1, 16.8];
    expect(runRule(floodAlarmRule(cfg, levels), stages).map((s) => s.raised)).toEqual([false, false, true, true, true, true, true, true, false]);
    expect(runRule(floodGuaranteeRule(cfg, levels), stages).map((s) => s.raised)).toEqual([false, false, false, false, true, true, false, false, false]);
  });

  it('uses a gauge’s own guarantee level', () => {
    expect(floodGuaranteeRule(cfg, levelsOf(cfg, '3408030601000009'))).toMatchObject({ raise: 18.5, clear: 18.3 });
  });
});

describe('trendBase', () => {
  const M = 60_000;
  it('measures from the latest reading at least ten minutes before the last', () => {
    const r = [{ ts: 0, value: 15 }, { ts: 20 * M, value: 15.1 }, { ts: 28 * M, value: 15.2 }, { ts: 30 * M, value: 15.3 }];
    expect(trendBase(r)).toEqual({ ts: 20 * M, value: 15.1 });
    expect(TREND_MIN_SPAN_MS).toBe(10 * M);
  });
  it('gives none when every earlier reading is closer than that (a burst a second apart is no trend)', () => {
    expect(trendBase([{ ts: 0, value: 17.32 }, { ts: 1000, value: 17.41 }])).toBeNull();
    expect(trendBase([{ ts: 0, value: 17.32 }])).toBeNull();
    expect(trendBase([])).toBeNull();
  });
});

describe('trendMPerH', () => {
  it('is the change per hour across the window before the last reading', () => {
    const r = [{ ts: 0, value: 15 }, { ts: 6 * H, value: 15.3 }, { ts: 9 * H, value: 15.6 }, { ts: 12 * H, value: 15.9 }];
    // The 6 h window before 12 h starts at the reading of 6 h: (15.9 − 15.3) / 6.
    expect(trendMPerH(r)).toBeCloseTo(0.1, 10);
    expect(trendMPerH(r, 3 * H)).toBeCloseTo(0.1, 10);
    expect(trendMPerH([{ ts: 0, value: 16 }, { ts: 2 * H, value: 15.5 }])).toBeCloseTo(-0.25, 10);
  });

  it('is null for one reading or none in the window before the last', () => {
    expect(trendMPerH([{ ts: 0, value: 15 }])).toBeNull();
    expect(trendMPerH([{ ts: 0, value: 15 }, { ts: 10 * H, value: 16 }])).toBeNull();
  });
});

describe('gaugeRows', () => {
  it('puts the gauge highest over its own warning level first, with its stage and trend', () => {
    const ids = ['3408030601000001', '3408030601000009', '3408030601000003'];
    const rows = gaugeRows(cfg, [
      { index: 0, ts: 2 * H, value: 16.9, prevTs: H, prevValue: 16.7 },
      { index: 1, ts: 2 * H, value: 16.9, prevTs: null, prevValue: null },
      { index: 2, ts: 2 * H, value: 18.8, prevTs: 0, prevValue: 18.6 },
    ], (i) => ids[i]);
    expect(rows.map((r) => [r.id, r.stage])).toEqual([['3408030601000003', 'guarantee'], ['3408030601000009', 'warning'], ['3408030601000001', 'normal']]);
    expect(rows[0].overWarning).toBeCloseTo(1.8, 10);
    expect(rows[0].trend).toBeCloseTo(0.1, 10);
    expect(rows[1].trend).toBeNull();
    expect(rows[2].trend).toBeCloseTo(0.2, 10);
    expect(stageCounts(rows)).toEqual({ normal: 1, warning: 1, guarantee: 1 });
  });
});
