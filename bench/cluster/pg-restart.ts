// Phase 4 of bench/cluster.ts: PostgreSQL stopped (pg_ctl stop -m fast) under ingest load and
// started again `downS` later, nothing else touched. The senders' answers by status while it is down
// and until ingest answers 200 again by itself (503 from a node, or HAProxy's own 503 page once its
// health checks took every node out); each node's /api/health polled directly; then acknowledged vs
// found.
import type { Cluster } from '../../scripts/cluster/index.ts';
import { DATASET_DIR, child, log, pgClient, pgStop, result, sleep, type Ctx } from './common.ts';
import { flowing, type SendersOut } from './kill.ts';
import { checkLedger } from './ledger.ts';

export interface PgRestartOpts { rate: number; batch: number; lanes: number; downS: number; afterS: number }

/** Polls each node's /api/health directly every 200 ms: [time, status] per node. */
function watchHealth(c: Cluster) {
  const seen: Record<string, Array<[number, string]>> = Object.fromEntries(c.nodes.map((n) => [n.name, []]));
  let on = true;
  const loops = c.nodes.map(async (n) => {
    while (on) {
      let st = 'noAnswer';
      try {
        st = String((await fetch(`${n.url}/api/health`, { signal: AbortSignal.timeout(2000) })).status);
      } catch { /* no answer */ }
      seen[n.name].push([Date.now(), st]);
      await sleep(200);
    }
  });
  /** Statuses after `stopped`, and each node's first 200 after it, in ms from `started`. */
  return async (stopped: number, started: number) => {
    on = false;
    await Promise.all(loops);
    const after = (n: string) => seen[n].filter((x) => x[0] >= stopped);
    return {
      nodeHealthStatusesSinceStop: Object.fromEntries(Object.keys(seen).map((n) => [n, after(n).reduce<Record<string, number>>((m, x) => ((m[x[1]] = (m[x[1]] ?? 0) + 1), m), {})])),
      nodeHealthy200AfterPgUpMs: Object.fromEntries(Object.keys(seen).map((n) => [n, ((x) => (x ? x[0] - started : null))(after(n).find((x) => x[1] === '200'))])),
    };
  };
}

export async function pgRestartPhase(ctx: Ctx, o: PgRestartOpts) {
  const c = await ctx.cluster(3);
  const unexpected: string[] = [];
  c.onExit((name, code, signal) => unexpected.push(`${name}: ${signal ?? code}`));
  let db = await pgClient(c);
  try {
    log(`pg-restart: ${o.rate} device events/s through HAProxy; PostgreSQL stopped (fast) for ${o.downS} s`);
    const senders = child('bench/cluster/senders.ts', { url: c.url, key: c.gateway.key, datasetDir: DATASET_DIR, rate: o.rate, batch: o.batch, lanes: o.lanes, seed: 400 });
    await flowing(db, 5000);
    await db.end();
    const health = watchHealth(c);
    const stopAt = Date.now();
    const start = await pgStop(c);
    const stoppedAt = Date.now();
    log(`  PostgreSQL stopped in ${stoppedAt - stopAt} ms; starting it again in ${o.downS} s`);
    await sleep(o.downS * 1000);
    const startAt = Date.now();
    await start();
    const startedAt = Date.now();
    log(`  PostgreSQL accepting connections ${startedAt - startAt} ms after pg_ctl start`);
    await sleep(o.afterS * 1000);
    const h = await health(stoppedAt, startedAt);
    const t = await result<SendersOut>(senders, 60_000, true);
    db = await pgClient(c);
    const ledger = await checkLedger(db, t.acked);
    const count = (xs: Array<[number, number, string]>) => xs.reduce<Record<string, number>>((m, x) => ((m[x[2]] = (m[x[2]] ?? 0) + 1), m), {});
    const down = t.timeline.filter((x) => x[1] >= stopAt && x[1] < startedAt);
    // Ingest is back when a request sent after PostgreSQL had stopped is answered 200.
    const back = t.timeline.filter((x) => x[0] >= stoppedAt && x[2] === '200').sort((a, b) => a[1] - b[1])[0];
    const recovering = t.timeline.filter((x) => x[1] >= startedAt && (!back || x[1] < back[1]));
    const after = back ? t.timeline.filter((x) => x[0] >= back[1]) : [];
    log(`  -> while down: ${JSON.stringify(count(down))}; 200 again ${back ? back[1] - startedAt : 'never'} ms after PostgreSQL was up; missing ${ledger.missing}`);
    return {
      load: { targetEventsPerSec: o.rate, batch: o.batch, senders: o.lanes },
      postgresDownMs: startedAt - stopAt,
      pgCtl: { stopFastMs: stoppedAt - stopAt, startMs: startedAt - startAt },
      answersWhileDown: count(down),
      answersAfterStartUntil200: count(recovering),
      ingest200AgainAfterPgUpMs: back ? back[1] - startedAt : null,
      ingest200AgainAfterStopMs: back ? back[1] - stopAt : null,
      shareOf200After: after.length ? Number((after.filter((x) => x[2] === '200').length / after.length).toFixed(3)) : null,
      ...h,
      ackedVsFound: ledger,
      unexpectedExits: unexpected,
      what: 'answers by completion time; "-node": a node\'s JSON 503 (store unavailable), "-proxy": HAProxy\'s page (no node passed its health check, which is 503 while the store cannot be read); nodeHealthy200AfterPgUpMs: each node\'s own /api/health polled every 200 ms, from pg_ctl start returning',
    };
  } finally {
    await db.end().catch(() => undefined);
    await ctx.stopClusters();
  }
}
