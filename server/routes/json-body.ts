// JSON request bodies with errors that say what is wrong. Fastify's default parser answers every
// failure with "Body is not valid JSON", also for valid JSON that carries a prototype-pollution key
// (`__proto__`, `constructor.prototype`), which it rightly refuses; a gateway developer then hunts
// for a syntax error that is not there. This parser refuses the same bodies with the same status
// and codes, but the message gives the parser's reason (with its position) or the offending key's
// JSON pointer. Register it in a route plugin with useJsonBodies(app); it is encapsulated there.
// The guard is secure-json-parse's, as in Fastify's own parser; this file only finds the key to name.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';

const INVALID = 'FST_ERR_CTP_INVALID_JSON_BODY';
const EMPTY = 'FST_ERR_CTP_EMPTY_JSON_BODY';

const badBody = (code: string, message: string) => Object.assign(new Error(message), { statusCode: 400, code });

/** JSON pointer of the first `__proto__` key or `constructor` object with a `prototype`, or null. Iterative: deep nesting cannot overflow the stack. */
export function pollutionKey(value: unknown): string | null {
  // secure-json-parse's scan decides (null: a forbidden key is there); the walk below only names it.
  if (value === null || typeof value !== 'object' || sjson.scan(value, { safe: true }) !== null) return null;
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key];
      const where = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === '__proto__') return where;
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) return `${where}/prototype`;
      stack.push([child, where]);
    }
  }
  return null;
}

type Done = (err: Error | null, value?: unknown) => void;

/**
 * The text's JSON, `clean` when secure-json-parse found no forbidden key; or the error naming why
 * not. A body it refuses is parsed again with JSON.parse, which makes `__proto__` an own key (never
 * the prototype), to tell a syntax error (its message and position) from a forbidden key (named by
 * the caller).
 */
function parsed(body: string | Buffer): { value: unknown; clean: boolean } | Error {
  let text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte order mark, as secure-json-parse allows
  if (text.length === 0) return badBody(EMPTY, "Body cannot be empty when content-type is set to 'application/json'");
  try {
    return { value: sjson.parse(text), clean: true };
  } catch {
    try {
      return { value: JSON.parse(text), clean: false };
    } catch (error) {
      return badBody(INVALID, `Body is not valid JSON: ${(error as Error).message}`);
    }
  }
}

const pollutionError = (key: string) => badBody(INVALID, `Body carries the forbidden key ${key}: __proto__ and constructor.prototype are refused (prototype pollution)`);

/** Parses a JSON body; on failure the error names the reason. */
export function parseJsonBody(_req: FastifyRequest, body: string | Buffer, done: Done): void {
  const p = parsed(body);
  if (p instanceof Error) return done(p);
  if (p.clean) return done(null, p.value);
  done(pollutionError(pollutionKey(p.value) ?? '(unknown)'));
}

/**
 * Parses a batch `{ records: [...] }` the same way, except that a forbidden key inside one record
 * is left for that record's own check (server/ingest/streams.ts refuses it by name), so one bad
 * record costs only itself, as over MQTT. The envelope itself may carry none.
 */
export function parseBatchBody(_req: FastifyRequest, body: string | Buffer, done: Done): void {
  const p = parsed(body);
  if (p instanceof Error) return done(p);
  const v = p.value;
  if (p.clean) return done(null, v);
  const envelope = v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as { records?: unknown }).records)
    ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'records'))
    : v;
  const key = pollutionKey(envelope);
  done(key === null ? null : pollutionError(key), key === null ? v : undefined);
}

/** Replaces the JSON body parser of this plugin's routes. */
export function useJsonBodies(app: FastifyInstance, parser: typeof parseJsonBody = parseJsonBody): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
}
