// Child processes of `npm run bench`. Each phase runs in its own process group, and every process
// below bench carries LINKAGE_BENCH_RUN=<this run> in its environment, so one left behind is found
// even after it was reparented or moved to a group of its own (a stack's server and simulator are):
// after each phase and at the end, what a finished phase left is reported and killed, so a failed
// phase cannot load the machine under the later ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const RUN_VAR = 'LINKAGE_BENCH_RUN';
/** This run's tag (inherited when a test runs bench under its own tag). */
export const runTag = process.env[RUN_VAR] || randomUUID();

export interface Leftover {
  pid: number;
  /** The phase that started it (LINKAGE_BENCH_PHASE of its environment). */
  phase: string;
  cmd: string;
}

const envOf = (pid: number): string[] => {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return []; // gone, or a zombie
  }
};

const parentOf = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
};

/** Every process below `pid`, wherever it moved (a stack's server and simulator have groups of their own). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const parent = parentOf(Number(e));
    children.set(parent, [...(children.get(parent) ?? []), Number(e)]);
  }
  const out: number[] = [];
  for (let next = [pid]; next.length > 0; ) {
    next = next.flatMap((p) => children.get(p) ?? []);
    out.push(...next);
  }
  return out;
}

/** This process and those above it (under a tag it inherited, they carry it too). */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  for (let p = process.pid; p > 1 && !out.has(p); p = parentOf(p)) out.add(p);
  return out;
}

/** Processes (not this one nor its ancestors) whose environment holds `name=value`, from /proc (Linux). */
export function tagged(value: string, name = RUN_VAR): number[] {
  const want = `${name}=${value}`;
  const mine = selfAndAncestors();
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && !mine.has(Number(e)) && envOf(Number(e)).includes(want))
    .map(Number);
}

const describe = (pid: number): Leftover => {
  let cmd = '?';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 200);
  } catch {
    // gone meanwhile
  }
  const phase = envOf(pid).find((v) => v.startsWith('LINKAGE_BENCH_PHASE='))?.slice(20) ?? '?';
  return { pid, phase, cmd };
};

/** Phases (and servers) still running: what is below them is theirs, not left behind. */
const children = new Set<ChildProcess>();
/** Everything found left behind during this run. */
export const leaks: Leftover[] = [];

export interface Child {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout(): string;
  stderrTail(): string;
}

/** Starts a phase process in its own process group, tagged with this run and its name. */
export function startChild(name: string, cmd: string, args: string[], opts: { env?: Record<string, string>; quiet?: boolean } = {}): Child {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...opts.env, [RUN_VAR]: runTag, LINKAGE_BENCH_PHASE: name }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let out = '';
  let errTail = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => {
    errTail = (errTail + d).slice(-4000);
    if (!opts.quiet) process.stderr.write(String(d).replace(/^/gm, `  [${name}] `));
  });
  // A process can exit before its stdout pipe has been read to the end (a 1,000-screen result was
  // cut at 438 KB): wait for 'close' (the last byte read), but not for ever after 'exit', since a
  // process it left behind may hold the pipe open (that one is reaped and reported).
  const exited = new Promise<number | null>((resolve) => {
    const done = (code: number | null) => (children.delete(child), resolve(code));
    child.once('close', done);
    child.once('exit', (code) => setTimeout(() => done(code), 5000).unref());
  });
  return { child, exited, stdout: () => out, stderrTail: () => errTail };
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const c of children) killGroup(c, signal);
}

/** Phases (and servers) still running. */
export const runningChildren = (): number => children.size;

/** Tagged processes not below a phase that is still running. */
export function leftovers(): Leftover[] {
  const running = new Set<number>();
  for (const c of children) if (c.pid) for (const p of [c.pid, ...descendants(c.pid)]) running.add(p);
  return tagged(runTag).filter((p) => !running.has(p)).map(describe);
}

/** Kills (SIGKILL, with their process groups) what leftovers() finds; records and returns it. */
export function reap(): Leftover[] {
  const found = leftovers();
  for (const { pid } of found) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // not a group leader, or gone
      }
    }
  }
  leaks.push(...found);
  return found;
}

/**
 * Runs one phase to its end (SIGTERM after `timeoutMs` so it can clean up, SIGKILL 10 s later),
 * then reaps what it left behind. Resolves with its exit code and output.
 */
export async function runPhase(name: string, cmd: string, args: string[], timeoutMs: number, opts: { env?: Record<string, string>; onStart?: (pid: number) => void } = {}): Promise<{ code: number | null; stdout: string; stderrTail: string; left: Leftover[] }> {
  const c = startChild(name, cmd, args, { env: opts.env });
  if (c.child.pid) opts.onStart?.(c.child.pid);
  const term = setTimeout(() => killGroup(c.child, 'SIGTERM'), timeoutMs);
  const kill = setTimeout(() => killGroup(c.child), timeoutMs + 10_000);
  try {
    const code = await c.exited;
    return { code, stdout: c.stdout(), stderrTail: c.stderrTail(), left: reap() };
  } finally {
    clearTimeout(term);
    clearTimeout(kill);
  }
}
