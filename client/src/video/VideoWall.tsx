// The video wall over the map (floating in its corner, or filling it): 1, 4, 9, 16 or 25 tiles;
// streams come from a click on a camera, lookout or drone (openVideo), from other panels (wall.ts),
// from the camera directory and its tours, and by themselves when a video-AI alarm or an urgent
// case appears while the wall is shown (the nearest online cameras). Pinned tiles stay. A kiosk
// screen (?kiosk=1) shows the video only: no header, no buttons.
import { useCallback, useEffect, useReducer, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { nearestCameras } from '../../../core/video.ts';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { useSearch } from '../hooks.ts';
import { kioskOptions } from '../kiosk/rotation.ts';
import { VideoTile } from './VideoTile.tsx';
import { CameraDirectory } from './CameraDirectory.tsx';
import { WallHeader } from './WallHeader.tsx';
import { readFavourites, toggleFavourite, writeFavourites } from './favourites.ts';
import { newTriggers } from './triggers.ts';
import { type TourInterval } from './tour.ts';
import { onVideoRequest, openVideo, openVideos } from './wall.ts';
import { initialWall, reduceWall } from './wallReducer.ts';
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

export function VideoWall({ data }: { data: LoadedDataset }) {
  const { t } = useTranslation();
  const { store } = useLinkage();
  const [wall, dispatch] = useReducer(reduceWall, undefined, () => initialWall(4));
  // Nobody touches a kiosk screen: it shows the video, none of the controls.
  const bare = kioskOptions(useSearch()).kiosk;
  const [dirOpen, setDirOpen] = useState(false);
  const [favourites, setFavourites] = useState(readFavourites);
  const star = useCallback((id: string) => setFavourites((f) => toggleFavourite(f, id)), []);
  useEffect(() => writeFavourites(favourites), [favourites]);
  const [interval, setTourInterval] = useState<TourInterval>(10);
  const tourS = wall.tour?.intervalS ?? 0;
  const tourIds = wall.tour?.ids;
  useEffect(() => {
    if (!tourS) return;
    const timer = window.setInterval(() => dispatch({ type: 'tourStep' }), tourS * 1000);
    return () => window.clearInterval(timer);
  }, [tourS, tourIds]);

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
  const side = Math.sqrt(wall.layout);
  const withDir = dirOpen && !bare && !wall.minimized;
  return (
    <section
      className={`vwall vwall-${wall.layout} ${wall.minimized ? 'is-min' : ''} ${wall.full ? 'is-full' : ''} ${withDir ? 'with-dir' : ''} ${bare ? 'is-bare' : ''}`}
      style={{ '--side': side } as CSSProperties}
      data-testid="video-wall"
      data-layout={wall.layout}
      data-full={wall.full ? '1' : '0'}
      data-minimized={wall.minimized ? '1' : '0'}
    >
      {!bare && <WallHeader wall={wall} used={used} dispatch={dispatch} auto={auto} onAuto={toggleAuto} dirOpen={dirOpen} onDir={() => setDirOpen((o) => !o)} />}
      <div className="vwall-body">
        {withDir && (
          <CameraDirectory
            data={data}
            favourites={favourites}
            onStar={star}
            onOpen={(id) => dispatch({ type: 'place', refs: [{ kind: 'camera', id }], reason: 'directory' })}
            interval={interval}
            onInterval={setTourInterval}
            onTour={(ids, label) => dispatch({ type: 'tourStart', ids, intervalS: interval, label })}
          />
        )}
        <div className="vwall-grid" data-testid="video-grid">
          {wall.tiles.map((tile, slot) =>
            tile ? (
              <VideoTile key={`${tile.ref.kind}:${tile.ref.id}`} tile={tile} slot={slot} controls={!bare} onPin={() => dispatch({ type: 'pin', slot })} onClose={() => dispatch({ type: 'close', slot })} />
            ) : (
              <div key={`free-${slot}`} className="vtile vtile-free" data-testid="video-free" data-slot={slot}>
                {!bare && t('video.free')}
              </div>
            ),
          )}
        </div>
      </div>
    </section>
  );
}
