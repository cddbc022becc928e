// Bounded context: emergency broadcasts over the socket (broadcast:send), checked by the same
// schema as POST /api/broadcasts and sent by the BroadcastService as the connection's actor.
import { broadcastSendProblem, type BroadcastService } from '../../broadcasts/service.ts';
import { invalid, type Checks, type HandlerFactory } from './define.ts';

export const broadcastChecks: Checks<'broadcast:send'> = {
  'broadcast:send': (p) => {
    const problem = broadcastSendProblem(p);
    return problem ? invalid(problem) : null;
  },
};

export const broadcastHandlers = (service: BroadcastService): HandlerFactory => ({ session: { actor } }) => ({
  'broadcast:send': async (send, reply) => reply(await service.send(send, actor)),
});
