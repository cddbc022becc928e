// 台账导入 (admin): upload a device ledger (CSV or XLSX), say its coordinate system, see the dry
// run — every row that would change and every bad row with its column and reason (in the screen's language) — and confirm.
// Nothing is applied before 确认导入; the apply sends the dry run's token, so it is that file.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEDGER_CRS, type LedgerCrs, type LedgerFile, type LedgerReport } from '../../../core/ledger.ts';
import { ledgerApply, ledgerDryRun } from './api.ts';
import { useWhyText } from './useWhyText.ts';
import { ImportTable } from './ImportTable.tsx';
import { useDryRunImport } from './useDryRunImport.ts';

/** The file's bytes as base64 (what the API takes). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function ImportTab() {
  const { t } = useTranslation();
  const whyText = useWhyText();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<LedgerCrs>('WGS84');
  const [retireMissing, setRetireMissing] = useState(false);
  const { busy, error, report, applied, dryRun: dry, confirm, changed } = useDryRunImport<LedgerFile, LedgerReport>(ledgerDryRun, ledgerApply);
  const dryRun = async () => {
    if (file) await dry({ file: await base64Of(file), filename: file.name, crs, ...(retireMissing ? { retireMissing } : {}) });
  };

  return (
    <div className="adm-body adm-audit" data-testid="admin-import">
      <div className="adm-filters">
        <label>
          {t('adm.import.file')}
          <input type="file" accept=".csv,.xlsx" onChange={(e) => { setFile(e.target.files?.[0] ?? null); changed(); }} data-testid="import-file" />
        </label>
        <label>
          {t('adm.import.crs')}
          <select value={crs} onChange={(e) => { setCrs(e.target.value as LedgerCrs); changed(); }} data-testid="import-crs">
            {LEDGER_CRS.map((c) => <option key={c} value={c}>{t(`adm.import.crsNames.${c}`)}</option>)}
          </select>
        </label>
        <label className="adm-check-inline">
          <input type="checkbox" checked={retireMissing} onChange={(e) => { setRetireMissing(e.target.checked); changed(); }} data-testid="import-retire" />
          {t('adm.import.retireMissing')}
        </label>
        <button type="button" disabled={!file || busy} onClick={() => void dryRun()} data-testid="import-dry-run">{t('adm.import.dryRun')}</button>
        {report && (
          <button type="button" disabled={busy || report.counts.new + report.counts.updated + report.counts.retired === 0} onClick={confirm} data-testid="import-apply">
            {t('adm.import.apply')}
          </button>
        )}
      </div>
      <div className="adm-count">{t('adm.import.hint')}</div>
      {error && <div className="adm-error" data-testid="admin-error">{error}</div>}
      {applied && <div className="adm-info" data-testid="import-applied" data-applied={applied.applied}><span>{t('adm.import.done', { n: applied.applied ?? 0, ...applied.counts })}</span></div>}
      {report && (
        <>
          <div className="adm-count" data-testid="import-counts" data-new={report.counts.new} data-updated={report.counts.updated} data-bad={report.counts.bad}>
            {t('adm.import.counts', report.counts)}
          </div>
          <ImportTable
            testid="import"
            heads={[t('adm.import.cols.row'), t('adm.import.cols.result'), t('adm.import.cols.id'), t('adm.import.cols.detail')]}
            bad={report.bad.map((b) => ({ key: String(b.row), at: b.row, column: b.column, reason: whyText(b.why), attrs: { 'data-row': b.row } }))}
            changes={report.changes.map((c) => ({
              key: `${c.kind}:${c.id}`, at: c.row, id: c.id, label: t(`adm.import.actions.${c.action}`),
              status: c.action === 'unchanged' ? 'adm-disabled' : c.action === 'retired' ? 'adm-mustChange' : 'adm-active',
              detail: `${c.name}${c.changes ? ` · ${Object.entries(c.changes).map(([k, v]) => `${k}=${String(v)}`).join(', ')}` : ''}`,
              attrs: { 'data-action': c.action, 'data-id': c.id },
            }))}
          />
        </>
      )}
    </div>
  );
}
