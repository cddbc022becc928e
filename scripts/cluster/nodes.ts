// The Linkage server nodes and the simulator, started as scripts/stack.ts starts them:
// `node --import tsx` (the tsx CLI SIGKILLs a child slow to acknowledge a signal), the nodes with an
// IPC channel so a node closes itself when the runner dies, however it dies.
import path from 'node:path';
import { spawnProc, waitFor, type Proc } from './procs.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const tsxLoader = import.meta.resolve('tsx');

export interface ClusterNode {
  name: string;
  url: string;
  pid: number;
  /** A crash: SIGKILL to the node's process group; resolves once it is gone. */
  kill(): Promise<void>;
  /** A clean stop: SIGTERM (commit, checkpoint, close), SIGKILL after 90 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface NodeSpec {
  index: number;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  runDir: string;
  logDir: string;
}

export function spawnNode(s: NodeSpec): { node: ClusterNode; proc: Proc } {
  const name = `node-${s.index}`;
  const proc = spawnProc(name, process.execPath, ['--import', tsxLoader, path.join(root, 'server', 'main.ts')], {
    cwd: root,
    ipc: true,
    runDir: s.runDir,
    logDir: s.logDir,
    env: { ...s.env, NODE_NAME: name, PORT: String(s.port), HOST: '127.0.0.1', DATA_DIR: s.dataDir, MQTT_CLIENT_ID: `linkage-${name}` },
  });
  const node: ClusterNode = {
    name,
    url: `http://127.0.0.1:${s.port}`,
    pid: proc.child.pid ?? 0,
    kill: () => proc.kill(),
    // The server bounds its own close at 60 s (then exit 1).
    stop: () => proc.stop('SIGTERM', 90_000),
  };
  return { node, proc };
}

/** Resolves once the node answers /api/health itself (before HAProxy is asked). */
export function nodeHealthy(node: ClusterNode, proc: Proc, signal?: AbortSignal): Promise<void> {
  return waitFor(async () => (await fetch(`${node.url}/api/health`)).ok, {
    ms: 120_000,
    signal,
    why: () => `${node.name} did not answer ${node.url}/api/health within 120 s:\n${proc.tail()}`,
    gone: () => (proc.running() ? null : `${node.name} exited (code ${proc.child.exitCode}) before it was healthy:\n${proc.tail()}`),
  });
}

export interface SimulatorSpec {
  url: string;
  mqttUrl: string;
  gateway: string;
  key: string;
  datasetDir: string;
  mediaPort: number;
  speed?: number;
  load?: number;
  runDir: string;
  logDir: string;
}

/** Full scale unless speed/load say otherwise; telemetry over MQTT through the broker, cases and staff commands over HTTP through HAProxy. */
export function spawnSimulator(s: SimulatorSpec): Proc {
  const env: Record<string, string> = { SERVER_URL: s.url, MQTT_URL: s.mqttUrl, SIM_TRANSPORT: 'mqtt', GATEWAY_NAME: s.gateway, GATEWAY_KEY: s.key, DATASET_DIR: s.datasetDir };
  if (s.speed !== undefined) env.SIM_SPEED = String(s.speed);
  if (s.load !== undefined) env.SIM_LOAD = String(s.load);
  const media = s.mediaPort > 0 ? ['--media-port', String(s.mediaPort), '--media-host', '127.0.0.1'] : [];
  return spawnProc('simulator', process.execPath, ['--import', tsxLoader, path.join(root, 'simulator', 'main.ts'), ...media], { cwd: root, runDir: s.runDir, logDir: s.logDir, env });
}
