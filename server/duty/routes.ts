// HTTP for the duty context: who is on duty now and next, the roster, assignments, the duty log and
// shift handovers (draft, sign, list). Bodies are the TypeBox schemas of core/duty.ts, checked by
// Fastify before the handler (server/http-errors.ts); who acts is request.actor (the signed-in
// account, or in declared mode the body's actor).
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { DutyAssignSchema, DutyNoteSchema } from '../../core/duty.ts';
import { ERROR_CODES } from '../../core/protocol.ts';
import type { DutyService } from './service.ts';
import { useJsonBodies } from '../routes/json-body.ts';
import { Ok, replies, sendFailure, sendResult } from '../http-errors.ts';
import { DutyPoolResponse, HandoverListItemSchema, HandoverReportSchema as Report, NoteSchema as Note, ShiftSchema as Shift } from '../schemas/duty.ts';

const DAY_MS = 86_400_000;

/** Who acts: ignored when signed in (the account acts); required in declared mode when nobody is. */
const BodyActor = Type.Optional(ActorSchema);
const AssignBody = Type.Object({ actor: BodyActor, assign: DutyAssignSchema }, { additionalProperties: false });
const NoteBody = Type.Object({ actor: BodyActor, note: DutyNoteSchema }, { additionalProperties: false });
const SignBody = Type.Object({ actor: BodyActor, role: Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')]), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const TimeParam = Type.String({ description: 'UTC ms or an ISO date' });
const Range = { from: Type.Optional(TimeParam), to: Type.Optional(TimeParam) };
const Start = Type.Object({ start: Type.String({ description: 'the shift start, UTC ms' }) });

const acting = { read: 'area', invalid: ERROR_CODES.invalidCommand, acts: true } as const;

/** A time query parameter: UTC ms or an ISO date; the fallback when absent; an error text when bad. */
function timeParam(v: unknown, name: string, fallback: number): number | string {
  if (v === undefined || v === '') return fallback;
  const n = /^\d+$/.test(String(v)) ? Number(v) : Date.parse(String(v));
  return Number.isFinite(n) ? n : `${name} must be UTC milliseconds or an ISO date, got "${String(v)}"`;
}

export const dutyRoutes: FastifyPluginAsync<{ service: DutyService; now: () => number }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { service } = opts;
  useJsonBodies(fastify);
  const tags = ['duty'];
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
  app.get('/duty/now', {
    config: { read: 'district' },
    schema: { summary: 'Who is on duty now and in the next shift', tags, response: replies(Ok(Type.Object({ current: Shift, next: Shift }))) },
  }, async () => ({ ok: true as const, data: service.now() }));

  app.get('/duty/pool', {
    config: { read: 'district' },
    schema: { summary: 'The people the roster rotates through', tags, response: replies(Ok(DutyPoolResponse)) },
  }, async () => ({ ok: true as const, data: service.pool }));

  app.get('/duty/roster', {
    config: { read: 'district' },
    schema: { summary: 'Shifts starting in [from, to) with who is on duty (default: yesterday to a week ahead)', tags, querystring: Type.Object(Range), response: replies(Ok(Type.Array(Shift))) },
  }, async (req, reply) => {
    const r = range(req.query, DAY_MS, 7 * DAY_MS);
    if (typeof r === 'string') return sendFailure(reply, ERROR_CODES.badRequest, r);
    return { ok: true as const, data: service.roster(r[0], r[1]) };
  });

  app.post('/duty/roster', {
    config: { ...acting, read: 'district' },
    schema: { summary: 'Change who is on duty in a coming shift: { actor?, assign: { shiftStart, leaderId?, dispatcherIds? } }', tags, body: AssignBody, response: replies(Ok(Shift)) },
  }, async (req, reply) => sendResult(reply, await service.assign(req.body.assign, req.actor!)));

  app.get('/duty/log', {
    config: { read: 'area' },
    schema: { summary: 'Duty log entries, newest first (?from, ?to default: the last 24 h; ?caseId)', tags, querystring: Type.Object({ ...Range, caseId: Type.Optional(Type.String({ maxLength: 64 })), scope: Type.Optional(Type.String()) }), response: replies(Ok(Type.Array(Note))) },
  }, async (req, reply) => {
    const r = range(req.query, DAY_MS, 60_000);
    if (typeof r === 'string') return sendFailure(reply, ERROR_CODES.badRequest, r);
    return { ok: true as const, data: await service.notes(r[0], r[1], req.area, req.query.caseId || undefined) };
  });

  app.post('/duty/log', {
    config: acting,
    schema: { summary: 'Record an instruction (领导批示), decision or note, optionally against a case: { actor?, note: { kind, text, caseId? } }', tags, body: NoteBody, response: replies(Ok(Note)) },
  }, async (req, reply) => sendResult(reply, await service.note(req.body.note, req.actor!)));

  app.get('/duty/handovers', {
    config: { read: 'area' },
    schema: { summary: 'The recent shifts, newest first, with their signatures (?limit, default 14)', tags, querystring: Type.Object({ limit: Type.Optional(Type.String()), scope: Type.Optional(Type.String()) }), response: replies(Ok(Type.Array(HandoverListItemSchema))) },
  }, async (req) => {
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 14) || 14));
    return { ok: true as const, data: service.handovers(limit, req.area) };
  });

  app.get('/duty/handovers/:start', {
    config: { read: 'area' },
    schema: { summary: 'The handover report of the shift starting at :start (UTC ms): frozen once signed, else drafted now', tags, params: Start, querystring: Type.Object({ scope: Type.Optional(Type.String()) }), response: replies(Ok(Report)) },
  }, async (req, reply) => {
    const start = Number(req.params.start);
    const report = Number.isInteger(start) ? await service.handover(start, req.area) : null;
    if (!report) return sendFailure(reply, ERROR_CODES.notFound, 'no shift starts then, or it has not started yet (take :start from GET /api/duty/handovers)');
    return { ok: true as const, data: report };
  });

  app.post('/duty/handovers/:start/sign', {
    config: acting,
    schema: { summary: 'Sign a handover: { actor?, role: outgoing|incoming, note? }; the first signature freezes the report', tags, params: Start, body: SignBody, response: replies(Ok(Report)) },
  }, async (req, reply) => {
    const start = Number(req.params.start);
    if (!Number.isInteger(start)) return sendFailure(reply, ERROR_CODES.badRequest, ':start must be the shift start in UTC ms');
    return sendResult(reply, await service.sign(start, req.body.role, req.actor!, req.area, req.body.note));
  });
};
