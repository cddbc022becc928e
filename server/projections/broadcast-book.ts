// Every emergency broadcast evolved from the broadcast events in the log: progress per broadcast,
// each point's answer, and what each scope's screens see of them.
import { broadcastInScope, evolve, summarize, type BroadcastEvent, type BroadcastState, type BroadcastSummary } from '../../core/broadcast.ts';

const DAY = 86_400_000;

export class BroadcastBook {
  private readonly broadcasts = new Map<string, BroadcastState>();
  /** Broadcasts not yet completed: what the timeout sweep looks at. */
  private readonly open = new Set<string>();
  private dirty = new Set<string>();

  get(id: string): BroadcastState | undefined {
    return this.broadcasts.get(id);
  }

  openOnes(): BroadcastState[] {
    return [...this.open].map((id) => this.broadcasts.get(id)!);
  }

  apply(e: BroadcastEvent): BroadcastState {
    const state = evolve(this.broadcasts.get(e.broadcastId) ?? null, e);
    this.broadcasts.set(e.broadcastId, state);
    if (state.status === 'completed') this.open.delete(state.id);
    else this.open.add(state.id);
    this.dirty.add(e.broadcastId);
    return state;
  }

  takeChanged(): BroadcastSummary[] {
    if (this.dirty.size === 0) return [];
    const out = [...this.dirty].map((id) => summarize(this.broadcasts.get(id)!));
    this.dirty = new Set();
    return out;
  }

  /** Open broadcasts plus those sent in the last 24 h, newest first, for a screen of `scope`. */
  visible(scope: string, now: number): BroadcastSummary[] {
    const out: BroadcastSummary[] = [];
    for (const b of this.broadcasts.values()) {
      if ((b.status !== 'completed' || b.sentAt >= now - DAY) && broadcastInScope(scope, b)) out.push(summarize(b));
    }
    return out.sort((a, b) => b.sentAt - a.sentAt);
  }

  /** Every broadcast in scope, newest first (the history list over HTTP). */
  history(scope: string, limit: number): BroadcastSummary[] {
    const out: BroadcastSummary[] = [];
    for (const b of this.broadcasts.values()) if (broadcastInScope(scope, b)) out.push(summarize(b));
    return out.sort((a, b) => b.sentAt - a.sentAt).slice(0, limit);
  }

  exportState(): BroadcastState[] {
    return [...this.broadcasts.values()];
  }

  importState(list: BroadcastState[]): void {
    this.broadcasts.clear();
    this.open.clear();
    for (const b of list) {
      this.broadcasts.set(b.id, b);
      if (b.status !== 'completed') this.open.add(b.id);
    }
  }
}
