// Storage of device health samples: one row per device kind per sample, read back summed per hour.
// SQLite for one process (sqlite-health-store.ts), the cluster's PostgreSQL (pg-health-store.ts).
import type { HealthTally } from '../../core/device-health.ts';
import type { DeviceKind, StatusCounts } from '../../core/domain.ts';

export interface DeviceHealthStore {
  /** Records every kind's counts taken at `ts`; a second sample at the same `ts` replaces the first. */
  record(ts: number, counts: Partial<Record<DeviceKind, StatusCounts>>): Promise<void>;
  /** The samples of [from, to) summed per kind and clock hour (of one kind, or all). */
  hourlyTallies(from: number, to: number, kind?: DeviceKind): Promise<HealthTally[]>;
  /** Drops the samples taken before `ts`; returns how many rows went. */
  dropBefore(ts: number): Promise<number>;
  close(): Promise<void>;
}
