// HTTP for emergency broadcasts: send (the caller names its actor in the body until accounts exist,
// issue 6), the history of a scope, and one broadcast with every point's answer.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { DISTRICT_CODE, levelOfCode, type Actor } from '../../core/org.ts';
import { broadcastInScope } from '../../core/broadcast.ts';
import { ERROR_CODES } from '../../core/protocol.ts';
import { StoreUnavailableError } from '../store/event-store.ts';
import { actorBodyProblem } from '../realtime/commands.ts';
import type { BroadcastService } from './service.ts';
import { useJsonBodies } from '../routes/json-body.ts';

const STATUS: Record<string, number> = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, INVALID_COMMAND: 422, UNAVAILABLE: 503, BAD_REQUEST: 400 };

/** The actor is checked here (schema, then role and org); the rest of the body by the service, which the socket shares. */
const checkActorBody = Compile(Type.Object({ actor: ActorSchema }));

export const broadcastRoutes: FastifyPluginAsync<{ service: BroadcastService }> = async (app, opts) => {
  const { service } = opts;
  useJsonBodies(app);
  const fail = (reply: FastifyReply, code: string, message: string) => reply.code(STATUS[code] ?? 400).send({ ok: false, code, message });
  const scopeOf = (q: unknown): string | null => {
    const scope = (q as { scope?: string } | undefined)?.scope ?? DISTRICT_CODE;
    return levelOfCode(scope) ? scope : null;
  };
  const tags = ['broadcasts'];

  app.post('/broadcasts', { config: { read: 'area' }, schema: { summary: 'Send an emergency broadcast: { actor, message, selection, broadcastId? }', tags } }, async (req, reply) => {
    const problem = actorBodyProblem(checkActorBody, req.body);
    if (problem) return fail(reply, ERROR_CODES.invalidCommand, problem);
    const { actor, ...rest } = req.body as { actor: Actor };
    try {
      const r = await service.send(rest, actor);
      return r.ok ? reply.send(r) : fail(reply, r.code, r.message);
    } catch (error) {
      if (error instanceof StoreUnavailableError) return fail(reply, ERROR_CODES.unavailable, error.message);
      throw error;
    }
  });

  app.get('/broadcasts', { config: { read: 'area' }, schema: { summary: 'Broadcasts touching a scope, newest first (?scope=, ?limit=)', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (!scope) return fail(reply, ERROR_CODES.badRequest, 'scope must be the district or one of its townships or communities');
    const limit = Math.min(500, Math.max(1, Number((req.query as { limit?: string }).limit ?? 100) || 100));
    return { ok: true, data: app.projector.broadcasts.history(scope, limit) };
  });

  app.get('/broadcasts/:id', { config: { read: 'area' }, schema: { summary: 'One broadcast with the answer of every point', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    const b = app.projector.broadcasts.get((req.params as { id: string }).id);
    if (!b || !scope || !broadcastInScope(scope, b)) return fail(reply, ERROR_CODES.notFound, 'no such broadcast in this scope');
    return { ok: true, data: b };
  });
};
