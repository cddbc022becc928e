// 边界导入 (admin): upload a GeoJSON of townships, communities or grids, say its level and coordinate
// system, see the dry run — every feature new, redrawn or unchanged, and every bad feature with its
// field and reason — and confirm with the dry run's token. Every screen redraws what was applied.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BOUNDARY_LEVELS, type BoundaryFile, type BoundaryLevel, type BoundaryReport } from '../../../core/boundaries.ts';
import { LEDGER_CRS, type LedgerCrs } from '../../../core/ledger.ts';
import { boundaryApply, boundaryDryRun } from './api.ts';
import { ImportTable } from './ImportTable.tsx';
import { useDryRunImport } from './useDryRunImport.ts';
import { useWhyText } from './useWhyText.ts';

export function BoundaryTab() {
  const { t } = useTranslation();
  const whyText = useWhyText();
  const [file, setFile] = useState<File | null>(null);
  const [level, setLevel] = useState<BoundaryLevel>('grid');
  const [crs, setCrs] = useState<LedgerCrs>('WGS84');
  const { busy, error, report, applied, dryRun: dry, confirm, changed } = useDryRunImport<BoundaryFile, BoundaryReport>(boundaryDryRun, boundaryApply);
  const dryRun = async () => {
    if (file) await dry({ file: await file.text(), filename: file.name, level, crs });
  };

  return (
    <div className="adm-body adm-audit" data-testid="admin-boundaries">
      <div className="adm-filters">
        <label>
          {t('adm.boundaries.file')}
          <input type="file" accept=".geojson,.json" onChange={(e) => { setFile(e.target.files?.[0] ?? null); changed(); }} data-testid="boundary-file" />
        </label>
        <label>
          {t('adm.boundaries.level')}
          <select value={level} onChange={(e) => { setLevel(e.target.value as BoundaryLevel); changed(); }} data-testid="boundary-level">
            {BOUNDARY_LEVELS.map((l) => <option key={l} value={l}>{t(`adm.boundaries.levels.${l}`)}</option>)}
          </select>
        </label>
        <label>
          {t('adm.import.crs')}
          <select value={crs} onChange={(e) => { setCrs(e.target.value as LedgerCrs); changed(); }} data-testid="boundary-crs">
            {LEDGER_CRS.map((c) => <option key={c} value={c}>{t(`adm.import.crsNames.${c}`)}</option>)}
          </select>
        </label>
        <button type="button" disabled={!file || busy} onClick={() => void dryRun()} data-testid="boundary-dry-run">{t('adm.import.dryRun')}</button>
        {report && (
          <button type="button" disabled={busy || report.counts.new + report.counts.redrawn === 0} onClick={confirm} data-testid="boundary-apply">
            {t('adm.import.apply')}
          </button>
        )}
      </div>
      <div className="adm-count">{t('adm.boundaries.hint')}</div>
      {error && <div className="adm-error" data-testid="admin-error">{error}</div>}
      {applied && <div className="adm-info" data-testid="boundary-applied" data-applied={applied.applied}><span>{t('adm.boundaries.done', { n: applied.applied ?? 0, ...applied.counts })}</span></div>}
      {report && (
        <>
          <div className="adm-count" data-testid="boundary-counts" data-new={report.counts.new} data-redrawn={report.counts.redrawn} data-bad={report.counts.bad}>
            {t('adm.boundaries.counts', report.counts)}
          </div>
          <ImportTable
            testid="boundary"
            heads={[t('adm.boundaries.cols.feature'), t('adm.import.cols.result'), t('adm.boundaries.cols.code'), t('adm.import.cols.detail')]}
            bad={report.bad.map((b) => ({ key: String(b.feature), at: b.feature + 1, column: b.field, reason: whyText(b.why), attrs: { 'data-feature': b.feature } }))}
            changes={report.changes.map((c) => ({
              key: c.code, at: c.feature + 1, id: c.code, label: t(`adm.boundaries.actions.${c.action}`),
              status: c.action === 'unchanged' ? 'adm-disabled' : 'adm-active',
              detail: `${c.name}${c.changed.length ? ` · ${c.changed.map((f) => t(`adm.boundaries.fields.${f}`)).join('、')}` : ''}`,
              attrs: { 'data-action': c.action, 'data-code': c.code },
            }))}
          />
        </>
      )}
    </div>
  );
}
