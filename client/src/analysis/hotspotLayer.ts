// The hot-spot view on the map: a ring per place where cases repeat (last 7 days), sized and
// coloured by how many; always in the layer list with a stable id, hidden when the view is off.
import { useEffect, useState } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { HotSpot } from '../../../core/analysis.ts';
import { fetchAnalysis } from './api.ts';

/** Radius in metres: bigger for more cases, capped so a big spot does not hide its street. */
export const hotspotRadiusM = (count: number): number => Math.min(400, 50 + 50 * Math.sqrt(Math.max(0, count - 2)));

export function hotspotLayer(spots: HotSpot[] | null, px: number): Layer {
  return new ScatterplotLayer<HotSpot>({
    id: 'hotspots',
    visible: spots !== null,
    data: spots ?? [],
    getPosition: (h: HotSpot) => [h.lon, h.lat],
    getRadius: (h: HotSpot) => hotspotRadiusM(h.count),
    radiusUnits: 'meters',
    radiusMinPixels: 6 * px,
    getFillColor: (h: HotSpot) => [255, h.open > 0 ? 120 : 176, 32, 70],
    getLineColor: [255, 150, 40, 230],
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2 * px,
    pickable: false,
  } as never);
}

/** Hot spots of the last 7 days in the scope while `enabled` (refreshed each minute), else null. */
export function useHotspots(enabled: boolean, scope: string): HotSpot[] | null {
  const [spots, setSpots] = useState<HotSpot[] | null>(null);
  useEffect(() => {
    if (!enabled) {
      setSpots(null);
      return;
    }
    const ac = new AbortController();
    const load = () => {
      const to = Math.ceil(Date.now() / 60_000) * 60_000;
      fetchAnalysis(scope, to - 7 * 86_400_000, to, ac.signal).then((a) => setSpots(a.hotspots), () => {});
    };
    load();
    const timer = window.setInterval(load, 60_000);
    return () => {
      ac.abort();
      window.clearInterval(timer);
    };
  }, [enabled, scope]);
  return spots;
}
