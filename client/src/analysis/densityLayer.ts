// The case density view on the map (案件热力): the cases reported in the screen's scope over the
// last 7 days, binned by deck.gl's HexagonLayer into ~200 m hexagons coloured cool → hot. Always in
// the layer list with a stable id, hidden while the view is off.
//
// The toggle lives in the layer panel (DensityRow) and the layer in the map's layer factory; the
// two meet in `densityView`, a tiny store the row fills and MapView reads (the dashboard's props are
// not involved). The layer reports the colour domain it found back to the store for the legend.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { HexagonLayer } from '@deck.gl/aggregation-layers';
import type { Layer } from '@deck.gl/core';
import { fetchCasePoints } from './api.ts';
import { binaryPoints, casePositions, DENSITY_DAYS, DENSITY_RADIUS_M, DENSITY_RAMP, densityColorDomain, samePositions, type BinaryPoints } from './density.ts';

export const DENSITY_LAYER_ID = 'case-density';
/** How often the view refetches while it is on. */
export const DENSITY_REFRESH_MS = 5 * 60_000;

/** The cases of the window as deck.gl binary points. */
export interface CaseDensity {
  data: BinaryPoints;
  /** Cases binned. */
  count: number;
  /** More cases than the server sends at once: the map shows the newest `count`. */
  truncated: boolean;
}

/** What the map draws: the cases (null while the view is off) and the colour domain the layer found. */
export interface DensityView {
  density: CaseDensity | null;
  /** [min, max] cases per hexagon, as reported by the layer after binning. */
  domain: [number, number] | null;
}

function createDensityView() {
  let view: DensityView = { density: null, domain: null };
  const subs = new Set<() => void>();
  const emit = () => {
    for (const fn of subs) fn();
  };
  return {
    get: (): DensityView => view,
    subscribe(fn: () => void): () => void {
      subs.add(fn);
      return () => void subs.delete(fn);
    },
    setDensity(density: CaseDensity | null): void {
      if (density === view.density) return;
      // A refresh keeps the last domain (the layer reports the new one after binning).
      view = { density, domain: density ? view.domain : null };
      emit();
    },
    /** The layer's onSetColorDomain. */
    setDomain: (d: [number, number]): void => {
      const domain: [number, number] | null = Number.isFinite(d[0]) && Number.isFinite(d[1]) ? [d[0], d[1]] : null;
      if (!view.density || (view.domain?.[0] === domain?.[0] && view.domain?.[1] === domain?.[1])) return;
      view = { ...view, domain };
      emit();
    },
  };
}

export const densityView = createDensityView();

export function useDensityView(): DensityView {
  return useSyncExternalStore(densityView.subscribe, densityView.get);
}

const NO_POINTS = binaryPoints(new Float64Array(0));

export function caseDensityLayer(view: DensityView | null | undefined): Layer {
  const density = view?.density ?? null;
  return new HexagonLayer({
    id: DENSITY_LAYER_ID,
    visible: density !== null,
    data: density?.data ?? NO_POINTS,
    // CPU binning: a few thousand points, and the same result on a software GPU (SwiftShader).
    gpuAggregation: false,
    radius: DENSITY_RADIUS_M,
    coverage: 0.9,
    extruded: false,
    opacity: 0.55,
    colorRange: DENSITY_RAMP,
    colorScaleType: 'quantize',
    colorDomain: densityColorDomain(view?.domain),
    onSetColorDomain: densityView.setDomain,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 110],
  });
}

/** The cases reported in the scope over the last 7 days while `enabled` (refreshed every 5 minutes), else null. */
export function useCaseDensity(enabled: boolean, scope: string): CaseDensity | null {
  const [density, setDensity] = useState<CaseDensity | null>(null);
  useEffect(() => {
    if (!enabled) {
      setDensity(null);
      return;
    }
    const ac = new AbortController();
    const load = () => {
      const to = Math.ceil(Date.now() / 60_000) * 60_000;
      const from = to - DENSITY_DAYS * 86_400_000;
      fetchCasePoints(scope, from, to, ac.signal).then(({ lonlat, truncated }) => {
        if (ac.signal.aborted) return;
        const positions = casePositions(lonlat);
        // An unchanged refresh keeps the same object: deck.gl then does not bin again.
        setDensity((old) => {
          if (old && old.truncated === truncated && samePositions(old.data.attributes.getPosition.value, positions)) return old;
          const data = binaryPoints(positions);
          return { data, count: data.length, truncated };
        });
      }, () => {});
    };
    load();
    const timer = window.setInterval(load, DENSITY_REFRESH_MS);
    return () => {
      ac.abort();
      window.clearInterval(timer);
    };
  }, [enabled, scope]);
  return density;
}
