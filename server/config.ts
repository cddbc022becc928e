// Server configuration from environment variables (documented in README.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { parseAllowedOrigins } from './security/origin.ts';
import { packetLimitsFromEnv } from './field/packet-guard.ts';

export interface ServerConfig {
  port: number;
  host: string;
  /** Where the SQLite store and generated secrets live; created if missing. */
  dataDir: string;
  /** The district dataset directory (generated on first start when empty). */
  datasetDir: string;
  /** Built dashboard to serve at '/'; skipped when the directory does not exist. */
  staticDir: string;
  logLevel: string;
  /** Realtime hub tick: how often coalesced deltas are sent. */
  tickMs: number;
  /** Gateway name by ingest key. Empty: a key is generated into DATA_DIR/gateway-keys.json. */
  gatewayKeys: Map<string, string>;
  /** The city platform's consumers of the exchange feed (CITY_FEED_KEYS="name:key,…"): key → name. None: the feed answers 401. */
  cityFeedKeys?: Map<string, string>;
  /** The file the keys were read from, when an admin may issue and revoke them at run time (null: GATEWAY_KEYS). */
  gatewayKeysFile?: string | null;
  /** SQLite synchronous mode: FULL survives power loss, NORMAL only process crashes. */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** How often projections are checkpointed into the store, so restarts replay only the log after it. */
  checkpointEveryMs: number;
  /** Working calendar (periods, public holidays, make-up working days) for SLA deadlines. */
  calendarFile: string;
  /** Optional SLA overrides (warnFraction, urgentNaturalHours, classOverrides, ...); null for the defaults. */
  slaFile: string | null;
  /** How often overdue cases are checked for automatic escalation. */
  escalateEveryMs: number;
  /** Video AI detections at or above this confidence open (or join) a case; below it they stay alarms. */
  videoCaseConfidence: number;
  /** How long a broadcast point has to answer beyond the playing time before it counts as no-answer (default 60 s). */
  broadcastAnswerMs?: number;
  /** How often unanswered broadcast points are checked (default 1 s). */
  broadcastSweepMs?: number;
  /** Sensor threshold rules with hysteresis (default data/sensor-rules.json). */
  sensorRulesFile?: string;
  /** Grid worker duty shifts, Asia/Shanghai ("08:00-20:00,20:00-08:00"). */
  shifts?: string;
  /** The people the duty roster rotates through (default data/duty-pool.json). */
  dutyPoolFile?: string;
  /** The center's duty shifts (县干轮流坐班), Asia/Shanghai (default "08:00-20:00,20:00-08:00"). */
  dutyShifts?: string;
  /** How often each device kind's status counts are sampled for device health over time (default 60 s). */
  deviceHealthEveryMs?: number;
  /**
   * 'accounts': every dashboard and API call signs in (the default). 'declared': a screen not signed
   * in may still declare who it acts as (development and the browser tests); signed-in sessions win.
   */
  authMode?: 'accounts' | 'declared';
  /** PostgreSQL as the store of record (a cluster of nodes); unset: the embedded SQLite file under dataDir. */
  databaseUrl?: string | null;
  /** This node's name in /api/health and the logs (default: host name and port). */
  nodeName?: string;
  /** Origins beside the server's own whose pages may change state and open sockets (ALLOWED_ORIGINS: a reverse proxy's public name). */
  allowedOrigins?: string[];
  /** Mark the session cookie Secure (when the dashboard is served over HTTPS). */
  cookieSecure?: boolean;
  /** API requests per minute per account (or address); 0 = no limit. */
  apiPerMinute?: number;
  /** Ingest requests per minute per gateway key; 0 = no limit. */
  ingestPerMinute?: number;
  /** Socket commands per second per connection (bursts of 3× allowed); 0 = no limit. */
  commandsPerSecond?: number;
  /** MQTT: the embedded broker's port (null: none), or an external broker to subscribe to instead. */
  mqtt: MqttConfig;
  /** Stream URL of any camera/lookout/drone: `{id}` (and `{kind}`) are replaced; null = none. */
  videoUrlTemplate?: string | null;
  /** Stream URL per device id (VIDEO_STREAMS_FILE); wins over the template. */
  videoStreams?: Record<string, string>;
}

export interface MqttConfig {
  port: number | null;
  host: string;
  url: string | null;
  username?: string;
  password?: string;
  shareGroup: string;
  clientId?: string;
  /** Embedded broker: how long a new connection has to log in (MQTT_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
}

const root = path.resolve(import.meta.dirname, '..');

/**
 * The one place the settings a ServerConfig may leave out get their values: configFromEnv falls
 * back to them, and buildApp fills them in (resolveConfig) for configs built in code (tests, the
 * history writer), so no plugin or route repeats a default.
 */
export const CONFIG_DEFAULTS = {
  cityFeedKeys: new Map<string, string>(),
  gatewayKeysFile: null,
  broadcastAnswerMs: 60_000,
  broadcastSweepMs: 1000,
  sensorRulesFile: path.join(root, 'data', 'sensor-rules.json'),
  shifts: '08:00-20:00,20:00-08:00',
  dutyPoolFile: path.join(root, 'data', 'duty-pool.json'),
  dutyShifts: '08:00-20:00,20:00-08:00',
  deviceHealthEveryMs: 60_000,
  authMode: 'accounts',
  databaseUrl: null,
  nodeName: 'linkage',
  allowedOrigins: [],
  cookieSecure: false,
  apiPerMinute: 1200,
  ingestPerMinute: 60_000,
  commandsPerSecond: 10,
  videoUrlTemplate: null,
  videoStreams: {},
} satisfies { [K in OptionalKeys<ServerConfig>]-?: ServerConfig[K] };

type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];
/** A config with every setting present. */
export type ResolvedConfig = Required<ServerConfig>;

/** Fills what a config leaves out (or sets to undefined) from CONFIG_DEFAULTS. */
export function resolveConfig(config: ServerConfig): ResolvedConfig {
  const out: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) if (out[key] === undefined) out[key] = value;
  return out as ResolvedConfig;
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function atLeast(name: string, min: number, n: number): number {
  if (n < min) throw new Error(`${name} must be at least ${min}, got ${n}`);
  return n;
}

function fraction(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${name} must be a number from 0 to 1, got "${value}"`);
  return n;
}

/** Parses GATEWAY_KEYS="name:key,name2:key2". */
export function parseGatewayKeys(spec: string | undefined): Map<string, string> {
  return parseNamedKeys('GATEWAY_KEYS', spec);
}

/** Parses a list of "name:key" (keys of 16 characters or more) into key → name. */
export function parseNamedKeys(variable: string, spec: string | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1) throw new Error(`${variable} entry "${part}" must look like name:key`);
    const key = part.slice(colon + 1);
    if (key.length < 16) throw new Error(`${variable} key for "${part.slice(0, colon)}" must be at least 16 characters`);
    keys.set(key, part.slice(0, colon));
  }
  return keys;
}

const isStreamUrl = (u: string) => /^(https?:\/\/[^\s/]+|\/)\S*$/.test(u);

/** Checks VIDEO_URL_TEMPLATE: an http(s) URL (or a path on this server) containing {id}. */
export function parseVideoUrlTemplate(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const t = value.trim();
  if (!t.includes('{id}')) throw new Error(`VIDEO_URL_TEMPLATE must contain {id} (the device id), got "${t}"`);
  if (!isStreamUrl(t)) throw new Error(`VIDEO_URL_TEMPLATE must be an http(s) URL or a path starting with /, got "${t}"`);
  return t;
}

/** Checks the parsed VIDEO_STREAMS_FILE: an object of device id → http(s) URL (or path). */
export function parseVideoStreams(json: unknown, file = 'VIDEO_STREAMS_FILE'): Record<string, string> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file} must be a JSON object of device id → stream URL`);
  const streams: Record<string, string> = {};
  for (const [id, url] of Object.entries(json)) {
    if (typeof url !== 'string' || !isStreamUrl(url)) throw new Error(`${file}: "${id}" must map to an http(s) URL or a path starting with /, got ${JSON.stringify(url)}`);
    streams[id] = url;
  }
  return streams;
}

function readVideoStreams(file: string | undefined): Record<string, string> {
  if (!file) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path.resolve(file), 'utf8'));
  } catch (error) {
    throw new Error(`cannot read VIDEO_STREAMS_FILE ${file}: ${(error as Error).message}`);
  }
  return parseVideoStreams(json, `VIDEO_STREAMS_FILE ${file}`);
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const sync = (env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error(`SQLITE_SYNCHRONOUS must be FULL or NORMAL, got "${sync}"`);
  return {
    port: int('PORT', env.PORT, 8080),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || path.join(root, 'var')),
    datasetDir: path.resolve(env.DATASET_DIR || path.join(root, 'data', 'generated')),
    staticDir: path.resolve(env.STATIC_DIR || path.join(root, 'dist')),
    logLevel: env.LOG_LEVEL || 'info',
    tickMs: Math.max(10, int('TICK_MS', env.TICK_MS, 50)),
    gatewayKeys: parseGatewayKeys(env.GATEWAY_KEYS),
    cityFeedKeys: parseNamedKeys('CITY_FEED_KEYS', env.CITY_FEED_KEYS),
    sqliteSynchronous: sync,
    checkpointEveryMs: int('CHECKPOINT_EVERY_MS', env.CHECKPOINT_EVERY_MS, 300_000),
    calendarFile: path.resolve(env.CALENDAR_FILE || path.join(root, 'data', 'calendar.json')),
    slaFile: env.SLA_FILE ? path.resolve(env.SLA_FILE) : null,
    escalateEveryMs: Math.max(1000, int('ESCALATE_EVERY_MS', env.ESCALATE_EVERY_MS, 30_000)),
    videoCaseConfidence: fraction('VIDEO_CASE_CONFIDENCE', env.VIDEO_CASE_CONFIDENCE, 0.9),
    broadcastAnswerMs: int('BROADCAST_ANSWER_MS', env.BROADCAST_ANSWER_MS, CONFIG_DEFAULTS.broadcastAnswerMs),
    broadcastSweepMs: Math.max(100, int('BROADCAST_SWEEP_MS', env.BROADCAST_SWEEP_MS, CONFIG_DEFAULTS.broadcastSweepMs)),
    sensorRulesFile: path.resolve(env.SENSOR_RULES_FILE || CONFIG_DEFAULTS.sensorRulesFile),
    shifts: env.SHIFTS || CONFIG_DEFAULTS.shifts,
    dutyPoolFile: path.resolve(env.DUTY_POOL_FILE || CONFIG_DEFAULTS.dutyPoolFile),
    dutyShifts: env.DUTY_SHIFTS || CONFIG_DEFAULTS.dutyShifts,
    deviceHealthEveryMs: atLeast('DEVICE_HEALTH_EVERY_MS', 1000, int('DEVICE_HEALTH_EVERY_MS', env.DEVICE_HEALTH_EVERY_MS, CONFIG_DEFAULTS.deviceHealthEveryMs)),
    authMode: authModeFrom(env.AUTH_MODE),
    allowedOrigins: parseAllowedOrigins(env.ALLOWED_ORIGINS),
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    nodeName: env.NODE_NAME || `${os.hostname()}:${env.PORT || 8080}`,
    cookieSecure: env.COOKIE_SECURE === '1' || env.COOKIE_SECURE === 'true',
    apiPerMinute: int('RATE_LIMIT_PER_MIN', env.RATE_LIMIT_PER_MIN, CONFIG_DEFAULTS.apiPerMinute),
    ingestPerMinute: int('INGEST_RATE_LIMIT_PER_MIN', env.INGEST_RATE_LIMIT_PER_MIN, CONFIG_DEFAULTS.ingestPerMinute),
    commandsPerSecond: int('COMMANDS_PER_SECOND', env.COMMANDS_PER_SECOND, CONFIG_DEFAULTS.commandsPerSecond),
    mqtt: mqttFromEnv(env),
    videoUrlTemplate: parseVideoUrlTemplate(env.VIDEO_URL_TEMPLATE),
    videoStreams: readVideoStreams(env.VIDEO_STREAMS_FILE),
  };
}

function parseDatabaseUrl(v: string | undefined): string | null {
  const url = v?.trim();
  if (!url) return null;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// connection string, got "${url.replace(/:[^:@/]*@/, ':***@')}"`);
  return url;
}

function authModeFrom(v: string | undefined): 'accounts' | 'declared' {
  const mode = (v ?? CONFIG_DEFAULTS.authMode).trim().toLowerCase();
  if (mode !== 'accounts' && mode !== 'declared') throw new Error(`AUTH_MODE must be accounts or declared, got "${v}"`);
  return mode;
}

/** MQTT_PORT (default 1883; "off" for none), MQTT_HOST, or MQTT_URL for an external broker. */
export function mqttFromEnv(env: NodeJS.ProcessEnv): MqttConfig {
  const url = env.MQTT_URL?.trim() || null;
  if (url && !/^(mqtts?|wss?|tcp|ssl):\/\//.test(url)) throw new Error(`MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://, got "${url}"`);
  const off = (env.MQTT_PORT ?? '').toLowerCase() === 'off';
  const port = off || url ? null : int('MQTT_PORT', env.MQTT_PORT, 1883);
  if (port !== null && port > 65535) throw new Error(`MQTT_PORT must be at most 65535, got ${port}`);
  return {
    port,
    host: env.MQTT_HOST || env.HOST || '127.0.0.1',
    url,
    username: env.MQTT_USERNAME || undefined,
    password: env.MQTT_PASSWORD || undefined,
    shareGroup: env.MQTT_SHARE_GROUP || 'linkage-ingest',
    clientId: env.MQTT_CLIENT_ID || undefined,
    connectTimeoutMs: packetLimitsFromEnv(env).connectTimeoutMs,
  };
}
