// Infrastructure plugin: the closed-loop services (cases, whistles, alarms) over the store and the
// projections (deadlines counted with the calendar plugin's SLA), and the escalation sweep.
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import { DEFAULT_ALARM_RULES } from '../../core/alarms.ts';
import type { District } from '../district.ts';
import { AlarmService } from '../cases/alarms.ts';
import { CaseService } from '../cases/service.ts';
import { WhistleService } from '../cases/whistles.ts';
import { AttachmentStore } from '../cases/attachments.ts';

declare module 'fastify' {
  interface FastifyInstance {
    caseService: CaseService;
    whistleService: WhistleService;
    alarmService: AlarmService;
    attachments: AttachmentStore;
  }
}

export interface CasesPluginOptions {
  district: District;
  clock: Clock;
  escalateEveryMs: number;
  videoCaseConfidence: number;
  dataDir: string;
}

export const casesPlugin = fp<CasesPluginOptions>(
  async (app, opts) => {
    const cases = new CaseService(app.store, app.projector, opts.district, opts.clock, app.sla);
    const whistles = new WhistleService(app.store, app.projector, cases, opts.clock);
    const alarms = new AlarmService(app.store, app.projector, cases, opts.district, opts.clock, { ...DEFAULT_ALARM_RULES, caseConfidence: opts.videoCaseConfidence }, app.log);
    // Every node applies every event; only the leader reacts to telemetry, so an alarm is raised once.
    const leader = () => app.leadership.isLeader();
    const reactions = [
      app.projector.on('video:detected', (e, i) => leader() && alarms.videoDetected(e, i)),
      app.projector.on('sensor:alarmed', (i, r) => leader() && alarms.sensorAlarm(i, r)),
      app.projector.on('sensor:restored', (i, r) => leader() && alarms.sensorNormal(i, r)),
      app.projector.on('sensor:escalated', (i, r) => leader() && alarms.sensorAlarm(i, r, true)),
      app.projector.on('sensor:deescalated', (i, r) => leader() && alarms.sensorNormal(i, r, true)),
    ];
    app.decorate('caseService', cases);
    app.decorate('whistleService', whistles);
    app.decorate('alarmService', alarms);
    app.decorate('attachments', new AttachmentStore(opts.dataDir, app.store, app.projector, cases, opts.clock));

    let sweeping = false;
    const sweep = async () => {
      if (sweeping || !app.leadership.isLeader()) return;
      sweeping = true;
      try {
        const moved = await cases.escalateDue();
        if (moved > 0) app.log.info({ moved }, 'overdue cases escalated');
      } catch (err) {
        app.log.error({ err }, 'escalation sweep failed');
      } finally {
        sweeping = false;
      }
    };
    const timer = setInterval(sweep, opts.escalateEveryMs);
    timer.unref();
    app.addHook('onReady', async () => void sweep());
    // Before the store closes: stop reacting, let queued reactions commit.
    app.addHook('preClose', async () => {
      clearInterval(timer);
      for (const unsubscribe of reactions) unsubscribe();
      await alarms.idle();
    });
  },
  { name: 'linkage-cases', dependencies: ['linkage-store', 'linkage-projections', 'linkage-leadership', 'linkage-calendar'] },
);
