import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadDataset, type LoadedDataset } from './state/dataset.ts';
import { Dashboard } from './Dashboard.tsx';

/** Loads the district dataset, then shows the dashboard. */
export function App() {
  const { t } = useTranslation();
  const [data, setData] = useState<LoadedDataset | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    loadDataset(ac.signal).then(setData, (e: Error) => {
      if (!ac.signal.aborted) setError(e.message);
    });
    return () => ac.abort();
  }, []);
  if (error) return <div className="splash error">{t('loadError', { msg: error })}</div>;
  if (!data) return <div className="splash">{t('loading')}</div>;
  return <Dashboard data={data} />;
}
