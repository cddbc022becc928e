// Bounded context: drone missions. HTTP (dispatch, recall, the drones and their flight logs), the
// socket commands drone:dispatch / drone:recall, and the 'drone-missions' uplink stream of the field
// link (missions go out on linkage/cmd/drone/<id>, progress comes back on linkage/up/<gateway>/drone-missions).
import fp from 'fastify-plugin';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Clock } from '../../core/domain.ts';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import { DEFAULT_MISSION_LIMITS, DispatchRequestSchema, RecallRequestSchema, type DispatchRequest, type MissionLimits, type RecallRequest } from '../../core/drones.ts';
import type { District } from '../district.ts';
import { DroneService } from '../drones/service.ts';
import { schemaProblem } from '../realtime/commands.ts';
import { droneHandlers } from '../realtime/handlers/drones.ts';
import { StoreUnavailableError } from '../store/event-store.ts';
import { useJsonBodies } from '../routes/json-body.ts';
import { Ok, replies, sendFailure, sendResult } from '../http-errors.ts';
import { DroneViewSchema as Drone, DroneWithTrackSchema, MissionSchema as Mission } from '../schemas/drones.ts';

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

// HTTP bodies: the request's fields, and who acts when nobody is signed in (declared mode); the drone is in the path.
const { droneId: _d, ...dispatchFields } = DispatchRequestSchema.properties;
const DispatchBody = Type.Object({ actor: Type.Optional(ActorSchema), ...dispatchFields }, { additionalProperties: false });
const RecallBody = Type.Object({ actor: Type.Optional(ActorSchema), note: RecallRequestSchema.properties.note }, { additionalProperties: false });
const DroneId = Type.Object({ id: Type.String() });

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

export const dronesPlugin = fp<DronesPluginOptions>(
  async (app, opts) => {
    const limits: MissionLimits = { ...DEFAULT_MISSION_LIMITS, ...opts.limits, bbox: opts.district.manifest.district.bbox };
    const drones = new DroneService(app.store, app.projector, opts.district, opts.clock, app.field, limits, app.log);
    app.decorate('droneService', drones);
    app.field.onUplink('drone-missions', drones.missionReports);
    app.socketHandlers.add(droneHandlers(drones));

    const tags = ['drones'];
    const acting = { read: 'area', invalid: ERROR_CODES.invalidCommand, acts: true } as const;

    await app.register(
      async (fastify) => {
        const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
        useJsonBodies(fastify);
        // The drones are the district's: every screen sees where they fly.
        api.get('/drones', {
          config: { read: 'district' },
          schema: { summary: 'The drones: telemetry, current mission and track', tags, response: replies(Ok(Type.Array(DroneWithTrackSchema))) },
        }, async () => ({
          ok: true as const,
          data: app.projector.drones.views().map((v) => ({ ...v, track: app.projector.drones.track(v.id) })),
        }));
        api.get('/drones/:id/flights', {
          config: { read: 'district' },
          schema: { summary: "A drone's flight log, newest first", tags, params: DroneId, response: replies(Ok(Type.Array(Mission))) },
        }, async (req, reply) => {
          if (!app.projector.drones.has(req.params.id)) return sendFailure(reply, ERROR_CODES.notFound, `no drone ${req.params.id}`);
          return { ok: true as const, data: app.projector.drones.flights(req.params.id) };
        });
        api.post('/drones/:id/missions', {
          config: acting,
          schema: { summary: 'Send a drone to a point or a case (hover or orbit)', tags, params: DroneId, body: DispatchBody, response: replies(Ok(Mission)) },
        }, async (req, reply) => {
          const { actor: _declared, ...fields } = req.body;
          return sendResult(reply, await run(() => drones.dispatch({ ...fields, droneId: req.params.id }, req.actor!)));
        });
        api.post('/drones/:id/recall', {
          config: acting,
          schema: { summary: 'Call a drone back to its base', tags, params: DroneId, body: RecallBody, response: replies(Ok(Drone)) },
        }, async (req, reply) => {
          const { note } = req.body;
          return sendResult(reply, await run(() => drones.recall({ droneId: req.params.id, ...(note ? { note } : {}) }, req.actor!)));
        });
      },
      { prefix: '/api' },
    );
  },
  { name: 'linkage-drones', dependencies: ['linkage-store', 'linkage-field', 'linkage-projections', 'linkage-realtime'] },
);
