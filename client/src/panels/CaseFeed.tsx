import { useTranslation } from 'react-i18next';
import { EVENT_CLASS_BY_CODE } from '../../../core/taxonomy.ts';
import { isOverdue, type CaseSummary } from '../../../core/domain.ts';
import { fmtHM } from '../i18n/format.ts';

export function CaseFeed({ cases, now, townshipName, onPick }: { cases: CaseSummary[]; now: number; townshipName: (code: string) => string; onPick: (c: CaseSummary) => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  if (cases.length === 0) return <div className="feed-empty">{t('feed.empty')}</div>;
  return (
    <ul className="feed" data-testid="case-feed">
      {cases.map((c) => {
        const over = isOverdue(c, now);
        const cls = EVENT_CLASS_BY_CODE.get(c.eventClass);
        return (
          <li key={c.id} className={`feed-item ${over ? 'overdue' : ''} ${c.urgency === 'urgent' ? 'urgent' : ''} stage-${c.stage}`} onClick={() => onPick(c)} data-overdue={over ? '1' : undefined}>
            <span className="feed-time">{fmtHM(c.reportedAt)}</span>
            <span className={`feed-src src-${c.source}`}>{t(`source.${c.source}`)}</span>
            <span className="feed-title" title={c.title}>
              {c.title || (cls ? (en ? cls.nameEn : cls.name) : c.eventClass)}
            </span>
            <span className="feed-town">{townshipName(c.townshipCode)}</span>
            <span className="feed-stage">{over ? <b className="flag">{t('feed.overdue')}</b> : t(`stage.${c.stage}`)}</span>
          </li>
        );
      })}
    </ul>
  );
}
