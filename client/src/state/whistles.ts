// The whistles slice of the live store ("吹哨报到": a whistle blown calls units to report in).
// Pure updaters; knows nothing of the store that composes it.
import type { WhistleState } from '../../../core/whistle.ts';

export interface WhistlesState {
  whistles: Map<string, WhistleState>;
  version: { whistles: number };
}

export const initWhistles = (): WhistlesState => ({ whistles: new Map(), version: { whistles: 0 } });

function upsert(s: WhistlesState, w: WhistleState): boolean {
  const had = s.whistles.get(w.id);
  if (had && had.version > w.version) return false;
  s.whistles.set(w.id, w);
  return true;
}

export function applySnapshot(s: WhistlesState, list: readonly WhistleState[]): void {
  s.whistles = new Map(list.map((w) => [w.id, w]));
  s.version.whistles++;
}

/** A delta's whistles (the version moves on with any, as it always has: the board re-reads). */
export function applyDelta(s: WhistlesState, list: readonly WhistleState[]): void {
  if (!list.length) return;
  for (const w of list) upsert(s, w);
  s.version.whistles++;
}

/** One whistle (a command's answer); an older version is ignored. */
export function applyOne(s: WhistlesState, w: WhistleState): void {
  if (upsert(s, w)) s.version.whistles++;
}

export function reset(s: WhistlesState): void {
  s.whistles = new Map();
  s.version.whistles++;
}

/** Whistles still open, the one closest to its report-in deadline first. */
export function openWhistles(s: Pick<WhistlesState, 'whistles'>): WhistleState[] {
  return [...s.whistles.values()].filter((w) => w.closedAt === null).sort((a, b) => a.deadline - b.deadline);
}
