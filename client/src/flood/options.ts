// ECharts options of the flood tab, pure (unit-tested in node): a gauge's recent stages with its
// warning and guarantee levels as marklines, and the station's recent rain as bars.
import type { EChartsCoreOption } from 'echarts/core';
import type { GaugeLevels, StageReading } from '../../../core/flood.ts';
import { CHART_FONT, THEME } from '../panels/options.ts';
import { readingsLineOption, type ReadingsChartLook } from '../panels/readingsChart.ts';

const STAGE: ReadingsChartLook = { pad: 0.08, step: 0.1, timeAxis: true, labelAt: 'inside', rightGap: 10, lineWidth: 2, symbolSize: 4, labelSize: 11, area: false };

export function stageChartOption(arrived: readonly StageReading[], levels: GaugeLevels, px: number, labels: { warning: string; guarantee: string }): EChartsCoreOption {
  // In the order they were read (a gateway's backlog arrives after newer readings).
  const readings = [...arrived].sort((a, b) => a.ts - b.ts);
  return readingsLineOption(
    readings,
    [
      { value: levels.warning, color: THEME.warn, label: labels.warning },
      { value: levels.guarantee, color: THEME.bad, label: labels.guarantee },
    ],
    px,
    STAGE,
  );
}

/** The last `spanMs` (default 24 h) up to the latest observation. */
export function rainChartOption(series: readonly { ts: number; rainMmH: number }[], px: number, spanMs = 24 * 3_600_000): EChartsCoreOption {
  const f = (size: number) => ({ color: THEME.dim, fontSize: Math.round(size * px), fontFamily: CHART_FONT });
  const last = series.length ? series[series.length - 1].ts : 0;
  return {
    animation: false,
    grid: { left: 6 * px, right: 10 * px, top: 8 * px, bottom: 4 * px, containLabel: true },
    xAxis: { type: 'time', min: last - spanMs, max: last, splitNumber: 4, axisLabel: { ...f(10), hideOverlap: true }, axisLine: { lineStyle: { color: THEME.axis } } },
    yAxis: { type: 'value', min: 0, minInterval: 1, splitNumber: 2, axisLabel: f(10), splitLine: { lineStyle: { color: THEME.split } } },
    series: [{ type: 'bar', data: series.map((o) => [o.ts, o.rainMmH]), barMaxWidth: 8 * px, itemStyle: { color: THEME.accent2 } }],
  };
}
