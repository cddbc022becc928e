// Device health over time (设备健康趋势) for decision analysis: the server samples each device kind's
// status counts every minute; these functions turn the samples into online-rate series per
// Asia/Shanghai hour/day/week. Pure: samples and windows are passed in.
import { bucketStart, nextBucket, type Bucket } from './analysis.ts';
import { DEVICE_KINDS, onlineRate, type DeviceKind, type StatusCounts } from './domain.ts';

/** One device kind's status counts at one moment. */
export interface HealthSample {
  ts: number;
  kind: DeviceKind;
  counts: StatusCounts;
}

/**
 * Samples of one kind summed together; a single sample is a tally of one. The store sums each hour
 * in SQL (hours nest in days and weeks), so a year is read as ~9,000 rows per kind, not ~500,000.
 */
export interface HealthTally {
  /** Time of the earliest sample in the tally. */
  ts: number;
  kind: DeviceKind;
  samples: number;
  /** Samples taken while the kind had devices: only those have an online rate. */
  rated: number;
  rateSum: number;
  rateMin: number | null;
  faultSum: number;
  alarmSum: number;
}

/** One bucket of one kind. With no samples every figure is null: a gap, not 0 %. */
export interface HealthPoint {
  /** Bucket start, UTC ms. */
  t: number;
  /** Average online rate over the bucket's samples. */
  onlineRate: number | null;
  minOnlineRate: number | null;
  /** Average number of devices at fault / raising an alarm. */
  fault: number | null;
  alarm: number | null;
  samples: number;
}

export type HealthSeries = Partial<Record<DeviceKind, HealthPoint[]>>;

export function tallyOf(s: HealthSample): HealthTally {
  const rate = onlineRate(s.counts);
  return {
    ts: s.ts,
    kind: s.kind,
    samples: 1,
    rated: rate === null ? 0 : 1,
    rateSum: rate ?? 0,
    rateMin: rate,
    faultSum: s.counts.fault,
    alarmSum: s.counts.alarm,
  };
}

/** Per kind, one point per bucket of [from, to) from the tallies whose time falls in the window. */
export function healthSeries(tallies: Iterable<HealthTally>, from: number, to: number, bucket: Bucket, kinds: readonly DeviceKind[] = DEVICE_KINDS): HealthSeries {
  const starts: number[] = [];
  for (let s = bucketStart(from, bucket); s < to; s = nextBucket(s, bucket)) starts.push(s);
  const sums = new Map<DeviceKind, Map<number, Omit<HealthTally, 'ts' | 'kind'>>>(kinds.map((k) => [k, new Map()]));
  for (const x of tallies) {
    const byStart = sums.get(x.kind);
    if (!byStart || x.ts < from || x.ts >= to || x.samples === 0) continue;
    const start = bucketStart(x.ts, bucket);
    const acc = byStart.get(start);
    if (!acc) {
      byStart.set(start, { samples: x.samples, rated: x.rated, rateSum: x.rateSum, rateMin: x.rateMin, faultSum: x.faultSum, alarmSum: x.alarmSum });
      continue;
    }
    acc.samples += x.samples;
    acc.rated += x.rated;
    acc.rateSum += x.rateSum;
    if (x.rateMin !== null && (acc.rateMin === null || x.rateMin < acc.rateMin)) acc.rateMin = x.rateMin;
    acc.faultSum += x.faultSum;
    acc.alarmSum += x.alarmSum;
  }
  const out: HealthSeries = {};
  for (const [kind, byStart] of sums) {
    out[kind] = starts.map((t) => {
      const a = byStart.get(t);
      if (!a) return { t, onlineRate: null, minOnlineRate: null, fault: null, alarm: null, samples: 0 };
      return { t, onlineRate: a.rated ? a.rateSum / a.rated : null, minOnlineRate: a.rateMin, fault: a.faultSum / a.samples, alarm: a.alarmSum / a.samples, samples: a.samples };
    });
  }
  return out;
}

/** Samples straight into series (tests, and callers without a pre-summing store). */
export function samplesSeries(samples: readonly HealthSample[], from: number, to: number, bucket: Bucket, kinds?: readonly DeviceKind[]): HealthSeries {
  return healthSeries(samples.map(tallyOf), from, to, bucket, kinds);
}

/** A whole window of one kind: average online rate (weighted by each bucket's samples) and the minimum. */
export function windowHealth(points: readonly HealthPoint[]): { onlineRate: number | null; minOnlineRate: number | null; samples: number } {
  let weighted = 0;
  let weight = 0;
  let min: number | null = null;
  let samples = 0;
  for (const p of points) {
    samples += p.samples;
    if (p.onlineRate !== null) {
      weighted += p.onlineRate * p.samples;
      weight += p.samples;
    }
    if (p.minOnlineRate !== null && (min === null || p.minOnlineRate < min)) min = p.minOnlineRate;
  }
  return { onlineRate: weight ? weighted / weight : null, minOnlineRate: min, samples };
}
