// Phase 3 of bench/cluster.ts: kill -9 of a node under load, `kills` times (nodes in turn, each
// while one of its appends runs in PostgreSQL when one comes within 5 s), each started again at
// once on its port, data dir and environment. Senders (bench/cluster/senders.ts) ingest through
// HAProxy with batch markers; screens (bench/cluster/screens.ts) watch through HAProxy and
// reconnect by themselves. Afterwards: acknowledged vs found in PostgreSQL, and for the
// killed node's screens the time from the kill to their snapshot and to their next applied delta on
// another node, and the seq gaps any screen saw after a resync.
import type { ClusterNode } from '../../scripts/cluster/index.ts';
import { summarize } from '../stats.ts';
import { child, DATASET_DIR, environOf, log, pgClient, restartNode, result, sleep, untilAppendInFlight, type Ctx } from './common.ts';
import { checkLedger, type AckedBatch } from './ledger.ts';

export interface KillOpts { rate: number; batch: number; lanes: number; screens: number; kills: number; settleS: number }

interface Outage { screen: number; node: string; at: number; reason: string; reconnectAt?: number; newNode?: string; snapshotAt?: number; deltaAt?: number }
interface ScreensOut { screens: number; connectedAtEnd: number; gaps: number; stale: number; setAside: number; gapLog: string[]; deltasByNode: Record<string, number>; outages: Outage[] }
export interface SendersOut { ackedBatches: number; ackedRecords: number; partial: number; behind: number; byStatus: Record<string, number>; errors: string[]; acked: AckedBatch[]; timeline: Array<[number, number, string]> }

/** Resolves once the log's head has grown for `ms` (the senders' child is up and acknowledged). */
export async function flowing(db: Awaited<ReturnType<typeof pgClient>>, ms = 3000, timeoutMs = 90_000): Promise<void> {
  const head = async () => Number((await db.query('SELECT seq::float8 AS s FROM log_head')).rows[0].s);
  const end = Date.now() + timeoutMs;
  while ((await head()) === 0) {
    if (Date.now() > end) throw new Error('no device record was committed within 90 s of starting the senders');
    await sleep(250);
  }
  await sleep(ms);
}

export async function killPhase(ctx: Ctx, o: KillOpts) {
  const c = await ctx.cluster(3);
  const db = await pgClient(c);
  try {
    const envs = c.nodes.map((n) => environOf(n.pid));
    const nodes: ClusterNode[] = [...c.nodes];
    const unexpected: string[] = [];
    c.onExit((name, code, signal) => signal !== 'SIGKILL' && unexpected.push(`${name}: ${signal ?? code}`));
    log(`kill: ${o.screens} screens and ${o.rate} device events/s through HAProxy; ${o.kills} × kill -9 of a node, started again at once`);
    const screens = child('bench/cluster/screens.ts', { url: c.url, count: o.screens });
    const senders = child('bench/cluster/senders.ts', { url: c.url, key: c.gateway.key, datasetDir: DATASET_DIR, rate: o.rate, batch: o.batch, lanes: o.lanes, seed: 300 });
    await flowing(db, 5000);
    const kills: Array<{ node: string; at: number; restartMs: number | null; appendInFlight: boolean; failedStarts: string[] }> = [];
    for (let k = 0; k < o.kills; k++) {
      const i = k % nodes.length;
      const appendInFlight = await untilAppendInFlight(db, nodes[i].pid, 5000);
      const at = Date.now();
      const name = nodes[i].name;
      await nodes[i].kill();
      // A start that fails (exit before healthy) is recorded and tried once more, as systemd's Restart= would.
      const failedStarts: string[] = [];
      let up = false;
      for (let attempt = 0; attempt < 2 && !up; attempt++) {
        try {
          nodes[i] = await restartNode(ctx, c, i + 1, nodes[i], envs[i]);
          up = true;
        } catch (e) {
          const m = (e as Error).message;
          failedStarts.push(`${m.split('\n')[0]} ${m.match(/^\w*Error[^\n]*$/m)?.[0] ?? ''}`.slice(0, 300));
        }
      }
      kills.push({ node: name, at, restartMs: up ? Date.now() - at : null, appendInFlight, failedStarts });
      log(`  kill ${k + 1}: ${name} killed${appendInFlight ? ' during an append' : ''}, ${up ? `healthy again after ${Date.now() - at} ms` : 'NOT started again'}${failedStarts.length ? ` (failed starts: ${failedStarts.join(' | ')})` : ''}`);
      if (!up) break;
      // HAProxy takes it back after 2 good checks 2 s apart; the moved screens settle.
      await sleep(o.settleS * 1000);
    }
    const s = await result<ScreensOut>(screens, 20_000, true);
    const t = await result<SendersOut>(senders, 60_000, true);
    const ledger = await checkLedger(db, t.acked);
    // A killed node's screens: those that lost their connection to it within 10 s of its kill.
    const perKill = kills.map((k) => {
      const mine = s.outages.filter((x) => x.node === k.node && x.at >= k.at && x.at < k.at + 10_000);
      return {
        node: k.node,
        appendInFlight: k.appendInFlight,
        restartMs: k.restartMs,
        failedStarts: k.failedStarts,
        screens: mine.length,
        movedTo: mine.reduce<Record<string, number>>((m, x) => ((m[x.newNode ?? 'none'] = (m[x.newNode ?? 'none'] ?? 0) + 1), m), {}),
        recovered: mine.filter((x) => x.deltaAt).length,
        toNextDeltaMs: mine.filter((x) => x.deltaAt).map((x) => x.deltaAt! - k.at),
        toSnapshotMs: mine.filter((x) => x.snapshotAt).map((x) => x.snapshotAt! - k.at),
      };
    });
    const delta = summarize(perKill.flatMap((p) => p.toNextDeltaMs));
    const snap = summarize(perKill.flatMap((p) => p.toSnapshotMs));
    const affected = perKill.reduce((n, p) => n + p.screens, 0);
    const recovered = perKill.reduce((n, p) => n + p.recovered, 0);
    const others = s.outages.filter((x) => !kills.some((k) => x.node === k.node && x.at >= k.at && x.at < k.at + 10_000)).length;
    log(`  -> acknowledged ${ledger.acked}, missing ${ledger.missing}; ${recovered}/${affected} killed-node screens live again, kill→next delta p50 ${delta.p50} p99 ${delta.p99} ms; gaps after resync ${s.gaps}`);
    return {
      kills: kills.length,
      nodeStartsFailed: kills.reduce((n, k) => n + k.failedStarts.length, 0),
      nodeRestartMs: kills.map((k) => k.restartMs),
      load: { targetEventsPerSec: o.rate, batch: o.batch, senders: o.lanes, byStatus: t.byStatus, notAcknowledged: t.timeline.filter((x) => x[2] !== '200').length, errors: t.errors.slice(0, 5) },
      ackedVsFound: ledger,
      screens: o.screens,
      killedNodeScreens: { total: affected, liveAgainWithoutReload: recovered, killToSnapshotMs: { p50: snap.p50, p99: snap.p99, max: snap.max }, killToNextDeltaMs: { p50: delta.p50, p99: delta.p99, max: delta.max }, aimP99Ms: 5000, met: recovered === affected && affected > 0 && delta.p99 <= 5000 },
      perKill: perKill.map(({ toNextDeltaMs, toSnapshotMs, ...p }) => ({ ...p, nextDeltaMs: summarize(toNextDeltaMs) })),
      seqGapsAfterResync: s.gaps,
      gapLog: s.gapLog,
      staleDeltas: s.stale,
      otherDisconnects: others,
      connectedAtEnd: s.connectedAtEnd,
      unexpectedExits: unexpected,
      what: 'killToNextDeltaMs: kill -9 (runner clock) to the first delta the screen applied after its new snapshot (seq advanced); screens connect through HAProxy (WebSocket, reconnect delay 500 ms–4 s as the dashboard); a gap is a delta whose prevSeq is not the screen\'s last seq after its snapshot',
    };
  } finally {
    await db.end().catch(() => undefined);
    await ctx.stopClusters();
  }
}
