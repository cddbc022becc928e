// GET /api/audit: the audit log for an administrator, newest first, filtered and paged back by seq.
// Who may read it is the accounts' business: they pass `authorize` (issue 6); without it the route is open.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Ok, replies, sendFailure } from '../http-errors.ts';
import { AuditEntrySchema } from '../schemas/status.ts';

export interface AuditRoutesOptions {
  /** Returns why the request may not read the audit log (answered 403), or null to let it. */
  authorize?: (req: FastifyRequest) => string | null;
}

const MAX_LIMIT = 1000;
const PARAMS = ['from', 'to', 'actor', 'action', 'scope', 'subject', 'limit', 'before'];
const Millis = (description: string) => Type.Integer({ minimum: 0, description });

export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/audit',
    {
      config: { read: 'admin' },
      schema: {
        summary: 'Audit log entries, newest first: who did what, where, when, before/after, chained by hash',
        tags: ['audit'],
        querystring: Type.Object(
          {
            from: Type.Optional(Millis('entries at or after this time (UTC ms)')),
            to: Type.Optional(Millis('entries before this time (UTC ms)')),
            actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'actor id' })),
            action: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*(:[a-z0-9-]+)?$', description: '"case:dispatch" exactly, or "case" for every case action' })),
            scope: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$', description: 'district, township or community code: entries concerning that area or inside it' })),
            subject: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'entity id (case, whistle, account...)' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: 'default 100' })),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'only entries with a smaller seq: pass the previous answer\'s `next`' })),
          },
          // Open: the handler names an unknown (misspelt) parameter itself, with the list of known ones.
        ),
        response: replies(Ok(Type.Object({
          entries: Type.Array(AuditEntrySchema),
          next: Type.Union([Type.Number(), Type.Null()], { description: 'pass as ?before= for the next page; null when nothing older matches' }),
        }))),
      },
      preHandler: async (req, reply) => {
        const refused = opts.authorize?.(req) ?? null;
        if (refused !== null) return sendFailure(reply, 'FORBIDDEN', refused);
      },
    },
    async (req, reply) => {
      // For a filter, a misspelt parameter must not widen the answer silently.
      const unknown = [...new URL(req.url, 'http://local').searchParams.keys()].filter((k) => !PARAMS.includes(k));
      if (unknown.length > 0) return sendFailure(reply, 'BAD_REQUEST', `unknown parameter "${unknown[0]}": expected ${PARAMS.join(', ')}`);
      const q = req.query;
      if (q.from !== undefined && q.to !== undefined && q.from >= q.to) return sendFailure(reply, 'BAD_REQUEST', 'from must be before to');
      const limit = q.limit ?? 100;
      // The audit writes this node has queued are in the answer (they trail the commits' acknowledgement).
      await app.audit.idle();
      const entries = await app.audit.log.query({ ...q, limit });
      // Fewer than asked: nothing older matches.
      return { ok: true as const, data: { entries, next: entries.length === limit ? entries[entries.length - 1].seq : null } };
    },
  );
};
