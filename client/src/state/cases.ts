// The cases slice of the live store: case summaries in the store's scope, the feed (newest report
// first) and when each case arrived live. Pure updaters; knows nothing of the store that composes it.
import type { CaseSummary } from '../../../core/domain.ts';
import { placeInScope } from '../../../core/org.ts';
import { applyCasePatch, type CasePatch } from '../../../core/cases/patch.ts';

/** Feed entries kept. */
export const FEED_MAX = 60;
/** A case that arrived live (not in a snapshot) is "new" for this long. */
export const FRESH_MS = 12_000;

export interface CasesState {
  /** The area asked for in the handshake; a case outside it is dropped (and counted: the server should never send it). */
  scope: string;
  cases: Map<string, CaseSummary>;
  /** Case ids newest report first (feed order), capped at FEED_MAX. */
  feed: string[];
  /** Client time a case first arrived live (after the snapshot), for the feed's flash. */
  arrivedAt: Map<string, number>;
  droppedOutOfScope: number;
  version: { cases: number };
}

export function initCases(scope: string): CasesState {
  return { scope, cases: new Map(), feed: [], arrivedAt: new Map(), droppedOutOfScope: 0, version: { cases: 0 } };
}

/** Inserts or replaces a case; an older version never replaces a newer one (acks and deltas race). Says whether the case was new here, changed, or neither. */
function upsert(s: CasesState, c: CaseSummary, now: number): 'new' | 'changed' | null {
  if (!placeInScope(s.scope, c)) {
    s.droppedOutOfScope++;
    return null;
  }
  const had = s.cases.get(c.id);
  if (had && had.version > c.version) return null;
  s.cases.set(c.id, c);
  if (had) return 'changed';
  s.arrivedAt.set(c.id, now);
  s.feed.unshift(c.id);
  if (s.feed.length > FEED_MAX) s.feed.length = FEED_MAX;
  return 'new';
}

/** A snapshot's cases replace all (none counts as arrived live). */
export function applySnapshot(s: CasesState, list: readonly CaseSummary[]): void {
  s.cases = new Map();
  for (const c of list) {
    if (placeInScope(s.scope, c)) s.cases.set(c.id, c);
    else s.droppedOutOfScope++;
  }
  s.arrivedAt = new Map();
  const all = [...s.cases.values()].sort((a, b) => b.reportedAt - a.reportedAt || (a.id < b.id ? 1 : -1));
  s.feed = all.slice(0, FEED_MAX).map((c) => c.id);
  s.version.cases++;
}

/**
 * A delta's changed cases, a reported case or a command's answer (idempotent, keeps the newest
 * version). Returns the cases new to this screen (they entered the feed).
 */
export function applyDelta(s: CasesState, list: readonly CaseSummary[], now: number): CaseSummary[] {
  let changed = false;
  const added: CaseSummary[] = [];
  for (const c of list) {
    const r = upsert(s, c, now);
    if (r === 'new') added.push(c);
    changed = r !== null || changed;
  }
  if (changed) s.version.cases++;
  return added;
}

/** Whether every patch applies here or is already applied (else the screen needs a fresh snapshot). */
export function canPatch(s: Pick<CasesState, 'cases'>, patches: readonly CasePatch[]): boolean {
  return patches.every((p) => applyCasePatch(s.cases.get(p.id), p) !== 'missing');
}

/** A delta's case patches (canPatch checked first): each changes the case the screen holds. */
export function applyPatches(s: CasesState, patches: readonly CasePatch[]): void {
  let changed = false;
  for (const p of patches) {
    const next = applyCasePatch(s.cases.get(p.id), p);
    if (typeof next === 'string') continue;
    s.cases.set(p.id, next);
    changed = true;
  }
  if (changed) s.version.cases++;
}

/** Forgets every case (another scope is coming). */
export function reset(s: CasesState): void {
  s.cases = new Map();
  s.feed = [];
  s.arrivedAt = new Map();
  s.droppedOutOfScope = 0;
  s.version.cases++;
}

/** Whether a case arrived live within FRESH_MS (the feed flashes it). */
export const isFresh = (s: Pick<CasesState, 'arrivedAt'>, id: string, now: number) => now - (s.arrivedAt.get(id) ?? -Infinity) < FRESH_MS;

/** The newest feed cases. */
export function feedCases(s: Pick<CasesState, 'feed' | 'cases'>): CaseSummary[] {
  const out: CaseSummary[] = [];
  for (const id of s.feed) {
    const c = s.cases.get(id);
    if (c) out.push(c);
  }
  return out;
}
