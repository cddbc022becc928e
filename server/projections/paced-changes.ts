// The hub's one rule for a projection whose items change in two ways: a discrete change (a mission
// dispatched or changing phase, a status that is not what it was) goes to screens in the next
// delta; telemetry (a new position, speed or battery reading) waits for the pace of the moves
// (RealtimeHub moveEveryMs), so a drone reporting ten times a second costs screens four views a
// second, and a duty cadre waiting for 'on station' does not wait for the pace.
// Books whose changes are all discrete (cases, alarms, whistles, broadcasts, the river and weather
// readings: logged events, seconds to minutes apart) send every change in the next delta.

/** The keys changed since the last take, each marked whether any of its changes was discrete. */
export class PacedChanges<K> {
  private readonly changed = new Map<K, boolean>();

  /** `key`'s telemetry changed: it waits for the pace (or for a discrete change of the same key). */
  telemetry(key: K): void {
    if (!this.changed.has(key)) this.changed.set(key, false);
  }

  /** `key` changed discretely: it goes at the next take, with whatever of its telemetry waited. */
  discrete(key: K): void {
    this.changed.set(key, true);
  }

  /** The keys to send now, in the order they first changed: all when the pace is due, else the discretely changed ones (the others keep waiting). */
  take(paceDue: boolean): K[] {
    const out: K[] = [];
    for (const [key, discrete] of this.changed) {
      if (!paceDue && !discrete) continue;
      out.push(key);
      this.changed.delete(key);
    }
    return out;
  }
}

/** A book the hub takes changes from by that rule. */
export interface PacedBook<T> {
  /** The items to send: every changed one when `paceDue`, else only those with a discrete change. */
  takeChanged(paceDue: boolean): T[];
}
