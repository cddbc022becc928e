// The geography slice of the live store: townships, communities and grids an admin's import drew
// since the dataset (core/boundaries.ts), as GET /api/boundaries and `boundaries:redrawn` bring them,
// and the map's boundary and grid collections with them drawn over the dataset's; and the revision of
// the emergency resources (each `resources:changed` an import made; the list is fetched per area).
// Pure; no store import.
import type { Feature, FeatureCollection } from 'geojson';
import type { Boundary } from '../../../core/boundaries.ts';

export interface GeographyState {
  /** Drawn boundaries by code, in the order first drawn (new grids take the next index in that order). */
  drawn: Map<string, Boundary>;
  version: { boundaries: number; resources: number };
}

export const initGeography = (): GeographyState => ({ drawn: new Map(), version: { boundaries: 0, resources: 0 } });

/** An import changed the emergency resources (`resources:changed`): lists asked for before are stale. */
export function noteResourcesChanged(s: GeographyState): void {
  s.version.resources++;
}

/** Boundaries drawn (the server's list on connect, or a live `boundaries:redrawn`); a known code is redrawn in place. */
export function mergeBoundaries(s: GeographyState, list: readonly Boundary[]): void {
  let changed = false;
  for (const b of list) {
    const before = s.drawn.get(b.code);
    if (before && JSON.stringify(before) === JSON.stringify(b)) continue;
    s.drawn.set(b.code, b);
    changed = true;
  }
  if (changed) s.version.boundaries++;
}

/**
 * The dataset's boundary and grid collections with the drawn ones over them: a known code's feature
 * takes the new shape and name, a new one is appended (a new grid after the dataset's, as its index).
 * The same collections when nothing was drawn.
 */
export function drawOver(base: { boundaries: FeatureCollection; grids: FeatureCollection }, drawn: Iterable<Boundary>): { boundaries: FeatureCollection; grids: FeatureCollection } {
  const list = [...drawn];
  if (list.length === 0) return base;
  const apply = (fc: FeatureCollection, mine: Boundary[], props: (b: Boundary, old: Feature | undefined) => Record<string, unknown>): FeatureCollection => {
    if (mine.length === 0) return fc;
    const byCode = new Map(mine.map((b) => [b.code, b]));
    const features = fc.features.map((f) => {
      const b = byCode.get(String(f.properties?.code));
      if (!b) return f;
      byCode.delete(b.code);
      return { ...f, geometry: b.geometry, properties: props(b, f) } as Feature;
    });
    for (const b of byCode.values()) features.push({ type: 'Feature', geometry: b.geometry, properties: props(b, undefined) } as Feature);
    return { ...fc, features };
  };
  let next = base.grids.features.length;
  const grids = apply(base.grids, list.filter((b) => b.level === 'grid'), (b, old) => ({
    ...(old?.properties ?? { index: next++, households: 0, residents: 0, workerId: '' }),
    code: b.code, name: b.name, communityCode: b.parentCode, townshipCode: b.parentCode.slice(0, 9),
  }));
  const boundaries = apply(base.boundaries, list.filter((b) => b.level !== 'grid'), (b, old) => ({ ...(old?.properties ?? {}), level: b.level, code: b.code, name: b.name, parentCode: b.parentCode }));
  return { boundaries, grids };
}
