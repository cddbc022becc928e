// Device panels of issue 4: the detail card's extras (a sensor's recent readings against its rule,
// a grid worker's patrol track), the layer panel's coverage toggle and online rates by township,
// and the case panel's nearest grid workers. Data comes from GET /api/devices/… and
// /api/workers/coverage; rates and distances are computed here from the live store.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { MarkLineComponent } from 'echarts/components';
import { statusName } from '../../../core/domain.ts';
import { nearestWorkers } from '../../../core/patrol.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import type { LiveStore } from '../state/store.ts';
import type { PickRef } from '../map/layers.ts';
import { onlineRateTable, RATE_KINDS, townshipIndex, type RateRow } from '../state/onlineRates.ts';
import { rowsInScope } from '../state/scopeDevices.ts';
import { sparklineOption, type SparkRule } from './deviceOptions.ts';
import { EChart } from './EChart.tsx';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import { DensityRow } from '../analysis/DensityRow.tsx';
import { CallButton } from '../duty/CallButton.tsx';
import type { GridWorker } from '../../../core/dataset.ts';

echarts.use([MarkLineComponent]);

interface DeviceDetail {
  kind: string;
  id: string;
  status: string;
  sensor?: { metric: string; rule: (SparkRule & { consecutive?: number }) | null; raised: boolean; readings: { ts: number; value: number }[] };
  track?: { ts: number; lon: number; lat: number }[];
}

function deviceId(pick: PickRef, data: LoadedDataset): string | null {
  if (pick.kind === 'case' || pick.kind === 'density' || pick.kind === 'component-bin' || pick.kind === 'resource') return null;
  if (pick.kind === 'component') return data.components.code[pick.index] ?? null;
  return (data.devices[pick.kind] as { id: string }[])[pick.index]?.id ?? null;
}

/** Fetches the picked device's detail (refreshed every 15 s) when it is a sensor or a grid worker. */
function useDeviceDetail(pick: PickRef | null, data: LoadedDataset): DeviceDetail | null {
  const sensorized = useMemo(() => new Set(data.components.sensorized), [data]);
  const id = pick ? deviceId(pick, data) : null;
  const wanted = pick && id && (pick.kind === 'worker' || (pick.kind === 'component' && sensorized.has(pick.index))) ? `/api/devices/${pick.kind}/${encodeURIComponent(id)}` : null;
  const [detail, setDetail] = useState<{ url: string; body: DeviceDetail } | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const load = () =>
      fetch(wanted)
        .then((r) => (r.ok ? (r.json() as Promise<DeviceDetail>) : null))
        .then((body) => live && body && setDetail({ url: wanted, body }), () => {});
    void load();
    const timer = window.setInterval(load, 15_000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [wanted]);
  return detail && detail.url === wanted ? detail.body : null;
}

/** Below the detail card's rows: a sensor's sparkline with its thresholds, a worker's track summary. */
export function DeviceExtras({ pick, data, px, onTrack }: { pick: PickRef | null; data: LoadedDataset; px: number; onTrack: (path: [number, number][] | null) => void }) {
  const { t } = useTranslation();
  const detail = useDeviceDetail(pick, data);
  const track = detail?.track;
  useEffect(() => {
    onTrack(track && track.length > 0 ? track.map((p) => [p.lon, p.lat]) : null);
  }, [track, onTrack]);
  useEffect(() => () => onTrack(null), [onTrack]);
  const sensor = detail?.sensor;
  const unit = sensor?.rule?.unit ?? '';
  const option = useMemo(
    () => (sensor ? sparklineOption(sensor.readings, sensor.rule, px, { raise: t('devx.raise', { v: `${sensor.rule?.raise ?? ''}` }), clear: t('devx.clear', { v: `${sensor.rule?.clear ?? ''}` }) }) : null),
    [sensor, px, t],
  );
  if (!pick || pick.kind === 'case' || pick.kind === 'density' || pick.kind === 'component-bin') return null;
  if (!detail) {
    const interesting = pick.kind === 'worker' || (pick.kind === 'component' && data.components.sensorized.includes(pick.index));
    return interesting ? <div className="muted devx-note">{t('devx.loading')}</div> : null;
  }
  if (sensor) {
    const r = sensor.rule;
    const last = sensor.readings.at(-1);
    return (
      <div className="devx" data-testid="sensor-detail" data-readings={sensor.readings.length} data-raised={sensor.raised ? '1' : '0'}>
        <div className="devx-head">
          <span>{t(`devx.metric.${sensor.metric}`)} · {t('devx.readings')}</span>
          {last && <b className={sensor.raised ? 'bad' : 'good'}>{last.value} {unit}</b>}
        </div>
        {sensor.readings.length > 0 && option ? <EChart option={option} testId="sensor-sparkline" /> : <div className="muted">{t('devx.noReadings')}</div>}
        {r && (
          <div className="devx-rule">
            {t('devx.rule')}：{t('devx.ruleText', { dir: t(`devx.${r.direction}`), raise: `${r.raise} ${unit}`, clear: `${r.clear} ${unit}`, n: r.consecutive && r.consecutive > 1 ? t('devx.consecutive', { n: r.consecutive }) : '' })}
          </div>
        )}
      </div>
    );
  }
  if (track) {
    return (
      <div className="devx" data-testid="worker-track" data-points={track.length}>
        <div className="devx-head">
          <span>{t('devx.track')}</span>
          <b>{track.length > 0 ? t('devx.trackPoints', { n: track.length }) : t('devx.noTrack')}</b>
        </div>
      </div>
    );
  }
  return null;
}

/** Patrol coverage by grid index for the current shift, refreshed every 30 s while `enabled`. */
export function useCoverage(enabled: boolean, gridCount: number): Float32Array | null {
  const [cov, setCov] = useState<Float32Array | null>(null);
  useEffect(() => {
    if (!enabled) {
      setCov(null);
      return;
    }
    let live = true;
    const load = () =>
      fetch('/api/workers/coverage')
        .then((r) => (r.ok ? (r.json() as Promise<{ grids: { index: number; coverage: number }[] }>) : null))
        .then((body) => {
          if (!live || !body) return;
          const a = new Float32Array(gridCount).fill(-1);
          for (const g of body.grids) if (g.index >= 0 && g.index < gridCount) a[g.index] = g.coverage;
          setCov(a);
        }, () => {});
    void load();
    const timer = window.setInterval(load, 30_000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [enabled, gridCount]);
  return cov;
}

const RATES_EVERY_MS = 2_000;

/** The layer panel's additions: the coverage, hot-spot and case density toggles, and online rates by township (recomputed at most every 2 s). */
export function LayerExtras({ data, store, showCoverage, onToggleCoverage, coverage, showHotspots, onToggleHotspots, hotspots }: {
  data: LoadedDataset; store: LiveStore; showCoverage: boolean; onToggleCoverage: () => void; coverage: Float32Array | null;
  showHotspots: boolean; onToggleHotspots: () => void; hotspots: number | null;
}) {
  const { t } = useTranslation();
  const { identity } = useLinkage();
  const index = useMemo(
    () =>
      townshipIndex({
        townships: data.manifest.townships,
        gridTownship: data.grids.features.map((f) => (f.properties as { townshipCode: string }).townshipCode),
        devices: data.devices,
        componentGrid: data.components.gridIndex,
      }),
    [data],
  );
  // Re-read after each message; the table itself is recomputed at most every RATES_EVERY_MS.
  useLive((s) => s.seq);
  const cache = useRef<{ at: number; seq: number; rows: RateRow[] } | null>(null);
  const now = performance.now();
  if (!cache.current || (cache.current.seq !== store.seq && now - cache.current.at >= RATES_EVERY_MS)) {
    cache.current = { at: now, seq: store.seq, rows: onlineRateTable(index, store.status) };
  }
  // A township's screen lists its own township only, not the district's ten.
  const rows = rowsInScope(cache.current.rows, identity.scope);
  const covered = coverage ? [...coverage].filter((c) => c >= 0) : [];
  const meanCov = covered.length ? covered.reduce((a, b) => a + b, 0) / covered.length : null;
  const pct = (r: number | null) => (r === null ? '—' : `${Math.floor(r * 1000) / 10}`);
  const short = (code: string) => (code ? (data.townshipName.get(code) ?? code).replace(/(街道|镇|乡)$/, '') : t('devx.all'));
  return (
    <>
      <label className={`layer-row ${showCoverage ? '' : 'off'}`}>
        <input type="checkbox" checked={showCoverage} onChange={onToggleCoverage} data-testid="layer-coverage" />
        <span className="swatch cov" />
        <span className="layer-name">{t('devx.coverage')}</span>
        <span className="layer-count" data-testid="coverage-mean">{meanCov === null ? '' : `${Math.round(meanCov * 100)}%`}</span>
      </label>
      <label className={`layer-row ${showHotspots ? '' : 'off'}`}>
        <input type="checkbox" checked={showHotspots} onChange={onToggleHotspots} data-testid="layer-hotspots" />
        <span className="swatch hot" />
        <span className="layer-name">{t('devx.hotspots')}</span>
        <span className="layer-count" data-testid="hotspots-count">{hotspots === null ? '' : hotspots}</span>
      </label>
      <DensityRow />
      <div className="rates" data-testid="township-rates">
        <div className="rates-title">{t('devx.rates')} (%)</div>
        <table>
          <thead>
            <tr>
              <th />
              {RATE_KINDS.map((k) => (
                <th key={k}>{t(`kind.${k}`).slice(0, 2)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code || 'all'} className={r.code ? '' : 'total'} data-township={r.code || 'all'}>
                <td>{short(r.code)}</td>
                {RATE_KINDS.map((k) => (
                  <td key={k} className={r.rate[k] !== null && r.rate[k]! < 0.8 ? 'bad' : r.rate[k] !== null && r.rate[k]! < 0.95 ? 'warn' : ''} data-kind={k} data-value={r.rate[k] ?? ''}>
                    {pct(r.rate[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** 附近网格员: the five workers nearest the case, with distance and online state. */
/** The grid workers nearest a case, each with their number one click away (the call logged against the case). */
export function NearbyWorkers({ lon, lat, workers, caseId }: { lon: number; lat: number; workers: Pick<GridWorker, 'id' | 'name' | 'phone' | 'role' | 'communityCode'>[]; caseId?: string }) {
  const { t } = useTranslation();
  const { store, names } = useLinkage();
  useLive((s) => `${s.version.moving.worker}:${s.version.status.worker}`);
  const near = nearestWorkers([lon, lat], store.moving.worker.lonlat, store.status.worker, 5);
  return (
    <div className="nearby" data-testid="nearby-workers">
      <h3>{t('devx.nearby')}</h3>
      {near.length === 0 ? (
        <div className="muted">{t('devx.noWorkers')}</div>
      ) : (
        <ul>
          {near.map((w) => {
            const st = statusName(w.status);
            return (
              <li key={w.index} data-worker={workers[w.index]?.id}>
                <span className="nearby-name">{workers[w.index]?.name ?? w.index}</span>
                <span className="nearby-dist">{w.distanceM < 1000 ? `${Math.round(w.distanceM)} m` : `${(w.distanceM / 1000).toFixed(1)} km`}</span>
                <span className={st === 'online' ? 'good' : 'muted'}>{t(`status.${st}`)}</span>
                {workers[w.index]?.phone && (
                  <CallButton
                    target={{ name: workers[w.index].name, phone: workers[w.index].phone, about: `${t(workers[w.index].role === 'leader' ? 'duty.call.leader' : 'duty.call.gridWorker')} · ${names.place(workers[w.index].communityCode)}`, caseId }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
