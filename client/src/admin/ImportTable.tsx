// The dry run's table, shared by the three import tabs (台账, 边界, 资源): the bad rows first, each
// with where it is in the file, the column or field at fault and why; then what would change. Each
// tab maps its own report to these rows; test ids and data attributes stay the tab's own.
import { useTranslation } from 'react-i18next';

type Attrs = Record<`data-${string}`, string | number>;

export interface ImportBadRow {
  key: string;
  /** Row number (or feature number) as the file's user counts it. */
  at: number;
  column: string;
  reason: string;
  attrs: Attrs;
}

export interface ImportChangeRow {
  key: string;
  at: number | null;
  /** adm-active (new, changed), adm-disabled (unchanged) or adm-mustChange (retired). */
  status: 'adm-active' | 'adm-disabled' | 'adm-mustChange';
  label: string;
  id: string;
  detail: string;
  attrs: Attrs;
}

export function ImportTable({ testid, heads, bad, changes }: { testid: string; heads: readonly [string, string, string, string]; bad: readonly ImportBadRow[]; changes: readonly ImportChangeRow[] }) {
  const { t } = useTranslation();
  return (
    <div className="adm-scroll">
      <table className="adm-table" data-testid={`${testid}-table`}>
        <thead>
          <tr>{heads.map((h) => <th key={h}>{h}</th>)}</tr>
        </thead>
        <tbody>
          {bad.map((b) => (
            <tr key={`bad-${b.key}`} data-testid={`${testid}-bad`} {...b.attrs}>
              <td className="adm-mono">{b.at}</td>
              <td><span className="adm-status adm-locked">{t('adm.import.bad')}</span></td>
              <td>{b.column}</td>
              <td className="adm-change" title={b.reason}>{b.reason}</td>
            </tr>
          ))}
          {changes.map((c) => (
            <tr key={c.key} data-testid={`${testid}-change`} {...c.attrs}>
              <td className="adm-mono">{c.at ?? '—'}</td>
              <td><span className={`adm-status ${c.status}`}>{c.label}</span></td>
              <td className="adm-mono">{c.id}</td>
              <td className="adm-change">{c.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
