// Commands on any node (a cluster): decide on this node's projection brought up to the log's head,
// and append only if none of the aggregates the decision read was changed meanwhile (by another node
// or request). A conflict catches up and decides again once, then answers CONFLICT: nothing is
// ever applied twice. On one process over SQLite the check is the same and practically never fires.
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import { ConflictError, type EventLog, type NewEvent } from './event-store.ts';

/**
 * What a decision returns: a refusal, or the events to log and how to answer once they are
 * committed. (Not `then`: an object with a `then` member is a thenable and cannot be awaited.)
 */
export type Decided<T> = Ack<T> | { events: NewEvent[]; answer: () => Ack<T> | Promise<Ack<T>> };

/** `decide` may read the store (it runs after the catch-up, against the sequence taken before it). */
export async function decideAndAppend<T>(store: EventLog, subjects: readonly string[], decide: () => Decided<T> | Promise<Decided<T>>): Promise<Ack<T>> {
  for (let attempt = 0; ; attempt++) {
    await store.catchUp();
    const seq = store.lastSeq();
    const d = await decide();
    if (!('events' in d)) return d;
    try {
      if (d.events.length > 0) await store.append(d.events, { unchangedSince: { seq, subjects } });
      return await d.answer();
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (attempt > 0) return { ok: false, code: ERROR_CODES.conflict, message: error.message };
    }
  }
}
