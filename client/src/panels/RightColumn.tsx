// The right column: a tab strip (案件 / 吹哨 / 指标) so the case feed, the whistle board and the
// indicators each get the full column height instead of being squeezed together.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseTiles } from './Kpis.tsx';
import { CaseFeed } from './CaseFeed.tsx';
import { WhistleBoard } from './WhistleBoard.tsx';
import { LoopKpis } from './LoopKpis.tsx';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import { DronePanel } from '../drones/DronePanel.tsx';
import { openVideo } from '../video/wall.ts';
import { DutyPanel } from '../duty/DutyPanel.tsx';

export type RightTab = 'cases' | 'whistle' | 'kpi' | 'flood' | 'drones' | 'broadcast' | 'duty';
const ALL_TABS: RightTab[] = ['cases', 'whistle', 'kpi', 'flood', 'drones', 'broadcast', 'duty'];
/** An unattended read-only screen turns through the tabs; a person touching a tab holds it for a while. */
const ROTATE_MS = 30_000;
const HOLD_MS = 120_000;

/** The case board: today's counts, open cases by source, the live feed. A tab here; its own column on a wide wall. */
export function CaseBoard({ bySource, selectedId, onReport }: { bySource: ReactNode; selectedId: string | null; onReport: (() => void) | null }) {
  const { t } = useTranslation();
  const kpis = useLive((s) => s.kpis);
  return (
    <>
      <section className="panel panel-cases">
        <h2>
          {t('panel.cases')}
          {onReport && (
            <button className="head-action" onClick={onReport} data-testid="report-open">
              ＋ {t('report.open')}
            </button>
          )}
        </h2>
        <CaseTiles kpis={kpis} />
      </section>
      <section className="panel panel-source">
        <h2>{t('panel.bySource')}</h2>
        {bySource}
      </section>
      <section className="panel panel-feed">
        <h2>{t('panel.feed')}</h2>
        <CaseFeed selectedId={selectedId} />
      </section>
    </>
  );
}

export function RightColumn({ bySource, selectedId, onReport, broadcast, flood, pinnedTab, docked = [] }: {
  bySource: ReactNode; selectedId: string | null; onReport: (() => void) | null; broadcast?: ReactNode; flood?: ReactNode;
  /** A kiosk rotation's case-board view holds this tab while it lasts. */
  pinnedTab?: RightTab;
  /** Tabs shown in columns of their own (a wide video wall): left out here. */
  docked?: readonly RightTab[];
}) {
  const { t } = useTranslation();
  const { actor } = useLinkage();
  const overdue = useLive((s) => s.kpis?.cases.overdue ?? 0);
  const TABS = ALL_TABS.filter((k) => !docked.includes(k));
  const [chosenTab, setTab] = useState<RightTab>('cases');
  const chosen = TABS.includes(chosenTab) ? chosenTab : TABS[0];
  const tab = pinnedTab && TABS.includes(pinnedTab) ? pinnedTab : chosen;
  // The rotation timer reads the tabs of now (docking changes them when the screen is resized).
  const tabs = useRef(TABS);
  tabs.current = TABS;
  const touched = useRef(0);
  const openWhistles = useLive((s) => {
    let n = 0;
    for (const w of s.whistles.values()) if (w.closedAt === null) n++;
    return n;
  });
  // Requests for 紧急/特急 broadcasts waiting for a duty leader: shown on the 广播 tab.
  const pendingRequests = useLive((s) => {
    let n = 0;
    for (const r of s.broadcastRequests.values()) if (r.status === 'pending') n++;
    return n;
  });
  // Gauges over their warning level: shown on the 防汛 tab.
  const overWarning = useLive((s) => {
    const levels = s.floodLevels;
    if (!levels) return 0;
    let n = 0;
    for (const g of s.gauges.values()) if (g.value >= levels.warning) n++;
    return n;
  });
  const running = useRef(0);
  running.current = openWhistles;
  const rotate = !actor;
  useEffect(() => {
    if (!rotate) return;
    const id = window.setInterval(() => {
      if (Date.now() - touched.current < HOLD_MS) return;
      setTab((cur) => {
        const list = tabs.current;
        const next = list[(list.indexOf(cur) + 1) % list.length];
        // An empty whistle board is not worth a third of the screen's time.
        return next === 'whistle' && running.current === 0 ? list[(list.indexOf(next) + 1) % list.length] : next;
      });
    }, ROTATE_MS);
    return () => window.clearInterval(id);
  }, [rotate]);
  return (
    <aside className="col col-right">
      <div className="tabs" role="tablist">
        {TABS.map((k) => (
          <button key={k} role="tab" aria-selected={tab === k} className={`tab ${tab === k ? 'on' : ''}`} onClick={() => {
              touched.current = Date.now();
              setTab(k);
            }} data-testid={`tab-${k}`} title={k === 'broadcast' ? t('bc.title') : t(`tabs.${k}`)}>
            <span className="tab-label">{t(`tabs.${k}`)}</span>
            {k === 'cases' && overdue > 0 && <i className="tab-badge bad">{overdue}</i>}
            {k === 'whistle' && openWhistles > 0 && <i className="tab-badge">{openWhistles}</i>}
            {k === 'flood' && overWarning > 0 && <i className="tab-badge bad" data-testid="flood-tab-over">{overWarning}</i>}
            {k === 'broadcast' && pendingRequests > 0 && <i className="tab-badge" data-testid="bc-tab-pending">{pendingRequests}</i>}
          </button>
        ))}
      </div>
      {tab === 'cases' && <CaseBoard bySource={bySource} selectedId={selectedId} onReport={onReport} />}
      {tab === 'whistle' && (
        <section className="panel panel-fill">
          <h2>{t('whistle.title')}</h2>
          <WhistleBoard />
        </section>
      )}
      {tab === 'drones' && (
        <section className="panel panel-fill">
          <h2>{t('drone.title')}</h2>
          <DronePanel onVideo={(id) => openVideo('drone', id)} />
        </section>
      )}
      {tab === 'broadcast' && (
        <section className="panel panel-fill">
          <h2>{t('bc.title')}</h2>
          {broadcast}
        </section>
      )}
      {tab === 'flood' && (
        <section className="panel panel-fill">
          <h2>{t('flood.tab')}</h2>
          {flood}
        </section>
      )}
      {tab === 'duty' && (
        <section className="panel panel-fill">
          <h2>{t('duty.tab')}</h2>
          <DutyPanel selectedCaseId={selectedId} />
        </section>
      )}
      {tab === 'kpi' && (
        <section className="panel panel-fill">
          <h2>{t('loop.title')}</h2>
          <LoopKpis />
        </section>
      )}
    </aside>
  );
}
