// Phase 2 of bench/cluster.ts: screens spread over the 3 nodes (each node's share connects to it
// directly: bench/clients.ts, socket.io-client over WebSocket, one child per node) while device
// records are ingested through HAProxy at a paced rate (bench/ingest-load.ts, with 20 probe cases/s
// whose reportedAt is their send time). Event→screen latency = the moment a screen decoded the delta
// holding a probe − its reportedAt (same clock). Rates are tried from the highest down until one is
// sustained. Then the raw `ws` baseline (bench/raw-ws.ts) replays the deltas one screen received,
// to as many raw clients, with the cluster stopped.
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/free-port.ts';
import { ratio, summarize } from '../stats.ts';
import { child, cpuMeter, DATASET_DIR, log, pgClient, pgMeter, result, rssMb, sleep, type Ctx } from './common.ts';

export interface FanoutOpts { screens: number; rates: number[]; batch: number; warmupS: number; measureS: number; analyze: boolean; probeRate: number }

interface ClientsOut { connected: number; deltas: number; seqGaps: number; disconnects: number; probeMs: number[]; deliveryMs: number[]; bytesPerSec: number[]; deltaLog: number[][]; snapshotBytes: number; errors: string[] }
interface LoadOut { eventsPerSec: number; skippedSends: number; probesSent: number; probesAcked: number; requestMs: { p50: number; p99: number }; byStatus: Record<string, number>; errors: string[] }

const split = (n: number, k: number) => Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export async function fanoutPhase(ctx: Ctx, o: FanoutOpts) {
  const c = await ctx.cluster(3);
  const db = await pgClient(c);
  const points = [];
  const rssBeforeScreens = Object.fromEntries(c.nodes.map((n) => [n.name, rssMb(n.pid)]));
  let deltaLog: number[][] = [];
  try {
    for (const rate of o.rates) {
      log(`fanout: ${o.screens} screens on ${c.nodes.length} nodes, ${rate} device events/s + ${o.probeRate} probe cases/s, ${o.warmupS}+${o.measureS} s`);
      const measureFrom = Date.now() + (12 + o.warmupS) * 1000; // screens connect (a snapshot each), then warm up
      const measureTo = measureFrom + o.measureS * 1000;
      const counts = split(o.screens, c.nodes.length);
      const clients = c.nodes.map((n, i) => child('bench/clients.ts', { url: n.url, count: counts[i], measureFrom, measureTo, probePrefix: 'BENCH-PROBE-', recordDeltas: i === 0 }));
      await sleep(3000);
      const load = child('bench/ingest-load.ts', { mode: 'paced', url: c.url, key: c.gateway.key, datasetDir: DATASET_DIR, batch: o.batch, rate, probeRate: o.probeRate, maxInFlight: 16, warmupS: 0, measureS: o.measureS, measureFrom, seed: rate });
      // A fresh events table has no statistics until autovacuum's first ANALYZE (naptime 1 min):
      // until then a case report's unchanged-check (under log_head's lock) is planned as a full
      // scan of events, and ingest collapses. A cluster that ran a while has them: so analyze
      // once the warm-up starts (BENCH_FANOUT_ANALYZE=0 measures the cold case).
      await sleep(Math.max(0, measureFrom - o.warmupS * 1000 - Date.now()));
      if (o.analyze) await db.query('ANALYZE events');
      await sleep(Math.max(0, measureFrom - Date.now()));
      const cpu = cpuMeter(c, { loadGenerator: [load.child.pid!], screens: clients.map((x) => x.child.pid!) });
      const pgEnd = await pgMeter(db);
      await sleep(Math.max(0, measureTo - Date.now()));
      const cores = cpu();
      const rss = Object.fromEntries(c.nodes.map((n) => [n.name, rssMb(n.pid)]));
      const pgRate = await pgEnd();
      const l = await result<LoadOut>(load, 90_000);
      const outs = await Promise.all(clients.map((x) => result<ClientsOut>(x, 90_000)));
      const probe = summarize(outs.flatMap((x) => x.probeMs));
      const delivery = summarize(outs.flatMap((x) => x.deliveryMs));
      const connected = outs.reduce((s, x) => s + x.connected, 0);
      const disconnects = outs.reduce((s, x) => s + x.disconnects, 0);
      const sustained = l.eventsPerSec >= rate * 0.95 && connected === o.screens && disconnects === 0 && probe.samples > 0 && probe.p99 < 3000;
      deltaLog = outs[0].deltaLog;
      points.push({
        targetEventsPerSec: rate,
        analyzedBeforeWindow: o.analyze,
        achievedEventsPerSec: l.eventsPerSec,
        skippedSends: l.skippedSends,
        ingestRequestMs: { p50: l.requestMs.p50, p99: l.requestMs.p99 },
        ingestByStatus: l.byStatus,
        probes: { perSec: o.probeRate, sent: l.probesSent, acked: l.probesAcked, screenSamples: probe.samples },
        screens: o.screens,
        screensPerNode: Object.fromEntries(c.nodes.map((n, i) => [n.name, counts[i]])),
        connected,
        disconnects,
        seqGaps: outs.reduce((s, x) => s + x.seqGaps, 0),
        eventToScreenMs: { p50: probe.p50, p90: probe.p90, p99: probe.p99, max: probe.max },
        deltaDeliveryMs: { p50: delivery.p50, p99: delivery.p99, what: 'hub emit (delta.serverTime) to screen receive' },
        deltasPerScreenPerSec: Number((outs.reduce((s, x) => s + x.deltas, 0) / Math.max(1, connected) / o.measureS).toFixed(1)),
        bytesPerScreenPerSec: Math.round(mean(outs.flatMap((x) => x.bytesPerSec))),
        snapshotBytes: outs[0].snapshotBytes,
        cpuCores: cores,
        nodeRssMb: { beforeScreens: rssBeforeScreens, endOfWindow: rss },
        postgres: pgRate,
        sustained,
        errors: [...l.errors, ...outs.flatMap((x) => x.errors)].slice(0, 6),
      });
      log(`  -> achieved ${l.eventsPerSec}/s, event→screen p50 ${probe.p50} p99 ${probe.p99} ms, ${connected} connected, ${disconnects} disconnects; sustained: ${sustained}; cores ${JSON.stringify(cores)}`);
      if (sustained) break;
    }
  } finally {
    await db.end().catch(() => undefined);
    await ctx.stopClusters();
  }
  const rawWs = deltaLog.length ? await rawWsBaseline(o, deltaLog) : null;
  const best = points.find((p) => p.sustained) ?? null;
  const last = points[points.length - 1];
  const ref = best ?? last;
  return {
    points,
    highestSustainedEventsPerSec: best?.targetEventsPerSec ?? null,
    sustainedMeans: 'ingest ≥ 95% of the target, every screen connected, none disconnected, event→screen p99 < 3 s (the dashboard calls a screen stale after 3 s without a message)',
    rawWs,
    ratioP50: rawWs && ratio(ref.deltaDeliveryMs.p50, rawWs.p50),
    ratioP99: rawWs && ratio(ref.deltaDeliveryMs.p99, rawWs.p99),
    rawWsWhat: `raw ws server (one process, nothing else to do, cluster stopped) replays the deltas one screen received at ${ref.targetEventsPerSec}/s, one binary message each, to ${o.screens} raw clients; compare with deltaDeliveryMs of that point`,
  };
}

async function rawWsBaseline(o: FanoutOpts, deltaLog: number[][]) {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `linkage-bench-cluster-deltas-${process.pid}.json`);
  writeFileSync(logFile, JSON.stringify(deltaLog));
  try {
    return await replay(o, port, logFile);
  } finally {
    rmSync(logFile, { force: true });
  }
}

async function replay(o: FanoutOpts, port: number, logFile: string) {
  const measureFrom = Date.now() + (o.warmupS + 4) * 1000;
  const measureTo = measureFrom + o.measureS * 1000;
  log(`raw ws: the recorded deltas replayed to ${o.screens} clients, ${o.measureS} s`);
  const server = child('bench/raw-ws.ts', 'server', { port, count: o.screens, logFile, periodMs: o.measureS * 1000, frames: false, measureFrom, measureTo });
  await sleep(500);
  const clients = split(o.screens, 3).map((count) => child('bench/raw-ws.ts', 'clients', { port, count, measureFrom, measureTo }));
  const [s, ...cs] = await Promise.all([result<{ messagesSent: number; bytesPerMessage: number }>(server, 120_000), ...clients.map((x) => result<{ latencyMs: number[]; connected: number }>(x, 120_000))]);
  const lat = summarize(cs.flatMap((x) => x.latencyMs));
  log(`  -> raw ws p50 ${lat.p50} ms, p99 ${lat.p99} ms`);
  return { p50: lat.p50, p99: lat.p99, samples: lat.samples, messagesSent: s.messagesSent, bytesPerMessage: s.bytesPerMessage, connected: cs.reduce((n, x) => n + x.connected, 0) };
}
