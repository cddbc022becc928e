// Emergency broadcasts on the dashboard: the summaries from snapshots and deltas (pure updaters),
// and the dataset's broadcast points as selection targets, so the screen shows exactly the points
// the server will resolve (the same core selectPoints on the same places).
import { broadcastInScope, type BroadcastSummary, type BroadcastTarget } from '../../../core/broadcast.ts';
import type { BroadcastRequestView } from '../../../core/broadcast-approval.ts';
import type { BroadcastPoint } from '../../../core/dataset.ts';

/** The broadcasts slice of the live store (knows nothing of the store that composes it). */
export interface BroadcastsState {
  /** The store's scope: a broadcast outside it is dropped. */
  scope: string;
  /** Emergency broadcasts in scope, and a counter bumped when they change. */
  broadcasts: Map<string, BroadcastSummary>;
  /** Requests for urgent broadcasts in scope (pending and recently decided); they bump broadcastsVersion too. */
  broadcastRequests: Map<string, BroadcastRequestView>;
  broadcastsVersion: number;
}

export const initBroadcasts = (scope: string): BroadcastsState => ({ scope, broadcasts: new Map(), broadcastRequests: new Map(), broadcastsVersion: 0 });

/** Newest first. */
export function broadcastList(s: Pick<BroadcastsState, 'broadcasts'>): BroadcastSummary[] {
  return [...s.broadcasts.values()].sort((a, b) => b.sentAt - a.sentAt);
}

/** A snapshot replaces every broadcast (anything outside the store's scope is dropped). */
export function replaceBroadcasts(s: BroadcastsState, list: readonly BroadcastSummary[]): void {
  s.broadcasts = new Map(list.filter((b) => broadcastInScope(s.scope, b)).map((b) => [b.id, b]));
  s.broadcastsVersion++;
}

/** A delta carries the current summary of each broadcast that changed; an older one never replaces a newer. */
export function mergeBroadcasts(s: BroadcastsState, list: readonly BroadcastSummary[]): void {
  let changed = false;
  for (const b of list) {
    if (!broadcastInScope(s.scope, b)) continue;
    const cur = s.broadcasts.get(b.id);
    if (cur && answered(cur) > answered(b)) continue;
    s.broadcasts.set(b.id, b);
    changed = true;
  }
  if (changed) s.broadcastsVersion++;
}

const answered = (b: BroadcastSummary) => b.progress.targets - b.progress.pending;

const requestInScope = (scope: string, r: BroadcastRequestView) => broadcastInScope(scope, { places: r.places, actor: r.requestedBy });

/** Newest first. */
export function requestList(s: Pick<BroadcastsState, 'broadcastRequests'>): BroadcastRequestView[] {
  return [...s.broadcastRequests.values()].sort((a, b) => b.requestedAt - a.requestedAt);
}

/** A snapshot replaces every request. */
export function replaceRequests(s: BroadcastsState, list: readonly BroadcastRequestView[]): void {
  s.broadcastRequests = new Map(list.filter((r) => requestInScope(s.scope, r)).map((r) => [r.id, r]));
  s.broadcastsVersion++;
}

/** A delta (or an ack) carries the current view of each request that changed; a decided one is never taken back to pending. */
export function mergeRequests(s: BroadcastsState, list: readonly BroadcastRequestView[]): void {
  let changed = false;
  for (const r of list) {
    if (!requestInScope(s.scope, r)) continue;
    const cur = s.broadcastRequests.get(r.id);
    if (cur && cur.status !== 'pending' && r.status === 'pending') continue;
    s.broadcastRequests.set(r.id, r);
    changed = true;
  }
  if (changed) s.broadcastsVersion++;
}

/**
 * Broadcast points with their community, from the grid they lie in (the server resolves the same
 * place from the same grids). `communityOfGrid` is the grids' community codes by grid index.
 */
export function broadcastTargets(points: readonly BroadcastPoint[], communityOfGrid: readonly string[], townshipOfGrid: readonly string[]): BroadcastTarget[] {
  return points.map((p) => ({
    id: p.id, lon: p.lon, lat: p.lat,
    townshipCode: p.gridIndex >= 0 ? (townshipOfGrid[p.gridIndex] ?? p.townshipCode) : '',
    communityCode: p.gridIndex >= 0 ? (communityOfGrid[p.gridIndex] ?? '') : '',
  }));
}
