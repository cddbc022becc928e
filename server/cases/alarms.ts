// Alarms from the field: video AI detections and sensor readings out of range become alarms
// (active → acknowledged → cleared); a new alarm joins an open case of the same class nearby or
// opens a case of its own. These reactions run on the live path after telemetry is committed and
// log what they decide, one at a time so each sees what the previous one opened.
import { caseToJoin, repeatOf, sensorAlarmClass, URGENT_METRICS, alarmActionProblem, type AlarmRules, type AlarmState } from '../../core/alarms.ts';
import type { CaseReport } from '../../core/cases/model.ts';
import { COMPONENT_CLASS_BY_CODE, EVENT_CLASS_BY_CODE } from '../../core/taxonomy.ts';
import { placeInScope, scopeOf, SYSTEM_ACTOR, type Actor } from '../../core/org.ts';
import type { DeviceRecord, VideoEvent } from '../../core/protocol.ts';
import { actorRef } from '../../core/cases/lifecycle.ts';
import type { Clock } from '../../core/domain.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { District } from '../district.ts';
import type { AlarmEvent } from '../projections/alarm-book.ts';
import type { Projector } from '../projections/projector.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';
import { caseEvent, type CaseService, type Result } from './service.ts';

export interface AlarmServiceRules extends AlarmRules {
  /** Video detections below this confidence raise an alarm but open no case (an operator decides). */
  caseConfidence: number;
}

export const alarmEvent = (e: AlarmEvent, ts: number): NewEvent => ({ type: `alarm:${e.type}`, subject: e.type === 'raised' ? e.alarm.id : e.alarmId, ts, data: e });

export class AlarmService {
  private queue: Promise<unknown> = Promise.resolve();
  /** Reactions waiting in the queue (bounded: a flood of telemetry must not grow memory without limit). */
  private pending = 0;
  dropped = 0;

  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly cases: CaseService,
    private readonly district: District,
    private readonly clock: Clock,
    private readonly rules: AlarmServiceRules,
    private readonly log: FastifyBaseLogger,
  ) {}

  private enqueue(fn: () => Promise<void>): void {
    if (this.pending >= 10_000) {
      this.dropped++;
      if (this.dropped % 1000 === 1) this.log.error({ dropped: this.dropped }, 'alarm reactions overloaded: detections dropped');
      return;
    }
    this.pending++;
    this.queue = this.queue
      .then(fn)
      .catch((err) => this.log.error({ err }, 'alarm reaction failed'))
      .finally(() => this.pending--);
  }

  /** Resolves when every queued reaction has been logged (tests, shutdown). */
  idle(): Promise<unknown> {
    return this.queue;
  }

  videoDetected(event: VideoEvent, cameraIndex: number): void {
    if (cameraIndex < 0) return;
    this.enqueue(async () => {
      // The registry's entry: a provisioned camera, or one moved since the dataset, raises its alarm where it is now.
      const cam = this.projector.registry.at('camera', cameraIndex);
      if (!cam) return;
      const open = repeatOf(this.projector.alarms.open(), event.cameraId, event.eventClass, event.ts, this.rules);
      if (open) {
        await this.store.append([alarmEvent({ type: 'repeated', alarmId: open.id, at: event.ts }, event.ts)]);
        return;
      }
      await this.raise(
        { id: `AL-${event.id}`, kind: 'video', deviceKind: 'camera', deviceId: event.cameraId, deviceIndex: cameraIndex, eventClass: event.eventClass, metric: null, value: null, confidence: event.confidence, lon: cam.lon, lat: cam.lat, raisedAt: event.ts },
        event.confidence >= this.rules.caseConfidence ? { source: 'video-ai', urgent: false, note: event.note ?? '' } : null,
      );
    });
  }

  /** A component's readings crossed its rule (`severe`: its second, more severe rule, a gauge's guarantee level). */
  sensorAlarm(index: number, r: DeviceRecord, severe = false): void {
    this.enqueue(async () => {
      const comp = this.district.component(index);
      const metric = COMPONENT_CLASS_BY_CODE.get(comp.classCode)?.sensor;
      const eventClass = metric ? sensorAlarmClass(comp.classCode, metric, severe) : null;
      if (!metric || !eventClass || this.projector.alarms.openOfDevice(r.id, eventClass)) return;
      await this.raise(
        { id: `SA-${r.id}-${r.ts}${severe ? '-severe' : ''}`, kind: 'sensor', deviceKind: 'component', deviceId: r.id, deviceIndex: index, eventClass, metric, value: r.value ?? null, confidence: null, lon: comp.lon, lat: comp.lat, raisedAt: r.ts },
        { source: 'sensor', urgent: URGENT_METRICS.has(metric), note: r.metric && r.value !== undefined ? `${r.metric}=${r.value}` : '' },
      );
    });
  }

  /** Back below the rule (`severe`: below the severe rule only; the other alarm stays). */
  sensorNormal(index: number, r: DeviceRecord, severe = false): void {
    this.enqueue(async () => {
      const comp = this.district.component(index);
      const metric = COMPONENT_CLASS_BY_CODE.get(comp.classCode)?.sensor;
      const severeClass = metric ? sensorAlarmClass(comp.classCode, metric, true) : null;
      const open = this.projector.alarms.openAllOfDevice(r.id).filter((a) => !severe || a.eventClass === severeClass);
      if (open.length) await this.store.append(open.map((a) => alarmEvent({ type: 'cleared', alarmId: a.id, at: r.ts, by: SYSTEM_ACTOR.id, note: '读数恢复正常' }, r.ts)));
    });
  }

  private async raise(
    base: Omit<AlarmState, 'gridIndex' | 'townshipCode' | 'communityCode' | 'status' | 'repeats' | 'ackAt' | 'ackBy' | 'clearedAt' | 'clearedBy' | 'caseId' | 'updatedAt'>,
    opens: { source: 'video-ai' | 'sensor'; urgent: boolean; note: string } | null,
  ): Promise<void> {
    if (this.projector.alarms.get(base.id)) return; // a retried detection
    const place = this.district.resolvePlace(base.lon, base.lat);
    const alarm: AlarmState = { ...base, ...place, status: 'active', repeats: 0, ackAt: null, ackBy: null, clearedAt: null, clearedBy: null, caseId: null, updatedAt: base.raisedAt };
    const events: NewEvent[] = [];
    if (opens) {
      const join = caseToJoin(this.projector.cases.all(), alarm, this.rules);
      if (join) {
        alarm.caseId = join.id;
        events.push(caseEvent({ caseId: join.id, command: 'merge-alarm', from: join.stage, to: join.stage, at: alarm.raisedAt, actor: actorRef(SYSTEM_ACTOR), note: alarm.id, data: { alarmId: alarm.id } }));
      } else {
        const report = this.caseReport(alarm, opens);
        const d = this.cases.decideReport(report, SYSTEM_ACTOR);
        if (d.ok && 'event' in d) {
          alarm.caseId = report.id;
          events.push(caseEvent(d.event));
        }
      }
    }
    await this.store.append([alarmEvent({ type: 'raised', alarm }, alarm.raisedAt), ...events]);
  }

  private caseReport(a: AlarmState, opens: { source: 'video-ai' | 'sensor'; urgent: boolean; note: string }): CaseReport {
    const cls = EVENT_CLASS_BY_CODE.get(a.eventClass);
    const where = this.district.placeName(a.communityCode || a.townshipCode);
    const what = opens.source === 'video-ai' ? '视频智能分析识别到' : '物联感知设备报警：';
    return {
      id: `C-${a.id}`, source: opens.source, eventClass: a.eventClass, title: `${where}${cls?.name ?? a.eventClass}`,
      description: `${what}${cls?.name ?? a.eventClass}（${a.deviceId}${opens.note ? `，${opens.note}` : ''}）`,
      urgency: opens.urgent ? 'urgent' : 'normal', lon: a.lon, lat: a.lat, reportedAt: a.raisedAt, reporter: a.deviceId,
    };
  }

  /** An operator acknowledges or clears an alarm. */
  act(alarmId: string, action: 'acknowledge' | 'clear', actor: Actor, note?: string): Promise<Result<AlarmState>> {
    // Two operators on two nodes acting on one alarm: decided on the log's latest, logged once.
    return this.cases.serial(alarmId, () =>
      decideAndAppend<AlarmState>(this.store, [alarmId], () => {
        const a = this.projector.alarms.get(alarmId);
        if (!a) return { ok: false, code: 'NOT_FOUND', message: `no alarm ${alarmId}` };
        if (actor.role === 'display' || actor.role === 'grid-worker' || actor.role === 'department') return { ok: false, code: 'FORBIDDEN', message: `a ${actor.role} cannot ${action} alarms` };
        if (!placeInScope(scopeOf(actor), a)) return { ok: false, code: 'FORBIDDEN', message: `alarm ${alarmId} is outside ${scopeOf(actor)}` };
        const problem = alarmActionProblem(a, action);
        if (problem) return { ok: false, code: 'INVALID_TRANSITION', message: problem };
        const at = this.clock.now();
        const who = { by: actor.id, actor: actorRef(actor), ...(note ? { note } : {}) };
        const e: AlarmEvent = action === 'acknowledge' ? { type: 'acknowledged', alarmId, at, ...who } : { type: 'cleared', alarmId, at, ...who };
        return { events: [alarmEvent(e, at)], answer: () => ({ ok: true, data: this.projector.alarms.get(alarmId)! }) };
      }),
    );
  }
}
