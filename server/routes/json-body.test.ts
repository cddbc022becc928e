import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseBatchBody, parseJsonBody, pollutionKey } from './json-body.ts';

type Parser = typeof parseJsonBody;
const run = (parser: Parser, text: string): { err: (Error & { code?: string; statusCode?: number }) | null; value?: unknown } => {
  let out!: { err: Error | null; value?: unknown };
  // The parsers read neither the request nor anything of it.
  parser({} as FastifyRequest, text, (err, value) => (out = { err, value }));
  return out;
};

describe('JSON bodies', () => {
  it('parses clean JSON (a byte order mark too)', () => {
    expect(run(parseJsonBody, '{"a":{"b":[1,{"c":"constructor"}]}}')).toEqual({ err: null, value: { a: { b: [1, { c: 'constructor' }] } } });
    expect(run(parseJsonBody, '\ufeff{"a":1}')).toEqual({ err: null, value: { a: 1 } });
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
    const ok = run(parseBatchBody, '{"records":[{"id":"a"},{"id":"b","__proto__":{"x":1}}]}');
    expect(ok.err).toBeNull();
    expect(pollutionKey((ok.value as { records: unknown[] }).records[1])).toBe('/__proto__');
    expect(pollutionKey((ok.value as { records: unknown[] }).records[0])).toBeNull();
    expect(run(parseBatchBody, '{"records":[],"__proto__":{"x":1}}').err?.message).toMatch(/forbidden key \/__proto__:/);
  });

  it('pollutionKey of values that are not objects is null', () => {
    for (const v of [null, 1, 'x', true, undefined, [1, 2]]) expect(pollutionKey(v)).toBeNull();
  });
});
