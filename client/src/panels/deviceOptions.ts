// ECharts option of a sensor's recent readings with the rule's raise and clear thresholds as
// marklines; pure, so it is unit-tested in node.
import type { EChartsCoreOption } from 'echarts/core';
import { CHART_FONT, THEME } from './options.ts';

export interface SparkRule {
  direction: 'above' | 'below';
  raise: number;
  clear: number;
  unit?: string;
}

export function sparklineOption(readings: { ts: number; value: number }[], rule: SparkRule | null, px: number, labels: { raise: string; clear: string }): EChartsCoreOption {
  const values = readings.map((r) => r.value);
  const lines = rule ? [rule.raise, rule.clear] : [];
  const known = values.length + lines.length > 0;
  const lo = known ? Math.min(...values, ...lines) : 0;
  const hi = known ? Math.max(...values, ...lines) : 1;
  const pad = (hi - lo || 1) * 0.12;
  const f = (size: number, color = THEME.dim) => ({ color, fontSize: Math.round(size * px), fontFamily: CHART_FONT });
  return {
    animation: false,
    grid: { left: 6 * px, right: 62 * px, top: 8 * px, bottom: 6 * px, containLabel: true },
    xAxis: { type: 'time', show: false },
    yAxis: { type: 'value', min: Math.floor((lo - pad) * 100) / 100, max: Math.ceil((hi + pad) * 100) / 100, splitNumber: 3, axisLabel: f(10), splitLine: { lineStyle: { color: THEME.split } } },
    series: [
      {
        type: 'line',
        data: readings.map((r) => [r.ts, r.value]),
        showSymbol: readings.length < 30,
        symbolSize: 3 * px,
        lineStyle: { width: 1.6 * px, color: THEME.accent },
        itemStyle: { color: THEME.accent },
        areaStyle: { color: 'rgba(56, 211, 255, 0.12)' },
        markLine: rule
          ? {
              silent: true,
              symbol: 'none',
              label: { position: 'end', ...f(10) },
              data: [
                { yAxis: rule.raise, name: 'raise', lineStyle: { color: THEME.bad, type: 'dashed', width: 1.4 * px }, label: { formatter: labels.raise, color: THEME.bad } },
                { yAxis: rule.clear, name: 'clear', lineStyle: { color: THEME.good, type: 'dashed', width: 1.4 * px }, label: { formatter: labels.clear, color: THEME.good } },
              ],
            }
          : undefined,
      },
    ],
  };
}
