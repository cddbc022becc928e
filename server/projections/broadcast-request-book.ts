// Every request for an urgent broadcast evolved from the log (core/broadcast-approval.ts): what is
// pending (for the expiry sweep and the leaders' screens) and what each scope may see of them.
import { evolveRequest, requestView, type BroadcastRequestEvent, type BroadcastRequestState, type BroadcastRequestView } from '../../core/broadcast-approval.ts';
import { broadcastInScope } from '../../core/broadcast.ts';

const DAY = 86_400_000;

/** A request is seen where its points are, or at the requester's center (as broadcasts are). */
export const requestInScope = (scope: string, r: Pick<BroadcastRequestState, 'places' | 'requestedBy'>): boolean =>
  broadcastInScope(scope, { places: r.places, actor: r.requestedBy });

export class BroadcastRequestBook {
  private readonly requests = new Map<string, BroadcastRequestState>();
  private dirty = new Set<string>();

  get(id: string): BroadcastRequestState | undefined {
    return this.requests.get(id);
  }

  pending(): BroadcastRequestState[] {
    return [...this.requests.values()].filter((r) => r.status === 'pending');
  }

  apply(e: BroadcastRequestEvent): BroadcastRequestState {
    const state = evolveRequest(this.requests.get(e.broadcastId) ?? null, e);
    this.requests.set(e.broadcastId, state);
    this.dirty.add(e.broadcastId);
    return state;
  }

  takeChanged(): BroadcastRequestView[] {
    if (this.dirty.size === 0) return [];
    const out = [...this.dirty].map((id) => requestView(this.requests.get(id)!));
    this.dirty = new Set();
    return out;
  }

  /** Pending requests plus those made in the last 24 h, newest first, for a screen of `scope`. */
  visible(scope: string, now: number): BroadcastRequestView[] {
    const out: BroadcastRequestView[] = [];
    for (const r of this.requests.values()) {
      if ((r.status === 'pending' || r.requestedAt >= now - DAY) && requestInScope(scope, r)) out.push(requestView(r));
    }
    return out.sort((a, b) => b.requestedAt - a.requestedAt);
  }

  exportState(): BroadcastRequestState[] {
    return [...this.requests.values()];
  }

  importState(list: readonly BroadcastRequestState[]): void {
    this.requests.clear();
    for (const r of list) this.requests.set(r.id, r);
  }
}
