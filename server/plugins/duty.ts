// Bounded context: duty (值班) — roster, duty log, shift handover (server/duty/*). HTTP under /api/duty.
import fp from 'fastify-plugin';
import { readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import type { Clock } from '../../core/domain.ts';
import { DutyPoolSchema, type DutyPool } from '../../core/duty.ts';
import { parseShifts } from '../../core/shifts.ts';
import { schemaProblem } from '../realtime/commands.ts';
import { DutyService } from '../duty/service.ts';
import { dutyRoutes } from '../duty/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    dutyService: DutyService;
  }
}

export interface DutyPluginOptions {
  clock: Clock;
  /** JSON file with the duty pool (core/duty.ts DutyPoolSchema). */
  poolFile: string;
  /** Duty shifts of the center, "08:00-20:00,20:00-08:00" (Asia/Shanghai). */
  shifts: string;
}

const checkPool = Compile(DutyPoolSchema);

/** Reads and checks the duty pool; the error names the file and the field. */
export function loadDutyPool(file: string): DutyPool {
  let pool: unknown;
  try {
    pool = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`DUTY_POOL_FILE ${file}: ${(err as Error).message}`);
  }
  const problem = schemaProblem(checkPool, pool);
  if (problem) throw new Error(`DUTY_POOL_FILE ${file}: ${problem}`);
  const p = pool as DutyPool;
  const ids = [...p.leaders, ...p.dispatchers, ...p.stationed].map((x) => x.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`DUTY_POOL_FILE ${file}: id "${dup}" appears twice`);
  return p;
}

export const dutyPlugin = fp<DutyPluginOptions>(
  async (app, opts) => {
    const service = new DutyService(app.store, app.projector, opts.clock, parseShifts(opts.shifts), loadDutyPool(opts.poolFile), app.log);
    const unsubscribe = await service.load();
    app.addHook('onClose', async () => unsubscribe());
    app.decorate('dutyService', service);
    await app.register(dutyRoutes, { prefix: '/api', service, now: () => opts.clock.now() });
  },
  { name: 'linkage-duty', dependencies: ['linkage-store', 'linkage-projections'] },
);
