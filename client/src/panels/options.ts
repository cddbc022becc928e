// ECharts options as pure functions of the live numbers, so they are unit-tested in node.
// `px` is the screen scale (root font size / 16): every size in an option is multiplied by it,
// so the charts grow with the screen like the rest of the page.
import type { EChartsCoreOption } from 'echarts/core';
import { CASE_SOURCES } from '../../../core/domain.ts';

export const THEME = {
  text: '#cfe6ff',
  dim: '#7f9bbb',
  axis: 'rgba(120, 170, 230, 0.35)',
  split: 'rgba(120, 170, 230, 0.12)',
  accent: '#38d3ff',
  accent2: '#2f7bff',
  warn: '#ffb020',
  bad: '#ff3b4f',
  good: '#3ddc97',
};

/** A real family list: canvas text ignores a font whose family is 'inherit' and falls back to 10px. */
export const CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
const font = (px: number, size: number, color = THEME.dim) => ({ color, fontSize: Math.round(size * px), fontFamily: CHART_FONT });

/** Cases reported today by hour (Asia/Shanghai), bars up to the current hour. */
export function byHourOption(byHour: number[], currentHour: number, px: number): EChartsCoreOption {
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const data = hours.map((_, h) => ({
    value: h <= currentHour ? (byHour[h] ?? 0) : null,
    itemStyle: { color: h === currentHour ? THEME.warn : THEME.accent, borderRadius: [2 * px, 2 * px, 0, 0] },
  }));
  return {
    animation: false,
    grid: { left: 36 * px, right: 8 * px, top: 14 * px, bottom: 24 * px },
    tooltip: { trigger: 'axis', textStyle: font(px, 15, '#fff'), backgroundColor: 'rgba(8,20,40,0.92)', borderColor: THEME.axis },
    xAxis: {
      type: 'category',
      data: hours,
      axisLine: { lineStyle: { color: THEME.axis } },
      axisTick: { show: false },
      axisLabel: { ...font(px, 13), interval: 2 },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 3,
      axisLabel: font(px, 13),
      splitLine: { lineStyle: { color: THEME.split } },
    },
    series: [{ type: 'bar', data, barWidth: '62%' }],
  };
}

/** Events per second over the last minutes, one sample per second. */
/** Shortest span of the events-rate time axis: one sample must not be a point on a bare axis. */
export const RATE_MIN_SPAN_MS = 60_000;

/**
 * The span of the events-rate axis: from the first sample to the last (at least a minute). Without
 * it ECharts draws its own default span, days wide, around one sample or none (issue 15, item 9).
 * Null when there is no sample: the chart says so instead of drawing an axis.
 */
export function rateAxisRange(series: readonly [number, number][]): { min: number; max: number } | null {
  if (series.length === 0) return null;
  const min = series[0][0];
  return { min, max: Math.max(series[series.length - 1][0], min + RATE_MIN_SPAN_MS) };
}

/** Events per second over the samples kept; `emptyText` shows when there are none yet. */
export function eventsRateOption(series: [number, number][], px: number, formatTime: (t: number) => string, emptyText = ''): EChartsCoreOption {
  const range = rateAxisRange(series);
  return {
    animation: false,
    grid: { left: 44 * px, right: 14 * px, top: 14 * px, bottom: 24 * px },
    tooltip: { trigger: 'axis', textStyle: font(px, 15, '#fff'), backgroundColor: 'rgba(8,20,40,0.92)', borderColor: THEME.axis },
    graphic: range ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: emptyText, fill: THEME.dim, font: `${Math.round(15 * px)}px ${CHART_FONT}` } }],
    xAxis: {
      type: 'time',
      show: range !== null,
      ...(range ?? {}),
      axisLine: { lineStyle: { color: THEME.axis } },
      axisLabel: { ...font(px, 13), formatter: (v: number) => formatTime(v), hideOverlap: true },
      splitLine: { show: false },
      minInterval: 60_000,
    },
    yAxis: { type: 'value', show: range !== null, min: 0, splitNumber: 3, axisLabel: font(px, 13), splitLine: { lineStyle: { color: THEME.split } } },
    series: [
      {
        type: 'line',
        data: series,
        showSymbol: false,
        smooth: 0.3,
        lineStyle: { color: THEME.accent, width: 2 * px },
        areaStyle: {
          color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: 'rgba(56,211,255,0.45)' }, { offset: 1, color: 'rgba(56,211,255,0.02)' }] },
        },
      },
    ],
  };
}

/** Horizontal ranking bars (e.g. open cases per township), biggest on top. */
export function rankingOption(rows: { name: string; value: number }[], px: number, max = 10): EChartsCoreOption {
  const top = [...rows].sort((a, b) => b.value - a.value || a.name.localeCompare(b.name)).slice(0, max).reverse();
  return {
    animation: false,
    grid: { left: 8 * px, right: 40 * px, top: 4 * px, bottom: 4 * px, containLabel: true },
    xAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(1, v.max) },
    yAxis: {
      type: 'category',
      data: top.map((r) => r.name),
      axisLine: { show: false },
      axisTick: { show: false },
      // Every name, always: a skipped label would put the next name beside the wrong bar.
      axisLabel: { ...font(px, 14, THEME.text), interval: 0 },
    },
    series: [
      {
        type: 'bar',
        data: top.map((r) => r.value),
        barWidth: '56%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(120,170,230,0.08)' },
        itemStyle: {
          borderRadius: 2 * px,
          color: { type: 'linear', x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: THEME.accent2 }, { offset: 1, color: THEME.accent }] },
        },
        label: { show: true, position: 'right', ...font(px, 14, THEME.text) },
      },
    ],
  };
}

/** Open cases per source as a ring. */
/**
 * Open cases by source as a donut. With no open case (a quiet township) the ring stays, empty and
 * grey, and the legend still lists every source, so the panel reads as "none" rather than broken;
 * the 暂无数据 text inside the ring is the caller's (BySourceChart), in the page's language.
 */
export function bySourceOption(bySource: Record<string, number>, names: (k: string) => string, px: number): EChartsCoreOption {
  const colors = ['#38d3ff', '#2f7bff', '#8b6bff', '#3ddc97', '#ffb020', '#ff7a45', '#d0e4ff'];
  const data = Object.entries(bySource)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => ({ name: names(k), value: v }));
  const empty = data.length === 0;
  const ring = { type: 'pie', radius: ['48%', '78%'], center: ['28%', '50%'], label: { show: false } };
  return {
    animation: false,
    color: colors,
    tooltip: { trigger: 'item', show: !empty, textStyle: font(px, 15, '#fff'), backgroundColor: 'rgba(8,20,40,0.92)', borderColor: THEME.axis },
    legend: {
      orient: 'vertical', right: 0, top: 'middle', itemWidth: 12 * px, itemHeight: 12 * px, itemGap: 7 * px, textStyle: font(px, 14, THEME.text),
      ...(empty ? { data: CASE_SOURCES.map(names), selectedMode: false } : {}),
    },
    series: empty
      ? [
          // Zero-valued sources feed the legend and draw nothing; the second ring is the grey outline.
          { ...ring, stillShowZeroSum: false, data: CASE_SOURCES.map((k) => ({ name: names(k), value: 0 })) },
          { ...ring, silent: true, legendHoverLink: false, itemStyle: { color: 'rgba(143,176,214,0.18)' }, data: [{ name: '', value: 1 }] },
        ]
      : [{ ...ring, itemStyle: { borderColor: '#061226', borderWidth: 2 * px }, data }],
  };
}
