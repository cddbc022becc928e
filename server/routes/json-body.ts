// JSON request bodies with errors that say what is wrong. Fastify's default parser answers every
// failure with "Body is not valid JSON", also for valid JSON that carries a prototype-pollution key
// (`__proto__`, `constructor.prototype`), which it rightly refuses; a gateway developer then hunts
// for a syntax error that is not there. This parser refuses the same bodies with the same status
// and codes, but the message gives the parser's reason (with its position) or the offending key's
// JSON pointer. Register it in a route plugin with useJsonBodies(app); it is encapsulated there.
import type { FastifyInstance, FastifyRequest } from 'fastify';

const INVALID = 'FST_ERR_CTP_INVALID_JSON_BODY';
const EMPTY = 'FST_ERR_CTP_EMPTY_JSON_BODY';

const badBody = (code: string, message: string) => Object.assign(new Error(message), { statusCode: 400, code });

/** Cheap pre-check: the forbidden keys can only be present when the text names them (or escapes their letters). */
const MAY_POLLUTE = /__proto__|constructor|\\u00[5-7][0-9a-f]/i;

/** True when a forbidden key is anywhere in the value: the cheap scan every ingested record gets (no strings built). */
function hasPollution(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: object[] = [value];
  while (stack.length > 0) {
    const v = stack.pop() as Record<string, unknown>;
    for (const key in v) {
      const child = v[key];
      if (key === '__proto__') return true;
      if (child === null || typeof child !== 'object') continue;
      if (key === 'constructor' && Object.hasOwn(child, 'prototype')) return true;
      stack.push(child);
    }
  }
  return false;
}

/** JSON pointer of the first `__proto__` key or `constructor` object with a `prototype`, or null. Iterative: deep nesting cannot overflow the stack. */
export function pollutionKey(value: unknown): string | null {
  if (!hasPollution(value)) return null;
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

/** The text's JSON (JSON.parse makes `__proto__` an own key, never the prototype), or the error naming why not. */
function parsed(body: string | Buffer): { value: unknown; text: string } | Error {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.length === 0) return badBody(EMPTY, "Body cannot be empty when content-type is set to 'application/json'");
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    return badBody(INVALID, `Body is not valid JSON: ${(error as Error).message}`);
  }
}

const pollutionError = (key: string) => badBody(INVALID, `Body carries the forbidden key ${key}: __proto__ and constructor.prototype are refused (prototype pollution)`);

/** Parses a JSON body; on failure the error names the reason. */
export function parseJsonBody(_req: FastifyRequest, body: string | Buffer, done: Done): void {
  const p = parsed(body);
  if (p instanceof Error) return done(p);
  const key = MAY_POLLUTE.test(p.text) ? pollutionKey(p.value) : null;
  done(key === null ? null : pollutionError(key), key === null ? p.value : undefined);
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
  if (!MAY_POLLUTE.test(p.text)) return done(null, v);
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
