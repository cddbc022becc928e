// Drone commands and reports. A dispatch or recall is decided by core/drones.ts against the current
// state, logged (drone:dispatched / drone:recalled, with actor and time), then published to the drone
// over the field link. The drone's progress comes back on the 'drone-missions' uplink stream, is
// validated record by record and logged as drone:mission-updated before the sender is acknowledged.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/domain.ts';
import { commandTopic } from '../../core/field.ts';
import { actorRef } from '../../core/cases/lifecycle.ts';
import { placeInScope, scopeOf, type Actor } from '../../core/org.ts';
import { ERROR_CODES, type Ack, type RecordError } from '../../core/protocol.ts';
import {
  applyReport, commanderProblem, commandsEverywhere, isActive, missionProblem, MissionReportSchema,
  type DispatchRequest, type DroneCommand, type DroneView, type Mission, type MissionLimits, type MissionReport, type MissionState, type RecallRequest,
} from '../../core/drones.ts';
import type { District } from '../district.ts';
import type { FieldLink, UplinkResult } from '../field/link.ts';
import type { Projector } from '../projections/projector.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import { SerialQueue } from '../keyed-queue.ts';
import { recordChecker } from '../ingest/record-check.ts';
import type { DroneEvent } from './book.ts';

const droneEvent = (e: DroneEvent, subject: string, ts: number): NewEvent => ({ type: `drone:${e.type}`, subject, ts, data: e });
const checkReport = recordChecker(MissionReportSchema);

interface Logger {
  warn(obj: object, msg: string): void;
}

export class DroneService {
  private serialNo = 0;
  /** Commands and reports are decided one at a time, so each sees the state the previous one left. */
  private readonly queue = new SerialQueue();

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly district: District,
    private readonly clock: Clock,
    private readonly field: FieldLink,
    readonly limits: MissionLimits,
    private readonly log: Logger,
  ) {}

  private get book() {
    return this.projector.drones;
  }

  private newMissionId(now: number): string {
    // The random part keeps two nodes of a cluster from naming two missions alike in one millisecond.
    return `M-${now.toString(36).toUpperCase()}-${++this.serialNo}${randomBytes(2).toString('hex').toUpperCase()}`;
  }

  dispatch(req: DispatchRequest, actor: Actor): Promise<Ack<MissionState>> {
    // A drone is one aggregate: two nodes dispatching it at once, one of them wins (decide-append.ts).
    return this.queue.run(() => decideAndAppend<MissionState>(this.store, [req.droneId], () => {
      const who = commanderProblem(actor);
      if (who) return { ok: false, code: ERROR_CODES.forbidden, message: who };
      const drone = this.book.now(req.droneId);
      if (!drone) return { ok: false, code: ERROR_CODES.notFound, message: `no drone ${req.droneId}` };
      if (!req.target === !req.caseId) return { ok: false, code: ERROR_CODES.invalidCommand, message: 'give either a target {lon, lat} or a caseId' };
      let target = req.target;
      if (req.caseId) {
        const c = this.projector.cases.get(req.caseId);
        if (!c) return { ok: false, code: ERROR_CODES.notFound, message: `no case ${req.caseId}` };
        target = { lon: c.lon, lat: c.lat };
      }
      if (!commandsEverywhere(actor) && !placeInScope(scopeOf(actor), this.district.resolvePlace(target!.lon, target!.lat))) {
        return { ok: false, code: ERROR_CODES.forbidden, message: `目标点不在您的辖区（${this.district.placeName(actor.org)}）内` };
      }
      const plan = { target: target!, action: req.action, loiterS: req.loiterS, altM: req.altM ?? this.limits.defaultAltM };
      const problem = missionProblem(drone, plan, this.limits);
      if (problem) return { ok: false, code: ERROR_CODES.refused, message: problem };
      const now = this.clock.now();
      const mission: Mission = {
        id: this.newMissionId(now), droneId: drone.id, ...plan, ...(req.caseId ? { caseId: req.caseId } : {}), ...(req.note ? { note: req.note } : {}),
        issuedAt: now, issuedBy: actorRef(actor),
      };
      return {
        events: [droneEvent({ type: 'dispatched', mission }, drone.id, now)],
        answer: async () => {
          await this.send(mission.droneId, { type: 'mission', ...mission }, mission.id);
          return { ok: true, data: this.book.mission(mission.id)! };
        },
      };
    }));
  }

  recall(req: RecallRequest, actor: Actor): Promise<Ack<DroneView>> {
    return this.queue.run(() => decideAndAppend<DroneView>(this.store, [req.droneId], () => {
      const who = commanderProblem(actor);
      if (who) return { ok: false, code: ERROR_CODES.forbidden, message: who };
      const view = this.book.view(req.droneId);
      if (!view) return { ok: false, code: ERROR_CODES.notFound, message: `no drone ${req.droneId}` };
      const m = this.book.activeMission(req.droneId);
      // No mission: a patrol flight may still be called back; a drone on its dock has nowhere to return to.
      if (!m && view.alt <= 0.5) return { ok: false, code: ERROR_CODES.refused, message: `${view.name}在机场，无需召回` };
      if (m && (m.phase === 'returning' || m.phase === 'landing')) return { ok: false, code: ERROR_CODES.refused, message: `${view.name}已在返航` };
      const now = this.clock.now();
      const event: DroneEvent = { type: 'recalled', droneId: view.id, missionId: m?.id ?? null, at: now, actor: actorRef(actor), ...(req.note ? { note: req.note } : {}) };
      return {
        events: [droneEvent(event, view.id, now)],
        answer: async () => {
          await this.send(view.id, { type: 'recall', droneId: view.id, missionId: m?.id ?? null, at: now }, m?.id ?? null);
          return { ok: true, data: this.book.view(view.id)! };
        },
      };
    }));
  }

  /** Publishes a command; a mission that cannot reach the drone is logged as aborted, so the screen does not wait for it forever. */
  private async send(droneId: string, cmd: DroneCommand, missionId: string | null): Promise<void> {
    try {
      await this.field.publish(commandTopic('drone', droneId), cmd);
    } catch (err) {
      this.log.warn({ err, droneId }, 'drone command not delivered');
      const m = missionId ? this.book.mission(missionId) : undefined;
      if (cmd.type === 'mission' && m && isActive(m.phase)) {
        const report: MissionReport = { droneId, missionId: m.id, ts: this.clock.now(), phase: 'aborted', reason: '指令未能送达无人机' };
        await this.store.append([droneEvent({ type: 'mission-updated', report, gateway: 'server' }, droneId, report.ts)]);
      }
    }
  }

  /** The 'drone-missions' uplink handler: each record checked on its own; resolves after the accepted ones are committed. */
  missionReports = (records: unknown[], ctx: { gateway: string }): Promise<UplinkResult> =>
    this.queue.run(async () => {
      const rejected: RecordError[] = [];
      const events: NewEvent[] = [];
      // Later records of the same batch see the earlier ones.
      const scratch = new Map<string, MissionState>();
      let accepted = 0;
      records.forEach((value, index) => {
        const checked = checkReport(value, index);
        if (!checked.ok) return void rejected.push(checked.error);
        const r = checked.value;
        const m = scratch.get(r.missionId) ?? this.book.mission(r.missionId);
        if (!m) return void rejected.push({ index, id: r.missionId, field: '/missionId', code: ERROR_CODES.notFound, message: `no mission ${r.missionId}` });
        const out = applyReport(m, r);
        if (!out.ok) return void rejected.push({ index, id: r.missionId, field: '/phase', code: ERROR_CODES.invalidTransition, message: out.message });
        accepted++;
        if (!out.changed) return;
        scratch.set(m.id, out.next);
        events.push(droneEvent({ type: 'mission-updated', report: r, gateway: ctx.gateway }, r.droneId, r.ts));
      });
      if (events.length > 0) await this.store.append(events);
      return { accepted, rejected };
    });
}
