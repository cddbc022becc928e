// Kiosk mode and the focus rotation in the dashboard: whether controls hide (the app's `kiosk` class), the
// current focus view (stepped every `rotateS`), and its video side effect — entering the video view
// brings up the cameras nearest the newest open case; leaving it hides the wall again.
import { useEffect, useMemo, useRef, useState } from 'react';
import { nearestCameras } from '../../../core/video.ts';
import { DISTRICT_CODE } from '../../../core/org.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import type { LiveStore } from '../state/store.ts';
import { hideVideoWall, openVideos } from '../video/wall.ts';
import { kioskOptions, viewAt, type FocusView } from './rotation.ts';
import './kiosk.css';

const VIDEO_TILES = 4;

export function useKiosk(search: string, scope: string, data: LoadedDataset, store: LiveStore): { kiosk: boolean; view: FocusView | null; step: number } {
  const opts = useMemo(() => kioskOptions(search), [search]);
  const [step, setStep] = useState(0);
  useEffect(() => {
    setStep(0);
    if (!opts.rotateS) return;
    const id = window.setInterval(() => setStep((s) => s + 1), opts.rotateS * 1000);
    return () => window.clearInterval(id);
  }, [opts.rotateS]);
  const towns = useMemo(() => (scope === DISTRICT_CODE ? data.manifest.townships.map((t) => t.code) : []), [data, scope]);
  const view = opts.rotateS ? viewAt(step, towns) : null;

  const storeRef = useRef(store);
  storeRef.current = store;
  const kind = view?.kind ?? null;
  useEffect(() => {
    if (kind !== 'video') return;
    const s = storeRef.current;
    let newest: { lon: number; lat: number; at: number } | null = null;
    for (const c of s.cases.values()) if (c.closedAt === null && c.voidedAt === null && (!newest || c.reportedAt > newest.at)) newest = { lon: c.lon, lat: c.lat, at: c.reportedAt };
    const [w, south, e, n] = data.manifest.district.bbox;
    const at: [number, number] = newest ? [newest.lon, newest.lat] : [(w + e) / 2, (south + n) / 2];
    const near = nearestCameras(at, data.devices.camera, s.status.camera, VIDEO_TILES);
    openVideos(near.map((i) => ({ kind: 'camera' as const, id: data.devices.camera[i].id })), 'api');
    return () => hideVideoWall();
  }, [kind, step, data]);
  return { kiosk: opts.kiosk, view, step };
}
