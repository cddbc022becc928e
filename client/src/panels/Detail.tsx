// Hover tooltip and click detail card for anything picked on the map.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPONENT_CLASS_BY_CODE, EVENT_BIG_CLASS_EN, EVENT_CLASS_BY_CODE } from '../../../core/taxonomy.ts';
import { DEVICE_STATUSES, isOverdue, statusName, type CaseSummary } from '../../../core/domain.ts';
import { COMPONENT_BIN_RADIUS_M, countByStatus } from '../map/componentLayers.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import type { LiveStore } from '../state/store.ts';
import { registeredAt } from '../state/registry.ts';
import type { PickRef } from '../map/layers.ts';
import { fmtDateTime } from '../i18n/format.ts';

interface Row {
  label: string;
  value: string;
  cls?: string;
}

interface Description {
  title: string;
  sub: string;
  rows: Row[];
  /** A group (a hexagon of components): how many in each status. */
  counts?: { status: string; label: string; value: number }[];
  hint?: string;
}

export function describe(ref: PickRef, data: LoadedDataset, store: LiveStore, t: (k: string, o?: Record<string, unknown>) => string, en: boolean, now: number): Description | null {
  const town = (code: string) => data.townshipName.get(code) ?? code;
  if (ref.kind === 'case') {
    const c: CaseSummary | undefined = ref.caseId ? store.cases.get(ref.caseId) : undefined;
    if (!c) return null;
    const cls = EVENT_CLASS_BY_CODE.get(c.eventClass);
    const over = isOverdue(c, now);
    return {
      title: c.title,
      sub: c.id,
      rows: [
        { label: t('detail.cls'), value: cls ? `${en ? (EVENT_BIG_CLASS_EN[cls.bigName] ?? cls.bigName) : cls.bigName} · ${en ? cls.nameEn : cls.name}` : c.eventClass },
        { label: t('detail.source'), value: t(`source.${c.source}`) + (c.hotline ? ` #${c.hotline.orderNo}` : '') },
        { label: t('detail.stage'), value: t(`stage.${c.stage}`) },
        { label: t('detail.urgency'), value: t(`urgency.${c.urgency}`), cls: c.urgency === 'urgent' ? 'warn' : '' },
        { label: t('detail.township'), value: town(c.townshipCode) },
        { label: t('detail.reported'), value: fmtDateTime(c.reportedAt) },
        { label: t('detail.deadline'), value: c.deadline ? fmtDateTime(c.deadline) + (over ? ` · ${t('detail.overdue')}` : '') : t('detail.none'), cls: over ? 'bad' : '' },
      ],
    };
  }
  if (ref.kind === 'resource') {
    const r = ref.resource;
    return r ? { title: r.name, sub: t(`res.kind.${r.kind}`), rows: [{ label: t('detail.township'), value: town(r.townshipCode) }] } : null;
  }
  if (ref.kind === 'density') {
    const n = ref.count ?? 0;
    return {
      title: t('an.densityTitle'),
      sub: t('an.densityCell', { n }),
      rows: [
        { label: t('an.densityCount'), value: String(n) },
        { label: t('an.densityWindow'), value: t('an.periods.7d') },
      ],
    };
  }
  if (ref.kind === 'component-bin') {
    const counts = countByStatus(store.status.component, ref.indices ?? []);
    return {
      title: t('kind.component'),
      sub: t('detail.binSub', { n: counts.total, m: COMPONENT_BIN_RADIUS_M }),
      rows: [],
      counts: DEVICE_STATUSES.map((s) => ({ status: s, label: t(`componentStatus.${s}`), value: counts[s] })),
      hint: t('detail.binHint'),
    };
  }
  const status = statusName(store.status[ref.kind][ref.index] ?? 1);
  const statusLabel = t(`${ref.kind === 'component' ? 'componentStatus' : 'status'}.${status}`);
  const statusRow: Row = { label: t('detail.status'), value: statusLabel, cls: status === 'online' ? 'good' : status === 'offline' ? '' : 'bad' };
  if (ref.kind === 'component') {
    const c = data.components;
    const code = c.code[ref.index];
    const cls = COMPONENT_CLASS_BY_CODE.get(c.classCode[ref.index]);
    const gi = c.gridIndex[ref.index];
    const grid = gi >= 0 ? (data.grids.features[gi]?.properties as { name?: string; townshipCode?: string } | undefined) : undefined;
    return {
      title: cls ? (en ? cls.nameEn : cls.name) : t('kind.component'),
      sub: code,
      rows: [
        { label: t('detail.code'), value: code },
        { label: t('detail.cls'), value: cls ? `${c.classCode[ref.index]} ${en ? cls.nameEn : cls.name}` : c.classCode[ref.index] },
        { label: t('detail.township'), value: grid?.townshipCode ? town(grid.townshipCode) : t('detail.none') },
        { label: t('detail.grid'), value: grid?.name ?? t('detail.none') },
        statusRow,
      ],
    };
  }
  const list = data.devices[ref.kind] as { id: string; name: string; townshipCode: string }[];
  // A device provisioned or changed since the dataset: the registry's entry (its township is the server's to know).
  const reg = registeredAt(store, ref.kind, ref.index);
  if (reg?.retired) return null;
  const dev = reg ? { id: reg.id, name: reg.name, townshipCode: list[ref.index]?.townshipCode ?? '' } : list[ref.index];
  if (!dev) return null;
  const rows: Row[] = [
    { label: t('detail.id'), value: dev.id },
    { label: t('detail.cls'), value: t(`kind.${ref.kind}`) },
    { label: t('detail.township'), value: town(dev.townshipCode) },
    statusRow,
  ];
  const l = ref.kind === 'lookout' ? data.devices.lookout[ref.index] : undefined;
  if (l) {
    rows.push({ label: t('detail.heading'), value: `${Math.round(l.heading)}°` }, { label: t('detail.fov'), value: `${l.fov}°` }, { label: t('detail.range'), value: `${(l.rangeM / 1000).toFixed(1)} km` });
  }
  if (ref.kind === 'camera' && (reg ? reg.ai : data.devices.camera[ref.index]?.ai)) rows.push({ label: t('detail.ai'), value: '✓' });
  if (ref.kind === 'drone' || ref.kind === 'worker') rows.push({ label: t('detail.heading'), value: `${Math.round(store.moving[ref.kind].heading[ref.index] ?? 0)}°` });
  return { title: dev.name, sub: dev.id, rows };
}

export function Tooltip({ info, x, y }: { info: ReturnType<typeof describe>; x: number; y: number }) {
  if (!info) return null;
  const status = info.rows.find((r) => r.cls !== undefined && r.cls !== '');
  return (
    <div className="tooltip" style={{ left: x, top: y }} data-testid="map-tooltip">
      <b>{info.title}</b>
      <span>{info.sub}</span>
      {status && <span className={status.cls}>{status.value}</span>}
      {info.counts && (
        <span className="tooltip-counts">
          {info.counts.map((c) => (
            <span key={c.status} className={`st-${c.status}`} data-status={c.status} data-value={c.value}>
              {c.label} {c.value.toLocaleString()}
            </span>
          ))}
        </span>
      )}
      {info.hint && <span className="muted">{info.hint}</span>}
    </div>
  );
}

export function DetailCard({ info, onClose, children }: { info: ReturnType<typeof describe>; onClose: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  if (!info) return null;
  return (
    <div className="detail" data-testid="detail-card">
      <div className="detail-head">
        <div>
          <div className="detail-title">{info.title}</div>
          <div className="detail-sub">{info.sub}</div>
        </div>
        <button onClick={onClose} aria-label={t('detail.close')}>
          ×
        </button>
      </div>
      <dl>
        {info.rows.map((r) => (
          <div key={r.label} className="detail-row">
            <dt>{r.label}</dt>
            <dd className={r.cls}>{r.value}</dd>
          </div>
        ))}
      </dl>
      {children}
    </div>
  );
}
