import { describe, expect, it } from 'vitest';
import { crossSiteProblem, ownOrigins, parseAllowedOrigins } from './origin.ts';

describe('cross-site refusal', () => {
  const own = ownOrigins({ host: '127.0.0.1:8080' }, ['https://linkage.example.gov.cn'], false);

  it('accepts the own origin, a configured one, and clients that send no browser headers', () => {
    expect(crossSiteProblem({ origin: 'http://127.0.0.1:8080' }, own)).toBeNull();
    expect(crossSiteProblem({ origin: 'https://linkage.example.gov.cn' }, own)).toBeNull();
    expect(crossSiteProblem({}, own)).toBeNull();
    expect(crossSiteProblem({ 'sec-fetch-site': 'same-origin' }, own)).toBeNull();
    expect(crossSiteProblem({ 'sec-fetch-site': 'none' }, own)).toBeNull();
  });

  it('refuses another port of the same host, another site, a null origin, and cross/same-site fetches', () => {
    expect(crossSiteProblem({ origin: 'http://127.0.0.1:9999' }, own)).toMatch(/127\.0\.0\.1:9999/);
    expect(crossSiteProblem({ origin: 'http://evil.example' }, own)).toMatch(/evil/);
    expect(crossSiteProblem({ origin: 'null' }, own)).toMatch(/null/);
    expect(crossSiteProblem({ 'sec-fetch-site': 'cross-site' }, own)).toMatch(/cross-site/);
    expect(crossSiteProblem({ 'sec-fetch-site': 'same-site' }, own)).toMatch(/same-site/);
  });

  it('behind TLS the own origin is https', () => {
    const tls = ownOrigins({ host: 'screen.local' }, [], true);
    expect(crossSiteProblem({ origin: 'https://screen.local' }, tls)).toBeNull();
    expect(crossSiteProblem({ origin: 'http://screen.local' }, tls)).not.toBeNull();
  });

  it('ALLOWED_ORIGINS takes origins only, with clear errors', () => {
    expect(parseAllowedOrigins(' https://a.example , http://b.example:8080 ')).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(() => parseAllowedOrigins('a.example')).toThrow(/not an origin/);
    expect(() => parseAllowedOrigins('https://a.example/path')).toThrow(/scheme, host and port only/);
    expect(() => parseAllowedOrigins('ftp://a.example')).toThrow(/not an origin/);
  });
});
