// Security headers on every answer, and the media origins the CSP allows.
import { afterEach, describe, expect, it } from 'vitest';
import { mediaOriginsOf } from './plugins/security.ts';
import { startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('security headers', () => {
  it('sends a CSP that allows this origin, blob: workers and the media server, and nothing else', async () => {
    server = await startTestServer({ config: { videoUrlTemplate: 'http://10.0.0.5:8090/hls/{id}/index.m3u8' } });
    const res = await fetch(`${server.url}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(csp).toContain("connect-src 'self' http://10.0.0.5:8090");
    expect(csp).toContain("media-src 'self' blob: http://10.0.0.5:8090");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('takes the media origins from the stream template and the stream file', () => {
    expect(mediaOriginsOf('http://media.local:8090/hls/{kind}/{id}/index.m3u8', { 'CAM-1': 'https://cams.example.cn/a.m3u8', 'CAM-2': 'http://media.local:8090/b.m3u8' })).toEqual([
      'http://media.local:8090',
      'https://cams.example.cn',
    ]);
    expect(mediaOriginsOf(null, undefined)).toEqual([]);
  });
});

describe('cross-site requests', () => {
  const post = (path: string, headers: Record<string, string>, body = '{}') => fetch(`${server!.url}${path}`, { method: 'POST', headers, body });

  it('refuses a state change whose Origin or Sec-Fetch-Site names another site (also text/plain and another port), with a clear 403', async () => {
    server = await startTestServer({ config: { allowedOrigins: ['https://linkage.example.gov.cn'] } });
    const own = new URL(server.url).origin;
    for (const [path, headers] of [
      ['/api/auth/logout', { 'content-type': 'text/plain', origin: 'http://127.0.0.1:9999' }],
      ['/api/accounts/admin/revoke', { 'content-type': 'text/plain', origin: 'http://127.0.0.1:9999' }],
      ['/api/accounts/admin/reset-password', { 'content-type': 'application/json', origin: 'http://evil.example' }],
      ['/api/cases', { 'content-type': 'application/json', origin: 'null' }],
      ['/api/duty/log', { 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }],
      ['/api/broadcasts', { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }],
      // Percent-encoded, the same route (the router decodes the path): the same check.
      ['/%61pi/auth/logout', { 'content-type': 'text/plain', origin: 'http://evil.example' }],
    ] as const) {
      const res = await post(path, headers);
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(await res.json()).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/refused/) });
    }
    // The server's own pages, the configured proxy name and clients without browser headers pass the check
    // (and get the route's own answer: here, a schema or permission error, never the cross-site 403).
    for (const headers of [{ origin: own }, { origin: 'https://linkage.example.gov.cn' }, { 'sec-fetch-site': 'same-origin' }, {}] as Record<string, string>[]) {
      const res = await post('/api/auth/logout', { 'content-type': 'application/json', ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
    // Reads are not state changes; device ingest authenticates by key, not cookie.
    expect((await fetch(`${server.url}/api/health`, { headers: { origin: 'http://evil.example' } })).status).toBe(200);
    expect((await post('/api/ingest/devices', { 'content-type': 'application/json', origin: 'http://evil.example' }, '{"records":[]}')).status).not.toBe(403);
  });

  it('refuses a socket handshake from another origin and accepts its own', async () => {
    server = await startTestServer();
    const { io } = await import('socket.io-client');
    const attempt = (origin: string | null) =>
      new Promise<string>((resolve) => {
        const client = io(server!.url, { transports: ['websocket'], reconnection: false, ...(origin ? { extraHeaders: { origin } } : {}) });
        client.once('snapshot:sent', () => {
          client.disconnect();
          resolve('connected');
        });
        client.once('connect_error', (e) => {
          client.disconnect();
          resolve(`refused: ${e.message}`);
        });
      });
    expect(await attempt('http://evil.example')).toMatch(/^refused/);
    expect(await attempt('http://127.0.0.1:9999')).toMatch(/^refused/);
    expect(await attempt(new URL(server.url).origin)).toBe('connected');
    expect(await attempt(null)).toBe('connected');
  });
});

describe('a path no route serves', () => {
  it('answers 404 with a code and the path, also when a path parameter like %2e normalizes into another path', async () => {
    server = await startTestServer();
    const dotted = await server.post('/api/drones/%2e/recall', {});
    expect(dotted.status).toBe(404);
    expect(dotted.body).toEqual({ ok: false, code: 'NOT_FOUND', message: expect.stringContaining('POST /api/drones/') });
    const unknown = await server.get('/api/no-such-thing?x=1');
    expect(unknown.body).toEqual({ ok: false, code: 'NOT_FOUND', message: 'no route GET /api/no-such-thing' });
  });
});
