// The camera directory beside the wall's tiles: the tree township → community → site → camera
// with each node's online count, a search on name or id, the screen's favourites (★), and the
// 轮巡 controls (tour the favourites or a community's cameras at 10/30/60 s). A click on a camera
// plays it on the wall.
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { buildDirectory, camerasOf, filterDirectory, onlineCount, scopeDirectory, type TownshipNode } from './directory.ts';
import { TOUR_INTERVALS_S, type TourInterval } from './tour.ts';

/** Camera rows drawn at most for a search (a broad one matches thousands): refine to see more. */
const MAX_ROWS = 200;

export interface DirectoryProps {
  data: LoadedDataset;
  favourites: readonly string[];
  onStar(id: string): void;
  onOpen(id: string): void;
  interval: TourInterval;
  onInterval(s: TourInterval): void;
  onTour(ids: string[], label: string): void;
}

export function CameraDirectory({ data, favourites, onStar, onOpen, interval, onInterval, onTour }: DirectoryProps) {
  const { t } = useTranslation();
  const { store, identity } = useLinkage();
  useLive((s) => s.version.status.camera); // re-render when camera states change
  const status = store.status.camera;
  const cameras = data.devices.camera;
  const tree = useMemo(
    () =>
      scopeDirectory(
        buildDirectory({
          townships: data.manifest.townships,
          communities: data.manifest.communities,
          grids: data.grids.features.map((f) => f.properties as { communityCode: string; name: string }),
          cameras,
        }),
        identity.scope,
      ),
    [data, cameras, identity.scope],
  );
  const indexOf = useMemo(() => new Map(cameras.map((c, i) => [c.id, i])), [cameras]);
  const [query, setQuery] = useState('');
  const [favView, setFavView] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const shown = useMemo(() => filterDirectory(tree, cameras, query), [tree, cameras, query]);
  const searching = query.trim() !== '';
  const isOpen = (key: string) => searching || expanded.has(key);
  const flip = (key: string) =>
    setExpanded((e) => {
      const n = new Set(e);
      if (!n.delete(key)) n.add(key);
      return n;
    });
  const matches = useMemo(() => (searching ? shown.reduce((n, tw) => n + camerasOf(tw).length, 0) : 0), [shown, searching]);
  const onlineIds = (idx: number[]) => idx.filter((i) => onlineCount([i], status) === 1).map((i) => cameras[i].id);

  let rows = 0;
  const cameraRow = (i: number) => {
    const c = cameras[i];
    const online = onlineCount([i], status) === 1;
    const fav = favourites.includes(c.id);
    return (
      <li key={c.id} className={`vdir-cam ${online ? 'is-online' : 'is-offline'}`} data-testid="vdir-camera" data-id={c.id} data-online={online ? '1' : '0'}>
        <span className="vdir-dot" title={online ? t('vdir.online') : t('vdir.offline')} />
        <button type="button" className="vdir-open" onClick={() => onOpen(c.id)} title={`${c.name} · ${c.id}`} data-testid="vdir-open">
          <span className="vdir-name">{c.name}</span>
          <span className="vdir-id">{c.id}</span>
        </button>
        <button type="button" className={`vdir-star ${fav ? 'on' : ''}`} onClick={() => onStar(c.id)} aria-pressed={fav} title={fav ? t('vdir.unstar') : t('vdir.star')} data-testid="vdir-star">
          {fav ? '★' : '☆'}
        </button>
      </li>
    );
  };
  const cameraRows = (idx: number[]) => {
    if (!searching) return idx.map(cameraRow); // a folded tree shows what the operator unfolds
    const drawn = idx.slice(0, Math.max(0, MAX_ROWS - rows));
    rows += drawn.length;
    return drawn.map(cameraRow);
  };
  // A search past the row limit draws no further places (they would stand there empty).
  const branch = (key: string, level: string, label: string, idx: number[], children: () => ReactNode, extra?: ReactNode) => searching && rows >= MAX_ROWS ? null : (
    <li key={key} className={`vdir-node vdir-${level}`} data-testid={`vdir-${level}`} data-key={key}>
      <div className="vdir-row">
        <button type="button" className="vdir-fold" onClick={() => flip(key)} aria-expanded={isOpen(key)}>
          <span className="vdir-caret">{isOpen(key) ? '▾' : '▸'}</span>
          <span className="vdir-label">{label}</span>
          <span className="vdir-count" title={t('vdir.onlineOf')}>
            {onlineCount(idx, status)}/{idx.length}
          </span>
        </button>
        {extra}
      </div>
      {isOpen(key) && <ul>{children()}</ul>}
    </li>
  );
  const township = (tw: TownshipNode) =>
    branch(tw.code, 'township', tw.name, camerasOf(tw), () =>
      tw.communities.map((c) => {
        const idx = camerasOf(c);
        const name = c.name || t('vdir.noCommunity');
        const tour = (
          <button type="button" className="vdir-tour" onClick={() => onTour(onlineIds(idx), name)} title={t('vdir.tourCommunity', { name })} data-testid="vdir-tour-community" data-code={c.code}>
            ⟳
          </button>
        );
        return branch(c.code, 'community', name, idx, () => c.sites.map((s) => branch(s.key, 'site', s.name, s.cameras, () => cameraRows(s.cameras))), tour);
      }),
    );
  const favIdx = favourites.map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined);

  return (
    <aside className="vdir" data-testid="video-directory">
      <div className="vdir-search">
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('vdir.search')} aria-label={t('vdir.search')} data-testid="vdir-search" />
      </div>
      <div className="vdir-views" role="group">
        <button type="button" className={favView ? '' : 'on'} onClick={() => setFavView(false)} data-testid="vdir-view-tree">
          {t('vdir.all')}
        </button>
        <button type="button" className={favView ? 'on' : ''} onClick={() => setFavView(true)} data-testid="vdir-view-favourites">
          ★ {t('vdir.favourites')} <span className="vdir-count">{favourites.length}</span>
        </button>
      </div>
      {searching && !favView && (
        <div className="vdir-matches" data-testid="vdir-matches" data-n={matches}>
          {matches > MAX_ROWS ? t('vdir.tooMany', { n: matches, max: MAX_ROWS }) : t('vdir.matches', { n: matches })}
        </div>
      )}
      <ul className="vdir-tree">{favView ? (favIdx.length ? favIdx.map(cameraRow) : <li className="vdir-empty">{t('vdir.noFavourites')}</li>) : shown.map(township)}</ul>
      <footer className="vdir-tourbar">
        <span className="vdir-tourlabel">{t('vdir.tour')}</span>
        <div className="vdir-intervals" role="group" aria-label={t('vdir.interval')}>
          {TOUR_INTERVALS_S.map((s) => (
            <button key={s} type="button" className={s === interval ? 'on' : ''} onClick={() => onInterval(s)} data-testid={`vdir-interval-${s}`}>
              {s}s
            </button>
          ))}
        </div>
        <button type="button" className="vdir-tourfav" disabled={favourites.length < 2} onClick={() => onTour([...favourites], t('vdir.favourites'))} title={t('vdir.tourFavourites')} data-testid="vdir-tour-favourites">
          ⟳ ★
        </button>
      </footer>
    </aside>
  );
}
