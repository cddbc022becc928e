// The event log is the truth (ARCHITECTURE.md): every accepted record becomes an event with a
// monotonic sequence number. Implementations: SQLite now; PostgreSQL can follow behind this interface.

/** Telemetry, plus one type per lifecycle event: `case:filed`, `whistle:blown`, `alarm:raised`, ... */
export type EventType = 'device:reported' | 'video:detected' | `case:${string}` | `whistle:${string}` | `alarm:${string}`
  | `drone:${string}` | `broadcast:${string}` | `duty:${string}`;

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

export interface EventStore {
  /**
   * Queues events for the next group commit. Resolves with the committed events (seq assigned)
   * only once they are durable; rejects if the commit fails, in which case none of them was stored.
   */
  append(events: NewEvent[]): Promise<StoredEvent[]>;
  /** Sequence number of the last committed event (0 when empty). */
  lastSeq(): number;
  /** Reads committed events with seq > afterSeq in order, in pages. */
  readAfter(afterSeq: number, limit: number): StoredEvent[];
  /** The operational events (no telemetry, no raw detections) with seq > afterSeq, in order, in pages. */
  readOperationsAfter(afterSeq: number, limit: number): StoredEvent[];
  /** The case events (type case:*) of one case, in order: its timeline. */
  readCaseEvents(caseId: string): StoredEvent[];
  /**
   * The operational events (everything but device telemetry and raw video detections) with event
   * time in [fromTs, toTs), in time order, at most `limit`: what a shift handover reads.
   */
  readOperations(fromTs: number, toTs: number, limit: number): StoredEvent[];
  /** The events whose type starts with `prefix` (e.g. 'duty:'), in order, at most `limit`. */
  readOfType(prefix: string, limit: number): StoredEvent[];
  /** Registers a listener called synchronously after each commit, before senders are acknowledged. */
  onCommit(listener: (events: StoredEvent[]) => void): void;
  /**
   * Stores a serialized projection state valid at `seq`. Older ones are thinned, not dropped:
   * replay starts from the nearest checkpoint before the moment it shows (one per minute is kept
   * for the last day, one per hour before that).
   */
  saveCheckpoint(seq: number, body: string): void;
  /** The newest checkpoint, or null. */
  latestCheckpoint(): { seq: number; body: string } | null;
  /** The newest checkpoint at or before `seq`, or null. */
  checkpointAtOrBefore(seq: number): { seq: number; body: string } | null;
  /** Sequence number of the last event committed at or before `time` (UTC ms; 0 if none). */
  seqAt(time: number): number;
  /** How many events were committed in [from, to) (UTC ms). */
  countRecorded(from: number, to: number): number;
  /** Commit times of the first and the last event, or null when the log is empty. */
  recordedRange(): { first: number; last: number } | null;
  /** Commits what is queued and closes. */
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
  constructor(cause: unknown) {
    super(`event store cannot write: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.cause = cause;
  }
}
