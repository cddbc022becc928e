// Map layers of drone missions (stable ids, in the app's one deck.gl instance): the target of each
// active mission, its orbit circle (150 m, in metres so it scales with the zoom), and the point
// being picked in the dispatch form. Drone positions and tracks are drawn by map/layers.ts.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { DRONE_FLIGHT } from '../../../core/drones.ts';
import type { LiveStore } from '../state/store.ts';
import { activeTargets } from './state.ts';

type Target = ReturnType<typeof activeTargets>[number];

export function droneMissionLayers(store: LiveStore, visible: boolean, px: number, picked: [number, number] | null): Layer[] {
  const targets = activeTargets(store);
  const v = store.version.drones;
  return [
    new ScatterplotLayer<Target>({
      id: 'drone-orbits',
      visible,
      data: targets.filter((x) => x.orbit),
      getPosition: (x) => [x.lon, x.lat],
      filled: true,
      getFillColor: [255, 230, 80, 28],
      stroked: true,
      getLineColor: [255, 230, 80, 200],
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5 * px,
      radiusUnits: 'meters',
      getRadius: DRONE_FLIGHT.orbitRadiusM,
      radiusMinPixels: 6 * px,
      pickable: false,
      updateTriggers: { getLineWidth: px },
    }),
    new ScatterplotLayer<Target>({
      id: 'drone-targets',
      visible,
      data: targets,
      getPosition: (x) => [x.lon, x.lat],
      filled: true,
      getFillColor: [255, 90, 60, 230],
      stroked: true,
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2 * px,
      radiusUnits: 'pixels',
      getRadius: 6 * px,
      pickable: false,
      updateTriggers: { getRadius: px, getLineWidth: px, getPosition: v },
    }),
    new ScatterplotLayer<[number, number]>({
      id: 'drone-pick',
      data: picked ? [picked] : [],
      getPosition: (p) => p,
      filled: false,
      stroked: true,
      getLineColor: [255, 230, 80, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 3 * px,
      radiusUnits: 'pixels',
      getRadius: 12 * px,
      pickable: false,
      updateTriggers: { getRadius: px, getLineWidth: px },
    }),
  ];
}
