// Load generator child process. argv[2] is a JSON config:
//   mode 'closed': `concurrency` workers each POST a `batch` of device records, send again as soon
//                  as the ack comes back (as fast as the server acknowledges).
//   mode 'paced':  `rate` device events/s in batches of `batch` sent on a fixed schedule (open loop,
//                  at most `maxInFlight` requests outstanding), plus `probeRate` case updates/s
//                  whose updatedAt is the send time (latency probes for the socket.io clients).
// Runs `warmupS` then `measureS`; only acknowledged (2xx) `accepted` counts. Prints one JSON line.
import { makePoster } from './http.ts';
import { RecordGenerator } from './records.ts';
import { median, summarize } from './stats.ts';
import { exitAfterOutput } from './exit.ts';

interface Config {
  mode: 'closed' | 'paced';
  url: string;
  key: string;
  datasetDir: string;
  batch: number;
  concurrency?: number;
  rate?: number;
  probeRate?: number;
  maxInFlight?: number;
  warmupS: number;
  measureS: number;
  /** Absolute start of the measurement window (epoch ms); default: now + warmupS. */
  measureFrom?: number;
  seed?: number;
}

const cfg = JSON.parse(process.argv[2]) as Config;
const gen = new RecordGenerator(cfg.datasetDir, cfg.seed ?? 1);
const maxSockets = cfg.mode === 'closed' ? cfg.concurrency! : (cfg.maxInFlight ?? 16) + 4;
const http = makePoster(cfg.url, { 'x-gateway-key': cfg.key }, maxSockets);

const start = Date.now();
const measureFrom = cfg.measureFrom ?? start + cfg.warmupS * 1000;
const measureTo = measureFrom + cfg.measureS * 1000;
const inWindow = (t: number) => t >= measureFrom && t < measureTo;

const stats = {
  ackedTotal: 0, // every acknowledged event, warm-up included (for the row count check)
  ackedInWindow: 0,
  requests: 0,
  byStatus: {} as Record<string, number>,
  errors: [] as string[],
  rejected: 0,
  requestMs: [] as number[],
  skippedSends: 0,
  probesSent: 0,
  probesAcked: 0,
  perSecond: new Array<number>(Math.ceil(cfg.measureS)).fill(0),
};

async function sendDevices(): Promise<void> {
  const body = gen.body(cfg.batch, Date.now());
  const t0 = performance.now();
  try {
    const res = await http.post('/api/ingest/devices', body);
    const done = Date.now();
    stats.requests++;
    stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
    if (res.status >= 200 && res.status < 300) {
      const r = JSON.parse(res.body) as { accepted: number; rejected: unknown[] };
      stats.ackedTotal += r.accepted;
      stats.rejected += r.rejected.length;
      if (inWindow(done)) {
        stats.ackedInWindow += r.accepted;
        stats.perSecond[Math.floor((done - measureFrom) / 1000)] += r.accepted;
        stats.requestMs.push(performance.now() - t0);
      }
    } else if (stats.errors.length < 5) stats.errors.push(`${res.status} ${res.body.slice(0, 200)}`);
  } catch (e) {
    if (stats.errors.length < 5) stats.errors.push(String((e as Error).message));
  }
}

let probeN = 0;
const runTag = start.toString(36);
async function sendProbe(): Promise<void> {
  // Each probe is a new case report; its reportedAt (= updatedAt of the new case) is the send time.
  const id = `BENCH-PROBE-${runTag}-${probeN++}`;
  const record = { id, source: 'citizen', eventClass: '0102', title: `bench probe ${id}`, urgency: 'normal', lon: 117.03, lat: 30.52, reportedAt: Date.now() };
  stats.probesSent++;
  try {
    const res = await http.post('/api/ingest/cases', JSON.stringify({ records: [record] }));
    if (res.status === 200) stats.probesAcked++;
    else if (stats.errors.length < 5) stats.errors.push(`probe ${res.status} ${res.body.slice(0, 200)}`);
  } catch (e) {
    if (stats.errors.length < 5) stats.errors.push(`probe ${(e as Error).message}`);
  }
}

async function closedLoop(): Promise<void> {
  const worker = async () => {
    while (Date.now() < measureTo) await sendDevices();
  };
  await Promise.all(Array.from({ length: cfg.concurrency! }, worker));
}

async function pacedLoop(): Promise<void> {
  const interval = 1000 / (cfg.rate! / cfg.batch); // ms between device batches
  const probeInterval = cfg.probeRate ? 1000 / cfg.probeRate : Infinity;
  let nextBatch = start;
  let nextProbe = start;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inFlight++;
    pending.add(p);
    p.finally(() => {
      inFlight--;
      pending.delete(p);
    });
  };
  while (Date.now() < measureTo) {
    const now = Date.now();
    while (nextBatch <= now) {
      if (inFlight < (cfg.maxInFlight ?? 16)) track(sendDevices());
      else stats.skippedSends++;
      nextBatch += interval;
    }
    while (nextProbe <= now) {
      track(sendProbe());
      nextProbe += probeInterval;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(nextBatch, nextProbe) - Date.now())));
  }
  await Promise.all(pending);
}

await (cfg.mode === 'closed' ? closedLoop() : pacedLoop());
http.close();
const seconds = cfg.measureS;
const out = {
  mode: cfg.mode,
  batch: cfg.batch,
  concurrency: cfg.concurrency ?? null,
  targetEventsPerSec: cfg.rate ?? null,
  eventsPerSec: Math.round(stats.ackedInWindow / seconds),
  perSecond: { min: Math.min(...stats.perSecond), median: median(stats.perSecond), max: Math.max(...stats.perSecond) },
  ackedInWindow: stats.ackedInWindow,
  ackedTotal: stats.ackedTotal,
  requests: stats.requests,
  byStatus: stats.byStatus,
  rejected: stats.rejected,
  requestMs: summarize(stats.requestMs),
  skippedSends: stats.skippedSends,
  probesSent: stats.probesSent,
  probesAcked: stats.probesAcked,
  measureFrom,
  measureTo,
  errors: stats.errors,
};
process.stdout.write(JSON.stringify(out) + '\n');
exitAfterOutput(0);
