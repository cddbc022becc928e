// Fuzzing the read side (trust, round two): the duty, analysis, device and worker routes get hostile
// query strings, path parameters and bodies, as an account of one township. Every answer is a
// coded 4xx or a 200; never a 5xx; a 200 never carries the other township's case; and the server
// stays healthy.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCodedError, FuzzCounter, hostileString, hostileValue, runs } from './fuzz-support.ts';
import { TEST_KEY, type TestServer } from './test-support.ts';
import { startAccountsServer } from './test-accounts.ts';

const counter = new FuzzCounter();
const startedAt = Date.now();
const EAST_SECRET = '玉琳路的秘密标题';
let s: TestServer;
let cookie = '';

beforeAll(async () => {
  const started = await startAccountsServer();
  s = started.server;
  const login = async (id: string, password: string) => {
    const res = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, password }) });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0];
  };
  const admin = await login('admin', started.adminPassword);
  const created = await fetch(`${s.url}/api/accounts`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ id: 'wall-dk', name: '德宽路大屏', role: 'display', org: '340803001', password: 'correct horse battery 2026' }) });
  expect(created.status).toBe(200);
  cookie = await login('wall-dk', 'correct horse battery 2026');
  const res = await s.post('/api/ingest/cases', { records: [{ id: 'EAST-1', source: 'citizen', eventClass: '0501', title: EAST_SECRET, urgency: 'urgent', lon: 117.08, lat: 30.5, reportedAt: Date.now() }] });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  console.log(counter.report('server/fuzz-reads.test.ts', startedAt));
  await s?.close();
});

const ROUTES = [
  '/api/duty/now', '/api/duty/pool', '/api/duty/roster', '/api/duty/log', '/api/duty/handovers', '/api/duty/handovers/{start}',
  '/api/analysis', '/api/analysis/cases', '/api/analysis/points', '/api/analysis/device-health',
  '/api/devices/{kind}/{id}', '/api/workers/coverage', '/api/summary',
] as const;
const QUERY_KEYS = ['from', 'to', 'scope', 'caseId', 'limit', 'bucket', 'by', 'key', 'measure', 'ids', 'kind', 'radiusM', 'minCases', '__proto__', 'constructor'];

const queryValue = fc.oneof(hostileString(300), fc.integer().map(String), fc.constantFrom('340803002', '340803', '9'.repeat(400), 'EAST-1', '1e309', '-0', '0x10', '2026-13-45'));
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue), { maxLength: 5 });
const param = fc.oneof(hostileString(200), fc.constantFrom('worker', 'camera', 'GW-0002', 'EAST-1', '..%2F..%2Fetc%2Fpasswd', '%00', '1795392000000'));

/** URL-encoded; a lone surrogate (which no URL can carry) becomes U+FFFD. */
const enc = (v: string) => encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(s.url + path, { headers: { cookie } });
  return { status: res.status, text: await res.text() };
}

async function healthy(): Promise<void> {
  expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
}

describe('read routes under fuzzing, as a township account', () => {
  it('hostile query strings and path parameters get a 200 or a coded 4xx, never a 5xx, and never the other township', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), query, param, param, async (route, q, p1, p2) => {
        counter.hit(route);
        const path = route.replace('{start}', enc(p1)).replace('{kind}', enc(p1)).replace('{id}', enc(p2));
        const qs = q.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
        const r = await get(qs ? `${path}?${qs}` : path);
        const context = `${path}?${qs} → ${r.status} ${r.text.slice(0, 300)}`;
        expect(r.status, context).toBeLessThan(500);
        if (r.status >= 400) expectCodedError(JSON.parse(r.text), context);
        expect(r.text, context).not.toContain(EAST_SECRET);
      }),
      runs(300),
    );
    await healthy();
  }, 120_000);

  it('hostile bodies to the duty log and a handover signature get a coded 4xx, never a 5xx, and store nothing', async () => {
    const before = s.app.store.lastSeq();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/duty/log', '/api/duty/roster', '/api/duty/handovers/1795392000000/sign'), hostileValue({ proto: true, maxString: 20_000 }), async (path, body) => {
        counter.hit(`POST ${path}`);
        const res = await fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-gateway-key': TEST_KEY }, body: JSON.stringify(body) ?? 'null' });
        const text = await res.text();
        const context = `${path} ${JSON.stringify(body)?.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, context).toBeGreaterThanOrEqual(400);
        expect(res.status, context).toBeLessThan(500);
        expectCodedError(JSON.parse(text), context);
      }),
      runs(200),
    );
    // A wall screen writes nothing, whatever it sends.
    expect(s.app.store.lastSeq()).toBe(before);
    await healthy();
  }, 120_000);
});
