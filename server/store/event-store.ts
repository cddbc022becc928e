// The event log is the truth (ARCHITECTURE.md): every accepted record becomes an event with a
// monotonic sequence number. Implementations: SQLite (embedded, one machine) and PostgreSQL (clusters).

/** Telemetry, plus one type per lifecycle event: `case:filed`, `whistle:blown`, `alarm:raised`, ... (`auth:revoked` tells every node to close an account's sockets). */
export type EventType = 'device:reported' | 'device:provisioned' | 'device:updated' | 'device:retired' | 'video:detected' | 'weather:observed' | 'boundary:drawn' | `case:${string}` | `whistle:${string}` | `alarm:${string}`
  | `drone:${string}` | `broadcast:${string}` | `duty:${string}` | `auth:${string}` | `resource:${string}`;

export interface NewEvent {
  type: EventType;
  /** The entity the event is about (device id, case id, ...). */
  subject: string;
  /** Event time from the sender (UTC ms). */
  ts: number;
  data: unknown;
  /** Layer index of the device, resolved at ingest; handed to projections, not persisted. */
  index?: number;
}

export interface StoredEvent extends NewEvent {
  seq: number;
  /** When the server committed it (UTC ms). */
  recordedAt: number;
}

export type Unsubscribe = () => void;

export interface AppendOptions {
  /**
   * Optimistic concurrency for commands: refuse the append (ConflictError, nothing stored) when an
   * event of any of these subjects was committed after `seq`, the head the decision was made at —
   * another node (or request) changed the aggregate meanwhile.
   */
  unchangedSince?: { seq: number; subjects: readonly string[] };
}

/**
 * The log itself: what every implementation (SQLite embedded, PostgreSQL for clusters) must do.
 * Asynchronous so that a network database fits; `lastSeq` is the head this process has seen.
 */
export interface EventLog {
  /**
   * Queues events for the next group commit. Resolves with the committed events (seq assigned)
   * only once they are durable; rejects if the commit fails, in which case none of them was stored.
   */
  append(events: NewEvent[], options?: AppendOptions): Promise<StoredEvent[]>;
  /** Resolves once this process has applied everything committed before the call: a command then decides on the latest state. */
  catchUp(): Promise<void>;
  /** Sequence number of the last committed event this process knows of (0 when empty). */
  lastSeq(): number;
  /** The log's head in the store of record, other nodes' commits included (lastSeq trails it by this node's lag). */
  head(): Promise<number>;
  /** Committed events with seq > afterSeq, in order, at most `limit`. */
  readAfter(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Calls `listener` with every committed batch in seq order, exactly once, before the senders of
   * this process are acknowledged. With a shared database it also receives other nodes' commits.
   */
  onCommit(listener: (events: StoredEvent[]) => void): Unsubscribe;
  /** Commits what is queued and closes. */
  close(): Promise<void>;
}

export interface Checkpoint {
  seq: number;
  body: string;
}

/** Serialized projections valid at a sequence number: a start or a replay begins from one. */
export interface CheckpointStore {
  /**
   * Stores a checkpoint valid at `seq`. Older ones are thinned, not dropped: replay starts from the
   * nearest checkpoint before the moment it shows (one per minute is kept for the last day, one per
   * hour before that).
   */
  saveCheckpoint(seq: number, body: string): Promise<void>;
  /** The newest checkpoint, or null. */
  latestCheckpoint(): Promise<Checkpoint | null>;
  /** The newest checkpoint at or before `seq`, or null. */
  checkpointAtOrBefore(seq: number): Promise<Checkpoint | null>;
}

/** Read models over the log: a case's timeline, a shift's operations, the duty events, replay's clock. */
export interface LogQueries {
  /** The operational events (no telemetry, no raw detections) with seq > afterSeq, in order, in pages. */
  readOperationsAfter(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** The case events (type case:*) of one case, in order: its timeline. */
  readCaseEvents(caseId: string): Promise<StoredEvent[]>;
  /**
   * The operational events (everything but device telemetry and raw video detections) with event
   * time in [fromTs, toTs), in time order, at most `limit`: what a shift handover reads.
   */
  readOperations(fromTs: number, toTs: number, limit: number): Promise<StoredEvent[]>;
  /** The operational events whose type starts with `prefix` (e.g. 'duty:'), in order, at most `limit`. */
  readOfType(prefix: string, limit: number): Promise<StoredEvent[]>;
  /** Sequence number of the last event committed at or before `time` (UTC ms; 0 if none). */
  seqAt(time: number): Promise<number>;
  /** How many events were committed in [from, to) (UTC ms). */
  countRecorded(from: number, to: number): Promise<number>;
  /** Commit times of the first and the last event, or null when the log is empty. */
  recordedRange(): Promise<{ first: number; last: number } | null>;
}

/** One store of record holds all three (one database, one connection owner). */
export interface EventStore extends EventLog, CheckpointStore, LogQueries {}

/** An append refused by `unchangedSince`: decide again on the newer state. */
export class ConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(readonly subject: string) {
    super(`${subject} was changed meanwhile (by another node or request): try again on the newer state`);
  }
}

export class StoreUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
  constructor(cause: unknown) {
    super(`event store cannot write: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.cause = cause;
  }
}
