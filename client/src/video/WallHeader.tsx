// The video wall's title bar: its name and feeds in use, the running tour (and its stop), automatic
// bring-up, the camera directory, the layout (1/4/9/16/25), full-screen, minimise and close.
// Not drawn on a kiosk screen.
import type { Dispatch } from 'react';
import { useTranslation } from 'react-i18next';
import { tourPages } from './tour.ts';
import type { WallAction } from './wallReducer.ts';
import { LAYOUTS, unpinnedSlots, type WallState } from './wallState.ts';

interface Props {
  wall: WallState;
  used: number;
  dispatch: Dispatch<WallAction>;
  auto: boolean;
  onAuto(): void;
  dirOpen: boolean;
  onDir(): void;
}

export function WallHeader({ wall, used, dispatch, auto, onAuto, dirOpen, onDir }: Props) {
  const { t } = useTranslation();
  const tour = wall.tour;
  const pages = tour ? tourPages(tour.ids.length, unpinnedSlots(wall)) : 1;
  return (
    <header className="vwall-head">
      <h2>{t('video.wall')}</h2>
      <span className="vwall-used">{t('video.used', { used, all: wall.layout })}</span>
      {tour && (
        <span className="vwall-tour" data-testid="video-tour" data-step={tour.step} title={t('vdir.tourRunning', { label: tour.label, n: tour.ids.length, s: tour.intervalS })}>
          <span className="vwall-tour-label">⟳ {tour.label}</span>
          <span className="vwall-tour-page">
            {(tour.step % pages) + 1}/{pages} · {tour.intervalS}s
          </span>
          <button type="button" className="vwall-btn" onClick={() => dispatch({ type: 'tourStop' })} title={t('vdir.tourStop')} data-testid="video-tour-stop">
            ■
          </button>
        </span>
      )}
      <button type="button" className={`vwall-auto ${auto ? 'on' : ''}`} onClick={onAuto} title={t('video.autoHint')} data-testid="video-auto" aria-pressed={auto}>
        {t('video.auto')}
      </button>
      <button type="button" className={`vwall-auto vwall-dir ${dirOpen ? 'on' : ''}`} onClick={onDir} title={t('vdir.title')} data-testid="video-dir-toggle" aria-pressed={dirOpen}>
        ☰ {t('vdir.open')}
      </button>
      <div className="vwall-layouts" role="group" aria-label={t('video.layout')}>
        {LAYOUTS.map((n) => (
          <button key={n} type="button" className={n === wall.layout ? 'on' : ''} onClick={() => dispatch({ type: 'layout', layout: n })} data-testid={`video-layout-${n}`} title={t('video.layoutN', { n })}>
            {n}
          </button>
        ))}
      </div>
      <button type="button" className="vwall-btn" onClick={() => dispatch({ type: 'full' })} title={wall.full ? t('vdir.exitFull') : t('vdir.full')} aria-pressed={wall.full} data-testid="video-wall-full">
        {wall.full ? '⤡' : '⤢'}
      </button>
      <button type="button" className="vwall-btn" onClick={() => dispatch({ type: wall.minimized ? 'restore' : 'minimize' })} title={wall.minimized ? t('video.restore') : t('video.minimize')} data-testid="video-wall-min">
        {wall.minimized ? '▢' : '—'}
      </button>
      <button type="button" className="vwall-btn" onClick={() => dispatch({ type: 'hide' })} title={t('video.hide')} data-testid="video-wall-close">
        ✕
      </button>
    </header>
  );
}
