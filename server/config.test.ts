import { describe, expect, it } from 'vitest';
import { configFromEnv, parseGatewayKeys, resolveConfig } from './config.ts';

describe('configuration', () => {
  it('has documented defaults', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', tickMs: 50, sqliteSynchronous: 'FULL', logLevel: 'info' });
    expect(c.dataDir).toMatch(/var$/);
    expect(c.gatewayKeys.size).toBe(0);
  });
  it('a config built in code gets the same defaults as an empty environment, whatever it leaves out', () => {
    const env = configFromEnv({});
    const { apiPerMinute: _a, authMode: _m, cookieSecure: _c, commandsPerSecond: _s, ...partial } = env;
    const resolved = resolveConfig({ ...partial, dutyShifts: undefined });
    expect(resolved).toMatchObject({ apiPerMinute: 1200, authMode: 'accounts', cookieSecure: false, commandsPerSecond: 10, dutyShifts: '08:00-20:00,20:00-08:00' });
    for (const key of ['apiPerMinute', 'authMode', 'cookieSecure', 'commandsPerSecond', 'dutyShifts', 'broadcastAnswerMs', 'sensorRulesFile'] as const) expect(resolved[key], key).toEqual(env[key]);
    // What it sets is kept.
    expect(resolveConfig({ ...partial, apiPerMinute: 0, allowedOrigins: ['https://wall.example'] })).toMatchObject({ apiPerMinute: 0, allowedOrigins: ['https://wall.example'] });
  });
  it('reads the environment and rejects nonsense with a clear message', () => {
    expect(configFromEnv({ PORT: '9000', HOST: '0.0.0.0', SQLITE_SYNCHRONOUS: 'normal' })).toMatchObject({ port: 9000, host: '0.0.0.0', sqliteSynchronous: 'NORMAL' });
    expect(() => configFromEnv({ PORT: 'abc' })).toThrow('PORT must be a non-negative integer, got "abc"');
    expect(() => configFromEnv({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/FULL or NORMAL/);
  });
  it('samples device health every minute unless told otherwise, and not more than once a second', () => {
    expect(configFromEnv({}).deviceHealthEveryMs).toBe(60_000);
    expect(configFromEnv({ DEVICE_HEALTH_EVERY_MS: '300000' }).deviceHealthEveryMs).toBe(300_000);
    expect(() => configFromEnv({ DEVICE_HEALTH_EVERY_MS: '50' })).toThrow('DEVICE_HEALTH_EVERY_MS must be at least 1000, got 50');
    expect(() => configFromEnv({ DEVICE_HEALTH_EVERY_MS: 'often' })).toThrow(/DEVICE_HEALTH_EVERY_MS must be a non-negative integer/);
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

describe('video stream configuration', () => {
  it('takes a template with {id} and a per-device file, and says what is wrong', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { parseVideoStreams } = await import('./config.ts');
    expect(configFromEnv({}).videoUrlTemplate).toBeNull();
    expect(configFromEnv({ VIDEO_URL_TEMPLATE: 'http://10.0.0.5:8090/hls/{id}/index.m3u8' }).videoUrlTemplate).toBe('http://10.0.0.5:8090/hls/{id}/index.m3u8');
    expect(() => configFromEnv({ VIDEO_URL_TEMPLATE: 'http://10.0.0.5/hls/index.m3u8' })).toThrow(/must contain \{id\}/);
    expect(() => configFromEnv({ VIDEO_URL_TEMPLATE: 'rtsp://cam/{id}' })).toThrow(/http\(s\) URL/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-cfg-'));
    const file = path.join(dir, 'streams.json');
    writeFileSync(file, JSON.stringify({ 'CAM-00001': 'https://nvr.local/live/1.m3u8' }));
    expect(configFromEnv({ VIDEO_STREAMS_FILE: file }).videoStreams).toEqual({ 'CAM-00001': 'https://nvr.local/live/1.m3u8' });
    writeFileSync(file, '{bad json');
    expect(() => configFromEnv({ VIDEO_STREAMS_FILE: file })).toThrow(/cannot read VIDEO_STREAMS_FILE/);
    expect(() => configFromEnv({ VIDEO_STREAMS_FILE: path.join(dir, 'missing.json') })).toThrow(/cannot read VIDEO_STREAMS_FILE/);
    expect(() => parseVideoStreams({ 'CAM-00001': 42 })).toThrow(/"CAM-00001" must map to an http\(s\) URL/);
    expect(() => parseVideoStreams(['x'])).toThrow(/JSON object/);
  });
});
