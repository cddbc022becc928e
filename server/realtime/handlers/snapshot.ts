// Bounded context: the live picture. A dashboard asks for a fresh snapshot on connect, after a
// reconnect or when it sees a gap in the deltas' sequence.
import type { RealtimeHub } from '../hub.ts';
import type { Checks, HandlerFactory } from './define.ts';

export const snapshotChecks: Checks<'snapshot:request'> = { 'snapshot:request': 'no payload' };

export const snapshotHandlers = (hub: RealtimeHub): HandlerFactory => ({ socket }) => ({
  'snapshot:request': (reply) => reply({ ok: true, data: { seq: hub.resend(socket) } }),
});
