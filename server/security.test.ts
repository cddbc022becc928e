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
