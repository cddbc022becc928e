import { describe, expect, it } from 'vitest';
import { byHourOption, bySourceOption, eventsRateOption, rankingOption, rateAxisRange } from './options.ts';

type Any = Record<string, any>;

describe('chart options', () => {
  it('byHour shows hours up to now and highlights the current one', () => {
    const byHour = Array.from({ length: 24 }, (_, h) => h);
    const o = byHourOption(byHour, 10, 2) as Any;
    const data = o.series[0].data as Any[];
    expect(data).toHaveLength(24);
    expect(data[10].value).toBe(10);
    expect(data[11].value).toBeNull();
    expect(data[10].itemStyle.color).not.toBe(data[9].itemStyle.color);
    expect(o.xAxis.axisLabel.fontSize).toBe(26); // scales with the screen
    expect(o.xAxis.axisLabel.fontFamily).toContain('Noto Sans CJK SC');
  });
  it('events rate is a time series', () => {
    const o = eventsRateOption([[1, 2], [2, 3]], 1, String) as Any;
    expect(o.xAxis.type).toBe('time');
    expect(o.series[0].data).toEqual([[1, 2], [2, 3]]);
  });
  it('events rate spans only the time it has samples for (a minute at least), not a default of days', () => {
    const t0 = Date.UTC(2026, 11, 6, 0, 0, 0);
    const o = eventsRateOption([[t0, 2], [t0 + 120_000, 3]], 1, String) as Any;
    expect([o.xAxis.min, o.xAxis.max]).toEqual([t0, t0 + 120_000]);
    expect(rateAxisRange([[t0, 1]])).toEqual({ min: t0, max: t0 + 60_000 });
  });
  it('events rate without samples says so instead of drawing an axis', () => {
    const o = eventsRateOption([], 1, String, '暂无数据') as Any;
    expect(o.xAxis.show).toBe(false);
    expect(o.yAxis.show).toBe(false);
    expect(o.graphic[0].style.text).toBe('暂无数据');
    expect((eventsRateOption([[1, 1]], 1, String, '暂无数据') as Any).graphic).toEqual([]);
  });
  it('ranking keeps the top N with the biggest last (drawn on top)', () => {
    const o = rankingOption([{ name: 'a', value: 1 }, { name: 'b', value: 5 }, { name: 'c', value: 3 }], 1, 2) as Any;
    expect(o.yAxis.data).toEqual(['c', 'b']);
    expect(o.series[0].data).toEqual([3, 5]);
  });
  it('by source drops empty sources and names them', () => {
    const o = bySourceOption({ patrol: 3, sensor: 0, 'video-ai': 5 }, (k) => k.toUpperCase(), 1) as Any;
    expect(o.series[0].data).toEqual([{ name: 'VIDEO-AI', value: 5 }, { name: 'PATROL', value: 3 }]);
    expect(o.series).toHaveLength(1);
  });
  it('by source with no open case keeps a grey ring and a legend of every source', () => {
    const o = bySourceOption({ patrol: 0 }, (k) => k.toUpperCase(), 1) as Any;
    expect(o.legend.data).toEqual(['PATROL', 'HOTLINE-12345', 'HOTLINE-12319', 'VIDEO-AI', 'SENSOR', 'CITIZEN', 'CITY-BRAIN']);
    expect(o.series[0].data.every((d: Any) => d.value === 0)).toBe(true);
    expect(o.series[0].stillShowZeroSum).toBe(false);
    expect(o.series[1].silent).toBe(true);
    expect(o.tooltip.show).toBe(false);
  });
});
