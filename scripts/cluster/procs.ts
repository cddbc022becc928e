// Child processes of a local cluster. Each runs detached (its own process group), so a terminal's
// Ctrl+C reaches only the runner, which stops them in order. Output goes to one log file per
// process (N nodes' JSON lines interleaved on a terminal help nobody). A pid file per process lets
// the next run stop what a killed runner (kill -9) left behind, by pid, only if it is still ours
// (its environment names this cluster's run directory: other Linkage servers are never touched).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const MARK = 'LINKAGE_CLUSTER_RUN';

/** Everything this runner started: if it exits without stopping them, they go with it. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});

export interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
  running(): boolean;
  exited(): Promise<void>;
  /** The last `chars` of its log. */
  tail(chars?: number): string;
  /** `signal`, then SIGKILL to its group if it has not exited after `ms`; resolves with the exit code. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
  /** SIGKILL to its whole group (a crash); resolves once it is gone. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** An IPC channel: server/main.ts closes itself when it ends (this runner died, however). */
  ipc?: boolean;
  runDir: string;
  logDir: string;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function spawnProc(name: string, cmd: string, args: string[], o: SpawnOptions): Proc {
  mkdirSync(o.logDir, { recursive: true });
  mkdirSync(o.runDir, { recursive: true });
  const logFile = path.join(o.logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const stdio: StdioOptions = ['ignore', fd, fd, ...(o.ipc ? ['ipc' as const] : [])];
  const child = spawn(cmd, args, { cwd: o.cwd, env: { ...process.env, ...o.env, [MARK]: o.runDir }, detached: true, stdio });
  closeSync(fd);
  if (o.ipc) child.channel?.unref();
  const pidFile = path.join(o.runDir, `${name}.pid`);
  if (child.pid) writeFileSync(pidFile, String(child.pid));
  live.add(child);
  // An 'error' (spawn failure) is reported through exited() and the log; it must not crash the runner.
  child.on('error', (e) => writeFileSync(logFile, `\n[cluster] cannot start ${cmd}: ${e.message}\n`, { flag: 'a' }));
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const exitedP = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  }).then(() => {
    live.delete(child);
    rmSync(pidFile, { force: true });
  });
  const tail = (chars = 3000) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-chars) : '');
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', ms = 30_000) => {
    if (running()) {
      child.kill(signal);
      const done = await Promise.race([exitedP.then(() => true), sleep(ms, false, { ref: false })]);
      if (!done) signalGroup(child, 'SIGKILL');
    }
    await exitedP;
    return child.exitCode;
  };
  const kill = async () => {
    signalGroup(child, 'SIGKILL');
    await exitedP;
  };
  return { name, child, logFile, running, exited: () => exitedP, tail, stop, kill };
}

/**
 * One runner per cluster dir: refuses while another live runner holds it (reapStale would kill its
 * processes), else claims it; returns the release.
 */
export function claimRunDir(runDir: string): () => void {
  mkdirSync(runDir, { recursive: true });
  const file = path.join(runDir, 'runner.lock');
  const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  try {
    const held = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; cmdline: string };
    if (held.pid !== process.pid && cmdline(held.pid) === held.cmdline) {
      throw new Error(`a cluster runner (pid ${held.pid}) is already using ${path.dirname(runDir)}: stop it first (Ctrl+C there, or kill -INT ${held.pid})`);
    }
  } catch (error) {
    if ((error as Error).message.startsWith('a cluster runner')) throw error;
    // no lock, or its runner is gone
  }
  writeFileSync(file, JSON.stringify({ pid: process.pid, cmdline: cmdline(process.pid) }));
  return () => rmSync(file, { force: true });
}

/** Stops (SIGKILL, by pid) what a runner killed before it could stop left behind, if it is still ours. */
export function reapStale(runDir: string): string[] {
  if (!existsSync(runDir)) return [];
  const reaped: string[] = [];
  for (const f of readdirSync(runDir).filter((n) => n.endsWith('.pid'))) {
    const file = path.join(runDir, f);
    try {
      const pid = Number(readFileSync(file, 'utf8'));
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (pid > 1 && environ.includes(`${MARK}=${runDir}`)) {
        process.kill(-pid, 'SIGKILL');
        reaped.push(`${f.slice(0, -4)} (pid ${pid})`);
      }
    } catch {
      // not running any more, or no longer ours
    }
    rmSync(file, { force: true });
  }
  return reaped;
}

/** Refuses a taken port before anything is started on it, naming who wanted it. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`port ${port} for ${what} is taken (${e.code}): stop what uses it or pick another port`)));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}

/** Polls `check` until it is true; throws `why()` after `ms` or as soon as `gone()` says the process died. */
export async function waitFor(check: () => Promise<boolean>, o: { ms: number; why: () => string; gone?: () => string | null; signal?: AbortSignal }): Promise<void> {
  const deadline = Date.now() + o.ms;
  for (;;) {
    if (o.signal?.aborted) throw new Error('stopped while starting');
    const dead = o.gone?.();
    if (dead) throw new Error(dead);
    try {
      if (await check()) return;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(o.why());
    await sleep(200);
  }
}
