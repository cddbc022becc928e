// 资源导入 (admin): upload the center's emergency resources (CSV or GeoJSON Points), say the file's
// coordinate system, see the dry run — what would be added or changed, and every bad row with its
// column and reason — and confirm with the dry run's token (the same file and options).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEDGER_CRS, type LedgerCrs } from '../../../core/ledger.ts';
import { resourceImport, type ResourceImportFile, type ResourceImportResult } from './api.ts';
import { ImportTable } from './ImportTable.tsx';
import { useDryRunImport } from './useDryRunImport.ts';
import { useWhyText } from './useWhyText.ts';

export function ResourcesTab() {
  const { t } = useTranslation();
  const whyText = useWhyText();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<LedgerCrs>('WGS84');
  const { busy, error, report, applied, dryRun: dry, confirm, changed } = useDryRunImport<ResourceImportFile, ResourceImportResult>(
    (u) => resourceImport(u, false),
    (u, token) => resourceImport(u, true, token),
  );
  const dryRun = async () => {
    if (file) await dry({ format: /\.csv$/i.test(file.name) ? 'csv' : 'geojson', text: await file.text(), source: file.name, crs });
  };

  return (
    <div className="adm-body adm-audit" data-testid="admin-resources">
      <div className="adm-filters">
        <label>
          {t('adm.resources.file')}
          <input type="file" accept=".csv,.geojson,.json" onChange={(e) => { setFile(e.target.files?.[0] ?? null); changed(); }} data-testid="resources-file" />
        </label>
        <label>
          {t('adm.import.crs')}
          <select value={crs} onChange={(e) => { setCrs(e.target.value as LedgerCrs); changed(); }} data-testid="resources-crs">
            {LEDGER_CRS.map((c) => <option key={c} value={c}>{t(`adm.import.crsNames.${c}`)}</option>)}
          </select>
        </label>
        <button type="button" disabled={!file || busy} onClick={() => void dryRun()} data-testid="resources-dry-run">{t('adm.import.dryRun')}</button>
        {report && (
          <button type="button" disabled={busy || report.added.length + report.changed.length === 0} onClick={confirm} data-testid="resources-apply">
            {t('adm.import.apply')}
          </button>
        )}
      </div>
      <div className="adm-count">{t('adm.resources.hint')}</div>
      {error && <div className="adm-error" data-testid="admin-error">{error}</div>}
      {applied && (
        <div className="adm-info" data-testid="resources-applied" data-added={applied.added.length} data-changed={applied.changed.length}>
          <span>{t('adm.resources.done', { added: applied.added.length, changed: applied.changed.length, bad: applied.errors.length })}</span>
        </div>
      )}
      {report && (
        <>
          <div className="adm-count" data-testid="resources-counts" data-added={report.added.length} data-changed={report.changed.length} data-bad={report.errors.length}>
            {t('adm.resources.counts', { added: report.added.length, changed: report.changed.length, unchanged: report.unchanged, bad: report.errors.length })}
          </div>
          <ImportTable
            testid="resources"
            heads={[t('adm.import.cols.row'), t('adm.import.cols.result'), t('adm.resources.cols.id'), t('adm.import.cols.detail')]}
            bad={report.errors.map((b) => ({ key: String(b.row), at: b.row, column: b.column, reason: whyText(b.why), attrs: { 'data-row': b.row } }))}
            changes={[...report.added.map((c) => ({ ...c, action: 'added' as const })), ...report.changed.map((c) => ({ ...c, action: 'changed' as const }))].map((c) => ({
              key: c.id, at: c.row, id: c.id, label: t(`adm.resources.actions.${c.action}`), status: 'adm-active',
              detail: `${c.name}${c.fields.length ? ` · ${c.fields.join(', ')}` : ''}`,
              attrs: { 'data-action': c.action, 'data-id': c.id },
            }))}
          />
        </>
      )}
    </div>
  );
}
