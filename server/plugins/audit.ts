// The audit log (issue 6): every person's operational event, as it commits, becomes an entry of a
// hash-chained, append-only `audit` table in the store's SQLite file, or with a databaseUrl in the
// cluster's PostgreSQL, written by the leader; `app.audit.record()` adds what is not an event
// (sign-ins, exports, configuration changes) from any node. GET /api/audit is in
// server/audit/routes.ts, the chain check in server/audit/verify-cli.ts (npm run audit:verify).
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import type { District } from '../district.ts';
import { auditDraftOf, type AuditPlaces } from '../audit/from-events.ts';
import { AuditRecorder } from '../audit/recorder.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { PgAuditLog } from '../audit/pg-audit-log.ts';
import { SqliteAuditLog } from '../audit/sqlite-audit-log.ts';
import { embedded } from './sqlite.ts';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditRecorder;
  }
}

export interface AuditPluginOptions {
  clock: Clock;
  district: District;
  /** The cluster's PostgreSQL: one chain there for every node; else the SQLite file. */
  databaseUrl?: string | null;
  /** How often the audited-through cursor is saved and a failed audit write retried (default 10 s). */
  cursorEveryMs?: number;
}

export const auditPlugin = fp<AuditPluginOptions>(
  async (app, opts) => {
    const log: AuditLog = opts.databaseUrl
      ? await PgAuditLog.open(opts.databaseUrl)
      : new SqliteAuditLog({ db: embedded(app.sqlite) });
    // The projections have applied an event before this plugin sees it (they subscribed first).
    const places: AuditPlaces = {
      ofCase: (id) => {
        const c = app.projector.cases.get(id);
        return c ? c.communityCode || c.townshipCode || null : null;
      },
      ofWhistle: (id) => app.projector.whistles.get(id) ?? null,
      ofAlarm: (id) => {
        const a = app.projector.alarms.get(id);
        return a ? { place: a.communityCode || a.townshipCode || null, acknowledged: a.ackAt !== null } : null;
      },
      at: (lon, lat) => {
        const p = opts.district.resolvePlace(lon, lat);
        return p.communityCode || p.townshipCode || null;
      },
    };
    const recorder = new AuditRecorder(log, app.store, (e) => auditDraftOf(e, places), opts.clock, app.log, () => app.leadership.isLeader());
    // Subscribed first: commits during the catch-up wait for it (the recorder reads them from the log).
    const unsubscribe = app.store.onCommit((events) => recorder.onCommit(events));
    const catchUp = () =>
      recorder
        .catchUp()
        .then(() => recorder.saveCursor())
        .catch((err: unknown) => app.log.error({ err }, 'audit not caught up'));
    // A node that takes the lead continues the chain from the shared cursor at once.
    const unfollow = app.leadership.onChange((leading) => void (leading && catchUp()));
    const caughtUp = await recorder.catchUp().catch(async (error: unknown) => {
      unfollow();
      unsubscribe();
      await log.close();
      throw error;
    });
    if (caughtUp > 0) app.log.info({ events: caughtUp }, 'audit caught up with the event log');
    // Saved at once: a crash soon after this start must not make the next start read it all again.
    await recorder.saveCursor();
    app.decorate('audit', recorder);

    const timer = setInterval(() => void catchUp(), opts.cursorEveryMs ?? 10_000);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      unfollow();
      unsubscribe();
      // The head in the server's own log: a copy of it outside the database is what catches a rewritten chain.
      app.log.info({ head: await log.head().catch(() => null) }, 'audit log closed');
      await recorder.close();
    });
  },
  { name: 'linkage-audit', dependencies: ['linkage-sqlite', 'linkage-store', 'linkage-projections', 'linkage-leadership'] },
);
