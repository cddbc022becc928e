// Bounded context: replay (time travel) on the dashboard's own connection, answered in its scope;
// the live deltas keep flowing meanwhile. A connection's replay ends when it disconnects.
import { ERROR_CODES } from '../../../core/protocol.ts';
import type { ReplayService } from '../../replay/service.ts';
import { isPayloadObject, refuse, type Checks, type HandlerFactory } from './define.ts';

export const replayChecks: Checks<'replay:seek' | 'replay:range' | 'replay:stop'> = {
  'replay:seek': (p) => {
    const at = isPayloadObject(p) ? p.at : undefined;
    return typeof at === 'number' && Number.isInteger(at) ? null : refuse(ERROR_CODES.badRequest, '/at must be an integer (UTC ms)');
  },
  'replay:range': 'no payload',
  'replay:stop': 'no payload',
};

export const replayHandlers = (service: ReplayService): HandlerFactory => ({ socket, session }) => {
  const key = socket.id;
  socket.on('disconnect', () => service.stop(key));
  return {
    'replay:seek': async ({ at }, reply) => reply(await service.seek(key, session, at)),
    'replay:range': async (reply) => {
      const range = await service.range();
      reply(range ? { ok: true, data: range } : refuse(ERROR_CODES.badRequest, 'the log is empty: nothing to replay'));
    },
    'replay:stop': (reply) => {
      service.stop(key);
      reply({ ok: true, data: null });
    },
  };
};
