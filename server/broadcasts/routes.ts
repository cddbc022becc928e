// HTTP for emergency broadcasts: send (who acts is request.actor: the signed-in account, or in
// declared mode the body's actor), the history of a scope, and one broadcast with every point's answer.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { DISTRICT_CODE, levelOfCode } from '../../core/org.ts';
import { BroadcastSendSchema, broadcastInScope } from '../../core/broadcast.ts';
import { ERROR_CODES } from '../../core/protocol.ts';
import type { BroadcastService } from './service.ts';
import { useJsonBodies } from '../routes/json-body.ts';
import { Ok, bodyCheckedBy, firstProblem, replies, sendFailure, sendResult } from '../http-errors.ts';
import { BroadcastSchema as Broadcast, BroadcastSummarySchema as Summary } from '../schemas/broadcasts.ts';

/** What a send says: the message, where, and (declared mode, nobody signed in) who sends it. */
const SendBody = Type.Object({ actor: Type.Optional(ActorSchema), ...BroadcastSendSchema.properties }, { additionalProperties: false });
/**
 * The actor is checked here; the rest of the body by the service, which the socket shares and
 * whose messages name the selection's own variant (a union the schema alone would answer vaguely).
 */
const checkActor = Compile(Type.Object({ actor: Type.Optional(ActorSchema) }));
const Scope = { scope: Type.Optional(Type.String({ description: 'district, township or community code (default: the district)' })) };

export const broadcastRoutes: FastifyPluginAsync<{ service: BroadcastService }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { service } = opts;
  useJsonBodies(fastify);
  const scopeOf = (q: { scope?: string }): string | null => {
    const scope = q.scope ?? DISTRICT_CODE;
    return levelOfCode(scope) ? scope : null;
  };
  const tags = ['broadcasts'];

  app.post('/broadcasts', {
    config: { read: 'area', invalid: ERROR_CODES.invalidCommand, acts: true },
    validatorCompiler: bodyCheckedBy((body) => firstProblem(checkActor, body)),
    schema: { summary: 'Send an emergency broadcast: { actor?, message, selection, broadcastId? }', tags, body: SendBody, response: replies(Ok(Summary)) },
  }, async (req, reply) => {
    const { actor: _declared, ...rest } = req.body;
    return sendResult(reply, await service.send(rest, req.actor!));
  });

  app.get('/broadcasts', {
    config: { read: 'area' },
    schema: { summary: 'Broadcasts touching a scope, newest first (?scope=, ?limit=)', tags, querystring: Type.Object({ ...Scope, limit: Type.Optional(Type.String()) }), response: replies(Ok(Type.Array(Summary))) },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (!scope) return sendFailure(reply, ERROR_CODES.badRequest, 'scope must be the district or one of its townships or communities');
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    return { ok: true as const, data: app.projector.broadcasts.history(scope, limit) };
  });

  app.get('/broadcasts/:id', {
    config: { read: 'area' },
    schema: { summary: 'One broadcast with the answer of every point', tags, params: Type.Object({ id: Type.String() }), querystring: Type.Object(Scope), response: replies(Ok(Broadcast)) },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    const b = app.projector.broadcasts.get(req.params.id);
    if (!b || !scope || !broadcastInScope(scope, b)) return sendFailure(reply, ERROR_CODES.notFound, 'no such broadcast in this scope');
    return { ok: true as const, data: b };
  });
};
