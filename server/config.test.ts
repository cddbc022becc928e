import { describe, expect, it } from 'vitest';
import { configFromEnv, parseGatewayKeys } from './config.ts';

describe('configuration', () => {
  it('has documented defaults', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', tickMs: 50, sqliteSynchronous: 'FULL', logLevel: 'info' });
    expect(c.dataDir).toMatch(/var$/);
    expect(c.gatewayKeys.size).toBe(0);
  });
  it('reads the environment and rejects nonsense with a clear message', () => {
    expect(configFromEnv({ PORT: '9000', HOST: '0.0.0.0', SQLITE_SYNCHRONOUS: 'normal' })).toMatchObject({ port: 9000, host: '0.0.0.0', sqliteSynchronous: 'NORMAL' });
    expect(() => configFromEnv({ PORT: 'abc' })).toThrow('PORT must be a non-negative integer, got "abc"');
    expect(() => configFromEnv({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/FULL or NORMAL/);
  });
  it('parses gateway keys and refuses short ones', () => {
    expect([...parseGatewayKeys('sim:0123456789abcdef, hotline:fedcba9876543210')]).toEqual([
      ['0123456789abcdef', 'sim'],
      ['fedcba9876543210', 'hotline'],
    ]);
    expect(() => parseGatewayKeys('sim:short')).toThrow(/at least 16/);
    expect(() => parseGatewayKeys('nokey')).toThrow(/name:key/);
  });
});
