// Bounded context: read models for operators and monitoring.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEVICE_KINDS } from '../../core/domain.ts';
import { PROTOCOL_VERSION, type Health, type Summary } from '../../core/protocol.ts';
import type { Clock } from '../../core/domain.ts';

const Counts = Type.Object({
  total: Type.Integer(),
  online: Type.Integer(),
  offline: Type.Integer(),
  fault: Type.Integer(),
  alarm: Type.Integer(),
});

const SummarySchema = Type.Object({
  seq: Type.Integer(),
  devices: Type.Object(Object.fromEntries(DEVICE_KINDS.map((k) => [k, Counts]))),
  grids: Type.Integer(),
  residents: Type.Integer(),
  centers: Type.Object({ district: Type.Integer(), township: Type.Integer(), community: Type.Integer(), total: Type.Integer() }),
  cases: Type.Object({ open: Type.Integer(), today: Type.Integer(), overdue: Type.Integer() }),
});

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  seq: Type.Integer(),
  uptimeS: Type.Integer(),
  protocol: Type.Integer(),
});

export const statusRoutes: FastifyPluginAsync<{ clock: Clock }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const startedAt = opts.clock.now();

  app.get('/health', { config: { read: 'public' }, schema: { summary: 'Liveness and the last committed sequence number', tags: ['status'], response: { 200: HealthSchema } } }, async (): Promise<Health> => ({
    status: 'ok',
    seq: app.store.lastSeq(),
    uptimeS: Math.round((opts.clock.now() - startedAt) / 1000),
    protocol: PROTOCOL_VERSION,
  }));

  // The field link's counters: operations of the district, no case or person in them.
  app.get('/field', { config: { read: 'district' }, schema: { summary: 'The MQTT field link: broker mode, connections, messages, and rejections counted by reason', tags: ['status'] } }, async () => app.field.status());

  app.get('/summary', { config: { read: 'area' }, schema: { summary: 'Counts of each device kind by status, grids, centers and cases', tags: ['status'], response: { 200: SummarySchema } } }, async (req): Promise<Summary> => {
    const { projector } = app;
    const { manifest } = projector.district;
    const now = opts.clock.now();
    const level = (l: string) => manifest.centers.filter((c) => c.level === l).length;
    // Devices are the district's; cases are counted in the reader's area.
    const counts = projector.cases.counts(req.area, now);
    return {
      seq: projector.lastSeq,
      devices: projector.devices.allCounts(),
      grids: projector.district.gridCount,
      residents: manifest.counts.residents,
      centers: { district: level('district'), township: level('township'), community: level('community'), total: manifest.centers.length },
      cases: { open: counts.open, today: counts.today, overdue: counts.overdue },
    };
  });
};
