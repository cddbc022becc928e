// Device health over time: samples the projector's live status counts into the store, keeps 400
// days of them, and answers the analysis sheet's online-rate series.
import type { Bucket } from '../../core/analysis.ts';
import { healthSeries, type HealthSeries } from '../../core/device-health.ts';
import { DEVICE_KINDS, type Clock, type DeviceKind, type StatusCounts } from '../../core/domain.ts';
import type { DeviceHealthStore } from './health-store.ts';

export const HEALTH_RETENTION_MS = 400 * 86_400_000;

export class DeviceHealthService {
  constructor(
    private readonly store: DeviceHealthStore,
    private readonly counts: () => Record<DeviceKind, StatusCounts>,
    private readonly clock: Clock,
  ) {}

  /** Records every kind's counts now and drops what has aged out; returns the sample's time. */
  async sampleNow(): Promise<number> {
    const ts = this.clock.now();
    await this.store.record(ts, this.counts());
    await this.store.dropBefore(ts - HEALTH_RETENTION_MS);
    return ts;
  }

  async series(from: number, to: number, bucket: Bucket, kind?: DeviceKind): Promise<HealthSeries> {
    return healthSeries(await this.store.hourlyTallies(from, to, kind), from, to, bucket, kind ? [kind] : DEVICE_KINDS);
  }
}
