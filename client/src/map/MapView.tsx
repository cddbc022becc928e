// ONE MapLibre map and ONE deck.gl overlay for the app's life. React only feeds it props.
import { useEffect, useRef } from 'react';
import { Map as MlMap, setWorkerUrl, type LngLatBoundsLike } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { PickingInfo } from '@deck.gl/core';
import type { LoadedDataset } from '../state/dataset.ts';
import type { LiveStore } from '../state/store.ts';
import { buildStyle } from './style.ts';
import { labelInView, placeLabels, type LabelCandidate } from './labels.ts';
import { LayerFactory, PULSE_STEP_MS, pickRef, type MapExtras, type PickRef, type Visibility } from './layers.ts';
import { fitPadding } from './geometry.ts';
import { densityView } from '../analysis/densityLayer.ts';
import { COMPONENT_POINTS_ZOOM } from './componentLayers.ts';
import { ClickGesture, clickTarget, type Hovered } from './clickGesture.ts';
import { GpuFrameTimer } from './gpuFrameTimer.ts';
import { TEST_HOOKS, exposeForTests } from '../test-hooks.ts';

setWorkerUrl(workerUrl);

/** Minimum time between two pushes of new layer props to deck.gl. */
const UPDATE_MS = 200;

/** How far from the map's left edge the open layer panel reaches over it (0 when folded or absent). */
function panelInset(container: HTMLElement): number {
  const panel = document.querySelector('.layer-panel:not(.collapsed)');
  if (!panel) return 0;
  return Math.max(0, panel.getBoundingClientRect().right - container.getBoundingClientRect().left);
}

export interface MapViewProps {
  data: LoadedDataset;
  store: LiveStore;
  subscribe: (fn: () => void) => () => void;
  visibility: Visibility;
  showGrids: boolean;
  px: number;
  onHover: (p: { ref: PickRef; x: number; y: number } | null) => void;
  onPick: (p: PickRef | null) => void;
  /** The area to show (west, south, east, north): the district, or a township screen's township. */
  focus: [number, number, number, number];
  /** Admin code of a township/community screen's area (outlined), null on the district screen. */
  scope: string | null;
  extras: MapExtras;
  /** When set, a click on the map gives its position (picking a report's location) instead of picking a feature. */
  /** While picking a place: the clicked point on the ground, and where on the screen (CSS px). */
  onMapClick?: ((lonlat: [number, number], at: { x: number; y: number }) => void) | null;
}

export function MapView(props: MapViewProps) {
  const el = useRef<HTMLDivElement>(null);
  const live = useRef(props);
  live.current = props;
  const api = useRef<{ update: () => void; restyle: (refit?: boolean) => void; refit: () => void; drawing?: (on: boolean) => void; fly?: (lon: number, lat: number) => void } | null>(null);

  useEffect(() => {
    const container = el.current!;
    const { data } = live.current;
    const boundsOf = (b: [number, number, number, number]): LngLatBoundsLike => [
      [b[0], b[1]],
      [b[2], b[3]],
    ];
    const bounds = boundsOf(live.current.focus);
    const map = new MlMap({
      container,
      style: buildStyle(data, live.current.px, live.current.showGrids, live.current.scope),
      bounds,
      fitBoundsOptions: { padding: fitPadding(container.clientWidth, container.clientHeight, panelInset(container)) },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      renderWorldCopies: false,
      fadeDuration: 0,
      maxZoom: 19,
    });
    const factory = new LayerFactory(data);
    let mapLoaded = false;
    let pushedWithSnapshot = false;
    let disposed = false;
    let lastPush = 0;
    let renderStart = 0;
    let renderMs = 0;
    let pushAt = 0;
    // Native frame cost (a software GPU shows up as long tasks, not as JS in onAfterRender).
    let longTaskMs = 0;
    let longTaskObserver: PerformanceObserver | null = null;
    try {
      longTaskObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTaskMs = longTaskMs * 0.6 + e.duration * 0.4;
      });
      longTaskObserver.observe({ type: 'longtask', buffered: false });
    } catch {
      longTaskObserver = null;
    }
    const decay = window.setInterval(() => (longTaskMs *= 0.8), 2000);
    const gesture = new ClickGesture();
    // What the tooltip names now: a click there opens it (clickTarget).
    let hovered: Hovered<PickRef> | null = null;
    const PICKING_RADIUS = 4;
    const frameTimer = new GpuFrameTimer({ now: () => performance.now(), later: (f, ms) => window.setTimeout(f, ms) }, (ms) => {
      renderMs = renderMs === 0 ? ms : renderMs * 0.7 + ms * 0.3;
    });

    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      useDevicePixels: true,
      pickingRadius: PICKING_RADIUS,
      onBeforeRender: () => {
        renderStart = performance.now();
      },
      onAfterRender: ({ gl }: { gl: WebGL2RenderingContext }) => {
        // Adapt the update rate to what this machine can draw: on a software renderer a frame can
        // take seconds, and pushing faster would starve the socket and the panels.
        // Measured from the layer push, else the draw itself, to when the GPU has drawn it.
        frameTimer.afterDraw(gl, pushAt > 0 ? pushAt : renderStart);
        pushAt = 0;
        document.body.dataset.mapReady = '1';
        if (mapLoaded && pushedWithSnapshot && !document.body.dataset.ready) {
          document.body.dataset.ready = '1';
          window.dispatchEvent(new Event('linkage:ready'));
        }
      },
      onHover: (info: PickingInfo) => {
        const ref = info.layer ? pickRef(info.layer.id, info.index, info.object) : null;
        hovered = ref ? { ref, x: info.x, y: info.y } : null;
        live.current.onHover(hovered);
      },
      onClick: (info: PickingInfo, event: { srcEvent?: { type?: string; originalEvent?: MouseEvent; preventDefault?: () => void } }) => {
        const place = live.current.onMapClick;
        // The overlay forwards MapLibre's click and dblclick: their DOM event counts the clicks.
        const src = event?.srcEvent;
        const route = gesture.route(src?.originalEvent?.detail ?? 1, Boolean(place));
        if (route === 'picker') {
          if (place && info.coordinate) place([info.coordinate[0], info.coordinate[1]], { x: info.x, y: info.y });
          return;
        }
        if (route === 'swallow') {
          // The rest of a double-click that picked a place: neither a feature nor a zoom.
          if (src?.type === 'dblclick') src.preventDefault?.();
          return;
        }
        const ref = clickTarget(info.layer ? pickRef(info.layer.id, info.index, info.object) : null, hovered, info, PICKING_RADIUS);
        // A hexagon of components opens onto its street, where each component is a point.
        if (ref?.kind === 'component-bin' && info.coordinate) {
          map.easeTo({ center: [info.coordinate[0], info.coordinate[1]], zoom: Math.max(map.getZoom() + 1, COMPONENT_POINTS_ZOOM + 0.3), duration: 500 });
          return;
        }
        live.current.onPick(ref);
      },
      getCursor: ({ isHovering }: { isHovering: boolean }) => (live.current.onMapClick ? 'crosshair' : isHovering ? 'pointer' : 'grab'),
    } as never);
    map.addControl(overlay as never);

    // Layer build and frame times, for the bench and the browser tests (a test build only).
    const perf = { layerMs: [] as number[], renderMs: 0, longTaskMs: 0 };
    let timer = 0;
    const push = () => {
      timer = 0;
      if (disposed) return;
      lastPush = performance.now();
      const p = live.current;
      const t0 = performance.now();
      // The density view comes from the layer panel's toggle through its store, not through props.
      const layers = factory.build(p.store, p.visibility, p.px, Date.now(), { ...p.extras, density: p.extras.density ?? densityView.get() }, map.getZoom());
      overlay.setProps({ layers });
      pushAt = performance.now();
      const dt = performance.now() - t0;
      if (TEST_HOOKS) {
        perf.layerMs.push(dt);
        perf.renderMs = renderMs;
        perf.longTaskMs = longTaskMs;
        if (perf.layerMs.length > 200) perf.layerMs.shift();
      }
      if (p.store.seq >= 0) pushedWithSnapshot = true;
    };
    const update = () => {
      if (timer) return;
      const interval = Math.max(UPDATE_MS, Math.min(5000, renderMs * 3, 5000), Math.min(4000, longTaskMs * 2));
      const wait = Math.max(0, interval - (performance.now() - lastPush));
      timer = window.setTimeout(push, wait);
    };
    /** `refit` false: boundaries redrawn under a person's view leave the view where it is. */
    const restyle = (refit_ = true) => {
      map.setStyle(buildStyle(live.current.data, live.current.px, live.current.showGrids, live.current.scope));
      if (refit_) refit();
      else update();
    };
    const refit = () => {
      const c = map.getContainer();
      map.fitBounds(boundsOf(live.current.focus), { padding: fitPadding(c.clientWidth, c.clientHeight, panelInset(c)), animate: false });
      update();
    };
    // Place names for the view (map/labels.ts): neighbouring counties inside the part of them in view,
    // then collision placement with variable anchors, townships first, below the count bar and clear
    // of the layer panel.
    const placeNeighbours = () => {
      const c = map.getContainer();
      const box = c.getBoundingClientRect();
      const bar = c.closest('.map-wrap')?.querySelector('.map-info')?.getBoundingClientRect();
      const view = { left: panelInset(c), top: bar ? bar.bottom - box.top : 0, right: c.clientWidth, bottom: c.clientHeight };
      const { data, px } = live.current;
      const screen = (ll: [number, number]): [number, number] => { const p = map.project(ll); return [p.x, p.y]; };
      const size = (level: 'township' | 'community' | 'neighbour') => LayerFactory.labelSize(level, px);
      const candidates: (LabelCandidate & { level: 'township' | 'community' | 'neighbour' })[] = data.manifest.townships.map((t) => ({ text: t.name, at: screen(t.center), size: size('township'), level: 'township' as const }));
      for (const f of data.surroundings.features) {
        const g = f.geometry;
        const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
        const s = size('neighbour');
        // Room for the name: its own box, at least.
        const at = labelInView(polys.map((poly) => poly[0].map(([lon, lat]) => screen([lon, lat]))), view, 4 * s * 2 * s);
        if (at) candidates.push({ text: String(f.properties?.name), at, size: s, level: 'neighbour' });
      }
      for (const m of data.manifest.communities) candidates.push({ text: m.name, at: screen(m.center), size: size('community'), level: 'community' });
      const placed = placeLabels(candidates, view).map((l) => {
        const ll = map.unproject(l.centre);
        return { ...l, position: [ll.lng, ll.lat] as [number, number] };
      });
      factory.setLabels(placed.map(({ text, position, level }) => ({ text, position, level })));
      if (TEST_HOOKS) exposeForTests('__linkageLabels', { placed: placed.map(({ text, level, box }) => ({ text, level, box })), dropped: candidates.filter((c) => !placed.some((p) => p.text === c.text && p.level === c.level)).map(({ text, level, at }) => ({ text, level, at })), view });
      update();
    };
    // Under a still pointer the map moved: what the tooltip named is elsewhere now.
    map.on('move', () => {
      if (!hovered) return;
      hovered = null;
      live.current.onHover(null);
    });
    map.on('moveend', placeNeighbours);
    map.on('resize', placeNeighbours);
    map.on('load', () => {
      placeNeighbours();
      mapLoaded = true;
      document.body.dataset.basemap = '1';
      update();
    });
    push();
    // Components switch between hexagons and points at street zoom.
    let pointsShown = map.getZoom() >= COMPONENT_POINTS_ZOOM;
    map.on('zoom', () => {
      if (pointsShown === map.getZoom() >= COMPONENT_POINTS_ZOOM) return;
      pointsShown = !pointsShown;
      update();
    });
    const unsub = live.current.subscribe(update);
    const unsubDensity = densityView.subscribe(update);
    // Overdue flags depend on the clock: refresh at least every 30 s even without data.
    const tick = window.setInterval(update, 30_000);
    // Overdue cases pulse: redraw at the pulse rate while there are any (the adaptive interval in
    // update() still holds a slow renderer back).
    const pulse = window.setInterval(() => {
      if (factory.hasPulse(live.current.store, Date.now())) update();
    }, PULSE_STEP_MS);
    // While a shape is drawn on the map, a double-click closes it instead of zooming in.
    const drawing = (on: boolean) => (on ? map.doubleClickZoom.disable() : map.doubleClickZoom.enable());
    // A resource asked for from a case card: close enough to see the streets around it.
    const fly = (lon: number, lat: number) => map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 15), duration: 800 });
    api.current = { update, restyle, refit, drawing, fly };
    exposeForTests('__linkageMap', map);
    exposeForTests('__linkageDeck', overlay);
    exposeForTests('__linkagePerf', perf);
    return () => {
      disposed = true;
      frameTimer.dispose();
      unsub();
      unsubDensity();
      window.clearInterval(tick);
      window.clearInterval(pulse);
      window.clearInterval(decay);
      longTaskObserver?.disconnect();
      if (timer) window.clearTimeout(timer);
      map.removeControl(overlay as never);
      overlay.finalize();
      map.remove();
      api.current = null;
    };
  }, []);

  useEffect(() => {
    api.current?.update();
  }, [props.visibility, props.extras.selectedCaseId, props.extras.marker, props.extras.droneTarget, props.extras.broadcast, props.extras.workerTrack, props.extras.coverage, props.extras.hotspots, props.extras.resources]);

  useEffect(() => {
    const to = props.extras.flyTo;
    if (to) api.current?.fly?.(to.lon, to.lat);
  }, [props.extras.flyTo]);

  useEffect(() => {
    api.current?.drawing?.(Boolean(props.onMapClick));
  }, [props.onMapClick]);

  const focusKey = props.focus.join(',');
  const fitted = useRef(focusKey);
  useEffect(() => {
    if (fitted.current === focusKey) return;
    fitted.current = focusKey;
    api.current?.refit();
  }, [focusKey]);

  // Boundaries redrawn by an import come as new collections in `data`: restyle for them too.
  const styled = useRef({ px: props.px, showGrids: props.showGrids, scope: props.scope, boundaries: props.data.boundaries, grids: props.data.grids });
  useEffect(() => {
    const s = styled.current;
    if (s.px === props.px && s.showGrids === props.showGrids && s.scope === props.scope && s.boundaries === props.data.boundaries && s.grids === props.data.grids) return;
    const onlyBoundaries = s.px === props.px && s.showGrids === props.showGrids && s.scope === props.scope;
    styled.current = { px: props.px, showGrids: props.showGrids, scope: props.scope, boundaries: props.data.boundaries, grids: props.data.grids };
    api.current?.restyle(!onlyBoundaries);
  }, [props.px, props.showGrids, props.scope, props.data.boundaries, props.data.grids]);

  return <div ref={el} className="map" data-testid="map" />;
}
