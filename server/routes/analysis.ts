// Bounded context: decision analysis (决策分析) — trends beside the previous period, hot spots, and
// the drill-down from any figure to the cases behind it. Read models over the case book.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BUCKETS, bucketFor, drill, hotspots, trend, type Bucket, type DrillFilter } from '../../core/analysis.ts';
import type { Clock } from '../../core/domain.ts';
import type { CaseState } from '../../core/cases/model.ts';
import { DISTRICT_CODE, levelOfCode, placeInScope } from '../../core/org.ts';
import { Ok, replies, sendFailure } from '../http-errors.ts';
import { AnalysisSchema, PointsSchema } from '../schemas/analysis.ts';
import { CaseSchema } from '../schemas/cases.ts';

const DAY = 86_400_000;
/** Points for the density map: far more than a year of the district's cases, few enough for one answer. */
const MAX_POINTS = 200_000;
const Window = {
  scope: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$', description: 'district, township or community code (default: the district)' })),
  from: Type.Optional(Type.Integer({ description: 'UTC ms (default: to − 7 days)' })),
  to: Type.Optional(Type.Integer({ description: 'UTC ms (default: now)' })),
};

export const analysisRoutes: FastifyPluginAsync<{ clock: Clock }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['analysis'];
  /** The scope, the window and the cases of the scope, or what is wrong with the query. */
  const windowOf = (q: { scope?: string; from?: number; to?: number }) => {
    const scope = q.scope ?? DISTRICT_CODE;
    if (!levelOfCode(scope)) return `scope "${scope}" is not the district (${DISTRICT_CODE}) or one of its townships or communities`;
    const to = q.to ?? opts.clock.now();
    const from = q.from ?? to - 7 * DAY;
    if (from >= to) return 'from must be before to';
    if (to - from > 366 * DAY) return 'at most a year at a time';
    const cases: CaseState[] = [];
    for (const c of app.projector.cases.all()) if (placeInScope(scope, c)) cases.push(c);
    return { scope, from, to, cases };
  };

  app.get(
    '/analysis',
    {
      config: { read: 'area' },
      schema: {
        summary: 'Trend of reported/closed/overdue cases per bucket beside the previous period, and the hot spots of the window',
        tags,
        querystring: Type.Object({ ...Window, bucket: Type.Optional(Type.Enum(BUCKETS)), radiusM: Type.Optional(Type.Integer({ minimum: 20, maximum: 2000 })), minCases: Type.Optional(Type.Integer({ minimum: 2, maximum: 100 })) }),
        response: replies(Ok(AnalysisSchema)),
      },
    },
    async (req, reply) => {
      const w = windowOf(req.query);
      if (typeof w === 'string') return sendFailure(reply, 'BAD_REQUEST', w);
      const bucket: Bucket = req.query.bucket ?? bucketFor(w.to - w.from);
      if ((w.to - w.from) / (bucket === 'hour' ? 3_600_000 : bucket === 'day' ? DAY : 7 * DAY) > 800) return sendFailure(reply, 'BAD_REQUEST', `too many ${bucket}s in the window: take a coarser bucket`);
      const reported = w.cases.filter((c) => c.reportedAt >= w.from && c.reportedAt < w.to);
      return {
        ok: true as const,
        data: { scope: w.scope, from: w.from, to: w.to, trend: trend(w.cases, w.from, w.to, bucket), hotspots: hotspots(reported, req.query.radiusM ?? 100, req.query.minCases ?? 3) },
      };
    },
  );

  app.get(
    '/analysis/cases',
    {
      config: { read: 'area' },
      schema: {
        summary: 'The cases behind a figure: of the window, optionally of one township/department/source/class, counted by a measure (newest first, ≤ 500)',
        tags,
        querystring: Type.Object({
          ...Window,
          by: Type.Optional(Type.Enum(['township', 'department', 'source', 'class'] as const)),
          key: Type.Optional(Type.String({ maxLength: 64 })),
          measure: Type.Optional(Type.Enum(['reported', 'closed', 'overdue', 'open'] as const)),
          ids: Type.Optional(Type.String({ maxLength: 20_000, description: 'comma-separated case ids (a hot spot\'s cases), instead of a filter' })),
        }),
        response: replies(Ok(Type.Array(CaseSchema))),
      },
    },
    async (req, reply) => {
      const w = windowOf(req.query);
      if (typeof w === 'string') return sendFailure(reply, 'BAD_REQUEST', w);
      if (req.query.by && req.query.key === undefined) return sendFailure(reply, 'BAD_REQUEST', 'by needs a key');
      if (req.query.ids !== undefined) {
        const want = new Set(req.query.ids.split(',').filter(Boolean));
        return { ok: true as const, data: w.cases.filter((c) => want.has(c.id)).sort((a, b) => b.reportedAt - a.reportedAt).slice(0, 500) };
      }
      const f: DrillFilter = { ...(req.query.by ? { by: req.query.by, key: req.query.key } : {}), ...(req.query.measure ? { measure: req.query.measure } : {}) };
      return { ok: true as const, data: drill(w.cases, w.from, w.to, f) };
    },
  );

  app.get(
    '/analysis/points',
    {
      config: { read: 'area' },
      schema: {
        summary: 'Positions of every case reported in the window (for the density map): lon,lat pairs, oldest first, ≤ 200,000',
        tags,
        querystring: Type.Object(Window),
        response: replies(Ok(PointsSchema)),
      },
    },
    async (req, reply) => {
      const w = windowOf(req.query);
      if (typeof w === 'string') return sendFailure(reply, 'BAD_REQUEST', w);
      const reported = w.cases.filter((c) => c.reportedAt >= w.from && c.reportedAt < w.to && Number.isFinite(c.lon) && Number.isFinite(c.lat));
      reported.sort((a, b) => a.reportedAt - b.reportedAt);
      const kept = reported.slice(-MAX_POINTS);
      const lonlat: number[] = new Array(kept.length * 2);
      kept.forEach((c, i) => {
        lonlat[2 * i] = c.lon;
        lonlat[2 * i + 1] = c.lat;
      });
      return { ok: true as const, data: { scope: w.scope, from: w.from, to: w.to, count: kept.length, truncated: kept.length < reported.length, lonlat } };
    },
  );
};
