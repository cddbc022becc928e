// The reads of the PostgreSQL event log: the same answers as SqliteEventStore's (a test compares).
import type pg from 'pg';
import type { StoredEvent } from './event-store.ts';

export type Row = { seq: number; ts: number; recorded_at: number; type: StoredEvent['type']; subject: string; data: string };
export const fromRow = (r: Row): StoredEvent => ({ seq: r.seq, ts: r.ts, recordedAt: r.recorded_at, type: r.type, subject: r.subject, data: JSON.parse(r.data) });

const COLS = 'seq, ts, recorded_at, type, subject, data';
// Word for word the partial indexes' conditions (pg-schema.ts), so the planner can use them.
const OPS = "type NOT IN ('device:reported', 'video:detected')";
const CASE = "type LIKE 'case:%'";

/** Exported so a test can EXPLAIN them and see the partial indexes used. */
export const READS = {
  after: `SELECT ${COLS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
  /** The tail's catch-up: (afterSeq, upToSeq], one page. */
  range: `SELECT ${COLS} FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
  operationsAfter: `SELECT ${COLS} FROM events WHERE seq > $1 AND ${OPS} ORDER BY seq LIMIT $2`,
  caseEvents: `SELECT ${COLS} FROM events WHERE subject = $1 AND ${CASE} ORDER BY seq`,
  operations: `SELECT ${COLS} FROM events WHERE ${OPS} AND ts >= $1 AND ts < $2 ORDER BY ts, seq LIMIT $3`,
  ofType: `SELECT ${COLS} FROM events WHERE ${OPS} AND starts_with(type, $1) ORDER BY ts, seq LIMIT $2`,
} as const;

export function pgReads(pool: pg.Pool) {
  const events = async (sql: string, values: unknown[]) => (await pool.query<Row>(sql, values)).rows.map(fromRow);
  return {
    after: (afterSeq: number, limit: number) => events(READS.after, [afterSeq, limit]),
    operationsAfter: (afterSeq: number, limit: number) => events(READS.operationsAfter, [afterSeq, limit]),
    caseEvents: (caseId: string) => events(READS.caseEvents, [caseId]),
    operations: (fromTs: number, toTs: number, limit: number) => events(READS.operations, [fromTs, toTs, limit]),
    async ofType(prefix: string, limit: number): Promise<StoredEvent[]> {
      if (prefix === 'device:' || prefix === 'video:') throw new Error('readOfType reads operational events only');
      return events(READS.ofType, [prefix, limit]);
    },
    async seqAt(time: number): Promise<number> {
      const { rows } = await pool.query<{ seq: number }>('SELECT seq FROM events WHERE recorded_at <= $1 ORDER BY recorded_at DESC, seq DESC LIMIT 1', [time]);
      return rows[0]?.seq ?? 0;
    },
    async countRecorded(from: number, to: number): Promise<number> {
      return (await pool.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE recorded_at >= $1 AND recorded_at < $2', [from, to])).rows[0].n;
    },
    async recordedRange(): Promise<{ first: number; last: number } | null> {
      const { rows } = await pool.query<{ first: number | null; last: number | null }>('SELECT min(recorded_at) AS first, max(recorded_at) AS last FROM events');
      return rows[0].first === null || rows[0].last === null ? null : { first: rows[0].first, last: rows[0].last };
    },
  };
}
