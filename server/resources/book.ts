// The emergency resources the screens read: the dataset's, with every committed import applied in
// log order (an import adds new ids and replaces changed ones; the log stays the truth, so a restart
// or another cluster node reads the same list). Imports are few, so each is kept: a replay asks for
// the list as it stood at a past moment.
import type { EmergencyResource } from '../../core/resources.ts';
import type { StoredEvent } from '../store/event-store.ts';

export const RESOURCE_IMPORTED = 'resource:imported';

/** data of a `resource:imported` event: the rows that changed, whole. */
export interface ResourcesImported {
  changed: EmergencyResource[];
  /** The file's name as the admin gave it (for the audit log). */
  source: string;
}

/** The list at a moment, and the span it stood unchanged around it (ms; null: open). */
export interface ResourcesAt {
  resources: EmergencyResource[];
  /** When the import that made this list was committed (null: the dataset's list, from the start). */
  since: number | null;
  /** When the next import was committed (null: none since). */
  until: number | null;
}

interface Revision {
  ts: number;
  changed: readonly EmergencyResource[];
}

export class ResourceBook {
  private readonly byId = new Map<string, EmergencyResource>();
  private readonly revisions: Revision[] = [];
  /** Sequence number of the last event applied. */
  seq = 0;

  constructor(private readonly base: readonly EmergencyResource[]) {
    for (const r of base) this.byId.set(r.id, r);
  }

  /** Applies the resource events among these (others are ignored), once each. */
  apply(events: readonly StoredEvent[]): void {
    for (const e of events) {
      if (e.seq <= this.seq) continue;
      if (e.type === RESOURCE_IMPORTED) {
        const { changed } = e.data as ResourcesImported;
        for (const r of changed) this.byId.set(r.id, r);
        this.revisions.push({ ts: e.ts, changed });
      }
      this.seq = e.seq;
    }
  }

  get(id: string): EmergencyResource | undefined {
    return this.byId.get(id);
  }

  list(): EmergencyResource[] {
    return [...this.byId.values()];
  }

  /** Today's list and since when it stands. */
  now(): ResourcesAt {
    return { resources: this.list(), since: this.revisions.at(-1)?.ts ?? null, until: null };
  }

  /** The list as it stood at `ts`: the dataset's with the imports committed by then, in log order. */
  at(ts: number): ResourcesAt {
    const byId = new Map<string, EmergencyResource>();
    for (const r of this.base) byId.set(r.id, r);
    let since: number | null = null;
    let until: number | null = null;
    for (const rev of this.revisions) {
      if (rev.ts > ts) {
        until = until === null ? rev.ts : Math.min(until, rev.ts);
        continue;
      }
      for (const r of rev.changed) byId.set(r.id, r);
      since = since === null ? rev.ts : Math.max(since, rev.ts);
    }
    return { resources: [...byId.values()], since, until };
  }
}
