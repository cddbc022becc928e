import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { OPEN_STAGES, shanghaiHour, type CaseSummary } from '../../core/domain.ts';
import type { Summary } from '../../core/protocol.ts';
import { loadDataset, movingSeeds, type LoadedDataset } from './state/dataset.ts';
import { createStore, deviceCounts, feedCases, rateSeries, type LiveStore } from './state/store.ts';
import { connectRealtime, type ConnState, type Realtime } from './realtime/connection.ts';
import { MapView } from './map/MapView.tsx';
import { DEFAULT_VISIBILITY, type LayerKey, type PickRef, type Visibility } from './map/layers.ts';
import { TitleBar, useNow } from './panels/TitleBar.tsx';
import { CaseTiles, DeviceTile, KPI_KINDS } from './panels/Kpis.tsx';
import { CaseFeed } from './panels/CaseFeed.tsx';
import { LayerPanel } from './panels/LayerPanel.tsx';
import { DetailCard, Tooltip, describe } from './panels/Detail.tsx';
import { EChart } from './panels/EChart.tsx';
import { byHourOption, bySourceOption, eventsRateOption, rankingOption } from './panels/options.ts';
import { fmtAgo, fmtClock, fmtHM, fmtInt } from './i18n/format.ts';

/** Screen scale: root font size / 16 (the CSS sizes the root from the viewport). */
function usePx(): number {
  const read = () => parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
  const [px, setPx] = useState(read);
  useEffect(() => {
    let t = 0;
    const on = () => {
      window.clearTimeout(t);
      t = window.setTimeout(() => setPx(read()), 150);
    };
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return Math.round(px * 100) / 100;
}

/** A counter bumped by realtime notifications, at most every `ms`, so panels re-render at a calm rate. */
function useThrottledTick(rt: Realtime | null, ms: number): number {
  const tick = useRef(0);
  const sub = useCallback(
    (cb: () => void) => {
      if (!rt) return () => {};
      let last = 0;
      let timer = 0;
      const fire = () => {
        timer = 0;
        last = performance.now();
        tick.current++;
        cb();
      };
      const un = rt.subscribe(() => {
        if (timer) return;
        timer = window.setTimeout(fire, Math.max(0, ms - (performance.now() - last)));
      });
      return () => {
        un();
        if (timer) window.clearTimeout(timer);
      };
    },
    [rt, ms],
  );
  return useSyncExternalStore(sub, () => tick.current);
}

export function App() {
  const { t } = useTranslation();
  const [data, setData] = useState<LoadedDataset | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    loadDataset(ac.signal).then(setData, (e: Error) => {
      if (!ac.signal.aborted) setError(e.message);
    });
    return () => ac.abort();
  }, []);
  if (error) return <div className="splash error">{t('loadError', { msg: error })}</div>;
  if (!data) return <div className="splash">{t('loading')}</div>;
  return <Dashboard data={data} />;
}

function Dashboard({ data }: { data: LoadedDataset }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const store = useMemo<LiveStore>(() => createStore(data.sizes, movingSeeds(data)), [data]);
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
    const r = connectRealtime(store);
    const un = r.subscribe(() => bus.forEach((f) => f()));
    setRt(r);
    (window as unknown as { __linkage?: unknown }).__linkage = { store, realtime: r };
    return () => {
      un();
      r.close();
    };
  }, [store, bus]);
  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    fetch('/api/summary')
      .then((r) => (r.ok ? (r.json() as Promise<Summary>) : null))
      .then(setSummary, () => setSummary(null));
  }, []);

  useThrottledTick(rt, 250);
  const now = useNow(1000);
  const px = usePx();
  const [vis, setVis] = useState<Visibility>(DEFAULT_VISIBILITY);
  const [showGrids, setShowGrids] = useState(true);
  const [hover, setHover] = useState<{ ref: PickRef; x: number; y: number } | null>(null);
  const [picked, setPicked] = useState<PickRef | null>(null);
  const toggle = useCallback((k: LayerKey) => setVis((v) => ({ ...v, [k]: !v[k] })), []);

  const state: ConnState = rt?.state() ?? 'connecting';
  const counts = deviceCounts(store);
  const kpis = store.kpis;
  const townshipName = useCallback((code: string) => data.townshipName.get(code) ?? code, [data]);

  // Chart options (rebuilt on the throttled tick; cheap).
  const hour = shanghaiHour(store.serverTime || now);
  const byHour = useMemo(() => byHourOption(kpis?.cases.byHour ?? new Array(24).fill(0), hour, px), [kpis, hour, px]);
  const rate = useMemo(() => eventsRateOption(rateSeries(store), px, fmtHM), [store.seq, px]); // eslint-disable-line react-hooks/exhaustive-deps
  const casesVersion = store.version.cases;
  const openCases = useMemo(() => [...store.cases.values()].filter((c) => OPEN_STAGES.has(c.stage)), [casesVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  const ranking = useMemo(() => {
    const per = new Map<string, number>(data.manifest.townships.map((tw) => [tw.code, 0]));
    for (const c of openCases) per.set(c.townshipCode, (per.get(c.townshipCode) ?? 0) + 1);
    return rankingOption(
      [...per].map(([code, value]) => ({ name: townshipName(code), value })),
      px,
      10,
    );
  }, [openCases, px, data, townshipName]);
  const sourceNames = useCallback((k: string) => t(`source.${k}`), [t]);
  const bySource = useMemo(() => bySourceOption(kpis?.cases.openBySource ?? {}, sourceNames, px), [kpis, sourceNames, px]);
  const feed = useMemo(() => feedCases(store).slice(0, 40), [casesVersion, store]); // eslint-disable-line react-hooks/exhaustive-deps

  const hoverInfo = hover ? describe(hover.ref, data, store, t, en, now) : null;
  const pickedInfo = picked ? describe(picked, data, store, t, en, now) : null;
  const pickCase = useCallback((c: CaseSummary) => setPicked({ kind: 'case', index: 0, caseId: c.id }), []);
  const stale = state === 'stale';
  const units = t('units', { returnObjects: true }) as { s: string; m: string; h: string };
  const centers = data.manifest.centers.length;

  return (
    <div className={`app ${stale ? 'is-stale' : ''}`} data-testid="app">
      <TitleBar state={state} lastMessageAt={store.lastMessageAt} />

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
          <h2>{t('panel.township')}</h2>
          <EChart option={ranking} testId="chart-township" />
        </section>
        <section className="panel panel-eps">
          <h2>{t('panel.eps')}</h2>
          <EChart option={rate} testId="chart-eps" />
        </section>
      </aside>

      <main className="map-wrap">
        <MapView data={data} store={store} subscribe={subscribeMap} visibility={vis} showGrids={showGrids} px={px} onHover={setHover} onPick={setPicked} />
        <div className="map-info">
          <span>
            {en ? 'Grids' : '网格'} <b>{fmtInt(summary?.grids ?? data.manifest.counts.grids)}</b>
          </span>
          <span>
            {en ? 'Residents' : '常住人口'} <b>{fmtInt(summary?.residents ?? data.manifest.counts.residents)}</b>
          </span>
          <span>
            {en ? 'Linkage centers' : '联动中心'} <b>{fmtInt(summary?.centers.total ?? centers)}</b>
          </span>
          <span>
            {en ? 'Sequence' : '数据序号'} <b data-testid="seq" data-value={store.seq}>{store.seq >= 0 ? fmtInt(store.seq) : '—'}</b>
          </span>
        </div>
        <LayerPanel vis={vis} onToggle={toggle} counts={counts} openCases={openCases.length} showGrids={showGrids} onToggleGrids={() => setShowGrids((g) => !g)} />
        {hover && !picked && <Tooltip info={hoverInfo} x={hover.x} y={hover.y} />}
        <DetailCard info={pickedInfo} onClose={() => setPicked(null)} />
        {stale && (
          <div className="stale-banner" data-testid="stale-banner">
            {t('staleBanner', { ago: fmtAgo(now - store.lastMessageAt, units), time: fmtClock(store.lastMessageAt) })}
          </div>
        )}
        {store.alarms.length > 0 && (
          <div className="alarm-strip" data-testid="alarm-strip">
            <span className="alarm-tag">{t('panel.alarms')}</span>
            {store.alarms.slice(0, 3).map((a) => {
              const cam = data.devices.camera[a.cameraIndex];
              const cls = a.event.eventClass;
              return (
                <span key={a.seq} className="alarm-item">
                  {fmtHM(a.event.ts)} {cam?.name ?? a.event.cameraId} · {t(`alarmClass.${cls}`, { defaultValue: describeClass(cls, en) })}
                </span>
              );
            })}
          </div>
        )}
      </main>

      <aside className="col col-right">
        <section className="panel panel-cases">
          <h2>{t('panel.cases')}</h2>
          <CaseTiles kpis={kpis} />
        </section>
        <section className="panel panel-hour">
          <h2>{t('panel.byHour')}</h2>
          <EChart option={byHour} testId="chart-by-hour" />
        </section>
        <section className="panel panel-source">
          <h2>{t('panel.bySource')}</h2>
          <EChart option={bySource} testId="chart-by-source" />
        </section>
        <section className="panel panel-feed">
          <h2>{t('panel.feed')}</h2>
          <CaseFeed cases={feed} now={now} townshipName={townshipName} onPick={pickCase} />
        </section>
      </aside>
    </div>
  );
}

import { EVENT_CLASS_BY_CODE } from '../../core/taxonomy.ts';
function describeClass(code: string, en: boolean): string {
  const c = EVENT_CLASS_BY_CODE.get(code);
  return c ? (en ? c.nameEn : c.name) : code;
}
