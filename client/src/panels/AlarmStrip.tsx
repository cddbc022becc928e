// Sensor and video alarms still active (or acknowledged), each with the case it opened or joined:
// click one to open that case.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmState } from '../../../core/alarms.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { openAlarms } from '../state/store.ts';
import { fmtHM } from '../i18n/format.ts';
import { useLinkage } from '../context.ts';

const SHOWN = 3;

function deviceName(a: AlarmState, data: LoadedDataset): string {
  if (a.deviceKind === 'camera') return data.devices.camera[a.deviceIndex]?.name ?? a.deviceId;
  return data.components.code[a.deviceIndex] ?? a.deviceId;
}

export function AlarmStrip({ data }: { data: LoadedDataset }) {
  const { t } = useTranslation();
  const { store, names, openCase } = useLinkage();
  const version = store.version.alarms;
  const alarms = useMemo(() => openAlarms(store), [version, store]); // eslint-disable-line react-hooks/exhaustive-deps
  if (alarms.length === 0) return null;
  return (
    <div className="alarm-strip" data-testid="alarm-strip" data-count={alarms.length}>
      <div className="alarm-tag">
        {t('panel.alarms')} <b>{alarms.length}</b>
      </div>
      {alarms.slice(0, SHOWN).map((a) => {
        const c = a.caseId ? store.cases.get(a.caseId) : undefined;
        return (
          <button key={a.id} className={`alarm-item ${a.status}`} onClick={() => a.caseId && openCase(a.caseId)} disabled={!a.caseId} title={deviceName(a, data)}>
            <span className="alarm-time">{fmtHM(a.raisedAt)}</span>
            <span className="alarm-what">
              {names.eventClass(a.eventClass).replace(/^\d{4} /, '')}
              {a.repeats > 0 && <i> ×{a.repeats + 1}</i>}
              <small>{deviceName(a, data)}</small>
            </span>
            <span className="alarm-case">{a.caseId ? `→ ${c?.title ?? a.caseId}` : t('alarmx.noCase')}</span>
          </button>
        );
      })}
    </div>
  );
}
