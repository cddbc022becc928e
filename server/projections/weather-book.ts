// Weather observations by station: the latest of each and a short history (the panel's rain and
// temperature trend), evolved from the logged `weather:observed` events in order.
import type { WeatherObservation } from '../../core/weather.ts';

/** Observations kept per station: a day at one every 30 minutes. */
export const OBSERVATIONS_KEPT = 48;

export class WeatherBook {
  private readonly byStation = new Map<string, WeatherObservation[]>();
  private changed: WeatherObservation[] = [];

  /** Applies one observation; an older one than the station's latest joins the history in its place. */
  apply(o: WeatherObservation): void {
    const list = this.byStation.get(o.stationId) ?? [];
    if (list.some((x) => x.ts === o.ts)) return; // a resent observation
    list.push(o);
    list.sort((a, b) => a.ts - b.ts);
    if (list.length > OBSERVATIONS_KEPT) list.splice(0, list.length - OBSERVATIONS_KEPT);
    this.byStation.set(o.stationId, list);
    this.changed.push(o);
  }

  /** Every station's observations kept, oldest first. */
  all(): WeatherObservation[] {
    return [...this.byStation.values()].flat();
  }

  latest(stationId: string): WeatherObservation | undefined {
    return this.byStation.get(stationId)?.at(-1);
  }

  /** The observations applied since the last call (for the realtime delta). */
  takeChanged(): WeatherObservation[] {
    const out = this.changed;
    this.changed = [];
    return out;
  }

  exportState(): WeatherObservation[] {
    return this.all();
  }

  importState(list: readonly WeatherObservation[]): void {
    this.byStation.clear();
    for (const o of list) this.apply(o);
    this.changed = [];
  }
}
