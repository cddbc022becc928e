// The HTTP edge on a bare Fastify app (no server, no store): one status per code, schema failures
// answered with the route's code and a message naming the field, the store's refusal as 503.
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { errorHandler, Ok, replies, sendFailure, statusOf, strictResponses, validatorCompiler } from './http-errors.ts';
import { StoreUnavailableError } from './store/event-store.ts';

async function app() {
  const a = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  a.setValidatorCompiler(validatorCompiler);
  a.setErrorHandler(errorHandler);
  const Body = Type.Object({ note: Type.Object({ kind: Type.Union([Type.Literal('decision'), Type.Literal('note')]), text: Type.String({ minLength: 1 }) }) }, { additionalProperties: false });
  a.post('/command', { config: { invalid: 'INVALID_COMMAND' }, schema: { body: Body, response: replies(Ok(Type.Object({ kind: Type.String() }))) } }, async (req) => ({ ok: true as const, data: { kind: req.body.note.kind } }));
  a.get('/read', { schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1 })) }), response: replies(Ok(Type.Number())) } }, async (req) => ({ ok: true as const, data: req.query.limit ?? 0 }));
  a.get('/refused/:code', { schema: { params: Type.Object({ code: Type.String() }), response: replies(Ok(Type.Null())) } }, async (req, reply) => sendFailure(reply, req.params.code, 'no'));
  a.get('/full', { schema: { response: replies(Ok(Type.Null())) } }, async () => {
    throw new StoreUnavailableError(new Error('database or disk is full'));
  });
  await a.ready();
  return a;
}

describe('the HTTP edge', () => {
  it('maps every code to one status: drones REFUSED and CONFLICT both 409, unknown codes 400', () => {
    expect([statusOf('REFUSED'), statusOf('CONFLICT'), statusOf('INVALID_TRANSITION')]).toEqual([409, 409, 409]);
    expect([statusOf('INVALID_COMMAND'), statusOf('FORBIDDEN'), statusOf('NOT_FOUND'), statusOf('UNAVAILABLE'), statusOf('WHATEVER')]).toEqual([422, 403, 404, 503, 400]);
  });

  it('answers a body that fails its schema with the route\'s code and the field, a query with BAD_REQUEST; converts query strings', async () => {
    const a = await app();
    const bad = await a.inject({ method: 'POST', url: '/command', payload: { note: { kind: 'order', text: 'x' } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({ ok: false, code: 'INVALID_COMMAND', message: '/note/kind must be one of: decision, note' });
    const extra = await a.inject({ method: 'POST', url: '/command', payload: { note: { kind: 'note', text: 'x' }, actor: 1 } });
    expect(extra.json()).toMatchObject({ code: 'INVALID_COMMAND', message: '/actor is not an allowed property' });
    expect((await a.inject({ method: 'POST', url: '/command', payload: { note: { kind: 'note', text: 'x' } } })).json()).toEqual({ ok: true, data: { kind: 'note' } });
    expect((await a.inject('/read?limit=7')).json()).toEqual({ ok: true, data: 7 });
    const query = await a.inject('/read?limit=0');
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringContaining('/limit') });
    // Fastify's own refusal keeps its code, in the same body.
    const json = await a.inject({ method: 'POST', url: '/command', headers: { 'content-type': 'application/json' }, payload: '{"note":' });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ ok: false, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: expect.any(String) });
    await a.close();
  });

  it('sends refusals with their status, and a store that cannot write as 503 UNAVAILABLE', async () => {
    const a = await app();
    const refused = await a.inject('/refused/REFUSED');
    expect([refused.statusCode, refused.json()]).toEqual([409, { ok: false, code: 'REFUSED', message: 'no' }]);
    expect((await a.inject('/refused/CONFLICT')).statusCode).toBe(409);
    const full = await a.inject('/full');
    expect(full.statusCode).toBe(503);
    expect(full.json()).toEqual({ ok: false, code: 'UNAVAILABLE', message: 'event store cannot write: database or disk is full' });
    await a.close();
  });

  it('in strict mode fails a reply with a field its schema does not list, or without one it requires, naming the route and the field', async () => {
    const a = Fastify();
    a.setErrorHandler(errorHandler);
    strictResponses(a);
    const Point = Ok(Type.Object({ lon: Type.Number(), lat: Type.Number(), label: Type.Optional(Type.String()) }));
    // Typed loosely on purpose: the handlers return what the schema does not say.
    a.get('/extra', { schema: { response: replies(Point) } }, async () => ({ ok: true, data: { lon: 1, lat: 2, kind: 'camera' } }));
    a.get('/missing', { schema: { response: replies(Point) } }, async () => ({ ok: true, data: { lon: 1 } }));
    a.get('/exact', { schema: { response: replies(Point) } }, async () => ({ ok: true, data: { lon: 1, lat: 2, label: undefined } }));
    a.get('/refused', { schema: { response: replies(Point) } }, async (_req, reply) => sendFailure(reply, 'NOT_FOUND', 'no point'));
    const extra = await a.inject('/extra');
    expect(extra.statusCode).toBe(500);
    expect(extra.json().message).toBe('GET /extra answered 200 with a body its response schema does not describe: /data/kind is not an allowed property');
    const missing = await a.inject('/missing');
    expect(missing.statusCode).toBe(500);
    expect(missing.json().message).toMatch(/^GET \/missing answered 200 .*: \/data .*lat/);
    expect((await a.inject('/exact')).json()).toEqual({ ok: true, data: { lon: 1, lat: 2 } });
    expect((await a.inject('/refused')).statusCode).toBe(404);
    await a.close();
  });
});
