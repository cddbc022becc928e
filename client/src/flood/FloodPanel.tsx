// The 防汛 tab: the embankment gauges against their warning and guarantee levels (counts by stage,
// the most threatened gauges first, the chosen gauge's recent stages with both levels drawn), and
// the weather station's observation with the warnings in force. A gauge row picks the gauge on the
// map and flies there. Reads the live store through selectors; the chosen gauge's recent readings
// come from its device detail (GET /api/devices/component/:id), fetched again when it reads anew.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { gaugeRows, stageCounts, type GaugeRow, type StageReading } from '../../../core/flood.ts';
import { beaufort, compassPoint, rainCategory, WARNING_LEVELS, type WeatherObservation } from '../../../core/weather.ts';
import { useLiveMemo } from '../live.ts';
import { EChart } from '../panels/EChart.tsx';
import { fmtHM } from '../i18n/format.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { latestObservations } from './state.ts';
import { rainChartOption, stageChartOption } from './options.ts';
import './flood.css';

/** Gauge rows listed: the most threatened; the counts above say how many there are in all. */
const ROWS = 6;
const fix = (v: number, d = 2) => v.toFixed(d);

function useGaugeReadings(id: string | null, lastTs: number | null): StageReading[] | null {
  const [got, setGot] = useState<{ id: string; readings: StageReading[] } | null>(null);
  useEffect(() => {
    if (!id) return;
    const ac = new AbortController();
    fetch(`/api/devices/component/${encodeURIComponent(id)}`, { signal: ac.signal })
      .then((r) => (r.ok ? r.json() : null))
      .then((body: { sensor?: { readings: StageReading[] } } | null) => body?.sensor && setGot({ id, readings: body.sensor.readings }), () => {});
    return () => ac.abort();
  }, [id, lastTs]);
  return got && got.id === id ? got.readings : null;
}

export function FloodPanel({ data, px, onLocate }: { data: LoadedDataset; px: number; onLocate: (componentIndex: number) => void }) {
  const { t } = useTranslation();
  const { rows, levels, weather, stations } = useLiveMemo(
    (s) => s.floodVersion,
    (s) => ({
      rows: s.floodLevels ? gaugeRows(s.floodLevels, s.gauges.values(), (i) => data.components.code[i] ?? String(i)) : [],
      levels: s.floodLevels,
      weather: latestObservations(s),
      stations: s.weatherStations,
    }),
  );
  const [chosen, setChosen] = useState<string | null>(null);
  const shown = rows.find((r) => r.id === chosen) ?? rows[0] ?? null;
  const readings = useGaugeReadings(shown?.id ?? null, shown?.ts ?? null);
  const chart = useMemo(
    () => (shown && readings?.length ? stageChartOption(readings, shown.levels, px, { warning: t('flood.warningLine', { v: fix(shown.levels.warning, 1) }), guarantee: t('flood.guaranteeLine', { v: fix(shown.levels.guarantee, 1) }) }) : null),
    [shown, readings, px, t],
  );
  const counts = stageCounts(rows);
  return (
    <div className="flood" data-testid="flood-panel">
      <h3 className="flood-sub">{t('flood.gauges')}</h3>
      {levels && <div className="flood-levels" data-testid="flood-levels">{t('flood.levels', { station: levels.station, warning: fix(levels.warning, 1), guarantee: fix(levels.guarantee, 1), datum: levels.datum })}</div>}
      <div className="flood-counts">
        {(['guarantee', 'warning', 'normal'] as const).map((k) => (
          <div key={k} className={`flood-count stage-${k}`} data-testid={`flood-count-${k}`} data-n={counts[k]}>
            <b>{counts[k]}</b>
            <span>{t(`flood.count.${k}`)}</span>
          </div>
        ))}
      </div>
      {rows.length === 0 ? (
        <div className="muted">{t('flood.noGauges')}</div>
      ) : (
        <table className="flood-table">
          <thead>
            <tr>
              <th>{t('flood.col.gauge')}</th>
              <th>{t('flood.col.level')}</th>
              <th>{t('flood.col.over')}</th>
              <th>{t('flood.col.trend')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, ROWS).map((r) => (
              <GaugeLine key={r.id} r={r} place={gaugePlace(data, r.index)} on={r.id === shown?.id} onClick={() => {
                  setChosen(r.id);
                  onLocate(r.index);
                }} />
            ))}
          </tbody>
        </table>
      )}
      {shown && (
        <div className="flood-chart" data-testid="flood-chart" data-gauge={shown.id} data-readings={readings?.length ?? 0}>
          <div className="flood-chart-title">{t('flood.chart', { id: shown.id })}</div>
          {chart && <EChart option={chart} testId="flood-stage-chart" />}
        </div>
      )}
      <h3 className="flood-sub">{t('flood.weather')}</h3>
      {weather.length === 0 ? <div className="muted">{t('flood.noWeather')}</div> : weather.map((o) => <WeatherBlock key={o.stationId} o={o} name={stations.find((s) => s.id === o.stationId)} px={px} />)}
    </div>
  );
}

/** Where a gauge stands, as an operator names it: its grid (马山社区第1网格), else nothing. */
function gaugePlace(data: LoadedDataset, index: number): string | null {
  const gi = data.components.gridIndex[index];
  return gi >= 0 ? ((data.grids.features[gi]?.properties as { name?: string } | undefined)?.name ?? null) : null;
}

function GaugeLine({ r, place, on, onClick }: { r: GaugeRow; place: string | null; on: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  const arrow = r.trend === null || Math.abs(r.trend) < 0.005 ? '→' : r.trend > 0 ? '↑' : '↓';
  return (
    <tr className={`flood-row stage-${r.stage} ${on ? 'on' : ''}`} data-testid="flood-row" data-id={r.id} data-stage={r.stage} onClick={onClick} title={t('flood.locate', { id: r.id })}>
      <td className="flood-id">
        {place && <span className="flood-place">{place}</span>}
        <span className="flood-code">{r.id}</span>
      </td>
      <td className="flood-level">{fix(r.value)}</td>
      <td className="flood-over">{r.overWarning >= 0 ? '+' : ''}{fix(r.overWarning)}</td>
      <td className="flood-trend">{arrow} {r.trend === null ? '' : fix(Math.abs(r.trend))}</td>
    </tr>
  );
}

function WeatherBlock({ o, name, px }: { o: WeatherObservation; name: { name: string; nameEn: string } | undefined; px: number }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const series = useLiveMemo((s) => s.floodVersion, (s) => s.observations.get(o.stationId) ?? []);
  const option = useMemo(() => rainChartOption(series, px), [series, px]);
  const warnings = [...o.warnings].sort((a, b) => WARNING_LEVELS.indexOf(b.level) - WARNING_LEVELS.indexOf(a.level));
  const dirs = t('flood.dirs', { returnObjects: true }) as string[];
  return (
    <div className="flood-weather" data-testid="weather-block" data-station={o.stationId}>
      <div className="flood-station">
        {name ? (en ? name.nameEn : name.name) : o.stationId} · {t('flood.observed', { time: fmtHM(o.ts) })}
      </div>
      <div className="flood-warnings" data-testid="weather-warnings">
        {warnings.length === 0 ? <span className="muted">{t('flood.noWarnings')}</span> : warnings.map((w) => (
          <span key={w.type} className={`wx-warn wx-${w.level}`} data-testid="weather-warning" data-type={w.type} data-level={w.level}>
            {t('flood.warning', { type: t(`flood.warnType.${w.type}`), level: t(`flood.warnLevel.${w.level}`) })}
          </span>
        ))}
      </div>
      <div className="flood-wx">
        <div><span>{t('flood.rain')}</span><b data-testid="weather-rain">{t('flood.rainValue', { v: fix(o.rainMmH, 1) })}</b><small>{t(`flood.rainCat.${rainCategory(o.rainMmH)}`)}</small></div>
        <div><span>{t('flood.wind')}</span><b>{t('flood.windValue', { dir: dirs[compassPoint(o.windDirDeg)], force: beaufort(o.windMs), v: fix(o.windMs, 1) })}</b></div>
        <div><span>{t('flood.temp')}</span><b>{t('flood.tempValue', { v: fix(o.temperatureC, 1) })}</b></div>
        <div><span>{t('flood.humidity')}</span><b>{t('flood.humidityValue', { v: Math.round(o.humidityPct) })}</b></div>
      </div>
      {series.length > 1 && (
        <div className="flood-rain">
          <div className="flood-chart-title">{t('flood.rainChart')}</div>
          <EChart option={option} testId="weather-rain-chart" />
        </div>
      )}
    </div>
  );
}
