// ECharts option of a series of readings over time with threshold levels drawn as dashed lines, the
// y range always holding both the readings and every level. A sensor's card (raise / clear) and
// the flood tab's gauge (警戒 / 保证水位) are both this chart; pure, unit-tested in node.
import type { EChartsCoreOption } from 'echarts/core';
import { CHART_FONT, THEME } from './options.ts';

export interface Level {
  value: number;
  color: string;
  label: string;
}

export interface ReadingsChartLook {
  /** Share of the value span added above and below. */
  pad: number;
  /** The y range's ends are rounded outwards to this step. */
  step: number;
  /** A time axis with labels (a panel), or none (a card's sparkline). */
  timeAxis: boolean;
  /** Where a level's label sits: right of the plot (needs `rightGap`), or inside it, above its line
   * (the lowest of two or more levels: below it, so two close levels keep their labels apart). */
  labelAt: 'end' | 'inside';
  rightGap: number;
  lineWidth: number;
  symbolSize: number;
  labelSize: number;
  area: boolean;
}

export function readingsLineOption(readings: readonly { ts: number; value: number }[], levels: readonly Level[], px: number, look: ReadingsChartLook): EChartsCoreOption {
  const values = readings.map((r) => r.value);
  const marks = levels.map((l) => l.value);
  const known = values.length + marks.length > 0;
  const lo = known ? Math.min(...values, ...marks) : 0;
  const hi = known ? Math.max(...values, ...marks) : 1;
  const pad = (hi - lo || 1) * look.pad;
  const perUnit = Math.round(1 / look.step); // multiplying, not dividing by the step, keeps 1.13 from becoming 1.1300000000000001
  const lowest = Math.min(...marks);
  const labelPosition = (l: Level) => (look.labelAt === 'end' ? 'end' : levels.length > 1 && l.value === lowest ? 'insideEndBottom' : 'insideEndTop');
  const f = (size: number, color = THEME.dim) => ({ color, fontSize: Math.round(size * px), fontFamily: CHART_FONT });
  return {
    animation: false,
    grid: { left: 6 * px, right: look.rightGap * px, top: (look.timeAxis ? 10 : 8) * px, bottom: 6 * px, containLabel: true },
    xAxis: look.timeAxis
      ? { type: 'time', splitNumber: 3, axisLabel: { ...f(10), hideOverlap: true }, axisLine: { lineStyle: { color: THEME.axis } }, splitLine: { show: false } }
      : { type: 'time', show: false },
    yAxis: { type: 'value', min: Math.floor((lo - pad) * perUnit) / perUnit, max: Math.ceil((hi + pad) * perUnit) / perUnit, splitNumber: look.timeAxis ? 4 : 3, axisLabel: f(10), splitLine: { lineStyle: { color: THEME.split } } },
    series: [
      {
        type: 'line',
        data: readings.map((r) => [r.ts, r.value]),
        showSymbol: readings.length < 30,
        symbolSize: look.symbolSize * px,
        lineStyle: { width: look.lineWidth * px, color: THEME.accent },
        itemStyle: { color: THEME.accent },
        areaStyle: look.area ? { color: 'rgba(56, 211, 255, 0.12)' } : undefined,
        markLine:
          levels.length > 0
            ? {
                silent: true,
                symbol: 'none',
                data: levels.map((l) => ({ yAxis: l.value, lineStyle: { color: l.color, type: 'dashed', width: 1.5 * px }, label: { formatter: l.label, position: labelPosition(l), ...f(look.labelSize, l.color) } })),
              }
            : undefined,
      },
    ],
  };
}
