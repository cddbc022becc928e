// Bounded context: the closed loop over HTTP — case commands and reports from field apps and
// integrations, whistles, alarm actions, and the read models (queues, a case with its timeline,
// the standard indicators). Bodies are validated with the shared TypeBox schemas; every error says
// what was wrong. Until accounts exist (issue 6) the caller names its actor in the body.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { computeKpis, kpisBy, type KpiGroupKey } from '../../core/cases/kpi.ts';
import { ActorSchema, AlarmCommandRequestSchema, AlarmCommandSchema, AttachmentRequestSchema, CaseCommandRequestSchema, CaseReportRequestSchema, WhistleCommandRequestSchema, WhistleCommandSchema } from '../../core/cases/schemas.ts';
import type { CaseCommand, CaseReport } from '../../core/cases/model.ts';
import { DISTRICT_CODE, levelOfCode, scopeOf as actorScope } from '../../core/org.ts';
import { ERROR_CODES } from '../../core/protocol.ts';
import { departmentScores, type WhistleCommand } from '../../core/whistle.ts';
import type { Clock } from '../../core/domain.ts';
import { placeInScope } from '../../core/org.ts';
import { caseCommandProblem } from '../realtime/commands.ts';
import { ATTACHMENT_TYPES } from '../cases/attachments.ts';
import { useJsonBodies } from './json-body.ts';
import { unionProblem } from '../ingest/record-check.ts';
import { FAILURES, Ok, bodyCheckedBy, firstProblem, replies, sendFailure, sendResult } from '../http-errors.ts';
import { AlarmSchema as Alarm, CaseDetailSchema, CaseSchema as Case, DepartmentScoreSchema, KpiGroupSchema, WhistleSchema as Whistle } from '../schemas/cases.ts';

// The request schemas with the actor left optional: signed in, the account acts (request.actor).
const Actor = { actor: Type.Optional(ActorSchema) };
const closed = { additionalProperties: false } as const;
const ReportBody = Type.Object({ ...CaseReportRequestSchema.properties, ...Actor }, closed);
const CommandBody = Type.Object({ ...CaseCommandRequestSchema.properties, ...Actor }, closed);
const WhistleBody = Type.Object({ ...WhistleCommandRequestSchema.properties, ...Actor }, closed);
const AlarmBody = Type.Object({ ...AlarmCommandRequestSchema.properties, ...Actor }, closed);
const AttachmentBody = Type.Object({ ...AttachmentRequestSchema.properties, ...Actor }, closed);

const checkCommand = Compile(CommandBody);
const checkWhistle = Compile(WhistleBody);
const checkAlarm = Compile(AlarmBody);
// Checked against the variant the command's type names, so an error names that variant's field.
const whistleCommandProblem = unionProblem(WhistleCommandSchema);
const alarmCommandProblem = unionProblem(AlarmCommandSchema);
/** The variant's problem when the body carries a command object (else the whole body's schema speaks). */
const commandProblem = (check: ReturnType<typeof unionProblem>, body: unknown): string | null => {
  const command = body && typeof body === 'object' ? (body as { command?: unknown }).command : undefined;
  return command && typeof command === 'object' ? check(command, '/command') : null;
};
const commandBodyProblem = (body: unknown) => caseCommandProblem((body as { command?: unknown } | null)?.command, '/command') ?? firstProblem(checkCommand, body);
const whistleBodyProblem = (body: unknown) => commandProblem(whistleCommandProblem, body) ?? firstProblem(checkWhistle, body);
const alarmBodyProblem = (body: unknown) => commandProblem(alarmCommandProblem, body) ?? firstProblem(checkAlarm, body);

const Id = Type.Object({ id: Type.String() });
const Scope = { scope: Type.Optional(Type.String({ description: 'district, township or community code (default: the district, or the account\'s area)' })) };
const acting = { read: 'area', invalid: ERROR_CODES.invalidCommand, acts: true } as const;

export const caseRoutes: FastifyPluginAsync<{ clock: Clock }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { projector, caseService, whistleService, alarmService } = app;
  useJsonBodies(fastify);

  const scopeOf = (q: { scope?: string }): string | { error: string } => {
    const scope = q.scope ?? DISTRICT_CODE;
    return levelOfCode(scope) ? scope : { error: `scope "${scope}" is not the district (${DISTRICT_CODE}) or one of its townships or communities` };
  };
  const tags = ['cases'];

  app.post('/cases', {
    config: acting,
    schema: { summary: 'Report a new case (operator or field worker)', tags, body: ReportBody, response: replies(Ok(Case)) },
  }, async (req, reply) => {
    const actor = req.actor!;
    const report = req.body.report as CaseReport;
    if (actor.role === 'display') return sendFailure(reply, ERROR_CODES.forbidden, 'a display screen cannot report cases');
    if (report.source === 'video-ai' || report.source === 'sensor') return sendFailure(reply, ERROR_CODES.invalidCommand, 'video-ai and sensor cases come from devices, not from people');
    const area = actorScope(actor);
    const existing = projector.cases.get(report.id);
    if (existing && !placeInScope(area, existing)) return sendFailure(reply, ERROR_CODES.forbidden, `case ${report.id} exists outside your area`);
    if (!placeInScope(area, app.projector.district.resolvePlace(report.lon, report.lat))) return sendFailure(reply, ERROR_CODES.forbidden, `the location is outside your area (${area})`);
    return sendResult(reply, await caseService.report(report, actor));
  });

  app.post('/cases/:id/commands', {
    config: acting,
    validatorCompiler: bodyCheckedBy(commandBodyProblem),
    schema: { summary: 'Give a case a command (file, dispatch, accept, feedback, recheck, close, ...)', tags, params: Id, body: CommandBody, response: replies(Ok(Case)) },
  }, async (req, reply) => {
    const { command, expectedVersion } = req.body;
    return sendResult(reply, await caseService.command(req.params.id, command as CaseCommand, req.actor!, expectedVersion));
  });

  app.get('/cases', {
    config: { read: 'area' },
    schema: {
      summary: 'Cases in a scope: open ones (open=1) or the screen view', tags,
      querystring: Type.Object({ ...Scope, open: Type.Optional(Type.String({ description: '1: the open cases only' })), limit: Type.Optional(Type.String({ description: 'at most this many (default 5000, at most 20000)' })) }),
      response: replies(Ok(Type.Array(Case))),
    },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return sendFailure(reply, ERROR_CODES.badRequest, scope.error);
    const limit = Math.min(Math.max(Number(req.query.limit) || 5000, 1), 20_000);
    const list = req.query.open === '1' ? projector.cases.open(scope) : projector.cases.visible(scope, opts.clock.now());
    return { ok: true as const, data: list.slice(0, limit) };
  });

  app.get('/cases/:id', {
    config: { read: 'area' },
    schema: { summary: 'One case with its timeline', tags, params: Id, querystring: Type.Object(Scope), response: replies(Ok(CaseDetailSchema)) },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return sendFailure(reply, ERROR_CODES.badRequest, scope.error);
    const c = projector.cases.get(req.params.id);
    if (!c) return sendFailure(reply, ERROR_CODES.notFound, `no case ${req.params.id}`);
    if (!placeInScope(scope, c)) return sendFailure(reply, ERROR_CODES.forbidden, `case ${c.id} is outside ${scope}`);
    return { ok: true as const, data: { case: c, timeline: await caseService.timeline(c.id) } };
  });

  app.post('/cases/:id/attachments', {
    config: acting,
    bodyLimit: 8 * 1024 * 1024,
    schema: { summary: `Attach a photo or document (${ATTACHMENT_TYPES.join(', ')}; at most 5 MB) as base64`, tags, params: Id, body: AttachmentBody, response: replies(Ok(Case)) },
  }, async (req, reply) => {
    const { name, type, data } = req.body;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return sendFailure(reply, ERROR_CODES.invalidCommand, '/data must be base64');
    return sendResult(reply, await app.attachments.add(req.params.id, req.actor!, type, Buffer.from(data, 'base64'), name));
  });

  app.get('/cases/:id/attachments/:file', {
    config: { read: 'area' },
    schema: { summary: 'An attachment of a case', tags, params: Type.Object({ id: Type.String(), file: Type.String() }), querystring: Type.Object(Scope), response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the file, with its content type' }), ...FAILURES } },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return sendFailure(reply, ERROR_CODES.badRequest, scope.error);
    const c = projector.cases.get(req.params.id);
    if (!c) return sendFailure(reply, ERROR_CODES.notFound, `no case ${req.params.id}`);
    if (!placeInScope(scope, c)) return sendFailure(reply, ERROR_CODES.forbidden, `case ${c.id} is outside ${scope}`);
    const file = app.attachments.read(c.id, req.params.file);
    if (!file) return sendFailure(reply, ERROR_CODES.notFound, `no attachment ${req.params.file} on case ${c.id}`);
    return reply.header('content-type', file.type).header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=86400').send(file.bytes);
  });

  app.get('/kpis', {
    config: { read: 'area' },
    schema: {
      summary: 'Standard indicators (结案率, 按期结案率, ...) over cases reported in [from, to), optionally by township, department, source or class', tags,
      querystring: Type.Object({ ...Scope, from: Type.Optional(Type.String({ description: 'UTC ms (default: 30 days ago)' })), to: Type.Optional(Type.String({ description: 'UTC ms (default: now)' })), by: Type.Optional(Type.String({ description: 'township, department, source or class' })) }),
      response: replies(Ok(Type.Array(KpiGroupSchema))),
    },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return sendFailure(reply, ERROR_CODES.badRequest, scope.error);
    const now = opts.clock.now();
    const from = req.query.from === undefined ? now - 30 * 86_400_000 : Number(req.query.from);
    const to = req.query.to === undefined ? now + 1 : Number(req.query.to);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) return sendFailure(reply, ERROR_CODES.badRequest, 'from and to must be UTC milliseconds with from < to');
    const by = req.query.by;
    if (by !== undefined && !['township', 'department', 'source', 'class'].includes(by)) return sendFailure(reply, ERROR_CODES.badRequest, 'by must be one of: township, department, source, class');
    const cases = projector.cases.inPeriod(scope, from, to);
    return { ok: true as const, data: by ? kpisBy(cases, now, by as KpiGroupKey) : [{ key: 'all', kpis: computeKpis(cases, now) }] };
  });

  app.post('/whistles', {
    config: acting,
    validatorCompiler: bodyCheckedBy(whistleBodyProblem),
    schema: { summary: 'Blow a whistle (吹哨) on a case', tags, body: WhistleBody, response: replies(Ok(Whistle)) },
  }, async (req, reply) => {
    const command = req.body.command as WhistleCommand;
    if (command.type !== 'blow') return sendFailure(reply, ERROR_CODES.invalidCommand, 'POST /api/whistles takes a blow command; report-in and close go to /api/whistles/:id/commands');
    return sendResult(reply, await whistleService.command(command.whistleId, command, req.actor!));
  });

  app.post('/whistles/:id/commands', {
    config: acting,
    validatorCompiler: bodyCheckedBy(whistleBodyProblem),
    schema: { summary: 'Report in (报到) to a whistle or close it', tags, params: Id, body: WhistleBody, response: replies(Ok(Whistle)) },
  }, async (req, reply) => {
    const command = req.body.command as WhistleCommand;
    if (command.type === 'blow') return sendFailure(reply, ERROR_CODES.invalidCommand, 'blow a whistle with POST /api/whistles');
    return sendResult(reply, await whistleService.command(req.params.id, command, req.actor!));
  });

  app.get('/whistles', {
    config: { read: 'area' },
    schema: { summary: 'Open whistles and those closed in the last 24 h', tags, querystring: Type.Object(Scope), response: replies(Ok(Type.Array(Whistle))) },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return sendFailure(reply, ERROR_CODES.badRequest, scope.error);
    return { ok: true as const, data: projector.whistles.visible((w) => projector.whistleInScope(scope, w), opts.clock.now()) };
  });

  app.get('/whistles/scores', {
    config: { read: 'area' },
    schema: { summary: 'Report-in rate (报到率) and cooperation (配合度) per department', tags, querystring: Type.Object(Scope), response: replies(Ok(Type.Array(DepartmentScoreSchema))) },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return sendFailure(reply, ERROR_CODES.badRequest, scope.error);
    const inScope = [...projector.whistles.all()].filter((w) => projector.whistleInScope(scope, w));
    return { ok: true as const, data: departmentScores(inScope, opts.clock.now()) };
  });

  app.post('/alarms/:id/commands', {
    config: acting,
    validatorCompiler: bodyCheckedBy(alarmBodyProblem),
    schema: { summary: 'Acknowledge or clear an alarm', tags, params: Id, body: AlarmBody, response: replies(Ok(Alarm)) },
  }, async (req, reply) => {
    const { command } = req.body;
    return sendResult(reply, await alarmService.act(req.params.id, command.type, req.actor!, command.note));
  });

  app.get('/alarms', {
    config: { read: 'area' },
    schema: { summary: 'Open alarms and those cleared in the last hour', tags, querystring: Type.Object(Scope), response: replies(Ok(Type.Array(Alarm))) },
  }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return sendFailure(reply, ERROR_CODES.badRequest, scope.error);
    return { ok: true as const, data: projector.alarms.visible((a) => placeInScope(scope, a), opts.clock.now()) };
  });
};
