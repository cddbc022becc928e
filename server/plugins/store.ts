// Infrastructure plugin: the event store of record — the embedded SQLite file under DATA_DIR, or
// PostgreSQL when DATABASE_URL is set (a cluster: every node tails the same log).
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import type { EventStore } from '../store/event-store.ts';
import { SqliteEventStore } from '../store/sqlite-event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { embedded } from './sqlite.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: EventStore;
  }
}

export interface StorePluginOptions {
  clock: Clock;
  databaseUrl: string | null;
}

export { storeFile } from './sqlite.ts';

export const storePlugin = fp<StorePluginOptions>(
  async (app, opts) => {
    const store: EventStore = opts.databaseUrl
      ? await PgEventStore.open({ connectionString: opts.databaseUrl, clock: opts.clock })
      : new SqliteEventStore({ db: embedded(app.sqlite), clock: opts.clock });
    app.decorate('store', store);
    // Close after the HTTP server stopped taking requests, so every acknowledged event is committed.
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'linkage-store', dependencies: ['linkage-sqlite'] },
);
