// The video wall floating over the map: 1, 4, 9 or 16 tiles; streams come from a click on a
// camera, lookout or drone (openVideo), from other panels (wall.ts), and by themselves when a
// video-AI alarm or an urgent case appears while the wall is shown (the nearest online cameras).
// Pinned tiles stay.
import { useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nearestCameras } from '../../../core/video.ts';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { VideoTile } from './VideoTile.tsx';
import { newTriggers } from './triggers.ts';
import { onVideoRequest, openVideo, openVideos } from './wall.ts';
import { closeTile, initialWall, LAYOUTS, place, placeMany, setLayout, togglePin, type Layout, type StreamRef, type TileReason, type WallState } from './wallState.ts';
import './video.css';
import { exposeForTests } from '../test-hooks.ts';

/** How many cameras an alarm or urgent case brings up. */
export const AUTO_CAMERAS = 4;
/** At most one automatic bring-up per this many ms: a burst of detections must not churn the wall. */
export const AUTO_EVERY_MS = 30_000;
const AUTO_KEY = 'linkage.video.auto';

function readAuto(): boolean {
  try {
    return localStorage.getItem(AUTO_KEY) !== 'off';
  } catch {
    return true;
  }
}

type Action =
  | { type: 'place'; refs: StreamRef[]; reason: TileReason }
  | { type: 'pin' | 'close'; slot: number }
  | { type: 'layout'; layout: Layout }
  | { type: 'open' | 'hide' | 'minimize' | 'restore' };

function reduce(s: WallState, a: Action): WallState {
  switch (a.type) {
    case 'place':
      return a.refs.length === 1 ? place(s, a.refs[0], a.reason).state : placeMany(s, a.refs, a.reason);
    case 'pin':
      return togglePin(s, a.slot);
    case 'close':
      return closeTile(s, a.slot);
    case 'layout':
      return setLayout(s, a.layout);
    case 'open':
      return { ...s, open: true, minimized: false };
    case 'hide':
      return { ...s, open: false };
    case 'minimize':
      return { ...s, minimized: true };
    case 'restore':
      return { ...s, minimized: false };
  }
}

export function VideoWall({ data }: { data: LoadedDataset }) {
  const { t } = useTranslation();
  const { store } = useLinkage();
  const [wall, dispatch] = useReducer(reduce, undefined, () => initialWall(4));

  useEffect(() => onVideoRequest((r) => dispatch(r.hide ? { type: 'hide' } : { type: 'place', refs: r.refs, reason: r.reason })), []);
  // For browser tests: the same API other panels use.
  useEffect(() => exposeForTests('__linkageVideo', { openVideo, openVideos }), []);

  // Alarms and urgent cases since this screen started bring their nearest online cameras up.
  const [auto, setAuto] = useState(readAuto);
  const since = useRef(Date.now());
  const seen = useRef(new Set<string>());
  const lastAuto = useRef(0);
  const wallOpen = wall.open;
  const alarmsVersion = useLive((s) => s.version.alarms);
  const casesVersion = useLive((s) => s.version.cases);
  useEffect(() => {
    const fresh = newTriggers(store.alarms.values(), store.cases.values(), seen.current, since.current);
    for (const tr of fresh) seen.current.add(tr.key);
    // The newest one wins; the others of a burst are only marked seen.
    const tr = fresh.at(-1);
    // Only while the wall is shown: a closed wall was closed on purpose (and costs no CPU).
    if (!auto || !wallOpen || !tr || Date.now() - lastAuto.current < AUTO_EVERY_MS) return;
    const near = nearestCameras([tr.lon, tr.lat], data.devices.camera, store.status.camera, AUTO_CAMERAS);
    if (!near.length) return;
    lastAuto.current = Date.now();
    openVideos(near.map((i) => ({ kind: 'camera', id: data.devices.camera[i].id })), tr.reason);
  }, [alarmsVersion, casesVersion, store, data, auto, wallOpen]);
  const toggleAuto = () =>
    setAuto((a) => {
      try {
        localStorage.setItem(AUTO_KEY, a ? 'off' : 'on');
      } catch {
        /* private mode */
      }
      if (!a) lastAuto.current = 0; // switched on: the next alarm comes up at once
      return !a;
    });

  const used = wall.tiles.filter(Boolean).length;
  if (!wall.open) {
    return (
      <button type="button" className="vwall-toggle" onClick={() => dispatch({ type: 'open' })} data-testid="video-wall-toggle">
        ▶ {t('video.wall')}
        {used > 0 && <span className="vwall-count">{used}</span>}
      </button>
    );
  }
  return (
    <section className={`vwall vwall-${wall.layout} ${wall.minimized ? 'is-min' : ''}`} data-testid="video-wall" data-layout={wall.layout} data-minimized={wall.minimized ? '1' : '0'}>
      <header className="vwall-head">
        <h2>{t('video.wall')}</h2>
        <span className="vwall-used">{t('video.used', { used, all: wall.layout })}</span>
        <button type="button" className={`vwall-auto ${auto ? 'on' : ''}`} onClick={toggleAuto} title={t('video.autoHint')} data-testid="video-auto" aria-pressed={auto}>
          {t('video.auto')}
        </button>
        <div className="vwall-layouts" role="group" aria-label={t('video.layout')}>
          {LAYOUTS.map((n) => (
            <button key={n} type="button" className={n === wall.layout ? 'on' : ''} onClick={() => dispatch({ type: 'layout', layout: n })} data-testid={`video-layout-${n}`} title={t('video.layoutN', { n })}>
              {n}
            </button>
          ))}
        </div>
        <button type="button" className="vwall-btn" onClick={() => dispatch({ type: wall.minimized ? 'restore' : 'minimize' })} title={wall.minimized ? t('video.restore') : t('video.minimize')} data-testid="video-wall-min">
          {wall.minimized ? '▢' : '—'}
        </button>
        <button type="button" className="vwall-btn" onClick={() => dispatch({ type: 'hide' })} title={t('video.hide')} data-testid="video-wall-close">
          ✕
        </button>
      </header>
      <div className="vwall-grid">
        {wall.tiles.map((tile, slot) =>
          tile ? (
            <VideoTile key={`${tile.ref.kind}:${tile.ref.id}`} tile={tile} slot={slot} onPin={() => dispatch({ type: 'pin', slot })} onClose={() => dispatch({ type: 'close', slot })} />
          ) : (
            <div key={`free-${slot}`} className="vtile vtile-free" data-testid="video-free" data-slot={slot}>
              {t('video.free')}
            </div>
          ),
        )}
      </div>
    </section>
  );
}
