// Bounded context: public ingest for gateways (device telemetry, video AI events, weather
// observations, cases), over HTTP batches and, for all but cases, over MQTT (server/plugins/field.ts).
// Each record is validated on its own; good records are committed and acknowledged, bad ones
// come back with the record index, field and reason.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from 'typebox';
import { EVENT_CLASS_BY_CODE } from '../../core/taxonomy.ts';
import {
  CaseReportSchema,
  DeviceRecordSchema,
  ERROR_CODES,
  IngestBatchSchema,
  IngestResultSchema,
  VideoEventSchema,
  WeatherObservationSchema,
} from '../../core/protocol.ts';
import { observationProblem } from '../../core/weather.ts';
import { recordIngest, type ToEvent } from '../ingest/streams.ts';
import { ConflictError, StoreUnavailableError } from '../store/event-store.ts';
import type { UplinkStream } from '../../core/field.ts';
import { caseEvent } from '../cases/service.ts';
import { parseBatchBody, useJsonBodies } from './json-body.ts';

export interface IngestOptions {
  /** Gateway name by key. */
  gatewayKeys: ReadonlyMap<string, string>;
}

const ErrorBody = Type.Object({ statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() });

declare module 'fastify' {
  interface FastifyRequest {
    gateway?: string;
  }
}

export const ingestRoutes: FastifyPluginAsync<IngestOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  useJsonBodies(fastify, parseBatchBody);
  fastify.decorateRequest('pollutedRecords', null);

  app.addHook('onRequest', async (request, reply) => {
    const key = request.headers['x-gateway-key'];
    const gateway = typeof key === 'string' ? opts.gatewayKeys.get(key) : undefined;
    if (!gateway) {
      return reply.code(401).send({ statusCode: 401, code: ERROR_CODES.unauthorized, error: 'Unauthorized', message: 'missing or unknown x-gateway-key header' });
    }
    request.gateway = gateway;
  });

  /** Registers one ingest route over HTTP, and the same ingest for MQTT when the stream is an uplink stream. */
  function route<S extends TSchema>(url: string, summary: string, schema: S, toEvent: ToEvent<S>, stream?: UplinkStream, conditional = false) {
    const records = recordIngest(app.store, schema, toEvent, { conditional });
    if (stream) app.field.onUplink(stream, (batch, { polluted }) => records.ingest(batch, polluted));
    app.post(
      url,
      {
        config: { read: 'gateway' },
        bodyLimit: 32 * 1024 * 1024,
        // Gateways post several times a second: log rejections and failures, not every request.
        logLevel: 'warn',
        schema: {
          summary,
          tags: ['ingest'],
          headers: Type.Object({ 'x-gateway-key': Type.String({ description: 'per-gateway ingest key' }) }),
          body: IngestBatchSchema,
          // Gateways get Fastify's error body (statusCode, code, error, message), a bad envelope included.
          response: { 200: IngestResultSchema, 207: IngestResultSchema, 422: IngestResultSchema, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 413: ErrorBody, 503: ErrorBody },
        },
      },
      async (request: FastifyRequest<{ Body: Static<typeof IngestBatchSchema> }>, reply: FastifyReply) => {
        let outcome;
        try {
          outcome = await records.ingest(request.body.records, request.pollutedRecords ?? null);
        } catch (error) {
          if (error instanceof ConflictError) {
            return reply.code(409).send({ statusCode: 409, code: ERROR_CODES.conflict, error: 'Conflict', message: `${error.message}; send the batch again` });
          }
          if (error instanceof StoreUnavailableError) {
            request.log.error({ err: error }, 'ingest not committed');
            return reply.code(503).send({ statusCode: 503, code: ERROR_CODES.unavailable, error: 'Service Unavailable', message: error.message });
          }
          throw error;
        }
        const { accepted, rejected, lastSeq } = outcome;
        if (rejected.length > 0) request.log.warn({ gateway: request.gateway, rejected: rejected.length, first: rejected[0] }, 'ingest records rejected');
        const status = rejected.length === 0 ? 200 : accepted > 0 ? 207 : 422;
        return reply.code(status).send({ accepted, rejected, lastSeq });
      },
    );
  }

  const { projector } = app;

  route('/devices', 'Device heartbeats, status changes, positions and sensor readings', DeviceRecordSchema, (r, index) => {
    const deviceIndex = projector.devices.indexOf(r.kind, r.id);
    if (deviceIndex === undefined) {
      return { index, id: r.id, field: '/id', code: ERROR_CODES.unknownDevice, message: `no ${r.kind} with id "${r.id}" in the device registry (provision it first: POST /api/devices)` };
    }
    if (projector.devices.isRetired(r.kind, deviceIndex)) {
      return { index, id: r.id, field: '/id', code: ERROR_CODES.deviceRetired, message: `${r.kind} "${r.id}" is retired: its reports are refused until it is provisioned again` };
    }
    return { type: 'device:reported', subject: r.id, ts: r.ts, data: r, index: deviceIndex };
  }, 'devices');

  route('/video-events', 'Video AI detections from cameras', VideoEventSchema, (r, index) => {
    const camera = projector.devices.indexOf('camera', r.cameraId);
    if (camera === undefined) {
      return { index, id: r.id, field: '/cameraId', code: ERROR_CODES.unknownDevice, message: `no camera with id "${r.cameraId}"` };
    }
    if (projector.devices.isRetired('camera', camera)) {
      return { index, id: r.id, field: '/cameraId', code: ERROR_CODES.deviceRetired, message: `camera "${r.cameraId}" is retired` };
    }
    if (!EVENT_CLASS_BY_CODE.has(r.eventClass)) {
      return { index, id: r.id, field: '/eventClass', code: ERROR_CODES.unknownClass, message: `unknown event class "${r.eventClass}"` };
    }
    return { type: 'video:detected', subject: r.id, ts: r.ts, data: r };
  }, 'video-events');

  const stations = new Set(projector.settings.weatherStations.map((s) => s.id));
  route('/weather', 'Observations of weather stations with the official warnings in force', WeatherObservationSchema, (r, index) => {
    if (!stations.has(r.stationId)) {
      return { index, id: r.stationId, field: '/stationId', code: ERROR_CODES.unknownDevice, message: `no weather station "${r.stationId}" (data/weather-stations.json lists ${[...stations].join(', ')})` };
    }
    const problem = observationProblem(r);
    if (problem) return { index, id: r.stationId, ...problem, code: ERROR_CODES.invalidRecord };
    return { type: 'weather:observed', subject: r.stationId, ts: r.ts, data: r };
  }, 'weather');

  const { caseService } = app;
  route('/cases', 'New cases from grid apps, hotline platforms and the City Brain (later steps are case commands)', CaseReportSchema, (r, index) => {
    if (r.source === 'video-ai' || r.source === 'sensor') {
      return { index, id: r.id, field: '/source', code: ERROR_CODES.invalidRecord, message: 'video-ai and sensor cases are opened by the server from video events and sensor alarms' };
    }
    const gateway = { id: `gateway:${r.source}`, name: r.source, role: 'system' as const, org: '340803' };
    const d = caseService.decideReport(r, gateway);
    if (!d.ok) return { index, id: r.id, field: d.message.includes('class') ? '/eventClass' : '/hotlineOrderNo', code: d.message.includes('class') ? ERROR_CODES.unknownClass : ERROR_CODES.invalidRecord, message: d.message };
    if ('duplicate' in d) return null;
    return caseEvent(d.event);
  }, undefined, true);
};
