import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, configFromEnv, EnvSchema, mqttFromEnv, parseGatewayKeys, resolveConfig } from './config.ts';

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
    expect(() => configFromEnv({ PORT: 'abc' })).toThrow('PORT must be an integer from 0 to 65535, got "abc"');
    expect(() => configFromEnv({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/FULL or NORMAL/);
  });
  it('takes its defaults from the schema: an empty environment gives CONFIG_DEFAULTS', () => {
    const env = configFromEnv({});
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) if (key !== 'nodeName') expect(env[key as keyof typeof env], key).toEqual(value);
    // An empty or blank variable is the same as an unset one.
    expect(configFromEnv({ PORT: '', HOST: ' ', TICK_MS: '' })).toMatchObject({ port: 8080, host: '127.0.0.1', tickMs: 50 });
  });
  it('names the variable, what it must be and what it got, for every bad value at once', () => {
    const cases: [Record<string, string>, string][] = [
      [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535, got "70000"'],
      [{ PORT: '-1' }, 'PORT must be an integer from 0 to 65535, got "-1"'],
      [{ PORT: '80.5' }, 'PORT must be an integer from 0 to 65535, got "80.5"'],
      [{ TICK_MS: '5' }, 'TICK_MS must be an integer of at least 10, got "5"'],
      [{ ESCALATE_EVERY_MS: '10' }, 'ESCALATE_EVERY_MS must be an integer of at least 1000, got "10"'],
      [{ RATE_LIMIT_PER_MIN: 'lots' }, 'RATE_LIMIT_PER_MIN must be a non-negative integer, got "lots"'],
      [{ VIDEO_CASE_CONFIDENCE: '1.5' }, 'VIDEO_CASE_CONFIDENCE must be a number from 0 to 1, got "1.5"'],
      [{ AUTH_MODE: 'open' }, 'AUTH_MODE must be accounts or declared, got "open"'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
      [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE must be true or false (1 or 0), got "maybe"'],
      [{ MQTT_PORT: 'none' }, 'MQTT_PORT must be an integer from 0 to 65535 or off, got "none"'],
      [{ MQTT_PORT: '70000' }, 'MQTT_PORT must be an integer from 0 to 65535 or off, got "70000"'],
      [{ MQTT_CONNECT_TIMEOUT_MS: '0' }, 'MQTT_CONNECT_TIMEOUT_MS must be an integer of at least 1, got "0"'],
      [{ MQTT_URL: 'http://broker' }, 'MQTT_URL must be an mqtt://, mqtts://, ws:// or wss:// URL, got "http://broker"'],
      // The password of a connection string is not echoed.
      [{ DATABASE_URL: 'mysql://linkage:s3cret@db/linkage' }, 'DATABASE_URL must be a postgres:// or postgresql:// connection string, got "mysql://linkage:***@db/linkage"'],
    ];
    for (const [env, message] of cases) expect(() => configFromEnv(env), JSON.stringify(env)).toThrow(message);
    expect(() => configFromEnv({ PORT: 'abc', SQLITE_SYNCHRONOUS: 'OFF' })).toThrow('PORT must be an integer from 0 to 65535, got "abc"; SQLITE_SYNCHRONOUS must be FULL or NORMAL, got "OFF"');
  });
  it('reads words in any case and booleans as 1/0, true/false, yes/no, on/off', () => {
    expect(configFromEnv({ AUTH_MODE: ' Declared ', LOG_LEVEL: 'WARN', COOKIE_SECURE: '1' })).toMatchObject({ authMode: 'declared', logLevel: 'warn', cookieSecure: true });
    for (const [value, secure] of [['true', true], ['yes', true], ['ON', true], ['0', false], ['false', false], ['no', false]] as const) expect(configFromEnv({ COOKIE_SECURE: value }).cookieSecure, value).toBe(secure);
    expect(mqttFromEnv({})).toMatchObject({ port: 1883, host: '127.0.0.1', url: null, shareGroup: 'linkage-ingest', connectTimeoutMs: 10_000 });
    expect(mqttFromEnv({ MQTT_PORT: 'Off', HOST: '0.0.0.0' })).toMatchObject({ port: null, host: '0.0.0.0' });
    expect(mqttFromEnv({ MQTT_URL: 'mqtts://broker:8883', MQTT_PORT: '1884' })).toMatchObject({ port: null, url: 'mqtts://broker:8883' });
    expect(mqttFromEnv({ MQTT_CONNECT_TIMEOUT_MS: '300' }).connectTimeoutMs).toBe(300);
  });
  it('samples device health every minute unless told otherwise, and not more than once a second', () => {
    expect(configFromEnv({}).deviceHealthEveryMs).toBe(60_000);
    expect(configFromEnv({ DEVICE_HEALTH_EVERY_MS: '300000' }).deviceHealthEveryMs).toBe(300_000);
    expect(() => configFromEnv({ DEVICE_HEALTH_EVERY_MS: '50' })).toThrow('DEVICE_HEALTH_EVERY_MS must be an integer of at least 1000, got "50"');
    expect(() => configFromEnv({ DEVICE_HEALTH_EVERY_MS: 'often' })).toThrow('DEVICE_HEALTH_EVERY_MS must be an integer of at least 1000, got "often"');
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

describe('README.md configuration tables', () => {
  const root = path.resolve(import.meta.dirname, '..');
  /** Variable → its default cell, from every table row whose first cell lists `VARIABLE`s. */
  const documented = new Map<string, string>();
  for (const line of readFileSync(path.join(root, 'README.md'), 'utf8').split('\n')) {
    const cells = line.split(' | ');
    const names = cells[0].replace(/^\| /, '').split(', ');
    if (cells.length < 3 || !names.every((n) => /^`[A-Z][A-Z0-9_]*`$/.test(n))) continue;
    for (const name of names) documented.set(name.slice(1, -1), cells[1].trim());
  }
  /** Read by npm start and the simulator, not by the server. */
  const notTheServers = ['SIMULATOR', 'HISTORY_DAYS', 'MEDIA_PORT', 'SIM_SPEED', 'SIM_LOAD', 'GATEWAY_KEY', 'GATEWAY_NAME', 'SIM_TRANSPORT', 'SERVER_URL'];

  it('list every variable of the schema and no server variable it does not have', () => {
    expect([...Object.keys(EnvSchema.properties)].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented.keys()].filter((name) => !(name in EnvSchema.properties) && !notTheServers.includes(name))).toEqual([]);
  });
  it("show each schema default: a path from the checkout's root, anything else as it is", () => {
    for (const [name, schema] of Object.entries(EnvSchema.properties)) {
      const value: unknown = Reflect.get(schema, 'default');
      if (value === undefined) continue;
      const shown = typeof value === 'string' && path.isAbsolute(value) ? `./${path.relative(root, value)}` : String(value);
      expect(documented.get(name), name).toMatch(new RegExp(`^\`${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``));
    }
  });
});
