// recordIngest: the records the edge found carrying a forbidden key are refused one by one, named,
// even where the schema leaves keys free; their neighbours are committed.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { recordIngest } from './streams.ts';
import { parseJsonText, pollutedRecords } from './json-text.ts';
import type { EventStore, NewEvent } from '../store/event-store.ts';

/** Just what recordIngest uses of a store. */
function fakeStore() {
  const appended: NewEvent[] = [];
  const store = {
    lastSeq: () => appended.length,
    catchUp: async () => {},
    append: async (events: NewEvent[]) => {
      appended.push(...events);
      return events.map((e, i) => ({ ...e, seq: appended.length - events.length + i + 1, recordedAt: 0 }));
    },
  };
  return { store: store as unknown as EventStore, appended };
}

// Keys left free: only an edge's pollution check can refuse __proto__ or constructor.prototype here.
const Open = Type.Object({ id: Type.String(), extra: Type.Optional(Type.Record(Type.String(), Type.Unknown())) });

describe('recordIngest', () => {
  it('refuses the records the edge named as polluted, only them, and names the key', async () => {
    const { store, appended } = fakeStore();
    const ingest = recordIngest(store, Open, (r) => ({ type: 'device:reported', subject: r.id, ts: 1, data: r }));
    const { value, clean } = parseJsonText('{"records":[{"id":"a"},{"id":"b","extra":{"__proto__":{"isAdmin":true}}},{"id":"c","extra":{"constructor":{"prototype":{}}}},{"id":"d"}]}');
    expect(clean).toBe(false);
    const records = (value as { records: unknown[] }).records;
    const out = await ingest.ingest(records, pollutedRecords(records));
    expect(out.accepted).toBe(2);
    expect(out.rejected).toEqual([
      { index: 1, field: '/extra/__proto__', code: 'INVALID_RECORD', message: '/extra/__proto__: __proto__ and constructor.prototype are refused (prototype pollution)' },
      { index: 2, field: '/extra/constructor/prototype', code: 'INVALID_RECORD', message: '/extra/constructor/prototype: __proto__ and constructor.prototype are refused (prototype pollution)' },
    ]);
    expect(appended.map((e) => e.subject)).toEqual(['a', 'd']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('a schema error still comes first', async () => {
    const { store } = fakeStore();
    const ingest = recordIngest(store, Open, (r) => ({ type: 'device:reported', subject: r.id, ts: 1, data: r }));
    const out = await ingest.ingest([{ id: 1 }], new Map([[0, '/__proto__']]));
    expect(out.rejected).toEqual([expect.objectContaining({ index: 0, field: '/id' })]);
  });
});
