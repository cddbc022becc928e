// deck.gl layers of the live map. Layer ids are stable for the app's life; the big point layers
// use binary attributes straight from the store's typed arrays, and a status change reaches the
// GPU as one new colour array (a copy of the store's, made at most once per render) — never as
// 100,000 rebuilt objects.
import { PathLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { DEVICE_KINDS, isOverdue, isWarning, OPEN_STAGES, type CaseSummary, type DeviceKind } from '../../../core/domain.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { trackPath, type LiveStore } from '../state/store.ts';
import { CASE_RGBA, STAGE_RGBA } from '../state/colors.ts';
import { viewCone } from './geometry.ts';
import { droneMissionLayers } from '../drones/layers.ts';
import { broadcastDraftLayers } from '../broadcast/layers.ts';
import type { BroadcastMapDraft } from '../broadcast/draft.ts';
import { coverageLayer, workerTrackLayer } from './patrolLayers.ts';
import { hotspotLayer } from '../analysis/hotspotLayer.ts';
import { caseDensityLayer, DENSITY_LAYER_ID, type DensityView } from '../analysis/densityLayer.ts';
import type { HotSpot } from '../../../core/analysis.ts';
import { COMPONENT_ALERTS_ID, COMPONENT_BINS_ID, ComponentLayers } from './componentLayers.ts';
import type { EmergencyResource } from '../../../core/resources.ts';
import { RESOURCE_LAYER_ID, resourceLayer } from '../resources/layers.ts';

export const LAYER_KEYS = ['component', 'camera', 'lookout', 'drone', 'broadcast', 'worker', 'cases', 'labels', 'resources'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];
export type Visibility = Record<LayerKey, boolean>;
export const DEFAULT_VISIBILITY: Visibility = { component: true, camera: true, lookout: true, drone: true, broadcast: true, worker: true, cases: true, labels: true, resources: false };

export const FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

export interface PickRef {
  kind: DeviceKind | 'case' | 'density' | 'component-bin' | 'resource';
  index: number;
  caseId?: string;
  /** Cases in a picked density hexagon. */
  count?: number;
  /** The components in a picked component hexagon. */
  indices?: readonly number[];
  /** A picked emergency resource (its card shows it as picked). */
  resource?: EmergencyResource;
}

/** Point radius in CSS pixels (before the screen scale) per kind. */
const RADIUS: Record<DeviceKind, number> = { component: 1.3, camera: 2.4, lookout: 6, drone: 8, broadcast: 3.2, worker: 3.6 };

/** What the map shows beyond the live store: the case open in the detail panel, a location being picked. */
export interface MapExtras {
  selectedCaseId: string | null;
  marker: [number, number] | null;
  /** The point picked in the drone dispatch form. */
  droneTarget?: [number, number] | null;
  /** An emergency broadcast being prepared: its area and selected points. */
  broadcast?: BroadcastMapDraft | null;
  /** The patrol track (current shift) of the grid worker open in the detail card. */
  workerTrack?: [number, number][] | null;
  /** Patrol coverage 0..1 by grid index when the coverage view is on. */
  coverage?: Float32Array | null;
  /** Places where cases repeat (last 7 days) when the hot-spot view is on. */
  hotspots?: HotSpot[] | null;
  /** Cases of the last 7 days binned into hexagons when the density view is on (MapView fills it from `densityView`). */
  density?: DensityView | null;
  /** The emergency resources of the screen's area, and the glyph of each in the screen's language. */
  resources?: { list: readonly EmergencyResource[]; glyph: (r: EmergencyResource) => string };
  /** A point to fly the map to (a new object each time it is asked). */
  flyTo?: { lon: number; lat: number } | null;
}

/** Overdue cases pulse: the ring steps every PULSE_STEP_MS through PULSE_STEPS sizes (about 2 Hz). */
export const PULSE_STEP_MS = 500;
const PULSE_STEPS = 4;

interface Cached<T> {
  version: number;
  value: T;
}

export class LayerFactory {
  private colorCache = new Map<DeviceKind, Cached<Uint8Array>>();
  private posCache = new Map<DeviceKind, Cached<Float64Array>>();
  private caseCache: Cached<CaseSummary[]> & { minute: number; overdue: CaseSummary[]; whistled: CaseSummary[] } = { version: -1, minute: -1, value: [], overdue: [], whistled: [] };
  private coneCache: Cached<{ polygon: [number, number][]; index: number }[]> = { version: -1, value: [] };
  private components = new ComponentLayers();
  private labelData: { text: string; position: [number, number]; level: 'township' | 'community' | 'neighbour' }[];

  constructor(private readonly data: LoadedDataset) {
    this.labelData = [
      ...data.manifest.townships.map((t) => ({ text: t.name, position: t.center, level: 'township' as const })),
      ...data.manifest.communities.map((c) => ({ text: c.name, position: c.center, level: 'community' as const })),
      // the neighbouring counties, dimmed: the screen reads as Anqing (placed for the view by setLabels)
      ...data.surroundings.features.map((f) => ({ text: String(f.properties?.name), position: f.properties?.label as [number, number], level: 'neighbour' as const })),
    ];
  }

  /** Every place name as placed for the current view (map/labels.ts): the ones left out are not drawn. */
  setLabels(list: { text: string; position: [number, number]; level: 'township' | 'community' | 'neighbour' }[]): void {
    this.labelData = list;
  }

  /** Label sizes in pixels at screen scale `px`. */
  static labelSize(level: 'township' | 'community' | 'neighbour', px: number): number {
    return (level === 'township' ? 17 : level === 'neighbour' ? 15 : 10.5) * px;
  }

  /** The store's colour array for GPU upload: a fresh copy when the statuses changed since the last one. */
  private colors(store: LiveStore, kind: DeviceKind): Uint8Array {
    const v = store.version.status[kind];
    const c = this.colorCache.get(kind);
    if (c && c.version === v) return c.value;
    const value = store.colors[kind].slice();
    this.colorCache.set(kind, { version: v, value });
    return value;
  }

  private positions(store: LiveStore, kind: DeviceKind): Float64Array {
    // The fixed layers as the registry has them (grown, moved; NaN where absent).
    if (kind === 'camera' || kind === 'lookout' || kind === 'broadcast') return store.placed[kind];
    if (kind !== 'drone' && kind !== 'worker') return this.data.positions[kind];
    const v = store.version.moving[kind];
    const c = this.posCache.get(kind);
    if (c && c.version === v) return c.value;
    const value = store.moving[kind].lonlat.slice();
    this.posCache.set(kind, { version: v, value });
    return value;
  }

  private openCases(store: LiveStore, now: number): CaseSummary[] {
    const minute = Math.floor(now / 30_000); // overdue flags change with time too
    if (this.caseCache.version === store.version.cases && this.caseCache.minute === minute) return this.caseCache.value;
    const value = [...store.cases.values()].filter((c) => OPEN_STAGES.has(c.stage));
    // Overdue and urgent on top.
    value.sort((a, b) => rank(a, now) - rank(b, now));
    const overdue = value.filter((c) => isOverdue(c, now));
    const whistled = value.filter((c) => c.whistleId !== null);
    this.caseCache = { version: store.version.cases, minute, value, overdue, whistled };
    return value;
  }

  /** Whether any shown case pulses (the map then redraws at the pulse rate). */
  hasPulse(store: LiveStore, now: number): boolean {
    this.openCases(store, now);
    return this.caseCache.overdue.length > 0;
  }

  private points(store: LiveStore, kind: DeviceKind, visible: boolean, px: number, extra: Record<string, unknown> = {}): Layer {
    const pos = this.positions(store, kind);
    return new ScatterplotLayer({
      id: `dev-${kind}`,
      visible,
      data: {
        length: pos.length / 2,
        attributes: {
          getPosition: { value: pos, size: 2 },
          getFillColor: { value: this.colors(store, kind), size: 4, normalized: true },
        },
      },
      radiusUnits: 'pixels',
      getRadius: RADIUS[kind] * px,
      radiusMinPixels: 1,
      pickable: true,
      autoHighlight: kind !== 'component',
      highlightColor: [255, 255, 255, 200],
      ...extra,
    } as never);
  }

  build(store: LiveStore, vis: Visibility, px: number, now: number, extras: MapExtras, zoom: number): Layer[] {
    const layers: Layer[] = [];
    const d = this.data;

    // Grids coloured by patrol coverage under everything else (hidden unless the view is on).
    layers.push(coverageLayer(d, extras.coverage ?? null));
    layers.push(caseDensityLayer(extras.density));
    layers.push(hotspotLayer(extras.hotspots ?? null, px));

    // Lookout view cones under the device points.
    if (this.coneCache.version !== store.version.status.lookout) {
      this.coneCache = {
        version: store.version.status.lookout,
        value: d.devices.lookout.map((l, index) => ({ index, polygon: viewCone(l.lon, l.lat, l.heading, l.fov, l.rangeM) })),
      };
    }
    const lookStatus = store.status.lookout;
    layers.push(
      new SolidPolygonLayer({
        id: 'lookout-cones',
        visible: vis.lookout,
        data: this.coneCache.value,
        getPolygon: (o: { polygon: [number, number][] }) => o.polygon,
        getFillColor: (o: { index: number }) => (lookStatus[o.index] === 0 ? [180, 130, 255, 30] : lookStatus[o.index] === 1 ? [120, 120, 135, 30] : [255, 80, 80, 60]),
        updateTriggers: { getFillColor: store.version.status.lookout },
        pickable: false,
      } as never),
    );

    // Components: one point each from street level on, else hexagons with the damaged and alarmed on top.
    layers.push(this.points(store, 'component', vis.component && this.components.showPoints(zoom), px));
    layers.push(
      ...this.components.build({
        lonlat: this.data.positions.component,
        status: store.status.component,
        statusVersion: store.version.status.component,
        colors: store.colors.component,
        visible: vis.component,
        zoom,
        px,
      }),
    );
    layers.push(this.points(store, 'broadcast', vis.broadcast, px, { stroked: true, getLineColor: [10, 30, 20, 255], lineWidthUnits: 'pixels', getLineWidth: 0.6 * px }));
    layers.push(this.points(store, 'camera', vis.camera, px));
    layers.push(this.points(store, 'worker', vis.worker, px, { stroked: true, getLineColor: [0, 40, 60, 255], lineWidthUnits: 'pixels', getLineWidth: 1 * px }));

    // Cases: open ones, coloured by stage; overdue red on top and pulsing; whistled ones ringed.
    const cases = this.openCases(store, now);
    const slot = Math.floor(now / 30_000); // warning/overdue flags change with time too
    const phase = Math.floor(now / PULSE_STEP_MS) % PULSE_STEPS;
    const t = phase / PULSE_STEPS;
    layers.push(
      new ScatterplotLayer<CaseSummary>({
        id: 'case-pulse',
        visible: vis.cases,
        data: this.caseCache.overdue,
        getPosition: (c) => [c.lon, c.lat],
        getFillColor: [255, 40, 60, Math.round(150 * (1 - t))],
        getLineColor: [255, 60, 80, Math.round(255 * (1 - t))],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5 * px,
        radiusUnits: 'pixels',
        getRadius: (7 + 13 * t) * px,
        pickable: false,
        updateTriggers: { getFillColor: phase, getLineColor: phase, getRadius: [phase, px] },
      }),
    );
    layers.push(
      new ScatterplotLayer<CaseSummary>({
        id: 'case-whistle',
        visible: vis.cases,
        data: this.caseCache.whistled,
        getPosition: (c) => [c.lon, c.lat],
        filled: false,
        stroked: true,
        getLineColor: CASE_RGBA.whistle,
        lineWidthUnits: 'pixels',
        getLineWidth: 2.2 * px,
        radiusUnits: 'pixels',
        getRadius: 11 * px,
        pickable: false,
      }),
    );
    layers.push(
      new ScatterplotLayer<CaseSummary>({
        id: 'cases',
        visible: vis.cases,
        data: cases,
        getPosition: (c) => [c.lon, c.lat],
        getFillColor: (c) => caseColor(c, now),
        getLineColor: (c) => caseLine(c, now),
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: (c) => (isWarning(c, now) || c.urgency === 'urgent' ? 2.2 : 1.2) * px,
        radiusUnits: 'pixels',
        getRadius: (c) => (isOverdue(c, now) ? 7.5 : c.urgency === 'urgent' ? 6.8 : 5.6) * px,
        pickable: true,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 230],
        updateTriggers: { getFillColor: [store.version.cases, slot], getLineColor: [store.version.cases, slot], getLineWidth: [store.version.cases, slot, px], getRadius: [store.version.cases, slot, px] },
      }),
    );
    const selected = extras.selectedCaseId ? store.cases.get(extras.selectedCaseId) : undefined;
    const marks: { position: [number, number]; kind: 'selected' | 'marker' }[] = [];
    if (selected) marks.push({ position: [selected.lon, selected.lat], kind: 'selected' });
    if (extras.marker) marks.push({ position: extras.marker, kind: 'marker' });
    layers.push(
      new ScatterplotLayer<{ position: [number, number]; kind: string }>({
        id: 'case-marks',
        data: marks,
        getPosition: (m) => m.position,
        filled: false,
        stroked: true,
        getLineColor: (m) => (m.kind === 'marker' ? [56, 211, 255, 255] : [255, 255, 255, 255]),
        lineWidthUnits: 'pixels',
        getLineWidth: 2.5 * px,
        radiusUnits: 'pixels',
        getRadius: (m) => (m.kind === 'marker' ? 9 : 14) * px,
        pickable: false,
        updateTriggers: { getLineColor: marks.map((m) => m.kind).join(), getRadius: [marks.map((m) => m.kind).join(), px] },
      }),
    );

    layers.push(...broadcastDraftLayers(extras.broadcast, this.data.positions.broadcast, px));
    layers.push(workerTrackLayer(extras.workerTrack ?? null, px));

    // Lookouts as big diamonds-ish rings.
    layers.push(this.points(store, 'lookout', vis.lookout, px, { stroked: true, getLineColor: [255, 255, 255, 255], lineWidthUnits: 'pixels', getLineWidth: 1.5 * px }));

    if (extras.resources) layers.push(resourceLayer(extras.resources.list, vis.resources, px, extras.resources.glyph));

    // Drones: tracks, halo, point.
    const tracks = store.tracks.map((t, i) => ({ i, path: trackPath(t) })).filter((t) => t.path.length > 1);
    layers.push(
      new PathLayer({
        id: 'drone-tracks',
        visible: vis.drone,
        data: tracks,
        getPath: (t: { path: [number, number][] }) => t.path,
        getColor: [255, 230, 80, 200],
        widthUnits: 'pixels',
        getWidth: 2.2 * px,
        capRounded: true,
        jointRounded: true,
        updateTriggers: { getPath: store.version.moving.drone },
      } as never),
    );
    layers.push(...droneMissionLayers(store, vis.drone, px, extras.droneTarget ?? null));
    const dronePos = this.positions(store, 'drone');
    layers.push(
      new ScatterplotLayer({
        id: 'drone-halo',
        visible: vis.drone,
        data: { length: dronePos.length / 2, attributes: { getPosition: { value: dronePos, size: 2 } } },
        getFillColor: [255, 230, 80, 50],
        getLineColor: [255, 230, 80, 220],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5 * px,
        radiusUnits: 'pixels',
        getRadius: 16 * px,
        pickable: false,
      } as never),
    );
    layers.push(this.points(store, 'drone', vis.drone, px, { stroked: true, getLineColor: [40, 30, 0, 255], lineWidthUnits: 'pixels', getLineWidth: 2 * px }));

    // Place names (deck.gl text: local fonts, no glyph server).
    layers.push(
      new TextLayer({
        id: 'place-names',
        visible: vis.labels,
        data: this.labelData,
        getText: (o: { text: string }) => o.text,
        getPosition: (o: { position: [number, number] }) => o.position,
        getSize: (o: { level: 'township' | 'community' | 'neighbour' }) => LayerFactory.labelSize(o.level, px),
        getColor: (o: { level: string }) => (o.level === 'township' ? [225, 240, 255, 245] : o.level === 'neighbour' ? [120, 145, 175, 150] : [150, 190, 230, 170]),
        sizeUnits: 'pixels',
        characterSet: 'auto',
        fontFamily: FONT_FAMILY,
        fontWeight: 600,
        fontSettings: { sdf: true, fontSize: 64, buffer: 6, radius: 12 },
        outlineWidth: 3,
        outlineColor: [5, 13, 28, 230],
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        // Accessor functions are only re-run when a trigger changes: the screen scale is one.
        updateTriggers: { getSize: px },
        pickable: false,
      } as never),
    );
    return layers;
  }
}

function rank(c: CaseSummary, now: number): number {
  return isOverdue(c, now) ? 2 : c.urgency === 'urgent' ? 1 : 0;
}

/** Fill: red when overdue, else the stage's colour. */
export function caseColor(c: CaseSummary, now: number): [number, number, number, number] {
  if (isOverdue(c, now)) return CASE_RGBA.overdue;
  return STAGE_RGBA[c.stage] ?? CASE_RGBA.open;
}

/** Outline: yellow in the warning window, orange for urgent cases, white otherwise. */
export function caseLine(c: CaseSummary, now: number): [number, number, number, number] {
  if (isWarning(c, now)) return CASE_RGBA.warning;
  if (c.urgency === 'urgent') return CASE_RGBA.urgent;
  return [255, 255, 255, 220];
}

/** Maps a deck.gl layer id + index back to what was picked. */
export function pickRef(layerId: string, index: number, object: unknown): PickRef | null {
  if (index < 0) return null;
  if (layerId === 'cases') return { kind: 'case', index, caseId: (object as CaseSummary | undefined)?.id };
  if (layerId === RESOURCE_LAYER_ID) return object ? { kind: 'resource', index, resource: object as EmergencyResource } : null;
  if (layerId === COMPONENT_ALERTS_ID && typeof object === 'number') return { kind: 'component', index: object };
  if (layerId === COMPONENT_BINS_ID) {
    // (Not the bin's `position`: deck.gl 9.4 reports it without the hexagon grid's origin.)
    return { kind: 'component-bin', index, indices: (object as { pointIndices?: number[] } | undefined)?.pointIndices ?? [] };
  }
  if (layerId === DENSITY_LAYER_ID) return { kind: 'density', index, count: (object as { count?: number } | undefined)?.count ?? 0 };
  const m = /^dev-(\w+)$/.exec(layerId);
  if (m && (DEVICE_KINDS as readonly string[]).includes(m[1])) return { kind: m[1] as DeviceKind, index };
  return null;
}
