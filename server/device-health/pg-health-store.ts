// Device health samples in the cluster's PostgreSQL (table from server/store/pg-schema.ts): the
// leader writes them, every node reads them, and a new leader's samples continue the same series.
import pg from 'pg';
import type { HealthTally } from '../../core/device-health.ts';
import type { DeviceKind, StatusCounts } from '../../core/domain.ts';
import { openPool } from '../store/pg-schema.ts';
import type { DeviceHealthStore } from './health-store.ts';

// As in SQLite (sqlite-health-store.ts): summed in the database, per kind and clock hour.
const RATE = 'CASE WHEN total > 0 THEN online::float8 / total END';
const TALLIES = `SELECT kind, MIN(ts) AS ts, COUNT(*) AS samples, COUNT(${RATE}) AS rated, COALESCE(SUM(${RATE}), 0) AS "rateSum", MIN(${RATE}) AS "rateMin",
  SUM(fault) AS "faultSum", SUM(alarm) AS "alarmSum" FROM device_health WHERE ts >= $1 AND ts < $2`;
const BY_HOUR = 'GROUP BY kind, ts / 3600000 ORDER BY 2';

export class PgHealthStore implements DeviceHealthStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and applies missing migrations (a no-op when the event store already did). */
  static async open(connectionString: string, poolSize = 2): Promise<PgHealthStore> {
    const pool = await openPool(connectionString, { max: poolSize, name: 'linkage-device-health' });
    return new PgHealthStore(pool);
  }

  async record(ts: number, counts: Partial<Record<DeviceKind, StatusCounts>>): Promise<void> {
    const rows = Object.entries(counts);
    if (rows.length === 0) return;
    // One statement: all kinds of a sample or none.
    const values = rows.map((_, i) => `($1, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6}, $${i * 6 + 7})`);
    const args = [ts, ...rows.flatMap(([kind, c]) => [kind, c.total, c.online, c.offline, c.fault, c.alarm])];
    await this.pool.query(
      `INSERT INTO device_health (ts, kind, total, online, offline, fault, alarm) VALUES ${values.join(', ')}
       ON CONFLICT (ts, kind) DO UPDATE SET total = excluded.total, online = excluded.online, offline = excluded.offline, fault = excluded.fault, alarm = excluded.alarm`,
      args,
    );
  }

  async hourlyTallies(from: number, to: number, kind?: DeviceKind): Promise<HealthTally[]> {
    const r = kind
      ? await this.pool.query<HealthTally>(`${TALLIES} AND kind = $3 ${BY_HOUR}`, [from, to, kind])
      : await this.pool.query<HealthTally>(`${TALLIES} ${BY_HOUR}`, [from, to]);
    return r.rows;
  }

  async dropBefore(ts: number): Promise<number> {
    return (await this.pool.query('DELETE FROM device_health WHERE ts < $1', [ts])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
