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

/** Counts each status in a status array (one byte per device). */
export function countStatuses(statuses: Uint8Array): StatusCounts {
  const tally = [0, 0, 0, 0];
  for (let i = 0; i < statuses.length; i++) tally[statuses[i]]++;
  return { total: statuses.length, online: tally[0], offline: tally[1], fault: tally[2], alarm: tally[3] };
}

export const CASE_SOURCES = ['patrol', 'hotline-12345', 'hotline-12319', 'video-ai', 'sensor', 'citizen', 'city-brain'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** Coarse case stages for this slice; the full GB/T 30428 lifecycle lives in the case state machine. */
export const CASE_STAGES = ['reported', 'filed', 'dispatched', 'handling', 'handled', 'closed', 'voided'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const OPEN_STAGES: ReadonlySet<CaseStage> = new Set(['reported', 'filed', 'dispatched', 'handling', 'handled']);

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** What the dashboard and KPIs need of a case. */
export interface CaseSummary {
  id: string;
  source: CaseSource;
  eventClass: string; // 4-digit event class code, see taxonomy.ts
  title: string;
  stage: CaseStage;
  urgency: Urgency;
  lon: number;
  lat: number;
  gridIndex: number; // -1 when outside every grid
  townshipCode: string;
  reportedAt: number; // UTC ms
  deadline: number | null; // UTC ms, null when not yet dispatched
  closedAt: number | null;
  updatedAt: number;
  hotlineOrderNo?: string;
}

export function isOverdue(c: Pick<CaseSummary, 'stage' | 'deadline'>, now: number): boolean {
  return OPEN_STAGES.has(c.stage) && c.deadline !== null && now > c.deadline;
}

/** A source of time, passed in so domain logic stays clock-free and testable. */
export interface Clock {
  now(): number;
}

/** Start of the Asia/Shanghai calendar day (UTC+8, no DST) containing `t`, as UTC ms. */
export function shanghaiDayStart(t: number): number {
  const offset = 8 * 3600_000;
  return Math.floor((t + offset) / 86_400_000) * 86_400_000 - offset;
}

/** Hour of day 0..23 in Asia/Shanghai. */
export function shanghaiHour(t: number): number {
  return Math.floor(((t + 8 * 3600_000) % 86_400_000) / 3600_000);
}
