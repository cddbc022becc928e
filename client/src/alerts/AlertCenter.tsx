// The alert pop-up: what sounded (or would have, muted) and waits for someone to acknowledge it, in
// the top right of the map (the column the device card also uses, which the video wall keeps clear
// of), newest first; and the screen's mute toggle above it. 确认 on an alarm acknowledges it on the
// server (the audit log records who and when); on a case or a whistle it only dismisses it here.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WHISTLE_KINDS } from '../../../core/whistle.ts';
import { FLOOD_EVENT_CLASS, GAUGE_CLASS } from '../../../core/flood.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import type { LiveStore } from '../state/store.ts';
import type { Names } from '../state/names.ts';
import { useLinkage } from '../context.ts';
import { fmtHM } from '../i18n/format.ts';
import type { Alert } from './decide.ts';
import { useAlerts } from './useAlerts.ts';
import { useMuted } from './mute.ts';
import './alerts.css';

/** Rows shown; the rest wait below "n more" (what they concern is in the panels too). */
const SHOWN = 4;

type T = ReturnType<typeof useTranslation>['t'];

interface Described {
  label: string;
  text: string;
  sub: string;
  caseId: string | null;
}

function describe(a: Alert, store: LiveStore, data: LoadedDataset, names: Names, t: T): Described {
  if (a.kind === 'weather') {
    const [stationId, type, level] = a.id.split(':');
    const station = store.weatherStations.find((s) => s.id === stationId);
    const text = t('flood.warning', { type: t(`flood.warnType.${type}`), level: t(`flood.warnLevel.${level}`) });
    return { label: t('alerts.kind.weather'), text, sub: station ? (names.en ? station.nameEn : station.name) : stationId, caseId: null };
  }
  if (a.kind === 'alarm') {
    const al = store.alarms.get(a.id);
    if (!al) return { label: t('alerts.kind.video'), text: a.id, sub: '', caseId: null };
    // An embankment gauge's alarm says the river stage it read and the level it is over (its 超保证 alarm is the graver).
    if (al.metric === 'water-level' && data.components.classCode[al.deviceIndex] === GAUGE_CLASS && al.value !== null) {
      const over = al.eventClass === FLOOD_EVENT_CLASS.guarantee ? 'flood.alertTextGuarantee' : 'flood.alertText';
      return { label: t('alerts.kind.sensor'), text: t(over, { v: al.value.toFixed(2) }), sub: al.deviceId, caseId: al.caseId };
    }
    const device = al.deviceKind === 'camera' ? (data.devices.camera[al.deviceIndex]?.name ?? al.deviceId) : (data.components.code[al.deviceIndex] ?? al.deviceId);
    return { label: t(`alerts.kind.${al.kind}`), text: names.eventClass(al.eventClass).replace(/^\d{4} /, ''), sub: device, caseId: al.caseId };
  }
  if (a.kind === 'case') {
    const c = store.cases.get(a.id);
    return { label: t('alerts.kind.case'), text: c?.title ?? a.id, sub: c ? names.place(c.communityCode || c.townshipCode || c.owner) : '', caseId: a.id };
  }
  const w = store.whistles.get(a.id);
  if (!w) return { label: t('alerts.kind.whistle'), text: a.id, sub: '', caseId: null };
  const missing = w.supporting.filter((s) => s.reportedAt === null).length;
  const kind = WHISTLE_KINDS[w.kind][names.en ? 'en' : 'zh'];
  return { label: t('alerts.kind.whistle'), text: `${kind} · ${store.cases.get(w.caseId)?.title ?? w.caseId}`, sub: t('alerts.missing', { n: missing }), caseId: w.caseId };
}

export function AlertCenter({ data, kiosk }: { data: LoadedDataset; kiosk: boolean }) {
  const { t } = useTranslation();
  const { store, rt, actor, names, openCase } = useLinkage();
  const [muted, toggleMute] = useMuted();
  const { pending, scope, dismiss } = useAlerts(kiosk, muted);
  const [failed, setFailed] = useState<Record<string, string>>({});
  // The server lets center staff acknowledge alarms; a display (or a field role) dismisses them here only.
  const canAct = !!rt && !!actor && !['grid-worker', 'department'].includes(actor.role);
  const acknowledge = (a: Alert) => {
    if (a.kind !== 'alarm' || !canAct || !rt) return dismiss(a.key);
    void rt.alarm('acknowledge', { alarmId: a.id }).then((r) => (r.ok ? dismiss(a.key) : setFailed((f) => ({ ...f, [a.key]: r.message }))));
  };
  return (
    <div className="alert-dock" data-testid="alert-dock" data-scope={scope ?? undefined}>
      {!kiosk && (
        <button type="button" className={`alert-mute ${muted ? 'is-muted' : ''}`} data-testid="alert-mute" aria-pressed={muted} title={muted ? t('alerts.unmuteHint') : t('alerts.muteHint')} onClick={toggleMute}>
          {muted ? t('alerts.soundOff') : t('alerts.soundOn')}
        </button>
      )}
      {pending.length > 0 && (
        <section className="alert-pop" data-testid="alert-pop" data-count={pending.length} aria-live="assertive">
          <div className="alert-head">
            {t('alerts.title')} <b>{pending.length}</b>
          </div>
          {pending.slice(0, SHOWN).map((a) => {
            const d = describe(a, store, data, names, t);
            return (
              <div key={a.key} className={`alert-row alert-${a.kind}`} data-testid="alert-row" data-key={a.key} data-shown={a.shownAt}>
                <button type="button" className="alert-what" disabled={!d.caseId} onClick={() => d.caseId && openCase(d.caseId)}>
                  <span className="alert-text">{d.text}</span>
                  <span className="alert-meta">
                    <span className="alert-kind">{d.label}</span>
                    <small className="alert-sub">
                      {fmtHM(a.at)} {d.sub}
                    </small>
                  </span>
                </button>
                {!kiosk && (
                  <button type="button" className="alert-ack" data-testid="alert-ack" onClick={() => acknowledge(a)}>
                    {t('alerts.ack')}
                  </button>
                )}
                {failed[a.key] && <div className="alert-error" role="alert">{t('alerts.ackFailed', { msg: failed[a.key] })}</div>}
              </div>
            );
          })}
          {pending.length > SHOWN && <div className="alert-more">{t('alerts.more', { n: pending.length - SHOWN })}</div>}
        </section>
      )}
    </div>
  );
}
