// Infrastructure plugin: who leads. One process over SQLite always does; with DATABASE_URL the
// node that holds the deployment's PostgreSQL advisory lock does (server/cluster/leadership.ts).
import fp from 'fastify-plugin';
import { PgLeadership, soleLeader, type Leadership } from '../cluster/leadership.ts';

declare module 'fastify' {
  interface FastifyInstance {
    leadership: Leadership;
  }
}

export const leadershipPlugin = fp<{ databaseUrl: string | null }>(
  async (app, opts) => {
    const leadership = opts.databaseUrl
      ? await PgLeadership.start({ connectionString: opts.databaseUrl, onError: (err) => app.log.warn({ err }, 'leadership: session to PostgreSQL lost') })
      : soleLeader();
    leadership.onChange((leading) => app.log.info({ leading }, leading ? 'this node leads now' : 'this node no longer leads'));
    app.decorate('leadership', leadership);
    app.addHook('onClose', async () => leadership.close());
  },
  { name: 'linkage-leadership' },
);
