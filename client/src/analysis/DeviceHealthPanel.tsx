// 设备健康趋势 in the analysis sheet: online rate per device kind over the sheet's window and bucket,
// and under it each kind's average and lowest online rate of the window.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Bucket } from '../../../core/analysis.ts';
import { windowHealth } from '../../../core/device-health.ts';
import { DEVICE_KINDS } from '../../../core/domain.ts';
import { fmtDateTime, fmtHM, fmtPct } from '../i18n/format.ts';
import { EChart } from '../panels/EChart.tsx';
import { usePoll } from '../realtime/http.ts';
import { cssColor } from '../state/colors.ts';
import { fetchDeviceHealth } from './api.ts';
import { deviceHealthOption } from './options.ts';

export function DeviceHealthPanel({ from, to, bucket, px }: { from: number; to: number; bucket: Bucket; px: number }) {
  const { t } = useTranslation();
  const health = usePoll((signal) => fetchDeviceHealth(from, to, bucket, signal), 60_000, [from, to, bucket]);
  const series = health.value?.series ?? null;
  const option = useMemo(() => {
    if (!series) return null;
    const fmtBucket = bucket === 'hour' ? fmtHM : (s: number) => fmtDateTime(s).slice(0, 5);
    return deviceHealthOption(series, { kind: (k) => t(`kind.${k}`), bucket: fmtBucket, rate: fmtPct }, px);
  }, [series, bucket, px, t]);
  const rate = (r: number | null) => (r === null ? t('an.healthNoData') : fmtPct(r));

  return (
    <section className="an-health" data-testid="an-health">
      <h2>{t('an.health')}</h2>
      {health.error && !series && <div className="ack-error">{health.error}</div>}
      <div className="an-health-chart">{option && <EChart option={option} testId="an-health-chart" />}</div>
      <ul className="an-health-sum">
        {series &&
          DEVICE_KINDS.filter((k) => series[k]).map((k) => {
            const w = windowHealth(series[k]!);
            return (
              <li key={k} data-testid="an-health-kind" data-kind={k} data-avg={w.onlineRate ?? ''} data-min={w.minOnlineRate ?? ''}>
                <span className="swatch" style={{ background: cssColor(k) }} />
                <span>{t(`kind.${k}`)}</span>
                <span>{t('an.healthAvg')} <b>{rate(w.onlineRate)}</b></span>
                <span>{t('an.healthMin')} <b className={w.minOnlineRate !== null && w.minOnlineRate < 0.9 ? 'warn' : ''}>{rate(w.minOnlineRate)}</b></span>
              </li>
            );
          })}
      </ul>
    </section>
  );
}
