// Bounded context: emergency broadcasts over the socket. broadcast:send and broadcast:request are
// checked by the same schema as POST /api/broadcasts; approve and reject by core's request schemas.
// The BroadcastService and BroadcastApprovals act as the connection's actor.
import { Compile } from 'typebox/compile';
import { ApproveRequestSchema, RejectRequestSchema } from '../../../core/broadcast-approval.ts';
import type { BroadcastApprovals } from '../../broadcasts/approvals.ts';
import { broadcastSendProblem, type BroadcastService } from '../../broadcasts/service.ts';
import { schemaProblem } from '../commands.ts';
import { invalid, type Check, type Checks, type HandlerFactory } from './define.ts';

const sendCheck: Check = (p) => {
  const problem = broadcastSendProblem(p);
  return problem ? invalid(problem) : null;
};
const schemaCheck = (check: Parameters<typeof schemaProblem>[0]): Check => (p) => {
  const problem = schemaProblem(check, p);
  return problem ? invalid(problem) : null;
};

export const broadcastChecks: Checks<'broadcast:send' | 'broadcast:request' | 'broadcast:approve' | 'broadcast:reject'> = {
  'broadcast:send': sendCheck,
  'broadcast:request': sendCheck,
  'broadcast:approve': schemaCheck(Compile(ApproveRequestSchema)),
  'broadcast:reject': schemaCheck(Compile(RejectRequestSchema)),
};

export const broadcastHandlers = (service: BroadcastService, approvals: BroadcastApprovals): HandlerFactory => ({ session: { actor } }) => ({
  'broadcast:send': async (send, reply) => reply(await service.send(send, actor)),
  'broadcast:request': async (send, reply) => reply(await approvals.request(send, actor)),
  'broadcast:approve': async ({ broadcastId }, reply) => reply(await approvals.approve(broadcastId, actor)),
  'broadcast:reject': async ({ broadcastId, reason }, reply) => reply(await approvals.reject(broadcastId, reason, actor)),
});
