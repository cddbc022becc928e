// The command-room dashboard: title bar with the identity selector, device and trend panels on the
// left, the live map in the middle (case detail and the report form float over it), and the right
// column's tabs (cases / whistles / indicators).
//
// This component wires the page: the store and its connection, the hub panels subscribe through
// (live.ts), the replayed moment for the clock (clock.ts), and the UI state no single panel owns
// (state/ui.ts). It reads from the store only what the page itself shows (the connection state,
// who acts); each panel subscribes to its own part, so a message re-renders the panels whose part
// changed and not this tree.
import { useCallback, useContext, useEffect, useMemo, useReducer, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DISTRICT_CODE } from '../../core/org.ts';
import type { CaseSummary } from '../../core/domain.ts';
import type { Summary } from '../../core/protocol.ts';
import { movingSeeds, type LoadedDataset } from './state/dataset.ts';
import { createStore } from './state/store.ts';
import { connectRealtime, type ConnState, type Realtime } from './realtime/connection.ts';
import { directoryFrom, handshakeOf } from './state/identity.ts';
import { makeNames } from './state/names.ts';
import { MapView } from './map/MapView.tsx';
import { DEFAULT_VISIBILITY, type LayerKey, type MapExtras, type PickRef } from './map/layers.ts';
import { featureBBox, type BBox } from './map/geometry.ts';
import { TitleBar } from './panels/TitleBar.tsx';
import { ReplayBar } from './replay/ReplayBar.tsx';
import { AccountBadge, RecheckContext, useSignedIn } from './auth/AuthGate.tsx';
import { LoopKpis } from './panels/LoopKpis.tsx';
import { WhistleBoard } from './panels/WhistleBoard.tsx';
import { useReplay } from './replay/useReplay.ts';
import { IdentityPicker } from './panels/IdentityPicker.tsx';
import { LayerPanel } from './panels/LayerPanel.tsx';
import { CaseDetailPanel } from './panels/CaseDetail.tsx';
import { DeviceExtras, LayerExtras, NearbyWorkers, useCoverage } from './panels/DevicePanels.tsx';
import { ReportForm } from './panels/ReportForm.tsx';
import { AlarmStrip } from './panels/AlarmStrip.tsx';
import { CaseBoard, RightColumn, type RightTab } from './panels/RightColumn.tsx';
import { BySourceChart, LeftColumn, useDeviceCounts, useOpenCases } from './panels/LeftColumn.tsx';
import { HoverTooltip, PickedCard } from './panels/MapCards.tsx';
import { fmtAgo, fmtClock, fmtInt } from './i18n/format.ts';
import { LinkageContext, actingActor, type Linkage } from './context.ts';
import { createHub, useLive } from './live.ts';
import { ReplayClock, useWallNow } from './clock.ts';
import { initUi, uiReducer } from './state/ui.ts';
import { usePx, useSearch, useWideWall, useIdentity } from './hooks.ts';
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

/** The store and its connection for one dataset; a new identity reconnects with its handshake. */
function useLiveConnection(data: LoadedDataset, identity: ReturnType<typeof useIdentity>[0]) {
  // The store's scope is the first identity's; another one resets it through rt.setIdentity.
  const [first] = useState(identity);
  const store = useMemo(() => createStore(data.sizes, movingSeeds(data), first.scope), [data, first]);
  const hub = useMemo(() => createHub(250), []);
  const [rt, setRt] = useState<Realtime | null>(null);
  useEffect(() => {
    const r = connectRealtime(store, handshakeOf(first));
    const un = r.subscribe(hub.notify);
    setRt(r);
    (window as unknown as { __linkage?: unknown }).__linkage = { store, realtime: r };
    return () => {
      un();
      r.close();
      hub.close();
    };
  }, [store, hub, first]);
  // Another identity: reconnect with its handshake (the first connect already used the initial one).
  const [connectedAs, setConnectedAs] = useState(identity.key);
  useEffect(() => {
    if (!rt || connectedAs === identity.key) return;
    setConnectedAs(identity.key);
    rt.setIdentity(handshakeOf(identity));
  }, [rt, identity, connectedAs]);
  return { store, hub, rt };
}

/** What the connection says, re-read when it notifies: its state, the server's refusal, closes by the server. */
function useConnState(rt: Realtime | null, subscribe: (fn: () => void) => () => void) {
  const state = useSyncExternalStore(subscribe, (): ConnState => rt?.state() ?? 'connecting');
  const error = useSyncExternalStore(subscribe, () => rt?.error() ?? null);
  const closedByServer = useSyncExternalStore(subscribe, () => rt?.stats.closedByServer ?? 0);
  return { state, error, closedByServer };
}

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

/** The title bar's connection indicator follows every message (its "since" time): its own subscription. */
function LiveTitleBar({ state, replaying, children }: { state: ConnState; replaying: boolean; children: ReactNode }) {
  const lastMessageAt = useLive((s) => s.lastMessageAt);
  return (
    <TitleBar state={state} lastMessageAt={lastMessageAt} replaying={replaying}>
      {children}
    </TitleBar>
  );
}

function StaleBanner() {
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
function LiveLayerPanel(props: Omit<Parameters<typeof LayerPanel>[0], 'counts' | 'openCases'>) {
  const counts = useDeviceCounts();
  const openCases = useOpenCases();
  return <LayerPanel {...props} counts={counts} openCases={openCases.length} />;
}

export function Dashboard({ data }: { data: LoadedDataset }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const dir = useMemo(() => directoryFrom(data.manifest, data.devices.worker), [data]);
  const [identity, setIdentityKey] = useIdentity(dir);
  const { store, hub, rt } = useLiveConnection(data, identity);
  const conn = useConnState(rt, hub.subscribe);
  const replay = useReplay(rt);
  const signedIn = useSignedIn();
  const recheck = useContext(RecheckContext);
  // The session ended (signed out elsewhere, revoked, expired): back to the sign-in page.
  useEffect(() => {
    if (conn.error?.startsWith('UNAUTHORIZED') || conn.closedByServer > 0) recheck();
  }, [conn.error, conn.closedByServer, recheck]);
  const wide = useWideWall();
  const search = useSearch();
  // In replay every countdown and "ago" counts from the moment shown (clock.ts: useNow).
  const replayedAt = replay.active && replay.at !== null ? replay.at : null;
  const px = usePx();
  const [ui, dispatch] = useReducer(uiReducer, DEFAULT_VISIBILITY, initUi);
  const { caseId, picked, reporting, pickingLocation, marker } = ui;
  const [hover, setHover] = useState<{ ref: PickRef; x: number; y: number } | null>(null);
  const toggle = useCallback((k: LayerKey) => dispatch({ type: 'toggleLayer', key: k }), []);
  const openCase = useCallback((id: string | null) => dispatch({ type: 'openCase', id }), []);
  const onPick = useCallback((p: PickRef | null) => {
    dispatch({ type: 'pick', ref: p });
    // A camera, lookout or drone clicked on the map plays on the video wall.
    if (p && isVideoKind(p.kind)) {
      const device = data.devices[p.kind][p.index];
      if (device) openVideo(p.kind, device.id, 'pick');
    }
  }, [data]);
  useEffect(() => {
    // A new identity sees other cases: close what belonged to the old one.
    dispatch({ type: 'identityChanged' });
  }, [identity.key]);

  const names = useMemo(() => makeNames(data.manifest, data.grids, en), [data, en]);
  // Who acts: the server's word once a snapshot came (a new session object per snapshot).
  const session = useSyncExternalStore(hub.subscribe, () => store.session);
  const actor = useMemo(() => actingActor({ session }, identity), [session, identity]);
  const ctx: Linkage = useMemo(() => ({ store, rt, identity, actor, names, openCase, subscribe: hub.subscribe }), [store, rt, identity, actor, names, openCase, hub]);
  // An unattended screen (?kiosk=1) may turn through focus views (?rotate=60): a township view zooms there.
  const kiosk = useKiosk(search, identity.scope, data, store);
  const focusCode = kiosk.view?.kind === 'township' ? kiosk.view.code : identity.scope;
  // Nobody is at an unattended screen to close a card: entering kiosk mode clears what was open.
  useEffect(() => {
    if (kiosk.kiosk) dispatch({ type: 'kiosk' });
  }, [kiosk.kiosk]);
  const focus: BBox = useMemo(
    () => (focusCode === DISTRICT_CODE ? data.manifest.district.bbox : (featureBBox(data.boundaries, focusCode) ?? data.manifest.district.bbox)),
    [data, focusCode],
  );
  const drone = useDroneDispatchState();
  const droneLon = drone.open && drone.target ? drone.target.lon : null;
  const droneLat = drone.open && drone.target ? drone.target.lat : null;
  const bc = useBroadcastDraft(data, identity.scope);
  const coverage = useCoverage(ui.showCoverage, data.grids.features.length);
  const hotspots = useHotspots(ui.showHotspots, identity.scope);
  const extras: MapExtras = useMemo(
    () => ({
      selectedCaseId: caseId,
      marker: reporting ? marker : null,
      droneTarget: droneLon !== null && droneLat !== null ? [droneLon, droneLat] : null,
      broadcast: bc.mapDraft,
      workerTrack: ui.workerTrack,
      coverage,
      hotspots,
    }),
    [caseId, reporting, marker, droneLon, droneLat, bc.mapDraft, ui.workerTrack, coverage, hotspots],
  );
  const onMapClick = useMemo(
    () => (pickingLocation ? (ll: [number, number]) => dispatch({ type: 'placeMarker', at: ll }) : bc.onMapClick),
    [pickingLocation, bc.onMapClick],
  );
  const onTrack = useCallback((path: [number, number][] | null) => dispatch({ type: 'track', path }), []);

  const stale = conn.state === 'stale';
  const scopeName = names.place(identity.scope);
  const area = useArea(data, identity.scope);
  const onReport = actor ? () => dispatch({ type: 'report', open: true }) : null;

  return (
    <LinkageContext.Provider value={ctx}>
      <ReplayClock.Provider value={replayedAt}>
      <DroneDispatchContext.Provider value={drone}>
      <div className={`app ${stale ? 'is-stale' : ''} ${kiosk.kiosk ? 'kiosk' : ''} ${replay.active ? 'replaying' : ''}`} data-testid="app" data-scope={identity.scope} data-identity={identity.key}>
        <LiveTitleBar state={conn.state} replaying={replay.active}>
          <OnDuty />
          <button className="head-btn" onClick={() => dispatch({ type: 'sheet', sheet: 'analysis' })} data-testid="analysis-open">
            {t('an.open')}
          </button>
          {signedIn?.account.role === 'admin' && (
            <button className="head-btn" onClick={() => dispatch({ type: 'sheet', sheet: 'admin' })} data-testid="admin-open">
              {t('adm.open')}
            </button>
          )}
          {!signedIn && <IdentityPicker dir={dir} identity={identity} onChange={setIdentityKey} />}
          <AccountBadge />
          {conn.error && (
            <span className="conn-error" title={conn.error} data-testid="conn-error">
              {conn.error}
            </span>
          )}
        </LiveTitleBar>

        <LeftColumn data={data} px={px} />

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
            subscribe={hub.subscribeNow}
            visibility={ui.vis}
            showGrids={ui.showGrids}
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
              {en ? 'Sequence' : '数据序号'} <SeqValue />
            </span>
          </div>
          <LiveLayerPanel vis={ui.vis} onToggle={toggle} showGrids={ui.showGrids} onToggleGrids={() => dispatch({ type: 'toggle', what: 'showGrids' })}>
            <LayerExtras data={data} store={store} showCoverage={ui.showCoverage} onToggleCoverage={() => dispatch({ type: 'toggle', what: 'showCoverage' })} coverage={coverage}
              showHotspots={ui.showHotspots} onToggleHotspots={() => dispatch({ type: 'toggle', what: 'showHotspots' })} hotspots={hotspots?.length ?? null} />
          </LiveLayerPanel>
          {hover && !picked && !pickingLocation && <HoverTooltip hover={hover} data={data} />}
          {!caseId && (
            <PickedCard picked={picked} data={data} onClose={() => dispatch({ type: 'pick', ref: null })}>
              <DeviceExtras pick={picked} data={data} px={px} onTrack={onTrack} />
            </PickedCard>
          )}
          {ui.sheet === 'admin' && <AdminSheet onClose={() => dispatch({ type: 'sheet', sheet: null })} />}
          {ui.sheet === 'analysis' && (
            <AnalysisSheet
              onClose={() => dispatch({ type: 'sheet', sheet: null })}
              onOpenCase={(id) => {
                dispatch({ type: 'sheet', sheet: null });
                openCase(id);
              }}
            />
          )}
          {caseId && <CaseDetailPanel caseId={caseId} onClose={() => openCase(null)} nearby={(lon, lat) => <NearbyWorkers lon={lon} lat={lat} workers={data.devices.worker} />} />}
          {reporting && (
            <ReportForm
              communities={data.manifest.communities}
              location={marker}
              picking={pickingLocation}
              onPick={(on) => dispatch({ type: 'pickLocation', on })}
              onLocation={(at) => dispatch({ type: 'marker', at })}
              onClose={(created?: CaseSummary) => {
                dispatch({ type: 'reported' });
                if (created) openCase(created.id);
              }}
            />
          )}
          {stale && <StaleBanner />}
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
            <CaseBoard bySource={<BySourceChart px={px} />} selectedId={caseId} onReport={onReport} />
          </aside>
        )}
        <RightColumn key={identity.key} docked={wide ? WIDE_DOCKED : NONE_DOCKED} pinnedTab={kiosk.view?.kind === 'cases' ? 'cases' : undefined} bySource={<BySourceChart px={px} />} selectedId={caseId} onReport={onReport}
          broadcast={<BroadcastPanel draft={bc} townships={data.manifest.townships} communities={data.manifest.communities} selectedCaseId={caseId} />} />
      </div>
      </DroneDispatchContext.Provider>
      </ReplayClock.Provider>
    </LinkageContext.Provider>
  );
}
