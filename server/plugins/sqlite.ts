// Infrastructure plugin: the one connection to the embedded SQLite file, shared by the event
// store, accounts, the audit chain and device health (four connections with their own pragmas
// before). Not opened when DATABASE_URL puts all of them in PostgreSQL. Registered first, so it
// closes last, after every store has written what it still held.
import fp from 'fastify-plugin';
import path from 'node:path';
import { closeSqlite, openSqlite, type SqliteDb, type Synchronous } from '../store/sqlite-connection.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The embedded database, or null when the store of record is PostgreSQL. */
    sqlite: SqliteDb | null;
  }
}

/** The SQLite file under DATA_DIR. */
export const storeFile = (dataDir: string): string => path.join(dataDir, 'linkage.db');

/** The shared connection for a store that is on SQLite in this deployment. */
export function embedded(db: SqliteDb | null): SqliteDb {
  if (!db) throw new Error('the embedded SQLite database is not open: DATABASE_URL puts this store in PostgreSQL');
  return db;
}

export const sqlitePlugin = fp<{ dataDir: string; synchronous: Synchronous; databaseUrl: string | null }>(
  async (app, opts) => {
    const db = opts.databaseUrl ? null : openSqlite(storeFile(opts.dataDir), opts.synchronous);
    app.decorate('sqlite', db);
    app.addHook('onClose', async () => {
      if (db) closeSqlite(db);
    });
  },
  { name: 'linkage-sqlite' },
);
