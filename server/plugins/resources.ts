// Bounded context: emergency resources (应急资源) — the book the screens read, loaded from the
// dataset and the log's imports, kept current by every commit (this node's and, in a cluster, the
// others'). HTTP under /api/resources (server/resources/routes.ts).
import fp from 'fastify-plugin';
import type { StoredEvent } from '../store/event-store.ts';
import type { District } from '../district.ts';
import type { Clock } from '../../core/domain.ts';
import { ResourceBook } from '../resources/book.ts';
import { resourceRoutes } from '../resources/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    resources: ResourceBook;
  }
}

export const resourcesPlugin = fp<{ district: District; clock: Clock }>(
  async (app, opts) => {
    const book = new ResourceBook(opts.district.resources);
    // Commits that land while the history is read wait, then apply after it, in order.
    let pending: StoredEvent[] | null = [];
    const unsubscribe = app.store.onCommit((events) => {
      const mine = events.filter((e) => e.type.startsWith('resource:'));
      if (mine.length === 0) return;
      if (pending) pending.push(...mine);
      else {
        book.apply(mine);
        // Every node hears every commit, and each tells its own screens (no socket.io adapter):
        // the list is per area, so a screen asks for its own again.
        app.io.emit('resources:changed', { since: mine.at(-1)!.ts });
      }
    });
    book.apply(await app.store.readOfType('resource:', 1_000_000));
    book.apply(pending);
    pending = null;
    app.addHook('onClose', async () => unsubscribe());
    app.decorate('resources', book);
    await app.register(resourceRoutes, { prefix: '/api', book, bbox: opts.district.manifest.district.bbox, now: () => opts.clock.now(), townshipAt: (lon, lat) => opts.district.resolvePlace(lon, lat).townshipCode });
  },
  { name: 'linkage-resources', dependencies: ['linkage-store', 'linkage-auth', 'linkage-audit', 'linkage-realtime'] },
);
