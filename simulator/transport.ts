// Batching HTTP sender for one ingest endpoint. A record counts as delivered only after a 2xx
// answer; network errors, 5xx and 429 are retried with backoff (the same batch, in order), never
// dropped silently. Rejected records are logged: they are the simulator's own bugs.
import type { Logger } from 'pino';
import { MAX_BATCH_RECORDS, type IngestResult } from '../core/protocol.ts';

export interface SenderOptions {
  baseUrl: string;
  path: string; // e.g. /api/ingest/devices
  key: string;
  maxBatch?: number;
  flushMs?: number;
  /** Requests in flight at once. 1 keeps records in order (the default; cases need it). */
  concurrency?: number;
  /** Oldest queued records are dropped (and counted, and logged) beyond this. */
  maxQueued?: number;
  backoffMs?: [number, number];
  log?: Logger;
  onFatal?: (err: Error) => void;
}

export interface SenderStats {
  sent: number; // records posted (first attempts)
  accepted: number;
  rejected: number;
  retried: number; // records posted again after a failed attempt
  failed: number; // records given up on (400: a malformed envelope, our bug)
  dropped: number; // records dropped because the queue overflowed during a long outage
  requests: number;
  lastSeq: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What models' records are pushed into: an HTTP batch sender, or an MQTT one (simulator/mqtt-client.ts). */
export interface RecordSender {
  readonly stats: SenderStats;
  readonly queued: number;
  push(record: object): void;
  start(): this;
  drain(timeoutMs?: number): Promise<boolean>;
  stop(): void;
  resetLogBudget(): void;
}

/**
 * What every record sender shares, whatever carries the batches (HTTP here, MQTT in
 * mqtt-client.ts): a bounded queue of serialized records (the oldest are dropped, counted and
 * logged during a long outage), batches of at most `maxBatch` sent while fewer than `concurrency`
 * are in flight, a periodic flush, and a drain that waits until nothing is queued or in flight.
 */
export abstract class BatchingSender implements RecordSender {
  readonly stats: SenderStats = { sent: 0, accepted: 0, rejected: 0, retried: 0, failed: 0, dropped: 0, requests: 0, lastSeq: 0 };
  private queue: string[] = []; // serialized records
  private head = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  protected stopped = false;

  constructor(private readonly batching: { maxBatch: number; flushMs: number; concurrency: number; maxQueued: number; log?: Logger; what: string }) {}

  /** Sends one batch: calls began() first and settled() once its answer is definite. */
  protected abstract sendBatch(parts: string[]): Promise<unknown>;
  abstract resetLogBudget(): void;

  get queued(): number {
    return this.queue.length - this.head;
  }
  get busy(): number {
    return this.inFlight;
  }

  push(record: object): void {
    this.queue.push(JSON.stringify(record));
    const over = this.queued - this.batching.maxQueued;
    if (over > 0) {
      this.head += over;
      this.stats.dropped += over;
      if (this.stats.dropped === over || this.stats.dropped % 100_000 < over) this.batching.log?.warn({ dropped: this.stats.dropped, what: this.batching.what }, 'queue overflow: dropping oldest records');
    }
  }

  /** Starts the periodic flush. */
  start(): this {
    this.timer ??= setInterval(() => this.pump(), this.batching.flushMs);
    return this;
  }

  /** Sends as many batches as the concurrency allows. */
  pump(): void {
    while (!this.stopped && this.queued > 0 && this.inFlight < this.batching.concurrency) {
      const end = Math.min(this.queue.length, this.head + this.batching.maxBatch);
      const parts = this.queue.slice(this.head, end);
      this.head = end;
      if (this.head > 65_536 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      void this.sendBatch(parts);
    }
  }

  protected began(): void {
    this.inFlight++;
  }

  protected settled(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.queued === 0) for (const w of this.idleWaiters.splice(0)) w();
    else queueMicrotask(() => this.pump());
  }

  /** Sends everything queued and waits until nothing is in flight (or the timeout passes). */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    this.pump();
    if (this.inFlight === 0 && this.queued === 0) return true;
    const done = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    return Promise.race([done, sleep(timeoutMs).then(() => false)]);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
  }
}

export class Sender extends BatchingSender {
  private rejectLogBudget = 20;
  readonly url: string;
  private readonly o: Required<Omit<SenderOptions, 'log' | 'onFatal'>> & Pick<SenderOptions, 'log' | 'onFatal'>;

  constructor(opts: SenderOptions) {
    const o = { maxBatch: MAX_BATCH_RECORDS, flushMs: 250, concurrency: 1, maxQueued: 2_000_000, backoffMs: [250, 10_000] as [number, number], ...opts };
    o.maxBatch = Math.min(o.maxBatch, MAX_BATCH_RECORDS);
    super({ ...o, what: o.path });
    this.o = o;
    this.url = this.o.baseUrl.replace(/\/$/, '') + this.o.path;
  }

  protected sendBatch(parts: string[]): Promise<unknown> {
    return this.sendBody(`{"records":[${parts.join(',')}]}`, parts.length);
  }

  /** Posts a prebuilt `{"records":[...]}` body of `count` records, retrying until a definite answer. */
  async sendBody(body: string, count: number): Promise<IngestResult | null> {
    this.began();
    this.stats.sent += count;
    try {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) this.stats.retried += count;
        let status = 0;
        let text = '';
        try {
          this.stats.requests++;
          const res = await fetch(this.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-gateway-key': this.o.key },
            body,
          });
          status = res.status;
          text = await res.text();
        } catch (err) {
          this.o.log?.warn({ path: this.o.path, attempt, err: (err as Error).message }, 'ingest request failed, will retry');
        }
        if (status === 200 || status === 207 || status === 422) return this.settle(status, text, count);
        if (status === 401 || status === 403) {
          const err = new Error(`ingest ${this.o.path} answered ${status}: check GATEWAY_KEY (${text.slice(0, 200)})`);
          this.o.onFatal?.(err);
          this.stopped = true;
          throw err;
        }
        if (status === 400 || status === 413) {
          this.stats.failed += count;
          this.o.log?.error({ path: this.o.path, status, body: text.slice(0, 500) }, 'ingest refused the batch envelope; batch dropped');
          return null;
        }
        if (status !== 0) this.o.log?.warn({ path: this.o.path, status, attempt, body: text.slice(0, 200) }, 'ingest unavailable, will retry');
        if (this.stopped) return null;
        const [base, max] = this.o.backoffMs;
        await sleep(Math.min(max, base * 2 ** Math.min(attempt, 16)) * (0.75 + Math.random() * 0.5));
      }
    } finally {
      this.settled();
    }
  }

  private settle(status: number, text: string, count: number): IngestResult | null {
    let result: IngestResult;
    try {
      result = JSON.parse(text) as IngestResult;
    } catch {
      this.o.log?.error({ path: this.o.path, status, body: text.slice(0, 300) }, 'unreadable ingest answer');
      if (status === 200) this.stats.accepted += count;
      return null;
    }
    this.stats.accepted += result.accepted ?? 0;
    const rejected = result.rejected ?? [];
    this.stats.rejected += rejected.length;
    if (typeof result.lastSeq === 'number') this.stats.lastSeq = Math.max(this.stats.lastSeq, result.lastSeq);
    if (rejected.length > 0 && this.rejectLogBudget > 0) {
      this.rejectLogBudget--;
      this.o.log?.error({ path: this.o.path, status, rejected: rejected.length, sample: rejected.slice(0, 5) }, 'ingest rejected records (simulator bug)');
    }
    return result;
  }

  /** Re-arms the rejected-records log once a minute so a steady bug does not flood the log. */
  resetLogBudget() {
    this.rejectLogBudget = 20;
  }
}

/**
 * The three record streams behind one object that models write to. Telemetry and video events
 * travel over MQTT when `mqtt` senders are given (as field devices do), else over HTTP; new cases
 * always go over HTTP, as hotline platforms and grid apps post them.
 */
export class Transport {
  readonly devices: RecordSender;
  readonly video: RecordSender;
  readonly cases: Sender;
  readonly weather: RecordSender;

  constructor(opts: Omit<SenderOptions, 'path'>, mqtt?: { devices: RecordSender; video: RecordSender; weather?: RecordSender }) {
    this.devices = mqtt?.devices ?? new Sender({ ...opts, path: '/api/ingest/devices' });
    this.video = mqtt?.video ?? new Sender({ ...opts, path: '/api/ingest/video-events' });
    this.weather = mqtt?.weather ?? new Sender({ ...opts, path: '/api/ingest/weather' });
    this.cases = new Sender({ ...opts, path: '/api/ingest/cases' });
  }

  get senders(): RecordSender[] {
    return [this.devices, this.video, this.weather, this.cases];
  }

  start(): this {
    for (const s of this.senders) s.start();
    return this;
  }

  async drain(timeoutMs?: number): Promise<boolean> {
    const r = await Promise.all(this.senders.map((s) => s.drain(timeoutMs)));
    return r.every(Boolean);
  }

  stop(): void {
    for (const s of this.senders) s.stop();
  }
}
