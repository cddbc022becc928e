// The drone panel (right column tab 无人机): per drone its phase, battery, altitude and speed, the
// current mission and target, recall, the flight log; 派遣无人机 starts picking a point on the map.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DroneView, MissionState } from '../../../core/drones.ts';
import { useLinkage } from '../context.ts';
import { useLiveMemo } from '../live.ts';
import { fmtClock, fmtHM } from '../i18n/format.ts';
import { AckError } from '../panels/CaseActions.tsx';
import type { Ack } from '../../../core/protocol.ts';
import { canCommandDrones, useDroneDispatch } from './dispatch.ts';
import { droneList, FLYING_PHASES } from './state.ts';
import './drones.css';

export interface DronePanelProps {
  /** Opens the drone's feed on the video wall. The lead wires it to client/src/video/; without it the button is shown disabled. */
  onVideo?: (droneId: string) => void;
}

export function DronePanel({ onVideo }: DronePanelProps) {
  const { t } = useTranslation();
  const { actor } = useLinkage();
  const dd = useDroneDispatch();
  const commander = canCommandDrones(actor);
  const drones = useLiveMemo((s) => s.version.drones, droneList);
  return (
    <div className="drone-panel" data-testid="drone-panel">
      <div className="drone-actions">
        {commander && dd ? (
          <button className="primary" onClick={() => dd.start()} data-testid="drone-dispatch-open">
            ✈ {t('drone.dispatch')}
          </button>
        ) : (
          <span className="muted">{t('drone.readonly')}</span>
        )}
      </div>
      {drones.map((d) => (
        <DroneCard key={d.id} d={d} commander={commander} onVideo={onVideo} />
      ))}
    </div>
  );
}

function phaseText(d: DroneView, t: (k: string) => string): { text: string; cls: string } {
  const m = d.mission;
  if (m && (FLYING_PHASES.has(m.phase) || Date.now() - (m.endedAt ?? 0) < 60_000)) return { text: t(`drone.phase.${m.phase}`), cls: `ph-${m.phase}` };
  if (d.alt > 0.5) return { text: t('drone.idle.patrol'), cls: 'ph-patrol' };
  return { text: t('drone.idle.docked'), cls: 'ph-docked' };
}

function DroneCard({ d, commander, onVideo }: { d: DroneView; commander: boolean; onVideo?: (id: string) => void }) {
  const { t } = useTranslation();
  const { rt } = useLinkage();
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const m = d.mission;
  const active = m !== null && FLYING_PHASES.has(m.phase);
  const phase = phaseText(d, t);
  const battery = Math.max(0, Math.min(100, d.battery));
  const airborne = d.alt > 0.5 || active;
  const recall = async () => {
    if (!rt) return;
    setAck(await rt.recallDrone({ droneId: d.id }));
  };
  return (
    <section className="drone-card" data-testid={`drone-${d.id}`} data-phase={m?.phase ?? ''} data-mission={m?.id ?? ''}>
      <div className="drone-head">
        <b className="drone-name">{d.name}</b>
        <span className={`drone-phase ${phase.cls}`} data-testid={`drone-phase-${d.id}`}>
          {phase.text}
        </span>
        <span className={`drone-status st-${d.status}`}>{t(`status.${d.status}`)}</span>
      </div>
      <div className="drone-gauges">
        <div className="gauge">
          <span>{t('drone.battery')}</span>
          <div className={`battery ${battery < 25 ? 'low' : battery < 50 ? 'mid' : ''}`}>
            <i style={{ width: `${battery}%` }} />
          </div>
          <b>{Math.round(battery)}%</b>
        </div>
        <div className="gauge">
          <span>{t('drone.alt')}</span>
          <b>
            {Math.round(d.alt)} {t('drone.m')}
          </b>
        </div>
        <div className="gauge">
          <span>{t('drone.speed')}</span>
          <b>
            {d.speed.toFixed(1)} {t('drone.mps')}
          </b>
        </div>
      </div>
      <div className="drone-mission">
        {m ? (
          <>
            <div>
              <span className="muted">{t('drone.mission')}</span> {m.id} · {t(`drone.action.${m.action}`)} · {t('drone.loiter')} {Math.round(m.loiterS / 60) || 1}′
            </div>
            <div>
              <span className="muted">{t('drone.target')}</span> {m.caseId ? t('drone.targetCase', { id: m.caseId }) : t('drone.targetPoint', { lon: m.target.lon.toFixed(4), lat: m.target.lat.toFixed(4) })}
              <span className="muted"> · {t('drone.issuedBy')}</span> {m.issuedBy.name} {fmtHM(m.issuedAt)}
            </div>
            {m.reason && (
              <div className="drone-reason">
                <span className="muted">{t('drone.reason')}</span> {m.reason}
              </div>
            )}
          </>
        ) : (
          <span className="muted">{t('drone.noMission')}</span>
        )}
      </div>
      <div className="drone-buttons">
        {commander && airborne && (!m || !['returning', 'landing'].includes(m.phase)) && (
          <button className="act" onClick={() => void recall()} data-testid={`drone-recall-${d.id}`}>
            {t('drone.recall')}
          </button>
        )}
        <button className="act" disabled={!onVideo} title={onVideo ? '' : t('drone.videoSoon')} onClick={() => onVideo?.(d.id)} data-testid={`drone-video-${d.id}`}>
          ▶ {t('drone.video')}
        </button>
      </div>
      <AckError ack={ack} />
      <FlightLog droneId={d.id} version={`${m?.id ?? ''}:${m?.phase ?? ''}`} />
    </section>
  );
}

function FlightLog({ droneId, version }: { droneId: string; version: string }) {
  const { t } = useTranslation();
  const [flights, setFlights] = useState<MissionState[] | null>(null);
  useEffect(() => {
    let live = true;
    fetch(`/api/drones/${encodeURIComponent(droneId)}/flights`)
      .then((r) => (r.ok ? r.json() : null))
      .then((b: { data?: MissionState[] } | null) => live && setFlights(b?.data ?? []), () => live && setFlights([]));
    return () => {
      live = false;
    };
  }, [droneId, version]);
  return (
    <div className="drone-log" data-testid={`drone-log-${droneId}`}>
      <h3>{t('drone.flights')}</h3>
      {flights && flights.length === 0 && <div className="muted">{t('drone.noFlights')}</div>}
      <ul>
        {(flights ?? []).slice(0, 5).map((f) => (
          <li key={f.id}>
            <span className="when">{fmtClock(f.issuedAt)}</span>
            <span>{t(`drone.action.${f.action}`)}</span>
            <span className={`drone-phase ph-${f.phase}`}>{t(`drone.phase.${f.phase}`)}</span>
            <span className="who">{f.issuedBy.name}</span>
            {f.reason && <span className="why">{f.reason}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
