// Record ingest shared by every way records arrive (HTTP batches from gateways, MQTT messages):
// each record is validated on its own, turned into an event or a field-specific error, and the
// good ones are committed in one append. Callers acknowledge only after this resolves.
import type { Static, TSchema } from 'typebox';
import { ERROR_CODES, type RecordError } from '../../core/protocol.ts';
import { recordChecker } from './record-check.ts';
import type { PollutedRecords } from './json-text.ts';
import { ConflictError, type EventStore, type NewEvent } from '../store/event-store.ts';

/** Turns a schema-valid record into an event, null (accepted, nothing new: a retried report) or a semantic error. */
export type ToEvent<S extends TSchema> = (record: Static<S>, index: number) => NewEvent | RecordError | null;

export interface IngestOutcome {
  accepted: number;
  rejected: RecordError[];
  /** Sequence number of the last committed event (the store's last one when nothing new was committed). */
  lastSeq: number;
}

/**
 * A validator + converter for one record shape; `ingest` throws StoreUnavailableError when nothing
 * could be committed. `polluted`: the records that carry `__proto__` or `constructor.prototype`, as
 * the edge that parsed them found (parseJsonText once per body or message, then pollutedRecords only
 * when it was not clean: server/routes/json-body.ts); each is refused, naming the key.
 */
export interface RecordIngest {
  ingest(records: readonly unknown[], polluted: PollutedRecords | null): Promise<IngestOutcome>;
}

/**
 * `conditional`: the records create aggregates (case reports) that another node may be creating at
 * the same moment (a gateway's retry landing elsewhere): decide on a caught-up projection, append only
 * if none of them was logged meanwhile, else decide once more (they are duplicates then); a second
 * conflict throws ConflictError.
 */
export function recordIngest<S extends TSchema>(store: EventStore, schema: S, toEvent: ToEvent<S>, opts: { conditional?: boolean } = {}): RecordIngest {
  const check = recordChecker(schema);
  const once = async (records: readonly unknown[], polluted: PollutedRecords | null): Promise<IngestOutcome> => {
    if (opts.conditional) await store.catchUp();
    const decidedAt = store.lastSeq();
    const events: NewEvent[] = [];
    const rejected: RecordError[] = [];
    let duplicates = 0;
    for (let i = 0; i < records.length; i++) {
      const checked = check(records[i], i);
      if (!checked.ok) {
        rejected.push(checked.error);
        continue;
      }
      // The schema names an unknown key first; this catches one where a schema leaves keys free.
      const key = polluted?.get(i);
      if (key !== undefined) {
        rejected.push({ index: i, field: key, code: ERROR_CODES.invalidRecord, message: `${key}: __proto__ and constructor.prototype are refused (prototype pollution)` });
        continue;
      }
      const result = toEvent(checked.value, i);
      if (result === null) duplicates++;
      else if ('type' in result) events.push(result);
      else rejected.push(result);
    }
    let lastSeq = store.lastSeq();
    if (events.length > 0) {
      const stored = await store.append(events, opts.conditional ? { unchangedSince: { seq: decidedAt, subjects: events.map((e) => e.subject) } } : undefined);
      lastSeq = stored[stored.length - 1].seq;
    }
    return { accepted: events.length + duplicates, rejected, lastSeq };
  };
  return {
    async ingest(records, polluted) {
      try {
        return await once(records, polluted);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return once(records, polluted);
      }
    },
  };
}

/** The error for a whole message that is not a record batch at all. */
export function envelopeError(message: string): RecordError {
  return { index: -1, field: '', code: ERROR_CODES.invalidRecord, message };
}
