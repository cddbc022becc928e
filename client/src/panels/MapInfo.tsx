// The small live parts over the map and in the title bar: the header of what the screen's area holds
// (and the data's sequence number), the stale-data banner, the connection indicator's title bar and
// the layer panel with its counts. Each reads its own part of the store (live.ts), so the page
// around them does not re-render with each message.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DISTRICT_CODE } from '../../../core/org.ts';
import type { Summary } from '../../../core/protocol.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import type { ConnState } from '../realtime/connection.ts';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import { useWallNow } from '../clock.ts';
import { fmtAgo, fmtClock, fmtInt } from '../i18n/format.ts';
import { TitleBar } from './TitleBar.tsx';
import { LayerPanel } from './LayerPanel.tsx';
import { useDeviceCounts, useOpenCases, useScopeMembers } from './LeftColumn.tsx';
import { scopeCenter } from '../state/scopeDevices.ts';

/** The map header counts what the screen's area holds (the whole district on the district screen). */
function useArea(data: LoadedDataset, scope: string) {
  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    fetch('/api/summary')
      .then((r) => (r.ok ? (r.json() as Promise<Summary>) : null))
      .then(setSummary, () => setSummary(null));
  }, []);
  return useMemo(() => {
    if (scope === DISTRICT_CODE) return { grids: summary?.grids ?? data.manifest.counts.grids, residents: summary?.residents ?? data.manifest.counts.residents, centers: summary?.centers.total ?? data.manifest.centers.length };
    let grids = 0;
    let residents = 0;
    for (const f of data.grids.features) {
      const p = f.properties as { communityCode?: string; residents?: number } | null;
      if (p?.communityCode?.startsWith(scope)) {
        grids++;
        residents += p.residents ?? 0;
      }
    }
    return { grids, residents, centers: data.manifest.centers.filter((c) => c.code.startsWith(scope)).length };
  }, [data, scope, summary]);
}

export function MapInfo({ data }: { data: LoadedDataset }) {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { identity, names } = useLinkage();
  const area = useArea(data, identity.scope);
  return (
    <div className="map-info">
      {identity.scope !== DISTRICT_CODE && <span className="scope-name" data-testid="scope-name">{names.place(identity.scope)}</span>}
      <span>
        {en ? 'Grids' : '网格'} <b>{fmtInt(area.grids)}</b>
      </span>
      <span>
        {en ? 'Residents' : '常住人口'} <b>{fmtInt(area.residents)}</b>
      </span>
      <span>
        {en ? 'Linkage centers' : '联动中心'} <b>{fmtInt(area.centers)}</b>
      </span>
      <span>
        {en ? 'Sequence' : '数据序号'} <SeqValue />
      </span>
    </div>
  );
}

/** The title bar's connection indicator follows every message (its "since" time): its own subscription. */
export function LiveTitleBar({ state, replaying, children }: { state: ConnState; replaying: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const { identity, names } = useLinkage();
  const lastMessageAt = useLive((s) => s.lastMessageAt);
  // A township's screen is that township's center, not the district's (the dataset names no centers in English).
  const center = scopeCenter(identity.scope, names);
  const title = center ? t('titleScoped', { center: names.en ? t('centerOf', { place: center.place }) : center.name }) : undefined;
  return (
    <TitleBar state={state} lastMessageAt={lastMessageAt} replaying={replaying} title={title}>
      {children}
    </TitleBar>
  );
}

export function StaleBanner() {
  const { t } = useTranslation();
  const lastMessageAt = useLive((s) => s.lastMessageAt);
  // How long the data has been stale is wall-clock time, replay or not.
  const wallNow = useWallNow(1000);
  const units = t('units', { returnObjects: true }) as { s: string; m: string; h: string };
  return (
    <div className="stale-banner" data-testid="stale-banner">
      {t('staleBanner', { ago: fmtAgo(wallNow - lastMessageAt, units), time: fmtClock(lastMessageAt) })}
    </div>
  );
}

function SeqValue() {
  const seq = useLive((s) => s.seq);
  return <b data-testid="seq" data-value={seq}>{seq >= 0 ? fmtInt(seq) : '—'}</b>;
}

/** The layer panel's counts follow the store; its toggles are the page's (the map draws what they say). */
export function LiveLayerPanel({ data, ...props }: Omit<Parameters<typeof LayerPanel>[0], 'counts' | 'openCases'> & { data: LoadedDataset }) {
  // A township or community screen counts its own devices, as its tiles do.
  const counts = useDeviceCounts(useScopeMembers(data));
  const openCases = useOpenCases();
  return <LayerPanel {...props} counts={counts} openCases={openCases.length} />;
}
