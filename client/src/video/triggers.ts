// What brings cameras up on the wall by itself, pure: a new video-AI alarm, or a new urgent case.
import type { AlarmState } from '../../../core/alarms.ts';
import { OPEN_STAGES, type CaseSummary } from '../../../core/domain.ts';

export interface VideoTrigger {
  /** `alarm:<id>` / `case:<id>`: each fires once. */
  key: string;
  reason: 'alarm' | 'case';
  lon: number;
  lat: number;
  at: number;
}

/**
 * Active video alarms raised and open urgent cases reported at or after `since` that are not in
 * `seen`, oldest first (so the newest ends up on the wall last, i.e. replaced last).
 */
export function newTriggers(alarms: Iterable<AlarmState>, cases: Iterable<CaseSummary>, seen: ReadonlySet<string>, since: number): VideoTrigger[] {
  const out: VideoTrigger[] = [];
  for (const a of alarms) {
    const key = `alarm:${a.id}`;
    if (a.kind === 'video' && a.status === 'active' && a.raisedAt >= since && !seen.has(key)) out.push({ key, reason: 'alarm', lon: a.lon, lat: a.lat, at: a.raisedAt });
  }
  for (const c of cases) {
    const key = `case:${c.id}`;
    if (c.urgency === 'urgent' && OPEN_STAGES.has(c.stage) && c.reportedAt >= since && !seen.has(key)) out.push({ key, reason: 'case', lon: c.lon, lat: c.lat, at: c.reportedAt });
  }
  return out.sort((a, b) => a.at - b.at);
}
