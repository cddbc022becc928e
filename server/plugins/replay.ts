// Bounded context: replay (time travel). Socket commands replay:seek / replay:range / replay:stop
// on the dashboard's own connection, answered in its scope; the live deltas keep flowing meanwhile.
import fp from 'fastify-plugin';
import { replayHandlers } from '../realtime/handlers/replay.ts';
import { DEFAULT_REPLAY_OPTIONS, ReplayService, type ReplayOptions } from '../replay/service.ts';
import type { District } from '../district.ts';
import type { Clock } from '../../core/domain.ts';

declare module 'fastify' {
  interface FastifyInstance {
    replay: ReplayService;
  }
}

export interface ReplayPluginOptions {
  district: District;
  clock: Clock;
  options?: Partial<ReplayOptions>;
}

export const replayPlugin = fp<ReplayPluginOptions>(
  async (app, opts) => {
    const options = { ...DEFAULT_REPLAY_OPTIONS, ...opts.options };
    const service = new ReplayService(app.store, opts.district, app.projector.settings, app.sla.calendar.config, () => opts.clock.now(), options);
    const sweep = setInterval(() => service.sweep(), 60_000);
    sweep.unref();
    app.socketHandlers.add(replayHandlers(service));
    app.decorate('replay', service);
    app.addHook('onClose', async () => clearInterval(sweep));
  },
  { name: 'linkage-replay', dependencies: ['linkage-store', 'linkage-projections', 'linkage-realtime', 'linkage-calendar'] },
);
