// Phase 1 of bench/cluster.ts: durable HTTP ingest through HAProxy into PostgreSQL, one cluster per
// node count (no simulator). bench/ingest-load.ts (closed loop: each sender posts its next batch when
// the last is acknowledged) in a child; then raw `pg` baselines of the same rows into the same
// schema on the same PostgreSQL (bench/cluster/pg-raw.ts). Acknowledged vs found, cores per side,
// node RSS, PostgreSQL's write rate and where appenders wait.
import { summarize, ratio } from '../stats.ts';
import { child, countDeviceRows, cpuMeter, DATASET_DIR, log, pgClient, pgMeter, result, rssMb, sleep, type Ctx } from './common.ts';

export interface IngestOpts {
  nodeCounts: number[];
  batch: number;
  senders: number;
  warmupS: number;
  measureS: number;
}

interface LoadOut {
  eventsPerSec: number;
  perSecond: { min: number; median: number; max: number };
  ackedTotal: number;
  requestMs: ReturnType<typeof summarize>;
  byStatus: Record<string, number>;
  rejected: number;
  errors: string[];
  measureFrom: number;
}
type Raw = Record<'multiRowInsert' | 'copy' | 'storeAppendStatement' | 'storeAppendOneRow', { eventsPerSec: number }>;

/** Runs `f` at `at` (epoch ms). */
const at = <T>(t: number, f: () => T | Promise<T>) => sleep(Math.max(0, t - Date.now())).then(f);

async function point(ctx: Ctx, nodes: number, o: IngestOpts) {
  const c = await ctx.cluster(nodes);
  const db = await pgClient(c);
  try {
    const idleRss = Object.fromEntries(c.nodes.map((n) => [n.name, rssMb(n.pid)]));
    log(`ingest, ${nodes} node(s): batch ${o.batch}, ${o.senders} senders, ${o.warmupS}+${o.measureS} s`);
    // The load child needs a few seconds to start on a busy machine: its warm-up begins after that.
    const measureFrom = Date.now() + (6 + o.warmupS) * 1000;
    const measureTo = measureFrom + o.measureS * 1000;
    const load = child('bench/ingest-load.ts', { mode: 'closed', url: c.url, key: c.gateway.key, datasetDir: DATASET_DIR, batch: o.batch, concurrency: o.senders, warmupS: o.warmupS, measureS: o.measureS, measureFrom, seed: nodes });
    const meters = at(measureFrom, async () => ({ cpu: cpuMeter(c, { loadGenerator: [load.child.pid!] }), pg: await pgMeter(db) }));
    const ends = at(measureTo, async () => {
      const m = await meters;
      return { cpu: m.cpu(), rss: Object.fromEntries(c.nodes.map((n) => [n.name, rssMb(n.pid)])), pg: await m.pg() };
    });
    const r = await result<LoadOut>(load, (o.warmupS + o.measureS + 120) * 1000);
    const m = await ends;
    const found = await countDeviceRows(db);
    log(`  -> ${r.eventsPerSec} events/s acknowledged (request p50 ${r.requestMs.p50} ms); PostgreSQL ${m.pg.rowsPerSec} rows/s in ${m.pg.appendsPerSec} appends/s; cores ${JSON.stringify(m.cpu)}`);
    log(`  raw pg baselines on the same PostgreSQL, batch ${o.batch}, ${o.warmupS}+${o.measureS} s each`);
    const raw = await result<Raw>(child('bench/cluster/pg-raw.ts', { pgUrl: c.pgUrl, datasetDir: DATASET_DIR, batch: o.batch, warmupS: o.warmupS, measureS: o.measureS, seed: 7 }), (o.warmupS + o.measureS + 60) * 4000);
    log(`  -> raw: multi-row INSERT ${raw.multiRowInsert.eventsPerSec}/s, COPY ${raw.copy.eventsPerSec}/s, store statement ${raw.storeAppendStatement.eventsPerSec}/s, one-row appends ${raw.storeAppendOneRow.eventsPerSec}/s`);
    const e = r.eventsPerSec;
    return {
      nodes,
      httpDurable: { eventsPerSec: e, perSecond: r.perSecond, requestMs: { p50: r.requestMs.p50, p99: r.requestMs.p99 }, byStatus: r.byStatus, rejected: r.rejected, errors: r.errors },
      ackedVsFound: { acked: r.ackedTotal, found, ok: found >= r.ackedTotal },
      rawPg: { multiRowInsert: raw.multiRowInsert.eventsPerSec, copy: raw.copy.eventsPerSec, storeAppendStatement: raw.storeAppendStatement.eventsPerSec, oneRowAppendsPerSec: raw.storeAppendOneRow.eventsPerSec },
      ratio: { toMultiRowInsert: ratio(e, raw.multiRowInsert.eventsPerSec), toCopy: ratio(e, raw.copy.eventsPerSec), toStoreAppendStatement: ratio(e, raw.storeAppendStatement.eventsPerSec) },
      cpuCores: m.cpu,
      nodeRssMb: { idleAfterStart: idleRss, endOfWindow: m.rss },
      postgres: m.pg,
    };
  } finally {
    await db.end().catch(() => undefined);
    await ctx.stopClusters();
  }
}

export async function ingestPhase(ctx: Ctx, o: IngestOpts) {
  const points = [];
  for (const n of o.nodeCounts) points.push(await point(ctx, n, o));
  const best = Math.max(...points.map((p) => p.httpDurable.eventsPerSec));
  return {
    batch: o.batch,
    senders: o.senders,
    measureSeconds: o.measureS,
    points,
    aim: { eventsPerSec: 50_000, ratioToRawInsert: 0.5, reached: best, met: best >= 50_000 && points.some((p) => (p.ratio.toMultiRowInsert ?? 0) >= 0.5) },
    what: 'acknowledged (200, after COMMIT) device records/s through HAProxy from closed-loop senders in one child; rawPg: one connection, one batch per transaction, one at a time, into schema rawbench of the same database (empty at start); storeAppendStatement is the nodes\' own append SQL without HTTP; oneRowAppendsPerSec: the same with one row per append, i.e. how often log_head\'s row lock (held to COMMIT) changes hands',
  };
}
