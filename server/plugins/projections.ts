// Infrastructure plugin: the in-memory projections, rebuilt from the log at start and fed by
// every commit afterwards.
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import type { District } from '../district.ts';
import { Projector } from '../projections/projector.ts';

declare module 'fastify' {
  interface FastifyInstance {
    projector: Projector;
  }
}

export const projectionsPlugin = fp<{ district: District; clock: Clock }>(
  async (app, opts) => {
    const projector = new Projector(opts.district, opts.clock);
    const started = performance.now();
    let after = 0;
    for (;;) {
      const page = app.store.readAfter(after, 20_000);
      if (page.length === 0) break;
      projector.apply(page, false);
      after = page[page.length - 1].seq;
    }
    app.log.info({ seq: projector.lastSeq, ms: Math.round(performance.now() - started) }, 'projections rebuilt from the event log');
    app.store.onCommit((events) => {
      try {
        projector.apply(events, true);
      } catch (error) {
        // The events are committed; a projection bug must not block acknowledging them.
        app.log.error({ err: error }, 'projection failed');
      }
    });
    app.decorate('projector', projector);
  },
  { name: 'linkage-projections', dependencies: ['linkage-store'] },
);
