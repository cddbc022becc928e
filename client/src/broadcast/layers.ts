// deck.gl layers of a broadcast being prepared: the area drawn (or the radius circle), its vertices
// and the selected points, highlighted. Stable ids; hidden (not removed) when there is no draft.
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { BroadcastMapDraft } from './draft.ts';

const AREA: [number, number, number, number] = [255, 170, 40, 255];

export function broadcastDraftLayers(draft: BroadcastMapDraft | null | undefined, positions: Float64Array, px: number): Layer[] {
  const ring = draft?.circle ?? (draft?.closed ? draft.ring : null);
  const open = draft && !draft.closed && !draft.circle && draft.ring.length > 0 ? draft.ring : null;
  const selected = draft?.selected ?? [];
  return [
    new PolygonLayer({
      id: 'broadcast-area',
      visible: ring !== null,
      data: ring ? [{ ring }] : [],
      getPolygon: (o: { ring: [number, number][] }) => o.ring,
      getFillColor: [255, 170, 40, 40],
      getLineColor: AREA,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5 * px,
      pickable: false,
      updateTriggers: { getLineWidth: px },
    } as never),
    new PathLayer({
      id: 'broadcast-area-edge',
      visible: open !== null,
      data: open ? [{ path: open }] : [],
      getPath: (o: { path: [number, number][] }) => o.path,
      getColor: AREA,
      widthUnits: 'pixels',
      getWidth: 2.5 * px,
      pickable: false,
      updateTriggers: { getWidth: px },
    } as never),
    new ScatterplotLayer({
      id: 'broadcast-area-vertices',
      visible: open !== null || (draft?.closed ?? false),
      data: draft && !draft.circle ? draft.ring : [],
      getPosition: (p: [number, number]) => p,
      getFillColor: [255, 255, 255, 255],
      getLineColor: AREA,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2 * px,
      radiusUnits: 'pixels',
      getRadius: 4.5 * px,
      pickable: false,
      updateTriggers: { getRadius: px, getLineWidth: px },
    } as never),
    new ScatterplotLayer({
      id: 'broadcast-targets',
      visible: selected.length > 0,
      data: selected,
      getPosition: (i: number) => [positions[i * 2], positions[i * 2 + 1]],
      filled: false,
      stroked: true,
      getLineColor: [255, 210, 60, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2 * px,
      radiusUnits: 'pixels',
      getRadius: 8 * px,
      pickable: false,
      updateTriggers: { getRadius: px, getLineWidth: px },
    } as never),
  ];
}
