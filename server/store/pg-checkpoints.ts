// Checkpoints (serialized projection states) in PostgreSQL, thinned like SQLite's: the newest per
// minute for the last day, per hour before that.
import type pg from 'pg';
import type { Clock } from '../../core/domain.ts';
import { checkpointOfRow, packCheckpoint } from './checkpoint-codec.ts';
import type { Checkpoint } from './event-store.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const KEEP_EVERY_MINUTE_MS = 24 * HOUR_MS;

/** bytea comes back as a Buffer (gzip since migration 5; JSON text converted before it). */
type Stored = { seq: number; body: Buffer };

export function pgCheckpoints(pool: pg.Pool, clock: Clock) {
  return {
    async save(seq: number, body: string): Promise<void> {
      const packed = await packCheckpoint(body);
      const now = clock.now();
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO checkpoints (seq, created_at, body) VALUES ($1, $2, $3) ON CONFLICT (seq) DO UPDATE SET created_at = EXCLUDED.created_at, body = EXCLUDED.body', [seq, now, packed]);
        // bigint division truncates toward zero, as SQLite's integer division does: same buckets.
        await client.query(
          `DELETE FROM checkpoints WHERE seq NOT IN (SELECT max(seq) FROM checkpoints
             GROUP BY CASE WHEN created_at >= $1 THEN created_at / ${MINUTE_MS} ELSE -1 - created_at / ${HOUR_MS} END)`,
          [now - KEEP_EVERY_MINUTE_MS],
        );
        await client.query('COMMIT');
      } catch (error) {
        failed = error as Error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        // A client whose connection failed is destroyed rather than handed to the next query.
        client.release(failed);
      }
    },
    async latest(): Promise<Checkpoint | null> {
      return checkpointOfRow((await pool.query<Stored>('SELECT seq, body FROM checkpoints ORDER BY seq DESC LIMIT 1')).rows[0]);
    },
    async atOrBefore(seq: number): Promise<Checkpoint | null> {
      return checkpointOfRow((await pool.query<Stored>('SELECT seq, body FROM checkpoints WHERE seq <= $1 ORDER BY seq DESC LIMIT 1', [seq])).rows[0]);
    },
  };
}
