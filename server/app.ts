// Builds the Fastify app: infrastructure plugins (store, projections, realtime), one plugin per
// bounded context (ingest, status, cases), the dataset and the built dashboard as static files.
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { existsSync } from 'node:fs';
import type { Clock } from '../core/domain.ts';
import { PROTOCOL_VERSION } from '../core/protocol.ts';
import { resolveConfig, type ServerConfig } from './config.ts';
import type { District } from './district.ts';
import { storePlugin } from './plugins/store.ts';
import { sqlitePlugin } from './plugins/sqlite.ts';
import { leadershipPlugin } from './plugins/leadership.ts';
import { projectionsPlugin } from './plugins/projections.ts';
import { auditPlugin } from './plugins/audit.ts';
import { auditRoutes } from './audit/routes.ts';
import { fieldPlugin } from './plugins/field.ts';
import { realtimePlugin } from './plugins/realtime.ts';
import { casesPlugin } from './plugins/cases.ts';
import { calendarPlugin } from './plugins/calendar.ts';
import { dronesPlugin } from './plugins/drones.ts';
import { caseRoutes } from './routes/cases.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { statusRoutes } from './routes/status.ts';
import { broadcastsPlugin } from './plugins/broadcasts.ts';
import { resourcesPlugin } from './plugins/resources.ts';
import { deviceSettings } from './devices/settings.ts';
import { deviceRoutes } from './routes/devices.ts';
import { registryRoutes } from './routes/registry.ts';
import { RegistryService } from './devices/registry-service.ts';
import { LedgerImport } from './devices/ledger-import.ts';
import { BoundaryImport } from './geography/boundary-import.ts';
import { boundaryRoutes } from './routes/boundaries.ts';
import { videoRoutes } from './routes/video.ts';
import { dutyPlugin } from './plugins/duty.ts';
import { replayPlugin } from './plugins/replay.ts';
import { authPlugin } from './plugins/auth.ts';
import { mediaOriginsOf, securityPlugin } from './plugins/security.ts';
import { limitsPlugin } from './plugins/limits.ts';
import { GatewayRegistry } from './gateways/registry.ts';
import { gatewayRoutes } from './gateways/routes.ts';
import { exchangeRoutes } from './exchange/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { deviceHealthPlugin } from './plugins/device-health.ts';
import { deviceHealthRoutes } from './routes/device-health.ts';
import { errorHandler, sendFailure, strictResponses, validatorCompiler } from './http-errors.ts';
import { lazySerializerCompiler } from './lazy-serializer.ts';

/** The wall clock lives here, at the edge; core/ only ever receives a Clock. */
const systemClock: Clock = { now: () => Date.now() };

export interface AppOptions {
  config: ServerConfig;
  district: District;
  clock?: Clock;
  /** pino logger options, or false for tests. */
  logger?: boolean | object;
  /** Check every JSON reply against its route's response schema, extra fields refused (tests: http-errors.ts strictResponses). */
  strictResponses?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { district } = options;
  const config = resolveConfig(options.config);
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // Requests carrying records must not hang forever on a slow sender.
    requestTimeout: 60_000,
    forceCloseConnections: 'idle',
    // Restoring the projections of a full-scale log (a restarted cluster node under load) takes
    // longer than Fastify's default 10 s per plugin; a plugin that truly hangs still fails, later.
    pluginTimeout: 180_000,
  });
  // Every route's schema is TypeBox's, checked by TypeBox; one handler turns its failures (and a
  // store that cannot write) into the API's { ok: false, code, message } (server/http-errors.ts).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(lazySerializerCompiler);
  app.setErrorHandler(errorHandler);
  // A path no route serves answers like every refusal: a path parameter such as %2e is decoded
  // and normalized by the router into another path (found by server/fuzz.test.ts).
  app.setNotFoundHandler((req, reply) => sendFailure(reply, 'NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`));
  if (options.strictResponses) strictResponses(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Linkage API', description: 'Daguan District smart linkage center: ingest and read models', version: String(PROTOCOL_VERSION) },
      components: { securitySchemes: { gatewayKey: { type: 'apiKey', in: 'header', name: 'x-gateway-key' }, consumerKey: { type: 'apiKey', in: 'header', name: 'x-consumer-key' } } },
    },
  });
  await app.register(securityPlugin, { mediaOrigins: mediaOriginsOf(config.videoUrlTemplate, config.videoStreams), allowedOrigins: config.allowedOrigins });
  await app.register(leadershipPlugin, { databaseUrl: config.databaseUrl });
  await app.register(sqlitePlugin, { dataDir: config.dataDir, synchronous: config.sqliteSynchronous, databaseUrl: config.databaseUrl });
  await app.register(storePlugin, { clock, databaseUrl: config.databaseUrl });
  await app.register(authPlugin, { clock, mode: config.authMode, cookieSecure: config.cookieSecure, databaseUrl: config.databaseUrl });
  await app.register(limitsPlugin, { apiPerMinute: config.apiPerMinute, ingestPerMinute: config.ingestPerMinute });
  await app.register(fieldPlugin, { gatewayKeys: config.gatewayKeys, ...config.mqtt });
  await app.register(projectionsPlugin, { district, clock, checkpointEveryMs: config.checkpointEveryMs, settings: deviceSettings({ sensorRulesFile: config.sensorRulesFile, shifts: config.shifts }) });
  await app.register(auditPlugin, { clock, district, databaseUrl: config.databaseUrl });
  await app.register(calendarPlugin, { calendarFile: config.calendarFile, slaFile: config.slaFile });
  await app.register(casesPlugin, {
    district, clock, escalateEveryMs: config.escalateEveryMs, videoCaseConfidence: config.videoCaseConfidence, dataDir: config.dataDir,
  });
  await app.register(realtimePlugin, { tickMs: config.tickMs, clock, commandsPerSecond: config.commandsPerSecond, allowedOrigins: config.allowedOrigins });
  await app.register(dronesPlugin, { district, clock });
  await app.register(dutyPlugin, {
    clock, poolFile: config.dutyPoolFile, shifts: config.dutyShifts,
  });
  await app.register(deviceHealthPlugin, { clock, everyMs: config.deviceHealthEveryMs, databaseUrl: config.databaseUrl });
  await app.register(replayPlugin, { district, clock });
  await app.register(resourcesPlugin, { district, clock });
  await app.register(broadcastsPlugin, { district, clock, answerWindowMs: config.broadcastAnswerMs, sweepEveryMs: config.broadcastSweepMs, approvalWindowMs: config.broadcastApprovalMs });

  await app.register(
    async (api) => {
      await api.register(statusRoutes, { clock, nodeName: config.nodeName });
      await api.register(authRoutes, { clock, cookieSecure: config.cookieSecure });
      await api.register(gatewayRoutes, { registry: new GatewayRegistry(config.gatewayKeys, config.gatewayKeysFile) });
      await api.register(ingestRoutes, { prefix: '/ingest', gatewayKeys: config.gatewayKeys });
      await api.register(caseRoutes, { clock });
      await api.register(deviceRoutes, { clock });
      await api.register(registryRoutes, { registry: new RegistryService(app.store, app.projector, clock), ledgers: new LedgerImport(app.store, app.projector, clock) });
      await api.register(boundaryRoutes, { boundaries: new BoundaryImport(app.store, app.projector, clock) });
      await api.register(analysisRoutes, { clock });
      await api.register(exchangeRoutes, { clock, consumerKeys: config.cityFeedKeys });
      await api.register(deviceHealthRoutes, { clock });
      // The audit log is the admin's; with AUTH_MODE=declared (development) a screen not signed in may read it too.
      await api.register(auditRoutes, {
        authorize: (req) => (req.signedIn ? (req.signedIn.account.role === 'admin' ? null : 'only an admin reads the audit log') : config.authMode === 'declared' ? null : 'sign in first'),
      });
      await api.register(videoRoutes, { template: config.videoUrlTemplate, streams: config.videoStreams });
      api.get('/docs/json', { config: { read: 'public' }, schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  await app.register(fastifyStatic, { root: config.datasetDir, prefix: '/data/', decorateReply: false, maxAge: '1h' });
  if (existsSync(config.staticDir)) {
    await app.register(fastifyStatic, { root: config.staticDir, prefix: '/', decorateReply: false });
  } else {
    app.log.warn({ staticDir: config.staticDir }, 'dashboard not built (run npm run build): serving the API only');
  }
  return app;
}
