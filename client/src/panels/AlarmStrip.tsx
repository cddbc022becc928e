// Sensor and video alarms still active (or acknowledged), each with the case it opened or joined:
// click one to open that case; center staff acknowledge (确认) or clear (解除) it here.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmState } from '../../../core/alarms.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { openAlarms } from '../state/store.ts';
import { fmtHM } from '../i18n/format.ts';
import { useLinkage } from '../context.ts';
import { useLive, useLiveMemo } from '../live.ts';

const SHOWN = 3;

function deviceName(a: AlarmState, data: LoadedDataset): string {
  if (a.deviceKind === 'camera') return data.devices.camera[a.deviceIndex]?.name ?? a.deviceId;
  return data.components.code[a.deviceIndex] ?? a.deviceId;
}

export function AlarmStrip({ data }: { data: LoadedDataset }) {
  const { t } = useTranslation();
  const { store, names, openCase, rt, actor } = useLinkage();
  const [error, setError] = useState<string | null>(null);
  // The server lets center staff act on alarms (not displays, grid workers or departments).
  const canAct = !!rt && !!actor && !['grid-worker', 'department'].includes(actor.role);
  const act = (action: 'acknowledge' | 'clear', alarmId: string) => {
    setError(null);
    void rt?.alarm(action, { alarmId }).then((r) => !r.ok && setError(r.message));
  };
  const alarms = useLiveMemo((s) => s.version.alarms, openAlarms);
  // The titles of the cases the alarms opened, read below from the store: again when cases change.
  useLive((s) => s.version.cases);
  if (alarms.length === 0) return null;
  return (
    <div className="alarm-strip" data-testid="alarm-strip" data-count={alarms.length}>
      <div className="alarm-tag">
        {t('panel.alarms')} <b>{alarms.length}</b>
      </div>
      {alarms.slice(0, SHOWN).map((a) => {
        const c = a.caseId ? store.cases.get(a.caseId) : undefined;
        return (
          <div key={a.id} className={`alarm-row ${a.status}`} data-alarm={a.id}>
            <button className="alarm-item" onClick={() => a.caseId && openCase(a.caseId)} disabled={!a.caseId} title={deviceName(a, data)}>
              <span className="alarm-time">{fmtHM(a.raisedAt)}</span>
              <span className="alarm-what">
                {names.eventClass(a.eventClass).replace(/^\d{4} /, '')}
                {a.repeats > 0 && <i> ×{a.repeats + 1}</i>}
                <small>{deviceName(a, data)}</small>
              </span>
              <span className="alarm-case">{a.caseId ? `→ ${c?.title ?? a.caseId}` : t('alarmx.noCase')}</span>
            </button>
            {canAct && (
              <span className="alarm-actions">
                {a.status === 'active' ? <button data-testid="alarm-ack" onClick={() => act('acknowledge', a.id)}>{t('alarmx.ack')}</button> : <em>{t('alarmx.acknowledged')}</em>}
                <button data-testid="alarm-clear" onClick={() => act('clear', a.id)}>{t('alarmx.clear')}</button>
              </span>
            )}
          </div>
        );
      })}
      {error && <div className="alarm-error" role="alert">{error}</div>}
    </div>
  );
}
