// Configuration from environment variables and flags (flags win). See simulator/README.md.
import { parseArgs } from 'node:util';
import type { ShiftRule } from './models/workers.ts';

export interface SimConfig {
  serverUrl: string;
  key: string;
  /** Gateway name: the MQTT username (the key is its password). */
  gateway: string;
  /** How telemetry and video events travel: MQTT (as field devices do) or HTTP batches. */
  transport: 'mqtt' | 'http';
  mqttUrl: string;
  datasetDir: string;
  speed: number;
  load: number; // device events/s of load traffic, 0 = off
  world: boolean; // run the realistic models (off with --no-world)
  loop: boolean; // the simulated staff work the cases through the command API (off with --no-loop)
  pollS: number; // loop: seconds between polls of the open cases
  leaveToPeople: string[]; // loop: reporter id prefixes whose cases the simulated staff leave alone
  duration: number; // seconds, 0 = forever
  seed: number;
  shift: ShiftRule;
  concurrency: number; // load mode requests in flight
  batch: number; // load mode records per request
  tickMs: number;
  logEveryS: number;
  dryRun: boolean;
  logLevel: string;
  /** Media server (real HLS video of cameras, lookouts, drones): port, 0 = off. */
  mediaPort: number;
  mediaHost: string;
  /** Most ffmpeg encoders running at once. */
  maxStreams: number;
  /** A stream nobody requested for this many seconds is stopped. */
  mediaIdleS: number;
}

export const USAGE = `Usage: npx tsx simulator/main.ts [options]

  --url URL          server base URL            (SERVER_URL, default http://127.0.0.1:8080)
  --key KEY          gateway ingest key         (GATEWAY_KEY, required unless --dry-run)
  --gateway NAME     gateway name = MQTT user   (GATEWAY_NAME, default simulator)
  --transport T      mqtt | http: how telemetry and video events travel (SIM_TRANSPORT, default mqtt)
  --mqtt URL         MQTT broker                (MQTT_URL, default mqtt://<server host>:1883)
  --dataset DIR      district dataset directory (DATASET_DIR, default data/generated)
  --speed N          time acceleration          (SIM_SPEED, default 1)
  --load N           extra load: N device events/s (SIM_LOAD, default 0 = off)
  --no-world         load mode only: no realistic models, no cases
  --no-loop          report cases but let nobody work them (no commands)
  --poll S           loop: seconds between polls of the open cases (SIM_POLL, default 5)
  --leave-to-people P  loop: reporter id prefixes (comma-separated) whose cases nobody simulated works,
                     left to the people at the screens (SIM_LEAVE_TO_PEOPLE, default none)
  --duration S       stop after S seconds       (SIM_DURATION, default 0 = run forever)
  --seed N           random seed                (SIM_SEED, default 20261123)
  --shift RULE       hours | always | auto      (SIM_SHIFT, default auto = hours at speed 1, else always)
  --concurrency N    load mode requests in flight (SIM_CONCURRENCY, default 8)
  --batch N          load mode records per request (SIM_BATCH, default 4000, max 10000)
  --log-every S      progress line interval      (SIM_LOG_EVERY, default 60; 10 in load mode)
  --dry-run          generate but do not send; log what would be sent
  --media-port N     serve real HLS video at /hls/<id>/index.m3u8 (SIM_MEDIA_PORT, default 0 = off)
  --media-host H     media server listen address (SIM_MEDIA_HOST, default 127.0.0.1)
  --max-streams N    most video streams (ffmpeg encoders) at once (SIM_MAX_STREAMS, default 16)
  --media-idle-s S   stop a stream nobody requested for S seconds (SIM_MEDIA_IDLE_S, default 30)
  --help`;

function num(name: string, v: string | undefined, fallback: number, min = 0): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}, got "${v}"`);
  return n;
}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): SimConfig | 'help' {
  const { values: f } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' }, key: { type: 'string' }, gateway: { type: 'string' }, transport: { type: 'string' }, mqtt: { type: 'string' }, dataset: { type: 'string' }, speed: { type: 'string' },
      load: { type: 'string' }, 'no-world': { type: 'boolean' }, 'no-loop': { type: 'boolean' }, poll: { type: 'string' }, 'leave-to-people': { type: 'string' }, duration: { type: 'string' }, seed: { type: 'string' },
      shift: { type: 'string' }, concurrency: { type: 'string' }, batch: { type: 'string' }, 'log-every': { type: 'string' },
      'dry-run': { type: 'boolean' }, 'media-port': { type: 'string' }, 'media-host': { type: 'string' }, 'max-streams': { type: 'string' }, 'media-idle-s': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (f.help) return 'help';
  const speed = num('--speed', f.speed ?? env.SIM_SPEED, 1, 0.001);
  const load = num('--load', f.load ?? env.SIM_LOAD, 0);
  const shiftRaw = f.shift ?? env.SIM_SHIFT ?? 'auto';
  if (!['hours', 'always', 'auto'].includes(shiftRaw)) throw new Error(`--shift must be hours, always or auto, got "${shiftRaw}"`);
  const dryRun = Boolean(f['dry-run']);
  const key = f.key ?? env.GATEWAY_KEY ?? '';
  if (!key && !dryRun) throw new Error('GATEWAY_KEY (or --key) is required: the server answers 401 without it');
  const world = !f['no-world'];
  if (!world && load <= 0) throw new Error('--no-world needs --load N');
  const serverUrl = (f.url ?? env.SERVER_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const transport = f.transport ?? env.SIM_TRANSPORT ?? 'mqtt';
  if (transport !== 'mqtt' && transport !== 'http') throw new Error(`--transport must be mqtt or http, got "${transport}"`);
  const mqttUrl = f.mqtt ?? env.MQTT_URL ?? `mqtt://${new URL(serverUrl).hostname}:1883`;
  if (!/^(mqtts?|wss?):\/\//.test(mqttUrl)) throw new Error(`--mqtt must be an mqtt://, mqtts://, ws:// or wss:// URL, got "${mqttUrl}"`);
  return {
    serverUrl,
    key,
    gateway: f.gateway ?? env.GATEWAY_NAME ?? 'simulator',
    transport,
    mqttUrl,
    datasetDir: f.dataset ?? env.DATASET_DIR ?? 'data/generated',
    speed,
    load,
    world,
    loop: world && !f['no-loop'] && !dryRun,
    pollS: num('--poll', f.poll ?? env.SIM_POLL, 5, 0.1),
    leaveToPeople: (f['leave-to-people'] ?? env.SIM_LEAVE_TO_PEOPLE ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    duration: num('--duration', f.duration ?? env.SIM_DURATION, 0),
    seed: Math.floor(num('--seed', f.seed ?? env.SIM_SEED, 20261123)),
    shift: shiftRaw === 'auto' ? (speed === 1 ? 'hours' : 'always') : (shiftRaw as ShiftRule),
    concurrency: Math.max(1, Math.floor(num('--concurrency', f.concurrency ?? env.SIM_CONCURRENCY, 8, 1))),
    batch: Math.min(10_000, Math.max(1, Math.floor(num('--batch', f.batch ?? env.SIM_BATCH, 4000, 1)))),
    tickMs: 250,
    logEveryS: num('--log-every', f['log-every'] ?? env.SIM_LOG_EVERY, load > 0 ? 10 : 60, 1),
    dryRun,
    logLevel: env.LOG_LEVEL ?? 'info',
    mediaPort: Math.floor(num('--media-port', f['media-port'] ?? env.SIM_MEDIA_PORT, 0)),
    mediaHost: f['media-host'] ?? env.SIM_MEDIA_HOST ?? '127.0.0.1',
    maxStreams: Math.floor(num('--max-streams', f['max-streams'] ?? env.SIM_MAX_STREAMS, 16, 1)),
    mediaIdleS: num('--media-idle-s', f['media-idle-s'] ?? env.SIM_MEDIA_IDLE_S, 30, 1),
  };
}
