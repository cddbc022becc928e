// Decision analysis: device health over time — each device kind's online rate per hour/day/week
// from the per-minute samples of the device-health plugin.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BUCKETS, bucketFor, type Bucket } from '../../core/analysis.ts';
import { DEVICE_KINDS, type Clock } from '../../core/domain.ts';
import { Ok, replies, sendFailure } from '../http-errors.ts';
import { HealthSeriesSchema } from '../schemas/status.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BUCKET_MS: Record<Bucket, number> = { hour: HOUR, day: DAY, week: 7 * DAY };

export const deviceHealthRoutes: FastifyPluginAsync<{ clock: Clock }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/analysis/device-health',
    {
      // Online rates of the district's devices: infrastructure, no one's case or position.
      config: { read: 'district' },
      schema: {
        summary: 'Online rate per device kind and bucket (average and minimum), average fault/alarm counts and the number of samples; null where there were no samples',
        tags: ['analysis'],
        querystring: Type.Object({
          from: Type.Optional(Type.Integer({ description: 'UTC ms (default: to − 7 days)' })),
          to: Type.Optional(Type.Integer({ description: 'UTC ms (default: now)' })),
          bucket: Type.Optional(Type.Enum(BUCKETS, { description: 'default: hour up to 2 days, day up to 62 days, week beyond' })),
          kind: Type.Optional(Type.Enum(DEVICE_KINDS, { description: 'one device kind (default: all)' })),
        }),
        response: replies(Ok(Type.Object({ from: Type.Number(), to: Type.Number(), bucket: Type.Enum(BUCKETS), series: HealthSeriesSchema }))),
      },
    },
    async (req, reply) => {
      const to = req.query.to ?? opts.clock.now();
      const from = req.query.from ?? to - 7 * DAY;
      if (from >= to) return sendFailure(reply, 'BAD_REQUEST', 'from must be before to');
      if (to - from > 366 * DAY) return sendFailure(reply, 'BAD_REQUEST', 'at most a year at a time');
      const bucket = req.query.bucket ?? bucketFor(to - from);
      if ((to - from) / BUCKET_MS[bucket] > 800) return sendFailure(reply, 'BAD_REQUEST', `too many ${bucket}s in the window: take a coarser bucket`);
      return { ok: true as const, data: { from, to, bucket, series: await app.deviceHealth.series(from, to, bucket, req.query.kind) } };
    },
  );
};
