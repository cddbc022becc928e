// Patrol tracks of grid workers in the current shift: each worker's reported positions sampled at
// most every `sampleMs` (by record time, so a rebuild from the log gives the same tracks), restarted
// when a record falls in a new shift, bounded per worker.
import type { DeviceRecord } from '../../core/protocol.ts';
import { shiftAt, type Shift } from '../../core/shifts.ts';

export interface TrackPoint {
  ts: number;
  lon: number;
  lat: number;
}

export interface WorkerTracksCheckpoint {
  shift: number[];
  points: number[][]; // flattened ts, lon, lat
}

export class WorkerTracks {
  private readonly shiftStart: Float64Array;
  private readonly points: number[][];
  readonly maxPoints: number;

  constructor(
    count: number,
    private readonly shifts: readonly Shift[],
    private readonly sampleMs = 30_000,
  ) {
    this.shiftStart = new Float64Array(count).fill(-1);
    this.points = Array.from({ length: count }, () => []);
    // The longest shift sampled at the rate, plus slack.
    this.maxPoints = Math.ceil((24 * 3_600_000) / sampleMs) + 16;
  }

  apply(i: number, r: DeviceRecord): void {
    if (r.lon === undefined || r.lat === undefined || i < 0 || i >= this.points.length) return;
    const start = shiftAt(r.ts, this.shifts).start;
    const track = this.points[i];
    if (this.shiftStart[i] !== start) {
      if (start < this.shiftStart[i]) return; // a late record from an earlier shift
      this.shiftStart[i] = start;
      track.length = 0;
    }
    const lastTs = track.length ? track[track.length - 3] : -Infinity;
    if (r.ts - lastTs < this.sampleMs) return;
    if (track.length / 3 >= this.maxPoints) track.splice(0, 3);
    track.push(r.ts, r.lon, r.lat);
  }

  /** The worker's track in the shift containing `now` (empty when its last sample is from another shift). */
  track(i: number, now: number): TrackPoint[] {
    if (this.shiftStart[i] !== shiftAt(now, this.shifts).start) return [];
    const t = this.points[i];
    const out: TrackPoint[] = [];
    for (let k = 0; k < t.length; k += 3) out.push({ ts: t[k], lon: t[k + 1], lat: t[k + 2] });
    return out;
  }

  exportState(): WorkerTracksCheckpoint {
    return { shift: [...this.shiftStart], points: this.points.map((p) => p.slice()) };
  }

  importState(cp: WorkerTracksCheckpoint): void {
    if (cp.shift.length !== this.shiftStart.length) throw new Error(`checkpoint has tracks of ${cp.shift.length} workers, expected ${this.shiftStart.length}`);
    this.shiftStart.set(cp.shift);
    cp.points.forEach((p, i) => (this.points[i] = p.slice()));
  }
}
