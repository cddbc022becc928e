// Bounded context: device credentials (admin). Under /api/gateways. Keys are shown once, at issue.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DISTRICT_CODE } from '../../core/org.ts';
import { auditActorOf } from '../../core/accounts.ts';
import { GATEWAY_NAME_PATTERN, type GatewayRegistry, type GatewayResult } from './registry.ts';
import { Ok, replies, sendFailure, sendResult } from '../http-errors.ts';
import { GatewayListSchema, IssuedKeySchema, RevokedSchema } from '../schemas/gateways.ts';

export const gatewayRoutes: FastifyPluginAsync<{ registry: GatewayRegistry }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { registry } = opts;
  const send = <T>(reply: FastifyReply, r: GatewayResult<T>) => sendResult(reply, r);
  const admin = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.signedIn) return sendFailure(reply, 'UNAUTHORIZED', 'sign in first');
    if (req.signedIn.account.role !== 'admin') return sendFailure(reply, 'FORBIDDEN', 'only an admin manages gateway keys');
  };
  const audit = (req: FastifyRequest, action: string, subject: string, after: unknown) =>
    app.audit.record({ action, actor: auditActorOf(req.signedIn!.account), scope: DISTRICT_CODE, subject, after });

  app.get('/gateways', { config: { read: 'admin' }, preHandler: admin, schema: { summary: 'Gateways with keys (names only) and whether keys can be issued here', tags: ['gateways'], response: replies(Ok(GatewayListSchema)) } }, async () =>
    ({ ok: true as const, data: { managed: registry.managed, gateways: registry.list() } }));

  app.post('/gateways', {
    config: { read: 'admin' },
    preHandler: admin,
    schema: { summary: 'Issue a key for a new gateway (admin); the key is returned once', tags: ['gateways'], body: Type.Object({ name: Type.String({ maxLength: 64 }) }, { additionalProperties: false }), response: replies(Ok(IssuedKeySchema)) },
  }, async (req, reply) => {
    const r = registry.issue(req.body.name);
    if (r.ok) await audit(req, 'gateway:issue', r.data.name, { name: r.data.name });
    return send(reply, r);
  });

  app.delete('/gateways/:name', {
    config: { read: 'admin' },
    preHandler: admin,
    schema: { summary: 'Revoke a gateway\'s keys (admin): its HTTP ingest and MQTT connections are refused from now on', tags: ['gateways'], params: Type.Object({ name: Type.String({ pattern: GATEWAY_NAME_PATTERN }) }), response: replies(Ok(RevokedSchema)) },
  }, async (req, reply) => {
    const r = registry.revoke(req.params.name);
    if (!r.ok) return send(reply, r);
    const disconnected = app.field.disconnectGateway(req.params.name);
    await audit(req, 'gateway:revoke', req.params.name, { keysRevoked: r.data.keysRevoked, disconnected });
    return { ok: true as const, data: { ...r.data, disconnected } };
  });
};
