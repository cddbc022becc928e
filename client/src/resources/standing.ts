// Which emergency resources list a screen may keep: a replay asks the server for the list at the
// moment shown only when that moment leaves the span the held list stood unchanged, so playback at
// 60× does not ask on every frame.
import type { EmergencyResource } from '../../../core/resources.ts';

/** GET /api/resources's answer: the list, and the span it stood unchanged (ms; null: open). */
export interface ResourceList {
  area: string;
  resources: EmergencyResource[];
  since: number | null;
  until: number | null;
}

/** A list the screen holds: for which scope, and whether it was asked for live or for a past moment. */
export interface HeldList {
  scope: string;
  live: boolean;
  list: ResourceList;
}

/** Whether `held` is the list of `scope` at `at` (null: live, which only a live answer is). */
export function listStands(held: HeldList | null, scope: string, at: number | null): boolean {
  if (held === null || held.scope !== scope) return false;
  if (at === null) return held.live;
  const { since, until } = held.list;
  return (since === null || at >= since) && (until === null || at < until);
}
