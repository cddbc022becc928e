// The 100,000 city components. Drawn one by one at district zoom they are a solid carpet that
// reads as nothing from across a room, and every frame costs a software GPU over a core-second
// (deck.gl's vertex shader, 100k instances). So below COMPONENT_POINTS_ZOOM they are binned into
// ~250 m hexagons coloured by how many they hold (deck.gl's HexagonLayer, CPU binning: the same
// bins on a software GPU), damaged and alarmed ones stay on top as points at every zoom, and from
// street level on every component is its own point.
import { HexagonLayer } from '@deck.gl/aggregation-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { DEVICE_STATUSES, emptyStatusCounts, statusName, type StatusCounts } from '../../../core/domain.ts';
import { binaryPoints, type BinaryPoints } from '../analysis/density.ts';

/** From this zoom on (street level) each component is drawn; below it, hexagons. */
export const COMPONENT_POINTS_ZOOM = 15.5;
export const COMPONENT_BIN_RADIUS_M = 250;
export const COMPONENT_BINS_ID = 'component-bins';
/** Damaged and alarmed components, drawn over the hexagons. */
export const COMPONENT_ALERTS_ID = 'component-alerts';

const FAULT = DEVICE_STATUSES.indexOf('fault');
const ALARM = DEVICE_STATUSES.indexOf('alarm');

/** Components per hexagon → colour, by quantile: the city's fabric from the quiet fields to downtown. */
export const COMPONENT_BIN_RAMP: [number, number, number][] = [
  [24, 48, 88],
  [28, 70, 128],
  [34, 100, 170],
  [46, 140, 205],
  [86, 190, 235],
];

/** Indices of the components that must stay visible at every zoom (damaged or in alarm). */
export function alertIndices(status: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < status.length; i++) if (status[i] === FAULT || status[i] === ALARM) out.push(i);
  return out;
}

/** Counts by status of the components in one hexagon (its point indices), for the hover card. */
export function countByStatus(status: Uint8Array, indices: readonly number[]): StatusCounts {
  const counts = emptyStatusCounts();
  for (const i of indices) {
    counts[statusName(status[i])]++;
    counts.total++;
  }
  return counts;
}

/**
 * Positions as deck.gl binary points (x, y, 0): HexagonLayer bins 3-component positions. Unlike
 * casePositions, nothing is dropped: a hexagon's point indices must stay component indices.
 */
export function binPositions(lonlat: Float64Array): BinaryPoints {
  const n = lonlat.length / 2;
  const value = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    value[i * 3] = lonlat[i * 2];
    value[i * 3 + 1] = lonlat[i * 2 + 1];
  }
  return binaryPoints(value);
}

export interface ComponentLayerInput {
  lonlat: Float64Array;
  /** The store's status codes (DEVICE_STATUSES order) and their version. */
  status: Uint8Array;
  statusVersion: number;
  /** The store's colours (RGBA per component) for the alert points. */
  colors: Uint8Array;
  visible: boolean;
  zoom: number;
  px: number;
}

/**
 * The hexagons and the alert points over them, both shown below COMPONENT_POINTS_ZOOM; from there
 * on the caller draws every component as a point (showPoints).
 */
export class ComponentLayers {
  private bins: BinaryPoints | null = null;
  private alerts: { version: number; value: number[] } = { version: -1, value: [] };

  showPoints(zoom: number): boolean {
    return zoom >= COMPONENT_POINTS_ZOOM;
  }

  build(input: ComponentLayerInput): Layer[] {
    const { status, statusVersion, lonlat, colors, px } = input;
    const binned = input.visible && !this.showPoints(input.zoom);
    this.bins ??= binPositions(lonlat);
    if (this.alerts.version !== statusVersion) this.alerts = { version: statusVersion, value: alertIndices(status) };
    return [
      new HexagonLayer({
        id: COMPONENT_BINS_ID,
        visible: binned,
        data: this.bins as never,
        gpuAggregation: false,
        radius: COMPONENT_BIN_RADIUS_M,
        coverage: 0.88,
        extruded: false,
        opacity: 0.5,
        // Colour by how many (the hover card counts them by status; the damaged and alarmed are the points on top).
        colorAggregation: 'SUM',
        colorRange: COMPONENT_BIN_RAMP,
        colorScaleType: 'quantile',
        pickable: true,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 90],
      } as never),
      new ScatterplotLayer<number>({
        id: COMPONENT_ALERTS_ID,
        visible: binned,
        data: this.alerts.value,
        getPosition: (i) => [lonlat[i * 2], lonlat[i * 2 + 1]],
        getFillColor: (i) => [colors[i * 4], colors[i * 4 + 1], colors[i * 4 + 2], 255],
        getLineColor: [20, 10, 10, 255],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 0.6 * px,
        radiusUnits: 'pixels',
        getRadius: 2.6 * px,
        radiusMinPixels: 1.5,
        pickable: true,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 220],
        updateTriggers: { getFillColor: statusVersion, getLineWidth: px, getRadius: px },
      }),
    ];
  }
}
