// Infrastructure plugin: the event store of record — the embedded SQLite file under DATA_DIR, or
// PostgreSQL when DATABASE_URL is set (a cluster: every node tails the same log).
import fp from 'fastify-plugin';
import path from 'node:path';
import type { Clock } from '../../core/domain.ts';
import type { EventStore } from '../store/event-store.ts';
import { SqliteEventStore } from '../store/sqlite-event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: EventStore;
  }
}

export interface StorePluginOptions {
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  clock: Clock;
  databaseUrl: string | null;
}

/** The SQLite file under DATA_DIR holding the event log (and the tables other stores add to it). */
export const storeFile = (dataDir: string): string => path.join(dataDir, 'linkage.db');

export const storePlugin = fp<StorePluginOptions>(
  async (app, opts) => {
    const store: EventStore = opts.databaseUrl
      ? await PgEventStore.open({ connectionString: opts.databaseUrl, clock: opts.clock })
      : new SqliteEventStore({ file: storeFile(opts.dataDir), clock: opts.clock, synchronous: opts.synchronous });
    app.decorate('store', store);
    // Close after the HTTP server stopped taking requests, so every acknowledged event is committed.
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'linkage-store' },
);
