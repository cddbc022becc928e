// The snapshot a dashboard starts from: everything in its scope as the projections hold it at
// `now`. The live hub and replay build it the same way, so a replayed moment is what the live
// screen was sent then.
import { DEVICE_KINDS, type DeviceKind, type MovingKind } from '../../core/domain.ts';
import type { CalendarConfig } from '../../core/cases/calendar.ts';
import { PROTOCOL_VERSION, type Kpis, type MovingState, type Session, type Snapshot } from '../../core/protocol.ts';
import { placeInScope } from '../../core/org.ts';
import type { Projector } from '../projections/projector.ts';
import { maskedPositions } from './worker-privacy.ts';

export function buildSnapshot(projector: Projector, session: Session, now: number, calendar: CalendarConfig, kpis: Kpis): Snapshot {
  const { devices, cases, whistles, alarms } = projector;
  const { scope } = session;
  const registry = projector.registry.list();
  const status = Object.fromEntries(DEVICE_KINDS.map((k) => [k, devices.status[k].slice()])) as Record<DeviceKind, Uint8Array>;
  // Workers outside the scope are masked (worker-privacy.ts); drones are district devices.
  const moving: Record<MovingKind, MovingState> = {
    drone: { lonlat: devices.lonlat.drone.slice(), heading: devices.heading.drone.slice() },
    worker: maskedPositions(devices.lonlat.worker, devices.heading.worker, projector.workerVisibility.maskFor(scope)),
  };
  return {
    protocol: PROTOCOL_VERSION, seq: projector.lastSeq, serverTime: now, status, moving,
    cases: cases.visible(scope, now),
    whistles: whistles.visible((w) => projector.whistleInScope(scope, w), now),
    alarms: alarms.visible((a) => placeInScope(scope, a), now),
    session,
    calendar,
    kpis,
    drones: projector.drones.views(),
    broadcasts: projector.broadcasts.visible(scope, now),
    broadcastRequests: projector.broadcastRequests.visible(scope, now),
    flood: { levels: projector.settings.floodLevels, gauges: projector.gauges.all() },
    weather: { stations: projector.settings.weatherStations, observations: projector.weather.all() },
    ...(registry.length > 0 ? { registry } : {}),
  };
}

/** The KPIs of a scope computed afresh (the hub caches them; replay cannot). */
export function freshKpis(projector: Projector, scope: string, now: number, eventsPerSecond: number): Kpis {
  return {
    devices: projector.devices.allCounts(),
    cases: projector.cases.counts(scope, now),
    loop: projector.cases.loopKpis(scope, now),
    eventsPerSecond,
  };
}
