import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceKind, StatusCounts } from '../../../core/domain.ts';
import { fmtInt } from '../i18n/format.ts';
import { useRememberedToggle } from '../hooks.ts';
import { cssColor, CASE_RGBA, STAGE_RGBA } from '../state/colors.ts';
import type { CaseStage } from '../../../core/domain.ts';

/** Stages a case on the map can be in (closed and voided ones are not drawn). */
const LEGEND_STAGES: CaseStage[] = ['reported', 'filed', 'dispatched', 'handling', 'handled', 'returned'];
import type { LayerKey, Visibility } from '../map/layers.ts';

const DEVICE_LAYERS: DeviceKind[] = ['component', 'camera', 'broadcast', 'worker', 'lookout', 'drone'];
const COLLAPSED_KEY = 'linkage.layers.collapsed';

export function LayerPanel({
  vis,
  onToggle,
  counts,
  openCases,
  showGrids,
  onToggleGrids,
  children,
}: {
  vis: Visibility;
  onToggle: (k: LayerKey) => void;
  counts: Record<DeviceKind, StatusCounts>;
  openCases: number;
  showGrids: boolean;
  onToggleGrids: () => void;
  /** More rows after the layers (patrol coverage, online rates by township). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const rgb = (c: number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;
  // Folded to its title, the panel leaves the map's west edge free; the screen remembers it.
  const [collapsed, toggleCollapsed] = useRememberedToggle(COLLAPSED_KEY);
  const title = (
    <button type="button" className="layer-title" onClick={toggleCollapsed} aria-expanded={!collapsed} title={t(collapsed ? 'layer.expand' : 'layer.collapse')} data-testid="layer-collapse">
      <span>{t('panel.layers')}</span>
      <span className="fold" aria-hidden>{collapsed ? '▸' : '◂'}</span>
    </button>
  );
  if (collapsed) {
    return (
      <div className="layer-panel collapsed" data-testid="layer-panel">
        {title}
      </div>
    );
  }
  return (
    <div className="layer-panel" data-testid="layer-panel">
      {title}
      {DEVICE_LAYERS.map((k) => (
        <label key={k} className={`layer-row ${vis[k] ? '' : 'off'}`}>
          <input type="checkbox" checked={vis[k]} onChange={() => onToggle(k)} data-testid={`layer-${k}`} />
          <span className="swatch" style={{ background: cssColor(k) }} />
          <span className="layer-name" title={t(`kind.${k}`)}>{t(`kind.${k}`)}</span>
          <span className="layer-count" data-testid={`layer-count-${k}`} data-value={counts[k].online}>
            {fmtInt(counts[k].online)}
            <i>/{fmtInt(counts[k].total)}</i>
          </span>
        </label>
      ))}
      <label className={`layer-row ${vis.cases ? '' : 'off'}`}>
        <input type="checkbox" checked={vis.cases} onChange={() => onToggle('cases')} data-testid="layer-cases" />
        <span className="swatch round" style={{ background: rgb(CASE_RGBA.open) }} />
        <span className="layer-name">{t('layer.cases')}</span>
        <span className="layer-count">{fmtInt(openCases)}</span>
      </label>
      <label className={`layer-row ${showGrids ? '' : 'off'}`}>
        <input type="checkbox" checked={showGrids} onChange={onToggleGrids} data-testid="layer-grids" />
        <span className="swatch line" />
        <span className="layer-name">{t('layer.grids')}</span>
        <span className="layer-count" />
      </label>
      <label className={`layer-row ${vis.labels ? '' : 'off'}`}>
        <input type="checkbox" checked={vis.labels} onChange={() => onToggle('labels')} data-testid="layer-labels" />
        <span className="swatch text">{t('layer.labelSwatch')}</span>
        <span className="layer-name">{t('layer.labels')}</span>
        <span className="layer-count" />
      </label>
      {children}
      <div className="legend">
        <span><i style={{ background: cssColor('component', 2) }} />{t('legend.fault')}</span>
        <span><i style={{ background: cssColor('component', 3) }} />{t('legend.alarm')}</span>
        <span><i style={{ background: cssColor('component', 1) }} />{t('legend.offline')}</span>
        <span><i className="ring" style={{ background: rgb(CASE_RGBA.overdue) }} />{t('legend.overdue')}</span>
      </div>
      <div className="legend legend-cases" data-testid="legend-cases">
        {LEGEND_STAGES.map((st) => (
          <span key={st}>
            <i style={{ background: rgb(STAGE_RGBA[st]) }} />
            {t(`stage.${st}`)}
          </span>
        ))}
        <span>
          <i className="hollow" style={{ borderColor: rgb(CASE_RGBA.warning) }} />
          {t('legend.warning')}
        </span>
        <span>
          <i className="hollow" style={{ borderColor: rgb(CASE_RGBA.whistle) }} />
          {t('legend.whistle')}
        </span>
      </div>
    </div>
  );
}
