// MQTT load generator child process: `inFlight` QoS 1 publishes of `batch` device records each on
// linkage/up/<gateway>/devices, each sent again as soon as its PUBACK (= committed) arrives.
// Runs `warmupS` then `measureS`; counts records whose PUBACK arrived inside the window, minus the
// ones the server reported rejected. argv[2] is a JSON config; prints one JSON line.
import { connectAsync } from 'mqtt';
import { rejectedTopic, uplinkTopic } from '../core/field.ts';
import { RecordGenerator } from './records.ts';
import { median, summarize } from './stats.ts';
import { exitAfterOutput } from './exit.ts';

interface Config {
  url: string;
  gateway: string;
  key: string;
  datasetDir: string;
  batch: number;
  inFlight: number;
  warmupS: number;
  measureS: number;
  measureFrom?: number;
  seed?: number;
}

const cfg = JSON.parse(process.argv[2]) as Config;
const gen = new RecordGenerator(cfg.datasetDir, cfg.seed ?? 1);
const client = await connectAsync(cfg.url, { username: cfg.gateway, password: cfg.key, reconnectPeriod: 1000 });
const start = Date.now();
const measureFrom = cfg.measureFrom ?? start + cfg.warmupS * 1000;
const measureTo = measureFrom + cfg.measureS * 1000;
const stats = { ackedTotal: 0, ackedInWindow: 0, rejected: 0, messages: 0, publishMs: [] as number[], errors: [] as string[], perSecond: new Array<number>(Math.ceil(cfg.measureS)).fill(0) };
await client.subscribeAsync(rejectedTopic(cfg.gateway), { qos: 1 });
client.on('message', (_t, payload) => {
  const r = JSON.parse(payload.toString()) as { rejected: unknown[] };
  stats.rejected += r.rejected.length;
});
const topic = uplinkTopic(cfg.gateway, 'devices');

async function worker(): Promise<void> {
  while (Date.now() < measureTo) {
    const body = gen.body(cfg.batch, Date.now());
    const t0 = performance.now();
    try {
      await client.publishAsync(topic, body, { qos: 1 });
      const done = Date.now();
      stats.messages++;
      stats.ackedTotal += cfg.batch;
      if (done >= measureFrom && done < measureTo) {
        stats.ackedInWindow += cfg.batch;
        stats.perSecond[Math.floor((done - measureFrom) / 1000)] += cfg.batch;
        stats.publishMs.push(performance.now() - t0);
      }
    } catch (e) {
      if (stats.errors.length < 5) stats.errors.push((e as Error).message);
    }
  }
}

await Promise.all(Array.from({ length: cfg.inFlight }, worker));
await new Promise((r) => setTimeout(r, 300)); // late rejection reports
await client.endAsync();
process.stdout.write(JSON.stringify({
  eventsPerSec: Math.round((stats.ackedInWindow - stats.rejected) / cfg.measureS),
  perSecond: { min: Math.min(...stats.perSecond), median: median(stats.perSecond), max: Math.max(...stats.perSecond) },
  ackedTotal: stats.ackedTotal - stats.rejected, ackedInWindow: stats.ackedInWindow, rejected: stats.rejected, messages: stats.messages,
  publishMs: summarize(stats.publishMs), batch: cfg.batch, inFlight: cfg.inFlight, errors: stats.errors,
}) + '\n');
exitAfterOutput(0);
