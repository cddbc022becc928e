// Device health samples in a `device_health` table of the event log's SQLite file, through a
// connection of its own (WAL lets it share the file with the event store's connection).
import type Database from 'better-sqlite3';
import { connect, type SqliteDb, type SqliteSource } from '../store/sqlite-connection.ts';
import type { HealthTally } from '../../core/device-health.ts';
import type { DeviceKind, StatusCounts } from '../../core/domain.ts';
import type { DeviceHealthStore } from './health-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS device_health (
  ts INTEGER NOT NULL,
  kind TEXT NOT NULL,
  total INTEGER NOT NULL,
  online INTEGER NOT NULL,
  offline INTEGER NOT NULL,
  fault INTEGER NOT NULL,
  alarm INTEGER NOT NULL,
  PRIMARY KEY (ts, kind)
) WITHOUT ROWID;
`;

// The online rate is online / total, as core/domain.ts onlineRate: summed here so that reading a
// year does not carry ~3 million rows into JavaScript.
const RATE = 'CASE WHEN total > 0 THEN CAST(online AS REAL) / total END';
const TALLIES = `SELECT kind, MIN(ts) AS ts, COUNT(*) AS samples, COUNT(${RATE}) AS rated, COALESCE(SUM(${RATE}), 0) AS rateSum, MIN(${RATE}) AS rateMin,
  SUM(fault) AS faultSum, SUM(alarm) AS alarmSum FROM device_health WHERE ts >= ? AND ts < ?`;
const BY_HOUR = 'GROUP BY kind, ts / 3600000 ORDER BY ts';

export type SqliteHealthStoreOptions = SqliteSource;

export class SqliteHealthStore implements DeviceHealthStore {
  private readonly db: SqliteDb;
  private readonly ownsDb: boolean;
  private readonly insert: Database.Statement;
  private readonly selectAll: Database.Statement;
  private readonly selectKind: Database.Statement;
  private readonly deleteBefore: Database.Statement;

  constructor(options: SqliteHealthStoreOptions) {
    ({ db: this.db, owned: this.ownsDb } = connect(options));
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare('INSERT OR REPLACE INTO device_health (ts, kind, total, online, offline, fault, alarm) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.selectAll = this.db.prepare(`${TALLIES} ${BY_HOUR}`);
    this.selectKind = this.db.prepare(`${TALLIES} AND kind = ? ${BY_HOUR}`);
    this.deleteBefore = this.db.prepare('DELETE FROM device_health WHERE ts < ?');
  }

  // Synchronous inside (better-sqlite3); the port is asynchronous for PostgreSQL's sake.
  async record(ts: number, counts: Partial<Record<DeviceKind, StatusCounts>>): Promise<void> {
    this.db.transaction(() => {
      for (const [kind, c] of Object.entries(counts)) this.insert.run(ts, kind, c.total, c.online, c.offline, c.fault, c.alarm);
    })();
  }

  async hourlyTallies(from: number, to: number, kind?: DeviceKind): Promise<HealthTally[]> {
    return (kind ? this.selectKind.all(from, to, kind) : this.selectAll.all(from, to)) as HealthTally[];
  }

  async dropBefore(ts: number): Promise<number> {
    return this.deleteBefore.run(ts).changes;
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
