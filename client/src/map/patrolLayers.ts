// Map layers of grid worker patrols (stable ids in the one deck.gl instance): grids coloured by
// the current shift's patrol coverage, and the patrol track of the worker open in the detail card.
import { PathLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { LoadedDataset } from '../state/dataset.ts';

interface GridPoly {
  index: number;
  polygon: number[][][];
}

const polys = new WeakMap<LoadedDataset, GridPoly[]>();
function gridPolygons(data: LoadedDataset): GridPoly[] {
  let list = polys.get(data);
  if (!list) {
    list = data.grids.features.flatMap((f, index) => (f.geometry.type === 'Polygon' ? [{ index, polygon: f.geometry.coordinates }] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates.map((polygon) => ({ index, polygon })) : []));
    polys.set(data, list);
  }
  return list;
}

/** Red below 20 %, amber below 50 %, green from there; translucent so devices stay visible. */
export function coverageColor(c: number): [number, number, number, number] {
  if (!(c >= 0)) return [0, 0, 0, 0];
  if (c < 0.2) return [255, 70, 80, 70];
  if (c < 0.5) return [255, 176, 32, 75];
  return [61, 220, 151, 80];
}

export function coverageLayer(data: LoadedDataset, coverage: Float32Array | null): Layer {
  return new SolidPolygonLayer<GridPoly>({
    id: 'grid-coverage',
    visible: coverage !== null,
    data: gridPolygons(data),
    getPolygon: (g) => g.polygon as never,
    getFillColor: (g) => coverageColor(coverage?.[g.index] ?? -1),
    updateTriggers: { getFillColor: coverage },
    pickable: false,
  });
}

export function workerTrackLayer(path: [number, number][] | null, px: number): Layer {
  return new PathLayer<{ path: [number, number][] }>({
    id: 'worker-track',
    visible: path !== null && path.length > 1,
    data: path && path.length > 1 ? [{ path }] : [],
    getPath: (d) => d.path,
    getColor: [80, 255, 220, 230],
    widthUnits: 'pixels',
    getWidth: 3 * px,
    capRounded: true,
    jointRounded: true,
    updateTriggers: { getWidth: px },
    pickable: false,
  });
}
