// What applying the server's messages costs this page's main thread, kept for the bench (npm run
// bench reads it from a test build): per delta, its number of changes and the ms to decode and
// apply it; per snapshot, the ms.
import type { Delta } from '../../../core/protocol.ts';

/** Changes a delta carries: device statuses and moves, and every case, alarm, whistle, drone, broadcast, gauge and weather entry. */
export function deltaChanges(d: Delta): number {
  let n = 0;
  for (const s of Object.values(d.status)) if (s) n += s.status.byteLength; // one status byte per change
  for (const m of Object.values(d.moves)) if (m) n += m.heading.byteLength / 4; // one float heading per move
  n += d.cases.length + (d.casePatches?.length ?? 0) + d.whistles.length + d.alarms.length;
  n += (d.drones?.length ?? 0) + (d.broadcasts?.length ?? 0) + (d.broadcastRequests?.length ?? 0) + (d.gauges?.length ?? 0) + (d.weather?.length ?? 0);
  return n;
}

/** The last `keep` samples of each kind. */
export class ApplyCost {
  readonly deltas: { changes: number; ms: number }[] = [];
  readonly snapshots: number[] = [];

  constructor(private readonly keep = 512) {}

  delta(changes: number, ms: number): void {
    this.deltas.push({ changes, ms });
    if (this.deltas.length > this.keep) this.deltas.shift();
  }

  snapshot(ms: number): void {
    this.snapshots.push(ms);
    if (this.snapshots.length > this.keep) this.snapshots.shift();
  }
}
