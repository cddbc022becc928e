// Commands a dashboard sends over its socket: case actions, new reports, whistles, alarms. Each
// payload is validated against the same TypeBox schema the HTTP routes use; the actor is the
// connection's session, and nothing outside the session's scope can be read or touched.
import { Compile } from 'typebox/compile';
import { CASE_COMMAND_TYPES, type CaseCommand, type CaseReport } from '../../core/cases/model.ts';
import { AlarmCommandSchema, CaseCommandSchema, CaseReportSchema, WhistleCommandSchema } from '../../core/cases/schemas.ts';
import { ERROR_CODES, type Ack, type OperatorCaseCommand } from '../../core/protocol.ts';
import type { WhistleCommand } from '../../core/whistle.ts';
import type { Clock } from '../../core/domain.ts';
import { actorProblem, placeInScope, type Actor } from '../../core/org.ts';
import type { Projector } from '../projections/projector.ts';
import type { AlarmService } from '../cases/alarms.ts';
import type { CaseService } from '../cases/service.ts';
import type { WhistleService } from '../cases/whistles.ts';
import { describeErrors, unionProblem } from '../ingest/record-check.ts';
import type { LinkageSocket } from './hub.ts';

export interface CommandServices {
  cases: CaseService;
  whistles: WhistleService;
  alarms: AlarmService;
  projector: Projector;
  clock: Clock;
}

const checkReport = Compile(CaseReportSchema);
/** Checked against the variant the type names, so an error names that variant's field. */
const whistleProblem = unionProblem(WhistleCommandSchema);
const alarmProblem = unionProblem(AlarmCommandSchema);

type Checker = { Check(v: unknown): boolean; Errors(v: unknown): Iterable<unknown> };
/** null when valid, else a message naming the field. */
export function schemaProblem(check: Checker, value: unknown): string | null {
  if (check.Check(value)) return null;
  const [first] = describeErrors([...check.Errors(value)] as never);
  return first ? `${first.field || 'payload'} ${first.message}` : 'invalid payload';
}

/**
 * An HTTP body that names its actor (until accounts exist, issue 6): the schema's problem, then
 * the actor's, or null. Nobody may act as the system.
 */
export function actorBodyProblem(check: Checker, body: unknown): string | null {
  const p = schemaProblem(check, body);
  if (p) return p;
  const actor = (body as { actor: Actor }).actor;
  if (actor.role === 'system') return 'actor: nobody may act as the system';
  const a = actorProblem(actor);
  return a ? `actor: ${a}` : null;
}

/** One compiled check per command type, so an error names the field of THAT command rather than listing every type. */
const variantChecks = new Map<string, Checker>(
  (CaseCommandSchema as unknown as { anyOf: Array<{ properties: { type: { const: string } } }> }).anyOf.map((v) => [v.properties.type.const, Compile(v as never)]),
);

/** null when `cmd` is a valid case command, else what is wrong with it (prefixed with `at`). */
export function caseCommandProblem(cmd: unknown, at = ''): string | null {
  const type = cmd && typeof cmd === 'object' ? (cmd as { type?: unknown }).type : undefined;
  const check = typeof type === 'string' ? variantChecks.get(type) : undefined;
  if (!check) return `${at}/type must be one of: ${[...variantChecks.keys()].join(', ')}`;
  const p = schemaProblem(check, cmd);
  return p ? `${at}${p.startsWith('/') ? '' : ' '}${p}`.trim() : null;
}

const bad = (message: string) => ({ ok: false as const, code: ERROR_CODES.invalidCommand, message });

/**
 * A command's payload and ack from the listener's arguments. socket.io passes the ack last, so a
 * client that sends no payload, or junk after it, still gets its refusal instead of a hang.
 */
export function commandArgs<T>(args: readonly unknown[]): { payload: unknown; reply: (r: Ack<T>) => void } {
  const last = args[args.length - 1];
  const reply = typeof last === 'function' ? (last as (r: Ack<T>) => void) : () => {};
  return { payload: typeof args[0] === 'function' ? undefined : args[0], reply };
}

/** Wraps a handler so a missing ack or a thrown error never takes the socket down. */
function handle<P, T>(fn: (payload: P) => Promise<Ack<T>>) {
  return (...args: unknown[]) => {
    const { payload, reply } = commandArgs<T>(args);
    fn(payload as P).then(reply, (err: Error) => reply({ ok: false, code: ERROR_CODES.unavailable, message: err.message }));
  };
}

let reportSerial = 0;

export function registerCommands(socket: LinkageSocket, s: CommandServices): void {
  const { actor, scope } = socket.data.session;
  const payloadObject = (p: unknown): Record<string, unknown> | null => (p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : null);

  for (const type of CASE_COMMAND_TYPES) {
    if (type === 'escalate') continue;
    const event = `case:${type as OperatorCaseCommand}` as const;
    socket.on(event, handle(async (payload: unknown) => {
      const p = payloadObject(payload);
      if (!p || typeof p.caseId !== 'string') return bad('payload must be an object with a caseId');
      const { caseId, expectedVersion, ...fields } = p;
      if (expectedVersion !== undefined && (!Number.isInteger(expectedVersion) || (expectedVersion as number) < 1)) return bad('expectedVersion must be a positive integer');
      const cmd = { type, ...fields };
      const problem = caseCommandProblem(cmd);
      if (problem) return bad(problem);
      const c = s.projector.cases.get(caseId);
      if (c && actor.role !== 'department' && !placeInScope(scope, c)) return { ok: false, code: ERROR_CODES.forbidden, message: `case ${caseId} is outside your area (${scope})` };
      return s.cases.command(caseId, cmd as CaseCommand, actor, expectedVersion as number | undefined);
    }) as never);
  }

  socket.on('case:report', handle(async (payload: unknown) => {
    const p = payloadObject(payload);
    if (!p) return bad('payload must be an object');
    // An id of the wrong type is refused, not silently replaced by a new one.
    if (p.id !== undefined && typeof p.id !== 'string') return bad('/id must be a string (or left out: the server assigns one)');
    const now = s.clock.now();
    const id = typeof p.id === 'string' ? p.id : `C-${now.toString(36).toUpperCase()}-${(++reportSerial).toString(36).toUpperCase()}`;
    const candidate = { ...p, id, reportedAt: now, reporter: actor.id };
    const problem = schemaProblem(checkReport, candidate);
    if (problem) return bad(problem);
    const report = candidate as unknown as CaseReport;
    if (actor.role === 'display') return { ok: false, code: ERROR_CODES.forbidden, message: 'a display screen cannot report cases' };
    if (report.source === 'video-ai' || report.source === 'sensor') return bad('video-ai and sensor cases come from devices, not from people');
    if (actor.role === 'grid-worker' && report.source !== 'patrol') return bad('a grid worker reports patrol cases');
    // A client may name the id (so a retry is idempotent), but never to read someone else's case.
    const existing = s.projector.cases.get(report.id);
    if (existing && !placeInScope(scope, existing)) return { ok: false, code: ERROR_CODES.forbidden, message: `case ${report.id} exists outside your area` };
    const place = s.projector.district.resolvePlace(report.lon, report.lat);
    if (!placeInScope(scope, place)) return { ok: false, code: ERROR_CODES.forbidden, message: `the location is outside your area (${scope})` };
    return s.cases.report(report, actor);
  }) as never);

  socket.on('case:detail', handle(async (payload: unknown) => {
    const p = payloadObject(payload);
    if (!p || typeof p.caseId !== 'string') return bad('payload must be an object with a caseId');
    const c = s.projector.cases.get(p.caseId);
    if (!c) return { ok: false, code: ERROR_CODES.notFound, message: `no case ${p.caseId}` };
    if (actor.role !== 'department' && !placeInScope(scope, c)) return { ok: false, code: ERROR_CODES.forbidden, message: `case ${c.id} is outside your area (${scope})` };
    return { ok: true, data: { case: c, timeline: await s.cases.timeline(c.id) } };
  }) as never);

  const whistle = (type: WhistleCommand['type']) =>
    handle(async (payload: unknown) => {
      const p = payloadObject(payload);
      if (!p) return bad('payload must be an object');
      const { whistleId: given, ...fields } = p;
      if (given !== undefined && typeof given !== 'string') return bad(`/whistleId must be a string${type === 'blow' ? ' (or left out: the server assigns one)' : ''}`);
      const whistleId = typeof given === 'string' ? given : type === 'blow' ? s.whistles.newId() : '';
      if (!whistleId) return bad('whistleId is required');
      const cmd = type === 'blow' ? { type, whistleId, ...fields } : { type, ...fields };
      const problem = whistleProblem(cmd);
      if (problem) return bad(problem);
      return s.whistles.command(whistleId, cmd as WhistleCommand, actor);
    });
  socket.on('whistle:blow', whistle('blow') as never);
  socket.on('whistle:report-in', whistle('report-in') as never);
  socket.on('whistle:close', whistle('close') as never);

  const alarm = (type: 'acknowledge' | 'clear') =>
    handle(async (payload: unknown) => {
      const p = payloadObject(payload);
      if (!p || typeof p.alarmId !== 'string') return bad('payload must be an object with an alarmId');
      // Every other field is checked, so an unknown one is refused rather than ignored.
      const { alarmId: _id, ...fields } = p;
      const problem = alarmProblem({ type, ...fields });
      if (problem) return bad(problem);
      return s.alarms.act(p.alarmId, type, actor, p.note as string | undefined);
    });
  socket.on('alarm:acknowledge', alarm('acknowledge') as never);
  socket.on('alarm:clear', alarm('clear') as never);
}
