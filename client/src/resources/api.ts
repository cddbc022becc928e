// GET /api/resources: the emergency resources of the screen's area (its township's shelters and
// depots, the district's teams, fire stations and hospitals). Polled, so an import reaches the
// screens within a minute.
import { useMemo } from 'react';
import type { EmergencyResource } from '../../../core/resources.ts';
import { getData, usePoll } from '../realtime/http.ts';

export interface ResourceList {
  area: string;
  resources: EmergencyResource[];
}

export const fetchResources = (scope: string, signal?: AbortSignal) => getData<ResourceList>(`/api/resources?${new URLSearchParams({ scope })}`, signal);

const NONE: EmergencyResource[] = [];

export function useResources(scope: string): EmergencyResource[] {
  const { value } = usePoll((signal) => fetchResources(scope, signal), 60_000, [scope]);
  // The same array while nothing changed, so the map does not rebuild the layer on every poll.
  const key = value ? JSON.stringify(value.resources) : '';
  return useMemo(() => value?.resources ?? NONE, [key]); // eslint-disable-line react-hooks/exhaustive-deps
}
