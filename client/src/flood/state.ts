// The flood slice of the live store: the gauges' levels and latest stages, the weather stations and
// their recent observations, from snapshots and deltas. Pure updaters; knows nothing of the store
// that composes it. The river and the weather are the whole district's: no scope filter.
import type { FloodLevels, GaugeReading } from '../../../core/flood.ts';
import type { WeatherObservation, WeatherStation } from '../../../core/weather.ts';
import type { Delta, Snapshot } from '../../../core/protocol.ts';

/** Observations kept per station on the screen (the server keeps as many). */
export const OBSERVATIONS_SHOWN = 48;

export interface FloodState {
  floodLevels: FloodLevels | null;
  /** Latest stage by gauge (component index). */
  gauges: Map<number, GaugeReading>;
  weatherStations: WeatherStation[];
  /** Observations by station, oldest first. */
  observations: Map<string, WeatherObservation[]>;
  floodVersion: number;
}

export const initFlood = (): FloodState => ({ floodLevels: null, gauges: new Map(), weatherStations: [], observations: new Map(), floodVersion: 0 });

/** A new list each time, so a selector of a station's series sees it change. */
function addObservation(s: FloodState, o: WeatherObservation): void {
  const had = s.observations.get(o.stationId) ?? [];
  if (had.some((x) => x.ts === o.ts)) return;
  const list = [...had, o];
  list.sort((a, b) => a.ts - b.ts);
  if (list.length > OBSERVATIONS_SHOWN) list.splice(0, list.length - OBSERVATIONS_SHOWN);
  s.observations.set(o.stationId, list);
}

/** A snapshot replaces everything (an older server sends neither part: the panel then says so). */
export function applyFloodSnapshot(s: FloodState, snap: Pick<Snapshot, 'flood' | 'weather'>): void {
  s.floodLevels = snap.flood?.levels ?? null;
  s.gauges = new Map((snap.flood?.gauges ?? []).map((g) => [g.index, g]));
  s.weatherStations = snap.weather?.stations ?? [];
  s.observations = new Map();
  for (const o of snap.weather?.observations ?? []) addObservation(s, o);
  s.floodVersion++;
}

/** A delta's new stages and observations; an older stage never replaces a newer one. */
export function applyFloodDelta(s: FloodState, d: Pick<Delta, 'gauges' | 'weather'>): void {
  if (!d.gauges?.length && !d.weather?.length) return;
  for (const g of d.gauges ?? []) {
    const cur = s.gauges.get(g.index);
    if (!cur || cur.ts <= g.ts) s.gauges.set(g.index, g);
  }
  for (const o of d.weather ?? []) addObservation(s, o);
  s.floodVersion++;
}

/** The latest observation of each station. */
export function latestObservations(s: Pick<FloodState, 'observations'>): WeatherObservation[] {
  return [...s.observations.values()].map((l) => l[l.length - 1]).filter((o): o is WeatherObservation => !!o);
}
