// Bounded context: drone missions over the socket (drone:dispatch / drone:recall), checked against
// the schemas of core/drones.ts and run by the DroneService as the connection's actor.
import { Compile } from 'typebox/compile';
import { DispatchRequestSchema, RecallRequestSchema } from '../../../core/drones.ts';
import type { DroneService } from '../../drones/service.ts';
import { schemaProblem } from '../commands.ts';
import { invalid, type Check, type Checks, type HandlerFactory } from './define.ts';

const schemaCheck = (check: Parameters<typeof schemaProblem>[0]): Check => (p) => {
  const problem = schemaProblem(check, p);
  return problem ? invalid(problem) : null;
};

export const droneChecks: Checks<'drone:dispatch' | 'drone:recall'> = {
  'drone:dispatch': schemaCheck(Compile(DispatchRequestSchema)),
  'drone:recall': schemaCheck(Compile(RecallRequestSchema)),
};

export const droneHandlers = (drones: DroneService): HandlerFactory => ({ session: { actor } }) => ({
  'drone:dispatch': async (request, reply) => reply(await drones.dispatch(request, actor)),
  'drone:recall': async (request, reply) => reply(await drones.recall(request, actor)),
});
