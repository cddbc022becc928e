import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseBatchBody, parseJsonBody } from './json-body.ts';
import { parseJsonText, pollutedRecords, pollutionKey } from '../ingest/json-text.ts';

type Parser = typeof parseJsonBody;
const run = (parser: Parser, text: string): { err: (Error & { code?: string; statusCode?: number }) | null; value?: unknown; req: FastifyRequest } => {
  let out!: { err: Error | null; value?: unknown };
  // The parsers read nothing of the request; parseBatchBody sets its pollutedRecords.
  const req = {} as FastifyRequest;
  parser(req, text, (err, value) => (out = { err, value }));
  return { ...out, req };
};

describe('JSON bodies', () => {
  it('parses clean JSON (a byte order mark too)', () => {
    const { err, value } = run(parseJsonBody, '{"a":{"b":[1,{"c":"constructor"}]}}');
    expect({ err, value }).toEqual({ err: null, value: { a: { b: [1, { c: 'constructor' }] } } });
    const bom = run(parseJsonBody, '\ufeff{"a":1}');
    expect({ err: bom.err, value: bom.value }).toEqual({ err: null, value: { a: 1 } });
  });

  it('a syntax error says where, an empty body says so', () => {
    const bad = run(parseJsonBody, '{"a":1,}');
    expect(bad.err?.statusCode).toBe(400);
    expect(bad.err?.code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    expect(bad.err?.message).toMatch(/^Body is not valid JSON: .*position/);
    expect(run(parseJsonBody, '').err?.code).toBe('FST_ERR_CTP_EMPTY_JSON_BODY');
  });

  it('refuses __proto__ and constructor.prototype anywhere, naming the key, escaped or not', () => {
    expect(run(parseJsonBody, '{"a":[{"__proto__":{"x":1}}]}').err?.message).toMatch(/forbidden key \/a\/0\/__proto__:/);
    expect(run(parseJsonBody, '{"a":{"\\u005f_proto__":{}}}').err?.message).toMatch(/forbidden key \/a\/__proto__:/);
    expect(run(parseJsonBody, '{"constructor":{"prototype":{"x":1}}}').err?.message).toMatch(/forbidden key \/constructor\/prototype:/);
    // A constructor without a prototype is harmless data.
    expect(run(parseJsonBody, '{"constructor":{"name":"x"}}').err).toBeNull();
  });

  it('a batch leaves a polluted record to its own check, but not a polluted envelope', () => {
    const ok = run(parseBatchBody, '{"records":[{"id":"a"},{"id":"b","__proto__":{"x":1}},{"id":"c","n":{"constructor":{"prototype":{}}}}]}');
    expect(ok.err).toBeNull();
    expect(pollutionKey((ok.value as { records: unknown[] }).records[1])).toBe('/__proto__');
    expect(pollutionKey((ok.value as { records: unknown[] }).records[0])).toBeNull();
    // The records carrying one are named for the ingest (server/ingest/streams.ts refuses them).
    expect(ok.req.pollutedRecords).toEqual(new Map([[1, '/__proto__'], [2, '/n/constructor/prototype']]));
    expect(run(parseBatchBody, '{"records":[],"__proto__":{"x":1}}').err?.message).toMatch(/forbidden key \/__proto__:/);
  });

  it('a clean batch (the usual one) has no polluted records and is not scanned again', () => {
    const clean = run(parseBatchBody, '{"records":[{"id":"a","note":"__proto__ constructor prototype"},{"id":"b","constructor":{"name":"x"}}]}');
    expect(clean.err).toBeNull();
    expect(clean.req.pollutedRecords).toBeNull();
  });

  it('parseJsonText says whether secure-json-parse found the text clean; a byte order mark is left to the caller', () => {
    expect(parseJsonText('{"a":[1,{"b":"__proto__"}]}')).toEqual({ value: { a: [1, { b: '__proto__' }] }, clean: true });
    const dirty = parseJsonText('[{"a":1},{"\\u005f_proto__":{"x":1}}]');
    expect(dirty.clean).toBe(false);
    expect(pollutedRecords(dirty.value as unknown[])).toEqual(new Map([[1, '/__proto__']]));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(pollutedRecords([{ a: 1 }, 2, null])).toBeNull();
    expect(() => parseJsonText('{"a":1,}')).toThrow(SyntaxError);
    expect(() => parseJsonText('\ufeff{"a":1}')).toThrow(SyntaxError);
  });

  it('pollutionKey of values that are not objects is null', () => {
    for (const v of [null, 1, 'x', true, undefined, [1, 2]]) expect(pollutionKey(v)).toBeNull();
  });
});
