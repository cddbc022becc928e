// The live case feed: filter tabs (全部 / 我的待办 / 超期 / 督办), new cases flash, overdue rows red,
// warning rows yellow, a stage chip per case. Click a row to open its detail.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isOverdue, isWarning, type CaseSummary } from '../../../core/domain.ts';
import { FEED_FILTERS, filterCases, filterCounts, type FeedFilter } from '../state/actions.ts';
import { isFresh } from '../state/store.ts';
import { STAGE_RGBA, rgbCss } from '../state/colors.ts';
import { fmtHM } from '../i18n/format.ts';
import { useLinkage } from '../context.ts';
import { useLiveMemo } from '../live.ts';
import { useNow } from '../clock.ts';

const SHOWN = 60;

export function StageChip({ stage }: { stage: CaseSummary['stage'] }) {
  const { t } = useTranslation();
  const c = STAGE_RGBA[stage];
  return (
    <span className={`stage-chip stage-${stage}`} style={{ color: rgbCss(c), borderColor: rgbCss(c) }} data-stage={stage}>
      {t(`stage.${stage}`)}
    </span>
  );
}

export function CaseFeed({ selectedId }: { selectedId: string | null }) {
  const { t } = useTranslation();
  const { store, actor, names, openCase } = useLinkage();
  const now = useNow(1000);
  const [filter, setFilter] = useState<FeedFilter>('all');
  const minute = Math.floor(now / 15_000); // overdue/warning flags move with time
  const all = useLiveMemo((s) => s.version.cases, (s) => [...s.cases.values()]);
  const counts = useMemo(() => filterCounts(all, actor, now), [all, actor, minute]); // eslint-disable-line react-hooks/exhaustive-deps
  const rows = useMemo(() => filterCases(all, filter, actor, now, SHOWN), [all, filter, actor, minute]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="feed-wrap">
      <div className="filter-tabs" role="tablist">
        {FEED_FILTERS.filter((f) => f !== 'mine' || actor).map((f) => (
          <button key={f} role="tab" className={`filter-tab ${filter === f ? 'on' : ''} ft-${f}`} onClick={() => setFilter(f)} data-testid={`filter-${f}`} aria-selected={filter === f}>
            {t(`filter.${f}`)}
            <b data-testid={`filter-count-${f}`} data-value={counts[f]}>
              {counts[f]}
            </b>
          </button>
        ))}
      </div>
      {rows.length === 0 ? (
        <div className="feed-empty">{t('feed.empty')}</div>
      ) : (
        <ul className="feed" data-testid="case-feed" data-filter={filter}>
          {rows.map((c) => {
            const over = isOverdue(c, now);
            const warn = !over && isWarning(c, now);
            const fresh = isFresh(store, c.id, now);
            const cls = ['feed-item', over && 'overdue', warn && 'warning', c.urgency === 'urgent' && 'urgent', fresh && 'fresh', selectedId === c.id && 'selected', `stage-${c.stage}`]
              .filter(Boolean)
              .join(' ');
            return (
              <li key={c.id} className={cls} onClick={() => openCase(c.id)} data-case-id={c.id} data-township={c.townshipCode} data-overdue={over ? '1' : undefined}>
                <span className="feed-time">{fmtHM(c.reportedAt)}</span>
                <span className={`feed-src src-${c.source}`}>{t(`source.${c.source}`)}</span>
                <span className="feed-title" title={c.title}>
                  {fresh && <i className="tag-new">{t('feedx.new')}</i>}
                  {c.whistleId && <i className="tag-whistle">{t('feedx.whistle')}</i>}
                  {c.title || names.eventClass(c.eventClass)}
                </span>
                <span className="feed-town">{names.place(c.communityCode || c.townshipCode)}</span>
                <span className="feed-stage">{over ? <b className="flag">{t('feed.overdue')}</b> : warn ? <b className="flag warnflag">{t('feedx.warning')}</b> : <StageChip stage={c.stage} />}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
