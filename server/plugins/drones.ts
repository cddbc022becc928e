// Bounded context: drone missions. HTTP (dispatch, recall, the drones and their flight logs), the
// socket commands drone:dispatch / drone:recall, and the 'drone-missions' uplink stream of the field
// link (missions go out on linkage/cmd/drone/<id>, progress comes back on linkage/up/<gateway>/drone-missions).
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Clock } from '../../core/domain.ts';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { actorProblem, type Actor } from '../../core/org.ts';
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import { DEFAULT_MISSION_LIMITS, DispatchRequestSchema, RecallRequestSchema, type DispatchRequest, type DroneView, type MissionLimits, type MissionState, type RecallRequest } from '../../core/drones.ts';
import type { District } from '../district.ts';
import { DroneService } from '../drones/service.ts';
import { commandArgs, schemaProblem } from '../realtime/commands.ts';
import type { LinkageSocket } from '../realtime/hub.ts';
import { StoreUnavailableError } from '../store/event-store.ts';
import { useJsonBodies } from '../routes/json-body.ts';

declare module 'fastify' {
  interface FastifyInstance {
    droneService: DroneService;
  }
}

export interface DronesPluginOptions {
  district: District;
  clock: Clock;
  limits?: Partial<Omit<MissionLimits, 'bbox'>>;
}

const STATUS: Record<string, number> = { FORBIDDEN: 403, NOT_FOUND: 404, INVALID_COMMAND: 422, REFUSED: 409, UNAVAILABLE: 503 };

// HTTP bodies: the request's fields plus the actor (until accounts exist, issue 6); the drone is in the path.
const { droneId: _d, ...dispatchFields } = DispatchRequestSchema.properties;
const checkDispatchBody = Compile(Type.Object({ actor: ActorSchema, ...dispatchFields }, { additionalProperties: false }));
const checkRecallBody = Compile(Type.Object({ actor: ActorSchema, note: RecallRequestSchema.properties.note }, { additionalProperties: false }));
const checkDispatch = Compile(DispatchRequestSchema);
const checkRecall = Compile(RecallRequestSchema);

const bad = (message: string) => ({ ok: false as const, code: ERROR_CODES.invalidCommand, message });

/** Runs a command; a store that cannot write answers UNAVAILABLE instead of throwing. */
async function run<T>(fn: () => Promise<Ack<T>>): Promise<Ack<T>> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof StoreUnavailableError) return { ok: false, code: ERROR_CODES.unavailable, message: error.message };
    throw error;
  }
}

function registerDroneCommands(socket: LinkageSocket, drones: DroneService): void {
  const { actor } = socket.data.session;
  socket.on('drone:dispatch', (...args: unknown[]) => {
    const { payload, reply: answer } = commandArgs<MissionState>(args);
    const problem = schemaProblem(checkDispatch, payload);
    if (problem) return answer(bad(problem));
    run(() => drones.dispatch(payload as DispatchRequest, actor)).then(answer, (err: Error) => answer({ ok: false, code: ERROR_CODES.unavailable, message: err.message }));
  });
  socket.on('drone:recall', (...args: unknown[]) => {
    const { payload, reply: answer } = commandArgs<DroneView>(args);
    const problem = schemaProblem(checkRecall, payload);
    if (problem) return answer(bad(problem));
    run(() => drones.recall(payload as RecallRequest, actor)).then(answer, (err: Error) => answer({ ok: false, code: ERROR_CODES.unavailable, message: err.message }));
  });
}

export const dronesPlugin = fp<DronesPluginOptions>(
  async (app, opts) => {
    const limits: MissionLimits = { ...DEFAULT_MISSION_LIMITS, ...opts.limits, bbox: opts.district.manifest.district.bbox };
    const drones = new DroneService(app.store, app.projector, opts.district, opts.clock, app.field, limits, app.log);
    app.decorate('droneService', drones);
    app.field.onUplink('drone-missions', drones.missionReports);
    app.io.on('connection', (socket) => registerDroneCommands(socket, drones));

    const send = async <T>(reply: FastifyReply, fn: () => Promise<Ack<T>>) => {
      const r = await run(fn);
      return r.ok ? reply.send(r) : reply.code(STATUS[r.code] ?? 400).send(r);
    };
    const actorOf = (body: unknown): Actor | string => {
      const actor = (body as { actor: Actor }).actor;
      if (actor.role === 'system') return 'actor: nobody may act as the system';
      return actorProblem(actor) ?? actor;
    };
    const tags = ['drones'];

    await app.register(
      async (api) => {
        useJsonBodies(api);
        // The drones are the district's: every screen sees where they fly.
        api.get('/drones', { config: { read: 'district' }, schema: { summary: 'The drones: telemetry, current mission and track', tags } }, async () => ({
          ok: true,
          data: app.projector.drones.views().map((v) => ({ ...v, track: app.projector.drones.track(v.id) })),
        }));
        api.get<{ Params: { id: string } }>('/drones/:id/flights', { config: { read: 'district' }, schema: { summary: "A drone's flight log, newest first", tags } }, async (req, reply) => {
          if (!app.projector.drones.has(req.params.id)) return reply.code(404).send({ ok: false, code: ERROR_CODES.notFound, message: `no drone ${req.params.id}` });
          return { ok: true, data: app.projector.drones.flights(req.params.id) };
        });
        api.post<{ Params: { id: string } }>('/drones/:id/missions', { config: { read: 'area' }, schema: { summary: 'Send a drone to a point or a case (hover or orbit)', tags } }, async (req, reply) => {
          const problem = schemaProblem(checkDispatchBody, req.body);
          if (problem) return reply.code(422).send(bad(problem));
          const actor = actorOf(req.body);
          if (typeof actor === 'string') return reply.code(422).send(bad(actor));
          const { actor: _a, ...fields } = req.body as { actor: Actor } & Omit<DispatchRequest, 'droneId'>;
          return send(reply, () => drones.dispatch({ ...fields, droneId: req.params.id }, actor));
        });
        api.post<{ Params: { id: string } }>('/drones/:id/recall', { config: { read: 'area' }, schema: { summary: 'Call a drone back to its base', tags } }, async (req, reply) => {
          const problem = schemaProblem(checkRecallBody, req.body);
          if (problem) return reply.code(422).send(bad(problem));
          const actor = actorOf(req.body);
          if (typeof actor === 'string') return reply.code(422).send(bad(actor));
          const { note } = req.body as RecallRequest;
          return send(reply, () => drones.recall({ droneId: req.params.id, ...(note ? { note } : {}) }, actor));
        });
      },
      { prefix: '/api' },
    );
  },
  { name: 'linkage-drones', dependencies: ['linkage-store', 'linkage-field', 'linkage-projections', 'linkage-realtime'] },
);
