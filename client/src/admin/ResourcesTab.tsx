// 资源导入 (admin): upload the center's emergency resources (CSV or GeoJSON Points), say the file's
// coordinate system, see the dry run — what would be added or changed, and every bad row with its
// column and reason — and confirm with the dry run's token (the same file and options).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEDGER_CRS, type LedgerCrs } from '../../../core/ledger.ts';
import { resourceImport, type ResourceImportFile, type ResourceImportResult } from './api.ts';
import { useDryRunImport } from './useDryRunImport.ts';

export function ResourcesTab() {
  const { t } = useTranslation();
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
          <div className="adm-scroll">
            <table className="adm-table" data-testid="resources-table">
              <thead>
                <tr><th>{t('adm.import.cols.row')}</th><th>{t('adm.import.cols.result')}</th><th>{t('adm.resources.cols.id')}</th><th>{t('adm.import.cols.detail')}</th></tr>
              </thead>
              <tbody>
                {report.errors.map((b) => (
                  <tr key={`bad-${b.row}`} data-testid="resources-bad" data-row={b.row}>
                    <td className="adm-mono">{b.row}</td>
                    <td><span className="adm-status adm-locked">{t('adm.import.bad')}</span></td>
                    <td>{b.column}</td>
                    <td className="adm-change" title={b.reason}>{b.reason}</td>
                  </tr>
                ))}
                {[...report.added.map((c) => ({ ...c, action: 'added' as const })), ...report.changed.map((c) => ({ ...c, action: 'changed' as const }))].map((c) => (
                  <tr key={c.id} data-testid="resources-change" data-action={c.action} data-id={c.id}>
                    <td className="adm-mono">{c.row}</td>
                    <td><span className="adm-status adm-active">{t(`adm.resources.actions.${c.action}`)}</span></td>
                    <td className="adm-mono">{c.id}</td>
                    <td className="adm-change">{c.name}{c.fields.length ? ` · ${c.fields.join(', ')}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
