// PostgreSQL event log for several nodes: each node group-commits its appends and tails the log
// (LISTEN/NOTIFY wake-ups, readAfter from its head, an occasional poll as a safety net), so every
// node's listeners see every committed event once, in seq order, whichever node wrote it.
import pg from 'pg';
import type { Clock } from '../../core/domain.ts';
import { ConflictError, StoreUnavailableError, type AppendOptions, type Checkpoint, type EventStore, type NewEvent, type StoredEvent, type Unsubscribe } from './event-store.ts';
import { migrate, PG_TYPES } from './pg-schema.ts';
import { pgCheckpoints } from './pg-checkpoints.ts';
import { fromRow, pgReads, READS, type Row } from './pg-reads.ts';
import { appendRows, appendRowsUnchanged, NOTIFY_CHANNEL } from './pg-append.ts';

export interface PgEventStoreOptions {
  connectionString: string;
  clock: Clock;
  /** Safety-net poll of the log when no NOTIFY arrives (ms; default 2000). */
  pollMs?: number;
  /** Pool size for appends and reads (default 8). */
  poolSize?: number;
}

interface Pending { events: NewEvent[]; options?: AppendOptions; resolve: (stored: StoredEvent[]) => void; reject: (error: Error) => void }
/** A commit of this node not yet handed to listeners (others' commits before it may still be unread). */
interface OwnCommit { events: StoredEvent[]; batch: Pending[]; slices: StoredEvent[][] }

const PAGE = 2000;
/** application_name of the tail connection (visible in pg_stat_activity). */
export const TAIL_APP = 'linkage-tail';

export class PgEventStore implements EventStore {
  private readonly pool: pg.Pool;
  private readonly connectionString: string;
  private readonly clock: Clock;
  private readonly checkpoints: ReturnType<typeof pgCheckpoints>;
  private readonly reads: ReturnType<typeof pgReads>;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private committing: Promise<void> | null = null;
  private commitsStarted = 0;
  private own: OwnCommit[] = [];
  private delivered: number;
  private listeners: Array<(events: StoredEvent[]) => void> = [];
  /** catchUp() calls waiting for the head to reach a seq. */
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  private tail: pg.Client | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private readonly poll: NodeJS.Timeout;
  private closed = false;
  private ready = false;

  private constructor(pool: pg.Pool, options: PgEventStoreOptions, head: number) {
    this.pool = pool;
    this.connectionString = options.connectionString;
    this.clock = options.clock;
    this.delivered = head;
    this.checkpoints = pgCheckpoints(pool, options.clock);
    this.reads = pgReads(pool);
    this.poll = setInterval(() => this.wake(), options.pollMs ?? 2000);
    this.poll.unref();
  }

  /** Connects, applies missing migrations, starts tailing from the current head. */
  static async open(options: PgEventStoreOptions): Promise<PgEventStore> {
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 8, types: PG_TYPES });
    // An idle client's connection dropping must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    let store: PgEventStore | undefined;
    try {
      await migrate(pool);
      store = new PgEventStore(pool, options, 0);
      // LISTEN before reading the head, so no commit falls between; wake-ups wait for the head
      // (else a NOTIFY during open would read the whole log from seq 0).
      await store.connectTail();
      store.delivered = (await pool.query<{ seq: number }>('SELECT seq FROM log_head')).rows[0].seq;
      store.ready = true;
      return store;
    } catch (error) {
      if (store) clearInterval(store.poll);
      await store?.tail?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  /** Resolves once this node has handed to its listeners everything committed before the call. */
  async catchUp(): Promise<void> {
    const target = await this.head();
    if (this.delivered >= target) return;
    await new Promise<void>((resolve) => {
      this.waiters.push({ seq: target, resolve });
      this.wake();
    });
  }

  /** The log's head in the database: every node's commits (this node's lastSeq trails it by its lag). */
  async head(): Promise<number> {
    return (await this.pool.query<{ seq: number }>('SELECT seq FROM log_head')).rows[0].seq;
  }

  /** The head this node has handed to its listeners (its own commits included). */
  lastSeq(): number {
    return this.delivered;
  }

  /** Listeners get every event committed by any node, in seq order, each once; returns an unsubscribe. */
  onCommit(listener: (events: StoredEvent[]) => void): Unsubscribe {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Queues events for the next group commit; resolves after COMMIT and after this node's listeners
   * saw them; rejects with StoreUnavailableError when the commit fails (then none was stored).
   */
  append(events: NewEvent[], options?: AppendOptions): Promise<StoredEvent[]> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('store is closed'));
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ events, options, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.committing) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.committing || this.queue.length === 0) return;
      this.commitsStarted++;
      this.committing = this.commit().finally(() => {
        this.committing = null;
        if (this.queue.length > 0) this.scheduleFlush();
      });
    });
  }

  private async commit(): Promise<void> {
    // A conditional append (a command) commits alone, so its conflict refuses only itself; the
    // unconditional ones before it form one group.
    const firstConditional = this.queue.findIndex((p) => p.options?.unchangedSince);
    const take = firstConditional === 0 ? 1 : firstConditional > 0 ? firstConditional : this.queue.length;
    const batch = this.queue.slice(0, take);
    this.queue = this.queue.slice(take);
    const all = batch.length === 1 ? batch[0].events : batch.flatMap((p) => p.events);
    const recordedAt = this.clock.now();
    const unchanged = batch.length === 1 ? batch[0].options?.unchangedSince : undefined;
    let last: number;
    try {
      if (unchanged) {
        const r = await appendRowsUnchanged(this.pool, all, recordedAt, unchanged);
        if ('changed' in r) {
          batch[0].reject(new ConflictError(r.changed));
          return;
        }
        last = r.last;
      } else last = await appendRows(this.pool, all, recordedAt);
    } catch (error) {
      // Rolled back as a whole, log_head included: none stored, no gap. (A connection lost during
      // the commit itself leaves the outcome unknown, as with any database.)
      const failure = new StoreUnavailableError(error);
      for (const p of batch) p.reject(failure);
      return;
    }
    let seq = last - all.length;
    const slices = batch.map((p) => p.events.map((e): StoredEvent => ({ seq: ++seq, recordedAt, type: e.type, subject: e.subject, ts: e.ts, data: e.data, index: e.index })));
    this.own.push({ events: slices.length === 1 ? slices[0] : slices.flat(), batch, slices });
    this.wake();
  }

  /** Starts a drain, or asks the running one to go round once more. */
  private wake(): void {
    if (!this.ready || (this.closed && this.own.length === 0)) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    do {
      this.drainAgain = false;
      try {
        await this.deliverPending();
      } catch {
        // Tail connection lost: drop it; the next wake (poll or commit) reconnects and resumes from the head.
        const t = this.tail;
        this.tail = null;
        t?.end().catch(() => undefined);
        return;
      }
    } while (this.drainAgain && !this.closed);
  }

  /** Delivers everything after the head, in order: own commits directly, others' read from the log. */
  private async deliverPending(): Promise<void> {
    for (;;) {
      const next = this.own[0];
      if (next && next.events[0].seq <= this.delivered + 1) {
        this.own.shift();
        // (A first seq at or below the head would mean the rows were handed over as read: never again.)
        if (next.events[0].seq === this.delivered + 1) this.deliver(next.events);
        for (let i = 0; i < next.batch.length; i++) next.batch[i].resolve(next.slices[i]);
        continue;
      }
      const tail = this.tail ?? (await this.connectTail());
      if (this.own[0] !== next) continue; // a commit of ours landed while connecting
      // Everything below our own commit was committed before it (log_head's lock), so it is there.
      const upTo = next ? next.events[0].seq - 1 : Number.MAX_SAFE_INTEGER;
      const started = this.commitsStarted;
      const inFlight = this.committing;
      let { rows } = await tail.query<Row>(READS.range, [this.delivered, upTo, PAGE]);
      if (inFlight || this.commitsStarted !== started) {
        // Our own commit may have landed before this read (its NOTIFY can beat its reply): wait
        // for its seqs and hand it over as our own (with `index`), not as rows read back.
        await this.committing;
        const own = this.own[0]?.events[0].seq;
        if (own !== undefined) rows = rows.filter((r) => r.seq < own);
      }
      if (rows.length === 0) {
        if (this.own[0]?.events[0].seq === this.delivered + 1) continue;
        return;
      }
      this.deliver(rows.map(fromRow));
    }
  }

  private deliver(events: StoredEvent[]): void {
    this.delivered = events[events.length - 1].seq;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch {
        // Committed is committed: a failing listener must not stall the tail or the acks.
      }
    }
    if (this.waiters.length > 0) {
      const due = this.waiters.filter((w) => w.seq <= this.delivered);
      this.waiters = this.waiters.filter((w) => w.seq > this.delivered);
      for (const w of due) w.resolve();
    }
  }

  /** The dedicated tail connection: LISTENs for heads and runs the catch-up reads. */
  private async connectTail(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.connectionString, types: PG_TYPES, application_name: TAIL_APP });
    client.on('error', () => {
      if (this.tail === client) this.tail = null;
    });
    client.on('notification', (msg) => {
      if (Number(msg.payload) > this.delivered) this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('store is closed');
    }
    this.tail = client;
    return client;
  }

  readAfter(afterSeq: number, limit: number): Promise<StoredEvent[]> { return this.reads.after(afterSeq, limit); }
  readOperationsAfter(afterSeq: number, limit: number): Promise<StoredEvent[]> { return this.reads.operationsAfter(afterSeq, limit); }
  readCaseEvents(caseId: string): Promise<StoredEvent[]> { return this.reads.caseEvents(caseId); }
  readOperations(fromTs: number, toTs: number, limit: number): Promise<StoredEvent[]> { return this.reads.operations(fromTs, toTs, limit); }
  readOfType(prefix: string, limit: number): Promise<StoredEvent[]> { return this.reads.ofType(prefix, limit); }
  seqAt(time: number): Promise<number> { return this.reads.seqAt(time); }
  countRecorded(from: number, to: number): Promise<number> { return this.reads.countRecorded(from, to); }
  recordedRange(): Promise<{ first: number; last: number } | null> { return this.reads.recordedRange(); }
  saveCheckpoint(seq: number, body: string): Promise<void> { return this.closed ? Promise.resolve() : this.checkpoints.save(seq, body); }
  latestCheckpoint(): Promise<Checkpoint | null> { return this.checkpoints.latest(); }
  checkpointAtOrBefore(seq: number): Promise<Checkpoint | null> { return this.checkpoints.atOrBefore(seq); }

  /** Commits what is queued, hands this node's commits to listeners, and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.committing || this.queue.length > 0 || this.flushScheduled) {
      if (this.committing) await this.committing;
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.closed = true;
    clearInterval(this.poll);
    if (this.draining) await this.draining;
    if (this.own.length > 0) {
      this.wake();
      await this.draining;
    }
    // Committed is durable: acknowledge what the tail could not hand over (database gone).
    for (const c of this.own.splice(0)) c.batch.forEach((p, i) => p.resolve(c.slices[i]));
    for (const w of this.waiters.splice(0)) w.resolve();
    await this.tail?.end().catch(() => undefined);
    this.tail = null;
    await this.pool.end();
  }
}
