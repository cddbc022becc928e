// The command-room dashboard: title bar with the identity selector, device and trend panels on the
// left, the live map in the middle (case detail and the report form float over it), and the right
// column's tabs (cases / whistles / indicators).
import { useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DISTRICT_CODE } from '../../core/org.ts';
import { OPEN_STAGES, shanghaiHour, type CaseSummary } from '../../core/domain.ts';
import type { Summary } from '../../core/protocol.ts';
import { movingSeeds, type LoadedDataset } from './state/dataset.ts';
import { createStore, deviceCounts, rateSeries, type LiveStore } from './state/store.ts';
import { connectRealtime, type ConnState, type Realtime } from './realtime/connection.ts';
import { directoryFrom, handshakeOf } from './state/identity.ts';
import { makeNames } from './state/names.ts';
import { MapView } from './map/MapView.tsx';
import { DEFAULT_VISIBILITY, type LayerKey, type MapExtras, type PickRef, type Visibility } from './map/layers.ts';
import { featureBBox, type BBox } from './map/geometry.ts';
import { TitleBar, useNow } from './panels/TitleBar.tsx';
import { ReplayBar } from './replay/ReplayBar.tsx';
import { AccountBadge, RecheckContext, useSignedIn } from './auth/AuthGate.tsx';
import { LoopKpis } from './panels/LoopKpis.tsx';
import { WhistleBoard } from './panels/WhistleBoard.tsx';
import { useReplay } from './replay/useReplay.ts';
import { IdentityPicker } from './panels/IdentityPicker.tsx';
import { DeviceTile, KPI_KINDS } from './panels/Kpis.tsx';
import { LayerPanel } from './panels/LayerPanel.tsx';
import { DetailCard, Tooltip, describe } from './panels/Detail.tsx';
import { CaseDetailPanel } from './panels/CaseDetail.tsx';
import { DeviceExtras, LayerExtras, NearbyWorkers, useCoverage } from './panels/DevicePanels.tsx';
import { ReportForm } from './panels/ReportForm.tsx';
import { AlarmStrip } from './panels/AlarmStrip.tsx';
import { CaseBoard, RightColumn, type RightTab } from './panels/RightColumn.tsx';
import { EChart } from './panels/EChart.tsx';
import { byHourOption, bySourceOption, eventsRateOption, rankingOption } from './panels/options.ts';
import { fmtAgo, fmtClock, fmtHM, fmtInt } from './i18n/format.ts';
import { LinkageContext, actingActor, type Linkage } from './context.ts';
import { usePx, useSearch, useWideWall, useThrottledTick, useIdentity } from './hooks.ts';
import { DroneDispatchContext, useDroneDispatchState } from './drones/dispatch.ts';
import { DispatchForm } from './drones/DispatchForm.tsx';
import { OnDuty } from './duty/OnDuty.tsx';
import { AnalysisSheet } from './analysis/AnalysisSheet.tsx';
import { AdminSheet } from './admin/AdminSheet.tsx';
import { useHotspots } from './analysis/hotspotLayer.ts';
import { useBroadcastDraft } from './broadcast/draft.ts';
import { BroadcastPanel } from './broadcast/BroadcastPanel.tsx';
import { isVideoKind } from '../../core/video.ts';
import { VideoWall } from './video/VideoWall.tsx';
import { openVideo } from './video/wall.ts';
import { useKiosk } from './kiosk/useKiosk.ts';

/** On a wide video wall (32:9) the case board, the indicators and the whistles get columns of their own. */
const WIDE_DOCKED: readonly RightTab[] = ['cases', 'kpi', 'whistle'];
const NONE_DOCKED: readonly RightTab[] = [];

export function Dashboard({ data }: { data: LoadedDataset }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const dir = useMemo(() => directoryFrom(data.manifest, data.devices.worker), [data]);
  const [identity, setIdentityKey] = useIdentity(dir);
  const store = useMemo<LiveStore>(() => createStore(data.sizes, movingSeeds(data), identity.scope), [data]); // eslint-disable-line react-hooks/exhaustive-deps
  const [rt, setRt] = useState<Realtime | null>(null);
  // A stable subscription point for the map, so it never remounts when the socket comes and goes.
  const bus = useMemo(() => new Set<() => void>(), []);
  const subscribeMap = useCallback(
    (fn: () => void) => {
      bus.add(fn);
      return () => void bus.delete(fn);
    },
    [bus],
  );
  useEffect(() => {
    const r = connectRealtime(store, handshakeOf(identity));
    const un = r.subscribe(() => bus.forEach((f) => f()));
    setRt(r);
    (window as unknown as { __linkage?: unknown }).__linkage = { store, realtime: r };
    return () => {
      un();
      r.close();
    };
  }, [store, bus]); // eslint-disable-line react-hooks/exhaustive-deps
  // Another identity: reconnect with its handshake (the first connect already used the initial one).
  const [connectedAs, setConnectedAs] = useState(identity.key);
  useEffect(() => {
    if (!rt || connectedAs === identity.key) return;
    setConnectedAs(identity.key);
    rt.setIdentity(handshakeOf(identity));
  }, [rt, identity, connectedAs]);

  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    fetch('/api/summary')
      .then((r) => (r.ok ? (r.json() as Promise<Summary>) : null))
      .then(setSummary, () => setSummary(null));
  }, []);

  useThrottledTick(rt, 250);
  const replay = useReplay(rt);
  const signedIn = useSignedIn();
  const recheck = useContext(RecheckContext);
  // The session ended (signed out elsewhere, revoked, expired): back to the sign-in page.
  const refused = rt?.error() ?? null;
  const closedByServer = rt?.stats.closedByServer ?? 0;
  useEffect(() => {
    if (refused?.startsWith('UNAUTHORIZED') || closedByServer > 0) recheck();
  }, [refused, closedByServer, recheck]);
  const wide = useWideWall();
  const search = useSearch();
  // In replay every countdown and "ago" counts from the moment shown.
  const wallNow = useNow(1000);
  const now = replay.active && replay.at !== null ? replay.at : wallNow;
  const px = usePx();
  const [vis, setVis] = useState<Visibility>(DEFAULT_VISIBILITY);
  const [showGrids, setShowGrids] = useState(true);
  const [hover, setHover] = useState<{ ref: PickRef; x: number; y: number } | null>(null);
  const [picked, setPicked] = useState<PickRef | null>(null);
  const [caseId, setCaseId] = useState<string | null>(null);
  const [analysis, setAnalysis] = useState(false);
  const [admin, setAdmin] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [pickingLocation, setPickingLocation] = useState(false);
  const [marker, setMarker] = useState<[number, number] | null>(null);
  const toggle = useCallback((k: LayerKey) => setVis((v) => ({ ...v, [k]: !v[k] })), []);
  const openCase = useCallback((id: string | null) => {
    setCaseId(id);
    if (id) setPicked(null);
  }, []);
  const onPick = useCallback((p: PickRef | null) => {
    if (p?.kind === 'case' && p.caseId) {
      setCaseId(p.caseId);
      setPicked(null);
    } else setPicked(p);
    // A camera, lookout or drone clicked on the map plays on the video wall.
    if (p && isVideoKind(p.kind)) {
      const device = data.devices[p.kind][p.index];
      if (device) openVideo(p.kind, device.id, 'pick');
    }
  }, [data]);
  useEffect(() => {
    // A new identity sees other cases: close what belonged to the old one.
    setCaseId(null);
    setReporting(false);
  }, [identity.key]);

  const names = useMemo(() => makeNames(data.manifest, data.grids, en), [data, en]);
  const actor = actingActor(store, identity);
  const ctx: Linkage = { store, rt, identity, actor, names, now, openCase };
  // An unattended screen (?kiosk=1) may turn through focus views (?rotate=60): a township view zooms there.
  const kiosk = useKiosk(search, identity.scope, data, store);
  const focusCode = kiosk.view?.kind === 'township' ? kiosk.view.code : identity.scope;
  // Nobody is at an unattended screen to close a card: entering kiosk mode clears what was open.
  useEffect(() => {
    if (!kiosk.kiosk) return;
    setPicked(null);
    setCaseId(null);
  }, [kiosk.kiosk]);
  const focus: BBox = useMemo(
    () => (focusCode === DISTRICT_CODE ? data.manifest.district.bbox : (featureBBox(data.boundaries, focusCode) ?? data.manifest.district.bbox)),
    [data, focusCode],
  );
  const drone = useDroneDispatchState();
  const droneTarget = drone.open && drone.target ? ([drone.target.lon, drone.target.lat] as [number, number]) : null;
  const bc = useBroadcastDraft(data, identity.scope);
  const [showCoverage, setShowCoverage] = useState(false);
  const coverage = useCoverage(showCoverage, data.grids.features.length);
  const [showHotspots, setShowHotspots] = useState(false);
  const hotspots = useHotspots(showHotspots, identity.scope);
  const [workerTrack, setWorkerTrack] = useState<[number, number][] | null>(null);
  const extras: MapExtras = useMemo(
    () => ({ selectedCaseId: caseId, marker: reporting ? marker : null, droneTarget, broadcast: bc.mapDraft, workerTrack, coverage, hotspots }),
    [caseId, reporting, marker, droneTarget?.[0], droneTarget?.[1], bc.mapDraft, workerTrack, coverage, hotspots], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const onMapClick = useMemo(
    () =>
      pickingLocation
        ? (ll: [number, number]) => {
            setMarker(ll);
            setPickingLocation(false);
          }
        : bc.onMapClick,
    [pickingLocation, bc.onMapClick],
  );

  const state: ConnState = rt?.state() ?? 'connecting';
  const counts = deviceCounts(store);
  const kpis = store.kpis;

  // Chart options (rebuilt on the throttled tick; cheap).
  const hour = shanghaiHour(store.serverTime || now);
  const byHour = useMemo(() => byHourOption(kpis?.cases.byHour ?? new Array(24).fill(0), hour, px), [kpis, hour, px]);
  const rate = useMemo(() => eventsRateOption(rateSeries(store), px, fmtHM), [store.seq, px]); // eslint-disable-line react-hooks/exhaustive-deps
  const casesVersion = store.version.cases;
  const openCases = useMemo(() => [...store.cases.values()].filter((c) => OPEN_STAGES.has(c.stage)), [casesVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  // Open cases per township on the district screen; per community on a township's.
  const ranking = useMemo(() => {
    const district = identity.scope === DISTRICT_CODE;
    const units = district ? data.manifest.townships : data.manifest.communities.filter((c) => c.code.startsWith(identity.scope));
    const per = new Map<string, number>(units.map((u) => [u.code, 0]));
    for (const c of openCases) {
      const k = district ? c.townshipCode : c.communityCode;
      if (per.has(k)) per.set(k, (per.get(k) ?? 0) + 1);
    }
    return rankingOption([...per].map(([code, value]) => ({ name: names.place(code), value })), px, 10);
  }, [openCases, px, data, names, identity.scope]);
  const sourceNames = useCallback((k: string) => t(`source.${k}`), [t]);
  const bySource = useMemo(() => bySourceOption(kpis?.cases.openBySource ?? {}, sourceNames, px), [kpis, sourceNames, px]);

  const hoverInfo = hover ? describe(hover.ref, data, store, t, en, now) : null;
  const pickedInfo = picked ? describe(picked, data, store, t, en, now) : null;
  const stale = state === 'stale';
  const units = t('units', { returnObjects: true }) as { s: string; m: string; h: string };
  const scopeName = names.place(identity.scope);
  // The map header counts what the screen's area holds (the whole district on the district screen).
  const area = useMemo(() => {
    if (identity.scope === DISTRICT_CODE) return { grids: summary?.grids ?? data.manifest.counts.grids, residents: summary?.residents ?? data.manifest.counts.residents, centers: summary?.centers.total ?? data.manifest.centers.length };
    let grids = 0;
    let residents = 0;
    for (const f of data.grids.features) {
      const p = f.properties as { communityCode?: string; residents?: number } | null;
      if (p?.communityCode?.startsWith(identity.scope)) {
        grids++;
        residents += p.residents ?? 0;
      }
    }
    return { grids, residents, centers: data.manifest.centers.filter((c) => c.code.startsWith(identity.scope)).length };
  }, [data, identity.scope, summary]);

  return (
    <LinkageContext.Provider value={ctx}>
      <DroneDispatchContext.Provider value={drone}>
      <div className={`app ${stale ? 'is-stale' : ''} ${kiosk.kiosk ? 'kiosk' : ''} ${replay.active ? 'replaying' : ''}`} data-testid="app" data-scope={identity.scope} data-identity={identity.key}>
        <TitleBar state={state} lastMessageAt={store.lastMessageAt} replaying={replay.active}>
          <OnDuty />
          <button className="head-btn" onClick={() => setAnalysis(true)} data-testid="analysis-open">
            {t('an.open')}
          </button>
          {signedIn?.account.role === 'admin' && (
            <button className="head-btn" onClick={() => setAdmin(true)} data-testid="admin-open">
              {t('adm.open')}
            </button>
          )}
          {!signedIn && <IdentityPicker dir={dir} identity={identity} onChange={setIdentityKey} />}
          <AccountBadge />
          {rt?.error() && (
            <span className="conn-error" title={rt.error() ?? ''} data-testid="conn-error">
              {rt.error()}
            </span>
          )}
        </TitleBar>

        <aside className="col col-left">
          <section className="panel panel-devices">
            <h2>{t('panel.devices')}</h2>
            <div className="device-grid">
              {KPI_KINDS.map((k) => (
                <DeviceTile key={k} kind={k} c={counts[k]} />
              ))}
            </div>
          </section>
          <section className="panel panel-rank">
            <h2>{identity.scope === DISTRICT_CODE ? t('panel.township') : `${t('kpi.open')} · ${scopeName}`}</h2>
            <EChart option={ranking} testId="chart-township" />
          </section>
          <section className="panel panel-hour">
            <h2>{t('panel.byHour')}</h2>
            <EChart option={byHour} testId="chart-by-hour" />
          </section>
          <section className="panel panel-eps">
            <h2>{t('panel.eps')}</h2>
            <EChart option={rate} testId="chart-eps" />
          </section>
        </aside>

        {wide && (
          <aside className="col col-left2" data-testid="col-indicators">
            <section className="panel panel-fill panel-loop">
              <h2>{t('loop.title')}</h2>
              <LoopKpis />
            </section>
            <section className="panel panel-fill panel-whistles">
              <h2>{t('whistle.title')}</h2>
              <WhistleBoard />
            </section>
          </aside>
        )}

        <main className={`map-wrap ${pickingLocation || drone.picking || bc.onMapClick ? 'picking' : ''} ${caseId ? 'with-drawer' : ''}`}>
          <MapView
            data={data}
            store={store}
            subscribe={subscribeMap}
            visibility={vis}
            showGrids={showGrids}
            px={px}
            onHover={setHover}
            onPick={onPick}
            focus={focus}
            scope={identity.scope === DISTRICT_CODE ? null : identity.scope}
            extras={extras}
            onMapClick={drone.picking ? drone.onMapClick : (onMapClick ?? drone.onMapClick)}
          />
          {kiosk.view && (
            <div className="rotation-view" data-testid="rotation-view" data-kind={kiosk.view.kind} data-step={kiosk.step}>
              {t(`kiosk.${kiosk.view.kind}`, { name: kiosk.view.kind === 'township' ? names.place(kiosk.view.code) : names.place(identity.scope) })}
            </div>
          )}
          <div className="map-info">
            {identity.scope !== DISTRICT_CODE && <span className="scope-name" data-testid="scope-name">{scopeName}</span>}
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
              {en ? 'Sequence' : '数据序号'} <b data-testid="seq" data-value={store.seq}>{store.seq >= 0 ? fmtInt(store.seq) : '—'}</b>
            </span>
          </div>
          <LayerPanel vis={vis} onToggle={toggle} counts={counts} openCases={openCases.length} showGrids={showGrids} onToggleGrids={() => setShowGrids((g) => !g)}>
            <LayerExtras data={data} store={store} showCoverage={showCoverage} onToggleCoverage={() => setShowCoverage((c) => !c)} coverage={coverage}
              showHotspots={showHotspots} onToggleHotspots={() => setShowHotspots((h) => !h)} hotspots={hotspots?.length ?? null} />
          </LayerPanel>
          {hover && !picked && !pickingLocation && <Tooltip info={hoverInfo} x={hover.x} y={hover.y} />}
          {!caseId && (
            <DetailCard info={pickedInfo} onClose={() => setPicked(null)}>
              <DeviceExtras pick={picked} data={data} px={px} onTrack={setWorkerTrack} />
            </DetailCard>
          )}
          {admin && <AdminSheet onClose={() => setAdmin(false)} />}
          {analysis && (
            <AnalysisSheet
              onClose={() => setAnalysis(false)}
              onOpenCase={(id) => {
                setAnalysis(false);
                openCase(id);
              }}
            />
          )}
          {caseId && <CaseDetailPanel caseId={caseId} onClose={() => setCaseId(null)} nearby={(lon, lat) => <NearbyWorkers lon={lon} lat={lat} workers={data.devices.worker} />} />}
          {reporting && (
            <ReportForm
              communities={data.manifest.communities}
              location={marker}
              picking={pickingLocation}
              onPick={setPickingLocation}
              onLocation={setMarker}
              onClose={(created?: CaseSummary) => {
                setReporting(false);
                setPickingLocation(false);
                setMarker(null);
                if (created) openCase(created.id);
              }}
            />
          )}
          {stale && (
            <div className="stale-banner" data-testid="stale-banner">
              {t('staleBanner', { ago: fmtAgo(wallNow - store.lastMessageAt, units), time: fmtClock(store.lastMessageAt) })}
            </div>
          )}
          {drone.open && <DispatchForm key={drone.target?.caseId ?? 'map'} dd={drone} />}
          <AlarmStrip data={data} />
          <VideoWall data={data} />
          <ReplayBar replay={replay} />
          {!replay.active && (
            <button type="button" className="replay-toggle" onClick={replay.start} data-testid="replay-open">
              ◀ {t('replay.open')}
            </button>
          )}
        </main>

        {wide && (
          <aside className="col col-wall" data-testid="col-case-board">
            <CaseBoard kpis={kpis} bySource={<EChart option={bySource} testId="chart-by-source" />} selectedId={caseId} onReport={actor ? () => setReporting(true) : null} />
          </aside>
        )}
        <RightColumn key={identity.key} docked={wide ? WIDE_DOCKED : NONE_DOCKED} pinnedTab={kiosk.view?.kind === 'cases' ? 'cases' : undefined} kpis={kpis} bySource={<EChart option={bySource} testId="chart-by-source" />} selectedId={caseId} onReport={actor ? () => setReporting(true) : null}
          broadcast={<BroadcastPanel draft={bc} townships={data.manifest.townships} communities={data.manifest.communities} selectedCaseId={caseId} />} />
      </div>
      </DroneDispatchContext.Provider>
    </LinkageContext.Provider>
  );
}
