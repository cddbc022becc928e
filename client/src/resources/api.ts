// GET /api/resources: the emergency resources of the screen's area (its township's shelters and
// depots, the district's teams, fire stations and hospitals). Live: asked again when an import is
// heard (`resources:changed`, the store's resources revision), and polled in case a socket missed
// it; in a replay, the list as it stood at the moment shown (standing.ts).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EmergencyResource } from '../../../core/resources.ts';
import { getData } from '../realtime/http.ts';
import { listStands, type HeldList, type ResourceList } from './standing.ts';

export type { ResourceList } from './standing.ts';

export const fetchResources = (scope: string, at: number | null, signal?: AbortSignal) =>
  getData<ResourceList>(`/api/resources?${new URLSearchParams({ scope, ...(at === null ? {} : { at: String(Math.floor(at)) }) })}`, signal);

const NONE: EmergencyResource[] = [];
const LIVE_POLL_MS = 60_000;

/** The resources of `scope` now (`at` null) or at a replayed moment, at resources revision `revision` (the store's count of imports heard). */
export function useResources(scope: string, at: number | null, revision: number): EmergencyResource[] {
  const [held, setHeld] = useState<HeldList | null>(null);
  const asking = useRef(false);
  const live = at === null;

  useEffect(() => {
    if (!live) return;
    const ac = new AbortController();
    const run = () => fetchResources(scope, null, ac.signal).then((list) => !ac.signal.aborted && setHeld({ scope, live: true, revision, list }), () => undefined);
    void run();
    const id = window.setInterval(run, LIVE_POLL_MS);
    return () => {
      ac.abort();
      window.clearInterval(id);
    };
  }, [scope, live, revision]);

  // One question at a time: while playback moves on, the answer comes back and is checked again.
  const stands = listStands(held, scope, at, revision);
  useEffect(() => {
    if (at === null || stands || asking.current) return;
    asking.current = true;
    fetchResources(scope, at)
      .then((list) => setHeld({ scope, live: false, revision, list }), () => undefined)
      .finally(() => (asking.current = false));
  }, [scope, at, stands, held, revision]);

  // The same array while nothing changed, so the map does not rebuild the layer on every answer.
  const key = held?.scope === scope ? JSON.stringify(held.list.resources) : '';
  return useMemo(() => (held?.scope === scope ? held.list.resources : NONE), [key]); // eslint-disable-line react-hooks/exhaustive-deps
}
