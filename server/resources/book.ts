// The emergency resources the screens read: the dataset's, with every committed import applied in
// log order (an import adds new ids and replaces changed ones; the log stays the truth, so a restart
// or another cluster node reads the same list).
import type { EmergencyResource } from '../../core/resources.ts';
import type { StoredEvent } from '../store/event-store.ts';

export const RESOURCE_IMPORTED = 'resource:imported';

/** data of a `resource:imported` event: the rows that changed, whole. */
export interface ResourcesImported {
  changed: EmergencyResource[];
  /** The file's name as the admin gave it (for the audit log). */
  source: string;
}

export class ResourceBook {
  private readonly byId = new Map<string, EmergencyResource>();
  /** Sequence number of the last event applied. */
  seq = 0;

  constructor(base: readonly EmergencyResource[]) {
    for (const r of base) this.byId.set(r.id, r);
  }

  /** Applies the resource events among these (others are ignored), once each. */
  apply(events: readonly StoredEvent[]): void {
    for (const e of events) {
      if (e.seq <= this.seq) continue;
      if (e.type === RESOURCE_IMPORTED) for (const r of (e.data as ResourcesImported).changed) this.byId.set(r.id, r);
      this.seq = e.seq;
    }
  }

  get(id: string): EmergencyResource | undefined {
    return this.byId.get(id);
  }

  list(): EmergencyResource[] {
    return [...this.byId.values()];
  }
}
