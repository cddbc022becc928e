// SQLite event log with group commit: appends queued within one turn of the event loop are
// written in a single transaction, so many small ingest requests share one fsync.
import type Database from 'better-sqlite3';
import { closeSqlite, connect, type SqliteDb, type SqliteSource } from './sqlite-connection.ts';
import { checkpointOfRow, packCheckpoint } from './checkpoint-codec.ts';
import type { Clock } from '../../core/domain.ts';
import { ConflictError, StoreUnavailableError, type AppendOptions, type Checkpoint, type EventStore, type NewEvent, type StoredEvent, type Unsubscribe } from './event-store.ts';

interface Pending {
  events: NewEvent[];
  options?: AppendOptions;
  resolve: (stored: StoredEvent[]) => void;
  reject: (error: Error) => void;
}

/** The shared connection, or a file of its own (`pragmas`: tests use max_page_count to simulate a full disk). */
export type SqliteEventStoreOptions = SqliteSource & { clock: Clock };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_recorded_at ON events (recorded_at);
-- Partial: only case events are looked up by subject (a case's timeline); telemetry stays unindexed.
CREATE INDEX IF NOT EXISTS events_case_subject ON events (subject, seq) WHERE type GLOB 'case:*';
-- Partial: the few operational events (cases, whistles, alarms, drones, broadcasts, duty) by event
-- time, for shift handovers and the duty log; telemetry (nearly all rows) stays out of it.
CREATE INDEX IF NOT EXISTS events_ops_ts ON events (ts, seq) WHERE type NOT IN ('device:reported', 'video:detected');
CREATE TABLE IF NOT EXISTS checkpoints (
  seq INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  -- gzip of the projections' JSON (BLOB); JSON text in files written before compression.
  body NOT NULL
);
`;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const KEEP_EVERY_MINUTE_MS = 24 * HOUR_MS;

type Row = { seq: number; ts: number; recorded_at: number; type: StoredEvent['type']; subject: string; data: string };
/** gzip BLOB, or JSON TEXT in a file written before compression. */
type StoredCheckpoint = { seq: number; body: Buffer | string };
const fromRow = (r: Row): StoredEvent => ({ seq: r.seq, ts: r.ts, recordedAt: r.recorded_at, type: r.type, subject: r.subject, data: JSON.parse(r.data) });

export class SqliteEventStore implements EventStore {
  private readonly db: SqliteDb;
  private readonly ownsDb: boolean;
  private readonly insert: Database.Statement;
  private readonly selectAfter: Database.Statement;
  private readonly selectCase: Database.Statement;
  private readonly selectOps: Database.Statement;
  private readonly selectOfType: Database.Statement;
  private readonly selectOpsAfter: Database.Statement;
  private readonly selectChanged: Database.Statement;
  private readonly clock: Clock;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private seq: number;
  private listeners: Array<(events: StoredEvent[]) => void> = [];
  private closed = false;

  constructor(options: SqliteEventStoreOptions) {
    this.clock = options.clock;
    ({ db: this.db, owned: this.ownsDb } = connect(options));
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare('INSERT INTO events (seq, ts, recorded_at, type, subject, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.selectAfter = this.db.prepare('SELECT seq, ts, recorded_at, type, subject, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.selectCase = this.db.prepare("SELECT seq, ts, recorded_at, type, subject, data FROM events WHERE subject = ? AND type GLOB 'case:*' ORDER BY seq");
    // The WHERE repeats the partial index's condition word for word, so SQLite can use it.
    const OPS = "type NOT IN ('device:reported', 'video:detected')";
    this.selectOps = this.db.prepare(`SELECT seq, ts, recorded_at, type, subject, data FROM events WHERE ${OPS} AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?`);
    this.selectOpsAfter = this.db.prepare(`SELECT seq, ts, recorded_at, type, subject, data FROM events WHERE seq > ? AND ${OPS} ORDER BY seq LIMIT ?`);
    this.selectOfType = this.db.prepare(`SELECT seq, ts, recorded_at, type, subject, data FROM events WHERE ${OPS} AND substr(type, 1, ?) = ? ORDER BY ts, seq LIMIT ?`);
    this.selectChanged = this.db.prepare('SELECT 1 FROM events WHERE seq > ? AND subject = ? LIMIT 1');
    this.seq = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM events').get() as { s: number }).s;
  }

  lastSeq(): number {
    return this.seq;
  }

  /** One process writes this file: its head is the log's. */
  async head(): Promise<number> {
    return this.seq;
  }

  onCommit(listener: (events: StoredEvent[]) => void): Unsubscribe {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** One process writes this file and applies each commit before acknowledging it: always caught up. */
  async catchUp(): Promise<void> {}

  append(events: NewEvent[], options?: AppendOptions): Promise<StoredEvent[]> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('store is closed'));
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ events, options, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything queued in one transaction, then notifies listeners and acknowledges. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const recordedAt = this.clock.now();
    const stored: StoredEvent[][] = [];
    const conflicts = new Map<Pending, ConflictError>();
    let seq = this.seq;
    try {
      this.db.transaction(() => {
        for (const pending of batch) {
          const conflict = pending.options?.unchangedSince && this.changedSince(pending.options.unchangedSince);
          if (conflict) {
            conflicts.set(pending, new ConflictError(conflict));
            stored.push([]);
            continue;
          }
          const out: StoredEvent[] = new Array(pending.events.length);
          for (let i = 0; i < pending.events.length; i++) {
            const e = pending.events[i];
            seq++;
            this.insert.run(seq, e.ts, recordedAt, e.type, e.subject, JSON.stringify(e.data));
            out[i] = { seq, recordedAt, type: e.type, subject: e.subject, ts: e.ts, data: e.data, index: e.index };
          }
          stored.push(out);
        }
      })();
    } catch (error) {
      // Nothing of this batch is stored (the transaction rolled back): say so to every sender.
      const failure = new StoreUnavailableError(error);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    this.seq = seq;
    const all = stored.length === 1 ? stored[0] : stored.flat();
    if (all.length > 0) for (const listener of this.listeners) {
      try {
        listener(all);
      } catch {
        // Committed is committed: a failing listener must not keep senders from their ack.
      }
    }
    for (let i = 0; i < batch.length; i++) {
      const conflict = conflicts.get(batch[i]);
      if (conflict) batch[i].reject(conflict);
      else batch[i].resolve(stored[i]);
    }
  }

  /** The first of `subjects` with an event after `seq` (rows after a recent seq are few: a range scan of the key). */
  private changedSince(u: NonNullable<AppendOptions['unchangedSince']>): string | null {
    for (const subject of u.subjects) if (this.selectChanged.get(u.seq, subject)) return subject;
    return null;
  }

  // better-sqlite3 is synchronous; only the gzip of a checkpoint's body waits (in the thread pool).
  async saveCheckpoint(seq: number, body: string): Promise<void> {
    if (this.closed) return;
    const packed = await packCheckpoint(body);
    if (this.closed) return;
    const now = this.clock.now();
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO checkpoints (seq, created_at, body) VALUES (?, ?, ?)').run(seq, now, packed);
      // The newest per minute for the last day, per hour before: replay seeks stay within a minute of
      // log near now and within an hour further back (as gzip, ~1 MB each at full scale: ~1.4 GB a day).
      this.db
        .prepare(
          `DELETE FROM checkpoints WHERE seq NOT IN (SELECT max(seq) FROM checkpoints
             GROUP BY CASE WHEN created_at >= ? THEN created_at / ${MINUTE_MS} ELSE -1 - created_at / ${HOUR_MS} END)`,
        )
        .run(now - KEEP_EVERY_MINUTE_MS);
    })();
  }

  async checkpointAtOrBefore(seq: number): Promise<Checkpoint | null> {
    const row = this.db.prepare('SELECT seq, body FROM checkpoints WHERE seq <= ? ORDER BY seq DESC LIMIT 1').get(seq) as StoredCheckpoint | undefined;
    return checkpointOfRow(row);
  }

  async seqAt(time: number): Promise<number> {
    const row = this.db.prepare('SELECT seq FROM events WHERE recorded_at <= ? ORDER BY recorded_at DESC, seq DESC LIMIT 1').get(time) as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  async countRecorded(from: number, to: number): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM events WHERE recorded_at >= ? AND recorded_at < ?').get(from, to) as { n: number }).n;
  }

  async recordedRange(): Promise<{ first: number; last: number } | null> {
    const first = this.db.prepare('SELECT recorded_at AS t FROM events ORDER BY recorded_at LIMIT 1').get() as { t: number } | undefined;
    const last = this.db.prepare('SELECT recorded_at AS t FROM events ORDER BY recorded_at DESC LIMIT 1').get() as { t: number } | undefined;
    return first && last ? { first: first.t, last: last.t } : null;
  }

  async latestCheckpoint(): Promise<Checkpoint | null> {
    const row = this.db.prepare('SELECT seq, body FROM checkpoints ORDER BY seq DESC LIMIT 1').get() as StoredCheckpoint | undefined;
    return checkpointOfRow(row);
  }

  async readAfter(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return (this.selectAfter.all(afterSeq, limit) as Row[]).map(fromRow);
  }

  async readOperationsAfter(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    // The type test runs in SQLite: telemetry rows are skipped without being parsed.
    return (this.selectOpsAfter.all(afterSeq, limit) as Row[]).map(fromRow);
  }

  async readOperations(fromTs: number, toTs: number, limit: number): Promise<StoredEvent[]> {
    return (this.selectOps.all(fromTs, toTs, limit) as Row[]).map(fromRow);
  }

  async readOfType(prefix: string, limit: number): Promise<StoredEvent[]> {
    if (prefix === 'device:' || prefix === 'video:') throw new Error('readOfType reads operational events only');
    return (this.selectOfType.all(prefix.length, prefix, limit) as Row[]).map(fromRow);
  }

  async readCaseEvents(caseId: string): Promise<StoredEvent[]> {
    return (this.selectCase.all(caseId) as Row[]).map(fromRow);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.ownsDb) closeSqlite(this.db);
  }
}
