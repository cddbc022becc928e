// Bounded context: the device registry (admin). Under /api/devices: provision a camera, lookout or
// broadcast point, change it (position, name, stream, AI), retire it. Each is an event in the log
// (core/registry.ts), so every screen, replay and node sees it; the audit log names the admin.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { auditActorOf } from '../../core/accounts.ts';
import { DeviceChangesSchema, DeviceSpecSchema, type RegistryOrigin } from '../../core/registry.ts';
import { Ok, replies, sendFailure, sendResult } from '../http-errors.ts';
import type { RegistryService } from '../devices/registry-service.ts';
import { LedgerApplySchema, LedgerFileSchema, LedgerReportSchema, RegisteredDeviceSchema, RegistryParams, RetireBody } from '../schemas/registry.ts';
import type { LedgerImport } from '../devices/ledger-import.ts';

export const registryRoutes: FastifyPluginAsync<{ registry: RegistryService; ledgers: LedgerImport }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['devices'];
  const admin = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.signedIn) return sendFailure(reply, 'UNAUTHORIZED', 'sign in first');
    if (req.signedIn.account.role !== 'admin') return sendFailure(reply, 'FORBIDDEN', 'only an admin provisions, changes or retires devices');
  };
  const origin = (req: FastifyRequest): RegistryOrigin => ({ actor: auditActorOf(req.signedIn!.account), source: 'admin' });

  app.get('/devices/registry', {
    config: { read: 'admin' }, preHandler: admin,
    schema: { summary: 'Devices provisioned, changed or retired since the dataset (admin)', tags, response: replies(Ok(Type.Array(RegisteredDeviceSchema))) },
  }, async () => ({ ok: true as const, data: app.projector.registry.list() }));

  app.post('/devices', {
    config: { read: 'admin' }, preHandler: admin,
    schema: { summary: 'Provision a device (admin): ingest accepts its id at once, every screen draws it', tags, body: DeviceSpecSchema, response: replies(Ok(RegisteredDeviceSchema)) },
  }, async (req, reply) => sendResult(reply, await opts.registry.provision(req.body, origin(req))));

  app.patch('/devices/:kind/:id', {
    config: { read: 'admin' }, preHandler: admin,
    schema: { summary: 'Change a device (admin): position (WGS84), name, stream URL, AI capability', tags, params: RegistryParams, body: DeviceChangesSchema, response: replies(Ok(RegisteredDeviceSchema)) },
  }, async (req, reply) => sendResult(reply, await opts.registry.update(req.params.kind, req.params.id, req.body, origin(req))));

  app.post('/devices/:kind/:id/retire', {
    config: { read: 'admin' }, preHandler: admin,
    schema: { summary: 'Retire a device (admin): ingest refuses it from now on, screens stop drawing it', tags, params: RegistryParams, body: RetireBody, response: replies(Ok(RegisteredDeviceSchema)) },
  }, async (req, reply) => sendResult(reply, await opts.registry.retire(req.params.kind, req.params.id, req.body.reason, origin(req))));

  // Ledger import (设备台账): a dry run lists every change and every bad row; the apply sends its token back.
  const importLimit = 24 * 1024 * 1024;
  app.post('/devices/import/dry-run', {
    config: { read: 'admin' }, preHandler: admin, bodyLimit: importLimit,
    schema: { summary: 'Dry run of a device ledger (CSV or XLSX, admin): what would be new, updated, unchanged or retired, and every bad row; nothing is applied', tags, body: LedgerFileSchema, response: replies(Ok(LedgerReportSchema)) },
  }, async (req, reply) => sendResult(reply, await opts.ledgers.dryRun(req.body, origin(req))));

  app.post('/devices/import/apply', {
    config: { read: 'admin' }, preHandler: admin, bodyLimit: importLimit,
    schema: { summary: 'Apply a device ledger (admin): the same file and options as the dry run, with its token; bad rows are skipped, a second apply changes nothing', tags, body: LedgerApplySchema, response: replies(Ok(LedgerReportSchema)) },
  }, async (req, reply) => {
    const { token, ...file } = req.body;
    return sendResult(reply, await opts.ledgers.apply(file, token, origin(req)));
  });
};
