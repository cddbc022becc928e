// Sensor and video alarms: their own lifecycle (active → acknowledged → cleared) and the rules that
// open a case for an alarm or attach it to one already open nearby (duplicates near in space and
// time merge into one case). Pure: the caller supplies the open cases and the time.
import type { CaseState } from './cases/model.ts';
import { OPEN_STAGES } from './cases/model.ts';
import type { SensorMetric } from './taxonomy.ts';
import { distanceM } from './geo.ts';
import { FLOOD_EVENT_CLASS, GAUGE_CLASS } from './flood.ts';

export type AlarmKind = 'video' | 'sensor';
export const ALARM_STATUSES = ['active', 'acknowledged', 'cleared'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];

export interface AlarmState {
  id: string;
  kind: AlarmKind;
  deviceKind: 'camera' | 'component';
  deviceId: string;
  deviceIndex: number;
  eventClass: string;
  metric: SensorMetric | null;
  value: number | null;
  confidence: number | null;
  lon: number;
  lat: number;
  gridIndex: number;
  townshipCode: string;
  communityCode: string;
  raisedAt: number;
  status: AlarmStatus;
  /** Repeated detections of the same thing by the same device, folded into this alarm. */
  repeats: number;
  ackAt: number | null;
  ackBy: string | null;
  clearedAt: number | null;
  clearedBy: string | null;
  caseId: string | null;
  updatedAt: number;
}

export interface AlarmRules {
  /** A detection by the same device of the same class within this window repeats the open alarm. */
  repeatWindowMs: number;
  /** An alarm joins an open case of the same class within this distance… */
  mergeRadiusM: number;
  /** …reported within this window before the alarm. */
  mergeWindowMs: number;
}

export const DEFAULT_ALARM_RULES: AlarmRules = { repeatWindowMs: 10 * 60_000, mergeRadiusM: 100, mergeWindowMs: 2 * 3_600_000 };

/** Event class a sensor alarm of each metric reports (taxonomy.ts). */
export const SENSOR_EVENT_CLASS: Record<SensorMetric, string> = {
  'water-level': '0503',
  'cover-tilt': '0601',
  smoke: '0504',
  gas: '0505',
  'lamp-power': '0602',
};

/**
 * The event class of a component's sensor alarm: an embankment gauge's water level is the river's
 * (超警戒, or 超保证 for its `severe` alarm), any other component's is its metric's class. Null: the
 * component has no severe alarm.
 */
export function sensorAlarmClass(componentClass: string, metric: SensorMetric, severe = false): string | null {
  if (componentClass === GAUGE_CLASS && metric === 'water-level') return severe ? FLOOD_EVENT_CLASS.guarantee : FLOOD_EVENT_CLASS.warning;
  return severe ? null : SENSOR_EVENT_CLASS[metric];
}

/** Metrics whose alarms are urgent (danger to life or property). */
export const URGENT_METRICS: ReadonlySet<SensorMetric> = new Set(['water-level', 'smoke', 'gas']);

/** The open alarm a new detection repeats (same device, same class, still open, recent), if any. */
export function repeatOf(open: Iterable<AlarmState>, deviceId: string, eventClass: string, at: number, rules: AlarmRules): AlarmState | null {
  for (const a of open) {
    if (a.deviceId === deviceId && a.eventClass === eventClass && a.status !== 'cleared' && at - a.updatedAt <= rules.repeatWindowMs) return a;
  }
  return null;
}

/** The open case an alarm joins: same class, within the radius, reported recently; the nearest wins. */
export function caseToJoin(cases: Iterable<CaseState>, alarm: Pick<AlarmState, 'eventClass' | 'lon' | 'lat' | 'raisedAt'>, rules: AlarmRules): CaseState | null {
  let best: CaseState | null = null;
  let bestD = Infinity;
  for (const c of cases) {
    if (!OPEN_STAGES.has(c.stage) || c.eventClass !== alarm.eventClass) continue;
    if (alarm.raisedAt - c.reportedAt > rules.mergeWindowMs || c.reportedAt > alarm.raisedAt + 60_000) continue;
    const d = distanceM([c.lon, c.lat], [alarm.lon, alarm.lat]);
    if (d <= rules.mergeRadiusM && d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

export type AlarmTransition = 'acknowledge' | 'clear';

/** Checks an operator's action on an alarm; returns the problem or null. */
export function alarmActionProblem(a: AlarmState, action: AlarmTransition): string | null {
  if (a.status === 'cleared') return `alarm ${a.id} is already cleared`;
  if (action === 'acknowledge' && a.status === 'acknowledged') return `alarm ${a.id} is already acknowledged`;
  return null;
}
