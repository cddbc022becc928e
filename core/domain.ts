// Domain vocabulary shared by server, client and simulator. Pure: no I/O, no clock.

/** The device layers drawn on the map and counted in the KPIs. Order is stable (used as array index). */
export const DEVICE_KINDS = ['camera', 'lookout', 'drone', 'broadcast', 'component', 'worker'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Kinds whose position moves and is carried in deltas. */
export const MOVING_KINDS = ['drone', 'worker'] as const;
export type MovingKind = (typeof MOVING_KINDS)[number];

/**
 * Device status as one byte, so 100,000 components fit a Uint8Array snapshot and a delta is
 * (index, status) pairs. For city components "online" reads as "normal" and "fault" as "damaged".
 */
export const DEVICE_STATUSES = ['online', 'offline', 'fault', 'alarm'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const STATUS_CODE: Record<DeviceStatus, number> = { online: 0, offline: 1, fault: 2, alarm: 3 };
export const STATUS_COUNT = DEVICE_STATUSES.length;

export function statusName(code: number): DeviceStatus {
  return DEVICE_STATUSES[code] ?? 'offline';
}

export type StatusCounts = Record<DeviceStatus, number> & { total: number };

export function emptyStatusCounts(): StatusCounts {
  return { total: 0, online: 0, offline: 0, fault: 0, alarm: 0 };
}

/**
 * Share of a kind's devices that are online, as the KPI tiles and device health count it: status
 * "online" only (a device raising an alarm or at fault is not). Null when the kind has no devices.
 */
export function onlineRate(c: StatusCounts): number | null {
  return c.total > 0 ? c.online / c.total : null;
}

/** Counts each status in a status array (one byte per device). */
export function countStatuses(statuses: Uint8Array): StatusCounts {
  const tally = [0, 0, 0, 0];
  for (let i = 0; i < statuses.length; i++) tally[statuses[i]]++;
  return { total: statuses.length, online: tally[0], offline: tally[1], fault: tally[2], alarm: tally[3] };
}

// The case vocabulary lives with the case lifecycle (core/cases/); re-exported for convenience.
export { CASE_SOURCES, CASE_STAGES, OPEN_STAGES, URGENCIES, isOverdue, isWarning } from './cases/model.ts';
export type { CaseSource, CaseStage, Urgency, CaseState } from './cases/model.ts';
/** What the dashboard receives of a case: its whole state (the timeline is fetched on demand). */
export type { CaseState as CaseSummary } from './cases/model.ts';

/** A source of time, passed in so domain logic stays clock-free and testable. */
export interface Clock {
  now(): number;
}

// Kept here for the modules that import them from the domain; defined in core/time.ts.
export { shanghaiDayStart, shanghaiHour } from './time.ts';
