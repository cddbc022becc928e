// Shared by the phases of bench/cluster.ts: child scripts (bench/procs.ts: tagged, own group), CPU
// and RSS from /proc, PostgreSQL's counters, restarting a killed node with its own environment,
// stopping and starting the cluster's PostgreSQL.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Cluster, ClusterNode } from '../../scripts/cluster/index.ts';
import { nodeHealthy, spawnNode } from '../../scripts/cluster/nodes.ts';
import { pgBin } from '../../scripts/cluster/postgres.ts';
import type { Proc } from '../../scripts/cluster/procs.ts';
import { killGroup, startChild, type Child } from '../procs.ts';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const DATASET_DIR = path.resolve(process.env.DATASET_DIR ?? path.join(root, 'data', 'generated'));
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const t0 = Date.now();
export const log = (m: string) => process.stderr.write(`[bench:cluster +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

/** What a phase gets from the runner: clusters and restarted nodes it starts are stopped by the runner. */
export interface Ctx {
  signal: AbortSignal;
  cluster(nodes: number): Promise<Cluster>;
  keep(p: Proc): void;
  /** Stops what this phase started so far (restarted nodes, then clusters); the runner does it again at the end. */
  stopClusters(): Promise<void>;
  notes: string[];
}

/** `node --import tsx script <args>` (strings as they are, the rest as JSON) as a tagged child in its own process group. */
export function child(script: string, ...args: unknown[]): Child {
  const argv = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
  return startChild(path.basename(script), process.execPath, ['--import', 'tsx', path.join(root, script), ...argv], { quiet: true });
}

/** The child's last stdout line as JSON once it exits; SIGTERM first when `stop` (it then reports and exits). */
export async function result<T>(c: Child, timeoutMs: number, stop = false): Promise<T> {
  if (stop) killGroup(c.child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(c.child), timeoutMs);
  const code = await c.exited.finally(() => clearTimeout(timer));
  const line = c.stdout().trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${c.child.spawnfile} ${c.child.spawnargs[3]} failed (exit ${code}): ${c.stderrTail().slice(-1200)}`);
  return JSON.parse(line) as T;
}

// ---- /proc ----------------------------------------------------------------------------------------
const statOf = (pid: number): string[] | null => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
};
/** CPU seconds a process used (utime+stime; plus its reaped children's with `children`). */
export function cpuSec(pid: number, children = false): number {
  const f = statOf(pid);
  if (!f) return 0;
  return (Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)) / 100;
}
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}
export const postmasterPid = (c: Cluster) => Number(readFileSync(path.join(c.dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
const haproxyPid = (c: Cluster) => Number(readFileSync(path.join(c.dir, 'run', 'haproxy.pid'), 'utf8'));
/** PostgreSQL's CPU: the postmaster with its reaped backends, plus the live ones. */
function pgCpu(pm: number): number {
  let s = cpuSec(pm, true);
  for (const e of readdirSync('/proc')) if (/^\d+$/.test(e) && statOf(Number(e))?.[1] === String(pm)) s += cpuSec(Number(e));
  return s;
}

/** Cores used per side between start and end(): each node, PostgreSQL, HAProxy, and `extra` pid groups. */
export function cpuMeter(c: Cluster, extra: Record<string, number[]> = {}) {
  const pm = postmasterPid(c);
  const hp = haproxyPid(c);
  const take = () => ({
    ...Object.fromEntries(c.nodes.map((n) => [n.name, cpuSec(n.pid)])),
    postgres: pgCpu(pm),
    haproxy: cpuSec(hp),
    ...Object.fromEntries(Object.entries(extra).map(([k, ps]) => [k, ps.reduce((s, p) => s + cpuSec(p), 0)])),
  });
  const a = take();
  const from = Date.now();
  return () => {
    const b = take();
    const dt = (Date.now() - from) / 1000;
    return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Number(((v - a[k as keyof typeof a]) / dt).toFixed(2))]));
  };
}

// ---- PostgreSQL -----------------------------------------------------------------------------------
export async function pgClient(c: Cluster): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: c.pgUrl });
  db.on('error', () => undefined); // PostgreSQL restarted under it (pg-restart phase)
  await db.connect();
  return db;
}
/**
 * Write counters: events in the log (exact), appends (one log_head update each), WAL bytes and syncs
 * (backends flush these at most once a second: both ends lag alike under steady load).
 */
async function counters(db: pg.Client) {
  const r = await db.query(`SELECT (SELECT seq FROM log_head)::float8 AS rows,
    (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'log_head' AND schemaname = 'public')::float8 AS appends,
    wal_bytes::float8 AS wal, wal_sync::float8 AS syncs FROM pg_stat_wal`);
  return { ...(r.rows[0] as { rows: number; appends: number; wal: number; syncs: number }), at: Date.now() };
}
/** PostgreSQL's write rate between start and end(), plus where appenders wait (pg_stat_activity sampled every 250 ms). */
export async function pgMeter(db: pg.Client) {
  await db.query('SELECT pg_stat_clear_snapshot()');
  const a = await counters(db);
  const waits: Record<string, number> = {};
  let samples = 0;
  let on = true;
  const sampling = (async () => {
    while (on) {
      const r = await db.query(`SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w, count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND query LIKE '%log_head SET seq%' AND pid <> pg_backend_pid() GROUP BY 1`);
      samples++;
      for (const x of r.rows as Array<{ w: string; n: number }>) waits[x.w] = (waits[x.w] ?? 0) + x.n;
      await sleep(250);
    }
  })().catch(() => undefined);
  return async () => {
    on = false;
    await sampling;
    await db.query('SELECT pg_stat_clear_snapshot()');
    const b = await counters(db);
    const s = (b.at - a.at) / 1000;
    const appends = b.appends - a.appends;
    return {
      rowsPerSec: Math.round((b.rows - a.rows) / s),
      appendsPerSec: Number((appends / s).toFixed(1)),
      rowsPerAppend: appends ? Math.round((b.rows - a.rows) / appends) : null,
      walMBPerSec: Number(((b.wal - a.wal) / s / 1e6).toFixed(1)),
      walSyncsPerSec: Number(((b.syncs - a.syncs) / s).toFixed(1)),
      appendersWaiting: { samples, meanActive: Number((Object.values(waits).reduce((x, y) => x + y, 0) / Math.max(1, samples)).toFixed(2)), byWait: waits },
    };
  };
}
export async function countDeviceRows(db: pg.Client): Promise<number> {
  return Number((await db.query("SELECT count(*)::float8 AS n FROM events WHERE type = 'device:reported'")).rows[0].n);
}

// ---- faults ---------------------------------------------------------------------------------------
/** A node's environment as it was started (read before a kill, to start it again the same way). */
export function environOf(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
/** Starts node `index` (1-based) again on its port, data dir and environment; resolves once it answers /api/health. */
export async function restartNode(ctx: Ctx, c: Cluster, index: number, old: ClusterNode, env: Record<string, string>): Promise<ClusterNode> {
  const s = spawnNode({ index, port: Number(new URL(old.url).port), dataDir: path.join(c.dir, old.name), env, runDir: path.join(c.dir, 'run'), logDir: c.logDir });
  ctx.keep(s.proc);
  await nodeHealthy(s.node, s.proc, ctx.signal);
  return s.node;
}

/** Local TCP ports of a process's sockets (its fds' socket inodes looked up in /proc/net/tcp*). */
function tcpPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  const ports = new Set<number>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length > 9 && inodes.has(c[9])) ports.add(parseInt(c[1].split(':')[1], 16));
    }
  }
  return ports;
}
/**
 * Waits (up to `ms`) until node `pid` has an append statement running in PostgreSQL, so a kill
 * then cuts a commit in flight (its answer lost, the rows committed or not); false if none came.
 */
export async function untilAppendInFlight(db: pg.Client, pid: number, ms: number): Promise<boolean> {
  const ports = tcpPortsOf(pid);
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const r = await db.query(`SELECT client_port FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%log_head SET seq%' AND pid <> pg_backend_pid()`);
    if ((r.rows as Array<{ client_port: number }>).some((x) => ports.has(x.client_port))) return true;
    await sleep(5);
  }
  return false;
}

const run = promisify(execFile);
const pgCtl = (args: string[]) => {
  const ctl = path.join(pgBin(), 'pg_ctl');
  return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', ctl, ...args]) : run(ctl, args);
};
/** Stops the cluster's PostgreSQL (fast: sessions cut, a clean checkpoint); returns how to start it again. */
export async function pgStop(c: Cluster): Promise<() => Promise<void>> {
  const data = path.join(c.dir, 'pg');
  // postmaster.opts holds the command line it was started with (port, socket dir, settings).
  const argv = [...readFileSync(path.join(data, 'postmaster.opts'), 'utf8').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  const opts: string[] = [];
  for (let i = 0; i < argv.length; i++) (argv[i] === '-D' ? i++ : opts.push(argv[i]));
  await pgCtl(['stop', '-w', '-m', 'fast', '-D', data]);
  return async () => {
    if (!existsSync(data)) throw new Error('PostgreSQL data folder is gone');
    await pgCtl(['start', '-w', '-t', '60', '-D', data, '-l', path.join(c.logDir, 'postgres.log'), '-o', opts.join(' ')]);
  };
}
