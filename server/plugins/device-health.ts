// Decision analysis: device health over time. Every `everyMs` (and once more on shutdown) each
// device kind's status counts are sampled into the `device_health` table of the store's SQLite file;
// GET /api/analysis/device-health (server/routes/device-health.ts) reads them back as series.
import fp from 'fastify-plugin';
import type { Clock } from '../../core/domain.ts';
import { DeviceHealthService } from '../device-health/service.ts';
import { SqliteHealthStore } from '../device-health/sqlite-health-store.ts';
import { storeFile } from './store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deviceHealth: DeviceHealthService;
  }
}

export interface DeviceHealthPluginOptions {
  clock: Clock;
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  /** How often the counts are sampled (default one minute). */
  everyMs?: number;
}

export const deviceHealthPlugin = fp<DeviceHealthPluginOptions>(
  async (app, opts) => {
    const store = new SqliteHealthStore({ file: storeFile(opts.dataDir), synchronous: opts.synchronous });
    const service = new DeviceHealthService(store, () => app.projector.devices.allCounts(), opts.clock);
    app.decorate('deviceHealth', service);
    const sample = () => {
      if (!app.leadership.isLeader()) return;
      try {
        service.sampleNow();
      } catch (err) {
        // A missed sample is a gap in the chart; it must not take the server down.
        app.log.error({ err }, 'device health sample failed');
      }
    };
    const timer = setInterval(sample, opts.everyMs ?? 60_000);
    timer.unref();
    // onClose hooks run last-registered first: this one runs while the projections are intact.
    app.addHook('onClose', async () => {
      clearInterval(timer);
      sample();
      store.close();
    });
  },
  { name: 'linkage-device-health', dependencies: ['linkage-store', 'linkage-projections', 'linkage-leadership'] },
);
