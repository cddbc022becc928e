import { useTranslation } from 'react-i18next';
import { onlineRate, type DeviceKind, type StatusCounts } from '../../../core/domain.ts';
import type { Kpis } from '../../../core/protocol.ts';
import { fmtDec, fmtInt, fmtPct } from '../i18n/format.ts';
import { cssColor } from '../state/colors.ts';

export const KPI_KINDS: DeviceKind[] = ['camera', 'component', 'broadcast', 'worker', 'lookout', 'drone'];

export function DeviceTile({ kind, c }: { kind: DeviceKind; c: StatusCounts }) {
  const { t } = useTranslation();
  const rate = onlineRate(c) ?? 0;
  const bad = c.fault + c.alarm;
  return (
    <div className="tile device-tile" data-testid={`kpi-${kind}`}>
      <div className="tile-head">
        <span className="swatch" style={{ background: cssColor(kind) }} />
        <span className="tile-name">{t(`kind.${kind}`)}</span>
        <span className={`tile-rate ${rate < 0.9 ? 'warn' : ''}`} data-testid={`kpi-${kind}-rate`} data-value={rate}>
          {fmtPct(rate)}
        </span>
      </div>
      <div className="tile-value">
        <span className="num" data-testid={`kpi-${kind}-online`} data-value={c.online}>
          {fmtInt(c.online)}
        </span>
        <span className="den" data-testid={`kpi-${kind}-total`} data-value={c.total}>
          / {fmtInt(c.total)}
        </span>
      </div>
      <div className="bar">
        <span style={{ width: `${rate * 100}%` }} />
      </div>
      <div className="tile-foot">
        <span>
          {t('status.offline')} <b>{fmtInt(c.offline)}</b>
        </span>
        <span className={bad > 0 ? 'hot' : ''} data-testid={`kpi-${kind}-problem`} data-value={bad}>
          {t(kind === 'component' ? 'componentStatus.fault' : 'status.fault')}/{t('status.alarm')} <b>{fmtInt(bad)}</b>
        </span>
      </div>
    </div>
  );
}

export function CaseTiles({ kpis }: { kpis: Kpis | null }) {
  const { t } = useTranslation();
  const c = kpis?.cases;
  const tiles: { id: string; label: string; value: number | undefined; cls?: string }[] = [
    { id: 'kpi-cases-today', label: t('kpi.today'), value: c?.today },
    { id: 'kpi-cases-open', label: t('kpi.open'), value: c?.open },
    { id: 'kpi-cases-overdue', label: t('kpi.overdue'), value: c?.overdue, cls: c && c.overdue > 0 ? 'bad' : '' },
    { id: 'kpi-cases-closed', label: t('kpi.closedToday'), value: c?.closedToday, cls: 'good' },
  ];
  return (
    <div className="case-tiles">
      {tiles.map((x) => (
        <div key={x.id} className={`tile case-tile ${x.cls ?? ''}`}>
          <div className="case-label">{x.label}</div>
          <div className="case-num" data-testid={x.id} data-value={x.value ?? ''}>
            {x.value === undefined ? '—' : fmtInt(x.value)}
          </div>
        </div>
      ))}
      <div className="eps" data-testid="kpi-events-rate" data-value={kpis?.eventsPerSecond ?? ''}>
        <span>{t('kpi.eps')}</span>
        <b>{kpis ? fmtDec(kpis.eventsPerSecond) : '—'}</b>
      </div>
    </div>
  );
}
