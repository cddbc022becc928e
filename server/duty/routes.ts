// HTTP for the duty context: who is on duty now and next, the roster, assignments, the duty log and
// shift handovers (draft, sign, list). Bodies are checked with the TypeBox schemas of core/duty.ts;
// until accounts exist (issue 6) the caller names its actor in the body.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { DutyAssignSchema, DutyNoteSchema } from '../../core/duty.ts';
import type { Actor } from '../../core/org.ts';
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import { actorBodyProblem } from '../realtime/commands.ts';
import { StoreUnavailableError } from '../store/event-store.ts';
import type { DutyService } from './service.ts';
import { useJsonBodies } from '../routes/json-body.ts';

const STATUS: Record<string, number> = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, INVALID_COMMAND: 422, UNAVAILABLE: 503, BAD_REQUEST: 400 };
const DAY_MS = 86_400_000;

const checkAssign = Compile(Type.Object({ actor: ActorSchema, assign: DutyAssignSchema }, { additionalProperties: false }));
const checkNote = Compile(Type.Object({ actor: ActorSchema, note: DutyNoteSchema }, { additionalProperties: false }));
const checkSign = Compile(
  Type.Object({ actor: ActorSchema, role: Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')]), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
);

/** A time query parameter: UTC ms or an ISO date; the fallback when absent; an error text when bad. */
function timeParam(v: unknown, name: string, fallback: number): number | string {
  if (v === undefined || v === '') return fallback;
  const n = /^\d+$/.test(String(v)) ? Number(v) : Date.parse(String(v));
  return Number.isFinite(n) ? n : `${name} must be UTC milliseconds or an ISO date, got "${String(v)}"`;
}

export const dutyRoutes: FastifyPluginAsync<{ service: DutyService; now: () => number }> = async (app, opts) => {
  const { service } = opts;
  useJsonBodies(app);
  const tags = ['duty'];
  const fail = (reply: FastifyReply, code: string, message: string) => reply.code(STATUS[code] ?? 400).send({ ok: false, code, message });
  /** The body's actor, or what is wrong with the body. */
  const bodyActor = (check: Parameters<typeof actorBodyProblem>[0], body: unknown): Actor | string => actorBodyProblem(check, body) ?? (body as { actor: Actor }).actor;
  const run = async <T>(reply: FastifyReply, fn: () => Promise<Ack<T>>) => {
    try {
      const r = await fn();
      return r.ok ? reply.send(r) : fail(reply, r.code, r.message);
    } catch (error) {
      if (error instanceof StoreUnavailableError) return fail(reply, ERROR_CODES.unavailable, error.message);
      throw error;
    }
  };
  const range = (q: { from?: string; to?: string }, back: number, ahead: number): [number, number] | string => {
    const now = opts.now();
    const from = timeParam(q.from, 'from', now - back);
    const to = timeParam(q.to, 'to', now + ahead);
    if (typeof from === 'string') return from;
    if (typeof to === 'string') return to;
    if (to <= from) return 'to must be after from';
    if (to - from > 62 * DAY_MS) return 'at most 62 days at a time';
    return [from, to];
  };

  // Who is on duty, and the roster: the district center's own staffing, shown on every screen.
  app.get('/duty/now', { config: { read: 'district' }, schema: { summary: 'Who is on duty now and in the next shift', tags } }, async () => ({ ok: true, data: service.now() }));

  app.get('/duty/pool', { config: { read: 'district' }, schema: { summary: 'The people the roster rotates through', tags } }, async () => ({ ok: true, data: service.pool }));

  app.get('/duty/roster', { config: { read: 'district' }, schema: { summary: 'Shifts starting in [from, to) with who is on duty (default: yesterday to a week ahead)', tags } }, async (req, reply) => {
    const r = range(req.query as { from?: string; to?: string }, DAY_MS, 7 * DAY_MS);
    if (typeof r === 'string') return fail(reply, ERROR_CODES.badRequest, r);
    return { ok: true, data: service.roster(r[0], r[1]) };
  });

  app.post('/duty/roster', { config: { read: 'district' }, schema: { summary: 'Change who is on duty in a coming shift: { actor, assign: { shiftStart, leaderId?, dispatcherIds? } }', tags } }, async (req, reply) => {
    const actor = bodyActor(checkAssign, req.body);
    if (typeof actor === 'string') return fail(reply, ERROR_CODES.invalidCommand, actor);
    return run(reply, () => service.assign((req.body as { assign: never }).assign, actor));
  });

  app.get('/duty/log', { config: { read: 'area' }, schema: { summary: 'Duty log entries, newest first (?from, ?to default: the last 24 h; ?caseId)', tags } }, async (req, reply) => {
    const q = req.query as { from?: string; to?: string; caseId?: string };
    const r = range(q, DAY_MS, 60_000);
    if (typeof r === 'string') return fail(reply, ERROR_CODES.badRequest, r);
    return { ok: true, data: await service.notes(r[0], r[1], req.area, q.caseId || undefined) };
  });

  app.post('/duty/log', { config: { read: 'area' }, schema: { summary: 'Record an instruction (领导批示), decision or note, optionally against a case: { actor, note: { kind, text, caseId? } }', tags } }, async (req, reply) => {
    const actor = bodyActor(checkNote, req.body);
    if (typeof actor === 'string') return fail(reply, ERROR_CODES.invalidCommand, actor);
    return run(reply, () => service.note((req.body as { note: never }).note, actor));
  });

  app.get('/duty/handovers', { config: { read: 'area' }, schema: { summary: 'The recent shifts, newest first, with their signatures (?limit, default 14)', tags } }, async (req) => {
    const limit = Math.min(200, Math.max(1, Number((req.query as { limit?: string }).limit ?? 14) || 14));
    return { ok: true, data: service.handovers(limit, req.area) };
  });

  app.get('/duty/handovers/:start', { config: { read: 'area' }, schema: { summary: 'The handover report of the shift starting at :start (UTC ms): frozen once signed, else drafted now', tags } }, async (req, reply) => {
    const start = Number((req.params as { start: string }).start);
    const report = Number.isInteger(start) ? await service.handover(start, req.area) : null;
    if (!report) return fail(reply, ERROR_CODES.notFound, 'no shift starts then, or it has not started yet (take :start from GET /api/duty/handovers)');
    return { ok: true, data: report };
  });

  app.post('/duty/handovers/:start/sign', { config: { read: 'area' }, schema: { summary: 'Sign a handover: { actor, role: outgoing|incoming, note? }; the first signature freezes the report', tags } }, async (req, reply) => {
    const actor = bodyActor(checkSign, req.body);
    if (typeof actor === 'string') return fail(reply, ERROR_CODES.invalidCommand, actor);
    const { role, note } = req.body as { role: 'outgoing' | 'incoming'; note?: string };
    const start = Number((req.params as { start: string }).start);
    if (!Number.isInteger(start)) return fail(reply, ERROR_CODES.badRequest, ':start must be the shift start in UTC ms');
    return run(reply, () => service.sign(start, role, actor, req.area, note));
  });
};
