// Infrastructure plugin: the event store (SQLite now; PostgreSQL can follow behind EventStore).
import fp from 'fastify-plugin';
import path from 'node:path';
import type { Clock } from '../../core/domain.ts';
import type { EventStore } from '../store/event-store.ts';
import { SqliteEventStore } from '../store/sqlite-event-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: EventStore;
  }
}

export interface StorePluginOptions {
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  clock: Clock;
}

/** The SQLite file under DATA_DIR holding the event log (and the tables other stores add to it). */
export const storeFile = (dataDir: string): string => path.join(dataDir, 'linkage.db');

export const storePlugin = fp<StorePluginOptions>(
  async (app, opts) => {
    const store = new SqliteEventStore({ file: storeFile(opts.dataDir), clock: opts.clock, synchronous: opts.synchronous });
    app.decorate('store', store);
    // Close after the HTTP server stopped taking requests, so every acknowledged event is committed.
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'linkage-store' },
);
