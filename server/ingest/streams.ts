// Record ingest shared by every way records arrive (HTTP batches from gateways, MQTT messages):
// each record is validated on its own, turned into an event or a field-specific error, and the
// good ones are committed in one append. Callers acknowledge only after this resolves.
import type { Static, TSchema } from 'typebox';
import { ERROR_CODES, type RecordError } from '../../core/protocol.ts';
import { recordChecker } from './record-check.ts';
import { pollutionKey } from '../routes/json-body.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';

/** Turns a schema-valid record into an event, null (accepted, nothing new: a retried report) or a semantic error. */
export type ToEvent<S extends TSchema> = (record: Static<S>, index: number) => NewEvent | RecordError | null;

export interface IngestOutcome {
  accepted: number;
  rejected: RecordError[];
  /** Sequence number of the last committed event (the store's last one when nothing new was committed). */
  lastSeq: number;
}

/** A validator + converter for one record shape; `ingest` throws StoreUnavailableError when nothing could be committed. */
export interface RecordIngest {
  ingest(records: readonly unknown[]): Promise<IngestOutcome>;
}

export function recordIngest<S extends TSchema>(store: EventStore, schema: S, toEvent: ToEvent<S>): RecordIngest {
  const check = recordChecker(schema);
  return {
    async ingest(records) {
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
        const polluted = pollutionKey(records[i]);
        if (polluted !== null) {
          rejected.push({ index: i, field: polluted, code: ERROR_CODES.invalidRecord, message: `${polluted}: __proto__ and constructor.prototype are refused (prototype pollution)` });
          continue;
        }
        const result = toEvent(checked.value, i);
        if (result === null) duplicates++;
        else if ('type' in result) events.push(result);
        else rejected.push(result);
      }
      let lastSeq = store.lastSeq();
      if (events.length > 0) {
        const stored = await store.append(events);
        lastSeq = stored[stored.length - 1].seq;
      }
      return { accepted: events.length + duplicates, rejected, lastSeq };
    },
  };
}

/** The error for a whole message that is not a record batch at all. */
export function envelopeError(message: string): RecordError {
  return { index: -1, field: '', code: ERROR_CODES.invalidRecord, message };
}
