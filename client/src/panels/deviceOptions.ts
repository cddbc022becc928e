// ECharts option of a sensor's recent readings with the rule's raise and clear thresholds as
// marklines (readingsChart.ts draws it); pure, so it is unit-tested in node.
import type { EChartsCoreOption } from 'echarts/core';
import { THEME } from './options.ts';
import { readingsLineOption, type ReadingsChartLook } from './readingsChart.ts';

export interface SparkRule {
  direction: 'above' | 'below';
  raise: number;
  clear: number;
  unit?: string;
}

const SPARKLINE: ReadingsChartLook = { pad: 0.12, step: 0.01, timeAxis: false, labelAt: 'inside', rightGap: 6, lineWidth: 1.6, symbolSize: 3, labelSize: 10, area: true };

export function sparklineOption(readings: { ts: number; value: number }[], rule: SparkRule | null, px: number, labels: { raise: string; clear: string }): EChartsCoreOption {
  const levels = rule
    ? [
        { value: rule.raise, color: THEME.bad, label: labels.raise },
        { value: rule.clear, color: THEME.good, label: labels.clear },
      ]
    : [];
  return readingsLineOption(readings, levels, px, SPARKLINE);
}
