// JSON request bodies with errors that say what is wrong. Fastify's default parser answers every
// failure with "Body is not valid JSON", also for valid JSON that carries a prototype-pollution key
// (`__proto__`, `constructor.prototype`), which it rightly refuses; a gateway developer then hunts
// for a syntax error that is not there. This parser refuses the same bodies with the same status
// and codes, but the message gives the parser's reason (with its position) or the offending key's
// JSON pointer. Register it in a route plugin with useJsonBodies(app); it is encapsulated there.
// The guard and the naming of the key live in server/ingest/json-text.ts (MQTT uses them too).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonText, pollutedRecords, pollutionKey, type PollutedRecords } from '../ingest/json-text.ts';

const INVALID = 'FST_ERR_CTP_INVALID_JSON_BODY';
const EMPTY = 'FST_ERR_CTP_EMPTY_JSON_BODY';

const badBody = (code: string, message: string) => Object.assign(new Error(message), { statusCode: 400, code });

type Done = (err: Error | null, value?: unknown) => void;

/** The text's JSON and whether it is clean (parseJsonText), or the error naming why not. */
function parsed(body: string | Buffer): { value: unknown; clean: boolean } | Error {
  let text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte order mark, as secure-json-parse allows
  if (text.length === 0) return badBody(EMPTY, "Body cannot be empty when content-type is set to 'application/json'");
  try {
    return parseJsonText(text);
  } catch (error) {
    return badBody(INVALID, `Body is not valid JSON: ${(error as Error).message}`);
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

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by parseBatchBody: the records of the body that carry a forbidden key (null: none; the usual clean body is never scanned). */
    pollutedRecords?: PollutedRecords | null;
  }
}

/**
 * Parses a batch `{ records: [...] }` the same way, except that a forbidden key inside one record
 * is left for that record's own check: the records carrying one are put in `request.pollutedRecords`
 * and server/ingest/streams.ts refuses each by name, so one bad record costs only itself, as over
 * MQTT. The envelope itself may carry none. A body secure-json-parse found clean (nearly every
 * one) is not scanned again, record by record or otherwise.
 */
export function parseBatchBody(req: FastifyRequest, body: string | Buffer, done: Done): void {
  const p = parsed(body);
  if (p instanceof Error) return done(p);
  const v = p.value;
  req.pollutedRecords = null;
  if (p.clean) return done(null, v);
  const records = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { records?: unknown }).records : undefined;
  const envelope = Array.isArray(records) ? Object.fromEntries(Object.entries(v as object).filter(([k]) => k !== 'records')) : v;
  const key = pollutionKey(envelope);
  if (key !== null) return done(pollutionError(key));
  if (Array.isArray(records)) req.pollutedRecords = pollutedRecords(records);
  done(null, v);
}

/** Replaces the JSON body parser of this plugin's routes. */
export function useJsonBodies(app: FastifyInstance, parser: typeof parseJsonBody = parseJsonBody): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
}
