// The dashboard's left column: device status tiles, open cases per township (or community), cases
// by hour and events per second. Each panel subscribes to the part of the store it shows.
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DISTRICT_CODE } from '../../../core/org.ts';
import { OPEN_STAGES, shanghaiHour, type CaseSummary } from '../../../core/domain.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { deviceCounts, rateSeries, type LiveStore } from '../state/store.ts';
import { countMembers, scopeMembers, type ScopeMembers } from '../state/scopeDevices.ts';
import { emptyStatusCounts } from '../../../core/domain.ts';
import { useLinkage } from '../context.ts';
import { useLive, useLiveMemo } from '../live.ts';
import { useNow } from '../clock.ts';
import { fmtHM } from '../i18n/format.ts';
import { DeviceTile, KPI_KINDS } from './Kpis.tsx';
import { EChart } from './EChart.tsx';
import { byHourOption, bySourceOption, eventsRateOption, rankingOption } from './options.ts';

/** Changes whenever a device count can have changed (a status delta of any kind, a snapshot, the first KPIs). */
const countsKey = (s: LiveStore) => [s.seq < 0, s.version.kpis, ...KPI_KINDS.map((k) => s.version.status[k])];

/** Device counts per kind, re-read when statuses change; only the `members` when given (a scoped screen). */
export function useDeviceCounts(members: ScopeMembers = null): ReturnType<typeof deviceCounts> {
  // deviceCounts hands back the slice's counters, which it updates in place: copy them per change.
  return useLiveMemo(
    (s) => [...countsKey(s), members],
    (s) => {
      if (!members) return { ...deviceCounts(s) };
      // Before the first snapshot the status bytes say nothing yet: blank tiles, not a guess.
      const count = (k: (typeof KPI_KINDS)[number]) => (s.seq < 0 ? emptyStatusCounts() : countMembers(s.status[k], members[k]));
      return Object.fromEntries(KPI_KINDS.map((k) => [k, count(k)])) as ReturnType<typeof deviceCounts>;
    },
  );
}

/** The devices inside the screen's scope (null on the district screen), resolved once per scope. */
export function useScopeMembers(data: LoadedDataset): ScopeMembers {
  const { identity } = useLinkage();
  return useMemo(
    () =>
      scopeMembers(
        {
          grids: data.grids.features.map((f) => f.properties as { townshipCode: string; communityCode: string }),
          devices: data.devices,
          componentGrid: data.components.gridIndex,
        },
        identity.scope,
      ),
    [data, identity.scope],
  );
}

/** The open cases, re-read when the cases change. */
export function useOpenCases(): CaseSummary[] {
  return useLiveMemo((s) => s.version.cases, (s) => [...s.cases.values()].filter((c) => OPEN_STAGES.has(c.stage)));
}

export function DevicesPanel({ data }: { data: LoadedDataset }) {
  const { t } = useTranslation();
  const counts = useDeviceCounts(useScopeMembers(data));
  return (
    <section className="panel panel-devices">
      <h2>{t('panel.devices')}</h2>
      <div className="device-grid">
        {KPI_KINDS.map((k) => (
          <DeviceTile key={k} kind={k} c={counts[k]} />
        ))}
      </div>
    </section>
  );
}

/** Open cases per township on the district screen; per community on a township's. */
function RankingPanel({ data, px }: { data: LoadedDataset; px: number }) {
  const { t } = useTranslation();
  const { identity, names } = useLinkage();
  const openCases = useOpenCases();
  const scope = identity.scope;
  const ranking = useMemo(() => {
    const district = scope === DISTRICT_CODE;
    const units = district ? data.manifest.townships : data.manifest.communities.filter((c) => c.code.startsWith(scope));
    const per = new Map<string, number>(units.map((u) => [u.code, 0]));
    for (const c of openCases) {
      const k = district ? c.townshipCode : c.communityCode;
      if (per.has(k)) per.set(k, (per.get(k) ?? 0) + 1);
    }
    return rankingOption([...per].map(([code, value]) => ({ name: names.place(code), value })), px, 10);
  }, [openCases, px, data, names, scope]);
  return (
    <section className="panel panel-rank">
      <h2>{scope === DISTRICT_CODE ? t('panel.township') : `${t('kpi.open')} · ${names.place(scope)}`}</h2>
      <EChart option={ranking} testId="chart-township" />
    </section>
  );
}

function ByHourPanel({ px }: { px: number }) {
  const { t } = useTranslation();
  const kpis = useLive((s) => s.kpis);
  const now = useNow(60_000);
  // The server's hour once it spoke; the page's (or the replayed moment's) before.
  const serverHour = useLive((s) => (s.serverTime ? shanghaiHour(s.serverTime) : null));
  const hour = serverHour ?? shanghaiHour(now);
  const option = useMemo(() => byHourOption(kpis?.cases.byHour ?? new Array(24).fill(0), hour, px), [kpis, hour, px]);
  return (
    <section className="panel panel-hour">
      <h2>{t('panel.byHour')}</h2>
      <EChart option={option} testId="chart-by-hour" />
    </section>
  );
}

function RatePanel({ px }: { px: number }) {
  const { t } = useTranslation();
  const series = useLiveMemo((s) => s.seq, rateSeries);
  const noData = t('loop.noData');
  const option = useMemo(() => eventsRateOption(series, px, fmtHM, noData), [series, px, noData]);
  return (
    <section className="panel panel-eps">
      <h2>{t('panel.eps')}</h2>
      <EChart option={option} testId="chart-eps" />
    </section>
  );
}

export function LeftColumn({ data, px }: { data: LoadedDataset; px: number }) {
  return (
    <aside className="col col-left">
      <DevicesPanel data={data} />
      <RankingPanel data={data} px={px} />
      <ByHourPanel px={px} />
      <RatePanel px={px} />
    </aside>
  );
}

/** Open cases by source (the case board's chart), re-drawn when the KPIs change. */
export function BySourceChart({ px }: { px: number }) {
  const { t } = useTranslation();
  const kpis = useLive((s) => s.kpis);
  const sourceNames = useCallback((k: string) => t(`source.${k}`), [t]);
  const option = useMemo(() => bySourceOption(kpis?.cases.openBySource ?? {}, sourceNames, px), [kpis, sourceNames, px]);
  // Only once the KPIs came can "no open case" be said; before that the ring is just waiting.
  const empty = !!kpis && !Object.values(kpis.cases.openBySource).some((v) => v > 0);
  return (
    <div className="chart-box">
      <EChart option={option} testId="chart-by-source" />
      {empty && (
        <div className="donut-empty" data-testid="by-source-empty">
          {t('loop.noData')}
        </div>
      )}
    </div>
  );
}
