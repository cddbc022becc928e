// 派遣无人机: the target (a map point or a case), the drone, hover or orbit, loiter time and altitude.
// A refusal shows the server's reason verbatim (battery, range, busy, not allowed).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ack } from '../../../core/protocol.ts';
import type { MissionAction } from '../../../core/drones.ts';
import { useLinkage } from '../context.ts';
import { useLiveMemo } from '../live.ts';
import { AckError } from '../panels/CaseActions.tsx';
import { droneList, FLYING_PHASES } from './state.ts';
import type { DroneDispatch } from './dispatch.ts';
import './drones.css';

const LOITER_S = [60, 120, 300, 600, 900];
const ALT_M = [60, 80, 100, 120];

export function DispatchForm({ dd }: { dd: DroneDispatch }) {
  const { t } = useTranslation();
  const { rt } = useLinkage();
  const drones = useLiveMemo((s) => s.version.drones, droneList);
  const [droneId, setDroneId] = useState(dd.droneId ?? drones.find((d) => d.status === 'online' && !(d.mission && FLYING_PHASES.has(d.mission.phase)))?.id ?? drones[0]?.id ?? '');
  const [action, setAction] = useState<MissionAction>('orbit');
  const [loiterS, setLoiterS] = useState(120);
  const [altM, setAltM] = useState(100);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const target = dd.target;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!rt || !target || !droneId) return;
    setBusy(true);
    setAck(null); // the answer to this attempt replaces the last one
    const where = target.caseId ? { caseId: target.caseId } : { target: { lon: target.lon, lat: target.lat } };
    const r = await rt.dispatchDrone({ droneId, ...where, action, loiterS, altM, ...(note.trim() ? { note: note.trim() } : {}) });
    setBusy(false);
    setAck(r);
    if (r.ok) dd.close();
  };
  const fmtLoiter = (s: number) => (s < 120 ? t('drone.form.seconds', { n: s }) : t('drone.form.minutes', { n: s / 60 }));

  return (
    <form className="report-form drone-form" onSubmit={submit} data-testid="drone-form">
      <div className="detail-head">
        <div className="detail-title">{t('drone.form.title')}</div>
        <button type="button" onClick={() => dd.close()} aria-label={t('drone.form.cancel')}>
          ×
        </button>
      </div>
      <div className="field">
        <span>{t('drone.target')}</span>
        <div className="loc-row">
          <button type="button" className={dd.picking ? 'on' : ''} onClick={() => dd.setPicking(!dd.picking)} data-testid="drone-pick">
            {t('drone.form.pick')}
          </button>
        </div>
        <div className={`loc-value ${target ? '' : 'muted'}`} data-testid="drone-target">
          {dd.picking ? t('drone.form.picking') : target ? (target.caseId ? `${t('drone.targetCase', { id: target.caseId })} · ` : '') + `${target.lon.toFixed(5)}, ${target.lat.toFixed(5)}` : t('drone.form.noTarget')}
        </div>
      </div>
      <label className="field">
        <span>{t('drone.form.drone')}</span>
        <select value={droneId} onChange={(e) => setDroneId(e.target.value)} data-testid="drone-select">
          {drones.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} · {t(`status.${d.status}`)} · {t('drone.battery')} {Math.round(d.battery)}%
            </option>
          ))}
        </select>
      </label>
      <div className="field choice">
        {(['hover', 'orbit'] as MissionAction[]).map((a) => (
          <button type="button" key={a} className={action === a ? 'on' : ''} onClick={() => setAction(a)} data-testid={`drone-action-${a}`}>
            {t(`drone.action.${a}`)}
          </button>
        ))}
      </div>
      <div className="field two">
        <label>
          <span>{t('drone.form.loiter')}</span>
          <select value={loiterS} onChange={(e) => setLoiterS(Number(e.target.value))} data-testid="drone-loiter">
            {LOITER_S.map((s) => (
              <option key={s} value={s}>
                {fmtLoiter(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('drone.form.alt')}</span>
          <select value={altM} onChange={(e) => setAltM(Number(e.target.value))} data-testid="drone-alt">
            {ALT_M.map((m) => (
              <option key={m} value={m}>
                {m} {t('drone.m')}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>{t('drone.form.note')}</span>
        <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} data-testid="drone-note" />
      </label>
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy || !target || !droneId} data-testid="drone-submit">
          {t('drone.form.submit')}
        </button>
        <button type="button" onClick={() => dd.close()}>
          {t('drone.form.cancel')}
        </button>
      </div>
      <AckError ack={ack} />
    </form>
  );
}
