import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtAgo, fmtClock, fmtDate } from '../i18n/format.ts';
import { setLang } from '../i18n/index.ts';
import type { ConnState } from '../realtime/connection.ts';
import { useWallNow } from '../clock.ts';

export function ConnIndicator({ state, lastMessageAt, now, replaying = false }: { state: ConnState; lastMessageAt: number; now: number; replaying?: boolean }) {
  const { t } = useTranslation();
  const ago = lastMessageAt > 0 ? fmtAgo(now - lastMessageAt, t('units', { returnObjects: true }) as never) : '';
  // A replaying screen is connected but not live: it must not say 实时.
  const shown = replaying && state === 'connected' ? 'replay' : state;
  return (
    <div className={`conn conn-${shown}`} data-testid="conn-status" data-state={state} data-replaying={replaying || undefined} data-last={lastMessageAt || undefined}>
      <span className="conn-dot" />
      <span className="conn-label">{shown === 'replay' ? t('replay.badge') : t(`conn.${state}`)}</span>
      {state !== 'connected' && lastMessageAt > 0 && <span className="conn-ago">{t('conn.since', { ago })}</span>}
    </div>
  );
}

/** `title` names a scoped screen's own center; the district's title otherwise. */
export function TitleBar({ state, lastMessageAt, replaying = false, title, children }: { state: ConnState; lastMessageAt: number; replaying?: boolean; title?: string; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const heading = title ?? t('title');
  const now = useWallNow(1000);
  return (
    <header className="titlebar">
      <div className="title-left">
        <div className="emblem" aria-hidden>
          <span />
        </div>
        <div>
          <h1 className="title" title={heading} data-testid="title">{heading}</h1>
          <div className="subtitle" title={t('subtitle')}>{t('subtitle')}</div>
        </div>
      </div>
      <div className="title-right">
        {children}
        <ConnIndicator state={state} lastMessageAt={lastMessageAt} now={now} replaying={replaying} />
        <div className="clock" data-testid="clock">
          <span className="clock-date" data-testid="clock-date">{fmtDate(now, i18n.language === 'en')}</span>
          <span className="clock-time">{fmtClock(now)}</span>
        </div>
        <div className="lang" role="group">
          <button className={i18n.language === 'zh-CN' ? 'on' : ''} onClick={() => setLang('zh-CN')} data-testid="lang-zh">
            {t('lang.zh')}
          </button>
          <button className={i18n.language === 'en' ? 'on' : ''} onClick={() => setLang('en')} data-testid="lang-en">
            {t('lang.en')}
          </button>
        </div>
      </div>
    </header>
  );
}
