// The broadcast being prepared: how points are selected (scope, an area drawn on the map, a radius
// around a case or a map point), which points that reaches — computed with the same core
// selectPoints the server uses — and what the map shows of it.
import { useCallback, useMemo, useRef, useState } from 'react';
import { ringProblem, selectPoints, MAX_RADIUS_M, type Selection, type SelectionMode } from '../../../core/broadcast.ts';
import type { CaseSummary } from '../../../core/domain.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { broadcastTargets } from '../state/broadcasts.ts';

/** What the map draws for the draft (client/src/broadcast/layers.ts). */
export interface BroadcastMapDraft {
  ring: [number, number][];
  closed: boolean;
  /** A radius selection drawn as a circle ring. */
  circle: [number, number][] | null;
  /** Layer indices of the selected points. */
  selected: number[];
}

/** Two clicks this close in time and place are a double-click: it closes the ring. */
export const DOUBLE_CLICK_MS = 350;
export const DOUBLE_CLICK_PX = 8;

/** A click on the map: when (ms, any monotonic clock) and where on the screen (CSS px). */
export interface MapClick {
  t: number;
  x: number;
  y: number;
}

/**
 * Whether `click` is the second of a double-click after `last`: soon after and on (nearly) the same
 * spot, as a pointer's double-click is. Two quick clicks on different spots are two vertices.
 */
export function isDoubleClick(last: MapClick | null, click: MapClick): boolean {
  return last !== null && click.t - last.t < DOUBLE_CLICK_MS && Math.hypot(click.x - last.x, click.y - last.y) <= DOUBLE_CLICK_PX;
}

/** A circle of `radiusM` meters as a 64-vertex ring (flat-earth at district scale). */
export function circleRing(lon: number, lat: number, radiusM: number, n = 64): [number, number][] {
  const dLat = radiusM / 111_320;
  const dLon = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return Array.from({ length: n }, (_, i) => {
    const a = (i / n) * 2 * Math.PI;
    return [lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)] as [number, number];
  });
}

export interface Center {
  lon: number;
  lat: number;
  caseId?: string;
}

export function useBroadcastDraft(data: LoadedDataset, defaultScope: string) {
  const [active, setActive] = useState(false);
  const [mode, setMode] = useState<SelectionMode>('area');
  const [scopeCode, setScopeCode] = useState(defaultScope);
  const [ring, setRing] = useState<[number, number][]>([]);
  const [closed, setClosed] = useState(false);
  const [center, setCenter] = useState<Center | null>(null);
  const [pickingCenter, setPickingCenter] = useState(false);
  const [radiusM, setRadiusM] = useState(1000);
  const lastClick = useRef<MapClick | null>(null);

  const targets = useMemo(() => {
    const community: string[] = [];
    const township: string[] = [];
    for (const f of data.grids.features) {
      const p = (f.properties ?? {}) as { index?: number; communityCode?: string; townshipCode?: string };
      const i = p.index ?? community.length;
      community[i] = p.communityCode ?? '';
      township[i] = p.townshipCode ?? '';
    }
    return broadcastTargets(data.devices.broadcast, community, township);
  }, [data]);
  const indexOf = useMemo(() => new Map(targets.map((t, i) => [t.id, i])), [targets]);

  const problem = mode === 'area' && closed ? ringProblem(ring) : null;
  const selection: Selection | null = useMemo(() => {
    if (mode === 'scope') return { mode, code: scopeCode };
    if (mode === 'area') return closed && !problem ? { mode, ring } : null;
    if (!center) return null;
    return { mode, lon: center.lon, lat: center.lat, radiusM: Math.min(MAX_RADIUS_M, radiusM), ...(center.caseId ? { caseId: center.caseId } : {}) };
  }, [mode, scopeCode, closed, problem, ring, center, radiusM]);
  const selectedIds = useMemo(() => (selection ? selectPoints(selection, targets) : []), [selection, targets]);

  const mapDraft: BroadcastMapDraft | null = useMemo(() => {
    if (!active) return null;
    return {
      ring: mode === 'area' ? ring : [],
      closed: mode === 'area' && closed,
      circle: mode === 'radius' && center ? circleRing(center.lon, center.lat, radiusM) : null,
      selected: selectedIds.map((id) => indexOf.get(id)!).filter((i) => i !== undefined),
    };
  }, [active, mode, ring, closed, center, radiusM, selectedIds, indexOf]);

  const finish = useCallback(() => setClosed((c) => c || ring.length >= 3), [ring.length]);
  const onMapClick = useMemo(() => {
    if (!active) return null;
    if (mode === 'area' && !closed) {
      return (ll: [number, number], at: { x: number; y: number }) => {
        const click = { t: performance.now(), ...at };
        const double = isDoubleClick(lastClick.current, click);
        lastClick.current = click;
        // The second click of a double-click closes the ring instead of adding a vertex.
        if (double) setRing((r) => (r.length >= 3 ? (setClosed(true), r) : r));
        else setRing((r) => [...r, ll]);
      };
    }
    if (mode === 'radius' && pickingCenter) {
      return (ll: [number, number]) => {
        setCenter({ lon: ll[0], lat: ll[1] });
        setPickingCenter(false);
      };
    }
    return null;
  }, [active, mode, closed, pickingCenter]);

  return {
    active, setActive, mode, setMode, scopeCode, setScopeCode, ring, closed, problem, finish,
    undo: () => (closed ? setClosed(false) : setRing((r) => r.slice(0, -1))),
    clear: () => {
      setRing([]);
      setClosed(false);
    },
    center, setCenter, pickingCenter, setPickingCenter, radiusM, setRadiusM,
    useCase: (c: CaseSummary) => setCenter({ lon: c.lon, lat: c.lat, caseId: c.id }),
    selection, selectedIds, mapDraft, onMapClick,
  };
}

export type BroadcastDraft = ReturnType<typeof useBroadcastDraft>;
