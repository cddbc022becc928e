// Decision analysis: device health over time. Every `everyMs` (and once more on shutdown) the leader
// samples each device kind's status counts into the `device_health` table of the store's SQLite
// file, or with a databaseUrl of the cluster's PostgreSQL (every node reads them there);
// GET /api/analysis/device-health (server/routes/device-health.ts) reads them back as series.
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import type { DeviceHealthStore } from '../device-health/health-store.ts';
import { PgHealthStore } from '../device-health/pg-health-store.ts';
import { DeviceHealthService } from '../device-health/service.ts';
import { SqliteHealthStore } from '../device-health/sqlite-health-store.ts';
import { embedded } from './sqlite.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deviceHealth: DeviceHealthService;
  }
}

export interface DeviceHealthPluginOptions {
  clock: Clock;
  /** The cluster's PostgreSQL: samples there, shared by every node; else the SQLite file. */
  databaseUrl?: string | null;
  /** How often the counts are sampled (DEVICE_HEALTH_EVERY_MS). */
  everyMs: number;
}

export const deviceHealthPlugin = fp<DeviceHealthPluginOptions>(
  async (app, opts) => {
    const store: DeviceHealthStore = opts.databaseUrl
      ? await PgHealthStore.open(opts.databaseUrl)
      : new SqliteHealthStore({ db: embedded(app.sqlite) });
    const service = new DeviceHealthService(store, () => app.projector.devices.allCounts(), opts.clock);
    app.decorate('deviceHealth', service);
    let busy: Promise<void> | null = null;
    // A sample still running (a slow database) is not joined by another: samples do not pile up.
    const sample = (): Promise<void> =>
      (busy ??= (async () => {
        if (!app.leadership.isLeader()) return;
        try {
          await service.sampleNow();
        } catch (err) {
          // A missed sample is a gap in the chart; it must not take the server down.
          app.log.error({ err }, 'device health sample failed');
        }
      })().finally(() => {
        busy = null;
      }));
    const timer = setInterval(() => void sample(), opts.everyMs);
    timer.unref();
    // onClose hooks run last-registered first: this one runs while the projections are intact.
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await busy;
      await sample();
      await store.close();
    });
  },
  { name: 'linkage-device-health', dependencies: ['linkage-sqlite', 'linkage-store', 'linkage-projections', 'linkage-leadership'] },
);
