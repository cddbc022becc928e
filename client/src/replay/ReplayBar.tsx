// The replay bar over the map: which period, where in it, play/pause and speed, and the way back to
// live. While it is open the whole screen says plainly that it shows the past.
import { useTranslation } from 'react-i18next';
import { fmtClock, fmtDate, fmtHM } from '../i18n/format.ts';
import { PERIODS, SPEEDS, atFraction } from './player.ts';
import type { ReplayControl } from './useReplay.ts';
import './replay.css';

export function ReplayBar({ replay }: { replay: ReplayControl }) {
  const { t, i18n } = useTranslation();
  const { window: w, at } = replay;
  if (!replay.active) return null;
  const fraction = w && at !== null && w.to > w.from ? (at - w.from) / (w.to - w.from) : 0;
  return (
    <div className="replay-bar" data-testid="replay-bar" data-at={at ?? undefined} data-playing={replay.playing || undefined} data-loading={replay.loading || undefined} data-error={replay.error ?? undefined}>
      <div className="replay-head">
        <span className="replay-badge">{t('replay.badge')}</span>
        <span className="replay-when" data-testid="replay-when">
          {at !== null ? (
            <>
              <span className="replay-date">{fmtDate(at, i18n.language === 'en')}</span> <b>{fmtClock(at)}</b>
            </>
          ) : (
            t('replay.loading')
          )}
        </span>
        <span className="replay-hint">{replay.error ?? t('replay.hint')}</span>
        <button className="replay-live" onClick={replay.live} data-testid="replay-live">
          {t('replay.live')}
        </button>
      </div>
      <div className="replay-controls">
        <div className="replay-periods" role="group">
          {PERIODS.map((p) => (
            <button key={p} className={p === replay.period ? 'on' : ''} onClick={() => replay.choose(p)} data-testid={`replay-period-${p}`}>
              {t(`replay.period.${p}`)}
            </button>
          ))}
        </div>
        <button className="replay-play" onClick={() => replay.setPlaying(!replay.playing)} data-testid="replay-play" disabled={at === null}>
          {replay.playing ? `❚❚ ${t('replay.pause')}` : `▶ ${t('replay.play')}`}
        </button>
        <label className="replay-speed">
          {t('replay.speed')}
          <select value={replay.speed} onChange={(e) => replay.setSpeed(Number(e.target.value) as never)} data-testid="replay-speed">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        {w && <span className="replay-edge">{fmtHM(w.from)}</span>}
        <input
          className="replay-scrub"
          type="range"
          min={0}
          max={1000}
          value={Math.round(fraction * 1000)}
          disabled={!w}
          onChange={(e) => w && replay.scrub(atFraction(w, Number(e.target.value) / 1000))}
          data-testid="replay-scrub"
        />
        {w && <span className="replay-edge">{fmtHM(w.to)}</span>}
      </div>
    </div>
  );
}
