// The alarms slice of the live store: device and sensor alarms in the store's scope.
// Pure updaters; knows nothing of the store that composes it.
import type { AlarmState } from '../../../core/alarms.ts';
import { placeInScope } from '../../../core/org.ts';

export interface AlarmsState {
  scope: string;
  alarms: Map<string, AlarmState>;
  version: { alarms: number };
}

export const initAlarms = (scope: string): AlarmsState => ({ scope, alarms: new Map(), version: { alarms: 0 } });

function upsert(s: AlarmsState, a: AlarmState): boolean {
  if (!placeInScope(s.scope, a)) return false;
  const had = s.alarms.get(a.id);
  if (had && had.updatedAt > a.updatedAt) return false;
  s.alarms.set(a.id, a);
  return true;
}

export function applySnapshot(s: AlarmsState, list: readonly AlarmState[]): void {
  s.alarms = new Map();
  for (const a of list) upsert(s, a);
  s.version.alarms++;
}

/** A delta's alarms (the version moves on with any, as it always has). */
export function applyDelta(s: AlarmsState, list: readonly AlarmState[]): void {
  if (!list.length) return;
  for (const a of list) upsert(s, a);
  s.version.alarms++;
}

/** One alarm (a command's answer); an older one is ignored. */
export function applyOne(s: AlarmsState, a: AlarmState): void {
  if (upsert(s, a)) s.version.alarms++;
}

export function reset(s: AlarmsState): void {
  s.alarms = new Map();
  s.version.alarms++;
}

/** Active and acknowledged alarms, newest first. */
export function openAlarms(s: Pick<AlarmsState, 'alarms'>): AlarmState[] {
  return [...s.alarms.values()].filter((a) => a.status !== 'cleared').sort((a, b) => b.raisedAt - a.raisedAt);
}
