// The HTTP edge in one place: which status each error code answers with, the `{ ok: false, code,
// message }` body every API error has, the TypeBox validator every route's schema is checked with
// (messages name the field, as the socket's do), and the one error handler that turns a failed
// schema or a store that cannot write into that body. Routes declare `body`, `params`,
// `querystring` and `response` and never re-validate; a handler that refuses answers with
// sendFailure, whose status comes from HTTP_STATUS.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { ErrorCode } from '../core/protocol.ts';
import { describeErrors, type SchemaError } from './ingest/record-check.ts';
import { StoreUnavailableError } from './store/event-store.ts';

/** The one code → status map of the API (the socket answers the same codes in its acks). */
export const HTTP_STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  INVALID_RECORD: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  // A camera, lookout or drone the dataset does not have, or one without a configured stream.
  UNKNOWN_DEVICE: 404,
  NO_STREAM: 404,
  CONFLICT: 409,
  // The device registry: provisioning an id in service, changing or reporting a retired device, a position off the district.
  DEVICE_EXISTS: 409,
  DEVICE_RETIRED: 409,
  OUTSIDE_DISTRICT: 422,
  INVALID_TRANSITION: 409,
  // A drone's own safety check said no: the request was well formed, the state of things refuses it.
  REFUSED: 409,
  REPLAYING: 409,
  INVALID_COMMAND: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  REPLAY_BUSY: 503,
};

export const statusOf = (code: string): number => HTTP_STATUS[code] ?? 400;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The code a body, params or query that fails the route's schema is refused with (default BAD_REQUEST). */
    invalid?: ErrorCode;
  }
}

/** The body of every API error. Open: hooks (rate limits) may add a field, which is kept. */
export const Failure = Type.Object(
  { ok: Type.Literal(false), code: Type.String({ description: 'BAD_REQUEST, INVALID_COMMAND, FORBIDDEN, NOT_FOUND, CONFLICT, ...' }), message: Type.String({ description: 'what was wrong, naming the field' }) },
  { additionalProperties: true },
);

/** `{ ok: true, data }`: the success body of the API. */
export const Ok = <T extends TSchema>(data: T) => Type.Object({ ok: Type.Literal(true), data });

/** The refusals every API route may answer (401 before a session, 403 outside one's area, 429, 503, ...). */
export const FAILURES = { 400: Failure, 401: Failure, 403: Failure, 404: Failure, 409: Failure, 422: Failure, 429: Failure, 503: Failure } as const;

/** A route's `response`: its 2xx body and the error body. */
export const replies = <T extends TSchema>(ok: T) => ({ 200: ok, ...FAILURES });

export function sendFailure(reply: FastifyReply, code: string, message: string) {
  return reply.code(statusOf(code)).send({ ok: false, code, message });
}

/**
 * An Ack-shaped result as the route's answer: the success returned (so its type is checked against
 * the route's response schema), a refusal sent with its status.
 */
export function sendResult<T>(reply: FastifyReply, r: { ok: true; data: T } | { ok: false; code: string; message: string }) {
  return r.ok ? { ok: true as const, data: r.data } : sendFailure(reply, r.code, r.message);
}

type Checker = { Check(v: unknown): boolean; Errors(v: unknown): Iterable<unknown> };
/** null when valid, else the first problem as "<field> <message>". */
export function firstProblem(check: Checker, value: unknown): string | null {
  if (check.Check(value)) return null;
  const [first] = describeErrors([...check.Errors(value)] as SchemaError[]);
  return first ? `${first.field || 'payload'} ${first.message}` : 'invalid payload';
}

const invalid = (message: string) => Object.assign(new Error(message), { statusCode: 400, code: 'FST_ERR_VALIDATION' });

/**
 * Every route's schema is checked by TypeBox (the schemas are TypeBox's): params, query and
 * headers are converted from their strings first (as Fastify's Ajv did), a body is taken as sent.
 * An extra property where the schema forbids one is refused, not silently dropped.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  // Compiled at the route's first request, not at start: a restart answers sooner (issue 16).
  let check: ReturnType<typeof Compile> | null = null;
  return (value: unknown) => {
    const v = httpPart === 'body' ? value : Value.Convert(schema, value);
    const problem = firstProblem((check ??= Compile(schema)), v);
    return problem ? { error: invalid(problem) } : { value: v };
  };
};

/**
 * A schema with every object closed (additionalProperties false where it says nothing), so a
 * payload field the schema does not list is an error, not the silent drop fast-json-stringify makes.
 */
export function closedSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closedSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'properties' || k === 'patternProperties' || k === '$defs'
      ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closedSchema(s)]))
      : k === 'items' || k === 'prefixItems' || k === 'anyOf' || k === 'oneOf' || k === 'allOf' || k === 'not' || k === 'additionalProperties' ? closedSchema(v) : v;
  }
  if (out.type === 'object' && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** The response schema Fastify serializes a reply of this status with ('200', '2xx', 'default'). */
function responseSchemaOf(req: FastifyRequest, status: number): object | undefined {
  const response = req.routeOptions.schema?.response as Record<string, object> | undefined;
  return response?.[status] ?? response?.[`${String(status)[0]}xx`] ?? response?.default;
}

/**
 * Strict responses (test servers): every JSON reply of a route with a response schema is checked
 * against that schema closed, and one that lists a field the schema lacks, misses a required one or
 * has a wrong type fails loudly (a 500 naming the route and the field) instead of reaching a screen
 * without it. Added before the routes, so it covers them all.
 */
export function strictResponses(app: FastifyInstance) {
  const checks = new WeakMap<object, ReturnType<typeof Compile>>();
  app.addHook('preSerialization', async (req, reply, payload: unknown) => {
    const schema = responseSchemaOf(req, reply.statusCode);
    if (!schema) return payload;
    let check = checks.get(schema);
    if (!check) checks.set(schema, (check = Compile(closedSchema(schema) as TSchema)));
    // As a screen receives it: undefined fields gone, dates as strings.
    const problem = firstProblem(check, JSON.parse(JSON.stringify(payload ?? null)));
    if (problem) throw new Error(`${req.method} ${req.routeOptions.url} answered ${reply.statusCode} with a body its response schema does not describe: ${problem}`);
    return payload;
  });
}

/**
 * A route's own body check where the first problem must name the variant's field (commands that
 * are unions keyed on `type`): `problem` speaks for the body, the schema still documents it.
 */
export const bodyCheckedBy = (problem: (body: unknown) => string | null): FastifySchemaCompiler<TSchema> => (route) => {
  if (route.httpPart !== 'body') return validatorCompiler(route);
  return (value: unknown) => {
    const p = problem(value);
    return p ? { error: invalid(p) } : { value };
  };
};

/**
 * The one error handler. On the API every refusal is `{ ok: false, code, message }` with the
 * status of HTTP_STATUS: a request that fails its schema is refused with the route's `invalid`
 * code (BAD_REQUEST unless it says otherwise), a store that cannot write with UNAVAILABLE, and
 * Fastify's own refusals (unparseable JSON, too large a body, rate limits) keep their code and
 * message in that body. Gateway routes keep Fastify's error body, which their clients read; a
 * server fault (500) goes on to Fastify's handler as before.
 */
export async function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const gateway = req.routeOptions.config?.read === 'gateway';
  if (error instanceof StoreUnavailableError) {
    if (gateway) return reply.code(503).send({ statusCode: 503, code: 'UNAVAILABLE', error: 'Service Unavailable', message: error.message });
    return sendFailure(reply, 'UNAVAILABLE', error.message);
  }
  if (error.code === 'FST_ERR_VALIDATION' || error.validation) {
    const where = error.validationContext && error.validationContext !== 'body' ? `${error.validationContext} ` : '';
    const message = `${where}${error.message}`;
    if (gateway) return reply.code(400).send({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message });
    return sendFailure(reply, req.routeOptions.config?.invalid ?? 'BAD_REQUEST', message);
  }
  const status = error.statusCode ?? 500;
  if (!gateway && status in FAILURES) return reply.code(status).send({ ok: false, code: error.code || 'BAD_REQUEST', message: error.message });
  throw error;
}
