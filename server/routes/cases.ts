// Bounded context: the closed loop over HTTP — case commands and reports from field apps and
// integrations, whistles, alarm actions, and the read models (queues, a case with its timeline,
// the standard indicators). Bodies are validated with the shared TypeBox schemas; every error says
// what was wrong. Until accounts exist (issue 6) the caller names its actor in the body.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Compile } from 'typebox/compile';
import { computeKpis, kpisBy, type KpiGroupKey } from '../../core/cases/kpi.ts';
import { AlarmCommandRequestSchema, AlarmCommandSchema, AttachmentRequestSchema, CaseCommandRequestSchema, CaseReportRequestSchema, WhistleCommandRequestSchema, WhistleCommandSchema } from '../../core/cases/schemas.ts';
import type { CaseCommand, CaseReport } from '../../core/cases/model.ts';
import { DISTRICT_CODE, levelOfCode, scopeOf as actorScope, type Actor } from '../../core/org.ts';
import { ERROR_CODES } from '../../core/protocol.ts';
import { departmentScores, type WhistleCommand } from '../../core/whistle.ts';
import type { Clock } from '../../core/domain.ts';
import { placeInScope } from '../../core/org.ts';
import { actorBodyProblem, caseCommandProblem } from '../realtime/commands.ts';
import type { Result } from '../cases/service.ts';
import { ATTACHMENT_TYPES } from '../cases/attachments.ts';
import { StoreUnavailableError } from '../store/event-store.ts';
import { useJsonBodies } from './json-body.ts';
import { unionProblem } from '../ingest/record-check.ts';

const STATUS: Record<string, number> = {
  FORBIDDEN: 403, NOT_FOUND: 404, INVALID_TRANSITION: 409, CONFLICT: 409, INVALID_COMMAND: 422, UNAVAILABLE: 503, BAD_REQUEST: 400,
};

const checkCommand = Compile(CaseCommandRequestSchema);
const checkReport = Compile(CaseReportRequestSchema);
const checkWhistle = Compile(WhistleCommandRequestSchema);
const checkAlarm = Compile(AlarmCommandRequestSchema);
const checkAttachment = Compile(AttachmentRequestSchema);
// Checked against the variant the command's type names, so an error names that variant's field.
const whistleCommandProblem = unionProblem(WhistleCommandSchema);
const alarmCommandProblem = unionProblem(AlarmCommandSchema);
/** The variant's problem when the body carries a command object (else the whole body's schema speaks). */
const commandProblem = (check: ReturnType<typeof unionProblem>, body: unknown): string | null => {
  const command = body && typeof body === 'object' ? (body as { command?: unknown }).command : undefined;
  return command && typeof command === 'object' ? check(command, '/command') : null;
};

export const caseRoutes: FastifyPluginAsync<{ clock: Clock }> = async (app, opts) => {
  const { projector, caseService, whistleService, alarmService } = app;
  useJsonBodies(app);

  const fail = (reply: FastifyReply, code: string, message: string) => reply.code(STATUS[code] ?? 400).send({ ok: false, code, message });
  const send = async <T>(reply: FastifyReply, run: () => Promise<Result<T>>) => {
    try {
      const r = await run();
      return r.ok ? reply.send(r) : fail(reply, r.code, r.message);
    } catch (error) {
      if (error instanceof StoreUnavailableError) return fail(reply, ERROR_CODES.unavailable, error.message);
      throw error;
    }
  };
  const bodyProblem = actorBodyProblem; // schema, then the actor (server/realtime/commands.ts)
  const scopeOf = (q: unknown): string | { error: string } => {
    const scope = (q as { scope?: string }).scope ?? DISTRICT_CODE;
    return levelOfCode(scope) ? scope : { error: `scope "${scope}" is not the district (${DISTRICT_CODE}) or one of its townships or communities` };
  };
  const tags = ['cases'];

  app.post('/cases', { config: { read: 'area' }, schema: { summary: 'Report a new case (operator or field worker)', tags } }, async (req, reply) => {
    const problem = bodyProblem(checkReport, req.body);
    if (problem) return fail(reply, ERROR_CODES.invalidCommand, problem);
    const { actor, report } = req.body as { actor: Actor; report: CaseReport };
    if (actor.role === 'display') return fail(reply, ERROR_CODES.forbidden, 'a display screen cannot report cases');
    if (report.source === 'video-ai' || report.source === 'sensor') return fail(reply, ERROR_CODES.invalidCommand, 'video-ai and sensor cases come from devices, not from people');
    const area = actorScope(actor);
    const existing = projector.cases.get(report.id);
    if (existing && !placeInScope(area, existing)) return fail(reply, ERROR_CODES.forbidden, `case ${report.id} exists outside your area`);
    if (!placeInScope(area, app.projector.district.resolvePlace(report.lon, report.lat))) return fail(reply, ERROR_CODES.forbidden, `the location is outside your area (${area})`);
    return send(reply, () => caseService.report(report, actor));
  });

  app.post<{ Params: { id: string } }>('/cases/:id/commands', { config: { read: 'area' }, schema: { summary: 'Give a case a command (file, dispatch, accept, feedback, recheck, close, ...)', tags } }, async (req, reply) => {
    const problem = caseCommandProblem((req.body as { command?: unknown } | null)?.command, '/command') ?? bodyProblem(checkCommand, req.body);
    if (problem) return fail(reply, ERROR_CODES.invalidCommand, problem);
    const { actor, command, expectedVersion } = req.body as { actor: Actor; command: CaseCommand; expectedVersion?: number };
    return send(reply, () => caseService.command(req.params.id, command, actor, expectedVersion));
  });

  app.get<{ Querystring: { scope?: string; open?: string; limit?: string } }>('/cases', { config: { read: 'area' }, schema: { summary: 'Cases in a scope: open ones (open=1) or the screen view', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return fail(reply, ERROR_CODES.badRequest, scope.error);
    const limit = Math.min(Math.max(Number(req.query.limit) || 5000, 1), 20_000);
    const list = req.query.open === '1' ? projector.cases.open(scope) : projector.cases.visible(scope, opts.clock.now());
    return { ok: true, data: list.slice(0, limit) };
  });

  app.get<{ Params: { id: string }; Querystring: { scope?: string } }>('/cases/:id', { config: { read: 'area' }, schema: { summary: 'One case with its timeline', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return fail(reply, ERROR_CODES.badRequest, scope.error);
    const c = projector.cases.get(req.params.id);
    if (!c) return fail(reply, ERROR_CODES.notFound, `no case ${req.params.id}`);
    if (!placeInScope(scope, c)) return fail(reply, ERROR_CODES.forbidden, `case ${c.id} is outside ${scope}`);
    return { ok: true, data: { case: c, timeline: await caseService.timeline(c.id) } };
  });

  app.post<{ Params: { id: string } }>(
    '/cases/:id/attachments',
    { config: { read: 'area' }, bodyLimit: 8 * 1024 * 1024, schema: { summary: `Attach a photo or document (${ATTACHMENT_TYPES.join(', ')}; at most 5 MB) as base64`, tags } },
    async (req, reply) => {
      const problem = bodyProblem(checkAttachment, req.body);
      if (problem) return fail(reply, ERROR_CODES.invalidCommand, problem);
      const { actor, name, type, data } = req.body as { actor: Actor; name: string; type: string; data: string };
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return fail(reply, ERROR_CODES.invalidCommand, '/data must be base64');
      return send(reply, () => app.attachments.add(req.params.id, actor, type, Buffer.from(data, 'base64'), name));
    },
  );

  app.get<{ Params: { id: string; file: string }; Querystring: { scope?: string } }>('/cases/:id/attachments/:file', { config: { read: 'area' }, schema: { summary: 'An attachment of a case', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return fail(reply, ERROR_CODES.badRequest, scope.error);
    const c = projector.cases.get(req.params.id);
    if (!c) return fail(reply, ERROR_CODES.notFound, `no case ${req.params.id}`);
    if (!placeInScope(scope, c)) return fail(reply, ERROR_CODES.forbidden, `case ${c.id} is outside ${scope}`);
    const file = app.attachments.read(c.id, req.params.file);
    if (!file) return fail(reply, ERROR_CODES.notFound, `no attachment ${req.params.file} on case ${c.id}`);
    return reply.header('content-type', file.type).header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=86400').send(file.bytes);
  });

  app.get<{ Querystring: { scope?: string; from?: string; to?: string; by?: string } }>(
    '/kpis',
    { config: { read: 'area' }, schema: { summary: 'Standard indicators (结案率, 按期结案率, ...) over cases reported in [from, to), optionally by township, department, source or class', tags } },
    async (req, reply) => {
      const scope = scopeOf(req.query);
      if (typeof scope !== 'string') return fail(reply, ERROR_CODES.badRequest, scope.error);
      const now = opts.clock.now();
      const from = req.query.from === undefined ? now - 30 * 86_400_000 : Number(req.query.from);
      const to = req.query.to === undefined ? now + 1 : Number(req.query.to);
      if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) return fail(reply, ERROR_CODES.badRequest, 'from and to must be UTC milliseconds with from < to');
      const by = req.query.by;
      if (by !== undefined && !['township', 'department', 'source', 'class'].includes(by)) return fail(reply, ERROR_CODES.badRequest, 'by must be one of: township, department, source, class');
      const cases = projector.cases.inPeriod(scope, from, to);
      return { ok: true, data: by ? kpisBy(cases, now, by as KpiGroupKey) : [{ key: 'all', kpis: computeKpis(cases, now) }] };
    },
  );

  app.post('/whistles', { config: { read: 'area' }, schema: { summary: 'Blow a whistle (吹哨) on a case', tags } }, async (req, reply) => {
    const problem = commandProblem(whistleCommandProblem, req.body) ?? bodyProblem(checkWhistle, req.body);
    if (problem) return fail(reply, ERROR_CODES.invalidCommand, problem);
    const { actor, command } = req.body as { actor: Actor; command: WhistleCommand };
    if (command.type !== 'blow') return fail(reply, ERROR_CODES.invalidCommand, 'POST /api/whistles takes a blow command; report-in and close go to /api/whistles/:id/commands');
    return send(reply, () => whistleService.command(command.whistleId, command, actor));
  });

  app.post<{ Params: { id: string } }>('/whistles/:id/commands', { config: { read: 'area' }, schema: { summary: 'Report in (报到) to a whistle or close it', tags } }, async (req, reply) => {
    const problem = commandProblem(whistleCommandProblem, req.body) ?? bodyProblem(checkWhistle, req.body);
    if (problem) return fail(reply, ERROR_CODES.invalidCommand, problem);
    const { actor, command } = req.body as { actor: Actor; command: WhistleCommand };
    if (command.type === 'blow') return fail(reply, ERROR_CODES.invalidCommand, 'blow a whistle with POST /api/whistles');
    return send(reply, () => whistleService.command(req.params.id, command, actor));
  });

  app.get<{ Querystring: { scope?: string } }>('/whistles', { config: { read: 'area' }, schema: { summary: 'Open whistles and those closed in the last 24 h', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return fail(reply, ERROR_CODES.badRequest, scope.error);
    return { ok: true, data: projector.whistles.visible((w) => projector.whistleInScope(scope, w), opts.clock.now()) };
  });

  app.get<{ Querystring: { scope?: string } }>('/whistles/scores', { config: { read: 'area' }, schema: { summary: 'Report-in rate (报到率) and cooperation (配合度) per department', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return fail(reply, ERROR_CODES.badRequest, scope.error);
    const inScope = [...projector.whistles.all()].filter((w) => projector.whistleInScope(scope, w));
    return { ok: true, data: departmentScores(inScope, opts.clock.now()) };
  });

  app.post<{ Params: { id: string } }>('/alarms/:id/commands', { config: { read: 'area' }, schema: { summary: 'Acknowledge or clear an alarm', tags } }, async (req, reply) => {
    const problem = commandProblem(alarmCommandProblem, req.body) ?? bodyProblem(checkAlarm, req.body);
    if (problem) return fail(reply, ERROR_CODES.invalidCommand, problem);
    const { actor, command } = req.body as { actor: Actor; command: { type: 'acknowledge' | 'clear'; note?: string } };
    return send(reply, () => alarmService.act(req.params.id, command.type, actor, command.note));
  });

  app.get<{ Querystring: { scope?: string } }>('/alarms', { config: { read: 'area' }, schema: { summary: 'Open alarms and those cleared in the last hour', tags } }, async (req, reply) => {
    const scope = scopeOf(req.query);
    if (typeof scope !== 'string') return fail(reply, ERROR_CODES.badRequest, scope.error);
    return { ok: true, data: projector.alarms.visible((a) => placeInScope(scope, a), opts.clock.now()) };
  });
};
