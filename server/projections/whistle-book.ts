// Every whistle (吹哨) evolved from the whistle events in the log, and what each scope sees of them.
import { evolve, type WhistleEvent, type WhistleState } from '../../core/whistle.ts';

const DAY = 86_400_000;

export class WhistleBook {
  private readonly whistles = new Map<string, WhistleState>();
  private dirty = new Set<string>();

  get(id: string): WhistleState | undefined {
    return this.whistles.get(id);
  }

  all(): IterableIterator<WhistleState> {
    return this.whistles.values();
  }

  apply(e: WhistleEvent): WhistleState {
    const state = evolve(this.whistles.get(e.whistleId) ?? null, e);
    this.whistles.set(e.whistleId, state);
    this.dirty.add(e.whistleId);
    return state;
  }

  takeChanged(): WhistleState[] {
    if (this.dirty.size === 0) return [];
    const out = [...this.dirty].map((id) => this.whistles.get(id)!);
    this.dirty = new Set();
    return out;
  }

  /** Open whistles plus those closed in the last 24 h, for screens whose scope contains `where(w)`. */
  visible(inScope: (w: WhistleState) => boolean, now: number): WhistleState[] {
    const out: WhistleState[] = [];
    for (const w of this.whistles.values()) if ((w.closedAt === null || w.closedAt >= now - DAY) && inScope(w)) out.push(w);
    return out.sort((a, b) => b.blownAt - a.blownAt);
  }

  exportState(): WhistleState[] {
    return [...this.whistles.values()];
  }

  importState(list: WhistleState[]): void {
    this.whistles.clear();
    for (const w of list) this.whistles.set(w.id, w);
  }
}

