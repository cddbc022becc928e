// Server configuration. The environment is described by ONE schema, EnvSchema below (every variable:
// its type, bounds or allowed values, default and meaning): env-schema checks process.env against it
// (Ajv: strings coerced to numbers and booleans, defaults filled in), a failure names the variable
// and what it must be, and CONFIG_DEFAULTS is what an empty environment gives. README.md's
// configuration table lists the same variables (server/config.test.ts checks it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import envSchema from 'env-schema';
import Type, { type Static, type TSchema } from 'typebox';
import { parseAllowedOrigins } from './security/origin.ts';
import { CONNECT_TIMEOUT_MS } from './field/packet-guard.ts';

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
  /** How long a request for an urgent (紧急/特急) broadcast waits for a leader's decision before it expires (default 10 min). */
  broadcastApprovalMs?: number;
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
/** A file in the checkout: the default of a path variable (a path given in the environment is taken from the working directory). */
const inCheckout = (...parts: string[]) => path.join(root, ...parts);
const SHIFTS = '08:00-20:00,20:00-08:00';

/**
 * Every environment variable the server reads: name, type, bounds or allowed values, default and
 * meaning. A variable left unset or empty gets its default; values are trimmed; the words of an
 * enum match in any case (normal = NORMAL); a boolean also takes 1/0, yes/no, on/off. A `title`
 * says in words what a pattern asks for (the error message quotes it).
 */
export const EnvSchema = Type.Object(
  {
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'HTTP and Socket.IO port (0: any free port)' }),
    HOST: Type.String({ default: '127.0.0.1', description: 'listen address' }),
    DATA_DIR: Type.String({ default: inCheckout('var'), description: 'where the SQLite store and generated secrets live; created if missing' }),
    DATASET_DIR: Type.String({ default: inCheckout('data', 'generated'), description: 'the district dataset directory (generated on first start when empty)' }),
    STATIC_DIR: Type.String({ default: inCheckout('dist'), description: "the built dashboard served at '/'; skipped when missing" }),
    LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info', description: 'pino log level' }),
    TICK_MS: Type.Integer({ minimum: 10, default: 50, description: 'realtime hub tick: how often coalesced deltas are sent' }),
    GATEWAY_KEYS: Type.Optional(Type.String({ description: 'ingest keys, name:key,… (keys of 16 characters or more); unset: one is generated into DATA_DIR/gateway-keys.json' })),
    CITY_FEED_KEYS: Type.Optional(Type.String({ description: "the city platform's consumers of the exchange feed, name:key,…; unset: the feed answers 401" })),
    AUTH_MODE: Type.Enum(['accounts', 'declared'], { default: 'accounts', description: 'accounts: every call signs in; declared: a screen not signed in may declare who it acts as' }),
    RATE_LIMIT_PER_MIN: Type.Integer({ minimum: 0, default: 1200, description: 'API requests per minute per account (or address); 0: no limit' }),
    INGEST_RATE_LIMIT_PER_MIN: Type.Integer({ minimum: 0, default: 60_000, description: 'ingest requests per minute per gateway key; 0: no limit' }),
    COMMANDS_PER_SECOND: Type.Integer({ minimum: 0, default: 10, description: 'socket commands per second per connection (bursts of 3×); 0: no limit' }),
    COOKIE_SECURE: Type.Boolean({ default: false, description: 'mark the session cookie Secure (dashboard served over HTTPS)' }),
    DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', title: 'a postgres:// or postgresql:// connection string', description: 'PostgreSQL as the store of record; unset: the SQLite file under DATA_DIR' })),
    NODE_NAME: Type.Optional(Type.String({ description: "this node's name in /api/health and the logs (unset: <hostname>:<PORT>)" })),
    ALLOWED_ORIGINS: Type.Optional(Type.String({ description: "comma-separated origins beside the server's own whose pages may change state and open sockets" })),
    SQLITE_SYNCHRONOUS: Type.Enum(['FULL', 'NORMAL'], { default: 'FULL', description: 'FULL survives power loss, NORMAL only process crashes' }),
    CHECKPOINT_EVERY_MS: Type.Integer({ minimum: 0, default: 60_000, description: 'how often projections are checkpointed into the store (0: only on shutdown)' }),
    CALENDAR_FILE: Type.String({ default: inCheckout('data', 'calendar.json'), description: 'the working calendar SLA deadlines count in' }),
    SLA_FILE: Type.Optional(Type.String({ description: 'optional JSON overriding the SLA time limits' })),
    ESCALATE_EVERY_MS: Type.Integer({ minimum: 1000, default: 30_000, description: 'how often overdue cases are checked for automatic escalation' }),
    VIDEO_CASE_CONFIDENCE: Type.Number({ minimum: 0, maximum: 1, default: 0.9, description: 'video AI detections at or above this confidence open (or join) a case' }),
    MQTT_PORT: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Literal('off')], { default: 1883, description: "the embedded MQTT broker's port; off: none" }),
    MQTT_HOST: Type.Optional(Type.String({ description: "the embedded broker's listen address (unset: HOST)" })),
    MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?|tcp|ssl)://', title: 'an mqtt://, mqtts://, ws:// or wss:// URL', description: 'an external broker to ingest from instead of the embedded one' })),
    MQTT_USERNAME: Type.Optional(Type.String({ description: "the server's login at the external broker" })),
    MQTT_PASSWORD: Type.Optional(Type.String({ description: "the server's password at the external broker" })),
    MQTT_SHARE_GROUP: Type.String({ default: 'linkage-ingest', description: 'shared-subscription group of the ingest nodes of one deployment' }),
    MQTT_CLIENT_ID: Type.Optional(Type.String({ description: 'stable client id per node (unset: linkage-ingest-<hostname>)' })),
    MQTT_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: CONNECT_TIMEOUT_MS, description: 'the embedded broker cuts a connection not logged in this long after connecting' }),
    BROADCAST_ANSWER_MS: Type.Integer({ minimum: 0, default: 60_000, description: 'how long a broadcast point has to answer beyond the playing time before it counts as no-answer' }),
    BROADCAST_SWEEP_MS: Type.Integer({ minimum: 100, default: 1000, description: 'how often unanswered broadcast points are checked' }),
    BROADCAST_APPROVAL_MS: Type.Integer({ minimum: 1000, default: 600_000, description: "how long a request for an urgent broadcast waits for a duty leader's decision before it expires" }),
    SENSOR_RULES_FILE: Type.String({ default: inCheckout('data', 'sensor-rules.json'), description: 'sensor threshold rules with hysteresis' }),
    SHIFTS: Type.String({ default: SHIFTS, description: 'grid worker duty shifts, Asia/Shanghai' }),
    DUTY_SHIFTS: Type.String({ default: SHIFTS, description: "the center's duty shifts (县干轮流坐班), Asia/Shanghai" }),
    DUTY_POOL_FILE: Type.String({ default: inCheckout('data', 'duty-pool.json'), description: 'the people the duty roster rotates through' }),
    DEVICE_HEALTH_EVERY_MS: Type.Integer({ minimum: 1000, default: 60_000, description: "how often each device kind's status counts are sampled for device health over time" }),
    VIDEO_URL_TEMPLATE: Type.Optional(Type.String({ description: 'stream URL of any camera, lookout or drone: {id} (and {kind}) are replaced' })),
    VIDEO_STREAMS_FILE: Type.Optional(Type.String({ description: 'JSON object of device id → stream URL; an entry wins over the template' })),
  },
  { additionalProperties: false },
);

/** The environment once checked: numbers are numbers, defaults are filled in. */
export type Env = Static<typeof EnvSchema>;

const VARIABLES: Record<string, TSchema> = EnvSchema.properties;

/** The schema's defaults: what an empty environment gives, without running the validator. */
function envDefaults(): Env {
  const defaults: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(VARIABLES)) if ('default' in schema) defaults[name] = schema.default;
  return defaults as Env;
}

/** Checks the environment against EnvSchema (through env-schema); throws an error naming each bad variable. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const given = givenValues(env);
  try {
    return envSchema<Env>({
      schema: EnvSchema,
      data: { ...given },
      env: false,
    });
  } catch (error) {
    throw envError(error, given);
  }
}

/** The variables of the schema that are set (not empty), trimmed, enum words in the schema's case. */
function givenValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const given: Record<string, string> = {};
  for (const [name, schema] of Object.entries(VARIABLES)) {
    const value = env[name]?.trim();
    if (value) given[name] = canonical(schema, value);
  }
  return given;
}

const BOOLEAN_WORDS: Record<string, string> = { '1': 'true', yes: 'true', on: 'true', '0': 'false', no: 'false', off: 'false' };

/** A keyword of a schema, read as JSON (TypeBox's types do not carry the options). */
const keyword = (schema: TSchema, name: string): unknown => Reflect.get(schema, name);
const branches = (schema: TSchema): TSchema[] => {
  const anyOf = keyword(schema, 'anyOf');
  return Array.isArray(anyOf) ? anyOf.filter(Type.IsSchema) : [];
};

function canonical(schema: TSchema, value: string): string {
  const word = words(schema).find((w) => w.toLowerCase() === value.toLowerCase());
  if (word !== undefined) return word;
  if (keyword(schema, 'type') === 'boolean') return BOOLEAN_WORDS[value.toLowerCase()] ?? value;
  return value;
}

/** The words an enum (or a union with literals) allows. */
function words(schema: TSchema): string[] {
  const values = keyword(schema, 'enum');
  const constant = keyword(schema, 'const');
  return [
    ...(Array.isArray(values) ? values.filter((w) => typeof w === 'string') : []),
    ...(typeof constant === 'string' ? [constant] : []),
    ...branches(schema).flatMap(words),
  ];
}

/** What a variable must be, in words, from its schema: "an integer from 0 to 65535 or off". */
export function expectation(schema: TSchema): string {
  const title = keyword(schema, 'title');
  if (typeof title === 'string') return title;
  const union = branches(schema);
  if (union.length > 0) return union.map(expectation).join(' or ');
  const choices = words(schema);
  if (choices.length > 0) return choices.length <= 2 ? choices.join(' or ') : `one of ${choices.join(', ')}`;
  const [type, min, max] = [keyword(schema, 'type'), keyword(schema, 'minimum'), keyword(schema, 'maximum')];
  if (type === 'integer' || type === 'number') {
    const what = type === 'integer' ? 'an integer' : 'a number';
    if (typeof min === 'number' && typeof max === 'number') return `${what} from ${min} to ${max}`;
    if (min === 0) return `a non-negative ${type}`;
    if (typeof min === 'number') return `${what} of at least ${min}`;
    return what;
  }
  if (type === 'boolean') return 'true or false (1 or 0)';
  return `a ${String(type)}`;
}

/** env-schema's failure (Ajv's errors) as one message naming each bad variable with what it must be and what it got. */
function envError(error: unknown, given: Record<string, string>): unknown {
  const errors: unknown = error instanceof Error && 'errors' in error ? error.errors : undefined;
  if (!Array.isArray(errors)) return error;
  const messages = new Map<string, string>();
  for (const e of errors) {
    const name = typeof e?.instancePath === 'string' ? e.instancePath.split('/')[1] : undefined;
    const schema = name === undefined ? undefined : VARIABLES[name];
    if (name === undefined || schema === undefined || messages.has(name)) continue;
    messages.set(name, `${name} must be ${expectation(schema)}, got ${JSON.stringify(hidePassword(given[name] ?? ''))}`);
  }
  return messages.size > 0 ? new Error([...messages.values()].join('; ')) : error;
}

/** A connection string's password is never echoed. */
const hidePassword = (value: string) => value.replace(/:[^:@/]*@/, ':***@');

/** The configuration from checked variables. */
function configOf(e: Env): ResolvedConfig {
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    datasetDir: path.resolve(e.DATASET_DIR),
    staticDir: path.resolve(e.STATIC_DIR),
    logLevel: e.LOG_LEVEL,
    tickMs: e.TICK_MS,
    gatewayKeys: parseGatewayKeys(e.GATEWAY_KEYS),
    cityFeedKeys: parseNamedKeys('CITY_FEED_KEYS', e.CITY_FEED_KEYS),
    gatewayKeysFile: null,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    checkpointEveryMs: e.CHECKPOINT_EVERY_MS,
    calendarFile: path.resolve(e.CALENDAR_FILE),
    slaFile: e.SLA_FILE ? path.resolve(e.SLA_FILE) : null,
    escalateEveryMs: e.ESCALATE_EVERY_MS,
    videoCaseConfidence: e.VIDEO_CASE_CONFIDENCE,
    broadcastAnswerMs: e.BROADCAST_ANSWER_MS,
    broadcastSweepMs: e.BROADCAST_SWEEP_MS,
    broadcastApprovalMs: e.BROADCAST_APPROVAL_MS,
    sensorRulesFile: path.resolve(e.SENSOR_RULES_FILE),
    shifts: e.SHIFTS,
    dutyPoolFile: path.resolve(e.DUTY_POOL_FILE),
    dutyShifts: e.DUTY_SHIFTS,
    deviceHealthEveryMs: e.DEVICE_HEALTH_EVERY_MS,
    authMode: e.AUTH_MODE,
    databaseUrl: e.DATABASE_URL ?? null,
    nodeName: e.NODE_NAME ?? `${os.hostname()}:${e.PORT}`,
    allowedOrigins: parseAllowedOrigins(e.ALLOWED_ORIGINS),
    cookieSecure: e.COOKIE_SECURE,
    apiPerMinute: e.RATE_LIMIT_PER_MIN,
    ingestPerMinute: e.INGEST_RATE_LIMIT_PER_MIN,
    commandsPerSecond: e.COMMANDS_PER_SECOND,
    mqtt: mqttOf(e),
    videoUrlTemplate: parseVideoUrlTemplate(e.VIDEO_URL_TEMPLATE),
    videoStreams: readVideoStreams(e.VIDEO_STREAMS_FILE),
  };
}

function mqttOf(e: Env): MqttConfig {
  const url = e.MQTT_URL ?? null;
  return {
    port: url || e.MQTT_PORT === 'off' ? null : e.MQTT_PORT,
    host: e.MQTT_HOST ?? e.HOST,
    url,
    username: e.MQTT_USERNAME,
    password: e.MQTT_PASSWORD,
    shareGroup: e.MQTT_SHARE_GROUP,
    clientId: e.MQTT_CLIENT_ID,
    connectTimeoutMs: e.MQTT_CONNECT_TIMEOUT_MS,
  };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return configOf(readEnv(env));
}

/** MQTT_PORT (default 1883; "off" for none), MQTT_HOST, or MQTT_URL for an external broker. */
export function mqttFromEnv(env: NodeJS.ProcessEnv): MqttConfig {
  return mqttOf(readEnv(env));
}

function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) out[key] = from[key];
  return out as Pick<T, K>;
}

/**
 * The one place the settings a ServerConfig may leave out get their values: buildApp fills them in
 * (resolveConfig) for configs built in code (tests, the history writer). They are what an empty
 * environment gives, so each default is written once, in EnvSchema. A setting that has no variable
 * of its own is added here as a literal.
 */
export const CONFIG_DEFAULTS = {
  ...pick(configOf(envDefaults()), [
    'cityFeedKeys', 'gatewayKeysFile', 'broadcastAnswerMs', 'broadcastSweepMs', 'broadcastApprovalMs', 'sensorRulesFile', 'shifts', 'dutyPoolFile', 'dutyShifts',
    'deviceHealthEveryMs', 'authMode', 'databaseUrl', 'allowedOrigins', 'cookieSecure', 'apiPerMinute', 'ingestPerMinute', 'commandsPerSecond',
    'videoUrlTemplate', 'videoStreams',
  ]),
  // Built in code there is no host to name it after (from the environment: <hostname>:<PORT>).
  nodeName: 'linkage',
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

