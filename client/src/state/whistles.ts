// The whistles slice of the live store ("吹哨报到": a whistle blown calls units to report in).
// Pure updaters; knows nothing of the store that composes it.
import type { WhistleState } from '../../../core/whistle.ts';

export interface WhistlesState {
  /** The store's scope: a whistle that cannot lie in it is dropped (and counted), as cases and alarms are. */
  scope: string;
  whistles: Map<string, WhistleState>;
  /** Shared with the cases slice in the composed store: what the server should never have sent. */
  droppedOutOfScope: number;
  version: { whistles: number };
}

export const initWhistles = (scope: string): WhistlesState => ({ scope, whistles: new Map(), droppedOutOfScope: 0, version: { whistles: 0 } });

/**
 * A center whistles on a case in its own area, and the server sends a whistle to a screen whose
 * area holds the case: so the center's area and the screen's overlap (one code is a prefix of the
 * other). A whistle whose center lies apart from the scope cannot be this screen's.
 */
export const whistleMayBeInScope = (scope: string, w: Pick<WhistleState, 'center'>) => w.center.startsWith(scope) || scope.startsWith(w.center);

function upsert(s: WhistlesState, w: WhistleState): boolean {
  if (!whistleMayBeInScope(s.scope, w)) {
    s.droppedOutOfScope++;
    return false;
  }
  const had = s.whistles.get(w.id);
  if (had && had.version > w.version) return false;
  s.whistles.set(w.id, w);
  return true;
}

export function applySnapshot(s: WhistlesState, list: readonly WhistleState[]): void {
  s.whistles = new Map();
  for (const w of list) upsert(s, w);
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
