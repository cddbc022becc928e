// Bounded context: read models for operators and monitoring.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEVICE_KINDS } from '../../core/domain.ts';
import { PROTOCOL_VERSION, type Health, type Summary } from '../../core/protocol.ts';
import type { Clock } from '../../core/domain.ts';
import { FAILURES, sendFailure } from '../http-errors.ts';
import { FieldStatusSchema } from '../schemas/status.ts';

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
  seq: Type.Integer({ description: 'the sequence number this node has applied' }),
  uptimeS: Type.Integer(),
  protocol: Type.Integer(),
  node: Type.String({ description: 'which node answered (NODE_NAME)' }),
  leader: Type.Boolean({ description: 'whether this node runs what must run once' }),
  head: Type.Integer({ description: "the log's head in the store of record" }),
  lag: Type.Integer({ description: 'events committed but not yet applied here' }),
});
const Unavailable = Type.Object({ ok: Type.Literal(false), code: Type.String(), message: Type.String() });

export const statusRoutes: FastifyPluginAsync<{ clock: Clock; nodeName: string }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const startedAt = opts.clock.now();

  // A load balancer's check: 503 while the store of record cannot be read, so traffic goes elsewhere.
  app.get('/health', { config: { read: 'public' }, schema: { summary: "Liveness, this node's name and leadership, the sequence it applied and its lag behind the log's head", tags: ['status'], response: { ...FAILURES, 200: HealthSchema, 503: Unavailable } } }, async (_req, reply) => {
    let head: number;
    try {
      head = await app.store.head();
    } catch (err) {
      return sendFailure(reply, 'UNAVAILABLE', `the store of record cannot be read: ${(err as Error).message}`);
    }
    const seq = app.projector.lastSeq;
    const health: Health = {
      status: 'ok', seq, uptimeS: Math.round((opts.clock.now() - startedAt) / 1000), protocol: PROTOCOL_VERSION,
      node: opts.nodeName, leader: app.leadership.isLeader(), head, lag: Math.max(0, head - seq),
    };
    return health;
  });

  // The field link's counters: operations of the district, no case or person in them.
  app.get('/field', { config: { read: 'district' }, schema: { summary: 'The MQTT field link: broker mode, connections, messages, and rejections counted by reason', tags: ['status'], response: { 200: FieldStatusSchema, ...FAILURES } } }, async () => app.field.status());

  app.get('/summary', { config: { read: 'area' }, schema: { summary: 'Counts of each device kind by status, grids, centers and cases', tags: ['status'], querystring: Type.Object({ scope: Type.Optional(Type.String({ description: 'count the cases of this area (default: the district, or the account\'s area)' })) }), response: { ...FAILURES, 200: SummarySchema } } }, async (req): Promise<Summary> => {
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
