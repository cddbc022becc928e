// Raw `pg` writes of event rows into the store's schema, the baselines the PostgreSQL benches
// (bench/pg-ingest.ts, bench/cluster/pg-raw.ts) hold the store against. Each writes one batch on a
// client already inside a transaction; `nextSeq` hands out the rows' seqs (no log_head, no NOTIFY).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { NewEvent } from '../server/store/event-store.ts';

const INSERT_COLS = 'INSERT INTO events (seq, ts, recorded_at, type, subject, data)';
/** Rows per INSERT statement: six parameters each, under PostgreSQL's 65,535. */
const MAX_ROWS = Math.floor(65_535 / 6);

/** Multi-row INSERTs, chunked under the parameter limit. */
export async function insertMultiRow(c: pg.PoolClient, events: NewEvent[], nextSeq: () => number): Promise<void> {
  const now = Date.now();
  for (let at = 0; at < events.length; at += MAX_ROWS) {
    const chunk = events.slice(at, at + MAX_ROWS);
    const values: unknown[] = [];
    const tuples = chunk.map((e, i) => {
      values.push(nextSeq(), e.ts, now, e.type, e.subject, JSON.stringify(e.data));
      const p = i * 6;
      return `($${p + 1},$${p + 2},$${p + 3},$${p + 4},$${p + 5},$${p + 6})`;
    });
    // Named per row count: with a steady batch size the big statement is parsed and planned once.
    await c.query({ name: `multi${chunk.length}`, text: `${INSERT_COLS} VALUES ${tuples.join(',')}`, values });
  }
}

/** One INSERT … SELECT FROM unnest of column arrays (the store's own statement shape, without log_head). */
export async function insertUnnest(c: pg.PoolClient, events: NewEvent[], firstSeq: number): Promise<void> {
  await c.query({
    name: 'unnest',
    text: `${INSERT_COLS} SELECT $1::bigint + u.n - 1, u.ts, $2, u.type, u.subject, u.data FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(ts, type, subject, data, n)`,
    values: [firstSeq, Date.now(), events.map((e) => e.ts), events.map((e) => e.type), events.map((e) => e.subject), events.map((e) => JSON.stringify(e.data))],
  });
}

// COPY text format: backslash, tab and newline escaped (JSON text has no raw tabs or newlines).
const esc = (s: string) => (s.includes('\\') ? s.replace(/\\/g, '\\\\') : s);

/** COPY FROM STDIN in text format. */
export async function copyRows(c: pg.PoolClient, events: NewEvent[], nextSeq: () => number): Promise<void> {
  const now = Date.now();
  const lines = events.map((e) => `${nextSeq()}\t${e.ts}\t${now}\t${e.type}\t${esc(e.subject)}\t${esc(JSON.stringify(e.data))}\n`);
  await pipeline(Readable.from([lines.join('')]), c.query(copyFrom('COPY events (seq, ts, recorded_at, type, subject, data) FROM STDIN')));
}
