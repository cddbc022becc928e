// The session slice of the live store: who the server says this connection acts as (and the area
// it sees), and the server's working calendar for countdowns. Pure updaters.
import type { Session, Snapshot } from '../../../core/protocol.ts';
import { calendarFromConfig, DEFAULT_CALENDAR, type WorkingCalendar } from '../../../core/cases/calendar.ts';

export interface SessionState {
  /** Who the server says this connection acts as, and the area it sees (from the snapshot). */
  session: Session | null;
  /** The server's working calendar (from the snapshot), for countdowns in working time. */
  calendar: WorkingCalendar;
}

export const initSession = (): SessionState => ({ session: null, calendar: DEFAULT_CALENDAR });

export function applySnapshot(s: SessionState, snap: Pick<Snapshot, 'session' | 'calendar'>): void {
  s.session = snap.session ?? null;
  if (snap.calendar) {
    try {
      s.calendar = calendarFromConfig(snap.calendar);
    } catch (e) {
      console.warn(`[store] the server's calendar is unusable, counting with the default: ${(e as Error).message}`);
    }
  }
}

export function reset(s: SessionState): void {
  s.session = null;
}
