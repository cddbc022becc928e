// HTTP of decision analysis (/api/analysis*): polled by the analysis sheet.
import type { Bucket, HotSpot, Trend } from '../../../core/analysis.ts';
import type { HealthSeries } from '../../../core/device-health.ts';
import type { CaseState } from '../../../core/cases/model.ts';
import { getData } from '../realtime/http.ts';

export interface Analysis {
  scope: string;
  from: number;
  to: number;
  trend: Trend;
  hotspots: HotSpot[];
}

/** A drill-down: a breakdown row (by + key), a measure, or a hot spot's case ids, over a window. */
export interface Drill {
  label: string;
  from: number;
  to: number;
  by?: 'township' | 'department' | 'source' | 'class';
  key?: string;
  measure?: 'reported' | 'closed' | 'overdue' | 'open';
  ids?: string[];
}

export const fetchAnalysis = (scope: string, from: number, to: number, signal?: AbortSignal) =>
  getData<Analysis>(`/api/analysis?${new URLSearchParams({ scope, from: String(from), to: String(to) })}`, signal);

export function fetchDrill(scope: string, d: Drill, signal?: AbortSignal): Promise<CaseState[]> {
  const q = new URLSearchParams({ scope, from: String(d.from), to: String(d.to) });
  if (d.by && d.key !== undefined) {
    q.set('by', d.by);
    q.set('key', d.key);
  }
  if (d.measure) q.set('measure', d.measure);
  if (d.ids) q.set('ids', d.ids.join(','));
  return getData<CaseState[]>(`/api/analysis/cases?${q}`, signal);
}

/** Online rate per device kind and bucket (district-wide: device counts are not kept per area). */
/** Positions of every case reported in a window (lon,lat pairs), for the density map. */
export interface CasePoints {
  count: number;
  truncated: boolean;
  lonlat: number[];
}
export const fetchCasePoints = (scope: string, from: number, to: number, signal?: AbortSignal) =>
  getData<CasePoints>(`/api/analysis/points?${new URLSearchParams({ scope, from: String(from), to: String(to) })}`, signal);

export interface DeviceHealth {
  from: number;
  to: number;
  bucket: Bucket;
  series: HealthSeries;
}

export const fetchDeviceHealth = (from: number, to: number, bucket: Bucket, signal?: AbortSignal) =>
  getData<DeviceHealth>(`/api/analysis/device-health?${new URLSearchParams({ from: String(from), to: String(to), bucket })}`, signal);
