// ECharts options of the flood tab, pure (unit-tested in node): a gauge's recent stages with its
// warning and guarantee levels as marklines, and the station's recent rain as bars.
import type { EChartsCoreOption } from 'echarts/core';
import type { GaugeLevels, StageReading } from '../../../core/flood.ts';
import { CHART_FONT, THEME } from '../panels/options.ts';

export function stageChartOption(arrived: readonly StageReading[], levels: GaugeLevels, px: number, labels: { warning: string; guarantee: string }): EChartsCoreOption {
  // In the order they were read (a gateway's backlog arrives after newer readings).
  const readings = [...arrived].sort((a, b) => a.ts - b.ts);
  const values = readings.map((r) => r.value);
  // Both levels stay in view, however far below them the river is.
  const lo = Math.min(...values, levels.warning);
  const hi = Math.max(...values, levels.guarantee);
  const pad = (hi - lo || 1) * 0.08;
  const f = (size: number, color = THEME.dim) => ({ color, fontSize: Math.round(size * px), fontFamily: CHART_FONT });
  const line = (y: number, color: string, formatter: string) => ({ yAxis: y, lineStyle: { color, type: 'dashed', width: 1.6 * px }, label: { formatter, position: 'insideEndTop', ...f(11, color) } });
  return {
    animation: false,
    grid: { left: 6 * px, right: 10 * px, top: 10 * px, bottom: 6 * px, containLabel: true },
    xAxis: { type: 'time', splitNumber: 3, axisLabel: { ...f(10), hideOverlap: true }, axisLine: { lineStyle: { color: THEME.axis } }, splitLine: { show: false } },
    yAxis: { type: 'value', min: Math.floor((lo - pad) * 10) / 10, max: Math.ceil((hi + pad) * 10) / 10, splitNumber: 4, axisLabel: f(10), splitLine: { lineStyle: { color: THEME.split } } },
    series: [
      {
        type: 'line',
        data: readings.map((r) => [r.ts, r.value]),
        showSymbol: readings.length < 30,
        symbolSize: 4 * px,
        lineStyle: { width: 2 * px, color: THEME.accent },
        itemStyle: { color: THEME.accent },
        markLine: { silent: true, symbol: 'none', data: [line(levels.warning, THEME.warn, labels.warning), line(levels.guarantee, THEME.bad, labels.guarantee)] },
      },
    ],
  };
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
