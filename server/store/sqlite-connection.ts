// The embedded database: one SQLite file under DATA_DIR holding the event log, accounts, the audit
// chain and device health. The sqlite plugin opens it once, with the pragmas here, and every store
// works on that connection (each creates its own tables); a store opened on its own (tests, tools)
// gets a connection of its own the same way and closes it itself.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type SqliteDb = Database.Database;
export type Synchronous = 'FULL' | 'NORMAL';

/** Where a store's connection comes from: the shared one (the plugin closes it) or a file of its own. */
export type SqliteSource = { db: SqliteDb } | { file: string; synchronous: Synchronous; pragmas?: string[] };

export function openSqlite(file: string, synchronous: Synchronous, pragmas: readonly string[] = []): SqliteDb {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  // Another process (audit:verify) may read while this one writes.
  db.pragma('busy_timeout = 5000');
  for (const p of pragmas) db.pragma(p);
  return db;
}

/** Closes as the last user of the file: the WAL is folded in and removed, so nothing is left beside it. */
export function closeSqlite(db: SqliteDb): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The connection for a store, and whether the store owns (and so closes) it. */
export function connect(source: SqliteSource): { db: SqliteDb; owned: boolean } {
  return 'db' in source ? { db: source.db, owned: false } : { db: openSqlite(source.file, source.synchronous, source.pragmas), owned: true };
}
