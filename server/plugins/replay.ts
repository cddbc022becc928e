// Bounded context: replay (time travel). Socket commands replay:seek / replay:range / replay:stop
// on the dashboard's own connection, answered in its scope; the live deltas keep flowing meanwhile.
import fp from 'fastify-plugin';
import { ERROR_CODES, type Ack, type ReplayRange } from '../../core/protocol.ts';
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

const reply = <T>(ack: unknown): ((r: Ack<T>) => void) => (typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => {});

export const replayPlugin = fp<ReplayPluginOptions>(
  async (app, opts) => {
    const options = { ...DEFAULT_REPLAY_OPTIONS, ...opts.options };
    const service = new ReplayService(app.store, opts.district, app.projector.settings, app.caseService.sla.calendar.config, () => opts.clock.now(), options);
    const sweep = setInterval(() => service.sweep(), 60_000);
    sweep.unref();
    app.io.on('connection', (socket) => {
      const key = socket.id;
      socket.on('replay:seek', (p, ack) => {
        const at = p && typeof p === 'object' ? (p as { at?: unknown }).at : undefined;
        service.seek(key, socket.data.session, at).then(reply(ack), (err: Error) => reply(ack)({ ok: false, code: ERROR_CODES.unavailable, message: err.message }));
      });
      socket.on('replay:range', (ack) => {
        const range = service.range();
        reply<ReplayRange>(ack)(range ? { ok: true, data: range } : { ok: false, code: ERROR_CODES.badRequest, message: 'the log is empty: nothing to replay' });
      });
      socket.on('replay:stop', (ack) => {
        service.stop(key);
        reply<null>(ack)({ ok: true, data: null });
      });
      socket.on('disconnect', () => service.stop(key));
    });
    app.decorate('replay', service);
    app.addHook('onClose', async () => clearInterval(sweep));
  },
  { name: 'linkage-replay', dependencies: ['linkage-store', 'linkage-projections', 'linkage-realtime', 'linkage-cases'] },
);
