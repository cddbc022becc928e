// `npm run bench:cluster`: the Linkage cluster (scripts/cluster: private PostgreSQL, Mosquitto, N
// nodes, HAProxy) measured on this machine, one JSON object on stdout (also
// bench/results/cluster-latest.json), progress on stderr. Phases, each with its own clusters and a
// timeout, everything it started stopped in its finally, then what it left is found by tag
// (bench/procs.ts: the clusters' processes inherit this run's LINKAGE_BENCH_RUN), reported and killed:
//   ingest      durable HTTP ingest, 1 and 3 nodes, beside raw pg INSERT/COPY (bench/cluster/ingest.ts)
//   fanout      300 screens over 3 nodes under 20,000 events/s, beside raw ws (bench/cluster/fanout.ts)
//   kill        kill -9 of nodes under load: acknowledged vs found, screens moved (bench/cluster/kill.ts)
//   pg-restart  PostgreSQL stopped and started under load (bench/cluster/pg-restart.ts)
// `--only ingest,kill` runs some. Env: BENCH_SECONDS (15), BENCH_WARMUP (3), BENCH_CLUSTER_BATCH
// (2000), BENCH_CLUSTER_SENDERS (8), BENCH_CLUSTER_NODES ("1,3"), BENCH_FANOUT_SCREENS (300),
// BENCH_FANOUT_RATES ("20000,10000,5000"), BENCH_KILLS (5), BENCH_KILL_RATE (8000),
// BENCH_KILL_SCREENS (60), BENCH_PG_RATE (5000), BENCH_PG_DOWN_S (5), BENCH_FANOUT_ANALYZE (1),
// BENCH_FANOUT_PROBES (20 case reports/s: the latency probes), DATASET_DIR.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDataset } from '../data/load.ts';
import { startCluster, type Cluster } from '../scripts/cluster/index.ts';
import type { Proc } from '../scripts/cluster/procs.ts';
import { DATASET_DIR, loadavg, log, root, sleep, type Ctx } from './cluster/common.ts';
import { fanoutPhase } from './cluster/fanout.ts';
import { ingestPhase } from './cluster/ingest.ts';
import { killPhase } from './cluster/kill.ts';
import { pgRestartPhase } from './cluster/pg-restart.ts';
import { killAll, leaks, reap, RUN_VAR, runningChildren, runTag, tagged } from './procs.ts';
import { exitAfterOutput } from './exit.ts';

const env = process.env;
const num = (name: string, d: number) => Number(env[name] ?? d);
const list = (name: string, d: string) => (env[name] ?? d).split(',').map(Number);
const SECONDS = num('BENCH_SECONDS', 15);
const WARMUP = num('BENCH_WARMUP', 3);
const BATCH = num('BENCH_CLUSTER_BATCH', 2000);
const ALL = ['ingest', 'fanout', 'kill', 'pg-restart'];
const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const only = args.only ? args.only.split(',') : ALL;
// The clusters' processes (PostgreSQL under runuser too) inherit this: found by tag if left behind.
env[RUN_VAR] = runTag;
const started = Date.now();
const notes: string[] = [];
const leftBehind: Record<string, string[]> = {};

/** Runs one phase with its own clusters; on failure or timeout its error is the result. Never throws. */
async function phase<T>(name: string, timeoutS: number, body: (ctx: Ctx) => Promise<T>): Promise<T | { error: string }> {
  if (!only.includes(name)) return { error: 'not run (--only)' };
  env.LINKAGE_BENCH_PHASE = name;
  const load = loadavg();
  const abort = new AbortController();
  const clusters: Cluster[] = [];
  const kept: Proc[] = [];
  const stopClusters = async () => {
    for (const p of kept.splice(0)) await p.stop('SIGTERM', 90_000).catch(() => undefined);
    for (const c of clusters.splice(0)) await c.stop();
  };
  const ctx: Ctx = {
    signal: abort.signal,
    cluster: async (nodes) => {
      const c = await startCluster({ datasetDir: DATASET_DIR, nodes, simulator: false, nodeEnv: { LOG_LEVEL: 'warn' }, signal: abort.signal, say: (l) => log(`  [cluster] ${l}`) });
      clusters.push(c);
      return c;
    },
    // A node restarted by a phase that already timed out goes at once.
    keep: (p) => void (abort.signal.aborted ? p.kill() : kept.push(p)),
    stopClusters,
    notes,
  };
  log(`phase ${name} (timeout ${timeoutS} s, load average ${load.join(' ')})`);
  let timer: NodeJS.Timeout | undefined;
  const run = body(ctx);
  run.catch(() => undefined); // after a timeout its rejection is nobody's
  try {
    const r = await Promise.race([run, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutS} s`)), timeoutS * 1000)))]);
    return { ...(r as object), loadavgAtStart: load, loadavgAtEnd: loadavg() } as T;
  } catch (e) {
    const msg = (e as Error).stack ?? String(e);
    log(`phase ${name} FAILED: ${msg}`);
    notes.push(`${name} not measured: ${msg.slice(0, 600)}`);
    return { error: msg.slice(0, 1500) };
  } finally {
    clearTimeout(timer);
    abort.abort();
    killAll('SIGTERM'); // its load generators and screens, if still running
    for (const end = Date.now() + 10_000; runningChildren() > 0 && Date.now() < end; ) await sleep(100);
    killAll();
    await stopClusters();
    const left = reap();
    if (left.length) {
      leftBehind[name] = left.map((l) => `${l.pid} ${l.cmd}`);
      log(`LEFT BEHIND by ${name}, killed: ${leftBehind[name].join(' | ')}`);
    }
  }
}

async function main() {
  await ensureDataset(DATASET_DIR);
  const loadStart = loadavg();
  const ingest = await phase('ingest', 900, (ctx) => ingestPhase(ctx, { nodeCounts: list('BENCH_CLUSTER_NODES', '1,3'), batch: BATCH, senders: num('BENCH_CLUSTER_SENDERS', 8), warmupS: WARMUP, measureS: SECONDS }));
  const fanout = await phase('fanout', 900, (ctx) => fanoutPhase(ctx, { screens: num('BENCH_FANOUT_SCREENS', 300), rates: list('BENCH_FANOUT_RATES', '20000,10000,5000'), batch: 1000, warmupS: WARMUP, measureS: SECONDS, analyze: env.BENCH_FANOUT_ANALYZE !== '0', probeRate: num('BENCH_FANOUT_PROBES', 20) }));
  const kill = await phase('kill', 900, (ctx) => killPhase(ctx, { rate: num('BENCH_KILL_RATE', 8000), batch: 1000, lanes: 4, screens: num('BENCH_KILL_SCREENS', 60), kills: num('BENCH_KILLS', 5), settleS: 6 }));
  const pgRestart = await phase('pg-restart', 600, (ctx) => pgRestartPhase(ctx, { rate: num('BENCH_PG_RATE', 5000), batch: 1000, lanes: 4, downS: num('BENCH_PG_DOWN_S', 5), afterS: 25 }));
  const cores = os.availableParallelism();
  return {
    machine: {
      cores,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadavgAtStart: loadStart,
      loadavgAtEnd: loadavg(),
      coresPerSide: `not pinned: PostgreSQL, every node, HAProxy, Mosquitto, the load generator and the screens are separate processes sharing the same ${cores} cores; each point's cpuCores says how much each side used`,
    },
    config: { measureSeconds: SECONDS, warmupSeconds: WARMUP, ingestBatch: BATCH, nodeLogLevel: 'warn', postgres: 'private PostgreSQL 15 per cluster, defaults (fsync on, synchronous_commit on), max_connections 200' },
    summary: summary(ingest, fanout, kill, pgRestart),
    ingest,
    fanout,
    kill,
    pgRestart,
    notes,
  };
}

/** The headline figures, each beside its baseline (null where a phase failed or was not run). */
// Loosely typed: each argument is a phase's result or { error }.
function summary(ingest: any, fanout: any, kill: any, pgRestart: any) {
  const pts: any[] = ingest.points ?? [];
  const fan = fanout.points?.find((p: { sustained: boolean }) => p.sustained) ?? fanout.points?.at(-1);
  return {
    ingestEventsPerSec: Object.fromEntries(pts.map((p) => [`${p.nodes} node${p.nodes > 1 ? 's' : ''}`, { http: p.httpDurable.eventsPerSec, rawMultiRowInsert: p.rawPg.multiRowInsert, rawCopy: p.rawPg.copy, ratioToInsert: p.ratio.toMultiRowInsert, ratioToCopy: p.ratio.toCopy, ackedAllFound: p.ackedVsFound.ok }])),
    fanout: fan ? { screens: fan.screens, eventsPerSec: fan.achievedEventsPerSec, target: fan.targetEventsPerSec, sustained: fan.sustained, eventToScreenMs: { p50: fan.eventToScreenMs.p50, p99: fan.eventToScreenMs.p99 }, deltaDeliveryMs: fan.deltaDeliveryMs, rawWsMs: fanout.rawWs && { p50: fanout.rawWs.p50, p99: fanout.rawWs.p99 } } : null,
    kill: kill.ackedVsFound ? { kills: kill.kills, acked: kill.ackedVsFound.acked, missing: kill.ackedVsFound.missing, killedNodeScreens: kill.killedNodeScreens.total, liveAgain: kill.killedNodeScreens.liveAgainWithoutReload, killToNextDeltaMs: kill.killedNodeScreens.killToNextDeltaMs, seqGapsAfterResync: kill.seqGapsAfterResync, nodeRestartMs: kill.nodeRestartMs, nodeStartsFailed: kill.nodeStartsFailed } : null,
    pgRestart: pgRestart.ackedVsFound ? { downMs: pgRestart.postgresDownMs, answersWhileDown: pgRestart.answersWhileDown, ingest200AgainAfterPgUpMs: pgRestart.ingest200AgainAfterPgUpMs, missing: pgRestart.ackedVsFound.missing } : null,
  };
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    log(`${sig}: killing every child`); // the clusters' processes go with this process (scripts/cluster/procs.ts)
    killAll();
    process.exit(130);
  });
}
let exitCode = 0;
let out: object = {};
const guard = setTimeout(() => {
  log('deadline of 70 min reached: killing every child');
  killAll();
  process.exit(2);
}, 70 * 60_000);
try {
  out = await main();
} catch (e) {
  log(`FAILED: ${(e as Error).stack ?? e}`);
  exitCode = 1;
} finally {
  clearTimeout(guard);
  killAll();
  reap();
  // Nothing tagged with this run may outlive it: each phase stopped its own, this checks.
  for (const end = Date.now() + 10_000; tagged(runTag).length > 0 && Date.now() < end; ) await sleep(200);
  const still = tagged(runTag);
  const clean = leaks.length === 0 && still.length === 0;
  // A phase that failed or timed out, or anything left behind, fails the run (the JSON still says what was measured).
  if (!clean || notes.some((n) => n.includes(' not measured: '))) exitCode = 1;
  const result = { ...out, processesLeftBehind: { clean, byPhase: leftBehind, stillRunningAtEnd: still.length }, durationSeconds: Math.round((Date.now() - started) / 1000) };
  const json = JSON.stringify(result, null, 2);
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'cluster-latest.json'), json + '\n');
  process.stdout.write(json + '\n');
  exitAfterOutput(exitCode);
}
