// Paced ingest senders for the fault phases (child of bench/cluster.ts). `lanes` senders through
// HAProxy, each one request at a time, together `rate` device records/s in batches of `batch`; every
// batch carries its own marker ts (markerClock), and each answered 200 with all records accepted
// goes into the ledger. A request that fails or gets another status is not retried: the next batch
// is new (at-most-once from the sender's side, so "missing" is exact). Runs until SIGTERM, then
// prints one JSON line: the ledger, every request's [sentAt, doneAt, status] (noAnswer, 200, 503-node:
// a node's JSON, 503-proxy: HAProxy's page), and counts.
import { markerClock } from '../../scripts/server-process.ts';
import { makePoster } from '../http.ts';
import { RecordGenerator } from '../records.ts';
import { idsDigest, type AckedBatch } from './ledger.ts';

const cfg = JSON.parse(process.argv[2]) as { url: string; key: string; datasetDir: string; rate: number; batch: number; lanes: number; seed: number };
const acked: AckedBatch[] = [];
const timeline: Array<[number, number, string]> = [];
const byStatus: Record<string, number> = {};
const errors: string[] = [];
let partial = 0;
let behind = 0;
let stopping = false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lane(k: number): Promise<void> {
  const gen = new RecordGenerator(cfg.datasetDir, cfg.seed + k);
  const marker = markerClock(k, cfg.lanes);
  const poster = makePoster(cfg.url, { 'x-gateway-key': cfg.key }, 1);
  const interval = (cfg.lanes * cfg.batch * 1000) / cfg.rate;
  let next = Date.now() + (k * interval) / cfg.lanes;
  while (!stopping) {
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -interval) {
      behind++; // no catch-up burst after an outage: the schedule restarts from now
      next = Date.now();
    }
    next += interval;
    if (stopping) break;
    const ids: string[] = [];
    const ts = marker();
    const body = gen.body(cfg.batch, ts, ids);
    const sentAt = Date.now();
    let status = 0;
    let source = 'net';
    try {
      const res = await poster.post('/api/ingest/devices', body, 30_000);
      status = res.status;
      source = res.body.startsWith('{') ? 'node' : 'proxy';
      if (status === 200) {
        const r = JSON.parse(res.body) as { accepted: number };
        if (r.accepted === cfg.batch) acked.push([ts, cfg.batch, idsDigest(ids)]);
        else partial++;
      } else if (errors.length < 8) errors.push(`${status} ${source}: ${res.body.slice(0, 160)}`);
    } catch (e) {
      if (errors.length < 8) errors.push((e as Error).message.slice(0, 160));
    }
    const key = status === 0 ? 'noAnswer' : `${status}${status >= 500 ? `-${source}` : ''}`;
    timeline.push([sentAt, Date.now(), key]);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    if (status !== 200) await sleep(100);
  }
  poster.close();
}

const lanes = Array.from({ length: cfg.lanes }, (_, k) => lane(k));
process.on('SIGTERM', () => {
  stopping = true;
  // Requests in flight finish (bounded by their 30 s timeout) before the ledger is printed.
  void Promise.all(lanes).then(() => {
    const records = acked.reduce((s, b) => s + b[1], 0);
    process.stdout.write(JSON.stringify({ ackedBatches: acked.length, ackedRecords: records, partial, behind, byStatus, errors, acked, timeline }) + '\n');
    process.exit(0);
  });
});
