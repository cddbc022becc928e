// Runs the whole product as one process tree: the server (with its SQLite store) and the
// simulator as child processes. Used by `npm start` and by the browser tests.
// Each child is `node --import tsx` (no tsx CLI in between: it SIGKILLs a child that is slow to
// acknowledge a signal) in its own process group, so a terminal's Ctrl+C reaches only the runner,
// which stops them in order: the simulator (delivering its queue), then the server (commit,
// checkpoint, close the store).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from './free-port.ts';

import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// Resolved by the child from its working directory (the project root): the test runner's module
// runner, which loads this file for the browser tests' global setup, has no import.meta.resolve.
const tsxLoader = 'tsx';

/** Children of every stack of this process: if it exits without stopping them, they go with it. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

export interface StackOptions {
  port: number;
  host: string;
  /** The embedded MQTT broker's port (the simulator's devices connect to it). */
  mqttPort: number;
  dataDir: string;
  datasetDir: string;
  /** Extra environment for the server (BROADCAST_ANSWER_MS, ...). */
  serverEnv?: Record<string, string>;
  /** Extra environment for the simulator (SIM_SPEED, SIM_LOAD, ...). */
  simulatorEnv?: Record<string, string>;
  simulatorArgs?: string[];
  /** Where child output goes: 'inherit' for npm start, 'pipe' (kept in memory) for tests. */
  output: 'inherit' | 'pipe';
  withSimulator?: boolean;
  /** Port of the simulator's media server (real HLS video); a free one when not given, 0 = no video. */
  mediaPort?: number;
  /** Aborting it while the stack starts stops what was started and rejects. */
  signal?: AbortSignal;
}

export interface Stack {
  url: string;
  /** The server process (a new one after restartServer). */
  readonly server: ChildProcess;
  simulator: ChildProcess | null;
  /** Combined output of the children when output is 'pipe'. */
  logs(): string;
  /** The simulator (SIGTERM: it delivers its queue), then the server (SIGTERM); each SIGKILLed if it hangs. Once. */
  stop(): Promise<void>;
  /**
   * Stops the server (SIGKILL: a crash; SIGTERM: a clean stop), leaves it down until `whileDown`
   * settles (what the caller checks of a world without a server: no fixed pause), and starts it
   * again on the same port and data; the simulator keeps running and reconnects.
   */
  restartServer(signal: 'SIGKILL' | 'SIGTERM', whileDown: () => Promise<void>): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error('stopped while starting');
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer ${url}/api/health within ${timeoutMs} ms`);
}

/** A signal to a detached child's whole process group (the simulator's ffmpeg encoders too). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function exited(child: ChildProcess): Promise<void> {
  return running(child) ? new Promise((r) => child.once('exit', () => r())) : Promise.resolve();
}

const exitedWithin = (child: ChildProcess, ms: number): Promise<boolean> => Promise.race([exited(child).then(() => true), sleep(ms, false, { ref: false })]);

export async function startStack(opts: StackOptions): Promise<Stack> {
  const chunks: string[] = [];
  const say = (msg: string) => (opts.output === 'inherit' ? console.error(msg) : chunks.push(`${msg}\n`));
  const spawnChild = (script: string, env: Record<string, string>, args: string[] = [], ipc = false) => {
    const out = opts.output === 'inherit' ? 'inherit' : 'pipe';
    const child = spawn(process.execPath, ['--import', tsxLoader, path.join(root, script), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      detached: true,
      // The server's IPC channel ends when this process dies, however it dies: it then closes itself.
      stdio: ['ignore', out, out, ...(ipc ? ['ipc' as const] : [])],
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    child.stdout?.on('data', (d) => chunks.push(String(d)));
    child.stderr?.on('data', (d) => chunks.push(String(d)));
    return child;
  };
  const url = `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${opts.port}`;
  // The simulator plays the deployment's media server; the server hands out its URLs.
  const mediaPort = opts.withSimulator === false ? 0 : (opts.mediaPort ?? (await freePort()));
  const video: Record<string, string> = mediaPort > 0 ? { VIDEO_URL_TEMPLATE: process.env.VIDEO_URL_TEMPLATE || `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${mediaPort}/hls/{id}/index.m3u8` } : {};
  const startServer = () => spawnChild('server/main.ts', { PORT: String(opts.port), MQTT_PORT: String(opts.mqttPort), HOST: opts.host, DATA_DIR: opts.dataDir, DATASET_DIR: opts.datasetDir, ...video, ...opts.serverEnv }, [], true);
  let server = startServer();
  let simulator: ChildProcess | null = null;
  /** SIGTERM, then SIGKILL to the group if the child has not exited after `ms`. */
  const end = async (child: ChildProcess, name: string, signal: NodeJS.Signals, ms: number) => {
    if (!running(child)) return;
    child.kill(signal);
    if (await exitedWithin(child, ms)) return;
    say(`${name} did not exit ${ms / 1000} s after ${signal}: killing it`);
    killGroup(child, 'SIGKILL');
    await exited(child);
  };
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      // With the server gone the simulator has no one to deliver its queue to: don't wait for its drain.
      // Its drain is bounded (~40 s); a simulator that still has not exited after a minute is killed.
      if (simulator) await end(simulator, 'simulator', running(server) ? 'SIGTERM' : 'SIGKILL', 60_000);
      // The server bounds its own close (60 s, then exit 1).
      await end(server, 'server', 'SIGTERM', 90_000);
    })());
  try {
    await waitForHealth(url, server, 120_000, opts.signal);
    if (opts.withSimulator !== false) {
      const keys = JSON.parse(readFileSync(path.join(opts.dataDir, 'gateway-keys.json'), 'utf8')) as Record<string, string>;
      const key = process.env.GATEWAY_KEY || keys.simulator;
      if (!key) throw new Error('no gateway key for the simulator (set GATEWAY_KEY or let the server generate one)');
      const mqttHost = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
      const mediaArgs = mediaPort > 0 ? ['--media-port', String(mediaPort), '--media-host', opts.host] : [];
      simulator = spawnChild('simulator/main.ts', { SERVER_URL: url, MQTT_URL: `mqtt://${mqttHost}:${opts.mqttPort}`, GATEWAY_NAME: 'simulator', GATEWAY_KEY: key, DATASET_DIR: opts.datasetDir, ...opts.simulatorEnv }, [...(opts.simulatorArgs ?? []), ...mediaArgs]);
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${chunks.join('').slice(-4000)}`);
  }
  const restartServer = async (signal: 'SIGKILL' | 'SIGTERM', whileDown: () => Promise<void>) => {
    if (signal === 'SIGKILL') killGroup(server, signal);
    else server.kill(signal);
    await exited(server);
    // Started again even when the caller's checks fail, so the stack can still be stopped cleanly.
    await whileDown().finally(() => {
      server = startServer();
    });
    await waitForHealth(url, server, 120_000);
  };
  return {
    url,
    get server() {
      return server;
    },
    simulator,
    logs: () => chunks.join(''),
    stop,
    restartServer,
  };
}
