// The embankment gauges' latest stage readings for the flood panel: which gauges are gauges, and
// which read since the realtime hub last asked. The readings themselves are the sensor book's
// (its rings are checkpointed and rebuilt from the log), so nothing here needs saving.
import { trendBase, type GaugeReading } from '../../core/flood.ts';
import type { SensorBook } from './sensor-book.ts';

export class GaugeBook {
  private changed = new Set<number>();

  constructor(readonly gauges: ReadonlySet<number>, private readonly sensors: () => SensorBook) {}

  /** Component i reported a reading. */
  read(i: number): void {
    if (this.gauges.has(i)) this.changed.add(i);
  }

  private view(i: number): GaugeReading | null {
    const list = this.sensors().readings(i);
    const last = list.at(-1);
    if (!last) return null;
    const prev = trendBase(list);
    return { index: i, ts: last.ts, value: last.value, prevTs: prev?.ts ?? null, prevValue: prev?.value ?? null };
  }

  /** The latest reading of every gauge that has reported. */
  all(): GaugeReading[] {
    const out: GaugeReading[] = [];
    for (const i of this.gauges) {
      const v = this.view(i);
      if (v) out.push(v);
    }
    return out;
  }

  takeChanged(): GaugeReading[] {
    const out: GaugeReading[] = [];
    for (const i of this.changed) {
      const v = this.view(i);
      if (v) out.push(v);
    }
    this.changed.clear();
    return out;
  }
}
