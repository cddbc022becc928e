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
import { LayerFactory, pickRef, type PickRef, type Visibility } from './layers.ts';
import { fitPadding } from './geometry.ts';

setWorkerUrl(workerUrl);

/** Minimum time between two pushes of new layer props to deck.gl. */
const UPDATE_MS = 200;

export interface MapViewProps {
  data: LoadedDataset;
  store: LiveStore;
  subscribe: (fn: () => void) => () => void;
  visibility: Visibility;
  showGrids: boolean;
  px: number;
  onHover: (p: { ref: PickRef; x: number; y: number } | null) => void;
  onPick: (p: PickRef | null) => void;
}

export function MapView(props: MapViewProps) {
  const el = useRef<HTMLDivElement>(null);
  const live = useRef(props);
  live.current = props;
  const api = useRef<{ update: () => void; restyle: () => void } | null>(null);

  useEffect(() => {
    const container = el.current!;
    const { data } = live.current;
    const bbox = data.manifest.district.bbox;
    const bounds: LngLatBoundsLike = [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ];
    const map = new MlMap({
      container,
      style: buildStyle(data, live.current.px, live.current.showGrids),
      bounds,
      fitBoundsOptions: { padding: fitPadding(container.clientWidth, container.clientHeight) },
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

    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      useDevicePixels: true,
      pickingRadius: 4,
      onBeforeRender: () => {
        renderStart = performance.now();
      },
      onAfterRender: () => {
        // Adapt the update rate to what this machine can draw: on a software renderer a frame can
        // take seconds, and pushing faster would starve the socket and the panels.
        // Measured from the layer push (includes the stall of a software GPU), else the draw itself.
        const ms = performance.now() - (pushAt > 0 ? pushAt : renderStart);
        pushAt = 0;
        renderMs = renderMs === 0 ? ms : renderMs * 0.7 + ms * 0.3;
        document.body.dataset.mapReady = '1';
        if (mapLoaded && pushedWithSnapshot && !document.body.dataset.ready) {
          document.body.dataset.ready = '1';
          window.dispatchEvent(new Event('linkage:ready'));
        }
      },
      onHover: (info: PickingInfo) => {
        const ref = info.layer ? pickRef(info.layer.id, info.index, info.object) : null;
        live.current.onHover(ref ? { ref, x: info.x, y: info.y } : null);
      },
      onClick: (info: PickingInfo) => {
        const ref = info.layer ? pickRef(info.layer.id, info.index, info.object) : null;
        live.current.onPick(ref);
      },
      getCursor: ({ isHovering }: { isHovering: boolean }) => (isHovering ? 'pointer' : 'grab'),
    } as never);
    map.addControl(overlay as never);

    let timer = 0;
    const push = () => {
      timer = 0;
      if (disposed) return;
      lastPush = performance.now();
      const p = live.current;
      const t0 = performance.now();
      const layers = factory.build(p.store, p.visibility, p.px, Date.now());
      overlay.setProps({ layers });
      pushAt = performance.now();
      const dt = performance.now() - t0;
      const perf = ((window as unknown as { __linkagePerf?: { layerMs: number[]; renderMs: number } }).__linkagePerf ??= { layerMs: [], renderMs: 0 });
      perf.layerMs.push(dt);
      perf.renderMs = renderMs;
      (perf as { longTaskMs?: number }).longTaskMs = longTaskMs;
      if (perf.layerMs.length > 200) perf.layerMs.shift();
      if (p.store.seq >= 0) pushedWithSnapshot = true;
    };
    const update = () => {
      if (timer) return;
      const interval = Math.max(UPDATE_MS, Math.min(5000, renderMs * 3, 5000), Math.min(4000, longTaskMs * 2));
      const wait = Math.max(0, interval - (performance.now() - lastPush));
      timer = window.setTimeout(push, wait);
    };
    const restyle = () => {
      map.setStyle(buildStyle(live.current.data, live.current.px, live.current.showGrids));
      const c = map.getContainer();
      map.fitBounds(bounds, { padding: fitPadding(c.clientWidth, c.clientHeight), animate: false });
      update();
    };
    map.on('load', () => {
      mapLoaded = true;
      document.body.dataset.basemap = '1';
      update();
    });
    push();
    const unsub = live.current.subscribe(update);
    // Overdue flags depend on the clock: refresh at least every 30 s even without data.
    const tick = window.setInterval(update, 30_000);
    api.current = { update, restyle };
    (window as unknown as { __linkageMap?: unknown }).__linkageMap = map;
    return () => {
      disposed = true;
      unsub();
      window.clearInterval(tick);
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
  }, [props.visibility]);

  const styled = useRef({ px: props.px, showGrids: props.showGrids });
  useEffect(() => {
    if (styled.current.px === props.px && styled.current.showGrids === props.showGrids) return;
    styled.current = { px: props.px, showGrids: props.showGrids };
    api.current?.restyle();
  }, [props.px, props.showGrids]);

  return <div ref={el} className="map" data-testid="map" />;
}
