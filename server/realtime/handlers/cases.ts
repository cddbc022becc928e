// Bounded context: cases, whistles and alarms over the socket. Payloads are checked against the
// same TypeBox schemas the HTTP routes use; the actor is the connection's session, and nothing
// outside the session's scope can be read or touched.
import { Compile } from 'typebox/compile';
import { CASE_COMMAND_TYPES, type CaseCommand, type CaseCommandType } from '../../../core/cases/model.ts';
import { AlarmCommandSchema, CaseReportSchema, WhistleCommandSchema } from '../../../core/cases/schemas.ts';
import { ERROR_CODES, type Ack, type CaseCommandPayload, type ClientToServerEvents, type OperatorCaseCommand } from '../../../core/protocol.ts';
import type { CaseSummary } from '../../../core/domain.ts';
import type { WhistleCommand, WhistleState } from '../../../core/whistle.ts';
import type { Clock } from '../../../core/domain.ts';
import { placeInScope } from '../../../core/org.ts';
import type { Projector } from '../../projections/projector.ts';
import type { AlarmService } from '../../cases/alarms.ts';
import type { CaseService } from '../../cases/service.ts';
import type { WhistleService } from '../../cases/whistles.ts';
import { unionProblem } from '../../ingest/record-check.ts';
import { caseCommandProblem, schemaProblem } from '../commands.ts';
import { invalid, isPayloadObject, refuse, type Check, type Checks, type HandlerFactory, type Handlers } from './define.ts';

export interface CaseHandlerServices {
  cases: CaseService;
  whistles: WhistleService;
  alarms: AlarmService;
  projector: Projector;
  clock: Clock;
}

const OPERATOR_CASE_COMMANDS = CASE_COMMAND_TYPES.filter((t): t is OperatorCaseCommand => t !== 'escalate');
type CaseCommandEvent = `case:${OperatorCaseCommand}`;
const caseEvent = (type: OperatorCaseCommand): CaseCommandEvent => `case:${type}`;

const checkReport = Compile(CaseReportSchema);
/** Checked against the variant the type names, so an error names that variant's field. */
const whistleProblem = unionProblem(WhistleCommandSchema);
const alarmProblem = unionProblem(AlarmCommandSchema);

/** A case command as the case service takes it, once its check has passed. */
const isCaseCommand = (cmd: { type: CaseCommandType }): cmd is CaseCommand => caseCommandProblem(cmd) === null;
const isWhistleCommand = (cmd: { type: WhistleCommand['type'] }): cmd is WhistleCommand => whistleProblem(cmd) === null;

const caseCommandCheck = (type: OperatorCaseCommand): Check => (p) => {
  if (!isPayloadObject(p) || typeof p.caseId !== 'string') return invalid('payload must be an object with a caseId');
  const { caseId: _id, expectedVersion, ...fields } = p;
  if (expectedVersion !== undefined && (typeof expectedVersion !== 'number' || !Number.isInteger(expectedVersion) || expectedVersion < 1)) return invalid('expectedVersion must be a positive integer');
  const problem = caseCommandProblem({ type, ...fields });
  return problem ? invalid(problem) : null;
};

const whistleCheck = (type: WhistleCommand['type']): Check => (p) => {
  if (!isPayloadObject(p)) return invalid('payload must be an object');
  const { whistleId: given, ...fields } = p;
  if (given !== undefined && typeof given !== 'string') return invalid(`/whistleId must be a string${type === 'blow' ? ' (or left out: the server assigns one)' : ''}`);
  // A blown whistle without an id gets one from the server (any well-formed id checks the same).
  const whistleId = typeof given === 'string' ? given : type === 'blow' ? 'W-NEW' : '';
  if (!whistleId) return invalid('whistleId is required');
  const problem = whistleProblem(type === 'blow' ? { type, whistleId, ...fields } : { type, ...fields });
  return problem ? invalid(problem) : null;
};

const alarmCheck = (type: 'acknowledge' | 'clear'): Check => (p) => {
  if (!isPayloadObject(p) || typeof p.alarmId !== 'string') return invalid('payload must be an object with an alarmId');
  // Every other field is checked, so an unknown one is refused rather than ignored.
  const { alarmId: _id, ...fields } = p;
  const problem = alarmProblem({ type, ...fields });
  return problem ? invalid(problem) : null;
};

/** What the server stamps on a report: an id when the client gave none, the time, the reporter. */
const reportCheck: Check = (p, { session, now }) => {
  if (!isPayloadObject(p)) return invalid('payload must be an object');
  // An id of the wrong type is refused, not silently replaced by a new one.
  if (p.id !== undefined && typeof p.id !== 'string') return invalid('/id must be a string (or left out: the server assigns one)');
  const problem = schemaProblem(checkReport, { ...p, id: typeof p.id === 'string' ? p.id : 'C-NEW', reportedAt: now, reporter: session.actor.id });
  return problem ? invalid(problem) : null;
};

type CaseEvents = CaseCommandEvent | 'case:report' | 'case:detail' | 'whistle:blow' | 'whistle:report-in' | 'whistle:close' | 'alarm:acknowledge' | 'alarm:clear';

const caseCommandChecks = Object.fromEntries(OPERATOR_CASE_COMMANDS.map((t) => [caseEvent(t), caseCommandCheck(t)])) as Record<CaseCommandEvent, Check>;

export const caseChecks: Checks<CaseEvents> = {
  ...caseCommandChecks,
  'case:report': reportCheck,
  'case:detail': (p) => (isPayloadObject(p) && typeof p.caseId === 'string' ? null : invalid('payload must be an object with a caseId')),
  'whistle:blow': whistleCheck('blow'),
  'whistle:report-in': whistleCheck('report-in'),
  'whistle:close': whistleCheck('close'),
  'alarm:acknowledge': alarmCheck('acknowledge'),
  'alarm:clear': alarmCheck('clear'),
};

let reportSerial = 0;

export const caseHandlers = (s: CaseHandlerServices): HandlerFactory => ({ session }) => {
  const { actor, scope } = session;
  const outside = (what: string) => refuse(ERROR_CODES.forbidden, `${what} is outside your area (${scope})`);

  /** One handler serves every operator case command: a payload of any of them is a case id, a version and the command's fields. */
  const caseCommand = (type: OperatorCaseCommand) => async ({ caseId, expectedVersion, ...fields }: CaseCommandPayload<OperatorCaseCommand>, reply: (r: Ack<CaseSummary>) => void) => {
    // Checked already (caseChecks); the guard only tells the compiler which command this is.
    const cmd = { type, ...fields };
    if (!isCaseCommand(cmd)) return reply(invalid(caseCommandProblem(cmd) ?? 'invalid command'));
    const c = s.projector.cases.get(caseId);
    if (c && actor.role !== 'department' && !placeInScope(scope, c)) return reply(outside(`case ${caseId}`));
    reply(await s.cases.command(caseId, cmd, actor, expectedVersion));
  };

  const whistle = (type: WhistleCommand['type']) => async ({ whistleId: given, ...fields }: { whistleId?: string }, reply: (r: Ack<WhistleState>) => void) => {
    const whistleId = given ?? s.whistles.newId();
    const cmd = type === 'blow' ? { type, whistleId, ...fields } : { type, ...fields };
    if (!isWhistleCommand(cmd)) return reply(invalid(whistleProblem(cmd) ?? 'invalid command'));
    reply(await s.whistles.command(whistleId, cmd, actor));
  };

  const alarm = (type: 'acknowledge' | 'clear'): ClientToServerEvents[`alarm:${typeof type}`] => async ({ alarmId, note }, reply) => {
    reply(await s.alarms.act(alarmId, type, actor, note));
  };

  const handlers: Handlers = {
    'case:report': async (payload, reply) => {
      const now = s.clock.now();
      const id = payload.id ?? `C-${now.toString(36).toUpperCase()}-${(++reportSerial).toString(36).toUpperCase()}`;
      const report = { ...payload, id, reportedAt: now, reporter: actor.id };
      if (actor.role === 'display') return reply(refuse(ERROR_CODES.forbidden, 'a display screen cannot report cases'));
      if (report.source === 'video-ai' || report.source === 'sensor') return reply(invalid('video-ai and sensor cases come from devices, not from people'));
      if (actor.role === 'grid-worker' && report.source !== 'patrol') return reply(invalid('a grid worker reports patrol cases'));
      // A client may name the id (so a retry is idempotent), but never to read someone else's case.
      const existing = s.projector.cases.get(report.id);
      if (existing && !placeInScope(scope, existing)) return reply(refuse(ERROR_CODES.forbidden, `case ${report.id} exists outside your area`));
      const place = s.projector.district.resolvePlace(report.lon, report.lat);
      if (!placeInScope(scope, place)) return reply(refuse(ERROR_CODES.forbidden, `the location is outside your area (${scope})`));
      reply(await s.cases.report(report, actor));
    },
    'case:detail': async ({ caseId }, reply) => {
      const c = s.projector.cases.get(caseId);
      if (!c) return reply(refuse(ERROR_CODES.notFound, `no case ${caseId}`));
      if (actor.role !== 'department' && !placeInScope(scope, c)) return reply(outside(`case ${c.id}`));
      reply({ ok: true, data: { case: c, timeline: await s.cases.timeline(c.id) } });
    },
    'whistle:blow': whistle('blow'),
    'whistle:report-in': whistle('report-in'),
    'whistle:close': whistle('close'),
    'alarm:acknowledge': alarm('acknowledge'),
    'alarm:clear': alarm('clear'),
  };
  for (const type of OPERATOR_CASE_COMMANDS) handlers[caseEvent(type)] = caseCommand(type);
  return handlers;
};
