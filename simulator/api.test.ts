import { describe, expect, it } from 'vitest';
import { ApiClient, type FetchLike } from './api.ts';

const answer = (status: number, body: unknown) => ({ status, text: async () => JSON.stringify(body) });
const noSleep = async () => {};

describe('ApiClient', () => {
  it('retries network errors, 503 and 500 with backoff, then returns the data', async () => {
    const seen: string[] = [];
    let n = 0;
    const fetch: FetchLike = async (url, init) => {
      seen.push(`${init.method} ${url} ${init.headers['x-gateway-key']}`);
      n++;
      if (n === 1) throw new Error('ECONNRESET');
      if (n === 2) return answer(503, { ok: false, code: 'UNAVAILABLE' });
      if (n === 3) return answer(500, 'boom');
      return answer(200, { ok: true, data: { id: 'C1' } });
    };
    const sleeps: number[] = [];
    const api = new ApiClient({ baseUrl: 'http://s/', key: 'k', fetch, sleep: async (ms) => void sleeps.push(ms) });
    const r = await api.post('/api/cases/C1/commands', { x: 1 });
    expect(r).toEqual({ ok: true, status: 200, data: { id: 'C1' } });
    expect(seen).toEqual(Array(4).fill('POST http://s/api/cases/C1/commands k'));
    expect(api.stats).toMatchObject({ requests: 4, retried: 3, unavailable: 0 });
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]); // exponential
  });

  it('never retries a 4xx: it is the answer, with its code and message', async () => {
    let n = 0;
    const api = new ApiClient({ baseUrl: 'http://s', key: 'k', sleep: noSleep, fetch: async () => (n++, answer(409, { ok: false, code: 'INVALID_TRANSITION', message: 'cannot close a case that is handled' })) });
    expect(await api.get('/api/cases/C1')).toEqual({ ok: false, status: 409, code: 'INVALID_TRANSITION', message: 'cannot close a case that is handled' });
    expect(n).toBe(1);
    const bare = new ApiClient({ baseUrl: 'http://s', key: 'k', fetch: async () => answer(400, { statusCode: 400, error: 'Bad Request', message: 'body/actor must be object' }) });
    expect(await bare.get('/x')).toMatchObject({ ok: false, code: 'HTTP_400', message: 'body/actor must be object' });
  });

  it('gives up after maxAttempts with UNAVAILABLE', async () => {
    const api = new ApiClient({ baseUrl: 'http://s', key: 'k', maxAttempts: 3, sleep: noSleep, fetch: async () => { throw new Error('ECONNREFUSED'); } });
    expect(await api.get('/x')).toMatchObject({ ok: false, status: 0, code: 'UNAVAILABLE', message: 'ECONNREFUSED' });
    expect(api.stats).toMatchObject({ requests: 3, retried: 2, unavailable: 1 });
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let active = 0;
    let peak = 0;
    const fetch: FetchLike = async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setImmediate(r)); // answer after the other calls had their chance to start
      active--;
      return answer(200, { ok: true, data: 1 });
    };
    const api = new ApiClient({ baseUrl: 'http://s', key: 'k', fetch, concurrency: 3 });
    const all = await Promise.all(Array.from({ length: 20 }, () => api.get('/x')));
    expect(all.every((r) => r.ok)).toBe(true);
    expect(peak).toBe(3);
    expect(api.inFlight).toBe(0);
  });
});
