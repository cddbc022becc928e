// Bounded context: replay (time travel). Socket commands replay:seek / replay:range / replay:stop
// on the dashboard's own connection, answered in its scope; the live deltas keep flowing meanwhile.
import fp from 'fastify-plugin';
import { ERROR_CODES, type ReplayFrame, type ReplayRange } from '../../core/protocol.ts';
import { commandArgs } from '../realtime/commands.ts';
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
    app.io.on('connection', (socket) => {
      const key = socket.id;
      // The ack is the last argument: a missing payload or junk arguments still get their answer.
      socket.on('replay:seek', (...args: unknown[]) => {
        const { payload: p, reply } = commandArgs<ReplayFrame>(args);
        const at = p && typeof p === 'object' ? (p as { at?: unknown }).at : undefined;
        service.seek(key, socket.data.session, at).then(reply, (err: Error) => reply({ ok: false, code: ERROR_CODES.unavailable, message: err.message }));
      });
      socket.on('replay:range', (...args: unknown[]) => {
        const { reply } = commandArgs<ReplayRange>(args);
        service.range().then(
          (range) => reply(range ? { ok: true, data: range } : { ok: false, code: ERROR_CODES.badRequest, message: 'the log is empty: nothing to replay' }),
          (err: Error) => reply({ ok: false, code: ERROR_CODES.unavailable, message: err.message }),
        );
      });
      socket.on('replay:stop', (...args: unknown[]) => {
        service.stop(key);
        commandArgs<null>(args).reply({ ok: true, data: null });
      });
      socket.on('disconnect', () => service.stop(key));
    });
    app.decorate('replay', service);
    app.addHook('onClose', async () => clearInterval(sweep));
  },
  { name: 'linkage-replay', dependencies: ['linkage-store', 'linkage-projections', 'linkage-realtime', 'linkage-calendar'] },
);
