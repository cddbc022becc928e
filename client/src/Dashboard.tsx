// The command-room dashboard: title bar with the identity selector, device and trend panels on the
// left, the live map in the middle (case detail and the report form float over it), and the right
// column's tabs (cases / whistles / indicators).
//
// This component wires the page: the store and its connection, the hub panels subscribe through
// (live.ts), the replayed moment for the clock (clock.ts), and the UI state no single panel owns
// (state/ui.ts). It reads from the store only what the page itself shows (the connection state,
// who acts); each panel subscribes to its own part, so a message re-renders the panels whose part
// changed and not this tree.
import { useCallback, useContext, useEffect, useMemo, useReducer, useState, useSyncExternalStore } from 'react';
import { drawOver } from './state/geography.ts';
import { useTranslation } from 'react-i18next';
import { DISTRICT_CODE } from '../../core/org.ts';
import type { CaseSummary } from '../../core/domain.ts';
import type { LoadedDataset } from './state/dataset.ts';
import { directoryFrom } from './state/identity.ts';
import { useConnState, useLiveConnection } from './liveConnection.ts';
import { makeNames } from './state/names.ts';
import { registeredAt } from './state/registry.ts';
import { MapView } from './map/MapView.tsx';
import { DEFAULT_VISIBILITY, type LayerKey, type MapExtras, type PickRef } from './map/layers.ts';
import { featureBBox, type BBox } from './map/geometry.ts';
import { ReplayBar } from './replay/ReplayBar.tsx';
import { AccountBadge, RecheckContext, useSignedIn } from './auth/AuthGate.tsx';
import { LoopKpis } from './panels/LoopKpis.tsx';
import { WhistleBoard } from './panels/WhistleBoard.tsx';
import { useReplay } from './replay/useReplay.ts';
import { IdentityPicker } from './panels/IdentityPicker.tsx';
import { CaseDetailPanel } from './panels/CaseDetail.tsx';
import { DeviceExtras, LayerExtras, NearbyWorkers, useCoverage } from './panels/DevicePanels.tsx';
import { ReportForm } from './panels/ReportForm.tsx';
import { AlarmStrip } from './panels/AlarmStrip.tsx';
import { CaseBoard, RightColumn, type RightTab } from './panels/RightColumn.tsx';
import { FloodPanel } from './flood/FloodPanel.tsx';
import { BySourceChart, LeftColumn } from './panels/LeftColumn.tsx';
import { LiveLayerPanel, LiveTitleBar, MapInfo, StaleBanner } from './panels/MapInfo.tsx';
import { HoverTooltip, PickedCard } from './panels/MapCards.tsx';
import { LinkageContext, actingActor, type Linkage } from './context.ts';
import { ReplayClock } from './clock.ts';
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
import { AlertCenter } from './alerts/AlertCenter.tsx';
import { useResources } from './resources/api.ts';
import { NearestResources, ResourceCard, ResourceLayerRow } from './resources/ResourcePanels.tsx';
import type { EmergencyResource } from '../../core/resources.ts';

/** On a wide video wall (32:9) the case board, the indicators and the whistles get columns of their own. */
const WIDE_DOCKED: readonly RightTab[] = ['cases', 'kpi', 'whistle'];
const NONE_DOCKED: readonly RightTab[] = [];

export function Dashboard({ data }: { data: LoadedDataset }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const dir = useMemo(() => directoryFrom(data.manifest, data.devices.worker), [data]);
  // A case reported by a grid worker keeps the worker's id: the panel shows the name.
  const workerNames = useMemo(() => new Map(data.devices.worker.map((w) => [w.id, w.name])), [data]);
  const [identity, setIdentityKey] = useIdentity(dir);
  const { store, hub, rt } = useLiveConnection(data, identity);
  // The map draws the dataset's boundaries with those an admin's import drew over them.
  const boundariesVersion = useSyncExternalStore(hub.subscribe, () => store.version.boundaries);
  const mapData = useMemo(() => ({ ...data, ...drawOver(data, store.drawn.values()) }), [data, store, boundariesVersion]); // eslint-disable-line react-hooks/exhaustive-deps
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
      const device = registeredAt(store, p.kind, p.index) ?? data.devices[p.kind][p.index];
      if (device) openVideo(p.kind, device.id, 'pick');
    }
  }, [data, store]);
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
    () => (focusCode === DISTRICT_CODE ? data.manifest.district.bbox : (featureBBox(mapData.boundaries, focusCode) ?? data.manifest.district.bbox)),
    [data, mapData, focusCode],
  );
  const drone = useDroneDispatchState();
  const droneLon = drone.open && drone.target ? drone.target.lon : null;
  const droneLat = drone.open && drone.target ? drone.target.lat : null;
  const bc = useBroadcastDraft(data, identity.scope);
  const coverage = useCoverage(ui.showCoverage, data.grids.features.length);
  const hotspots = useHotspots(ui.showHotspots, identity.scope);
  const resourcesRevision = useSyncExternalStore(hub.subscribe, () => store.version.resources);
  const resources = useResources(identity.scope, replayedAt, resourcesRevision);
  const resourceLayer = useMemo(() => ({ list: resources, glyph: (r: EmergencyResource) => t(`res.glyph.${r.kind}`) }), [resources, t, en]); // eslint-disable-line react-hooks/exhaustive-deps
  const [flyTo, setFlyTo] = useState<{ lon: number; lat: number } | null>(null);
  const showResources = ui.vis.resources;
  const flyToResource = useCallback((r: EmergencyResource) => {
    // Shown where it is, with the layer on so it can be seen there.
    if (!showResources) dispatch({ type: 'toggleLayer', key: 'resources' });
    setFlyTo({ lon: r.lon, lat: r.lat });
  }, [showResources]);
  // A flood gauge's row picks the gauge (its card with the readings) and flies the map there.
  const locateGauge = useCallback((index: number) => {
    dispatch({ type: 'pick', ref: { kind: 'component', index } });
    setFlyTo({ lon: data.components.lon[index], lat: data.components.lat[index] });
  }, [data]);
  const extras: MapExtras = useMemo(
    () => ({
      selectedCaseId: caseId,
      marker: reporting ? marker : null,
      droneTarget: droneLon !== null && droneLat !== null ? [droneLon, droneLat] : null,
      broadcast: bc.mapDraft,
      workerTrack: ui.workerTrack,
      coverage,
      hotspots,
      resources: resourceLayer,
      flyTo,
    }),
    [caseId, reporting, marker, droneLon, droneLat, bc.mapDraft, ui.workerTrack, coverage, hotspots, resourceLayer, flyTo],
  );
  const onMapClick = useMemo(
    () => (pickingLocation ? (ll: [number, number]) => dispatch({ type: 'placeMarker', at: ll }) : bc.onMapClick),
    [pickingLocation, bc.onMapClick],
  );
  const onTrack = useCallback((path: [number, number][] | null) => dispatch({ type: 'track', path }), []);

  const stale = conn.state === 'stale';
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
            data={mapData}
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
          <MapInfo data={data} />
          <LiveLayerPanel data={data} vis={ui.vis} onToggle={toggle} showGrids={ui.showGrids} onToggleGrids={() => dispatch({ type: 'toggle', what: 'showGrids' })}>
            <ResourceLayerRow on={ui.vis.resources} onToggle={() => toggle('resources')} resources={resources} />
            <LayerExtras data={data} store={store} showCoverage={ui.showCoverage} onToggleCoverage={() => dispatch({ type: 'toggle', what: 'showCoverage' })} coverage={coverage}
              showHotspots={ui.showHotspots} onToggleHotspots={() => dispatch({ type: 'toggle', what: 'showHotspots' })} hotspots={hotspots?.length ?? null} />
          </LiveLayerPanel>
          {hover && !picked && !pickingLocation && <HoverTooltip hover={hover} data={data} />}
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
          {stale && <StaleBanner />}
          {drone.open && <DispatchForm key={drone.target?.caseId ?? 'map'} dd={drone} />}
          {/* The right-hand stack: the alert pop-up first, the cards and the case drawer below it, so none covers another. */}
          <div className="map-right">
            <AlertCenter data={data} kiosk={kiosk.kiosk} />
            {!caseId && picked?.kind === 'resource' && picked.resource && <ResourceCard resource={picked.resource} onClose={() => dispatch({ type: 'pick', ref: null })} />}
            {!caseId && picked?.kind !== 'resource' && (
              <PickedCard picked={picked} data={data} onClose={() => dispatch({ type: 'pick', ref: null })}>
                <DeviceExtras pick={picked} data={data} px={px} onTrack={onTrack} />
              </PickedCard>
            )}
            {caseId && <CaseDetailPanel caseId={caseId} onClose={() => openCase(null)} people={workerNames} nearby={(lon, lat, urgent) => (
              <>
                {urgent && <NearestResources lon={lon} lat={lat} caseId={caseId} resources={resources} onFly={flyToResource} />}
                <NearbyWorkers lon={lon} lat={lat} workers={data.devices.worker} caseId={caseId} />
              </>
            )} />}
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
            <AlarmStrip data={data} />
          </div>
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
          broadcast={<BroadcastPanel draft={bc} townships={data.manifest.townships} communities={data.manifest.communities} selectedCaseId={caseId} />}
          flood={<FloodPanel data={data} px={px} onLocate={locateGauge} />} />
      </div>
      </DroneDispatchContext.Provider>
      </ReplayClock.Provider>
    </LinkageContext.Provider>
  );
}
