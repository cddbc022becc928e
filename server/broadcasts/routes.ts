// HTTP for emergency broadcasts: send (who acts is request.actor: the signed-in account, or in
// declared mode the body's actor), the history of a scope, and one broadcast with every point's answer;
// requests for 紧急/特急 broadcasts, their approval or rejection by a duty leader, and a scope's requests.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { DISTRICT_CODE, levelOfCode } from '../../core/org.ts';
import { BroadcastSendSchema, broadcastInScope } from '../../core/broadcast.ts';
import { ERROR_CODES } from '../../core/protocol.ts';
import type { BroadcastService } from './service.ts';
import type { BroadcastApprovals } from './approvals.ts';
import { ApproveRequestSchema, RejectRequestSchema } from '../../core/broadcast-approval.ts';
import { useJsonBodies } from '../routes/json-body.ts';
import { Ok, bodyCheckedBy, firstProblem, replies, sendFailure, sendResult } from '../http-errors.ts';
import { BroadcastSchema as Broadcast, BroadcastRequestSchema as Request, BroadcastSummarySchema as Summary } from '../schemas/broadcasts.ts';

/** What a send says: the message, where, and (declared mode, nobody signed in) who sends it. */
const SendBody = Type.Object({ actor: Type.Optional(ActorSchema), ...BroadcastSendSchema.properties }, { additionalProperties: false });
/**
 * The actor is checked here; the rest of the body by the service, which the socket shares and
 * whose messages name the selection's own variant (a union the schema alone would answer vaguely).
 */
const checkActor = Compile(Type.Object({ actor: Type.Optional(ActorSchema) }));
const Scope = { scope: Type.Optional(Type.String({ description: 'district, township or community code (default: the district)' })) };

/** The decisions' bodies: who decides (declared mode) and, for a rejection, why. */
const ApproveBody = Type.Object({ actor: Type.Optional(ActorSchema) }, { additionalProperties: false });
const RejectBody = Type.Object({ actor: Type.Optional(ActorSchema), reason: RejectRequestSchema.properties.reason }, { additionalProperties: false });
const RequestId = Type.Object({ id: ApproveRequestSchema.properties.broadcastId });

export const broadcastRoutes: FastifyPluginAsync<{ service: BroadcastService; approvals: BroadcastApprovals; now: () => number }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { service, approvals } = opts;
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

  app.post('/broadcasts/requests', {
    config: { read: 'area', invalid: ERROR_CODES.invalidCommand, acts: true },
    validatorCompiler: bodyCheckedBy((body) => firstProblem(checkActor, body)),
    schema: { summary: 'Request a 紧急/特急 broadcast, pending a duty leader\'s approval: { actor?, message, selection, broadcastId? }', tags, body: SendBody, response: replies(Ok(Request)) },
  }, async (req, reply) => {
    const { actor: _declared, ...rest } = req.body;
    return sendResult(reply, await approvals.request(rest, req.actor!));
  });

  app.post('/broadcasts/requests/:id/approve', {
    config: { read: 'area', invalid: ERROR_CODES.invalidCommand, acts: true },
    schema: { summary: 'A duty leader (not the requester) approves a request: the broadcast is sent', tags, params: RequestId, body: ApproveBody, response: replies(Ok(Summary)) },
  }, async (req, reply) => sendResult(reply, await approvals.approve(req.params.id, req.actor!)));

  app.post('/broadcasts/requests/:id/reject', {
    config: { read: 'area', invalid: ERROR_CODES.invalidCommand, acts: true },
    schema: { summary: 'A duty leader (not the requester) rejects a request with a reason: nothing is sent', tags, params: RequestId, body: RejectBody, response: replies(Ok(Request)) },
  }, async (req, reply) => sendResult(reply, await approvals.reject(req.params.id, req.body.reason, req.actor!)));

  app.get('/broadcasts/requests', {
    config: { read: 'area' },
    schema: { summary: 'Broadcast requests touching a scope: pending ones and those of the last 24 h, newest first (?scope=)', tags, querystring: Type.Object(Scope), response: replies(Ok(Type.Array(Request))) },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (!scope) return sendFailure(reply, ERROR_CODES.badRequest, 'scope must be the district or one of its townships or communities');
    return { ok: true as const, data: app.projector.broadcastRequests.visible(scope, opts.now()) };
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
