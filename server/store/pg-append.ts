// One group commit of the PostgreSQL event log as a single statement: one round trip, and its own
// transaction, so a failure rolls back every row and log_head together (no seq is lost).
import type pg from 'pg';
import type { NewEvent } from './event-store.ts';

export const NOTIFY_CHANNEL = 'linkage_events';

// Seqs are taken under log_head's row lock, held until commit: concurrent appenders (other nodes)
// wait, so seqs follow commit order. Arrays carry any batch size in 7 parameters (the 65,535
// parameter limit of a multi-row VALUES never applies). NOTIFY is delivered only on commit.
const APPEND_SQL = `
WITH head AS (UPDATE log_head SET seq = seq + $1::bigint RETURNING seq),
ins AS (
  INSERT INTO events (seq, ts, recorded_at, type, subject, data)
  SELECT head.seq - $1::bigint + u.n, u.ts, $2::bigint, u.type, u.subject, u.data
  FROM head, unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(ts, type, subject, data, n)
)
SELECT head.seq AS last, pg_notify($7, head.seq::text) FROM head`;

function columns(events: NewEvent[]): [number[], string[], string[], string[]] {
  const n = events.length;
  const ts = new Array<number>(n), type = new Array<string>(n), subject = new Array<string>(n), data = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const e = events[i];
    ts[i] = e.ts;
    type[i] = e.type;
    subject[i] = e.subject;
    data[i] = JSON.stringify(e.data) ?? 'null';
  }
  return [ts, type, subject, data];
}

/** Commits `events` (in order) stamped `recordedAt`; resolves with the seq of the last one. */
export async function appendRows(pool: pg.Pool, events: NewEvent[], recordedAt: number): Promise<number> {
  const res = await pool.query<{ last: number }>({ name: 'linkage_append', text: APPEND_SQL, values: [events.length, recordedAt, ...columns(events), NOTIFY_CHANNEL] });
  return res.rows[0].last;
}

/**
 * The same, only if no event of `subjects` was committed after `seq`. The head's row lock is taken
 * first, so every other appender waits, and the check then runs on a snapshot that sees all
 * their commits (read committed: a new snapshot per statement). Resolves with the first changed subject instead when refused.
 */
export async function appendRowsUnchanged(
  pool: pg.Pool, events: NewEvent[], recordedAt: number, u: { seq: number; subjects: readonly string[] },
): Promise<{ last: number } | { changed: string }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const head = (await client.query<{ seq: number }>('SELECT seq FROM log_head FOR UPDATE')).rows[0].seq;
    // Bounded on both sides, so the planner walks the primary key over the few events since
    // `u.seq` even before the table's first ANALYZE (an open range made it scan the whole log).
    const changed = await client.query<{ subject: string }>(
      'SELECT subject FROM events WHERE seq > $1 AND seq <= $2 AND subject = ANY($3::text[]) LIMIT 1', [u.seq, head, u.subjects],
    );
    if (changed.rows.length > 0) {
      await client.query('ROLLBACK');
      return { changed: changed.rows[0].subject };
    }
    const res = await client.query<{ last: number }>({ name: 'linkage_append', text: APPEND_SQL, values: [events.length, recordedAt, ...columns(events), NOTIFY_CHANNEL] });
    await client.query('COMMIT');
    return { last: res.rows[0].last };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
