// What a township's (or community's) screen counts: only the devices inside its scope. The server
// sends every device's status to every screen (the arrays are in dataset order), so the scope is
// applied here, through each device's grid (its township and community). Pure.
import { countStatuses, type DeviceKind, type StatusCounts } from '../../../core/domain.ts';
import { DISTRICT_CODE, centerId } from '../../../core/org.ts';
import type { Names } from './names.ts';

export interface ScopeSource {
  /** Township and community code of every grid, by grid index. */
  grids: { townshipCode: string; communityCode: string }[];
  devices: Record<Exclude<DeviceKind, 'component'>, { gridIndex: number; townshipCode: string }[]>;
  componentGrid: ArrayLike<number>;
}

/** Device indexes (per kind, ascending) inside `scope`; null on the district screen (every device). */
export type ScopeMembers = Record<DeviceKind, Uint32Array> | null;

export function scopeMembers(src: ScopeSource, scope: string): ScopeMembers {
  if (scope === DISTRICT_CODE) return null;
  // A device's own township field wins for a township scope; a community scope needs the grid.
  const inGrid = (g: number) => {
    const grid = src.grids[g];
    return !!grid && (grid.townshipCode === scope || grid.communityCode === scope);
  };
  const pick = (n: number, inside: (i: number) => boolean) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (inside(i)) out.push(i);
    return Uint32Array.from(out);
  };
  const township = scope.length === 9;
  const listed = (l: { gridIndex: number; townshipCode: string }[]) => pick(l.length, (i) => (township ? l[i].townshipCode === scope : inGrid(l[i].gridIndex)));
  return {
    camera: listed(src.devices.camera),
    lookout: listed(src.devices.lookout),
    drone: listed(src.devices.drone),
    broadcast: listed(src.devices.broadcast),
    worker: listed(src.devices.worker),
    component: pick(src.componentGrid.length, (i) => inGrid(src.componentGrid[i])),
  };
}

/** Status counts of the members only (status bytes 0 online, 1 offline, 2 fault, 3 alarm). */
export function countMembers(status: Uint8Array, members: Uint32Array): StatusCounts {
  const picked = new Uint8Array(members.length);
  for (let i = 0; i < members.length; i++) picked[i] = status[members[i]] ?? 1;
  return countStatuses(picked);
}

/** Online-rate rows a screen lists: every township and the total on the district's, else only the scope's township. */
export function rowsInScope<R extends { code: string }>(rows: R[], scope: string): R[] {
  if (scope === DISTRICT_CODE) return rows;
  return rows.filter((r) => r.code !== '' && scope.startsWith(r.code));
}

/**
 * The center a scoped screen belongs to, for its title: the dataset's name for it (zh) and the
 * place it serves (for the English title); null on the district screen, which keeps its own title.
 */
export function scopeCenter(scope: string, names: Pick<Names, 'unit' | 'place'>): { name: string; place: string } | null {
  if (scope === DISTRICT_CODE) return null;
  return { name: names.unit(centerId(scope)), place: names.place(scope) };
}
