// Which emergency resources list a screen may keep: a replay asks the server for the list at the
// moment shown only when that moment leaves the span the held list stood unchanged, so playback at
// 60× does not ask on every frame; and after an import (a new revision) it asks again where that
// import may have changed the answer.
import type { EmergencyResource } from '../../../core/resources.ts';

/** GET /api/resources's answer: the list, and the span it stood unchanged (ms; null: open). */
export interface ResourceList {
  area: string;
  resources: EmergencyResource[];
  since: number | null;
  until: number | null;
}

/** A list the screen holds: for which scope, whether it was asked for live or for a past moment, and at which resources revision (imports heard). */
export interface HeldList {
  scope: string;
  live: boolean;
  revision: number;
  list: ResourceList;
}

/** Whether `held` is the list of `scope` at `at` (null: live, which only a live answer is) at resources revision `revision`. */
export function listStands(held: HeldList | null, scope: string, at: number | null, revision: number): boolean {
  if (held === null || held.scope !== scope) return false;
  // An import heard since the answer may change today's list and end a span that was open; a
  // closed span is the log's past and stays.
  if (held.revision !== revision && (at === null || held.list.until === null)) return false;
  if (at === null) return held.live;
  const { since, until } = held.list;
  return (since === null || at >= since) && (until === null || at < until);
}
