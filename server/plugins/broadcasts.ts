// Bounded context: emergency broadcasts (应急广播). Sends go out over the field link (app.field);
// receipts come back on the 'broadcast-receipts' uplink stream; a Clock-driven sweep marks points
// that never answered. 紧急/特急 broadcasts wait for a duty leader's approval (BroadcastApprovals);
// the same sweep expires requests nobody decided. Socket commands `broadcast:send|request|approve|reject`
// and HTTP under /api/broadcasts.
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import type { District } from '../district.ts';
import { BroadcastService } from '../broadcasts/service.ts';
import { BroadcastApprovals } from '../broadcasts/approvals.ts';
import { broadcastRoutes } from '../broadcasts/routes.ts';
import type { FieldLink } from '../field/link.ts';
import { broadcastHandlers } from '../realtime/handlers/broadcasts.ts';

declare module 'fastify' {
  interface FastifyInstance {
    broadcastService: BroadcastService;
    broadcastApprovals: BroadcastApprovals;
  }
}

export interface BroadcastsPluginOptions {
  district: District;
  clock: Clock;
  /** How long a point has to answer beyond the playing time. */
  answerWindowMs: number;
  /** How often the no-answer sweep runs (it also expires undecided requests). */
  sweepEveryMs: number;
  /** How long a request for an urgent broadcast waits for a decision. */
  approvalWindowMs: number;
}

export const broadcastsPlugin = fp<BroadcastsPluginOptions>(
  async (app, opts) => {
    const field: FieldLink = app.field;
    const service = new BroadcastService(app.store, app.projector, opts.district, field, opts.clock, { answerWindowMs: opts.answerWindowMs }, app.log);
    app.decorate('broadcastService', service);
    const approvals = new BroadcastApprovals(app.store, app.projector, service, opts.clock, { approvalWindowMs: opts.approvalWindowMs });
    app.decorate('broadcastApprovals', approvals);
    field.onUplink('broadcast-receipts', (records) => service.receipts(records));

    app.socketHandlers.add(broadcastHandlers(service, approvals));

    await app.register(broadcastRoutes, { prefix: '/api', service, approvals, now: () => opts.clock.now() });

    let sweeping = false;
    const sweep = async () => {
      if (sweeping || !app.leadership.isLeader()) return;
      sweeping = true;
      try {
        const points = await service.sweep();
        if (points > 0) app.log.info({ points }, 'broadcast points marked no-answer');
        const expired = await approvals.expireDue();
        if (expired > 0) app.log.info({ expired }, 'broadcast requests expired without a decision');
      } catch (err) {
        app.log.error({ err }, 'broadcast sweep failed');
      } finally {
        sweeping = false;
      }
    };
    const timer = setInterval(sweep, opts.sweepEveryMs);
    timer.unref();
    app.addHook('preClose', async () => clearInterval(timer));
  },
  { name: 'linkage-broadcasts', dependencies: ['linkage-store', 'linkage-field', 'linkage-projections', 'linkage-realtime', 'linkage-leadership'] },
);
