// ECharts options of the analysis sheet (pure, unit-tested in node): the case trend (this period's
// reported and closed cases per bucket as bars and a line, the previous period's reported as a
// dashed line) and the device health trend (online rate per device kind).
import type { EChartsCoreOption } from 'echarts/core';
import type { Trend } from '../../../core/analysis.ts';
import type { HealthSeries } from '../../../core/device-health.ts';
import { DEVICE_KINDS, type DeviceKind } from '../../../core/domain.ts';
import { CHART_FONT, THEME } from '../panels/options.ts';
import { cssColor } from '../state/colors.ts';

const font = (px: number, size: number, color = THEME.dim) => ({ color, fontSize: Math.round(size * px), fontFamily: CHART_FONT });

export interface TrendLabels {
  reported: string;
  closed: string;
  overdue: string;
  previous: string;
}

export function trendOption(t: Trend, labels: TrendLabels, px: number, formatBucket: (start: number) => string): EChartsCoreOption {
  const x = t.current.map((p) => formatBucket(p.start));
  // The previous period aligned bucket by bucket (same count: the window is shifted by its length).
  const prev = t.current.map((_, i) => t.previous[i]?.reported ?? null);
  return {
    animation: false,
    grid: { left: 44 * px, right: 16 * px, top: 36 * px, bottom: 28 * px },
    legend: { top: 0, textStyle: font(px, 14, THEME.text), itemWidth: 18 * px, itemHeight: 10 * px },
    tooltip: { trigger: 'axis', textStyle: font(px, 15, '#fff'), backgroundColor: 'rgba(8,20,40,0.92)', borderColor: THEME.axis },
    xAxis: { type: 'category', data: x, axisLine: { lineStyle: { color: THEME.axis } }, axisTick: { show: false }, axisLabel: { ...font(px, 13), hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 4, axisLabel: font(px, 13), splitLine: { lineStyle: { color: THEME.split } } },
    series: [
      { name: labels.reported, type: 'bar', data: t.current.map((p) => p.reported), itemStyle: { color: THEME.accent, borderRadius: [2 * px, 2 * px, 0, 0] }, barMaxWidth: 28 * px },
      { name: labels.closed, type: 'line', data: t.current.map((p) => p.closed), itemStyle: { color: THEME.good }, lineStyle: { width: 2 * px }, symbolSize: 5 * px },
      { name: labels.overdue, type: 'line', data: t.current.map((p) => p.overdue), itemStyle: { color: THEME.bad }, lineStyle: { width: 2 * px }, symbolSize: 5 * px },
      { name: labels.previous, type: 'line', data: prev, itemStyle: { color: THEME.dim }, lineStyle: { width: 2 * px, type: 'dashed' }, symbol: 'none' },
    ],
  };
}

/** Change against the previous period as a signed percentage, or null when there is nothing to compare with. */
export function changeRatio(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

export interface HealthFormat {
  kind: (k: DeviceKind) => string;
  bucket: (start: number) => string;
  rate: (r: number) => string;
}

/**
 * Online rate per device kind and bucket, one line per kind in its map colour. Buckets without
 * samples are null, so the line breaks there instead of dropping to 0 %. The axis starts at the
 * tenth below the lowest rate (90 % at most), so 97 % and 99 % do not look alike.
 */
export function deviceHealthOption(series: HealthSeries, f: HealthFormat, px: number): EChartsCoreOption {
  const kinds = DEVICE_KINDS.filter((k) => series[k]);
  const x = (series[kinds[0]] ?? []).map((p) => f.bucket(p.t));
  let lowest = 1;
  for (const k of kinds) for (const p of series[k]!) if (p.onlineRate !== null && p.onlineRate < lowest) lowest = p.onlineRate;
  return {
    animation: false,
    grid: { left: 48 * px, right: 12 * px, top: 52 * px, bottom: 24 * px },
    legend: { top: 0, textStyle: font(px, 13, THEME.text), itemWidth: 14 * px, itemHeight: 8 * px, itemGap: 8 * px },
    tooltip: { trigger: 'axis', textStyle: font(px, 15, '#fff'), backgroundColor: 'rgba(8,20,40,0.92)', borderColor: THEME.axis, valueFormatter: (v: unknown) => (typeof v === 'number' ? f.rate(v) : '—') },
    xAxis: { type: 'category', data: x, axisLine: { lineStyle: { color: THEME.axis } }, axisTick: { show: false }, axisLabel: { ...font(px, 13), hideOverlap: true } },
    yAxis: { type: 'value', min: Math.min(0.9, Math.floor(lowest * 10) / 10), max: 1, splitNumber: 4, axisLabel: { ...font(px, 13), formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { lineStyle: { color: THEME.split } } },
    series: kinds.map((k) => ({
      name: f.kind(k),
      type: 'line',
      data: series[k]!.map((p) => p.onlineRate),
      connectNulls: false,
      itemStyle: { color: cssColor(k) },
      lineStyle: { width: 2 * px },
      symbolSize: 5 * px,
    })),
  };
}
