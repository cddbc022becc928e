// Infrastructure plugin: the in-memory projections, restored from the newest checkpoint plus the
// log after it at start, fed by every commit afterwards, and checkpointed periodically and on
// shutdown so a restart after weeks does not replay weeks of log.
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import type { District } from '../district.ts';
import { Projector } from '../projections/projector.ts';
import type { DeviceSettings } from '../devices/settings.ts';

declare module 'fastify' {
  interface FastifyInstance {
    projector: Projector;
    /** How the projections were built at start (for logs and tests). */
    projectionStart: { checkpointSeq: number | null; replayed: number; ms: number };
  }
}

export interface ProjectionsOptions {
  district: District;
  clock: Clock;
  /** How often the projections are checkpointed (0 disables periodic checkpoints). */
  checkpointEveryMs: number;
  /** Sensor rules and duty shifts (defaults: data/sensor-rules.json, 08:00-20:00,20:00-08:00). */
  settings?: DeviceSettings;
}

export const projectionsPlugin = fp<ProjectionsOptions>(
  async (app, opts) => {
    const { store } = app;
    const projector = new Projector(opts.district, opts.clock, opts.settings);
    const started = performance.now();
    let checkpointSeq: number | null = null;
    const cp = await store.latestCheckpoint();
    if (cp) {
      try {
        if (projector.restore(cp.body)) checkpointSeq = cp.seq;
        else app.log.warn({ seq: cp.seq }, 'checkpoint belongs to another dataset: rebuilding from the whole log');
      } catch (error) {
        app.log.warn({ err: error, seq: cp.seq }, 'checkpoint unreadable: rebuilding from the whole log');
      }
      if (checkpointSeq === null) projector.reset();
    }
    // Subscribed before reading the log: on a cluster other nodes commit all along, and the tail
    // delivers them from the head it saw when the store opened. Until the log is read to its end
    // those deliveries only say "read further"; after it, every batch is applied once, in order.
    let restoring = true;
    let deliveredWhileRestoring = 0;
    const unsubscribe = store.onCommit((events) => {
      if (restoring) {
        deliveredWhileRestoring += events.length;
        return;
      }
      // The usual batch is all new: no copy on the ingest path.
      const fresh = events.length > 0 && events[0].seq > projector.lastSeq ? events : events.filter((e) => e.seq > projector.lastSeq);
      if (fresh.length === 0) return;
      if (fresh[0].seq !== projector.lastSeq + 1) app.log.error({ from: projector.lastSeq, to: fresh[0].seq }, 'projection: events missing before this commit');
      try {
        projector.apply(fresh, true);
      } catch (error) {
        // The events are committed; a projection bug must not block acknowledging them.
        app.log.error({ err: error }, 'projection failed');
      }
    });
    let replayed = 0;
    for (;;) {
      const page = await store.readAfter(projector.lastSeq, 20_000);
      if (page.length > 0) {
        projector.apply(page, false);
        replayed += page.length;
        continue;
      }
      // Read to the end. Anything delivered meanwhile is committed, so another read finds it; with
      // nothing delivered the switch to live happens in this same turn, before any delivery.
      if (deliveredWhileRestoring === 0) break;
      deliveredWhileRestoring = 0;
    }
    restoring = false;
    const start = { checkpointSeq, replayed, ms: Math.round(performance.now() - started) };
    app.log.info({ ...start, seq: projector.lastSeq }, 'projections restored');
    if (projector.skippedLegacy > 0) {
      app.log.warn({ events: projector.skippedLegacy }, 'case events from before the case lifecycle (protocol 1 upserts) were skipped: those cases are not shown');
    }
    let lastCheckpointSeq = checkpointSeq ?? -1;
    // Checkpoints live in the store of record: one writer (the leader) is enough for every node.
    const checkpoint = async () => {
      if (projector.lastSeq === lastCheckpointSeq || !app.leadership.isLeader()) return;
      const t = performance.now();
      const seq = projector.lastSeq;
      try {
        await store.saveCheckpoint(seq, projector.checkpoint());
      } catch (error) {
        // A full disk (or any write error): the log still holds every event, so a start replays
        // more of it. Thrown from a timer this would take the whole server down; try again later.
        app.log.error({ err: error, seq: projector.lastSeq }, 'projections checkpoint failed');
        return;
      }
      lastCheckpointSeq = seq;
      app.log.debug({ seq: lastCheckpointSeq, ms: Math.round(performance.now() - t) }, 'projections checkpointed');
    };
    const timer = opts.checkpointEveryMs > 0 ? setInterval(() => void checkpoint(), opts.checkpointEveryMs) : null;
    timer?.unref();
    app.decorate('projector', projector);
    app.decorate('projectionStart', start);
    // The store's onClose commits what is still queued; the checkpoint is taken just before, and
    // anything committed after it is replayed from the log at the next start.
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
      unsubscribe();
      await checkpoint();
    });
  },
  { name: 'linkage-projections', dependencies: ['linkage-store', 'linkage-leadership'] },
);
