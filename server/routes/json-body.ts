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

/** JSON pointer of the first `__proto__` key or `constructor` object with a `prototype`, or null. Iterative: deep nesting cannot overflow the stack. */
export function pollutionKey(value: unknown): string | null {
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

/** Parses a JSON body; on failure the error names the reason. */
export function parseJsonBody(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.length === 0) return done(badBody(EMPTY, "Body cannot be empty when content-type is set to 'application/json'"));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return done(badBody(INVALID, `Body is not valid JSON: ${(error as Error).message}`));
  }
  if (MAY_POLLUTE.test(text)) {
    const key = pollutionKey(value);
    if (key !== null) return done(badBody(INVALID, `Body carries the forbidden key ${key}: __proto__ and constructor.prototype are refused (prototype pollution)`));
  }
  done(null, value);
}

/** Replaces the JSON body parser of this plugin's routes. */
export function useJsonBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
}
